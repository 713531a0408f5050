"""Loss functions: how far the outputs A2 (N, M) are from the targets y (N, M).

(A2 is the output layer's A, whatever the depth: A{L+1} after L hidden
layers, and dL/dZ2 its output error.)

Each loss lives here and nowhere else. For each one this module holds

    its value          L, a mean over all N * M elements, so that its size
                       does not grow with the number of samples
    its output error   dL/dZ2 (N, M), the gradient with respect to the output
                       layer's pre-activations, where the backward pass starts
    its step constant  c in dL/dZ2 = c / (N M) * (A2 - y) * factor, which the
                       training loops fold into the learning rate
    its factor         what multiplies (A2 - y) in dL/dZ2: A2 (1 - A2) for
                       the mean squared error, 1 for the cross-entropy
    its display name   what the dashboard shows
    its formula        dL/dZ2 as the exercise checks' hints write it

gathered in one `Loss` per loss, in the table `LOSSES`. `train`, the
learning-rate sweep and the dashboard read everything they need from there:
a new loss is a few functions here and one more `Loss` in `LOSSES`.

Each `Loss` also names the output layer's activation it is written for
(`Loss.output`): the mean squared error and the binary cross-entropy go
with sigmoid outputs, A2 = sigmoid(Z2) (`OUTPUT`), and each output error
dL/dZ2 holds the sigmoid's derivative A2 (1 - A2), or cancels it. The
categorical cross-entropy goes with softmax outputs, one probability per
class, each row summing to 1, for targets that are one-hot rows:

    L = -(1 / (N M)) sum over n, m of y log A2      dL/dZ2 = (A2 - y) / (N M)

Like the other two it is a mean over all N * M entries, so the three
compare at one learning rate and the training loops treat them alike:
the usual per-sample cross-entropy, -(1/N) sum y log A2, is M times it.
The softmax's derivative, a whole (M, M) matrix per sample, cancels
against the logarithm's as the sigmoid's does in the binary cross-entropy,
where each row of y sums to 1: sum_k y_k (delta_km - A2_m) = y_m - A2_m.

The value functions also accept a stack of K networks' outputs (K, N, M)
and then return K losses, one per network; the sweep trains K networks
at once.
"""

from dataclasses import dataclass
from typing import Callable

import numpy as np

from . import _validate
from .activations import OUTPUTS, Activation

OUTPUT = OUTPUTS["sigmoid"]  # the output layer's activation of the MSE and the BCE, the tutorial's
SOFTMAX = OUTPUTS["softmax"]  # the categorical cross-entropy's

# A2 is clipped to [EPS, 1 - EPS] inside the logarithms of the cross-entropy,
# so a saturated output (exactly 0 or 1) costs at most -log(EPS) = 34.5
# instead of infinity.
EPS = 1e-15


def mean_of_product(a, b):
    """The mean of a * b over the last two axes (N, M).

    Parameters
    ----------
    a : (N, M) or (K, N, M) ndarray
        One network's array, or a stack of K networks' arrays.
    b : (N, M) or (K, N, M) ndarray
        The same shape as `a`, or (N, M) for every network of the stack.

    Returns
    -------
    float or (K,) ndarray
        One mean for one network, one per network for a stack.
    """
    if a.ndim == b.ndim == 2:
        return np.vdot(a, b) / a.size  # three times faster than einsum on small arrays
    return np.einsum("...nm,...nm->...", a, b) / (a.shape[-2] * a.shape[-1])


def mse(A2, y, error):
    """Mean squared error: L = mean((A2 - y)^2) over all N * M elements.

    Parameters
    ----------
    A2 : (N, M) or (K, N, M) ndarray
        Outputs of the network (or of K networks).
    y : (N, M) ndarray
        Targets.
    error : ndarray, shape of A2
        A2 - y, which a training loop has already computed.

    Returns
    -------
    float or (K,) ndarray
        The loss (of each network).
    """
    return mean_of_product(error, error)


def mse_output_error(A2, y):
    """The output error dL/dZ2 of the mean squared error with sigmoid outputs.

    dL/dA2 = 2 (A2 - y) / (N M), and dA2/dZ2 = A2 (1 - A2), so
    dL/dZ2 = 2 (A2 - y) A2 (1 - A2) / (N M).

    Parameters
    ----------
    A2 : (N, M) ndarray
        Outputs of the network.
    y : (N, M) ndarray
        Targets.

    Returns
    -------
    (N, M) ndarray
        The output error 2 (A2 - y) A2 (1 - A2) / (N M).
    """
    return 2 * (A2 - y) * A2 * (1 - A2) / A2.size  # (N, M)


def mse_factor(error, A2, work):
    """Multiply `error` = A2 - y by A2 (1 - A2), in place: dL/dZ2 without 2 / (N M).

    Parameters
    ----------
    error : (N, M) or (K, N, M) ndarray
        A2 - y; overwritten with (A2 - y) A2 (1 - A2).
    A2 : ndarray, shape of error
        Outputs of the network (or of K networks).
    work : ndarray, shape of error
        Room for A2 (1 - A2), so that a training loop allocates nothing.
    """
    OUTPUT.slope_into(A2, work)  # A2 (1 - A2)
    error *= work


def bce(A2, y, error):
    """Binary cross-entropy: L = -mean(y log A2 + (1 - y) log(1 - A2)).

    Finite even where A2 is exactly 0 or 1 (see EPS above).

    Parameters
    ----------
    A2 : (N, M) or (K, N, M) ndarray
        Outputs of the network (or of K networks), each from 0 to 1.
    y : (N, M) ndarray
        Targets, each from 0 to 1.
    error : ndarray, shape of A2
        A2 - y; the cross-entropy does not need it.

    Returns
    -------
    float or (K,) ndarray
        The loss (of each network).
    """
    A2 = np.minimum(np.maximum(A2, EPS), 1 - EPS)  # same shape as A2
    return -(mean_of_product(y, np.log(A2)) + mean_of_product(1 - y, np.log(1 - A2)))


def bce_output_error(A2, y):
    """The output error dL/dZ2 of the binary cross-entropy with sigmoid outputs.

    dL/dA2 = (A2 - y) / (A2 (1 - A2) N M); the sigmoid's derivative
    A2 (1 - A2) cancels it, leaving dL/dZ2 = (A2 - y) / (N M).

    Parameters
    ----------
    A2 : (N, M) ndarray
        Outputs of the network.
    y : (N, M) ndarray
        Targets.

    Returns
    -------
    (N, M) ndarray
        The output error (A2 - y) / (N M).
    """
    return (A2 - y) / A2.size  # (N, M)


def bce_factor(error, A2, work):
    """Leave `error` = A2 - y as it is: its factor is 1, dL/dZ2 = (A2 - y) / (N M).

    Parameters
    ----------
    error : (N, M) or (K, N, M) ndarray
        A2 - y, unchanged.
    A2 : ndarray, shape of error
        Outputs of the network (or of K networks); not needed.
    work : ndarray, shape of error
        Not needed.
    """


def cce(A2, y, error):
    """Categorical cross-entropy: L = -mean(y log A2) over all N * M elements.

    Finite even where an output is exactly 0 (see EPS above).

    Parameters
    ----------
    A2 : (N, M) or (K, N, M) ndarray
        Softmax outputs of the network (or of K networks), each row summing to 1.
    y : (N, M) ndarray
        Targets: one-hot rows (or probabilities over the M classes).
    error : ndarray, shape of A2
        A2 - y; the cross-entropy does not need it.

    Returns
    -------
    float or (K,) ndarray
        The loss (of each network).
    """
    A2 = np.maximum(A2, EPS)  # same shape as A2
    return -mean_of_product(y, np.log(A2))


def cce_output_error(A2, y):
    """The output error dL/dZ2 of the categorical cross-entropy with softmax outputs.

    The softmax's derivative dA2_k/dZ2_m = A2_k (delta_km - A2_m) and
    dL/dA2_k = -y_k / (A2_k N M) give, for rows of y that sum to 1,
    dL/dZ2 = (A2 - y) / (N M), as for the binary cross-entropy with sigmoid outputs.

    Parameters
    ----------
    A2 : (N, M) ndarray
        Softmax outputs of the network.
    y : (N, M) ndarray
        Targets, each row summing to 1.

    Returns
    -------
    (N, M) ndarray
        The output error (A2 - y) / (N M).
    """
    return (A2 - y) / A2.size  # (N, M)


def mse_loss(A2, y):
    """Mean squared error: L = mean((y - A2)^2) over all N * M elements.

    This is the number the seed notebook prints.

    Parameters
    ----------
    A2 : (N, M) array_like
        Outputs of the network.
    y : (N, M) array_like
        Targets, each from 0 to 1.

    Returns
    -------
    float
        The mean of the N * M squared differences.

    Examples
    --------
    >>> mse_loss([[0.5, 0.5]], [[0.0, 1.0]])
    0.25
    """
    A2, y = _validate.loss_args(A2, y)
    return float(mse(A2, y, A2 - y))


def bce_loss(A2, y):
    """Binary cross-entropy: L = -mean(y log A2 + (1 - y) log(1 - A2)).

    Parameters
    ----------
    A2 : (N, M) array_like
        Outputs of the network, each from 0 to 1 (the logarithms need it).
    y : (N, M) array_like
        Targets, each from 0 to 1.

    Returns
    -------
    float
        Finite even where A2 is exactly 0 or 1 (see EPS above).

    Examples
    --------
    >>> round(bce_loss([[0.5, 0.5]], [[0.0, 1.0]]), 6)
    0.693147
    """
    A2, y = _validate.cross_entropy_args(A2, y, OUTPUT)
    return float(bce(A2, y, A2 - y))


def cce_loss(A2, y):
    """Categorical cross-entropy: L = -mean(y log A2), a mean over all N * M elements.

    For softmax outputs and one-hot targets: -log of the probability the
    network gives the right class, averaged over samples and divided by M
    (see the module's docstring for why the mean is over N * M).

    Parameters
    ----------
    A2 : (N, M) array_like
        Outputs of the network, each from 0 to 1: the softmax's, each row summing to 1.
    y : (N, M) array_like
        Targets, each from 0 to 1: one-hot rows.

    Returns
    -------
    float
        Finite even where an output is exactly 0 (see EPS above).

    Examples
    --------
    >>> round(cce_loss([[0.5, 0.5]], [[0.0, 1.0]]), 6)  # -log(0.5) / 2
    0.346574
    """
    A2, y = _validate.cross_entropy_args(A2, y, SOFTMAX, CCE)
    return float(cce(A2, y, A2 - y))


@dataclass(frozen=True)
class Loss:
    """Everything nnlib needs to know about one loss (see the module's docstring).

    Parameters
    ----------
    name : str
        What `loss=` takes: 'mse', 'bce' or 'cce'.
    display_name : str
        What the dashboard shows.
    value : function (A2, y, error) -> float or (K,) ndarray
        The loss, given A2 - y as `error`.
    output_error : function (A2, y) -> (N, M) ndarray
        The output error dL/dZ2.
    step_constant : float
        The c in dL/dZ2 = c / (N M) * (A2 - y) * factor.
    apply_factor : function (error, A2, work) -> None
        Turns `error` = A2 - y into (A2 - y) * factor, in place, using
        `work` (an array of A2's shape) as room for the factor.
    output_error_formula : str
        dL/dZ2 as the exercise checks' hints write it: "dZ2 = (A2 - y) / (N M)".
    output : Activation
        The output layer's activation the loss is written for, an entry of
        `activations.OUTPUTS`: the sigmoid (`OUTPUT`) or the softmax.
        `train` and the gradient check run the output layer with it;
        `forward` and `predict` take its name as `output=`.
    rows_sum_to_one : bool
        True if each row of the targets, and of the outputs, must be a
        probability over the M classes (sum to 1), as the output error
        needs: the categorical cross-entropy's one-hot targets.
    """

    name: str
    display_name: str
    value: Callable
    output_error: Callable
    step_constant: float
    apply_factor: Callable
    output_error_formula: str = "dZ2 = dL/dZ2"
    output: Activation = OUTPUT
    rows_sum_to_one: bool = False


MSE = Loss("mse", "mean squared error", mse, mse_output_error, 2.0, mse_factor,
           "dZ2 = 2 (A2 - y) / (N M) * A2 (1 - A2)")
BCE = Loss("bce", "cross-entropy", bce, bce_output_error, 1.0, bce_factor, "dZ2 = (A2 - y) / (N M)")
CCE = Loss("cce", "categorical cross-entropy", cce, cce_output_error, 1.0, bce_factor, "dZ2 = (A2 - y) / (N M)",
           output=SOFTMAX, rows_sum_to_one=True)
LOSSES = {loss.name: loss for loss in (MSE, BCE, CCE)}
