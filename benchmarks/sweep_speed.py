"""Time the learning-rate sweep: many networks trained as one stacked computation.

Prints microseconds per network-epoch for `nnlib.sweep.train_many` with 64
learning rates on the seed problem, and for 64 separate `nnlib.train` runs.

    python benchmarks/sweep_speed.py [--networks 64] [--epochs 10000]
"""

import argparse
import time

import nnlib
from nnlib.sweep import learning_rate_grid, train_many


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--networks", type=int, default=64)
    parser.add_argument("--epochs", type=int, default=10000)
    args = parser.parse_args()
    X, y = nnlib.seed_data()
    rates = learning_rate_grid(1e-3, 1e2, args.networks)
    work = args.networks * args.epochs / 1e6  # million network-epochs

    start = time.perf_counter()
    train_many(X, y, rates, epochs=args.epochs)
    stacked = (time.perf_counter() - start) / work

    start = time.perf_counter()
    for rate in rates:
        nnlib.train(X, y, learning_rate=rate, epochs=args.epochs)
    one_by_one = (time.perf_counter() - start) / work

    print(f"{args.networks} networks x {args.epochs} epochs on the seed problem:")
    print(f"  train_many (stacked):    {stacked:5.2f} us per network-epoch (target under 1)")
    print(f"  nnlib.train one by one: {one_by_one:5.2f} us per network-epoch")
    print(f"  speed-up: {one_by_one / stacked:.1f}x")


if __name__ == "__main__":
    main()
