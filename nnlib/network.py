"""The network itself: forward pass, backward pass and prediction.

    Z1 = X  @ W1 + b1    (N, H)      A1 = sigmoid(Z1)   (N, H)
    Z2 = A1 @ W2 + b2    (N, M)      A2 = sigmoid(Z2)   (N, M)

Shape letters: N samples, D inputs, H hidden units, M outputs.
"""

import numpy as np

from .activations import sigmoid, sigmoid_derivative
from .losses import OUTPUT_ERRORS
from ._validate import as_matrix, check_cache, check_data, check_loss, check_params


def forward(params, X):
    """Run the inputs through both layers.

    Parameters
    ----------
    params : dict with W1 (D, H), b1 (1, H), W2 (H, M), b2 (1, M)
    X : (N, D) array

    Returns
    -------
    A2 : (N, M) ndarray
        The output activations, each in (0, 1).
    cache : dict
        X, Z1, A1, Z2 and A2: what `backward` needs.
    """
    X = as_matrix("X", X)
    p = check_params(params, X=X)
    Z1 = X @ p["W1"] + p["b1"]  # (N, H)
    A1 = sigmoid(Z1)  # (N, H)
    Z2 = A1 @ p["W2"] + p["b2"]  # (N, M)
    A2 = sigmoid(Z2)  # (N, M)
    return A2, {"X": X, "Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


def backward(params, cache, y, loss="mse"):
    """Exact gradient of the loss with respect to every parameter.

    The chain rule, from the output back to the input:

        dZ2 = dL/dZ2                      (N, M)  see losses.py
        dW2 = A1.T @ dZ2                  (H, M)
        db2 = sum of dZ2 over samples     (1, M)
        dA1 = dZ2 @ W2.T                  (N, H)
        dZ1 = dA1 * A1 (1 - A1)           (N, H)
        dW1 = X.T @ dZ1                   (D, H)
        db1 = sum of dZ1 over samples     (1, H)

    Parameters
    ----------
    params : dict from `init_params`
    cache : dict from `forward(params, X)`
    y : (N, M) array of targets
    loss : "mse" (mean squared error) or "bce" (binary cross-entropy)

    Returns
    -------
    dict with dW1, db1, dW2, db2, each the shape of its parameter.
    """
    check_loss(loss)
    X, A1, A2 = check_cache(cache)
    X, y = check_data(X, y)
    p = check_params(params, X=X, y=y)
    for name, array, shape in (("A1", A1, (X.shape[0], p["W1"].shape[1])), ("A2", A2, y.shape)):
        if array.shape != shape:
            raise ValueError(
                f"cache['{name}'] has shape {array.shape} where {shape} was expected; "
                "pass the cache that forward(params, X) returned"
            )
    dZ2 = OUTPUT_ERRORS[loss](A2, y)  # (N, M)
    dW2 = A1.T @ dZ2  # (H, M)
    db2 = dZ2.sum(axis=0, keepdims=True)  # (1, M)
    dA1 = dZ2 @ p["W2"].T  # (N, H)
    dZ1 = dA1 * sigmoid_derivative(A1)  # (N, H)
    dW1 = X.T @ dZ1  # (D, H)
    db1 = dZ1.sum(axis=0, keepdims=True)  # (1, H)
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}


def predict(params, X):
    """The network's outputs A2 (N, M) for inputs X (N, D)."""
    A2, _ = forward(params, X)
    return A2


def accuracy(A2, y):
    """Fraction of samples whose largest output is in the target's class."""
    A2 = as_matrix("A2", A2)
    y = as_matrix("y", y)
    if A2.shape != y.shape:
        raise ValueError(
            f"A2 and y must have the same shape; got A2 {A2.shape} and y {y.shape}"
        )
    return float(np.mean(A2.argmax(axis=1) == y.argmax(axis=1)))
