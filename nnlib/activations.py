"""The sigmoid activation and its derivative.

    sigmoid(z) = 1 / (1 + exp(-z))          squashes any real z into (0, 1)
               = 0.5 * tanh(0.5 * z) + 0.5  the same, as nnlib computes it
    sigmoid'(z) = a * (1 - a)   where a = sigmoid(z)
"""

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

    Why this form: a training loop calls the sigmoid twice an epoch, so its
    cost matters. Measured with `out=` buffers (benchmarks/sweep_speed.py),
    a call costs 2.2 us on a (4, 4) array, 6.2 us on (64, 4, 8) and 0.52 ms
    on (64, 200, 16), where exp(-logaddexp(0, -z)), another form that never
    overflows (nnlib's form before issue 12), costs 2.1 us, 38 us and 4.5 ms. The
    textbook formula with its overflow warning silenced costs about the
    same (3.0 us, 6.5 us, 0.45 ms), but it does overflow on the way.

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
    z = _validate.sigmoid_args(z, out)
    result = _sigmoid_into(z, out)
    return result if out is not None or result.ndim else float(result)


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
    a = _validate.sigmoid_derivative_args(a)
    result = a * (1 - a)
    return float(result) if result.ndim == 0 else result
