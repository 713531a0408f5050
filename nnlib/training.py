"""Full-batch gradient descent: the training loop.

Each epoch runs the forward pass on all N samples, records the loss, runs
the backward pass and takes one step downhill:

    W <- W - learning_rate * dL/dW      for W in W1, b1, W2, b2

The loop computes exactly what `forward` and `backward` compute, with two
changes that save work and change no number (benchmarks/train_speed.py
measures what they save):

1. Each bias is folded into its weight matrix as an extra last row, and the
   layer's input gets an extra column of ones, because
   X @ W1 + b1 = [X, 1] @ [[W1], [b1]]. One matrix product does both, and
   the bias gradient comes out of the same product: [X, 1].T @ dZ1 stacks
   dW1 on top of db1.
2. Every array is made once before the loop and overwritten in place each
   epoch (`out=` and `-=`), so NumPy does not allocate new memory ten
   thousand times. The arguments are checked once, before the loop; inside
   it each activation runs without its checks, in place (`Activation.into`
   and `.slope_into` of the layer's activation, in `activations.py`).

What depends on the loss (its value, the factor that turns A2 - y into
dL/dZ2, and the constant folded into the step) comes from the loss's entry
in `losses.LOSSES`; the loop itself is the same for every loss.

Training can also go on from earlier weights (`params=`). Each epoch
depends only on the weights it starts from, so training in pieces, each
piece starting from the `.params` the last one returned, gives exactly the
numbers of one long run. Whatever `train` returns, `train(params=...)`
accepts: a run whose weights grow past 1e100 in size, the limit of
`params=`, is refused as diverged rather than returned.

Shape letters: N samples, D inputs, H hidden units, M outputs.
"""

from dataclasses import dataclass

import numpy as np

from . import _validate, network
from .losses import LOSSES
from .params import init_params

DEFAULT_HIDDEN_SIZE = 4  # hidden units when neither hidden_size nor params says (the seed's 4)


def train(X, y, hidden_size=None, learning_rate=0.1, epochs=10000, seed=42,
          loss="mse", callback=None, params=None):
    """Train a D-H-M sigmoid network on (X, y) by full-batch gradient descent.

    Parameters
    ----------
    X : (N, D) array_like
        Inputs, one row per sample.
    y : (N, M) array_like
        Targets, each from 0 to 1.
    hidden_size : int, optional
        H, from 1 to 10_000 (and N * H at most 10_000_000). Default 4; with
        `params`, their H (a different hidden_size is an error).
    learning_rate : float
        Above 0 and at most 1e6; any real number type.
    epochs : int
        From 1 to 1_000_000.
    seed : int
        Seed of `init_params`, from 0 to 2**32 - 1 (not used with `params`).
    loss : {'mse', 'bce'}
        Mean squared error or binary cross-entropy.
    callback : function, optional
        Called as callback(epoch, loss) after each epoch's loss is known. It
        returns True to stop training there, or None (no return) or False to
        go on; anything else is a TypeError that names the callback.
        `epoch` counts from 0 in each call.
    params : dict, optional
        Weights to start from instead of `init_params(D, H, M, seed)`, to
        continue training: W1 (D, H), b1 (1, H), W2 (H, M), b2 (1, M), as
        in `.params` of an earlier result. They are copied, never changed.
        Training 300 epochs and then 700 more from its `.params` gives the
        same numbers, to the last digit, as training 1000 at once.

    Returns
    -------
    TrainResult
        `.params` after the last update, and `.losses`, the loss at each
        epoch computed on the forward pass before that epoch's update, as
        the seed notebook prints it.

    Raises
    ------
    ValueError
        If an argument is wrong (the message names it), or if training
        diverged: the final weights are larger than 1e100 in size, which
        `params=` would refuse. So `.params` can always be trained on further.

    Examples
    --------
    >>> from nnlib import seed_data
    >>> X, y = seed_data()
    >>> result = train(X, y, epochs=3)
    >>> result.losses.round(4)
    array([0.2497, 0.2496, 0.2495])

    Continue training from where it stopped:

    >>> more = train(X, y, epochs=2, params=result.params)
    >>> bool(np.all(more.losses == train(X, y, epochs=5).losses[3:]))
    True
    """
    X, y, H, learning_rate, epochs, seed, loss, params = _validate.train_args(
        X, y, hidden_size, learning_rate, epochs, seed, loss, callback, params, LOSSES, DEFAULT_HIDDEN_SIZE)  # loss: a Loss
    N, D = X.shape
    M = y.shape[1]
    start = init_params(D, H, M, seed) if params is None else params  # params: a checked copy
    hidden, output = network.HIDDEN, network.OUTPUT  # each layer's activation (an `Activation`)

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
    slope2 = np.empty((N, M))  # (N, M) room for the loss's factor
    dZ1 = np.empty((N, H))  # (N, H)
    dW1 = np.empty((D + 1, H))  # (D+1, H): dW1 on top of db1
    dW2 = np.empty((H + 1, M))  # (H+1, M): dW2 on top of db2
    slope1 = np.empty((N, H))  # (N, H) the hidden activation's derivative, A1 (1 - A1)
    losses = np.empty(epochs)  # (epochs,)
    X1T, A1T, W2hT = X1.T, A1.T, W2[:H].T  # transposed views, named once
    # dL/dZ2 = c / (N M) * (A2 - y) * factor (see losses.py): the constant
    # c / (N M) goes into the step once, instead of into dZ2 every epoch.
    step = learning_rate / (N * M) * loss.step_constant

    for epoch in range(epochs):
        # Forward pass
        np.dot(X1, W1, out=Z1)  # Z1 = X @ W1 + b1
        hidden.into(Z1, A1h)  # A1 = sigmoid(Z1)
        np.dot(A1, W2, out=Z2)  # Z2 = A1 @ W2 + b2
        output.into(Z2, A2)  # A2 = sigmoid(Z2)

        # Loss, and dL/dZ2 without the constant that is in `step`
        np.subtract(A2, y, out=dZ2)  # A2 - y
        losses[epoch] = loss.value(A2, y, dZ2)  # L
        loss.apply_factor(dZ2, A2, slope2)  # (A2 - y) * factor

        # Backward pass
        np.dot(A1T, dZ2, out=dW2)  # dW2 = A1.T @ dZ2, db2 = sum of dZ2
        np.dot(dZ2, W2hT, out=dZ1)  # dA1 = dZ2 @ W2.T
        hidden.slope_into(A1h, slope1)  # A1 (1 - A1)
        dZ1 *= slope1  # dZ1 = dA1 * A1 (1 - A1)
        np.dot(X1T, dZ1, out=dW1)  # dW1 = X.T @ dZ1, db1 = sum of dZ1

        # Gradient descent step
        W2 -= step * dW2
        W1 -= step * dW1

        if callback is not None:
            answer = callback(epoch, float(losses[epoch]))
            if _validate.wants_to_stop(callback, answer):  # True stops; None or False goes on
                losses = losses[: epoch + 1].copy()
                break

    # Refused if the weights grew past what `params=` accepts, so that a
    # result can always be trained on further.
    params = _validate.trained_params({"W1": W1[:D], "b1": W1[D:], "W2": W2[:H], "b2": W2[H:]},
                                      len(losses), learning_rate)  # new arrays
    return TrainResult(params, losses, loss.name, learning_rate)


@dataclass
class TrainResult:
    """What `train` returns: the final parameters and one loss per epoch.

    Parameters
    ----------
    params : dict
        W1 (D, H), b1 (1, H), W2 (H, M) and b2 (1, M) after the last update.
    losses : (epochs,) ndarray
        The loss before each epoch's update (fewer if a callback stopped early).
    loss : {'mse', 'bce'}
        Which loss was minimised.
    learning_rate : float
        The learning rate, as a float.
    """

    params: dict
    losses: np.ndarray
    loss: str
    learning_rate: float
