"""The network's parameters: one weight matrix and one bias row per layer.

One hidden layer (the tutorial's network):

    W1 (D, H)   b1 (1, H)   input  -> hidden
    W2 (H, M)   b2 (1, M)   hidden -> output

L hidden layers of widths H1, ..., H_L:

    W1 (D, H1)        b1 (1, H1)        input          -> hidden layer 1
    W2 (H1, H2)       b2 (1, H2)        hidden layer 1 -> hidden layer 2
    ...
    W{L+1} (H_L, M)   b{L+1} (1, M)     hidden layer L -> output

How the starting weights are drawn (`INITS`): the tutorial's uniform
numbers, or the Xavier (Glorot) and He rules, which scale each layer's
weights by its number of inputs so that deep networks start neither
saturated nor silent.
"""

import numpy as np

from . import _validate, network


def uniform_init(rng, fan_in, fan_out):
    """The tutorial's draw: W and b uniform in [-0.5, 0.5), as rand() - 0.5.

    Parameters
    ----------
    rng : np.random.RandomState
        The generator, drawn from in the order W, then b.
    fan_in, fan_out : int
        The layer's inputs and units.

    Returns
    -------
    W : (fan_in, fan_out) ndarray
    b : (1, fan_out) ndarray
    """
    W = rng.rand(fan_in, fan_out) - 0.5  # (fan_in, fan_out)
    b = rng.rand(1, fan_out) - 0.5  # (1, fan_out)
    return W, b


def xavier_init(rng, fan_in, fan_out):
    """Xavier (Glorot) initialisation: W uniform in [-r, r), r = sqrt(6 / (fan_in + fan_out)); b = 0.

    W then has variance 2 / (fan_in + fan_out). A unit sums fan_in inputs,
    so with variance 1 / fan_in per weight its z keeps the variance of
    its inputs on the way forward, and with 1 / fan_out the gradient keeps
    its size on the way back; Glorot and Bengio (2010) take the mean of
    the two. It suits activations that are about linear near 0, as tanh
    (slope 1) and the sigmoid (slope 1/4) are, so their units start in
    their steep middle, not saturated.

    Parameters
    ----------
    rng : np.random.RandomState
        The generator, drawn from for W only.
    fan_in, fan_out : int
        The layer's inputs and units.

    Returns
    -------
    W : (fan_in, fan_out) ndarray
    b : (1, fan_out) ndarray
        Zeros.
    """
    r = np.sqrt(6.0 / (fan_in + fan_out))
    W = rng.uniform(-r, r, size=(fan_in, fan_out))  # (fan_in, fan_out)
    return W, np.zeros((1, fan_out))


def he_init(rng, fan_in, fan_out):
    """He initialisation: W normal with mean 0 and variance 2 / fan_in; b = 0.

    ReLU sets about half of its inputs to 0, halving the variance that
    passes through it; twice Xavier's 1 / fan_in makes up for it, so the
    signal keeps its size through many ReLU layers (He et al., 2015). It
    suits ReLU and the leaky ReLU.

    Parameters
    ----------
    rng : np.random.RandomState
        The generator, drawn from for W only.
    fan_in, fan_out : int
        The layer's inputs and units.

    Returns
    -------
    W : (fan_in, fan_out) ndarray
    b : (1, fan_out) ndarray
        Zeros.
    """
    W = rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, fan_out))  # (fan_in, fan_out)
    return W, np.zeros((1, fan_out))


INITS = {"uniform": uniform_init, "xavier": xavier_init, "he": he_init}


def init_params(input_size, hidden_size, output_size, seed=42, init=None, activation=None):
    """Draw the starting weights of a network of one or more hidden layers.

    With the default `init` and one hidden layer, draws in the order W1,
    b1, W2, b2 with `rand() - 0.5`, exactly as the seed notebook does after
    seeding NumPy's global generator with 42, but from a private
    `np.random.RandomState(seed)`, so NumPy's global random state is left
    alone and the same seed always gives the same numbers.

    Parameters
    ----------
    input_size : int
        D, the number of inputs, from 1 to 10_000.
    hidden_size : int or list of int
        H, the number of hidden units, from 1 to 10_000; or a list of the
        widths of 1 to 10 hidden layers, [H1, H2, ...]. An int H and the
        list [H] give the same network.
    output_size : int
        M, the number of outputs, from 1 to 10_000.
    seed : int
        Seed of the generator, from 0 to 2**32 - 1.
    init : {'uniform', 'xavier', 'he'}, optional
        How to draw each layer's weights (see `INITS`): the tutorial's
        uniform numbers in [-0.5, 0.5) ('uniform', biases too), Xavier's
        for the sigmoid and tanh, He's for ReLU (both with biases 0). By
        default 'uniform' for one hidden layer, the tutorial's network, and
        the activation's own (`Activation.init`) for more.
    activation : {'sigmoid', 'tanh', 'relu', 'leaky_relu'}, optional
        The hidden layers' activation, the sigmoid if not given: it picks
        the default `init` of a deeper network.

    Returns
    -------
    dict
        W1, b1, ..., W{L+1}, b{L+1} for L hidden layers (see the module's
        docstring for their shapes). Each W may hold at most 10_000_000 numbers.

    Examples
    --------
    >>> p = init_params(3, 4, 2)
    >>> p["W1"].shape, p["b2"].shape
    ((3, 4), (1, 2))
    >>> deep = init_params(2, [8, 8], 3, activation="relu")  # He's rule
    >>> [deep[name].shape for name in ("W1", "W2", "W3")]
    [(2, 8), (8, 8), (8, 3)]
    """
    hidden = network.hidden_activation(activation)
    D, widths, M, seed, draw = _validate.init_params_args(input_size, hidden_size, output_size, seed, init,
                                                          INITS, hidden)
    rng = np.random.RandomState(seed)
    sizes = (D, *widths, M)  # the width of each layer, inputs first
    params = {}
    for l in range(1, len(sizes)):  # one layer at a time, in order: W1, b1, W2, b2, ...
        params[f"W{l}"], params[f"b{l}"] = draw(rng, sizes[l - 1], sizes[l])  # (H_{l-1}, H_l), (1, H_l)
    return params


def count_params(params):
    """Number of trainable numbers in a network: D*H + H + H*M + M for one hidden layer.

    For more layers, the sum over every layer of its weights and biases.

    Parameters
    ----------
    params : dict
        Exactly W1, b1, ..., W{L+1}, b{L+1} of a network of L hidden layers
        (W1 (D, H), b1 (1, H), W2 (H, M) and b2 (1, M) for one); a dict
        with any other key is refused rather than counted.

    Returns
    -------
    int
        The total size of the weights and biases.

    Examples
    --------
    >>> count_params(init_params(3, 4, 2))
    26
    """
    params = _validate.params(params)
    return sum(value.size for value in params.values())
