"""The dashboard's settings as one plain object: it checks, loads, prints as code, restores.

    settings = Settings(dataset="spirals", hidden_size=64, learning_rate=10.0)
    settings.code()             # the nnlib calls that train exactly this network
    dashboard(**settings.state())   # the same dashboard again

Every control of the dashboard is one field here, with its range in
`RANGES` (the sliders are built from it). Moons and spirals (`SAMPLED`)
are `SAMPLES` points drawn at random, with noise, split into a training and
a test set by `test_fraction`; the seed data and XOR have four fixed
samples, no noise and no test set. Data with two inputs (XOR, moons,
spirals: `two_d`) is drawn on the plane.
"""

import dataclasses
import functools

import numpy as np

from ... import _validate, data
from ...losses import LOSSES
from ..numbers import LOSS_TEXT_CODE

SAMPLES = 200  # points of moons and spirals, before the split
DATA_SEED = 0  # the same points and the same split for every run
SAMPLED = ("moons", "spirals")  # datasets drawn at random: they take noise and a test set
DATASET_LABELS = {"seed": "the seed's 4 samples", "xor": "XOR", "moons": "two moons", "spirals": "two spirals"}
SHOWN_DECIMALS = 2  # outputs as the dashboard shows them: equal ones to this many decimals are a tie
RANGES = {  # (low, high, step) of each number a control sets
    "learning_rate": (1e-3, 1e3, None),  # a log slider: each step is 10 ** 0.25
    "hidden_size": (1, 64, 1),
    "epochs": (100, 20000, 100),
    "seed": (0, 99, 1),
    "noise": (0.0, 0.5, 0.05),
    "test_fraction": (0.0, 0.8, 0.1),
}
LESSON_CHECKS = {  # each number as nnlib's lesson functions check it, with their messages
    "learning_rate": _validate.learning_rate,
    "hidden_size": functools.partial(_validate.positive_int, "hidden_size", limit=_validate.MAX_UNITS),
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
    dataset : {'seed', 'xor', 'moons', 'spirals'}
        Which data to train on.
    noise : float
        Moons and spirals: the noise of `nnlib.moons` / `nnlib.spirals`, 0 to 0.5.
    test_fraction : float
        Moons and spirals: the share of the points held out as a test set, 0 to 0.8.
    learning_rate, hidden_size, epochs, seed, loss
        As in `nnlib.train`, within `RANGES`.
    sweep : bool
        Whether the learning-rate sweep runs.
    """

    dataset: str = "seed"
    noise: float = 0.1
    test_fraction: float = 0.5
    learning_rate: float = 0.1
    hidden_size: int = 4
    epochs: int = 10000
    seed: int = 42
    loss: str = "mse"
    sweep: bool = False

    def __post_init__(self):
        """Check every setting as `nnlib.train` and the data functions do, then against the dashboard's range.

        NumPy numbers are taken as the lesson functions take them, and kept
        as plain Python numbers (so the code the dashboard prints reads 8, not np.int64(8)).
        """
        if not isinstance(self.dataset, str) or self.dataset not in DATASET_LABELS:
            names = ", ".join(map(repr, DATASET_LABELS))
            raise ValueError(f"dataset must be one of {{{names}}}; got {self.dataset!r}")
        _validate.choice("loss", self.loss, LOSSES)
        if not isinstance(self.sweep, (bool, np.bool_)):
            raise TypeError(f"sweep must be True or False; got {_validate.describe(self.sweep)}")
        object.__setattr__(self, "sweep", bool(self.sweep))
        for name, check in LESSON_CHECKS.items():
            object.__setattr__(self, name, in_range(name, check(getattr(self, name))))

    def state(self):
        """The settings as keyword arguments: `dashboard(**settings.state())` restores them."""
        return dataclasses.asdict(self)

    def replace(self, **changes):
        """A copy with some settings changed (and checked)."""
        return dataclasses.replace(self, **changes)

    def train_args(self):
        """The keyword arguments of `nnlib.train` (and of `train_many`, without the rate)."""
        return {"hidden_size": self.hidden_size, "learning_rate": self.learning_rate,
                "seed": self.seed, "loss": self.loss}

    def data(self):
        """X_train (N, D), y_train (N, 2), X_test (T, D), y_test (T, 2); T = 0 without a test set."""
        return load(self.dataset, self.noise, self.test_fraction)

    def same_data(self, other):
        """Whether two runs' losses can be compared: the same points, split and loss."""
        return other is not None and (self.dataset, self.loss, self.data_key()) == \
            (other.dataset, other.loss, other.data_key())

    def data_key(self):
        """What the data depends on: noise and test share matter only for moons and spirals."""
        return (self.noise, self.test_fraction) if self.dataset in SAMPLED else ()

    def two_d(self):
        """Whether the data has two inputs, so that the picture draws it on the plane (XOR, moons, spirals)."""
        return self.data()[0].shape[1] == 2

    def has_test_set(self):
        """Whether some points are held out as a test set."""
        return self.dataset in SAMPLED and self.test_fraction > 0

    def describe(self):
        """One line naming the settings, e.g. "Dashboard(dataset='seed', learning_rate=2, ..., seed=42)".

        The learning rate is written as its slider's readout shows it.
        """
        parts = [f"dataset={self.dataset!r}"]
        if self.dataset in SAMPLED:
            parts += [f"noise={self.noise!r}", f"test_fraction={self.test_fraction!r}"]
        if self.sweep:
            parts.append("sweep=True")
        parts += [f"learning_rate={self.learning_rate:.3g}", f"hidden_size={self.hidden_size}",
                  f"epochs={self.epochs}", f"loss={self.loss!r}", f"seed={self.seed}"]
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
        if self.dataset in SAMPLED:
            lines += [f"X, y = nnlib.{self.dataset}({SAMPLES}, noise={self.noise!r}, seed={DATA_SEED})",
                      f"X_train, y_train, X_test, y_test = nnlib.train_test_split("
                      f"X, y, test_fraction={self.test_fraction!r}, seed={DATA_SEED})"]
        else:
            lines.append(f"X_train, y_train = nnlib.{data.DATASETS[self.dataset].__name__}()")
        if epochs:
            lines += [f"result = nnlib.train(X_train, y_train, hidden_size={self.hidden_size}, "
                      f"learning_rate={self.learning_rate!r}, epochs={epochs}, seed={self.seed}, loss={self.loss!r})",
                      "params, loss = result.params, result.losses[-1]  # the loss before the last step"]
        else:
            lines += [f"params = nnlib.init_params(X_train.shape[1], {self.hidden_size}, y_train.shape[1], "
                      f"seed={self.seed})  # epoch 0: the starting weights",
                      f"loss = nnlib.{self.loss}_loss(nnlib.predict(params, X_train), y_train)"]
        lines += [f"outputs = nnlib.predict(params, X_train).round({SHOWN_DECIMALS})  # as shown: equal ones tie, "
                  "and a tie is not right",
                  f"loss_text = {LOSS_TEXT_CODE.format(name='loss')}  # 4 decimals, or powers of ten",
                  'print(f"final loss {loss_text}, accuracy {nnlib.accuracy(outputs, y_train):.2f}")']
        if self.has_test_set():
            lines += ["test_outputs = nnlib.predict(params, X_test)",
                      f"test_loss = nnlib.{self.loss}_loss(test_outputs, y_test)",
                      f"test_accuracy = nnlib.accuracy(test_outputs.round({SHOWN_DECIMALS}), y_test)",
                      f"test_loss_text = {LOSS_TEXT_CODE.format(name='test_loss')}",
                      'print(f"test loss {test_loss_text}, test accuracy {test_accuracy:.2f}")']
        return "\n".join(lines)


def in_range(name, number):
    """`number` if it is within the range of the dashboard's control `name` (`RANGES`), else a ValueError."""
    low, high, _ = RANGES[name]
    if not low <= number <= high:
        raise ValueError(f"{name} must be from {low:g} to {high:g} in the dashboard; got {number:g}")
    return number


@functools.lru_cache(maxsize=16)
def load(dataset, noise, test_fraction):
    """The training and test arrays of a dataset, made once per setting (see `Settings.data`)."""
    if dataset not in SAMPLED:
        X, y = data.load(dataset)
        arrays = X, y, X[:0], y[:0]
    else:
        X, y = data.DATASETS[dataset](SAMPLES, noise=noise, seed=DATA_SEED)
        arrays = data.train_test_split(X, y, test_fraction=test_fraction, seed=DATA_SEED)
    for array in arrays:
        array.flags.writeable = False  # shared by every run with these settings
    return arrays
