"""Many networks trained at once: one learning rate each, one NumPy computation.

`train_many` runs the gradient descent of `nnlib.train` for K networks side
by side; `SweepRun` does the same a chunk of epochs at a time, so that the
dashboard can draw between chunks and stop when a slider moves. Training in
chunks gives the same numbers, to the last bit, as one long call.

Python's cost per NumPy call, not the arithmetic, is what a small network
pays for (about 1 us a call, where the seed's arithmetic takes nanoseconds).
So every step below is one call for all K networks:

    layer 1    X1 @ [W1_1 | W1_2 | ... | W1_K]  one 2-D product: every network
                                                sees the same inputs
    layer 2    `@` over a stack of K matrices   each network its own A1
    the step   all weights of all networks in one flat array, all gradients
               in another: the update is two calls

and it computes, network by network, exactly the numbers `nnlib.train`
computes (tests/test_sweep.py: to 1e-12; here they agree bit for bit):

- each product hands BLAS a network's matrices in the layout `train` uses
  (the hidden activations transposed, as train's column-major A1.T), so
  that the same routine adds the same terms in the same order;
- each layer's activation is read from `nnlib.activations` (the network's
  `HIDDEN` and `OUTPUT`), in its folded form (`Activation.fold`): f computed
  on numbers scaled by powers of two, which the sweep folds into its
  weights. For the sigmoid, 0.5 tanh(z/2) + 0.5, the sweep keeps W1/2 and
  W2/4, so the products come out as z/2, ready for tanh, and the hidden
  layer as 2 A1 = tanh + 1. Multiplying by a power of two only changes a
  float's exponent, so it is exact (for numbers above 1e-308), and two
  NumPy calls per layer and epoch go away (the scales are worked out in
  `SweepRun.__init__`);
- the losses are computed from the outputs a block of epochs at a time,
  with `loss.value` of `nnlib.losses` (each network's loss is a sum over its
  own N * M outputs, whatever the block).

Shape letters: K networks, N samples, D inputs, H hidden units, M outputs.
"""

import numpy as np

from .. import _validate, network
from ..losses import LOSSES
from ..params import init_params
from ..training import DEFAULT_HIDDEN_SIZE

# The losses are computed once per block of epochs, from the outputs the
# block kept: at most this many numbers (16 epochs of 64 networks on the
# seed's data; one epoch at a time where one epoch's outputs are more). In
# blocks this small NumPy sums each network's outputs the same way whatever
# the block, so training in chunks gives the losses of one call
# (tests/test_sweep.py checks it, with a case where a larger block would not).
LOSS_BLOCK_NUMBERS = 8192
MAX_NETWORKS = 1000  # learning rates in one sweep


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
    low, high, count = grid_args(low, high, count)
    return np.logspace(np.log10(low), np.log10(high), count)


def train_many(X, y, learning_rates, hidden_size=None, epochs=10000, seed=42, loss="mse",
               params=None):
    """Train one network per learning rate, all from the same starting weights.

    Parameters
    ----------
    X : (N, D) array_like
        Inputs, one row per sample.
    y : (N, M) array_like
        Targets, each from 0 to 1.
    learning_rates : (K,) array_like
        One rate per network, each above 0 and at most 1e6.
    hidden_size : int, optional
        H, as in `nnlib.train` (default 4, or the H of `params`; and
        K * N * H at most 10_000_000).
    epochs : int
        As in `nnlib.train` (and K * epochs at most 10_000_000).
    seed : int
        Seed of `init_params`, the same for every network (not used with `params`).
    loss : {'mse', 'bce'}
        Mean squared error or binary cross-entropy.
    params : dict, optional
        Weights every network starts from, as in `nnlib.train`.

    Returns
    -------
    (K, epochs) ndarray
        The losses: row k is what `train(X, y, learning_rate=learning_rates[k], ...)`
        records, up to rounding in the last digit.

    Examples
    --------
    >>> from nnlib import seed_data
    >>> X, y = seed_data()
    >>> train_many(X, y, [0.1, 10.0], epochs=3).round(4)
    array([[0.2497, 0.2496, 0.2495],
           [0.2497, 0.2451, 0.2425]])
    """
    return SweepRun(X, y, learning_rates, hidden_size, seed, loss, params).train(epochs)


class SweepRun:
    """K networks, one learning rate each, trained side by side a chunk of epochs at a time.

    Each call of `train` goes on where the last one stopped: chunks of 300
    and 700 epochs give the same losses and weights, bit for bit, as
    `train_many` with 1000. A chunk is all or nothing: stopped inside (by
    KeyboardInterrupt, say), it leaves the weights as they were before it.

    Parameters
    ----------
    X, y, learning_rates, hidden_size, seed, loss, params
        As in `train_many`.

    Attributes
    ----------
    learning_rates : (K,) ndarray
        The rates, as floats.
    epochs_done : int
        Epochs trained so far.

    Examples
    --------
    >>> from nnlib import seed_data
    >>> X, y = seed_data()
    >>> run = SweepRun(X, y, [0.1, 10.0])
    >>> first, then = run.train(1), run.train(2)  # (2, 1) and (2, 2) losses
    >>> bool(np.all(np.hstack([first, then]) == train_many(X, y, [0.1, 10.0], epochs=3)))
    True
    >>> run.epochs_done, run.params(1)["W1"].shape
    (3, (3, 4))
    """

    def __init__(self, X, y, learning_rates, hidden_size=None, seed=42, loss="mse", params=None):
        X, y, rates, H, seed, loss, start = sweep_args(
            X, y, learning_rates, hidden_size, seed, loss, params)  # rates: (K,); loss: a Loss
        K = rates.size
        N, D = X.shape
        M = y.shape[1]
        if start is None:
            start = init_params(D, H, M, seed)
        self.learning_rates = rates
        self.epochs_done = 0
        self._loss = loss
        self._sizes = K, N, D, H, M
        # Each layer's activation in its folded form: `into` takes s = inner * z and writes
        # outer * f(z); `slope_into` writes outer**2 * f'(z). For the sigmoid inner = 1/2, outer = 2.
        self._hidden, self._output = network.HIDDEN.fold(), network.OUTPUT.fold()
        in1, out1, in2 = self._hidden.inner, self._hidden.outer, self._output.inner
        # What the sweep keeps, in terms of `train`'s numbers (powers of two, so exact):
        #   W1 * in1             then X1 @ it = in1 Z1, ready for the hidden layer's `into`
        #   S1 = out1 [A1, 1]    the hidden layer as `into` writes it (its row of ones: out1)
        #   W2 * in2 / out1      then S1 @ it = in2 Z2, ready for the output layer's `into`
        # Then S1.T @ dZ2 = out1 dW2, and dZ2 @ (the kept W2).T = dA1 in2 / out1, which times
        # the slope out1**2 f'(Z1) is dZ1 in2 out1: the steps below undo these factors.
        self._scale1, self._scale2 = in1, in2 / out1  # the kept W1, W2: train's times these
        self._X1 = np.hstack([X, np.ones((N, 1))])  # (N, D+1), biases folded in as in nnlib.train
        self._y = y  # (N, M)
        self._yK = np.ascontiguousarray(np.broadcast_to(y, (K, N, M)))  # (K, N, M), for a faster A2 - y

        # Every weight of every network in one flat array, its gradient at the
        # same place in another, its network's step size in a third: then the
        # gradient descent step is `grads *= steps; weights -= grads`.
        n1, n2 = (D + 1) * H * K, K * (H + 1) * M
        self._weights = np.empty(n1 + n2)
        self._grads = np.empty(n1 + n2)
        self._steps = np.empty(n1 + n2)
        # W1 * in1 of network k, with b1 * in1 as last row, in the columns h * K + k:
        # grouped by hidden unit, so that the hidden layer comes out as (H, K, N).
        self._W1_kept = self._weights[:n1].reshape(D + 1, H * K)
        self._W1_kept.reshape(D + 1, H, K)[...] = np.vstack([start["W1"], start["b1"]])[:, :, None] * self._scale1
        self._W2_kept = self._weights[n1:].reshape(K, H + 1, M)  # W2 * in2 / out1 on top of b2 * in2 / out1
        self._W2_kept[...] = np.vstack([start["W2"], start["b2"]]) * self._scale2
        self._dW1_kept = self._grads[:n1].reshape(D + 1, H * K)  # in2 out1 dW1 on top of in2 out1 db1, as W1
        self._dW2_kept = self._grads[n1:].reshape(K, H + 1, M)  # out1 dW2 on top of out1 db2
        # `train`'s step, learning_rate / (N M) * c (see losses.py), scaled as the weights and
        # gradients are: the kept W1 moves by in1 step dW1 = in1 / (in2 out1) step (the kept dW1),
        # the kept W2 by (in2 / out1) step dW2 = in2 / out1**2 step (the kept dW2). For the
        # sigmoid: step / 2 and step / 8.
        step = rates / (N * M) * loss.step_constant  # (K,)
        self._steps[:n1].reshape(D + 1, H, K)[...] = step * (in1 / (in2 * out1))
        self._steps[n1:].reshape(K, H + 1, M)[...] = (step * (in2 / out1**2))[:, None, None]

        # Work arrays, overwritten every epoch.
        self._S1T = np.full((H + 1, K, N), out1)  # S1 = out1 [A1, 1] of network k, transposed, at [:, k, :]
        self._dA1T = np.empty((H, K, N))  # dA1 in2 / out1, then dZ1 in2 out1, transposed like A1
        self._slope1 = np.empty((H, K, N))  # out1**2 f'(Z1): for the sigmoid 4 A1 (1 - A1)
        self._Z2_kept = np.empty((K, N, M))  # in2 Z2
        self._dZ2 = np.empty((K, N, M))  # dL/dZ2 without the constant in the steps
        self._dZ2T = np.empty((K, M, N))  # the same, transposed, for dA1
        self._work = np.empty((K, N, M))  # room for the loss's factor
        self._block = max(1, LOSS_BLOCK_NUMBERS // (K * N * M))
        self._outputs = np.empty((self._block, K, N, M))  # A2 of the epochs of one block

    def train(self, epochs):
        """Train every network for `epochs` more epochs.

        Parameters
        ----------
        epochs : int
            From 1 to 1_000_000 (and K * epochs at most 10_000_000).

        Returns
        -------
        (K, epochs) ndarray
            The losses of these epochs: row k is network k's, computed on
            the forward pass before each update, as `nnlib.train` records them.
        """
        K, N, D, H, M = self._sizes
        epochs = sweep_epochs(epochs, K)
        loss, y, yK = self._loss, self._y, self._yK
        hidden, output = self._hidden, self._output  # folded forms: for the sigmoid, of tanh
        unscale2 = 1.0 / output.outer  # A2 = (what the output layer's `into` writes) / out2
        X1T = self._X1.T  # (D+1, N)
        weights, grads, steps = self._weights, self._grads, self._steps
        W1T = self._W1_kept.T  # (H*K, D+1) view
        W2 = self._W2_kept  # (K, H+1, M)
        W2h = W2[:, :H, :]  # (K, H, M) view, without b2
        dW1, dW2 = self._dW1_kept, self._dW2_kept
        S1T = self._S1T  # (H+1, K, N)
        S1hT = S1T[:H]  # (H, K, N) view of the hidden units, without the row of out1s
        Z1T = S1hT.reshape(H * K, N)  # the same memory: in1 Z1 lands there first
        S1_k = S1T.transpose(1, 2, 0)  # (K, N, H+1) view: network k's out1 [A1, 1]
        S1T_k = S1T.transpose(1, 0, 2)  # (K, H+1, N) view: its transpose
        dA1T, slope1 = self._dA1T, self._slope1  # (H, K, N)
        dA1T_k = dA1T.transpose(1, 0, 2)  # (K, H, N) view
        dZ1 = dA1T.reshape(H * K, N).T  # (N, H*K) view, columns h * K + k as in W1
        Z2, dZ2, dZ2T, work = self._Z2_kept, self._dZ2, self._dZ2T, self._work
        dZ2_transposed = dZ2.transpose(0, 2, 1)  # (K, M, N) view
        losses = np.empty((K, epochs))  # (K, epochs)

        before = weights.copy()  # a chunk is all or nothing
        try:
            done = 0
            while done < epochs:
                n = min(self._block, epochs - done)
                block = self._outputs[:n]  # (n, K, N, M)
                for A2 in block:  # one epoch; A2 (K, N, M) is a view into the block
                    # Forward pass (the sigmoid's scales in brackets)
                    np.dot(W1T, X1T, out=Z1T)  # in1 Z1 = X1 @ (kept W1), transposed   [Z1 / 2]
                    hidden.into(S1hT, S1hT)  # S1 = out1 A1   [2 A1 = tanh(Z1 / 2) + 1]
                    np.matmul(S1_k, W2, out=Z2)  # in2 Z2 = S1 @ (kept W2)   [Z2 / 2 = 2 [A1, 1] @ (W2 / 4)]
                    output.into(Z2, A2)  # out2 A2   [tanh(Z2 / 2) + 1]
                    if unscale2 != 1.0:
                        A2 *= unscale2  # A2   [0.5 (tanh(Z2 / 2) + 1)]

                    # dL/dZ2 without the constant in the steps (see losses.py)
                    np.subtract(A2, yK, out=dZ2)  # A2 - y
                    loss.apply_factor(dZ2, A2, work)  # (A2 - y) * factor
                    np.copyto(dZ2T, dZ2_transposed)

                    # Backward pass
                    np.matmul(S1T_k, dZ2, out=dW2)  # out1 dW2 = S1.T @ dZ2, and out1 db2   [2 dW2]
                    np.matmul(W2h, dZ2T, out=dA1T_k)  # dA1 in2 / out1 = dZ2 @ (kept W2).T, transposed   [dA1 / 4]
                    hidden.slope_into(S1hT, slope1)  # out1**2 f'(Z1)   [4 A1 (1 - A1)]
                    dA1T *= slope1  # dZ1 in2 out1   [dZ1 = dA1 * A1 (1 - A1)]
                    np.dot(X1T, dZ1, out=dW1)  # in2 out1 dW1 = X1.T @ that, and db1   [dW1]

                    # Gradient descent step, every weight of every network
                    grads *= steps
                    weights -= grads

                outputs = block.reshape(n * K, N, M)  # n epochs of K networks: n * K stacked outputs
                losses[:, done:done + n] = loss.value(outputs, y, outputs - y).reshape(n, K).T
                done += n
        except BaseException:
            weights[...] = before
            raise
        self.epochs_done += epochs
        return losses

    def params(self, k):
        """The weights of network k now, as `nnlib.train` returns them.

        Parameters
        ----------
        k : int
            Which network: the index of its rate in `learning_rates`.

        Returns
        -------
        dict
            New arrays W1 (D, H), b1 (1, H), W2 (H, M), b2 (1, M).
        """
        K, N, D, H, M = self._sizes
        k = network_index(k, K)
        W1 = self._W1_kept.reshape(D + 1, H, K)[:, :, k] / self._scale1  # (D+1, H)
        W2 = self._W2_kept[k] / self._scale2  # (H+1, M)
        return {"W1": W1[:D], "b1": W1[D:], "W2": W2[:H], "b2": W2[H:]}


# Checks of the sweep's arguments, built from the lesson's (nnlib._validate), with their messages.

def sweep_args(X, y, learning_rates, hidden_size, seed_value, loss_name, params_value=None):
    """Every argument of `SweepRun` but epochs, checked; returns X, y, rates (K,), H, seed, Loss, start.

    `start` is a checked copy of `params_value`, or None as in `nnlib._validate.train_args`.
    """
    X, y = _validate.data(X, y)
    start = None if params_value is None else _validate.params(params_value, X=X, y=y)
    H = _validate.hidden_units(hidden_size, start, DEFAULT_HIDDEN_SIZE)
    loss_rule = _validate.choice("loss", loss_name, LOSSES)
    learning_rates = _validate.own_array("learning_rates", learning_rates)
    _validate.not_masked("learning_rates", learning_rates)
    given = np.atleast_1d(np.asarray(learning_rates, dtype=object))  # one rate is a list of one
    if given.ndim != 1 or not 1 <= given.size <= MAX_NETWORKS:
        raise ValueError(
            f"learning_rates must be a 1-D list of 1 to {MAX_NETWORKS} rates; got shape {given.shape}"
        )
    rates = [_validate.real(f"learning_rates[{k}]", rate, 0.0, _validate.MAX_LEARNING_RATE, low_allowed=False)
             for k, rate in enumerate(given)]
    (N, D), M, K = X.shape, y.shape[1], len(rates)
    _validate.enough_memory(f"{K} networks of {H} hidden units on {N} samples", K * N * (H + 1))
    _validate.enough_memory(f"{K} networks' first layers of {D} inputs and {H} hidden units", K * (D + 1) * H)
    _validate.enough_memory(f"{K} networks' {M} outputs on {N} samples", K * N * M)
    return X, y, np.array(rates), H, _validate.seed(seed_value), loss_rule, start


def sweep_epochs(epochs, K):
    """The epochs of one call of `SweepRun.train`: 1 to MAX_EPOCHS, K * epochs losses in memory."""
    epochs = _validate.positive_int("epochs", epochs, _validate.MAX_EPOCHS)
    _validate.enough_memory(f"the losses of {K} networks over {epochs} epochs", K * epochs)
    return epochs


def network_index(k, count):
    """k as an int from 0 to count - 1: one of the `count` networks of a sweep."""
    k = _validate.whole_number("k", k)
    if not 0 <= k < count:
        raise ValueError(f"k must be from 0 to {count - 1} (one of the {count} networks); got {k}")
    return k


def grid_args(low, high, count):
    """low <= high, both learning rates, and a count from 1 to MAX_NETWORKS."""
    low = _validate.real("low", low, 0.0, _validate.MAX_LEARNING_RATE, low_allowed=False)
    high = _validate.real("high", high, low, _validate.MAX_LEARNING_RATE)
    return low, high, _validate.positive_int("count", count, MAX_NETWORKS)
