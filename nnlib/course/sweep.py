"""Many networks trained at once: one learning rate each, one NumPy computation.

`train_many` runs the gradient descent of `nnlib.train` for K networks side
by side; `SweepRun` does the same a chunk of epochs at a time, so that the
dashboard can draw between chunks and stop when a slider moves. Training in
chunks gives the same numbers, to the last bit, as one long call. Networks
of any depth and hidden activation, with any loss, are swept alike.

Python's cost per NumPy call, not the arithmetic, is what a small network
pays for (about 1 us a call, where the seed's arithmetic takes nanoseconds).
So every step below is one call for all K networks:

    layer 1    X1 @ [W1_1 | W1_2 | ... | W1_K]  one 2-D product: every network
                                                sees the same inputs
    layers 2+  `@` over a stack of K matrices   each network its own A[l-1]
    the step   all weights of all networks in one flat array, all gradients
               in another: the update is two calls

and it computes, network by network, the numbers `nnlib.train` computes
(tests/test_sweep.py: to 1e-12; for one hidden layer they agree bit for bit):

- each product hands BLAS a network's matrices in the layout `train` uses
  (each hidden layer's activations transposed, as train's column-major
  A[l].T), so that the same routine adds the same terms in the same order;
- each layer's activation is read from `nnlib.activations` (the hidden
  layers' as `nnlib.train` picks it, the output layer's from the loss), in
  its folded form (`Activation.fold`): f computed on numbers scaled by
  powers of two, which the sweep folds into its weights. For the sigmoid,
  0.5 tanh(z/2) + 0.5, the sweep keeps W1/2 and W2/4, so the products come
  out as z/2, ready for tanh, and the hidden layer as 2 A1 = tanh + 1.
  Multiplying by a power of two only changes a float's exponent, so it is
  exact (for numbers above 1e-308), and two NumPy calls per layer and epoch
  go away (the scales are worked out in `SweepRun.__init__`);
- the losses are computed from the outputs a block of epochs at a time,
  with `loss.value` of `nnlib.losses` (each network's loss is a sum over its
  own N * M outputs, whatever the block).

A network whose numbers overflow (a ReLU network at too large a rate) has
loss inf from that epoch on; the others go on, each untouched by it.

Shape letters: K networks, N samples, D inputs, H_l units in hidden layer l
(H for one hidden layer), M outputs.
"""

import numpy as np

from .. import _validate, network
from ..losses import LOSSES
from ..params import INITS, init_params
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
               params=None, activation=None, init=None):
    """Train one network per learning rate, all from the same starting weights.

    Parameters
    ----------
    X : (N, D) array_like
        Inputs, one row per sample.
    y : (N, M) array_like
        Targets, each from 0 to 1 (one-hot rows for loss='cce').
    learning_rates : (K,) array_like
        One rate per network, each above 0 and at most 1e6.
    hidden_size : int or list of int, optional
        H, or the widths of the hidden layers [H1, H2, ...], as in
        `nnlib.train` (default 4, or those of `params`; and K * N * H_l at
        most 10_000_000).
    epochs : int
        As in `nnlib.train` (and K * epochs at most 10_000_000).
    seed : int
        Seed of `init_params`, the same for every network (not used with `params`).
    loss : {'mse', 'bce', 'cce'}
        As in `nnlib.train`.
    params : dict, optional
        Weights every network starts from, as in `nnlib.train`.
    activation : {'sigmoid', 'tanh', 'relu', 'leaky_relu'}, optional
        The hidden layers' activation, as in `nnlib.train`.
    init : {'uniform', 'xavier', 'he'}, optional
        How the starting weights are drawn, as in `nnlib.train`.

    Returns
    -------
    (K, epochs) ndarray
        The losses: row k is what `train(X, y, learning_rate=learning_rates[k], ...)`
        records, up to rounding in the last digit (inf from where a network overflowed).

    Examples
    --------
    >>> from nnlib import seed_data
    >>> X, y = seed_data()
    >>> train_many(X, y, [0.1, 10.0], epochs=3).round(4)
    array([[0.2497, 0.2496, 0.2495],
           [0.2497, 0.2451, 0.2425]])
    """
    return SweepRun(X, y, learning_rates, hidden_size, seed, loss, params, activation, init).train(epochs)


class SweepRun:
    """K networks, one learning rate each, trained side by side a chunk of epochs at a time.

    Each call of `train` goes on where the last one stopped: chunks of 300
    and 700 epochs give the same losses and weights, bit for bit, as
    `train_many` with 1000. A chunk is all or nothing: stopped inside (by
    KeyboardInterrupt, say), it leaves the weights as they were before it.

    Parameters
    ----------
    X, y, learning_rates, hidden_size, seed, loss, params, activation, init
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

    def __init__(self, X, y, learning_rates, hidden_size=None, seed=42, loss="mse", params=None,
                 activation=None, init=None):
        X, y, rates, widths, seed, loss, hidden, start = sweep_args(
            X, y, learning_rates, hidden_size, seed, loss, params, activation, init)  # loss: a Loss
        K = rates.size
        N, D = X.shape
        M = y.shape[1]
        if start is None:
            start = init_params(D, list(widths), M, seed, init, activation)
        L = len(widths)  # hidden layers
        n = (D, *widths, M)  # n[l]: the width of layer l, n[0] = D, n[L+1] = M
        self.learning_rates = rates
        self.epochs_done = 0
        self._loss = loss
        self._sizes = K, N, n
        # Each layer's activation in its folded form: `into` takes s = inner * z and writes
        # outer * f(z); `slope_into` writes outer**2 * f'(z). For the sigmoid inner = 1/2, outer = 2.
        self._hidden, self._output = hidden.fold(), loss.output.fold()
        inner, outer, inner_out = self._hidden.inner, self._hidden.outer, self._output.inner
        # What the sweep keeps, in terms of `train`'s numbers (powers of two, so exact):
        #   S[l] = outer [A[l], 1]         each hidden layer as `into` writes it (its ones: outer)
        #   W1 * inner                     then X1 @ it = inner Z1, ready for the hidden `into`
        #   W[l] * inner / outer           then S[l-1] @ it = inner Z[l], for l = 2 ... L
        #   W[L+1] * inner_out / outer     then S[L] @ it = inner_out Z[L+1], for the output's `into`
        self._scale = [None, inner] + [inner / outer] * (L - 1) + [inner_out / outer]  # kept W[l] / train's
        # Backward, the kept dZ[l] is c[l] times train's: dZ[L+1] as train's (c = 1); then
        # dA[l-1] = dZ[l] @ (kept W[l]).T carries scale[l], and the slope outer**2 f', so
        # c[l-1] = c[l] scale[l] outer**2. The kept dW[l] = S[l-1].T @ dZ[l] is g[l] times
        # train's, with g[1] = c[1] (X1 is not scaled) and g[l] = outer c[l].
        c = [None] * (L + 2)
        c[L + 1] = 1.0
        for l in range(L + 1, 1, -1):
            c[l - 1] = c[l] * self._scale[l] * outer**2
        g = [None, c[1]] + [outer * c[l] for l in range(2, L + 2)]
        self._X1 = np.hstack([X, np.ones((N, 1))])  # (N, D+1), biases folded in as in nnlib.train
        self._y = y  # (N, M)
        self._yK = np.ascontiguousarray(np.broadcast_to(y, (K, N, M)))  # (K, N, M), for a faster A2 - y

        # Every weight of every network in one flat array, its gradient at the
        # same place in another, its network's step size in a third: then the
        # gradient descent step is `grads *= steps; weights -= grads`.
        counts = [(n[l - 1] + 1) * n[l] * K for l in range(1, L + 2)]  # numbers in each layer's weights
        ends = np.cumsum([0] + counts)
        self._weights = np.empty(ends[-1])
        self._grads = np.empty(ends[-1])
        self._steps = np.empty(ends[-1])
        # `train`'s step, learning_rate / (N M) * c (see losses.py), scaled as the weights and
        # gradients are: the kept W[l] moves by scale[l] step dW[l] = scale[l] / g[l] step (kept dW[l]).
        # For the sigmoid, one hidden layer: step / 2 and step / 8.
        step = rates / (N * M) * loss.step_constant  # (K,)
        self._W, self._dW = [None], [None]  # the kept W[l] and dW[l], views into the flat arrays
        for l in range(1, L + 2):
            part = slice(ends[l - 1], ends[l])
            weights = np.vstack([start[f"W{l}"], start[f"b{l}"]]) * self._scale[l]  # (n[l-1]+1, n[l])
            if l == 1:
                # W1 of network k, with b1 as last row, in the columns h * K + k: grouped
                # by hidden unit, so that the hidden layer comes out as (H1, K, N).
                shape = (n[0] + 1, n[1] * K)
                self._weights[part].reshape(n[0] + 1, n[1], K)[...] = weights[:, :, None]
                self._steps[part].reshape(n[0] + 1, n[1], K)[...] = step * (self._scale[1] / g[1])
            else:
                shape = (K, n[l - 1] + 1, n[l])  # network k's W[l] on top of b[l] at [k]
                self._weights[part].reshape(shape)[...] = weights
                self._steps[part].reshape(shape)[...] = (step * (self._scale[l] / g[l]))[:, None, None]
            self._W.append(self._weights[part].reshape(shape))
            self._dW.append(self._grads[part].reshape(shape))

        # Work arrays, overwritten every epoch.
        self._S = [None] + [np.full((n[l] + 1, K, N), outer) for l in range(1, L + 1)]  # S[l] of network k at [:, k, :]
        self._Z = [None, None] + [np.empty((K, N, n[l])) for l in range(2, L + 1)]  # inner Z[l], l >= 2
        self._dAT = [None] + [np.empty((n[l], K, N)) for l in range(1, L + 1)]  # kept dA[l], then dZ[l], transposed
        self._slope = [None] + [np.empty((n[l], K, N)) for l in range(1, L + 1)]  # outer**2 f'(Z[l])
        self._dZh = [None, None] + [np.empty((K, N, n[l])) for l in range(2, L + 1)]  # kept dZ[l], l >= 2, as train's
        self._Z_out = np.empty((K, N, M))  # inner_out Z[L+1]
        self._dZ = np.empty((K, N, M))  # dL/dZ[L+1] without the constant in the steps
        self._dZT = np.empty((K, M, N))  # the same, transposed, for dA[L]
        self._work = np.empty((K, N, M))  # room for the loss's factor
        self._block = max(1, LOSS_BLOCK_NUMBERS // (K * N * M))
        self._outputs = np.empty((self._block, K, N, M))  # the outputs of the epochs of one block

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
            the forward pass before each update, as `nnlib.train` records
            them (inf from an epoch where network k's numbers overflowed).
        """
        K, N, n = self._sizes
        L, M = len(n) - 2, n[-1]  # hidden layers, outputs
        epochs = sweep_epochs(epochs, K)
        loss, y, yK = self._loss, self._y, self._yK
        hidden, output = self._hidden, self._output  # folded forms: for the sigmoid, of tanh
        unscale = 1.0 / output.outer  # the outputs = (what the output layer's `into` writes) / outer
        X1T = self._X1.T  # (D+1, N)
        weights, grads, steps = self._weights, self._grads, self._steps
        W, dW = self._W, self._dW  # W[1] (D+1, H1*K); W[l] (K, n[l-1]+1, n[l]) for l >= 2
        W1T = W[1].T  # (H1*K, D+1) view
        Wh = [None, None] + [W[l][:, :n[l - 1], :] for l in range(2, L + 2)]  # (K, n[l-1], n[l]) views, without b
        S, Z, dAT, slope, dZh = self._S, self._Z, self._dAT, self._slope, self._dZh  # see __init__
        Sh = [None] + [S[l][:n[l]] for l in range(1, L + 1)]  # (n[l], K, N) views of the hidden units
        Sh_k = [None] + [Sh[l].transpose(1, 2, 0) for l in range(1, L + 1)]  # (K, N, n[l]) views of the same
        Z1T = Sh[1].reshape(n[1] * K, N)  # the same memory as Sh[1]: inner Z1 lands there first
        S_k = [None] + [S[l].transpose(1, 2, 0) for l in range(1, L + 1)]  # (K, N, n[l]+1): network k's S[l]
        ST_k = [None] + [S[l].transpose(1, 0, 2) for l in range(1, L + 1)]  # (K, n[l]+1, N): its transpose
        dAT_k = [None] + [dAT[l].transpose(1, 0, 2) for l in range(1, L + 1)]  # (K, n[l], N) views
        dA_k = [None] + [dAT[l].transpose(1, 2, 0) for l in range(1, L + 1)]  # (K, N, n[l]) views
        dZ1 = dAT[1].reshape(n[1] * K, N).T  # (N, H1*K) view, columns h * K + k as in W[1]
        Z_out, dZ, dZT, work = self._Z_out, self._dZ, self._dZT, self._work
        dZ_transposed = dZ.transpose(0, 2, 1)  # (K, M, N) view
        losses = np.empty((K, epochs))  # (K, epochs)

        before = weights.copy()  # a chunk is all or nothing
        try:
            done = 0
            with np.errstate(over="ignore", invalid="ignore"):  # an overflowing network's loss becomes inf
                while done < epochs:
                    count = min(self._block, epochs - done)
                    block = self._outputs[:count]  # (count, K, N, M)
                    for A_out in block:  # one epoch; A_out (K, N, M) is a view into the block
                        # Forward pass (the sigmoid's scales in brackets)
                        np.dot(W1T, X1T, out=Z1T)  # inner Z1 = X1 @ (kept W1), transposed   [Z1 / 2]
                        hidden.into(Sh[1], Sh[1])  # S1 = outer A1   [2 A1 = tanh(Z1 / 2) + 1]
                        for l in range(2, L + 1):
                            np.matmul(S_k[l - 1], W[l], out=Z[l])  # inner Z[l] = S[l-1] @ (kept W[l])
                            hidden.into(Z[l], Sh_k[l])  # S[l] = outer A[l]
                        np.matmul(S_k[L], W[L + 1], out=Z_out)  # inner_out Z[L+1]   [Z2 / 2 = 2 [A1, 1] @ (W2 / 4)]
                        output.into(Z_out, A_out)  # outer_out A[L+1]   [tanh(Z2 / 2) + 1]
                        if unscale != 1.0:
                            A_out *= unscale  # A[L+1]   [0.5 (tanh(Z2 / 2) + 1)]

                        # dL/dZ[L+1] without the constant in the steps (see losses.py)
                        np.subtract(A_out, yK, out=dZ)  # A[L+1] - y
                        loss.apply_factor(dZ, A_out, work)  # (A[L+1] - y) * factor
                        np.copyto(dZT, dZ_transposed)

                        # Backward pass, from the output layer down
                        np.matmul(ST_k[L], dZ, out=dW[L + 1])  # g dW[L+1] = S[L].T @ dZ   [2 dW2]
                        np.matmul(Wh[L + 1], dZT, out=dAT_k[L])  # kept dA[L] = dZ @ (kept W[L+1]).T   [dA1 / 4]
                        hidden.slope_into(Sh[L], slope[L])  # outer**2 f'(Z[L])   [4 A1 (1 - A1)]
                        dAT[L] *= slope[L]  # kept dZ[L]   [dZ1 = dA1 * A1 (1 - A1)]
                        for l in range(L, 1, -1):
                            np.copyto(dZh[l], dA_k[l])  # kept dZ[l] laid out as train's (N, n[l])
                            np.matmul(ST_k[l - 1], dZh[l], out=dW[l])  # g dW[l] = S[l-1].T @ dZ[l]
                            np.matmul(Wh[l], dAT_k[l], out=dAT_k[l - 1])  # kept dA[l-1] = dZ[l] @ (kept W[l]).T
                            hidden.slope_into(Sh[l - 1], slope[l - 1])  # outer**2 f'(Z[l-1])
                            dAT[l - 1] *= slope[l - 1]  # kept dZ[l-1]
                        np.dot(X1T, dZ1, out=dW[1])  # g dW1 = X1.T @ dZ1, and db1   [dW1]

                        # Gradient descent step, every weight of every network
                        grads *= steps
                        weights -= grads

                    outputs = block.reshape(count * K, N, M)  # count epochs of K networks: stacked outputs
                    values = loss.value(outputs, y, outputs - y).reshape(count, K).T  # (K, count)
                    values[~np.isfinite(values)] = np.inf  # a network that overflowed
                    losses[:, done:done + count] = values
                    done += count
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
            New arrays W1 (D, H), b1 (1, H), W2 (H, M), b2 (1, M) (W1, b1,
            ..., W{L+1}, b{L+1} for L hidden layers).

        Raises
        ------
        ValueError
            If network k diverged: its weights grew past 1e100 in size (or
            overflowed), which `nnlib.train(params=...)` would refuse.
        """
        K, N, n = self._sizes
        k = network_index(k, K)
        found = {}
        for l in range(1, len(n)):
            if l == 1:
                W = self._W[1].reshape(n[0] + 1, n[1], K)[:, :, k] / self._scale[1]  # (D+1, H1)
            else:
                W = self._W[l][k] / self._scale[l]  # (n[l-1]+1, n[l])
            found[f"W{l}"], found[f"b{l}"] = W[:n[l - 1]], W[n[l - 1]:]
        return _validate.trained_params(found, self.epochs_done, float(self.learning_rates[k]))


# Checks of the sweep's arguments, built from the lesson's (nnlib._validate), with their messages.

def sweep_args(X, y, learning_rates, hidden_size, seed_value, loss_name, params_value=None,
               activation_name=None, init_name=None):
    """Every argument of `SweepRun` but epochs, checked.

    Returns X, y, rates (K,), the hidden widths, seed, Loss, the hidden
    Activation and `start`, a checked copy of `params_value`, or None as in
    `nnlib._validate.train_args`.
    """
    X, y = _validate.data(X, y)
    start = None if params_value is None else _validate.params(params_value, X=X, y=y)
    widths = _validate.hidden_units(hidden_size, start, DEFAULT_HIDDEN_SIZE)
    loss_rule = _validate.choice("loss", loss_name, LOSSES)
    _validate.loss_targets(y, loss_rule)
    hidden = network.hidden_activation(activation_name)
    if init_name is not None:
        _validate.choice("init", init_name, INITS)
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
    n = (D, *widths, M)
    for l in range(1, len(widths) + 1):
        layer = f"{n[l]} hidden units" if len(widths) == 1 else f"hidden layer {l} of {n[l]} units"
        _validate.enough_memory(f"{K} networks of {layer} on {N} samples", K * N * (n[l] + 1))
        first = "first layers" if l == 1 else f"layers {l}"
        _validate.enough_memory(f"{K} networks' {first} of {n[l - 1]} inputs and {n[l]} hidden units",
                                K * (n[l - 1] + 1) * n[l])
    _validate.enough_memory(f"{K} networks' {M} outputs on {N} samples", K * N * M)
    return X, y, np.array(rates), widths, _validate.seed(seed_value), loss_rule, hidden, start


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
