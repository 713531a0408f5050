"""What several test modules share: the repository's folders and a plain training loop."""

from pathlib import Path

import numpy as np

import nnlib

ROOT = Path(__file__).resolve().parent.parent  # the repository
NOTEBOOKS = ROOT / "notebooks"


def plain_loop(X, y, hidden_size, learning_rate, epochs, seed, loss):
    """Gradient descent written with nnlib.forward and nnlib.backward: what train's fast loop must equal."""
    params = nnlib.init_params(X.shape[1], hidden_size, y.shape[1], seed)
    losses = []
    for _ in range(epochs):
        A2, cache = nnlib.forward(params, X)
        losses.append(nnlib.losses.LOSSES[loss].value(A2, y, A2 - y))
        grads = nnlib.backward(params, cache, y, loss=loss)
        for key in params:
            params[key] = params[key] - learning_rate * grads["d" + key]
    return params, np.array(losses)
