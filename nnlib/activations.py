"""The sigmoid activation and its derivative.

    sigmoid(z) = 1 / (1 + exp(-z))          squashes any real z into (0, 1)
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
    -709: exp(709.8) is already larger than the largest float. So we take
    the logarithm of the denominator first, which never overflows:

        sigmoid(z) = exp(-log(1 + exp(-z))) = exp(-logaddexp(0, -z))

    `np.logaddexp(a, b)` computes log(exp(a) + exp(b)) without ever forming
    exp(a) or exp(b). The result agrees with the direct formula to about
    1e-15 wherever that one does not overflow.

    Examples
    --------
    >>> sigmoid(0.0)
    0.5
    >>> sigmoid(np.array([-1e4, 1e4]))
    array([0., 1.])
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
    t = np.negative(z, out=out)  # -z
    t = np.logaddexp(0, t, out=out)  # log(1 + exp(-z))
    t = np.negative(t, out=out)  # -log(1 + exp(-z))
    return np.exp(t, out=out)  # 1 / (1 + exp(-z))


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
