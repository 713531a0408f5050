"""A student's own data in the dashboard, and the points clicked onto the plane.

    dashboard(X=X, y=labels)       # labels 0, 1, 2, ... one per row of X
    dashboard(X=X, y=one_hot)      # or one-hot targets, one column per class

`own_data(X, y)` checks what was given and says, naming the argument,
what is wrong: the shape, a value that is not a finite number, labels that
are not class numbers, a single class, more points than a live picture
can redraw ten times a second. `clicked_points` checks the points a
student adds by clicking. Shape letters: N samples, D inputs, M classes,
P clicked points.
"""

import hashlib

import numpy as np

from ... import _validate

OWN = "own"  # the dataset name of data given as X and y
MAX_POINTS = 1000  # training points the live picture redraws at ten frames a second
MAX_INPUTS = 100  # inputs per sample the network diagram can show
MAX_CLICKED = 200  # points a student may add by clicking


class OwnData:
    """X (N, D) and one-hot targets y (N, M), checked and read-only, compared by their numbers.

    Attributes
    ----------
    X, y : ndarray
        The inputs and the one-hot targets.
    labels : bool
        Whether y was given as labels (the code the dashboard prints turns them one-hot).
    given : ndarray
        y as it was given (labels or one-hot), for `dashboard(**state)`.
    """

    def __init__(self, X, y, labels, given):
        self.X, self.y, self.labels, self.given = X, y, labels, given
        for array in (X, y, given):
            array.flags.writeable = False
        self.key = hashlib.sha1(X.tobytes() + y.tobytes() + str(X.shape).encode()).hexdigest()

    def __eq__(self, other):
        return isinstance(other, OwnData) and self.key == other.key

    def __hash__(self):
        return hash(self.key)

    def __repr__(self):
        return f"OwnData(X {self.X.shape}, y {self.y.shape})"

    def shape_text(self):
        """How the settings' one-line summary names the data: "your X (150, 4)"."""
        return f"your X {self.X.shape}"

    def code(self):
        """The lines that make X_train and y_train from the student's X and y."""
        if self.labels:
            return [f"X_train, y_train = X, nnlib.one_hot(y, classes={self.y.shape[1]})  # your data"]
        return ["X_train, y_train = X, y  # your data"]


def own_data(X, y):
    """Check a student's X and y for the dashboard, and return them as `OwnData`.

    Parameters
    ----------
    X : (N, D) array_like
        One row of finite numbers per sample; at most MAX_POINTS rows.
    y : (N,) array_like of class numbers 0, 1, ..., or (N, M) one-hot rows
        At least two classes must occur; at most 10 classes.

    Raises
    ------
    ValueError, TypeError
        Naming X or y and what is wrong with it.
    """
    X = _validate.matrix("X", X)
    if X.shape[1] > MAX_INPUTS:
        raise ValueError(f"X has {X.shape[1]} columns (inputs per sample); the dashboard draws at most "
                         f"{MAX_INPUTS}; got shape {X.shape}")
    given = _validate.float_array("y", y)
    if given.ndim == 1:
        if given.size == 0:
            raise ValueError(f"y must not be empty; got shape {given.shape}")
        finite = np.isfinite(given)
        classes = int(given[finite].max()) + 1 if finite.any() and given[finite].max() >= 0 else 2
        try:
            labels, classes = _validate.one_hot_args(given, max(2, min(classes, _validate.MAX_CLASSES)))
        except ValueError as error:  # its message names `labels`: here they are y
            raise ValueError(str(error).replace("labels", "y") + " (y as labels: one class number per row of X; "
                             f"the dashboard draws at most {_validate.MAX_CLASSES} classes)") from None
        targets = np.eye(classes)[labels]  # (N, M) one-hot
    elif given.ndim == 2:
        targets = _validate.targets("y", given)
        if targets.shape[1] < 2 or not np.all((targets == 0) | (targets == 1)) or not np.all(targets.sum(axis=1) == 1):
            raise ValueError(f"y must be class labels (N,) or one-hot rows (N, M) with M >= 2, a single 1 in "
                             f"each row; got shape {targets.shape}" + first_not_one_hot(targets))
        if targets.shape[1] > _validate.MAX_CLASSES:
            raise ValueError(f"y has {targets.shape[1]} classes; the dashboard draws at most "
                             f"{_validate.MAX_CLASSES}; got shape {targets.shape}")
    else:
        raise ValueError(f"y must be class labels (N,) or one-hot rows (N, M); got shape {given.shape}")
    if len(targets) != len(X):
        raise ValueError(f"X and y must have one row per sample; X has {len(X)} rows (shape {X.shape}) "
                         f"but y has {len(targets)} (shape {given.shape})")
    present = np.flatnonzero(targets.sum(axis=0))  # the classes that occur
    if len(present) < 2:
        raise ValueError(f"y holds a single class (every sample is class {present[0]}): "
                         "a classifier needs samples of at least two classes")
    if len(X) > MAX_POINTS:
        raise ValueError(f"X has {len(X):,} samples; the live picture redraws at most {MAX_POINTS:,} "
                         "(take a sample of them, such as X[:1000] and y[:1000])")
    return OwnData(X, targets, given.ndim == 1, given)


def first_not_one_hot(targets):
    """Where one-hot rows (N, M) go wrong: " (row 3 is [0.5, 0.5])", or "" when only M is."""
    wrong = ~(np.all((targets == 0) | (targets == 1), axis=1) & (targets.sum(axis=1) == 1))
    if not wrong.any():
        return ""
    row = int(np.argmax(wrong))
    return f" (row {row} is {[float(v) for v in targets[row]]})"


def clicked_points(points, inputs, classes, count):
    """The clicked points, checked: a tuple of (x0, x1, class), x0 and x1 floats, class an int.

    Parameters
    ----------
    points : sequence of (x0, x1, class)
        Points on the plane and the class each belongs to.
    inputs, classes, count : int
        The data's inputs per sample (points need 2), classes and training points.
    """
    if not isinstance(points, (list, tuple)):
        raise TypeError(f"points must be a list of (x0, x1, class) triples; got {_validate.describe(points)}")
    if points and inputs != 2:
        raise ValueError(f"points are clicked on the plane, for data with 2 inputs; this data has {inputs}")
    if len(points) > MAX_CLICKED:
        raise ValueError(f"points holds {len(points)} points; the dashboard takes at most {MAX_CLICKED} clicked points")
    if count + len(points) > MAX_POINTS:
        raise ValueError(f"points would make {count + len(points):,} training points; the live picture "
                         f"redraws at most {MAX_POINTS:,}")
    checked = []
    for i, point in enumerate(points):
        if not isinstance(point, (list, tuple)) or len(point) != 3:
            raise ValueError(f"points[{i}] must be (x0, x1, class); got {_validate.describe(point)}")
        x0, x1 = (_validate.real(f"points[{i}][{j}]", point[j], -_validate.MAX_MAGNITUDE, _validate.MAX_MAGNITUDE)
                  for j in range(2))
        label = _validate.whole_number(f"points[{i}][2]", point[2])
        if not 0 <= label < classes:
            raise ValueError(f"points[{i}][2] must be a class from 0 to {classes - 1}; got {label}")
        checked.append((float(x0), float(x1), label))
    return tuple(checked)
