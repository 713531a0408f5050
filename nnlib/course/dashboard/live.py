"""Live training for the dashboard: runs that advance a chunk at a time, and a player.

    Run      one network, trained from its starting weights in chunks:
             `nnlib.train(..., epochs=k, params=the weights so far)` again and
             again gives the same numbers, to the last digit, as one long call
    Sweep    the learning-rate sweep, one network per rate, trained in chunks
             by `sweep.SweepRun`, which is as exact
    Chain    the run, then the sweep: work done one piece after the other

Each piece of work has `done()`, `seconds_left()` and `advance_for(seconds,
most)`, which trains about `seconds` (at most `most` epochs) and returns
how many epochs it trained; `player.Player` moves such work forward on the
kernel's event loop. The scores a run reports are of its outputs as the
dashboard shows them, with two decimals (`shown`): a sample whose largest
outputs read the same is a tie, and `nnlib.accuracy` counts no tie as right.
"""

import math
import time

import numpy as np

from ...losses import LOSSES
from ...network import accuracy, predict
from ...params import init_params
from ...training import train
from .settings import RANGES, SHOWN_DECIMALS
from ..sweep import SweepRun, learning_rate_grid

TEST_POINTS = 50  # test losses measured per run
SWEEP_RATES = 64  # networks in the learning-rate sweep


class Run:
    """One network trained on the settings' data, a chunk of epochs at a time.

    Parameters
    ----------
    settings : Settings
        What to train; `settings.epochs` is where the run stops by itself.
    """

    def __init__(self, settings):
        self.settings = settings
        self.X, self.y, self.X_test, self.y_test = settings.data()  # (N, D), (N, M), (T, D), (T, M)
        self.params = None  # the weights after `epoch` updates; None before the first
        self.epoch = 0
        self.chunks = []  # loss arrays, one per chunk
        self.test_epochs, self.test_losses = [], []  # the test loss every `test_every` epochs
        self.test_every = max(1, settings.epochs // TEST_POINTS)
        self.seconds_per_epoch = None  # measured on the last chunk
        self.output = LOSSES[settings.loss].output.name  # the output layer's activation: the loss's

    @property
    def losses(self):
        """(epoch,) ndarray: the training loss before each update so far."""
        if len(self.chunks) > 1:
            self.chunks = [np.concatenate(self.chunks)]
        return self.chunks[0] if self.chunks else np.empty(0)

    def done(self):
        """Whether the run has reached `settings.epochs`."""
        return self.epoch >= self.settings.epochs

    def rewind(self):
        """Back to epoch 0: the starting weights, no losses. Returns the run."""
        settings, M = self.settings, self.y.shape[1]
        self.params = init_params(self.X.shape[1], settings.widths(), M, settings.seed,
                                  activation=settings.activation)  # as `nnlib.train` draws them
        self.epoch, self.chunks, self.test_epochs, self.test_losses = 0, [], [], []
        return self

    def advance(self, epochs):
        """Train `epochs` more epochs (fewer if a test-loss measurement falls in between); returns how many."""
        if self.settings.has_test_set():
            epochs = min(epochs, self.test_every - self.epoch % self.test_every)
        start = time.perf_counter()
        result = train(self.X, self.y, epochs=epochs, params=self.params, **self.settings.train_args())
        self.seconds_per_epoch = (time.perf_counter() - start) / epochs
        self.params = result.params
        self.chunks.append(result.losses)
        self.epoch += epochs
        if self.settings.has_test_set() and self.epoch % self.test_every == 0:
            test_loss = self.test_loss()
            self.test_epochs.append(self.epoch)
            self.test_losses.append(test_loss)
        return epochs

    def seconds_left(self):
        """About how long training to `settings.epochs` will take, from the last chunk's speed."""
        return (self.settings.epochs - self.epoch) * (self.seconds_per_epoch or math.inf)

    def advance_for(self, seconds, most=math.inf):
        """Train for about `seconds` but at most `most` epochs, without passing `settings.epochs`; returns how many."""
        left = min(self.settings.epochs - self.epoch, most)
        return self.advance(chunk_epochs(seconds, self.seconds_per_epoch, left, first=16))

    def step(self, epochs):
        """Train exactly `epochs` more epochs and say what changed, in words."""
        if self.params is None:
            self.rewind()
        start, loss_before, before = self.epoch, self.current_loss(), self.params
        while self.epoch < start + epochs:  # a test-loss measurement may cut a chunk short
            self.advance(start + epochs - self.epoch)
        name, index, change = largest_change(before, self.params)
        return (f"Stepped from epoch {start:,} to {self.epoch:,}: the loss went from {loss_before:.5g} "
                f"to {self.current_loss():.5g}; the weight that moved most is {name}{list(index)}, by {change:+.3g}.")

    def outputs(self, X=None):
        """The network's outputs (N, M) on X (the training inputs by default): its last layer's A."""
        return predict(self.params, self.X if X is None else X, self.settings.activation, self.output)

    def accuracy(self):
        """The share of training samples classified right, their outputs as shown (a tie is not right)."""
        return accuracy(shown(self.outputs()), self.y)

    def ties(self, X=None):
        """How many samples of X (the training inputs by default) have tied outputs, as shown."""
        return int(tied(shown(self.outputs(X))).sum())

    def current_loss(self):
        """The training loss of the weights as they are now (after `epoch` updates)."""
        return loss_of(self.settings.loss, self.outputs(), self.y)

    def test_loss(self):
        """The loss on the test set, computed as `nnlib.train` computes the training loss."""
        return loss_of(self.settings.loss, self.outputs(self.X_test), self.y_test)

    def test_accuracy(self):
        """The share of test samples classified right, their outputs as shown (a tie is not right)."""
        return accuracy(shown(self.outputs(self.X_test)), self.y_test)


def shown(A2):
    """Outputs A2 (N, M) rounded to the SHOWN_DECIMALS the dashboard shows them with."""
    return np.round(A2, SHOWN_DECIMALS)


def tied(A2):
    """(N,) bool: whether each sample's largest outputs are equal, so that it has no class."""
    return (A2 == A2.max(axis=1, keepdims=True)).sum(axis=1) > 1


def loss_of(name, A2, y):
    """The loss `name` of outputs A2 (N, M) against targets y (N, M), as `nnlib.train` computes it."""
    return float(LOSSES[name].value(A2, y, A2 - y))


class Sweep:
    """The learning-rate sweep: SWEEP_RATES networks, one per rate, trained together in chunks.

    Parameters
    ----------
    settings : Settings
        Everything but the learning rate, which the sweep spreads over the slider's range.
    """

    def __init__(self, settings):
        self.settings = settings
        X, y, _, _ = settings.data()
        rates = learning_rate_grid(RANGES["learning_rate"][0], RANGES["learning_rate"][1], SWEEP_RATES)
        self.networks = SweepRun(X, y, rates, settings.widths(), settings.seed, settings.loss,
                                 activation=settings.activation)
        self.rates = self.networks.learning_rates  # (K,)
        self.finals = None  # (K,) each network's loss at its last epoch
        self.seconds_per_epoch = None

    @property
    def epoch(self):
        """Epochs trained so far, by every network."""
        return self.networks.epochs_done

    def done(self):
        """Whether every network has trained `settings.epochs` epochs."""
        return self.epoch >= self.settings.epochs

    def seconds_left(self):
        """About how long training to `settings.epochs` will take."""
        return (self.settings.epochs - self.epoch) * (self.seconds_per_epoch or math.inf)

    def advance_for(self, seconds, most=math.inf):
        """Train every network for about `seconds` in all, at most `most` epochs; returns how many."""
        epochs = chunk_epochs(seconds, self.seconds_per_epoch, min(self.settings.epochs - self.epoch, most), first=4)
        start = time.perf_counter()
        self.finals = self.networks.train(epochs)[:, -1]  # (K,)
        self.seconds_per_epoch = (time.perf_counter() - start) / epochs
        return epochs


def chunk_epochs(seconds, seconds_per_epoch, left, first):
    """How many epochs to train in about `seconds`, at most `left` (rounded down), at least 1.

    With `seconds` infinite, all that are left; before the speed is known
    (`seconds_per_epoch` None), `first` epochs, to measure it.
    """
    if seconds == math.inf:
        return max(1, int(left))
    epochs = first if seconds_per_epoch is None else int(seconds / seconds_per_epoch)
    return max(1, int(min(epochs, left)))


class Chain:
    """Pieces of work done one after the other: the run, then the sweep (if any)."""

    def __init__(self, *works):
        self.works = [work for work in works if work is not None]

    def done(self):
        """Whether every piece is done."""
        return all(work.done() for work in self.works)

    def seconds_left(self):
        """About how long the pieces not done will take."""
        return sum(work.seconds_left() for work in self.works if not work.done())

    def advance_for(self, seconds, most=math.inf):
        """Advance the first piece that is not done (at most `most` epochs); returns how many epochs."""
        return next(work for work in self.works if not work.done()).advance_for(seconds, most)


def largest_change(before, after):
    """The weight that moved most between two parameter dicts: (name, index, change)."""
    name = max(after, key=lambda key: abs(after[key] - before[key]).max())
    difference = after[name] - before[name]
    index = tuple(int(i) for i in divmod(abs(difference).argmax(), difference.shape[1]))
    return name, index, float(difference[index])
