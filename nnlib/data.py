"""Small datasets: the seed notebook's four samples, XOR, and two 2-D puzzles.

Every function returns X (N, D) and one-hot targets y (N, 2) as float arrays.
The random ones take a `seed` and draw from their own generator, so they
never touch NumPy's global random state.
"""

import numpy as np

from ._validate import check_positive_int


def seed_data():
    """The seed notebook's dataset: 4 samples, 3 features, 2 one-hot classes.

    The class is the first feature: rows with x0 = 1 are class 0, rows with
    x0 = 0 are class 1. The third feature is always 1, so it acts as a bias.

    Returns
    -------
    X : (4, 3) ndarray
    y : (4, 2) ndarray
    """
    X = np.array([[0, 0, 1],
                  [1, 1, 1],
                  [1, 0, 1],
                  [0, 1, 1]], dtype=float)  # (4, 3)
    y = np.array([[0, 1],
                  [1, 0],
                  [1, 0],
                  [0, 1]], dtype=float)  # (4, 2)
    return X, y


def one_hot(labels, classes=2):
    """Turn integer labels (N,) into one-hot rows (N, classes)."""
    labels = np.asarray(labels, dtype=int)
    return np.eye(classes)[labels]  # (N, classes)


def xor_data():
    """XOR: the output is 1 when exactly one of the two inputs is 1.

    No straight line separates the classes, so a network needs its hidden
    layer to solve it.

    Returns
    -------
    X : (4, 2) ndarray
    y : (4, 2) ndarray, column 1 is "x0 XOR x1"
    """
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)  # (4, 2)
    labels = np.logical_xor(X[:, 0], X[:, 1])  # (4,)
    return X, one_hot(labels)


def moons(n_samples=100, noise=0.1, seed=0):
    """Two interleaving half circles in 2-D, one per class.

    Class 0 lies on the upper arc (cos t, sin t) for t in [0, pi]; class 1 on
    the lower arc (1 - cos t, 0.5 - sin t). Gaussian noise of standard
    deviation `noise` is added to every coordinate.

    Returns
    -------
    X : (n_samples, 2) ndarray
    y : (n_samples, 2) ndarray
    """
    n_samples = check_positive_int("n_samples", n_samples)
    rng = np.random.default_rng(seed)
    labels = np.arange(n_samples) % 2  # (N,) alternating 0, 1
    t = rng.uniform(0, np.pi, size=n_samples)  # (N,)
    upper = np.column_stack([np.cos(t), np.sin(t)])  # (N, 2)
    lower = np.column_stack([1 - np.cos(t), 0.5 - np.sin(t)])  # (N, 2)
    X = np.where(labels[:, None] == 0, upper, lower)  # (N, 2)
    X += rng.normal(0, noise, size=X.shape)
    return X, one_hot(labels)


def spirals(n_samples=100, noise=0.1, turns=1.0, seed=0):
    """Two spirals winding around each other in 2-D, one per class.

    A point at angle t lies at radius t / (2 pi turns); class 1 is class 0
    turned by half a circle. Gaussian noise of standard deviation `noise`
    (in units of the outer radius) is added to every coordinate.

    Returns
    -------
    X : (n_samples, 2) ndarray, inside roughly [-1, 1] x [-1, 1]
    y : (n_samples, 2) ndarray
    """
    n_samples = check_positive_int("n_samples", n_samples)
    rng = np.random.default_rng(seed)
    labels = np.arange(n_samples) % 2  # (N,)
    t = rng.uniform(0.25, 1, size=n_samples) * 2 * np.pi * turns  # (N,)
    radius = t / (2 * np.pi * turns)  # (N,) from 0.25 to 1
    angle = t + np.pi * labels  # (N,)
    X = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])  # (N, 2)
    X += rng.normal(0, noise, size=X.shape)
    return X, one_hot(labels)


DATASETS = {"seed": seed_data, "xor": xor_data, "moons": moons, "spirals": spirals}


def load(name):
    """Return (X, y) for a dataset by name: 'seed', 'xor', 'moons' or 'spirals'."""
    if name not in DATASETS:
        raise ValueError(f"name must be one of {tuple(DATASETS)}; got {name!r}")
    return DATASETS[name]()
