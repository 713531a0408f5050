"""Small datasets: the seed notebook's four samples, XOR, and two 2-D puzzles.

Every function returns X (N, D) and one-hot targets y (N, 2) as float arrays.
The random ones take a `seed` and draw from their own generator, so they
never touch NumPy's global random state.
"""

import numpy as np

from . import _validate


def seed_data():
    """The seed notebook's dataset: 4 samples, 3 features, 2 one-hot classes.

    The class is the first feature: rows with x0 = 1 are class 0, rows with
    x0 = 0 are class 1. The third feature is always 1, so it acts as a bias.

    Returns
    -------
    X : (4, 3) ndarray
        The inputs.
    y : (4, 2) ndarray
        One-hot classes.
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
    """Turn class numbers into one-hot rows: row n has a 1 in column labels[n].

    Parameters
    ----------
    labels : (N,) array_like
        Whole numbers from 0 to classes - 1 (ints, bools, or floats such as
        2.0); anything else is refused, never wrapped round or rounded.
    classes : int
        The number of classes, at least 1.

    Returns
    -------
    (N, classes) ndarray
        Zeros, with one 1 per row.

    Examples
    --------
    >>> one_hot([1, 0, 2], classes=3)
    array([[0., 1., 0.],
           [1., 0., 0.],
           [0., 0., 1.]])
    """
    labels, classes = _validate.one_hot_args(labels, classes)
    return np.eye(classes)[labels]  # (N, classes)


def xor_data():
    """XOR: the output is 1 when exactly one of the two inputs is 1.

    No straight line separates the classes, so a network needs its hidden
    layer to solve it.

    Returns
    -------
    X : (4, 2) ndarray
        The four corners of the unit square.
    y : (4, 2) ndarray
        One-hot classes: column 1 is "x0 XOR x1".
    """
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)  # (4, 2)
    labels = np.logical_xor(X[:, 0], X[:, 1])  # (4,)
    return X, one_hot(labels)


def moons(n_samples=100, noise=0.1, seed=0):
    """Two interleaving half circles in 2-D, one per class.

    Class 0 lies on the upper arc (cos t, sin t) for t in [0, pi]; class 1 on
    the lower arc (1 - cos t, 0.5 - sin t). Gaussian noise of standard
    deviation `noise` is added to every coordinate.

    Parameters
    ----------
    n_samples : int
        N, from 1 to 1_000_000; the classes alternate, 0, 1, 0, ...
    noise : float
        Standard deviation of the noise, from 0 to 10.
    seed : int
        Seed of the generator, from 0 to 2**32 - 1.

    Returns
    -------
    X : (n_samples, 2) ndarray
        The points.
    y : (n_samples, 2) ndarray
        One-hot classes.
    """
    n_samples, noise, seed, _ = _validate.dataset_args(n_samples, noise, seed)
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

    Parameters
    ----------
    n_samples : int
        N, from 1 to 1_000_000; the classes alternate, 0, 1, 0, ...
    noise : float
        Standard deviation of the noise, from 0 to 10.
    turns : float
        How many times each spiral winds round the centre: above 0, at most 100.
    seed : int
        Seed of the generator, from 0 to 2**32 - 1.

    Returns
    -------
    X : (n_samples, 2) ndarray
        The points, inside roughly [-1, 1] x [-1, 1].
    y : (n_samples, 2) ndarray
        One-hot classes.
    """
    n_samples, noise, seed, turns = _validate.dataset_args(n_samples, noise, seed, turns)
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
    """A dataset by name, with its default settings.

    Parameters
    ----------
    name : {'seed', 'xor', 'moons', 'spirals'}
        Which dataset.

    Returns
    -------
    X : (N, D) ndarray
        The inputs.
    y : (N, 2) ndarray
        One-hot classes.
    """
    return DATASETS[_validate.dataset_name(name, tuple(DATASETS))]()
