"""Many networks trained at once: one learning rate each, one NumPy computation.

`train_many` runs the same gradient descent as `nnlib.train` for K networks
side by side, with the same numbers (to the last digit or two):

    Z1 = X1 @ W1    (N, D+1) @ (D+1, K*H)     -> (N, K*H)   the K first layers
                                                            side by side
    Z2 = A1 @ W2    (K, N, H+1) @ (K, H+1, M) -> (K, N, M)  `@` over a stack
                                                            of K matrices

Python's cost per NumPy call, not the arithmetic, is what a small network
pays for; K networks in one call pay it once instead of K times.
Biases are folded into the weights as in `nnlib.training`, and every array
is made once before the loop and overwritten in place.

Shape letters: K networks, N samples, D inputs, H hidden units, M outputs.
"""

import numpy as np

from .. import _validate
from ..activations import _sigmoid_into
from ..params import init_params


def learning_rate_grid(low=1e-3, high=1e2, count=64):
    """Learning rates spaced evenly on a log scale from low to high.

    Parameters
    ----------
    low : float
        The smallest rate, above 0.
    high : float
        The largest rate, at least `low` and at most 1e6.
    count : int
        How many rates, from 1 to 1000.

    Returns
    -------
    (count,) ndarray
        From low to high, each rate the same factor above the one before.

    Examples
    --------
    >>> learning_rate_grid(0.01, 1.0, 3)
    array([0.01, 0.1 , 1.  ])
    """
    low, high, count = _validate.grid_args(low, high, count)
    return np.logspace(np.log10(low), np.log10(high), count)


def train_many(X, y, learning_rates, hidden_size=4, epochs=10000, seed=42, loss="mse"):
    """Train one network per learning rate, all from the same starting weights.

    Parameters
    ----------
    X : (N, D) array_like
        Inputs, one row per sample.
    y : (N, M) array_like
        Targets, each from 0 to 1.
    learning_rates : (K,) array_like
        One rate per network, each above 0 and at most 1e6.
    hidden_size : int
        H, as in `nnlib.train` (and K * N * H at most 10_000_000).
    epochs : int
        As in `nnlib.train` (and K * epochs at most 10_000_000).
    seed : int
        Seed of `init_params`, the same for every network.
    loss : {'mse', 'bce'}
        Mean squared error or binary cross-entropy.

    Returns
    -------
    (K, epochs) ndarray
        The losses: row k is what `train(X, y, learning_rate=learning_rates[k], ...)`
        records, up to rounding in the last digits.

    Examples
    --------
    >>> from nnlib import seed_data
    >>> X, y = seed_data()
    >>> train_many(X, y, [0.1, 10.0], epochs=3).round(4)
    array([[0.2497, 0.2496, 0.2495],
           [0.2497, 0.2451, 0.2425]])
    """
    X, y, rates, H, epochs, seed, loss = _validate.sweep_args(
        X, y, learning_rates, hidden_size, epochs, seed, loss)  # rates: (K,); loss: a Loss
    K = rates.size
    N, D = X.shape
    M = y.shape[1]
    start = init_params(D, H, M, seed)

    # Layer 1: every network sees the same inputs, so its K weight matrices
    # sit side by side in one (D+1, K*H) matrix and ONE 2-D product serves
    # them all: [X, 1] @ [W1_1 | W1_2 | ... | W1_K] -> (N, K*H).
    X1 = np.hstack([X, np.ones((N, 1))])  # (N, D+1)
    W1 = np.tile(np.vstack([start["W1"], start["b1"]]), (1, K))  # (D+1, K*H)
    Z1 = np.empty((N, K * H))  # (N, K*H)
    A1h = np.empty((N, K, H))  # (N, K, H) hidden activations
    dZ1 = np.empty((N, K, H))  # (N, K, H)
    dW1 = np.empty((D + 1, K * H))  # (D+1, K*H): dW1 on top of db1, per network
    # Layer 2: each network has its own hidden activations, so `@` runs over
    # the stack of K matrices.
    W2 = np.tile(np.vstack([start["W2"], start["b2"]]), (K, 1, 1))  # (K, H+1, M)
    W2h = W2[:, :H, :]  # (K, H, M) view, without the bias row
    A1 = np.ones((K, N, H + 1))  # (K, N, H+1), last column stays 1
    Z2 = np.empty((K, N, M))  # (K, N, M)
    A2 = np.empty((K, N, M))  # (K, N, M)
    dZ2 = np.empty((K, N, M))  # (K, N, M)
    dW2 = np.empty((K, H + 1, M))  # (K, H+1, M): dW2 on top of db2
    slope1 = np.empty((N, K, H))  # (N, K, H) A1 (1 - A1)
    slope2 = np.empty((K, N, M))  # (K, N, M) room for the loss's factor
    losses = np.empty((K, epochs))  # (K, epochs)
    step = rates / (N * M) * loss.step_constant  # (K,) c / (N M) of dL/dZ2, see losses.py
    step1 = np.repeat(step, H)  # (K*H,) one rate per column of W1
    step2 = step[:, None, None]  # (K, 1, 1)
    Z1k = Z1.reshape(N, K, H)  # (N, K, H) view
    dZ1k = dZ1.transpose(1, 0, 2)  # (K, N, H) view, for the stacked product
    A1k = A1[:, :, :H].transpose(1, 0, 2)  # (N, K, H) view of A1 without the ones
    A1T = A1.transpose(0, 2, 1)  # (K, H+1, N) view
    W2hT = W2h.transpose(0, 2, 1)  # (K, M, H) view
    X1T = X1.T  # (D+1, N) view
    dZ1flat = dZ1.reshape(N, K * H)  # (N, K*H) view

    for epoch in range(epochs):
        np.dot(X1, W1, out=Z1)  # Z1 = X @ W1 + b1, all networks at once
        _sigmoid_into(Z1k, A1h)  # A1 = sigmoid(Z1)
        A1k[...] = A1h  # beside the column of ones, for the next layer
        np.matmul(A1, W2, out=Z2)  # Z2 = A1 @ W2 + b2
        _sigmoid_into(Z2, A2)  # A2 = sigmoid(Z2)

        np.subtract(A2, y, out=dZ2)  # A2 - y
        losses[:, epoch] = loss.value(A2, y, dZ2)  # (K,) L of each network
        loss.apply_factor(dZ2, A2, slope2)  # (A2 - y) * factor: dL/dZ2 without the constant in `step`

        np.matmul(A1T, dZ2, out=dW2)  # dW2 = A1.T @ dZ2, db2
        np.matmul(dZ2, W2hT, out=dZ1k)  # dA1 = dZ2 @ W2.T
        np.subtract(1, A1h, out=slope1)
        slope1 *= A1h  # A1 (1 - A1)
        dZ1 *= slope1  # dZ1 = dA1 * A1 (1 - A1)
        np.dot(X1T, dZ1flat, out=dW1)  # dW1 = X.T @ dZ1, db1

        dW2 *= step2
        W2 -= dW2
        dW1 *= step1
        W1 -= dW1
    return losses
