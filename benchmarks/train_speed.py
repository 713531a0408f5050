"""Time nnlib.train against a seed-style loop on the seed problem.

The seed-style loop is the source notebook's code with the gradients
corrected: fresh arrays every step, biases added separately. Both are run
in one process, interleaved, several times; the script prints the median
time per epoch of each and their ratio.

    python -m benchmarks.train_speed [--repeats 7] [--epochs 10000]
"""

import argparse
import os
import statistics
import time

import numpy as np

import nnlib


def seed_style_train(X, y, hidden_size=4, learning_rate=0.1, epochs=10000, seed=42):
    """The seed notebook's loop with correct MSE gradients, written as it writes it."""
    params = nnlib.init_params(X.shape[1], hidden_size, y.shape[1], seed)
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    losses = np.empty(epochs)
    for epoch in range(epochs):
        Z1 = np.dot(X, W1) + b1
        A1 = 1 / (1 + np.exp(-Z1))
        Z2 = np.dot(A1, W2) + b2
        A2 = 1 / (1 + np.exp(-Z2))
        losses[epoch] = np.mean((y - A2) ** 2)
        dZ2 = 2 * (A2 - y) / y.size * A2 * (1 - A2)
        dW2 = np.dot(A1.T, dZ2)
        db2 = np.sum(dZ2, axis=0, keepdims=True)
        dA1 = np.dot(dZ2, W2.T)
        dZ1 = dA1 * A1 * (1 - A1)
        dW1 = np.dot(X.T, dZ1)
        db1 = np.sum(dZ1, axis=0, keepdims=True)
        W2 -= learning_rate * dW2
        b2 -= learning_rate * db2
        W1 -= learning_rate * dW1
        b1 -= learning_rate * db1
    return losses


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--epochs", type=int, default=10000)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    X, y = nnlib.seed_data()

    # Same numbers from both, or the comparison means nothing.
    reference = seed_style_train(X, y, epochs=args.epochs)
    ours = nnlib.train(X, y, epochs=args.epochs).losses
    print(f"largest difference between the two loss curves: {np.max(np.abs(reference - ours)):.1e}")

    seed_times, nnlib_times = [], []
    for _ in range(args.repeats):
        start = time.perf_counter()
        seed_style_train(X, y, epochs=args.epochs)
        seed_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        nnlib.train(X, y, epochs=args.epochs)
        nnlib_times.append(time.perf_counter() - start)

    per_epoch = 1e6 / args.epochs
    seed_us = statistics.median(seed_times) * per_epoch
    nnlib_us = statistics.median(nnlib_times) * per_epoch
    print(f"seed-style loop: {seed_us:6.1f} us per epoch (median of {args.repeats})")
    print(f"nnlib.train:     {nnlib_us:6.1f} us per epoch (median of {args.repeats})")
    print(f"ratio nnlib / seed-style: {nnlib_us / seed_us:.2f} (target: at most 0.60)")


if __name__ == "__main__":
    main()
