"""Gradient checking: compare a backward pass with finite differences.

For one parameter entry w, the central difference

    (L(w + h) - L(w - h)) / (2 h)

approaches dL/dw with an error of order h^2. A backward pass whose gradient
disagrees with it, entry by entry, is wrong, whatever the loss curve looks
like.

Both functions work on copies: the caller's parameters are never changed,
not even for a moment, so stopping a check half-way (Ctrl-C) loses nothing.
"""

import numpy as np

from . import _validate
from .network import backward as exact_backward
from .network import forward


def numerical_gradient(params, X, y, loss="mse", h=1e-5):
    """Central finite differences of the loss for every parameter entry.

    dL/dw is approximately (L(w + h) - L(w - h)) / (2 h), one entry w at a
    time: two forward passes per parameter entry.

    Parameters
    ----------
    params : dict
        Exactly W1 (D, H), b1 (1, H), W2 (H, M) and b2 (1, M), at most
        10_000 numbers in all (each costs two forward passes).
    X : (N, D) array_like
        Inputs.
    y : (N, M) array_like
        Targets, each from 0 to 1.
    loss : {'mse', 'bce'}
        Mean squared error or binary cross-entropy.
    h : float
        The step, from 1e-10 to 0.1.

    Returns
    -------
    dict
        The estimates of dW1, db1, dW2 and db2, each the shape of its parameter.
    """
    params, X, y, loss, h = _validate.gradient_args(params, X, y, loss, h)  # copies; loss: a Loss
    grads = {}
    for name, value in params.items():
        grad = np.zeros_like(value)  # same shape as the parameter
        for index in np.ndindex(value.shape):
            original = value[index]
            value[index] = original + h
            loss_plus = loss_at(params, X, y, loss)  # L(w + h)
            value[index] = original - h
            loss_minus = loss_at(params, X, y, loss)  # L(w - h)
            value[index] = original
            grad[index] = (loss_plus - loss_minus) / (2 * h)
        grads["d" + name] = grad
    return grads


def loss_at(params, X, y, loss):
    """The value of `loss` (a `Loss` of losses.py) for the outputs of `params` on X.

    Parameters
    ----------
    params : dict
        W1, b1, W2 and b2.
    X : (N, D) ndarray
        Inputs.
    y : (N, M) ndarray
        Targets.
    loss : Loss
        From `nnlib.losses.LOSSES`.

    Returns
    -------
    float
        L at these parameters.
    """
    A2, _ = forward(params, X)  # (N, M)
    return float(loss.value(A2, y, A2 - y))


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


def gradient_check(params, X, y, loss="mse", backward=exact_backward):
    """Largest relative error between a backward pass and finite differences.

    Parameters
    ----------
    params : dict
        Exactly W1 (D, H), b1 (1, H), W2 (H, M) and b2 (1, M), at most
        10_000 numbers in all (each costs two forward passes).
    X : (N, D) array_like
        Inputs.
    y : (N, M) array_like
        Targets, each from 0 to 1.
    loss : {'mse', 'bce'}
        The loss whose gradient the backward pass should compute.
    backward : function
        The backward pass to test, `nnlib.backward` by default. Either
        backward(params, cache, y), as notebook 06 writes it, or
        backward(params, cache, y, loss=...), which is then told `loss`.
        It must return a dict with dW1, db1, dW2 and db2, each the shape of
        its parameter; it gets copies, so it cannot change the caller's params.

    Returns
    -------
    float
        The largest, over W1, b1, W2 and b2, of `relative_error` between
        the backward pass's gradient and the numerical one. Below 1e-6 means
        the backward pass is right; a bug usually shows as 1e-2 or more.
    """
    params, X, y, takes_loss = _validate.gradient_check_args(params, X, y, loss, backward)
    numeric = numerical_gradient(params, X, y, loss)  # dict of dW1, db1, dW2, db2
    _, cache = forward(params, X)
    copy = {name: value.copy() for name, value in params.items()}  # for backward to keep
    if takes_loss:
        returned = backward(copy, cache, y, loss=loss)
    else:
        returned = backward(copy, cache, y)
    analytic = _validate.gradients(backward, returned, params)  # dict of dW1, db1, dW2, db2
    return max(relative_error(analytic[name], numeric[name]) for name in numeric)
