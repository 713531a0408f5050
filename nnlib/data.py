"""Small datasets: the seed notebook's four samples, XOR, and two 2-D puzzles.

Every dataset function returns X (N, D) and one-hot targets y (N, 2) as
float arrays (y (N, classes) for moons and spirals of more classes, such
as three moons or three arms, `classes=3`); `train_test_split` holds some
samples out as a test set.
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


def moons(n_samples=100, noise=0.1, seed=0, classes=2):
    """Two interleaving half circles in 2-D, one per class (or more: three moons for classes=3).

    Class 0 lies on the upper arc (cos t, sin t) for t in [0, pi]; class 1 on
    the lower arc (1 - cos t, 0.5 - sin t). With more classes the chain goes
    on to the right, upper and lower arcs in turn, each 1 further: class 2
    on (2 + cos t, sin t), class 3 on (3 - cos t, 0.5 - sin t), and so on.
    Gaussian noise of standard deviation `noise` is added to every coordinate.

    Parameters
    ----------
    n_samples : int
        N, from 1 to 1_000_000; the classes take turns, 0, 1, 0, ... (0, 1, 2, 0, ... for 3).
    noise : float
        Standard deviation of the noise, from 0 to 10.
    seed : int
        Seed of the generator, from 0 to 2**32 - 1.
    classes : int
        How many moons, from 2 to 10.

    Returns
    -------
    X : (n_samples, 2) ndarray
        The points.
    y : (n_samples, classes) ndarray
        One-hot classes.

    Examples
    --------
    >>> X, y = moons(6, noise=0, classes=3)
    >>> y.argmax(axis=1)
    array([0, 1, 2, 0, 1, 2])
    """
    n_samples, noise, seed, _, classes = _validate.dataset_args(n_samples, noise, seed, classes=classes)
    rng = np.random.default_rng(seed)
    labels = np.arange(n_samples) % classes  # (N,) taking turns 0, 1, ..., classes - 1
    t = rng.uniform(0, np.pi, size=n_samples)  # (N,)
    upper = np.column_stack([np.cos(t), np.sin(t)])  # (N, 2)
    lower = np.column_stack([1 - np.cos(t), 0.5 - np.sin(t)])  # (N, 2)
    X = np.where(labels[:, None] % 2 == 0, upper, lower)  # (N, 2) even classes upper, odd lower
    X[:, 0] += 2 * (labels // 2)  # classes 2 and 3 one pair further right, and so on
    X += rng.normal(0, noise, size=X.shape)
    return X, one_hot(labels, classes)


def spirals(n_samples=100, noise=0.1, turns=1.5, seed=0, classes=2):
    """Two spirals winding around each other in 2-D, one per class (or more arms: classes=3).

    A point at a fraction s (from 0 to 1) of the way along its arm lies at
    angle 2 pi turns s and radius 0.2 + 0.8 s; class c is class 0 turned by
    c / classes of a circle (class 1 by half a circle when there are two).
    Gaussian noise of standard deviation `noise` (in units of the outer
    radius) is added to every coordinate.

    Parameters
    ----------
    n_samples : int
        N, from 1 to 1_000_000; the classes take turns, 0, 1, 0, ... (0, 1, 2, 0, ... for 3).
    noise : float
        Standard deviation of the noise, from 0 to 10.
    turns : float
        How many times each arm winds round the centre: above 0, at most 100.
        Neighbouring arms are 0.8 / (classes turns) apart, so more turns
        (or more arms) need a boundary with more bends, and so more hidden units.
    seed : int
        Seed of the generator, from 0 to 2**32 - 1.
    classes : int
        How many arms, from 2 to 10.

    Returns
    -------
    X : (n_samples, 2) ndarray
        The points, inside roughly [-1, 1] x [-1, 1].
    y : (n_samples, classes) ndarray
        One-hot classes.

    Examples
    --------
    >>> X, y = spirals(300, classes=3)
    >>> X.shape, y.shape
    ((300, 2), (300, 3))
    """
    n_samples, noise, seed, turns, classes = _validate.dataset_args(n_samples, noise, seed, turns, classes)
    rng = np.random.default_rng(seed)
    labels = np.arange(n_samples) % classes  # (N,)
    s = rng.uniform(0, 1, size=n_samples)  # (N,) how far along its arm each point lies
    angle = 2 * np.pi * turns * s + (2 * np.pi / classes) * labels  # (N,) each arm turned by 1 / classes
    radius = 0.2 + 0.8 * s  # (N,) from 0.2 to 1
    X = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])  # (N, 2)
    X += rng.normal(0, noise, size=X.shape)
    return X, one_hot(labels, classes)


def train_test_split(X, y, test_fraction=0.5, seed=0):
    """Hold out a random share of the samples as a test set.

    The network trains on the training set only; its loss on the test set,
    points it never saw, tells whether what it learned holds beyond them.

    Parameters
    ----------
    X : (N, D) array_like
        Inputs, one row per sample.
    y : (N, M) array_like
        Targets, one row per sample.
    test_fraction : float
        The share of the samples held out, from 0 (none) to below 1: at
        least one sample is left for training.
    seed : int
        Seed of the shuffle, from 0 to 2**32 - 1.

    Returns
    -------
    X_train : (N - T, D) ndarray
        The training inputs: all but T = round(test_fraction * N) samples.
    y_train : (N - T, M) ndarray
        Their targets.
    X_test : (T, D) ndarray
        The test inputs, empty (0 rows) when test_fraction is 0.
    y_test : (T, M) ndarray
        Their targets.

    Examples
    --------
    >>> X, y = moons(10)
    >>> X_train, y_train, X_test, y_test = train_test_split(X, y, test_fraction=0.3)
    >>> X_train.shape, X_test.shape
    ((7, 2), (3, 2))
    """
    X, y, test_fraction, seed = _validate.split_args(X, y, test_fraction, seed)
    order = np.random.default_rng(seed).permutation(len(X))  # (N,) the samples shuffled
    test, train = np.split(order, [round(test_fraction * len(X))])
    return X[train], y[train], X[test], y[test]


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
    return _validate.choice("name", name, DATASETS)()
