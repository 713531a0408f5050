"""The network itself: forward pass, backward pass, prediction and accuracy.

    Z1 = X  @ W1 + b1    (N, H)      A1 = sigmoid(Z1)   (N, H)
    Z2 = A1 @ W2 + b2    (N, M)      A2 = sigmoid(Z2)   (N, M)

The forward pass is computed here and nowhere else: `predict`, the
gradient check, the exercise checks and the dashboard's pictures call
`forward` (only the training loops, `train` and the sweep, compute the
same numbers their own faster way, and tests hold them equal). Each
layer's activation is read from `activations.ACTIVATIONS`: the hidden
layer's is `HIDDEN`, the output layer's `losses.OUTPUT`, both the sigmoid.

Shape letters: N samples, D inputs, H hidden units, M outputs.
"""

import numpy as np

from . import _validate
from .activations import ACTIVATIONS
from .losses import LOSSES, OUTPUT

HIDDEN = ACTIVATIONS["sigmoid"]  # the hidden layer's activation


def forward(params, X):
    """Run the inputs through both layers.

    Z1 = X @ W1 + b1, A1 = sigmoid(Z1), Z2 = A1 @ W2 + b2, A2 = sigmoid(Z2).

    Parameters
    ----------
    params : dict
        Exactly W1 (D, H), b1 (1, H), W2 (H, M) and b2 (1, M).
    X : (N, D) array_like
        Inputs, one row per sample.

    Returns
    -------
    A2 : (N, M) ndarray
        The output activations, each in [0, 1].
    cache : dict
        X, Z1, A1, Z2 and A2: what `backward` needs.
    """
    p, X = _validate.forward_args(params, X)
    Z1 = X @ p["W1"] + p["b1"]  # (N, H)
    A1 = HIDDEN.function(Z1)  # (N, H) sigmoid(Z1)
    Z2 = A1 @ p["W2"] + p["b2"]  # (N, M)
    A2 = OUTPUT.function(Z2)  # (N, M) sigmoid(Z2)
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
    params : dict
        Exactly W1 (D, H), b1 (1, H), W2 (H, M) and b2 (1, M).
    cache : dict
        What `forward(params, X)` returned with the outputs.
    y : (N, M) array_like
        Targets, each from 0 to 1.
    loss : {'mse', 'bce'}
        Mean squared error or binary cross-entropy.

    Returns
    -------
    dict
        The gradients dW1, db1, dW2 and db2, each the shape of its parameter.
    """
    p, X, A1, A2, y, loss = _validate.backward_args(params, cache, y, loss, LOSSES, HIDDEN, OUTPUT)  # loss: a Loss
    dZ2 = loss.output_error(A2, y)  # (N, M)
    dW2 = A1.T @ dZ2  # (H, M)
    db2 = dZ2.sum(axis=0, keepdims=True)  # (1, M)
    dA1 = dZ2 @ p["W2"].T  # (N, H)
    dZ1 = dA1 * HIDDEN.derivative(A1)  # (N, H) dA1 * A1 (1 - A1)
    dW1 = X.T @ dZ1  # (D, H)
    db1 = dZ1.sum(axis=0, keepdims=True)  # (1, H)
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}


def predict(params, X):
    """The network's outputs for some inputs: A2 of `forward`, without the cache.

    Parameters
    ----------
    params : dict
        Exactly W1 (D, H), b1 (1, H), W2 (H, M) and b2 (1, M).
    X : (N, D) array_like
        Inputs, one row per sample.

    Returns
    -------
    (N, M) ndarray
        The outputs A2, each in [0, 1].
    """
    A2, _ = forward(params, X)
    return A2


def accuracy(A2, y):
    """Fraction of samples whose predicted class is the target's class.

    With several output columns, the predicted class is the column of the
    largest output and the target class the column of the largest target.
    A sample whose largest outputs tie (two columns share the largest
    value) has no predicted class, so it is not counted right. With one
    column, the class is 1 where the output is above 0.5 and 0 where it is
    below, and likewise for the target; an output of exactly 0.5 is a tie,
    not counted right. (The argmax of one column would be 0 for every
    sample and score 100 %.)

    Parameters
    ----------
    A2 : (N, M) array_like
        Outputs of the network.
    y : (N, M) array_like
        Targets, each from 0 to 1 (one-hot rows, or one column of 0s and 1s).

    Returns
    -------
    float
        From 0 (no sample right) to 1 (every sample right).

    Examples
    --------
    >>> accuracy([[0.9, 0.1], [0.4, 0.6]], [[1, 0], [1, 0]])
    0.5
    >>> accuracy([[0.2], [0.7]], [[0], [1]])
    1.0
    >>> accuracy([[1.0, 1.0], [0.3, 0.7]], [[1, 0], [0, 1]])  # the first row's outputs tie
    0.5
    """
    A2, y = _validate.loss_args(A2, y)
    if y.shape[1] == 1:
        return float(np.mean((A2 != 0.5) & ((A2 > 0.5) == (y > 0.5))))
    tied = (A2 == A2.max(axis=1, keepdims=True)).sum(axis=1) > 1  # (N,) two or more columns share the largest
    return float(np.mean(~tied & (A2.argmax(axis=1) == y.argmax(axis=1))))
