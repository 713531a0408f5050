"""The seed notebook's algorithm exactly as published, bug included.

Kept so that the series can reproduce the original output digit for digit
and then show how a gradient check finds what is wrong with it. Do not use
it to train anything: use `nnlib.train`.

What is wrong with `backward` below (compare `nnlib.network.backward`):

* ``dZ2 = A2 - y`` is dL/dZ2 of the (summed) cross-entropy loss, but the
  loss the notebook prints and means to minimise is the mean squared error.
* ``dW2 = A1.T @ dZ2 * sigmoid_derivative(A2)`` multiplies an (H, M) matrix
  by an (N, M) matrix element by element. That only runs because the seed
  has H = N = 4; with hidden_size 5 NumPy raises "operands could not be
  broadcast together with shapes (5,2) (4,2)". The factor
  sigmoid_derivative(A2) belongs on dZ2 (per sample), not on dW2.
* The gradients are sums over the samples, not means, so they are N * M
  times larger than a mean loss's gradient would be.
"""

import numpy as np

from .data import seed_data
from .params import init_params


def sigmoid(x):
    """The seed's sigmoid, 1 / (1 + exp(-x)), which overflows for x below about -709.

    Parameters
    ----------
    x : ndarray
        Any shape.

    Returns
    -------
    ndarray
        Of x's shape, values in [0, 1] (with a RuntimeWarning where exp overflows).
    """
    return 1 / (1 + np.exp(-x))


def sigmoid_derivative(x):
    """The seed's sigmoid derivative, x (1 - x), taking the activation x = sigmoid(z).

    Parameters
    ----------
    x : ndarray
        Activations, any shape.

    Returns
    -------
    ndarray
        Of x's shape.
    """
    return x * (1 - x)


def forward(params, X):
    """The seed's forward pass, which computes what `nnlib.forward` computes.

    Parameters
    ----------
    params : dict
        W1 (D, H), b1 (1, H), W2 (H, M) and b2 (1, M).
    X : (N, D) ndarray
        Inputs.

    Returns
    -------
    A2 : (N, M) ndarray
        The outputs.
    cache : dict
        X, Z1, A1, Z2 and A2, like `nnlib.forward`'s.
    """
    Z1 = np.dot(X, params["W1"]) + params["b1"]  # (N, H)
    A1 = sigmoid(Z1)  # (N, H)
    Z2 = np.dot(A1, params["W2"]) + params["b2"]  # (N, M)
    A2 = sigmoid(Z2)  # (N, M)
    return A2, {"X": X, "Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


def backward(params, cache, y, loss="mse"):
    """The seed's backward pass, WRONG for the MSE it prints (see above).

    Parameters
    ----------
    params : dict
        W1 (D, H), b1 (1, H), W2 (H, M) and b2 (1, M).
    cache : dict
        From `forward`: X, A1 and A2 are used.
    y : (N, M) ndarray
        Targets.
    loss : str
        Ignored, as the seed's code knows only one formula; accepted so that
        this function can be called like `nnlib.backward`.

    Returns
    -------
    dict
        The gradients dW1, db1, dW2 and db2, as the seed computes them. With H != N the
        line for dW2 raises NumPy's broadcasting ValueError.
    """
    X, A1, A2 = cache["X"], cache["A1"], cache["A2"]
    dZ2 = A2 - y  # (N, M)
    dW2 = np.dot(A1.T, dZ2) * sigmoid_derivative(A2)  # (H, M) * (N, M): the bug
    db2 = np.sum(dZ2, axis=0, keepdims=True)  # (1, M)
    dA1 = np.dot(dZ2, params["W2"].T)  # (N, H)
    dZ1 = dA1 * sigmoid_derivative(A1)  # (N, H)
    dW1 = np.dot(X.T, dZ1)  # (D, H)
    db1 = np.sum(dZ1, axis=0, keepdims=True)  # (1, H)
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}


def train(X=None, y=None, hidden_size=4, learning_rate=0.1, epochs=10000,
          seed=42, print_every=1000, verbose=True):
    """Run the seed's training loop and print its log.

    With the defaults it prints the seed's ten lines, "Epoch 0, Loss: 0.2497"
    to "Epoch 9000, Loss: 0.0001". Its arguments are not checked: this is
    the seed's code, kept as it was.

    Parameters
    ----------
    X : (N, D) ndarray, optional
        Inputs; the seed's four samples when both X and y are None.
    y : (N, M) ndarray, optional
        Targets.
    hidden_size : int
        H; only H = N runs (see the module's docstring).
    learning_rate : float
        The seed's 0.1 by default.
    epochs : int
        The seed's 10,000 by default.
    seed : int
        Seed of `nnlib.init_params`, which draws what the seed draws.
    print_every : int
        Print (and log) the loss every this many epochs.
    verbose : bool
        Whether to print the log as well as return it.

    Returns
    -------
    dict
        "params": the weights after the last update;
        "predictions": A2 (N, M) from the last epoch's forward pass, which
        is what the seed prints as its predictions (computed before the
        last update);
        "losses": (epochs,) array of the MSE at each epoch;
        "log": the printed lines.
    """
    if X is None and y is None:
        X, y = seed_data()
    params = init_params(X.shape[1], hidden_size, y.shape[1], seed)
    losses = np.empty(epochs)
    log = []
    for epoch in range(epochs):
        A2, cache = forward(params, X)
        losses[epoch] = np.mean((y - A2) ** 2)
        grads = backward(params, cache, y)
        for name in ("W2", "b2", "W1", "b1"):
            params[name] -= learning_rate * grads["d" + name]
        if epoch % print_every == 0:
            log.append(f"Epoch {epoch}, Loss: {losses[epoch]:.4f}")
            if verbose:
                print(log[-1])
    return {"params": params, "predictions": A2, "losses": losses, "log": log}
