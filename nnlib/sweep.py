"""Many networks trained at once: one learning rate each, one NumPy computation.

`train_many` runs the same gradient descent as `nnlib.train` for K networks
side by side. Every array gets a leading axis of length K, and `@` (matmul)
multiplies the K pairs of matrices in one call:

    Z1 = X1 @ W1        (N, D+1) @ (K, D+1, H)  ->  (K, N, H)

Python's cost per NumPy call, not the arithmetic, is what a small network
pays for; K networks in one call pay it once instead of K times.
Biases are folded into the weights as in `nnlib.training`.

Shape letters: K networks, N samples, D inputs, H hidden units, M outputs.
"""

import numpy as np

from .activations import sigmoid
from .losses import EPS
from .params import init_params
from .validate import check_data, check_learning_rate, check_loss, check_positive_int


def learning_rate_grid(low=1e-3, high=1e2, count=64):
    """`count` learning rates spaced evenly on a log scale from low to high."""
    return np.logspace(np.log10(low), np.log10(high), check_positive_int("count", count))


def train_many(X, y, learning_rates, hidden_size=4, epochs=10000, seed=42, loss="mse"):
    """Train one network per learning rate, all from the same starting weights.

    Parameters
    ----------
    X : (N, D) array
    y : (N, M) array
    learning_rates : (K,) array of rates > 0
    hidden_size, epochs, seed, loss : as in `nnlib.train`

    Returns
    -------
    losses : (K, epochs) ndarray
        losses[k] is what `train(X, y, learning_rate=learning_rates[k], ...)`
        records, up to rounding in the last digits.
    """
    X, y = check_data(X, y)
    H = check_positive_int("hidden_size", hidden_size)
    epochs = check_positive_int("epochs", epochs)
    check_loss(loss)
    rates = np.atleast_1d(np.asarray(learning_rates, dtype=float))  # (K,)
    if rates.ndim != 1:
        raise ValueError(f"learning_rates must be a 1-D list of rates; got shape {rates.shape}")
    for rate in rates:
        check_learning_rate(float(rate))
    K = rates.size
    N, D = X.shape
    M = y.shape[1]
    start = init_params(D, H, M, seed)

    X1 = np.hstack([X, np.ones((N, 1))])  # (N, D+1)
    W1 = np.tile(np.vstack([start["W1"], start["b1"]]), (K, 1, 1))  # (K, D+1, H)
    W2 = np.tile(np.vstack([start["W2"], start["b2"]]), (K, 1, 1))  # (K, H+1, M)
    A1 = np.ones((K, N, H + 1))  # (K, N, H+1), last column stays 1
    Z1 = np.empty((K, N, H))  # (K, N, H)
    Z2 = np.empty((K, N, M))  # (K, N, M)
    A2 = np.empty((K, N, M))  # (K, N, M)
    dZ2 = np.empty((K, N, M))  # (K, N, M)
    dZ1 = np.empty((K, N, H))  # (K, N, H)
    dW1 = np.empty((K, D + 1, H))  # (K, D+1, H)
    dW2 = np.empty((K, H + 1, M))  # (K, H+1, M)
    losses = np.empty((K, epochs))  # (K, epochs)
    step = (rates / (N * M) * (2 if loss == "mse" else 1))[:, None, None]  # (K, 1, 1)
    A1h = np.empty((K, N, H))  # (K, N, H) hidden activations, contiguous
    W2h = W2[:, :H, :]  # (K, H, M) view

    for epoch in range(epochs):
        np.matmul(X1, W1, out=Z1)  # Z1 = X @ W1 + b1
        sigmoid(Z1, out=A1h)  # A1 = sigmoid(Z1)
        A1[:, :, :H] = A1h  # beside the column of ones, for the next layer
        np.matmul(A1, W2, out=Z2)  # Z2 = A1 @ W2 + b2
        sigmoid(Z2, out=A2)  # A2 = sigmoid(Z2)

        np.subtract(A2, y, out=dZ2)  # A2 - y
        if loss == "mse":
            losses[:, epoch] = np.mean(dZ2 * dZ2, axis=(1, 2))  # mean((A2 - y)^2)
            dZ2 *= A2 * (1 - A2)  # (A2 - y) A2 (1 - A2)
        else:
            A2c = np.clip(A2, EPS, 1 - EPS)  # (K, N, M)
            losses[:, epoch] = -np.mean(y * np.log(A2c) + (1 - y) * np.log(1 - A2c), axis=(1, 2))

        np.matmul(A1.transpose(0, 2, 1), dZ2, out=dW2)  # dW2 = A1.T @ dZ2, db2
        np.matmul(dZ2, W2h.transpose(0, 2, 1), out=dZ1)  # dA1 = dZ2 @ W2.T
        dZ1 *= A1h * (1 - A1h)  # dZ1 = dA1 * A1 (1 - A1)
        np.matmul(X1.T, dZ1, out=dW1)  # dW1 = X.T @ dZ1, db1

        W2 -= step * dW2
        W1 -= step * dW1
    return losses
