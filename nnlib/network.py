"""The network itself: forward pass, backward pass, prediction and accuracy.

The tutorial's network, one hidden layer:

    Z1 = X  @ W1 + b1    (N, H)      A1 = sigmoid(Z1)   (N, H)
    Z2 = A1 @ W2 + b2    (N, M)      A2 = sigmoid(Z2)   (N, M)

and the same with any number L of hidden layers, each of its own width
H_l, with A0 = X:

    Z[l] = A[l-1] @ W[l] + b[l]   (N, H_l)    A[l] = f(Z[l])         for l = 1 ... L
    Z[L+1] = A[L] @ W[L+1] + b[L+1]  (N, M)   A[L+1] = output(Z[L+1])

f, the hidden layers' activation, is the sigmoid unless `activation=`
names another in `activations.ACTIVATIONS` ('tanh', 'relu',
'leaky_relu'); the output layer's is the sigmoid unless `output=`
names the softmax (for the categorical cross-entropy, loss='cce'). The
default hidden activation is `HIDDEN`, the output layer's `losses.OUTPUT`.

The forward pass is computed here and nowhere else: `predict`, the
gradient check, the exercise checks and the dashboard's pictures call
`forward` (only the training loops, `train` and the sweep, compute the
same numbers their own faster way, and tests hold them equal).

Shape letters: N samples, D inputs, H (or H_l) hidden units, M outputs.
"""

import numpy as np

from . import _validate
from .activations import ACTIVATIONS, OUTPUTS
from .losses import LOSSES, OUTPUT

HIDDEN = ACTIVATIONS["sigmoid"]  # the hidden layers' activation when none is named


def hidden_activation(name):
    """The hidden layers' `Activation`: the one `name` names in ACTIVATIONS, or `HIDDEN` for None.

    Parameters
    ----------
    name : {'sigmoid', 'tanh', 'relu', 'leaky_relu'} or None
        The activation's name.

    Returns
    -------
    Activation
        Its record in `activations.ACTIVATIONS`.
    """
    return _validate.activation_arg(name, ACTIVATIONS, HIDDEN)


def forward(params, X, activation=None, output=None):
    """Run the inputs through every layer.

    One hidden layer: Z1 = X @ W1 + b1, A1 = sigmoid(Z1), Z2 = A1 @ W2 + b2,
    A2 = sigmoid(Z2). More: Z[l] = A[l-1] @ W[l] + b[l], A[l] = f(Z[l]),
    from A0 = X to the output layer.

    Parameters
    ----------
    params : dict
        Exactly W1 (D, H), b1 (1, H), W2 (H, M) and b2 (1, M); or W1, b1,
        ..., W{L+1}, b{L+1} for L hidden layers (see `init_params`).
    X : (N, D) array_like
        Inputs, one row per sample.
    activation : {'sigmoid', 'tanh', 'relu', 'leaky_relu'}, optional
        The hidden layers' activation f; the sigmoid if not given.
    output : {'sigmoid', 'softmax'}, optional
        The output layer's activation; the sigmoid if not given. A network
        trained with loss='cce' has softmax outputs.

    Returns
    -------
    A : (N, M) ndarray
        The output activations, each in [0, 1] (each row summing to 1 for the softmax).
    cache : dict
        What `backward` needs: X (which is A0), then Z1, A1, ..., Z{L+1},
        A{L+1} (X, Z1, A1, Z2 and A2 for one hidden layer).

    Raises
    ------
    ValueError
        If a number grows past the largest float (1.8e308) on the way: a
        ReLU layer does not squash its outputs, so inputs and weights near
        the limit of 1e100 can overflow a layer or two later.
    """
    p, X, hidden, out = _validate.forward_args(params, X, activation, ACTIVATIONS, HIDDEN, output, OUTPUTS, OUTPUT)
    L = len(p) // 2 - 1  # hidden layers
    cache = {"X": X}  # A0 = X
    A = X  # (N, D)
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow is said in words below, not warned
        for l in range(1, L + 2):
            f = hidden if l <= L else out  # the output layer's activation is the last
            Z = A @ p[f"W{l}"] + p[f"b{l}"]  # Z[l] = A[l-1] @ W[l] + b[l]  (N, H_l), (N, M) for the output
            finite_layer(Z, l, f)
            A = f.function(Z)  # A[l] = f(Z[l]), same shape
            cache[f"Z{l}"], cache[f"A{l}"] = Z, A
    return A, cache


def finite_layer(Z, l, f):
    """Raise a ValueError that says so if the layer's Z[l] overflowed (holds inf or NaN)."""
    if not np.isfinite(Z).all():
        raise ValueError(
            f"Z{l} (layer {l}, before its {f.name}) holds numbers past the largest float, 1.8e308: "
            "X and params are too large for this network (a ReLU layer passes large numbers on "
            "unsquashed, and the next layer multiplies them again); scale X or the weights down"
        )


def backward(params, cache, y, loss="mse", activation=None):
    """Exact gradient of the loss with respect to every parameter.

    The chain rule, from the output back to the input (one hidden layer):

        dZ2 = dL/dZ2                      (N, M)  see losses.py
        dW2 = A1.T @ dZ2                  (H, M)
        db2 = sum of dZ2 over samples     (1, M)
        dA1 = dZ2 @ W2.T                  (N, H)
        dZ1 = dA1 * A1 (1 - A1)           (N, H)  the sigmoid's derivative
        dW1 = X.T @ dZ1                   (D, H)
        db1 = sum of dZ1 over samples     (1, H)

    and for L hidden layers the same steps, layer by layer, for l = L+1
    down to 1, with A0 = X:

        dW[l] = A[l-1].T @ dZ[l]            (H_{l-1}, H_l)
        db[l] = sum of dZ[l] over samples   (1, H_l)
        dA[l-1] = dZ[l] @ W[l].T            (N, H_{l-1})
        dZ[l-1] = dA[l-1] * f'(A[l-1])      (N, H_{l-1})

    Parameters
    ----------
    params : dict
        Exactly W1 (D, H), b1 (1, H), W2 (H, M) and b2 (1, M); or W1, b1,
        ..., W{L+1}, b{L+1} for L hidden layers.
    cache : dict
        What `forward(params, X)` returned with the outputs (computed with
        the same `activation`, and with output='softmax' for loss='cce').
    y : (N, M) array_like
        Targets, each from 0 to 1 (for 'cce', one-hot rows).
    loss : {'mse', 'bce', 'cce'}
        Mean squared error or binary cross-entropy (sigmoid outputs), or
        categorical cross-entropy (softmax outputs).
    activation : {'sigmoid', 'tanh', 'relu', 'leaky_relu'}, optional
        The hidden layers' activation f; the sigmoid if not given.

    Returns
    -------
    dict
        The gradients dW1, db1, ..., each the shape of its parameter.
    """
    p, A, y, loss, f = _validate.backward_args(params, cache, y, loss, LOSSES, activation, ACTIVATIONS, HIDDEN)
    L = len(A) - 2  # hidden layers; A[0] = X, ..., A[L+1] the outputs
    grads = {}
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow is said in words below, not warned
        dZ = loss.output_error(A[L + 1], y)  # dZ[L+1] = dL/dZ  (N, M)
        for l in range(L + 1, 0, -1):
            grads[f"dW{l}"] = A[l - 1].T @ dZ  # dW[l] = A[l-1].T @ dZ[l]  (H_{l-1}, H_l)
            grads[f"db{l}"] = dZ.sum(axis=0, keepdims=True)  # (1, H_l)
            if l > 1:
                dA = dZ @ p[f"W{l}"].T  # dA[l-1] = dZ[l] @ W[l].T  (N, H_{l-1})
                dZ = dA * f.derivative(A[l - 1])  # dZ[l-1] = dA[l-1] * f'(A[l-1]), the same shape
    grads = {f"d{name}": grads[f"d{name}"] for name in p}  # in the order dW1, db1, dW2, ...
    for name, grad in grads.items():
        if not np.isfinite(grad).all():
            raise ValueError(f"{name} holds numbers past the largest float, 1.8e308: the cache's "
                             "activations and params are too large for this network; scale X or the weights down")
    return grads


def predict(params, X, activation=None, output=None):
    """The network's outputs for some inputs: the last A of `forward`, without the cache.

    Parameters
    ----------
    params : dict
        Exactly W1 (D, H), b1 (1, H), W2 (H, M) and b2 (1, M); or W1, b1,
        ..., W{L+1}, b{L+1} for L hidden layers.
    X : (N, D) array_like
        Inputs, one row per sample.
    activation : {'sigmoid', 'tanh', 'relu', 'leaky_relu'}, optional
        The hidden layers' activation; the sigmoid if not given.
    output : {'sigmoid', 'softmax'}, optional
        The output layer's activation; the sigmoid if not given.

    Returns
    -------
    (N, M) ndarray
        The outputs, each in [0, 1].
    """
    A, _ = forward(params, X, activation, output)
    return A


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
