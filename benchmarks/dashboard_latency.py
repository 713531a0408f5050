"""Latency of a dashboard slider change against the training it has to do.

Drives the dashboard from Python as a slider would: sets the hidden-size
control (which retrains and redraws before returning), and times it; then
times `nnlib.train` alone with the same settings. Interleaved, in one
process. Prints both medians and their ratio, then the same change with the
learning-rate sweep switched on (64 more networks to train), and a
learning-rate change with the sweep on (the sweep is not retrained).

    python benchmarks/dashboard_latency.py [--repeats 15] [--epochs 10000]
"""

import argparse
import statistics
import time

import nnlib
from nnlib.course.dashboard import Dashboard


def timed_change(board, name, value):
    """Seconds to set one control, which retrains and redraws before returning."""
    before = bytes(board.image.value)
    start = time.perf_counter()
    board.controls[name].value = value
    seconds = time.perf_counter() - start
    assert bytes(board.image.value) != before, "the figure was not redrawn"
    return seconds


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
        change_times.append(timed_change(board, "hidden_size", hidden_size))
        start = time.perf_counter()
        nnlib.train(X, y, hidden_size=hidden_size, epochs=args.epochs)
        train_times.append(time.perf_counter() - start)

    change = statistics.median(change_times) * 1000
    alone = statistics.median(train_times) * 1000
    print(f"seed problem, {args.epochs} epochs, median of {args.repeats}:")
    print(f"  hidden-size change, retrained and redrawn: {change:6.1f} ms (target under 200 ms)")
    print(f"  nnlib.train alone:                         {alone:6.1f} ms")
    print(f"  ratio change / train: {change / alone:.2f} (target at most 1.3)")

    board = Dashboard(dataset="seed", epochs=args.epochs, sweep=True)
    repeats = max(3, args.repeats // 3)
    hidden = [timed_change(board, "hidden_size", 5 - (i % 2)) for i in range(repeats)]
    rates = [timed_change(board, "learning_rate", 0.1 * 10 ** (0.25 * (i % 2 + 1))) for i in range(repeats)]
    print(f"with the learning-rate sweep on (64 networks), median of {repeats}:")
    print(f"  hidden-size change (sweep retrained):      {statistics.median(hidden) * 1000:6.1f} ms")
    print(f"  learning-rate change (sweep kept):         {statistics.median(rates) * 1000:6.1f} ms")


if __name__ == "__main__":
    main()
