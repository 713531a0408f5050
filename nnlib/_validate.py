"""Checks on what a caller passes in, with messages that say what was wrong.

Every public function of `nnlib` runs its arguments through these checks
first, so a student who passes the wrong thing reads which argument was
wrong and what it looked like, instead of a NumPy broadcasting traceback
or a silent NaN three cells later.

Shape letters: N samples, D inputs, H hidden units, M outputs.
"""

import numbers

import numpy as np

LOSSES = ("mse", "bce")
PARAM_NAMES = ("W1", "b1", "W2", "b2")


def as_matrix(name, value):
    """Return `value` as a finite 2-D float array, or raise naming `name`."""
    try:
        array = np.asarray(value)
    except (ValueError, TypeError) as error:  # ragged nested lists
        raise ValueError(f"{name} must be a 2-D array of numbers; {error}") from None
    if array.dtype.kind not in "biuf":
        raise TypeError(
            f"{name} must hold numbers; got an array of dtype {array.dtype}"
        )
    if array.ndim != 2:
        raise ValueError(
            f"{name} must be a 2-D array (rows are samples); got shape {array.shape}"
        )
    if array.size == 0:
        raise ValueError(f"{name} must not be empty; got shape {array.shape}")
    array = np.asarray(array, dtype=float)
    if not np.all(np.isfinite(array)):
        bad = tuple(int(i) for i in np.argwhere(~np.isfinite(array))[0])
        raise ValueError(
            f"{name} must hold finite numbers; {name}[{bad[0]}, {bad[1]}] is {array[bad]}"
        )
    return array


def check_data(X, y):
    """Return X (N, D) and y (N, M) as float arrays after checking them."""
    X = as_matrix("X", X)
    y = as_matrix("y", y)
    if X.shape[0] != y.shape[0]:
        raise ValueError(
            f"X and y must have one row per sample; X has {X.shape[0]} rows "
            f"(shape {X.shape}) but y has {y.shape[0]} (shape {y.shape})"
        )
    return X, y


def check_positive_int(name, value):
    """Return `value` as an int if it is a whole number >= 1, else raise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a whole number; got {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be at least 1; got {value}")
    return int(value)


def check_seed(value):
    """Return the seed as an int if it is a whole number from 0 to 2**32 - 1."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"seed must be a whole number; got {value!r}")
    if not 0 <= value < 2**32:
        raise ValueError(f"seed must be between 0 and 2**32 - 1; got {value}")
    return int(value)


def check_learning_rate(value):
    """Return the learning rate as a float if it is finite and positive."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"learning_rate must be a number; got {value!r}")
    if not np.isfinite(value) or value <= 0:
        raise ValueError(
            f"learning_rate must be a finite number above 0; got {value}"
        )
    return float(value)


def check_loss(loss):
    """Return the loss name if it is one nnlib knows."""
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {LOSSES}; got {loss!r}")
    return loss


def check_params(params, X=None, y=None):
    """Check that `params` holds W1 (D, H), b1 (1, H), W2 (H, M), b2 (1, M).

    When X (N, D) or y (N, M) is given, also check that it fits the
    parameters. Returns a dict of float arrays.
    """
    if not isinstance(params, dict):
        raise TypeError(
            f"params must be a dict with keys {PARAM_NAMES}; got {type(params).__name__}"
        )
    missing = [key for key in PARAM_NAMES if key not in params]
    if missing:
        raise ValueError(
            f"params is missing {', '.join(missing)}; it needs {PARAM_NAMES}"
        )
    checked = {key: as_matrix(f"params['{key}']", params[key]) for key in PARAM_NAMES}
    D, H = checked["W1"].shape
    M = checked["W2"].shape[1]
    expected = {"W1": (D, H), "b1": (1, H), "W2": (H, M), "b2": (1, M)}
    for key, shape in expected.items():
        if checked[key].shape != shape:
            raise ValueError(
                f"params['{key}'] must have shape {shape} to match "
                f"W1 {checked['W1'].shape} and W2 {checked['W2'].shape}; "
                f"got {checked[key].shape}"
            )
    if X is not None and X.shape[1] != D:
        raise ValueError(
            f"X has {X.shape[1]} columns (shape {X.shape}) but params['W1'] "
            f"expects {D} inputs (shape {checked['W1'].shape})"
        )
    if y is not None and y.shape[1] != M:
        raise ValueError(
            f"y has {y.shape[1]} columns (shape {y.shape}) but the network has "
            f"{M} outputs (params['W2'] has shape {checked['W2'].shape})"
        )
    return checked


def check_cache(cache):
    """Return X, A1 and A2 from the cache that `forward` returned."""
    if not isinstance(cache, dict) or not all(k in cache for k in ("X", "A1", "A2")):
        raise TypeError(
            "cache must be the dict that forward(params, X) returns, "
            f"with keys X, Z1, A1, Z2, A2; got {type(cache).__name__}"
        )
    X = as_matrix("cache['X']", cache["X"])
    A1 = as_matrix("cache['A1']", cache["A1"])
    A2 = as_matrix("cache['A2']", cache["A2"])
    return X, A1, A2
