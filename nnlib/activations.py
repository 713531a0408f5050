"""The sigmoid activation and its derivative.

    sigmoid(z) = 1 / (1 + exp(-z))          squashes any real z into (0, 1)
    sigmoid'(z) = a * (1 - a)   where a = sigmoid(z)
"""

import numpy as np


def sigmoid(z, out=None):
    """Logistic sigmoid, element by element: 1 / (1 + exp(-z)).

    Parameters
    ----------
    z : array_like
        Any shape; any finite values, however large.
    out : ndarray, optional
        Float array of z's shape to write the result into (saves allocating
        a new array inside a training loop).

    Returns
    -------
    ndarray, same shape as z, every value in [0, 1].

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
    if out is None:
        try:
            z = np.asarray(z, dtype=float)
        except (TypeError, ValueError):
            raise TypeError(f"z must hold numbers; got {z!r}") from None
    t = np.negative(z, out=out)  # -z
    t = np.logaddexp(0, t, out=out)  # log(1 + exp(-z))
    t = np.negative(t, out=out)  # -log(1 + exp(-z))
    result = np.exp(t, out=out)  # 1 / (1 + exp(-z))
    return result if out is not None or result.ndim else float(result)


def sigmoid_derivative(a):
    """Derivative of the sigmoid, written in terms of its output a = sigmoid(z).

    d sigmoid(z) / dz = sigmoid(z) * (1 - sigmoid(z)) = a * (1 - a)

    Pass the activation a, not z: the forward pass has already computed a,
    so the backward pass gets the derivative for one multiplication.

    Examples
    --------
    >>> sigmoid_derivative(0.5)
    0.25
    """
    a = np.asarray(a, dtype=float)
    result = a * (1 - a)
    return float(result) if result.ndim == 0 else result
