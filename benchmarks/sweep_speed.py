"""Time the learning-rate sweep: many networks trained as one stacked computation.

Prints microseconds per network-epoch (one network trained for one epoch)
for `nnlib.course.sweep.train_many`

- on the seed problem: 64 learning rates, 4 hidden units, 10,000 epochs,
  in one call and in chunks of 500 epochs (as the dashboard runs it), next
  to 64 separate `nnlib.train` runs and the share of the sigmoid;
- on moons (100 samples), 64 learning rates, 8 to 64 hidden units,
  as the dashboard runs it there;
- on spirals (100 samples), 64 learning rates, a deeper network (3 hidden
  layers of 16 units by default: --depth, --width) for each hidden
  activation named (--activations, sigmoid and relu by default), next to
  64 separate `nnlib.train` runs of the same network, and the speed-up;

and the sigmoid's candidate forms, per call with `out=` buffers, on the
arrays the training loops hand it. Runs are interleaved; each figure is
the median of the repeats, with the best in brackets (the machine may be
shared: the best is the least disturbed run).

    python -m benchmarks.sweep_speed [--networks 64] [--epochs 10000] [--repeats 5]
                                  [--moons-epochs 1000] [--skip-moons] [--skip-sigmoids]
                                  [--depth 3] [--width 16] [--activations sigmoid,relu]
                                  [--deep-epochs 300] [--skip-deep] [--skip-seed]
"""

import argparse
import os
import statistics
import time

import numpy as np

import nnlib
from nnlib.activations import _sigmoid_into
from nnlib.course.sweep import SweepRun, learning_rate_grid, train_many


def seconds(function, *args, **kwargs):
    """Wall-clock seconds of one call."""
    start = time.perf_counter()
    function(*args, **kwargs)
    return time.perf_counter() - start


def in_chunks(X, y, rates, hidden_size, epochs, chunk):
    """`SweepRun` trained `chunk` epochs at a time, as the dashboard does."""
    run = SweepRun(X, y, rates, hidden_size)
    while run.epochs_done < epochs:
        run.train(min(chunk, epochs - run.epochs_done))


def sweep_sigmoids(K, N, H, M, epochs):
    """The sigmoids of `train_many`, as its loop runs them, on arrays of its shapes.

    The sweep keeps W1 / 2 and W2 / 4, so its products come out as z / 2
    and its sigmoids are tanh, + 1 (hidden layer, kept as 2 A1) and
    tanh, + 1, * 0.5 (output layer): see nnlib/course/sweep.py.
    """
    rng = np.random.default_rng(0)
    Z1, A1 = rng.normal(size=(H, K, N)), np.empty((H, K, N))  # (H, K, N)
    Z2, A2 = rng.normal(size=(K, N, M)), np.empty((K, N, M))  # (K, N, M)
    for _ in range(epochs):
        np.tanh(Z1, out=A1)
        A1 += 1.0
        np.tanh(Z2, out=A2)
        A2 += 1.0
        A2 *= 0.5


def median_and_best(times):
    """'0.47 (0.46)': the median of `times`, and the best in brackets."""
    return f"{statistics.median(times):6.3f} ({min(times):.3f})"


def seed_figures(args):
    """Seed problem: stacked, chunked, one by one, and the sigmoids' share."""
    X, y = nnlib.seed_data()
    K, (N, D), M, H = args.networks, X.shape, y.shape[1], 4
    rates = learning_rate_grid(1e-3, 1e2, K)
    per_million = 1e6 / (K * args.epochs)  # seconds -> us per network-epoch
    stacked, chunked, one_by_one, sigmoid = [], [], [], []
    for _ in range(args.repeats):
        stacked.append(seconds(train_many, X, y, rates, H, args.epochs) * per_million)
        chunked.append(seconds(in_chunks, X, y, rates, H, args.epochs, 500) * per_million)
        one_by_one.append(sum(seconds(nnlib.train, X, y, H, rate, args.epochs // 10) for rate in rates)
                          * 10 * per_million)
        sigmoid.append(seconds(sweep_sigmoids, K, N, H, M, args.epochs) * per_million)
    print(f"Seed problem (N={N}, D={D}, H={H}, M={M}), {K} learning rates x {args.epochs} epochs, "
          f"us per network-epoch, median (best) of {args.repeats}:")
    print(f"  train_many, one call:         {median_and_best(stacked)}   (target: at most 0.5)")
    print(f"  SweepRun, chunks of 500:      {median_and_best(chunked)}")
    print(f"    of which the sigmoids:      {median_and_best(sigmoid)}")
    print(f"  nnlib.train, one by one:      {median_and_best(one_by_one)}   "
          f"(each run {args.epochs // 10} epochs)")
    print(f"  speed-up of stacking:         {statistics.median(one_by_one) / statistics.median(stacked):.0f}x")


def moons_figures(args):
    """Moons (100 samples): the dashboard's sweep there, for several hidden sizes."""
    X, y = nnlib.moons()
    K = args.networks
    rates = learning_rate_grid(1e-3, 1e2, K)
    per_million = 1e6 / (K * args.moons_epochs)
    print(f"Moons (N={X.shape[0]}), {K} learning rates x {args.moons_epochs} epochs, "
          f"us per network-epoch, median (best) of {args.repeats}:")
    for H in (8, 16, 32, 64):
        times = [seconds(train_many, X, y, rates, H, args.moons_epochs) * per_million
                 for _ in range(args.repeats)]
        print(f"  H = {H:2d}: {median_and_best(times)}")


def deep_figures(args):
    """Spirals: the sweep of a deeper network, per hidden activation, against separate train runs."""
    X, y = nnlib.spirals()
    K, widths, epochs = args.networks, [args.width] * args.depth, args.deep_epochs
    rates = learning_rate_grid(1e-3, 1e1, K)
    per_million = 1e6 / (K * epochs)  # seconds -> us per network-epoch
    print(f"Spirals (N={X.shape[0]}), {args.depth} hidden layers of {args.width} units, {K} learning rates x "
          f"{epochs} epochs, us per network-epoch, median (best) of {args.repeats}:")
    for activation in args.activations.split(","):
        settings = dict(hidden_size=widths, epochs=epochs, loss="bce", activation=activation)
        # Same numbers from both, or the comparison means nothing (rows of a diverged network: inf).
        swept = train_many(X, y, rates, **settings)
        alone = np.array([nnlib.train(X, y, learning_rate=rate, **settings).losses
                          if np.isfinite(swept[k]).all() else swept[k] for k, rate in enumerate(rates)])
        stacked, one_by_one = [], []
        for _ in range(args.repeats):  # interleaved
            stacked.append(seconds(train_many, X, y, rates, **settings) * per_million)
            one_by_one.append(sum(seconds(nnlib.train, X, y, learning_rate=rate, **settings) for rate in rates)
                              * per_million)
        print(f"  {activation}: largest difference between the two, {np.max(np.abs(swept - alone)):.1e}")
        print(f"    train_many, one call:       {median_and_best(stacked)}")
        print(f"    nnlib.train, one by one:    {median_and_best(one_by_one)}")
        print(f"    speed-up of stacking:       "
              f"{statistics.median(one_by_one) / statistics.median(stacked):.1f}x")


def logaddexp_form(z, out):
    """exp(-logaddexp(0, -z)): never overflows (nnlib's sigmoid before it used tanh)."""
    np.negative(z, out=out)
    np.logaddexp(0, out, out=out)
    np.negative(out, out=out)
    return np.exp(out, out=out)


def textbook_form(z, out):
    """1 / (1 + exp(-z)): exp overflows for z below about -709, silenced."""
    with np.errstate(over="ignore"):  # 1 / (1 + inf) = 0 is the right limit
        np.negative(z, out=out)
        np.exp(out, out=out)
    out += 1.0
    return np.reciprocal(out, out=out)


def sigmoid_forms(args):
    """Each candidate form of the sigmoid, per call, on the arrays the loops use."""
    forms = {"0.5 tanh(z/2) + 0.5 (nnlib)": _sigmoid_into,
             "exp(-logaddexp(0, -z))": logaddexp_form,
             "1/(1+exp(-z)), errstate": textbook_form}
    shapes = {"(4, 4)    train, seed": (4, 4),
              "(4, 64, 4) sweep, seed": (4, 64, 4),
              "(64, 4, 8)": (64, 4, 8),
              "(100, 64) train, moons H=64": (100, 64),
              "(64, 100, 16) sweep, moons H=16": (64, 100, 16),
              "(64, 200, 16)": (64, 200, 16)}
    rng = np.random.default_rng(0)
    print(f"Sigmoid forms, us per call with out= (median (best) of {args.repeats} rounds):")
    print("  " + " " * 32 + "".join(f"{name:>30s}" for name in forms))
    for label, shape in shapes.items():
        z, out = rng.normal(scale=5, size=shape), np.empty(shape)
        calls = max(20, 200_000 // z.size)
        times = {name: [] for name in forms}
        for _ in range(args.repeats):
            for name, form in forms.items():  # interleaved
                times[name].append(seconds(lambda: [form(z, out) for _ in range(calls)]) / calls * 1e6)
        print(f"  {label:32s}" + "".join(f"{median_and_best(t):>30s}" for t in times.values()))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--networks", type=int, default=64)
    parser.add_argument("--epochs", type=int, default=10000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--moons-epochs", type=int, default=1000)
    parser.add_argument("--skip-moons", action="store_true")
    parser.add_argument("--skip-sigmoids", action="store_true")
    parser.add_argument("--depth", type=int, default=3)
    parser.add_argument("--width", type=int, default=16)
    parser.add_argument("--activations", default="sigmoid,relu")
    parser.add_argument("--deep-epochs", type=int, default=300)
    parser.add_argument("--skip-deep", action="store_true")
    parser.add_argument("--skip-seed", action="store_true")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    if not args.skip_seed:
        seed_figures(args)
    if not args.skip_moons:
        moons_figures(args)
    if not args.skip_deep:
        deep_figures(args)
    if not args.skip_sigmoids:
        sigmoid_forms(args)


if __name__ == "__main__":
    main()
