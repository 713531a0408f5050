"""Full-batch gradient descent: the training loop.

Each epoch runs the forward pass on all N samples, records the loss, runs
the backward pass and takes one step downhill:

    W <- W - learning_rate * dL/dW      for W in W1, b1, W2, b2

The loop computes exactly what `forward` and `backward` compute, with two
changes that make it about twice as fast and change no number:

1. Each bias is folded into its weight matrix as an extra last row, and the
   layer's input gets an extra column of ones, because
   X @ W1 + b1 = [X, 1] @ [[W1], [b1]]. One matrix product does both, and
   the bias gradient comes out of the same product: [X, 1].T @ dZ1 stacks
   dW1 on top of db1.
2. Every array is made once before the loop and overwritten in place each
   epoch (`out=` and `-=`), so NumPy does not allocate new memory ten
   thousand times.
"""

from dataclasses import dataclass

import numpy as np

from .activations import sigmoid
from .losses import cross_entropy
from .params import init_params
from ._validate import check_data, check_learning_rate, check_loss, check_positive_int


@dataclass
class TrainResult:
    """What `train` returns: the final parameters and one loss per epoch."""

    params: dict  # W1 (D, H), b1 (1, H), W2 (H, M), b2 (1, M)
    losses: np.ndarray  # (epochs,) loss before each epoch's update
    loss: str  # "mse" or "bce"
    learning_rate: float


def train(X, y, hidden_size=4, learning_rate=0.1, epochs=10000, seed=42,
          loss="mse", callback=None):
    """Train a D-H-M sigmoid network on (X, y) by full-batch gradient descent.

    Parameters
    ----------
    X : (N, D) array
    y : (N, M) array of targets in [0, 1]
    hidden_size : int, H >= 1
    learning_rate : float > 0
    epochs : int >= 1
    seed : int, seed of `init_params`
    loss : "mse" or "bce"
    callback : function (epoch, loss) -> bool, optional
        Called after each epoch's loss is known; returning True stops
        training early.

    Returns
    -------
    TrainResult with `.params` (after the last update) and `.losses`, the
    loss at each epoch computed on the forward pass before that epoch's
    update, as the seed notebook prints it.

    Examples
    --------
    >>> from nnlib import seed_data
    >>> X, y = seed_data()
    >>> result = train(X, y, epochs=3)
    >>> result.losses.round(4)
    array([0.2497, 0.2496, 0.2495])
    """
    X, y = check_data(X, y)
    H = check_positive_int("hidden_size", hidden_size)
    learning_rate = check_learning_rate(learning_rate)
    epochs = check_positive_int("epochs", epochs)
    check_loss(loss)
    N, D = X.shape
    M = y.shape[1]
    start = init_params(D, H, M, seed)

    # Biases folded in: an extra row in each weight matrix, a column of ones.
    X1 = np.hstack([X, np.ones((N, 1))])  # (N, D+1)
    W1 = np.vstack([start["W1"], start["b1"]])  # (D+1, H)
    W2 = np.vstack([start["W2"], start["b2"]])  # (H+1, M)
    # (N, H+1), last column stays 1. Stored column by column ("F" order) so
    # that the view A1[:, :H] is one unbroken block of memory: NumPy runs
    # element-wise operations on it twice as fast as on a strided view.
    A1 = np.ones((N, H + 1), order="F")
    A1h = A1[:, :H]  # (N, H) view of the hidden activations
    Z1 = np.empty((N, H))  # (N, H)
    Z2 = np.empty((N, M))  # (N, M)
    A2 = np.empty((N, M))  # (N, M)
    dZ2 = np.empty((N, M))  # (N, M)
    dZ1 = np.empty((N, H))  # (N, H)
    dW1 = np.empty((D + 1, H))  # (D+1, H): dW1 on top of db1
    dW2 = np.empty((H + 1, M))  # (H+1, M): dW2 on top of db2
    losses = np.empty(epochs)  # (epochs,)
    # Each loss is a mean over N*M elements, so each gradient has a 1/(N*M);
    # the MSE's gradient also has the 2 from d(A2 - y)^2 = 2 (A2 - y) dA2.
    step = learning_rate / (N * M) * (2 if loss == "mse" else 1)

    for epoch in range(epochs):
        # Forward pass
        np.dot(X1, W1, out=Z1)  # Z1 = X @ W1 + b1
        sigmoid(Z1, out=A1h)  # A1 = sigmoid(Z1)
        np.dot(A1, W2, out=Z2)  # Z2 = A1 @ W2 + b2
        sigmoid(Z2, out=A2)  # A2 = sigmoid(Z2)

        # Loss, and dL/dZ2 without the constant factors that are in `step`
        np.subtract(A2, y, out=dZ2)  # A2 - y
        if loss == "mse":
            losses[epoch] = np.vdot(dZ2, dZ2) / (N * M)  # mean((A2 - y)^2)
            dZ2 *= A2 * (1 - A2)  # (A2 - y) A2 (1 - A2)
        else:
            losses[epoch] = cross_entropy(A2, y)  # -mean(y log A2 + (1 - y) log(1 - A2))

        # Backward pass
        np.dot(A1.T, dZ2, out=dW2)  # dW2 = A1.T @ dZ2, db2 = sum of dZ2
        np.dot(dZ2, W2[:H].T, out=dZ1)  # dA1 = dZ2 @ W2.T
        dZ1 *= A1h * (1 - A1h)  # dZ1 = dA1 * A1 (1 - A1)
        np.dot(X1.T, dZ1, out=dW1)  # dW1 = X.T @ dZ1, db1 = sum of dZ1

        # Gradient descent step
        W2 -= step * dW2
        W1 -= step * dW1

        if callback is not None and callback(epoch, float(losses[epoch])):
            losses = losses[: epoch + 1]
            break

    params = {"W1": W1[:D].copy(), "b1": W1[D:].copy(),
              "W2": W2[:H].copy(), "b2": W2[H:].copy()}
    return TrainResult(params, losses, loss, learning_rate)
