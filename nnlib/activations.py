"""Activation functions: the sigmoid and its derivative, and the table every part of nnlib reads them from.

    sigmoid(z) = 1 / (1 + exp(-z))          squashes any real z into (0, 1)
               = 0.5 * tanh(0.5 * z) + 0.5  the same, as nnlib computes it
    sigmoid'(z) = a * (1 - a)   where a = sigmoid(z)

Each activation is one `Activation` in the table `ACTIVATIONS`, as each
loss is one `Loss` in `losses.LOSSES`: its function and derivative (what
a student calls), the range of its outputs, its derivative in words (for
the checks' hints), and the forms the training loops compute it in, in
place. The network's layers (`network.HIDDEN`, `losses.OUTPUT`), `train`,
the learning-rate sweep, the argument checks and the exercise checks read
the sigmoid from there: a new activation is its functions here and one
more entry in `ACTIVATIONS`.
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
        Its name in `ACTIVATIONS`: 'sigmoid'.
    display_name : str
        What the dashboard shows.
    function : function (z) -> a
        f(z), element by element, its argument checked: what a student calls.
    derivative : function (a) -> f'(z)
        The derivative, written with the output a = f(z), its argument checked.
    low, high : float
        Every output lies from `low` to `high`.
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

    def derivative_of(self, output):
        """f'(z) in words for the output called `output`: "A1 * (1 - A1)" for the sigmoid and "A1"."""
        return self.derivative_formula.format(a=output)

    def fold(self):
        """The form the sweep computes: `folded`, or `into` and `slope_into` unscaled."""
        return self.folded or Folded(1.0, 1.0, self.into, self.slope_into)


SIGMOID = Activation("sigmoid", "sigmoid", sigmoid, sigmoid_derivative, 0.0, 1.0, "{a} * (1 - {a})",
                     _sigmoid_into, _sigmoid_slope_into,
                     Folded(0.5, 2.0, _twice_sigmoid_into, _twice_sigmoid_slope_into))
ACTIVATIONS = {activation.name: activation for activation in (SIGMOID,)}
