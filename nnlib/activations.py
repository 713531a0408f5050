"""Activation functions, each with its derivative, and the tables every part of nnlib reads them from.

Each derivative is written with the output a = f(z), which the forward
pass has already computed:

    sigmoid(z)    = 1 / (1 + exp(-z))      in (0, 1)     sigmoid' = a (1 - a)
                  = 0.5 tanh(z / 2) + 0.5  (how nnlib computes it)
    tanh(z)       = (e^z - e^-z) / (e^z + e^-z)   in (-1, 1)   tanh' = 1 - a^2
    relu(z)       = max(z, 0)              in [0, inf)   relu' = 1 where a > 0, else 0
    leaky_relu(z) = z, or 0.01 z below 0   any real      leaky_relu' = 1 where a > 0, else 0.01

(ReLU has no derivative at z = 0, its kink; nnlib takes 0 there, as the
formula in a gives, and the leaky ReLU 0.01.)

The sigmoid is the tutorial's, and every layer's default. Any of the four
can be the hidden layers' activation (`activation=` of forward, backward,
train...). The output layer is a sigmoid, or for more than two classes

    softmax(z)_m = exp(z_m) / sum_k exp(z_k)   each row of outputs sums to 1

computed on z minus its row's largest entry (the same numbers, and exp
never overflows). The softmax has no derivative of its own here: it goes
with the categorical cross-entropy, whose output error A - y already holds
it (see losses.py).

Each activation is one `Activation` in the table `ACTIVATIONS` (the
hidden layers' choices) or `OUTPUTS` (the output layer's), as each loss is
one `Loss` in `losses.LOSSES`: its function and derivative (what a student
calls), the range of its outputs, its derivative in words (for the checks'
hints), the initialisation that suits it, and the forms the training loops
compute it in, in place. The network's layers, `train`, the learning-rate
sweep, the argument checks and the exercise checks read them from there: a
new activation is its functions here and one more entry in `ACTIVATIONS`.
"""

from dataclasses import dataclass
from typing import Callable

import numpy as np

from . import _validate


def sigmoid(z, out=None):
    """Logistic sigmoid, element by element: 1 / (1 + exp(-z)).

    Parameters
    ----------
    z : array_like
        Any shape; any real values, however large (infinity too), but not NaN.
    out : ndarray, optional
        A float64 array of z's shape to write the result into (saves
        allocating a new array inside a training loop). z must then be a
        float64 array too, and is used as it is, unchecked.

    Returns
    -------
    float or ndarray
        A float for a single number, else an array of z's shape; every
        value in [0, 1].

    Notes
    -----
    Written as 1 / (1 + exp(-z)), the sigmoid overflows for z below about
    -709: exp(709.8) is already larger than the largest float. nnlib
    computes the same function through the hyperbolic tangent, which never
    overflows:

        sigmoid(z) = 0.5 * tanh(0.5 * z) + 0.5

    (on paper: tanh(x) = (1 - e^-2x) / (1 + e^-2x), so 0.5 tanh(z/2) + 0.5
    = 1 / (1 + e^-z)). tanh only ever returns numbers from -1 to 1, and
    becomes exactly -1 or 1 for large |z|, so the result is exactly 0 or 1
    there, never inf or NaN, and no warning is raised. It agrees with the
    textbook formula to about 1e-16 (absolute): outputs below about 1e-16
    (z below about -37) come out as exactly 0.

    Examples
    --------
    >>> sigmoid(0.0)
    0.5
    >>> sigmoid(np.array([-1e4, 1e4]))  # no overflow: exactly 0 and 1
    array([0., 1.])
    >>> z = np.linspace(-30, 30, 601)
    >>> bool(np.all(np.abs(sigmoid(z) - 1 / (1 + np.exp(-z))) < 1e-15))
    True
    """
    z = _validate.activation_args(z, out)
    result = _sigmoid_into(z, out)
    return result if out is not None or result.ndim else float(result)


# The training loops' forms of the sigmoid: no checks, written in place.
#
# Why tanh: a training loop calls the sigmoid twice an epoch, so its cost
# matters. Measured with `out=` buffers (benchmarks/sweep_speed.py), a call
# costs 2.2 us on a (4, 4) array, 6.2 us on (64, 4, 8) and 0.52 ms on
# (64, 200, 16), where exp(-logaddexp(0, -z)), another form that never
# overflows, costs 2.1 us, 38 us and 4.5 ms. The textbook formula with its
# overflow warning silenced costs about the same as tanh (3.0 us, 6.5 us,
# 0.45 ms), but it does overflow on the way.

def _sigmoid_into(z, out):
    """The arithmetic of `sigmoid`, without its checks, for nnlib's training loops.

    The loops make z and out themselves, float64 arrays of one shape, and
    call this twice an epoch; on their small arrays the checks of `sigmoid`
    would cost them about 5 % of their time.

    Parameters
    ----------
    z : ndarray
        Float64, any shape.
    out : ndarray or None
        Float64, z's shape, to write the result into; None for a new array.

    Returns
    -------
    ndarray
        sigmoid(z): `out` if it was given.
    """
    t = np.multiply(z, 0.5, out=out)  # z / 2
    t = np.tanh(t, out=out)  # tanh(z / 2), from -1 to 1
    t *= 0.5
    t += 0.5  # 0.5 tanh(z / 2) + 0.5 = 1 / (1 + exp(-z))
    return t


def _sigmoid_slope_into(a, out):
    """sigmoid'(z) = a (1 - a) from the output a = sigmoid(z), written into `out` (a's shape, float64)."""
    np.subtract(1, a, out=out)  # 1 - a
    out *= a  # a (1 - a)
    return out


def _twice_sigmoid_into(s, out):
    """2 sigmoid(z) = tanh(z / 2) + 1 from s = z / 2, written into `out` (s's shape; may be s itself)."""
    np.tanh(s, out=out)  # tanh(z / 2), from -1 to 1
    out += 1.0  # 2 sigmoid(z), from 0 to 2
    return out


def _twice_sigmoid_slope_into(t, out):
    """4 sigmoid'(z) = t (2 - t) from t = 2 sigmoid(z) = 2 a, written into `out`: (2 - 2a) 2a = 4 a (1 - a)."""
    np.subtract(2.0, t, out=out)  # 2 - t
    out *= t  # t (2 - t)
    return out


def tanh(z):
    """Hyperbolic tangent, element by element: (e^z - e^-z) / (e^z + e^-z), from -1 to 1.

    A sigmoid stretched to (-1, 1) and centred on 0: tanh(z) = 2 sigmoid(2 z) - 1.

    Parameters
    ----------
    z : array_like
        Any shape; any real values (infinity too), but not NaN.

    Returns
    -------
    float or ndarray
        A float for a single number, else an array of z's shape; every value in [-1, 1].

    Examples
    --------
    >>> tanh(0.0)
    0.0
    >>> tanh(np.array([-1e4, 1e4]))
    array([-1.,  1.])
    """
    z = _validate.activation_args(z, None)
    result = np.tanh(z)
    return result if result.ndim else float(result)


def tanh_derivative(a):
    """Derivative of tanh, written with its output a = tanh(z): 1 - a^2.

    Parameters
    ----------
    a : array_like
        Any shape; tanh outputs, each from -1 to 1.

    Returns
    -------
    float or ndarray
        A float for a single number, else an array of a's shape; every value in [0, 1].

    Examples
    --------
    >>> tanh_derivative(0.5)
    0.75
    """
    a = _validate.derivative_args(a, TANH)
    result = 1 - a * a
    return float(result) if result.ndim == 0 else result


def relu(z):
    """Rectified linear unit, element by element: max(z, 0).

    Parameters
    ----------
    z : array_like
        Any shape; finite real values (not NaN, and not infinity: its
        output would be infinite, which no layer accepts).

    Returns
    -------
    float or ndarray
        A float for a single number, else an array of z's shape; z where z > 0, else 0.

    Examples
    --------
    >>> relu(np.array([-2.0, 0.0, 3.0]))
    array([0., 0., 3.])
    """
    z = _validate.unbounded_args(z, "relu")
    result = _relu_into(z, None)
    return result if result.ndim else float(result)


def relu_derivative(a):
    """Derivative of ReLU, written with its output a = relu(z): 1 where a > 0, else 0.

    At z = 0 ReLU has a kink and no derivative; this takes 0 there (a = 0).

    Parameters
    ----------
    a : array_like
        Any shape; ReLU outputs, each 0 or above.

    Returns
    -------
    float or ndarray
        A float for a single number, else an array of a's shape; every value 0 or 1.

    Examples
    --------
    >>> relu_derivative(np.array([0.0, 2.5]))
    array([0., 1.])
    """
    a = _validate.derivative_args(a, RELU)
    result = _relu_slope_into(a, np.empty_like(a))
    return float(result) if result.ndim == 0 else result


LEAK = 0.01  # the leaky ReLU's slope below 0


def leaky_relu(z):
    """Leaky ReLU, element by element: z where z > 0, else 0.01 z.

    Unlike ReLU, a unit whose inputs are all below 0 still has a slope
    (0.01), so it can learn its way back.

    Parameters
    ----------
    z : array_like
        Any shape; any real values (infinity too), but not NaN.

    Returns
    -------
    float or ndarray
        A float for a single number, else an array of z's shape.

    Examples
    --------
    >>> leaky_relu(np.array([-2.0, 3.0]))
    array([-0.02,  3.  ])
    """
    z = _validate.unbounded_args(z, "leaky_relu")
    result = _leaky_relu_into(z, None)
    return result if result.ndim else float(result)


def leaky_relu_derivative(a):
    """Derivative of the leaky ReLU, written with its output a: 1 where a > 0, else 0.01.

    The output has z's sign, so a tells the slope as z would.

    Parameters
    ----------
    a : array_like
        Any shape; leaky ReLU outputs (any finite numbers).

    Returns
    -------
    float or ndarray
        A float for a single number, else an array of a's shape; every value 1 or 0.01.

    Examples
    --------
    >>> leaky_relu_derivative(np.array([-0.02, 3.0]))
    array([0.01, 1.  ])
    """
    a = _validate.derivative_args(a, LEAKY_RELU)
    result = _leaky_relu_slope_into(a, np.empty_like(a))
    return float(result) if result.ndim == 0 else result


def softmax(z):
    """Softmax over the last axis: exp(z_m) / sum_k exp(z_k), so that each row sums to 1.

    The output layer's activation for more than two classes, read as the
    probability of each class. It is computed on z minus the row's largest
    entry: the same numbers (the factor exp(-max) cancels), but every exp
    is of a number <= 0, so it never overflows.

    Parameters
    ----------
    z : array_like
        (N, M) one row per sample (or (M,) for one; any shape, rows along
        the last axis); finite numbers.

    Returns
    -------
    ndarray
        z's shape; every value from 0 to 1, each row summing to 1.

    Examples
    --------
    >>> softmax(np.array([[0.0, 0.0], [1000.0, 0.0]]))  # no overflow
    array([[0.5, 0.5],
           [1. , 0. ]])
    """
    z = _validate.finite_z(z)
    return _softmax_into(z, np.empty_like(z))


# The training loops' forms of the other activations: no checks, written in place
# into `out` (z's shape, float64; None for a new array).

def _tanh_into(z, out):
    """tanh(z) without checks."""
    return np.tanh(z, out=out)


def _tanh_slope_into(a, out):
    """tanh'(z) = 1 - a^2 from a = tanh(z), written into `out`."""
    np.multiply(a, a, out=out)  # a^2
    return np.subtract(1.0, out, out=out)  # 1 - a^2


def _relu_into(z, out):
    """max(z, 0) without checks."""
    return np.maximum(z, 0.0, out=out)


def _relu_slope_into(a, out):
    """relu'(z) from a = relu(z): 1.0 where a > 0, else 0.0, written into `out`."""
    return np.greater(a, 0.0, out=out)  # True and False written as 1.0 and 0.0


def _leaky_relu_into(z, out):
    """z where z > 0, else 0.01 z, without checks."""
    low = np.multiply(z, LEAK)  # 0.01 z, a new array
    return np.maximum(z, low, out=out)  # z > 0.01 z exactly where z > 0


def _leaky_relu_slope_into(a, out):
    """leaky_relu'(z) from its output a: 1.0 where a > 0, else 0.01, written into `out`."""
    np.greater(a, 0.0, out=out)  # 1.0 where a > 0, else 0.0
    return np.maximum(out, LEAK, out=out)  # 1.0 or 0.01


def _softmax_into(z, out):
    """softmax(z) over the last axis, without checks, written into `out` (z's shape; may be z itself)."""
    np.subtract(z, z.max(axis=-1, keepdims=True), out=out)  # z - the row's largest: every entry <= 0
    np.exp(out, out=out)  # from 0 to 1, the largest of each row exactly 1
    out /= out.sum(axis=-1, keepdims=True)  # each row sums to 1
    return out


def sigmoid_derivative(a):
    """Derivative of the sigmoid, written in terms of its output a = sigmoid(z).

    d sigmoid(z) / dz = sigmoid(z) * (1 - sigmoid(z)) = a * (1 - a)

    Pass the activation a, not z: the forward pass has already computed a,
    so the backward pass gets the derivative for one multiplication.

    Parameters
    ----------
    a : array_like
        Any shape; sigmoid outputs, each from 0 to 1 (a z outside that range
        is refused: it means z was passed instead of a).

    Returns
    -------
    float or ndarray
        A float for a single number, else an array of a's shape; every value
        in [0, 0.25].

    Examples
    --------
    >>> sigmoid_derivative(0.5)
    0.25
    """
    a = _validate.derivative_args(a, SIGMOID)
    result = a * (1 - a)
    return float(result) if result.ndim == 0 else result


@dataclass(frozen=True)
class Folded:
    """An activation computed on numbers scaled by powers of two, as the learning-rate sweep keeps them.

    Multiplying by a power of two changes only a float's exponent, so it is
    exact (for numbers above 1e-308): the sweep folds `inner` into the
    weights before the layer and 1 / `outer` into the weights after it,
    and computes the same numbers as `train` in fewer NumPy calls.

    Attributes
    ----------
    inner : float
        A power of two: `into` is given s = inner * z.
    outer : float
        A power of two: `into` writes outer * f(z).
    into : function (s, out) -> out
        outer * f(z) from s = inner * z, written into `out` (which may be s).
    slope_into : function (t, out) -> out
        outer**2 * f'(z) from t = outer * f(z), written into `out`.
    """

    inner: float
    outer: float
    into: Callable
    slope_into: Callable


@dataclass(frozen=True)
class Activation:
    """Everything nnlib needs to know about one activation function f (see the module's docstring).

    Attributes
    ----------
    name : str
        Its name in `ACTIVATIONS` (or `OUTPUTS`): 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'softmax'.
    display_name : str
        What the dashboard shows.
    function : function (z) -> a
        f(z), its argument checked: what a student calls.
    derivative : function (a) -> f'(z)
        The derivative, written with the output a = f(z), its argument
        checked. None for the softmax, whose derivative is in its loss's output error.
    low, high : float
        Every output lies from `low` to `high` (inf for no end).
    derivative_formula : str
        f'(z) in terms of the output, as the checks' hints write it, with
        `{a}` for the output's name: "{a} * (1 - {a})".
    into : function (z, out) -> out
        f(z) of a float64 array, unchecked, written into `out` (z's shape,
        float64; None for a new array): `train`'s form.
    slope_into : function (a, out) -> out
        f'(z) from a = f(z), unchecked, written into `out` (a's shape).
    folded : Folded, optional
        A faster form on scaled numbers for the sweep; without one, the
        sweep uses `into` and `slope_into` (see `fold`).
    init : {'xavier', 'he'}
        The initialisation that suits it (see `params.init_params`), which
        a network of more than one hidden layer starts from by default.
    """

    name: str
    display_name: str
    function: Callable
    derivative: Callable
    low: float
    high: float
    derivative_formula: str
    into: Callable
    slope_into: Callable
    folded: Folded = None
    init: str = "xavier"

    def derivative_of(self, output):
        """f'(z) in words for the output called `output`: "A1 * (1 - A1)" for the sigmoid and "A1"."""
        return self.derivative_formula.format(a=output)

    def fold(self):
        """The form the sweep computes: `folded`, or `into` and `slope_into` unscaled."""
        return self.folded or Folded(1.0, 1.0, self.into, self.slope_into)


SIGMOID = Activation("sigmoid", "sigmoid", sigmoid, sigmoid_derivative, 0.0, 1.0, "{a} * (1 - {a})",
                     _sigmoid_into, _sigmoid_slope_into,
                     Folded(0.5, 2.0, _twice_sigmoid_into, _twice_sigmoid_slope_into), init="xavier")
TANH = Activation("tanh", "tanh", tanh, tanh_derivative, -1.0, 1.0, "1 - {a} ** 2",
                  _tanh_into, _tanh_slope_into, init="xavier")
RELU = Activation("relu", "ReLU", relu, relu_derivative, 0.0, float("inf"), "1.0 * ({a} > 0)",
                  _relu_into, _relu_slope_into, init="he")
LEAKY_RELU = Activation("leaky_relu", "leaky ReLU", leaky_relu, leaky_relu_derivative, float("-inf"),
                        float("inf"), "1.0 * ({a} > 0) + 0.01 * ({a} <= 0)",
                        _leaky_relu_into, _leaky_relu_slope_into, init="he")
SOFTMAX = Activation("softmax", "softmax", softmax, None, 0.0, 1.0, "", _softmax_into, None)

ACTIVATIONS = {activation.name: activation for activation in (SIGMOID, TANH, RELU, LEAKY_RELU)}  # the hidden layers'
OUTPUTS = {activation.name: activation for activation in (SIGMOID, SOFTMAX)}  # the output layer's
