"""Gradient checking: compare a backward pass with finite differences.

For one parameter entry w, the central difference

    (L(w + h) - L(w - h)) / (2 h)

approaches dL/dw with an error of order h^2. A backward pass whose gradient
disagrees with it, entry by entry, is wrong, whatever the loss curve looks
like.
"""

import numpy as np

from .losses import LOSS_FUNCTIONS
from .network import backward as exact_backward
from .network import forward
from ._validate import check_data, check_loss, check_params


def numerical_gradient(params, X, y, loss="mse", h=1e-5):
    """Central finite differences of the loss for every parameter entry.

    Returns
    -------
    dict with dW1, db1, dW2, db2, each the shape of its parameter.
    """
    check_loss(loss)
    X, y = check_data(X, y)
    params = check_params(params, X=X, y=y)
    loss_of = LOSS_FUNCTIONS[loss]
    grads = {}
    for name, value in params.items():
        grad = np.zeros_like(value)  # same shape as the parameter
        for index in np.ndindex(value.shape):
            original = value[index]
            value[index] = original + h
            loss_plus = loss_of(forward(params, X)[0], y)
            value[index] = original - h
            loss_minus = loss_of(forward(params, X)[0], y)
            value[index] = original
            grad[index] = (loss_plus - loss_minus) / (2 * h)
        grads["d" + name] = grad
    return grads


def relative_error(a, b):
    """||a - b|| / max(||a|| + ||b||, 1e-8): 0 when equal, 1 when opposite.

    The floor of 1e-8 keeps a gradient that is zero (or nearly) from
    dividing by zero; then the measure becomes an absolute difference.
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), 1e-8))


def gradient_check(params, X, y, loss="mse", backward=exact_backward):
    """Largest relative error between a backward pass and finite differences.

    Parameters
    ----------
    params : dict with W1, b1, W2, b2
    X : (N, D) array
    y : (N, M) array
    loss : "mse" or "bce"
    backward : function (params, cache, y, loss) -> dict of dW1, db1, dW2, db2
        The backward pass to test; `nnlib.backward` by default.

    Returns
    -------
    float
        The largest, over W1, b1, W2 and b2, of `relative_error` between
        the backward pass's gradient and the numerical one. Below 1e-6 means
        the backward pass is right; a bug usually shows as 1e-2 or more.
    """
    check_loss(loss)
    X, y = check_data(X, y)
    params = check_params(params, X=X, y=y)
    numeric = numerical_gradient(params, X, y, loss)
    _, cache = forward(params, X)
    analytic = backward(params, cache, y, loss=loss)
    errors = []
    for name in numeric:
        if np.shape(analytic[name]) != numeric[name].shape:
            raise ValueError(
                f"backward returned {name} of shape {np.shape(analytic[name])}; "
                f"the parameter has shape {numeric[name].shape}"
            )
        errors.append(relative_error(analytic[name], numeric[name]))
    return max(errors)
