"""The dashboard's settings as one plain object: it checks, loads, prints as code, restores.

    settings = Settings(dataset="spirals", hidden_size=64, learning_rate=10.0)
    settings.code()             # the nnlib calls that train exactly this network
    dashboard(**settings.state())   # the same dashboard again

Every control of the dashboard is one field here, with its range in
`RANGES` (the sliders are built from it). Moons and spirals (`SAMPLED`)
are `SAMPLES` points drawn at random, with noise, split into a training and
a test set by `test_fraction`; the seed data and XOR have four fixed
samples, no noise and no test set; moons and spirals may have a third
class (`classes`). A student's own data (`own_data.OwnData`) is all used
for training. Points clicked on the plane (`points`) join the training
set. Data with two inputs (XOR, moons, spirals, 2-D data of one's own:
`two_d`) is drawn on the plane.
"""

import dataclasses
import functools

import numpy as np

from ... import _validate, data
from ...activations import ACTIVATIONS
from ...losses import LOSSES
from ..numbers import LOSS_TEXT_CODE
from .own_data import OWN, OwnData, clicked_points

SAMPLES = 200  # points of moons and spirals, before the split
DATA_SEED = 0  # the same points and the same split for every run
SAMPLED = ("moons", "spirals")  # datasets drawn at random: they take noise and a test set
DATASET_LABELS = {"seed": "the seed's 4 samples", "xor": "XOR", "moons": "moons", "spirals": "spirals",
                  OWN: "your data"}  # "your data" only in a dashboard given X and y
CLASS_CHOICES = (2, 3)  # moons and spirals: two classes, or a third (three arms)
SHOWN_DECIMALS = 2  # outputs as the dashboard shows them: equal ones to this many decimals are a tie
RANGES = {  # (low, high, step) of each number a control sets
    "learning_rate": (1e-3, 1e3, None),  # a log slider: each step is 10 ** 0.25
    "layers": (1, 4, 1),
    "hidden_size": (1, 64, 1),  # units in each hidden layer
    "epochs": (100, 20000, 100),
    "seed": (0, 99, 1),
    "noise": (0.0, 0.5, 0.05),
    "test_fraction": (0.0, 0.8, 0.1),
}
LESSON_CHECKS = {  # each number as nnlib's lesson functions check it, with their messages
    "learning_rate": _validate.learning_rate,
    "layers": functools.partial(_validate.positive_int, "layers", limit=_validate.MAX_HIDDEN_LAYERS),
    "hidden_size": lambda value: one_width(value),  # as nnlib.train checks each width
    "epochs": functools.partial(_validate.positive_int, "epochs", limit=_validate.MAX_EPOCHS),
    "seed": _validate.seed,
    "noise": functools.partial(_validate.real, "noise", low=0.0, high=10.0),  # as nnlib.moons
    "test_fraction": functools.partial(_validate.real, "test_fraction", low=0.0, high=1.0),  # nnlib.train_test_split
}


@dataclasses.dataclass(frozen=True)
class Settings:
    """Everything that decides a dashboard's picture.

    Parameters
    ----------
    dataset : {'seed', 'xor', 'moons', 'spirals', 'own'}
        Which data to train on ('own': `own`).
    noise : float
        Moons and spirals: the noise of `nnlib.moons` / `nnlib.spirals`, 0 to 0.5.
    test_fraction : float
        Moons and spirals: the share of the points held out as a test set, 0 to 0.8.
    classes : {2, 3}
        Moons and spirals: how many classes (arms) they have.
    learning_rate, epochs, seed, loss, activation
        As in `nnlib.train`, within `RANGES`.
    layers : int
        Hidden layers, 1 to 4.
    hidden_size : int
        Units in each hidden layer, 1 to 64 (`nnlib.train` gets
        `hidden_size` for one layer, `[hidden_size] * layers` for more).
    sweep : bool
        Whether the learning-rate sweep runs.
    points : tuple of (x0, x1, class)
        Points added to the training set by clicking on the plane.
    own : OwnData, optional
        The student's own data, when the dashboard was given X and y.
    """

    dataset: str = "seed"
    noise: float = 0.1
    test_fraction: float = 0.5
    classes: int = 2
    learning_rate: float = 0.1
    layers: int = 1
    hidden_size: int = 4
    activation: str = "sigmoid"
    epochs: int = 10000
    seed: int = 42
    loss: str = "mse"
    sweep: bool = False
    points: tuple = ()
    own: OwnData = None

    def __post_init__(self):
        """Check every setting as `nnlib.train` and the data functions do, then against the dashboard's range.

        NumPy numbers are taken as the lesson functions take them, and kept
        as plain Python numbers (so the code the dashboard prints reads 8, not np.int64(8)).
        """
        if not isinstance(self.dataset, str) or self.dataset not in DATASET_LABELS:
            names = ", ".join(map(repr, DATASET_LABELS))
            raise ValueError(f"dataset must be one of {{{names}}}; got {_validate.describe(self.dataset)}")
        if (self.dataset == OWN) != (self.own is not None):
            raise ValueError(f"dataset={OWN!r} goes with data of your own: pass X and y (and no dataset); "
                             f"got dataset={self.dataset!r}" + (" and X, y" if self.own is not None else " without X, y"))
        _validate.choice("loss", self.loss, LOSSES)
        _validate.choice("activation", self.activation, ACTIVATIONS)
        if not isinstance(self.sweep, (bool, np.bool_)):
            raise TypeError(f"sweep must be True or False; got {_validate.describe(self.sweep)}")
        object.__setattr__(self, "sweep", bool(self.sweep))
        for name, check in LESSON_CHECKS.items():
            object.__setattr__(self, name, in_range(name, check(getattr(self, name))))
        classes = _validate.whole_number("classes", self.classes)
        if classes not in CLASS_CHOICES:
            raise ValueError(f"classes must be 2 or 3 in the dashboard (moons and spirals); got {classes}")
        if classes != 2 and self.dataset not in SAMPLED:
            raise ValueError(f"classes=3 is for moons and spirals; got classes={classes} with dataset={self.dataset!r}")
        object.__setattr__(self, "classes", classes)
        X, y, _, _ = self.data(with_points=False)
        object.__setattr__(self, "points", clicked_points(self.points, X.shape[1], y.shape[1], len(X)))

    def state(self):
        """The settings as keyword arguments: `dashboard(**settings.state())` restores them.

        Data of one's own comes back as X and y (the training arrays as
        given); settings that are at their defaults and mean nothing for
        the data (classes, points) are left out.
        """
        state = {field.name: getattr(self, field.name) for field in dataclasses.fields(self)}
        own = state.pop("own")
        if own is not None:
            del state["dataset"]
            state["X"], state["y"] = own.X, own.y
        if not self.points:
            del state["points"]
        return state

    def replace(self, **changes):
        """A copy with some settings changed (and checked)."""
        return dataclasses.replace(self, **changes)

    def widths(self):
        """`hidden_size` as `nnlib.train` takes it: the width for one layer, a list of widths for more."""
        return self.hidden_size if self.layers == 1 else [self.hidden_size] * self.layers

    def train_args(self):
        """The keyword arguments of `nnlib.train` (and of `train_many`, without the rate)."""
        return {"hidden_size": self.widths(), "learning_rate": self.learning_rate,
                "seed": self.seed, "loss": self.loss, "activation": self.activation}

    def data(self, with_points=True):
        """X_train (N, D), y_train (N, M), X_test (T, D), y_test (T, M); T = 0 without a test set.

        The clicked `points` are the last rows of the training set (unless `with_points` is False).
        """
        if self.own is not None:
            arrays = self.own.X, self.own.y, self.own.X[:0], self.own.y[:0]
        else:
            arrays = load(self.dataset, self.noise, self.test_fraction, self.classes)
        if with_points and self.points:
            arrays = with_clicked(arrays, self.points)
        return arrays

    def same_data(self, other):
        """Whether two runs' losses can be compared: the same points, split and loss."""
        return other is not None and (self.dataset, self.loss, self.data_key()) == \
            (other.dataset, other.loss, other.data_key())

    def data_key(self):
        """What the data depends on: noise, test share and classes matter only for moons and spirals."""
        key = (self.noise, self.test_fraction, self.classes) if self.dataset in SAMPLED else ()
        return key + (self.points, self.own)

    def two_d(self):
        """Whether the data has two inputs, so that the picture draws it on the plane."""
        return self.data(with_points=False)[0].shape[1] == 2

    def has_test_set(self):
        """Whether some points are held out as a test set."""
        return self.dataset in SAMPLED and self.test_fraction > 0

    def network_text(self):
        """The network in words: "1 hidden layer of 4 sigmoid units", "3 hidden layers of 16 ReLU units"."""
        layers = f"{self.layers} hidden layer{'s' * (self.layers > 1)}"
        return f"{layers} of {self.hidden_size} {ACTIVATIONS[self.activation].display_name} unit{'s' * (self.hidden_size > 1)}"

    def describe(self):
        """One line naming the settings, e.g. "Dashboard(dataset='seed', learning_rate=2, ..., seed=42)".

        The learning rate is written as its slider's readout shows it.
        """
        parts = [f"dataset={self.dataset!r}" if self.own is None else f"X={self.own.shape_text()}"]
        if self.dataset in SAMPLED:
            parts += [f"noise={self.noise!r}", f"test_fraction={self.test_fraction!r}"]
            parts += [f"classes={self.classes}"] * (self.classes != 2)
        if self.points:
            parts.append(f"{len(self.points)} clicked point{'s' * (len(self.points) > 1)}")
        if self.sweep:
            parts.append("sweep=True")
        parts += [f"learning_rate={self.learning_rate:.3g}"] + [f"layers={self.layers}"] * (self.layers != 1)
        parts += [f"hidden_size={self.hidden_size}"] + [f"activation={self.activation!r}"] * (self.activation != "sigmoid")
        parts += [f"epochs={self.epochs}", f"loss={self.loss!r}", f"seed={self.seed}"]
        return "Dashboard(" + ", ".join(parts) + ")"

    def code(self, epochs=None):
        """The Python that trains exactly the network the dashboard shows, and prints its numbers.

        Parameters
        ----------
        epochs : int, optional
            The epochs trained so far, if not `self.epochs` (a paused or stepped run; 0 after reset).

        Returns
        -------
        str
            Lines that load the data, call `nnlib.train` (or `nnlib.init_params`
            at epoch 0) and print the loss and accuracy the dashboard shows;
            `result.losses` and `result.params` are the dashboard's, digit for digit.
        """
        epochs = self.epochs if epochs is None else epochs
        lines = ["import nnlib", ""]
        if self.own is not None:
            lines += self.own.code()
        elif self.dataset in SAMPLED:
            classes = f", classes={self.classes}" if self.classes != 2 else ""
            lines += [f"X, y = nnlib.{self.dataset}({SAMPLES}, noise={self.noise!r}, seed={DATA_SEED}{classes})",
                      f"X_train, y_train, X_test, y_test = nnlib.train_test_split("
                      f"X, y, test_fraction={self.test_fraction!r}, seed={DATA_SEED})"]
        else:
            lines.append(f"X_train, y_train = nnlib.{data.DATASETS[self.dataset].__name__}()")
        if self.points:
            lines = ["import numpy as np"] + lines + clicked_code(self.points, self.data()[1].shape[1])
        network = f"hidden_size={self.widths()}" + (f", activation={self.activation!r}" if self.activation != "sigmoid" else "")
        how = f", activation={self.activation!r}" * (self.activation != "sigmoid") + \
            f", output={LOSSES[self.loss].output.name!r}" * (LOSSES[self.loss].output.name != "sigmoid")
        if epochs:
            lines += [f"result = nnlib.train(X_train, y_train, {network}, "
                      f"learning_rate={self.learning_rate!r}, epochs={epochs}, seed={self.seed}, loss={self.loss!r})",
                      "params, loss = result.params, result.losses[-1]  # the loss before the last step"]
        else:
            lines += [f"params = nnlib.init_params(X_train.shape[1], {self.widths()}, y_train.shape[1], "
                      f"seed={self.seed}" + f", activation={self.activation!r}" * (self.activation != "sigmoid")
                      + ")  # epoch 0: the starting weights",
                      f"loss = nnlib.{self.loss}_loss(nnlib.predict(params, X_train{how}), y_train)"]
        lines += [f"outputs = nnlib.predict(params, X_train{how}).round({SHOWN_DECIMALS})  # as shown: equal ones tie, "
                  "and a tie is not right",
                  f"loss_text = {LOSS_TEXT_CODE.format(name='loss')}  # 4 decimals, or powers of ten",
                  'print(f"final loss {loss_text}, accuracy {nnlib.accuracy(outputs, y_train):.2f}")']
        if self.has_test_set():
            lines += [f"test_outputs = nnlib.predict(params, X_test{how})",
                      f"test_loss = nnlib.{self.loss}_loss(test_outputs, y_test)",
                      f"test_accuracy = nnlib.accuracy(test_outputs.round({SHOWN_DECIMALS}), y_test)",
                      f"test_loss_text = {LOSS_TEXT_CODE.format(name='test_loss')}",
                      'print(f"test loss {test_loss_text}, test accuracy {test_accuracy:.2f}")']
        return "\n".join(lines)


def one_width(value):
    """`hidden_size` as the width of every hidden layer, checked as `nnlib.train` checks a width (same messages)."""
    if isinstance(value, (list, tuple, np.ndarray)):
        raise TypeError("hidden_size in the settings is the width of every hidden layer, a whole number; "
                        f"got {_validate.describe(value)} (dashboard() takes a list of equal widths)")
    return _validate.layer_widths(value)[0]


def in_range(name, number):
    """`number` if it is within the range of the dashboard's control `name` (`RANGES`), else a ValueError."""
    low, high, _ = RANGES[name]
    if not low <= number <= high:
        raise ValueError(f"{name} must be from {low:g} to {high:g} in the dashboard; got {number:g}")
    return number


def with_clicked(arrays, points):
    """The training arrays with the clicked `points` (x0, x1, class) as their last rows; the test set as it is."""
    X, y, X_test, y_test = arrays
    added = np.array([point[:2] for point in points])  # (P, 2)
    labels = np.eye(y.shape[1])[[point[2] for point in points]]  # (P, M) one-hot
    X, y = np.vstack([X, added]), np.vstack([y, labels])  # (N + P, 2), (N + P, M)
    X.flags.writeable = y.flags.writeable = False
    return X, y, X_test, y_test


def clicked_code(points, classes):
    """The lines that add the clicked points to X_train and y_train, as `with_clicked` does."""
    rows = ", ".join(f"[{x0!r}, {x1!r}]" for x0, x1, _ in points)
    labels = ", ".join(str(label) for _, _, label in points)
    return [f"X_train = np.vstack([X_train, [{rows}]])  # the points you clicked",
            f"y_train = np.vstack([y_train, nnlib.one_hot([{labels}], classes={classes})])  # and their classes"]


@functools.lru_cache(maxsize=16)
def load(dataset, noise, test_fraction, classes=2):
    """The training and test arrays of a dataset, made once per setting (see `Settings.data`)."""
    if dataset not in SAMPLED:
        X, y = data.load(dataset)
        arrays = X, y, X[:0], y[:0]
    else:
        X, y = data.DATASETS[dataset](SAMPLES, noise=noise, seed=DATA_SEED, classes=classes)
        arrays = data.train_test_split(X, y, test_fraction=test_fraction, seed=DATA_SEED)
    for array in arrays:
        array.flags.writeable = False  # shared by every run with these settings
    return arrays
