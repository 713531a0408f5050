"""Time the learning-rate sweep: many networks trained as one stacked computation.

Prints microseconds per network-epoch for `nnlib.course.sweep.train_many` with 64
learning rates on the seed problem, for 64 separate `nnlib.train` runs, and
for the sigmoid alone on the sweep's arrays (the part no stacking removes).
Interleaved, medians of several runs.

    python benchmarks/sweep_speed.py [--networks 64] [--epochs 10000] [--repeats 5]
"""

import argparse
import statistics
import time

import numpy as np

import nnlib
from nnlib.course.sweep import learning_rate_grid, train_many


def seconds(function, *args, **kwargs):
    start = time.perf_counter()
    function(*args, **kwargs)
    return time.perf_counter() - start


def sigmoids(K, N, H, M, epochs):
    """The two sigmoids of each epoch of train_many, on arrays of its shapes."""
    rng = np.random.default_rng(0)
    Z1, A1 = rng.normal(size=(N, K, H)), np.empty((N, K, H))  # (N, K, H)
    Z2, A2 = rng.normal(size=(K, N, M)), np.empty((K, N, M))  # (K, N, M)
    for _ in range(epochs):
        nnlib.sigmoid(Z1, out=A1)
        nnlib.sigmoid(Z2, out=A2)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--networks", type=int, default=64)
    parser.add_argument("--epochs", type=int, default=10000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    X, y = nnlib.seed_data()
    K, (N, D), M = args.networks, X.shape, y.shape[1]
    rates = learning_rate_grid(1e-3, 1e2, K)
    work = K * args.epochs / 1e6  # million network-epochs

    stacked, one_by_one, sigmoid = [], [], []
    for _ in range(args.repeats):
        stacked.append(seconds(train_many, X, y, rates, epochs=args.epochs) / work)
        one_by_one.append(sum(seconds(nnlib.train, X, y, learning_rate=rate, epochs=args.epochs // 10)
                              for rate in rates) * 10 / work)
        sigmoid.append(seconds(sigmoids, K, N, 4, M, args.epochs) / work)

    stacked, one_by_one, sigmoid = (statistics.median(t) for t in (stacked, one_by_one, sigmoid))
    print(f"{K} networks x {args.epochs} epochs on the seed problem, median of {args.repeats}:")
    print(f"  train_many (stacked):    {stacked:5.2f} us per network-epoch (target under 1)")
    print(f"    of which the sigmoids: {sigmoid:5.2f} us per network-epoch")
    print(f"  nnlib.train one by one: {one_by_one:5.2f} us per network-epoch "
          f"(each run {args.epochs // 10} epochs)")
    print(f"  speed-up: {one_by_one / stacked:.1f}x")


if __name__ == "__main__":
    main()
