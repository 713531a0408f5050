"""Latency of a dashboard slider change against the training it has to do.

Drives the dashboard from Python as a slider would: sets the hidden-size
control (which retrains and redraws before returning), and times it; then
times `nnlib.train` alone with the same settings. Interleaved, in one
process. Prints both medians and their ratio.

    python benchmarks/dashboard_latency.py [--repeats 15] [--epochs 10000]
"""

import argparse
import statistics
import time

import nnlib
from nnlib.widgets import Dashboard


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--epochs", type=int, default=10000)
    args = parser.parse_args()
    X, y = nnlib.seed_data()
    board = Dashboard(dataset="seed", epochs=args.epochs)

    change_times, train_times = [], []
    for i in range(args.repeats):
        hidden_size = 5 - (i % 2)  # 5, 4, 5, ...: every set is a change
        before = bytes(board.image.value)
        start = time.perf_counter()
        board.controls["hidden_size"].value = hidden_size
        change_times.append(time.perf_counter() - start)
        assert bytes(board.image.value) != before, "the figure was not redrawn"

        start = time.perf_counter()
        nnlib.train(X, y, hidden_size=hidden_size, epochs=args.epochs)
        train_times.append(time.perf_counter() - start)

    change = statistics.median(change_times) * 1000
    alone = statistics.median(train_times) * 1000
    print(f"seed problem, {args.epochs} epochs, median of {args.repeats}:")
    print(f"  hidden-size change, retrained and redrawn: {change:6.1f} ms (target under 200 ms)")
    print(f"  nnlib.train alone:                         {alone:6.1f} ms")
    print(f"  ratio change / train: {change / alone:.2f} (target at most 1.3)")


if __name__ == "__main__":
    main()
