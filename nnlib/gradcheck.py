"""Gradient checking: compare a backward pass with finite differences.

For one parameter entry w, the central difference

    (L(w + h) - L(w - h)) / (2 h)

approaches dL/dw with an error of order h^2. A backward pass whose gradient
disagrees with it, entry by entry, is wrong, whatever the loss curve looks
like.

`gradient_errors` gives the relative error of every entry
(`relative_error_per_entry`), so that a failing check also says where to
look; `gradient_check` gives the largest of them: one judgement, the same
numbers, whether read as a map or as one number. (`relative_error`, which
compares whole arrays, is the measure notebook 06 starts with.)

Finite differences cost two forward passes per parameter entry, each over
all N samples: `numerical_gradient` refuses more than MAX_WORK
multiply-adds in all, with a message, rather than run for an hour.

The functions work on copies: the caller's parameters are never changed,
not even for a moment, so stopping a check half-way (Ctrl-C) loses nothing.

They check networks of any depth (W1, b1, ..., W{L+1}, b{L+1}), any hidden
activation (`activation=`) and any loss: the loss's output layer (the
softmax for 'cce') is the one the finite differences run.

ReLU has a kink at 0: a finite difference across it (an entry whose z is
closer to 0 than h moves it) measures the average of the two slopes, not
either one, so check a ReLU network where no z lies within about 1e-4 of 0.
"""

from dataclasses import dataclass

import numpy as np

from . import _validate, network
from .activations import ACTIVATIONS
from .losses import LOSSES
from .network import backward as exact_backward
from .network import forward

PASS_LINE = 1e-7  # the notebooks' pass line: a relative error below it means the backward pass is right
# The floor of the per-entry relative error (see `relative_error_per_entry`).
# A finite difference with h = 1e-5 is itself off by about 1e-11 (rounding
# in the two losses, divided by 2h, plus an error of order h^2), so two
# gradients that agree can differ by that much however small they are.
# Dividing by at least 1e-3 keeps such a difference near 1e-8, below the
# notebooks' pass line of 1e-7: a difference under 1e-10 never counts.
ENTRY_FLOOR = 1e-3
# Below this size a numerical gradient is too close to its own error (about
# 1e-11) for the ratio analytic / numerical to mean anything.
RATIO_FLOOR = 1e-9
# The most work a numerical gradient may take: 2 forward passes per parameter
# entry, each about N (D H + H M + H + M) multiply-adds for one hidden layer
# (N times the sum over layers of H_{l-1} H_l + H_l for more). 1e9 of them take
# seconds (about 10 s on the 2-core machines this was written on); the
# 9,602 weights of a 3-1600-2 network on 6,000 samples would take 1.1e12.
MAX_WORK = 1_000_000_000


def numerical_gradient(params, X, y, loss="mse", h=1e-5, activation=None):
    """Central finite differences of the loss for every parameter entry.

    dL/dw is approximately (L(w + h) - L(w - h)) / (2 h), one entry w at a
    time: two forward passes per parameter entry.

    Parameters
    ----------
    params : dict
        Exactly W1 (D, H), b1 (1, H), W2 (H, M) and b2 (1, M) (or W1, b1,
        ..., W{L+1}, b{L+1} for L hidden layers), at most 10_000 numbers in
        all (each costs two forward passes).
    X : (N, D) array_like
        Inputs. With params, at most MAX_WORK = 1e9 multiply-adds in all
        (see `work`): check a large network on a few samples.
    y : (N, M) array_like
        Targets, each from 0 to 1 (one-hot rows for 'cce').
    loss : {'mse', 'bce', 'cce'}
        Mean squared error, binary or categorical cross-entropy.
    h : float
        The step, from 1e-10 to 0.1.
    activation : {'sigmoid', 'tanh', 'relu', 'leaky_relu'}, optional
        The hidden layers' activation; the sigmoid if not given.

    Returns
    -------
    dict
        The estimates of dW1, db1, ..., each the shape of its parameter.
    """
    params, X, y, loss, h, hidden = _validate.gradient_args(params, X, y, loss, h, LOSSES, activation,
                                                            ACTIVATIONS, network.HIDDEN)  # copies
    refuse_long_work(params, X)
    grads = {}
    for name, value in params.items():
        grad = np.zeros_like(value)  # same shape as the parameter
        for index in np.ndindex(value.shape):
            original = value[index]
            value[index] = original + h
            loss_plus = loss_at(params, X, y, loss, activation)  # L(w + h)
            value[index] = original - h
            loss_minus = loss_at(params, X, y, loss, activation)  # L(w - h)
            value[index] = original
            grad[index] = (loss_plus - loss_minus) / (2 * h)
        grads["d" + name] = grad
    return grads


def work(params, X):
    """Multiply-adds of a numerical gradient: 2 forward passes per entry, N (D H + H M + H + M) each.

    For L hidden layers a forward pass takes N times the sum, over the
    layers, of H_{l-1} H_l + H_l (the weights and biases of each).

    Parameters
    ----------
    params : dict
        W1 (D, H), b1 (1, H), W2 (H, M), b2 (1, M), or W1, b1, ..., W{L+1}, b{L+1}.
    X : (N, D) ndarray

    Returns
    -------
    int
    """
    entries = sum(value.size for value in params.values())  # D H + H + H M + M for one hidden layer
    return 2 * entries * len(X) * entries


def refuse_long_work(params, X):
    """Raise ValueError if a numerical gradient of params on X would take more than MAX_WORK multiply-adds."""
    needed = work(params, X)
    if needed > MAX_WORK:
        entries = sum(value.size for value in params.values())
        raise ValueError(
            f"a numerical gradient of these {entries:_} parameter entries on {len(X):_} samples takes "
            f"{2 * entries:_} forward passes, {needed:.2g} multiply-adds in all; this course allows at most "
            f"{MAX_WORK:.0e} (seconds, not hours): check the gradient on a few samples, such as X[:10] and "
            "y[:10], or on a smaller network")


def loss_at(params, X, y, loss, activation=None):
    """The value of `loss` (a `Loss` of losses.py) for the outputs of `params` on X.

    Parameters
    ----------
    params : dict
        W1, b1, W2 and b2 (or more layers').
    X : (N, D) ndarray
        Inputs.
    y : (N, M) ndarray
        Targets.
    loss : Loss
        From `nnlib.losses.LOSSES`; its output layer's activation is used.
    activation : str, optional
        The hidden layers' activation's name; the sigmoid if None.

    Returns
    -------
    float
        L at these parameters.
    """
    A, _ = forward(params, X, activation, loss.output.name)  # (N, M)
    return float(loss.value(A, y, A - y))


def relative_error(a, b):
    """||a - b|| / max(||a|| + ||b||, 1e-8): 0 when equal, 1 when opposite.

    The floor of 1e-8 keeps a gradient that is zero (or nearly) from
    dividing by zero; then the measure becomes an absolute difference.

    Both are divided by their largest entry first, which changes nothing
    in the ratio but keeps the squares inside the norms from overflowing.

    Parameters
    ----------
    a : array_like
        Any shape; finite numbers.
    b : array_like
        The shape of a; finite numbers.

    Returns
    -------
    float
        From 0 to 1.

    Examples
    --------
    >>> relative_error([1.0, 2.0], [1.0, 2.0])
    0.0
    >>> relative_error([1.0], [-1.0])
    1.0
    """
    a, b = _validate.relative_error_args(a, b)
    scale = max(np.abs(a).max(initial=0), np.abs(b).max(initial=0), 1e-300)  # largest entry
    a, b = a / scale, b / scale  # so that no square inside a norm can overflow
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), 1e-8 / scale))


def relative_error_per_entry(a, b):
    """|a - b| / max(|a| + |b|, 1e-3), entry by entry: 0 where equal, 1 where opposite.

    The relative error of each entry on its own, so that a map can show
    where two gradients differ. The floor ENTRY_FLOOR = 1e-3 stands for the
    finite differences' own error of about 1e-11: where both entries are
    smaller than it, the measure becomes their absolute difference divided
    by 1e-3, and a difference below 1e-10 stays below the pass line 1e-7.
    (`relative_error` compares whole arrays, whose norms are rarely that
    small, and uses a floor of 1e-8 only against dividing by zero.)

    Both are halved first, which changes nothing in the ratio but keeps
    |a| + |b| from overflowing.

    Parameters
    ----------
    a : array_like
        Any shape; finite numbers.
    b : array_like
        The shape of a; finite numbers.

    Returns
    -------
    ndarray
        The shape of a, each entry from 0 to 1.

    Examples
    --------
    >>> relative_error_per_entry([0.5, 0.002, 1e-6], [0.5, 0.001, 2e-6])
    array([0.        , 0.33333333, 0.001     ])
    """
    a, b = _validate.relative_error_args(a, b)
    half_a, half_b = a / 2, b / 2  # so that |a| + |b| cannot overflow
    return np.abs(half_a - half_b) / np.maximum(np.abs(half_a) + np.abs(half_b), ENTRY_FLOOR / 2)


def gradient_errors(params, X, y, loss="mse", backward=exact_backward, activation=None):
    """Compare a backward pass with finite differences, entry by entry.

    Parameters
    ----------
    params : dict
        Exactly W1 (D, H), b1 (1, H), W2 (H, M) and b2 (1, M) (or W1, b1,
        ..., W{L+1}, b{L+1} for L hidden layers), at most 10_000 numbers in
        all (each costs two forward passes).
    X : (N, D) array_like
        Inputs; with params, at most MAX_WORK multiply-adds (see `work`).
    y : (N, M) array_like
        Targets, each from 0 to 1 (one-hot rows for 'cce').
    loss : {'mse', 'bce', 'cce'}
        The loss whose gradient the backward pass should compute.
    backward : function
        The backward pass to test, `nnlib.backward` by default; called as
        `gradient_check` calls it (see there).
    activation : {'sigmoid', 'tanh', 'relu', 'leaky_relu'}, optional
        The hidden layers' activation; the sigmoid if not given.

    Returns
    -------
    dict
        For each of W1, b1, W2 and b2 (and each further layer's W and b) a
        `GradientComparison`: the backward pass's gradient (`analytic`), the
        finite differences' (`numerical`) and `relative_error_per_entry` of
        the two (`relative`), each an array of the parameter's shape.

    Examples
    --------
    >>> from nnlib import init_params, seed_data
    >>> X, y = seed_data()
    >>> errors = gradient_errors(init_params(3, 4, 2), X, y)
    >>> errors["W2"].relative.shape
    (4, 2)
    >>> bool(errors["W2"].relative.max() < 1e-7)
    True
    """
    params, X, y, keywords = _validate.gradient_check_args(params, X, y, loss, backward, LOSSES, activation,
                                                           ACTIVATIONS, network.HIDDEN)
    numeric = numerical_gradient(params, X, y, loss, activation=activation)  # dict of dW1, db1, ...
    _, cache = forward(params, X, activation, LOSSES[loss].output.name)
    copy = {name: value.copy() for name, value in params.items()}  # for backward to keep
    returned = backward(copy, cache, y, **keywords)  # keywords: loss= and activation=, if it takes them
    analytic = _validate.gradients(backward, returned, params)  # dict of dW1, db1, ...
    return {name: GradientComparison(analytic["d" + name], numeric["d" + name],
                                     relative_error_per_entry(analytic["d" + name], numeric["d" + name]))
            for name in params}


def gradient_check(params, X, y, loss="mse", backward=exact_backward, activation=None):
    """Largest relative error, entry by entry, between a backward pass and finite differences.

    The same judgement as `gradient_errors` (its largest `relative`), so a
    check that passes leaves every entry of the map below the pass line.

    Parameters
    ----------
    params : dict
        Exactly W1 (D, H), b1 (1, H), W2 (H, M) and b2 (1, M) (or W1, b1,
        ..., W{L+1}, b{L+1} for L hidden layers), at most 10_000 numbers in
        all (each costs two forward passes).
    X : (N, D) array_like
        Inputs; with params, at most MAX_WORK multiply-adds (see `work`).
    y : (N, M) array_like
        Targets, each from 0 to 1 (one-hot rows for 'cce').
    loss : {'mse', 'bce', 'cce'}
        The loss whose gradient the backward pass should compute.
    backward : function
        The backward pass to test, `nnlib.backward` by default. Either
        backward(params, cache, y), as notebook 06 writes it, or
        backward(params, cache, y, loss=...), which is then told `loss`
        (and `activation=...`, if it takes it and one was named).
        It must return a dict with dW1, db1, dW2 and db2 (and the further
        layers'), each the shape of its parameter; it gets copies, so it
        cannot change the caller's params.
    activation : {'sigmoid', 'tanh', 'relu', 'leaky_relu'}, optional
        The hidden layers' activation; the sigmoid if not given.

    Returns
    -------
    float
        The largest, over every entry of W1, b1, W2 and b2 (and the further
        layers'), of `relative_error_per_entry` between the backward pass's
        gradient and the numerical one, from 0 to 1. Below 1e-7, the
        notebooks' pass line, means the backward pass is right; a bug
        usually shows as 1e-2 or more. `gradient_errors` shows where.

    Notes
    -----
    A saturated network, every sigmoid at 0 or 1 (as after training at a
    learning rate of 1000), has gradients of about 1e-11. Moving one weight
    by h = 1e-5 then changes the loss by less than its own rounding (about
    1e-16), so the finite difference is 0 or one rounding step over 2 h,
    also about 1e-11: as large as the gradient itself. Divided by the two
    gradients' size, a right backward pass would show an error near 1; the
    floor ENTRY_FLOOR = 1e-3 divides such entries by 1e-3 instead, which
    judges them by their absolute difference (below 1e-10: a pass).
    """
    errors = gradient_errors(params, X, y, loss, backward, activation)  # W1, b1, ... -> GradientComparison
    return max(float(error.relative.max(initial=0.0)) for error in errors.values())


@dataclass(frozen=True)
class GradientComparison:
    """One parameter's gradient from a backward pass and from finite differences.

    Attributes
    ----------
    analytic : ndarray
        The backward pass's gradient, the parameter's shape.
    numerical : ndarray
        The finite differences' estimate, the same shape.
    relative : ndarray
        `relative_error_per_entry(analytic, numerical)`, the same shape, each from 0 to 1.
    """

    analytic: np.ndarray
    numerical: np.ndarray
    relative: np.ndarray

    @property
    def ratio(self):
        """analytic / numerical, entry by entry: how many times too long each entry is.

        NaN where the numerical gradient is smaller than RATIO_FLOOR = 1e-9,
        too close to its own error for a ratio to mean anything.
        """
        ratio = np.full(self.numerical.shape, np.nan)  # the parameter's shape
        large = np.abs(self.numerical) >= RATIO_FLOOR
        ratio[large] = self.analytic[large] / self.numerical[large]
        return ratio
