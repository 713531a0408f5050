"""Full-batch gradient descent: the training loop.

Each epoch runs the forward pass on all N samples, records the loss, runs
the backward pass and takes one step downhill:

    W <- W - learning_rate * dL/dW      for W in W1, b1, W2, b2, ...

The loop computes exactly what `forward` and `backward` compute, with two
changes that save work and change no number (benchmarks/train_speed.py
measures what they save):

1. Each bias is folded into its weight matrix as an extra last row, and
   each layer's input gets an extra column of ones, because
   X @ W1 + b1 = [X, 1] @ [[W1], [b1]]. One matrix product does both, and
   the bias gradient comes out of the same product: [X, 1].T @ dZ1 stacks
   dW1 on top of db1. So A[0] = [X, 1] and each hidden layer's
   A[l] = [f(Z[l]), 1] carries its column of ones.
2. Every array is made once before the loop and overwritten in place each
   epoch (`out=` and `-=`), so NumPy does not allocate new memory ten
   thousand times. The arguments are checked once, before the loop; inside
   it each activation runs without its checks, in place (`Activation.into`
   and `.slope_into` of the layer's activation, in `activations.py`).
3. Every layer's weights are parts of one flat array, and their gradients
   parts of another, at the same places: the gradient descent step is then
   two NumPy calls for the whole network, whatever its depth.

The loop over layers is the same for one hidden layer, the tutorial's
network, as for ten; with one it makes the very NumPy calls, in the same
order, that the two-layer loop made before there were more.

What depends on the loss (its value, the factor that turns A2 - y into
dL/dZ2, the constant folded into the step, and the output layer's
activation) comes from the loss's entry in `losses.LOSSES`; the hidden
layers' activation from `activations.ACTIVATIONS`.

Training can also go on from earlier weights (`params=`). Each epoch
depends only on the weights it starts from, so training in pieces, each
piece starting from the `.params` the last one returned, gives exactly the
numbers of one long run. Whatever `train` returns, `train(params=...)`
accepts: a run whose weights grow past 1e100 in size, the limit of
`params=`, is refused as diverged rather than returned, and so is a run
whose loss stops being a number (a ReLU network's numbers can overflow).

Shape letters: N samples, D inputs, H (or H_l) hidden units, M outputs.
"""

import math
from dataclasses import dataclass

import numpy as np

from . import _validate, network
from .activations import ACTIVATIONS
from .losses import LOSSES
from .params import INITS, init_params

DEFAULT_HIDDEN_SIZE = 4  # hidden units when neither hidden_size nor params says (the seed's 4)


def train(X, y, hidden_size=None, learning_rate=0.1, epochs=10000, seed=42,
          loss="mse", callback=None, params=None, activation=None, init=None):
    """Train a sigmoid network (or another activation's, of any depth) on (X, y) by full-batch gradient descent.

    Parameters
    ----------
    X : (N, D) array_like
        Inputs, one row per sample.
    y : (N, M) array_like
        Targets, each from 0 to 1 (one-hot rows for loss='cce').
    hidden_size : int or list of int, optional
        H, from 1 to 10_000 (and N * H at most 10_000_000); or the widths
        of 1 to 10 hidden layers, [H1, H2, ...]. Default 4; with `params`,
        their widths (different ones are an error).
    learning_rate : float
        Above 0 and at most 1e6; any real number type.
    epochs : int
        From 1 to 1_000_000.
    seed : int
        Seed of `init_params`, from 0 to 2**32 - 1 (not used with `params`).
    loss : {'mse', 'bce', 'cce'}
        Mean squared error or binary cross-entropy (sigmoid outputs), or
        categorical cross-entropy (softmax outputs, one-hot targets).
    callback : function, optional
        Called as callback(epoch, loss) after each epoch's loss is known. It
        returns True to stop training there, or None (no return) or False to
        go on; anything else is a TypeError that names the callback.
        `epoch` counts from 0 in each call.
    params : dict, optional
        Weights to start from instead of `init_params(D, H, M, seed)`, to
        continue training: W1 (D, H), b1 (1, H), W2 (H, M), b2 (1, M) (or
        the W1, b1, ... of more layers), as in `.params` of an earlier
        result. They are copied, never changed. Training 300 epochs and
        then 700 more from its `.params` gives the same numbers, to the
        last digit, as training 1000 at once.
    activation : {'sigmoid', 'tanh', 'relu', 'leaky_relu'}, optional
        The hidden layers' activation; the sigmoid if not given.
    init : {'uniform', 'xavier', 'he'}, optional
        How `init_params` draws the starting weights (not used with
        `params`): by default the tutorial's 'uniform' for one hidden
        layer, the activation's own for more (see `init_params`).

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
        `params=` would refuse, or the loss stopped being a finite number.
        So `.params` can always be trained on further.

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

    Two hidden layers of 8 tanh units:

    >>> deep = train(X, y, hidden_size=[8, 8], activation="tanh", epochs=3)
    >>> sorted(deep.params)
    ['W1', 'W2', 'W3', 'b1', 'b2', 'b3']
    """
    X, y, widths, learning_rate, epochs, seed, loss, hidden, init, params = _validate.train_args(
        X, y, hidden_size, learning_rate, epochs, seed, loss, callback, params, LOSSES, DEFAULT_HIDDEN_SIZE,
        activation, ACTIVATIONS, network.HIDDEN, init, INITS)  # loss: a Loss; hidden: an Activation
    N, D = X.shape
    M = y.shape[1]
    start = init_params(D, list(widths), M, seed, init, activation) if params is None else params  # checked copy
    L = len(widths)  # hidden layers
    H = (D, *widths, M)  # H[l]: the width of layer l, from H[0] = D to H[L+1] = M
    output = loss.output  # the output layer's activation (an `Activation`): sigmoid or softmax

    # W[l] (H[l-1]+1, H[l]): the weights with the biases as their last row, a view into
    # `weights`, which holds every layer's one after the other; dW[l] the same in `grads`.
    # W[0] is not used.
    counts = [(H[l - 1] + 1) * H[l] for l in range(1, L + 2)]  # numbers in W[1], W[2], ...
    weights, grads = np.empty(sum(counts)), np.empty(sum(counts))
    W, dW, end = [None], [None], 0
    for l in range(1, L + 2):
        part = slice(end, end + counts[l - 1])
        end = part.stop
        W.append(weights[part].reshape(H[l - 1] + 1, H[l]))
        W[l][...] = np.vstack([start[f"W{l}"], start[f"b{l}"]])
        dW.append(grads[part].reshape(H[l - 1] + 1, H[l]))  # dW[l] on top of db[l]
    # A[l] (N, H[l]+1): each layer's output with its column of ones; A[0] = [X, 1]. Stored
    # column by column ("F" order) so that the view A[l][:, :H[l]] is one unbroken block of
    # memory: NumPy runs element-wise operations on it twice as fast as on a strided view.
    A = [np.hstack([X, np.ones((N, 1))])] + [np.ones((N, H[l] + 1), order="F") for l in range(1, L + 1)]
    Ah = [None] + [A[l][:, :H[l]] for l in range(1, L + 1)]  # (N, H[l]) views of the hidden activations
    out = np.empty((N, M))  # (N, M) the outputs, A[L+1]
    Z = [None] + [np.empty((N, H[l])) for l in range(1, L + 2)]  # Z[l] (N, H[l])
    dZ = [None] + [np.empty((N, H[l])) for l in range(1, L + 2)]  # dZ[l] (N, H[l])
    # slope[l] (N, H[l]): f'(Z[l]) of a hidden layer; slope[L+1]: room for the loss's factor
    slope = [None] + [np.empty((N, H[l])) for l in range(1, L + 2)]
    losses = np.empty(epochs)  # (epochs,)
    AT = [a.T for a in A]  # AT[l] (H[l]+1, N): transposed views, named once
    WT = [None] + [W[l][:H[l - 1]].T for l in range(1, L + 2)]  # WT[l] (H[l], H[l-1]): W[l] without b, transposed
    # dL/dZ[L+1] = c / (N M) * (A[L+1] - y) * factor (see losses.py): the constant
    # c / (N M) goes into the step once, instead of into dZ every epoch.
    step = learning_rate / (N * M) * loss.step_constant

    # Each layer's arrays, in the order the loops below visit the layers (named
    # once: a loop that unpacks them costs less than one that indexes seven lists).
    forward_layers = [(A[l - 1], W[l], Z[l], Ah[l]) for l in range(1, L + 1)]  # l = 1, ..., L
    backward_layers = [(AT[l - 1], dZ[l], dW[l], WT[l], dZ[l - 1], Ah[l - 1], slope[l - 1])
                       for l in range(L + 1, 1, -1)]  # l = L+1, ..., 2
    Z_out, dZ_out, W_out, factor = Z[L + 1], dZ[L + 1], W[L + 1], slope[L + 1]  # the output layer's

    # A ReLU network that diverges overflows: what it returns is refused below in words, not warned about.
    with np.errstate(over="ignore", invalid="ignore"):
        for epoch in range(epochs):
            # Forward pass
            for A_before, W_l, Z_l, A_l in forward_layers:
                np.dot(A_before, W_l, out=Z_l)  # Z[l] = A[l-1] @ W[l] + b[l]  (N, H[l])
                hidden.into(Z_l, A_l)  # A[l] = f(Z[l])  (N, H[l]), e.g. sigmoid(Z[l])
            np.dot(A[L], W_out, out=Z_out)  # Z[L+1] = A[L] @ W[L+1] + b[L+1]  (N, M)
            output.into(Z_out, out)  # A[L+1] = sigmoid(Z[L+1]), or softmax  (N, M)

            # Loss, and dL/dZ[L+1] without the constant that is in `step`
            np.subtract(out, y, out=dZ_out)  # A[L+1] - y
            losses[epoch] = loss.value(out, y, dZ_out)  # L
            loss.apply_factor(dZ_out, out, factor)  # (A[L+1] - y) * factor

            # Backward pass
            for AT_before, dZ_l, dW_l, WT_l, dZ_before, A_before, slope_before in backward_layers:
                np.dot(AT_before, dZ_l, out=dW_l)  # dW[l] = A[l-1].T @ dZ[l], db[l] = sum of dZ[l]
                np.dot(dZ_l, WT_l, out=dZ_before)  # dA[l-1] = dZ[l] @ W[l].T  (N, H[l-1])
                hidden.slope_into(A_before, slope_before)  # f'(Z[l-1]) from A[l-1], e.g. A (1 - A)
                dZ_before *= slope_before  # dZ[l-1] = dA[l-1] * f'(Z[l-1])
            np.dot(AT[0], dZ[1], out=dW[1])  # dW1 = X.T @ dZ1, db1 = sum of dZ1

            # Gradient descent step, every layer at once: W[l] <- W[l] - learning_rate * dL/dW[l]
            grads *= step  # learning_rate * dL/dW, b with W
            weights -= grads

            if callback is not None:
                value = float(losses[epoch])
                if not math.isfinite(value):  # the callback sees numbers only
                    raise _validate.diverged(epoch + 1, learning_rate, value)
                if _validate.wants_to_stop(callback, callback(epoch, value)):  # True stops; None or False goes on
                    losses = losses[: epoch + 1].copy()
                    break

    # Refused if the weights grew past what `params=` accepts (or overflowed), so
    # that a result can always be trained on further.
    final = {}
    for l in range(1, L + 2):
        final[f"W{l}"], final[f"b{l}"] = W[l][:H[l - 1]], W[l][H[l - 1]:]
    params = _validate.trained_params(final, len(losses), learning_rate)  # new arrays
    return TrainResult(params, losses, loss.name, learning_rate, hidden.name, output.name)


@dataclass
class TrainResult:
    """What `train` returns: the final parameters and one loss per epoch.

    Parameters
    ----------
    params : dict
        W1 (D, H), b1 (1, H), W2 (H, M) and b2 (1, M) after the last update
        (W1, b1, ..., W{L+1}, b{L+1} for L hidden layers).
    losses : (epochs,) ndarray
        The loss before each epoch's update (fewer if a callback stopped early).
    loss : {'mse', 'bce', 'cce'}
        Which loss was minimised.
    learning_rate : float
        The learning rate, as a float.
    activation : str
        The hidden layers' activation, 'sigmoid' unless another was named.
    output : {'sigmoid', 'softmax'}
        The output layer's activation, the loss's: `predict(result.params, X,
        result.activation, result.output)` gives the trained network's outputs.
    """

    params: dict
    losses: np.ndarray
    loss: str
    learning_rate: float
    activation: str = "sigmoid"
    output: str = "sigmoid"
