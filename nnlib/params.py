"""The network's parameters: two weight matrices and two bias rows.

    W1 (D, H)   b1 (1, H)   input  -> hidden
    W2 (H, M)   b2 (1, M)   hidden -> output
"""

import numpy as np

from . import _validate


def init_params(input_size, hidden_size, output_size, seed=42):
    """Draw small random starting weights, uniform in [-0.5, 0.5).

    Draws in the order W1, b1, W2, b2 with `rand() - 0.5`, exactly as the
    seed notebook does after seeding NumPy's global generator with 42, but from a private
    `np.random.RandomState(seed)`, so NumPy's global random state is left
    alone and the same seed always gives the same numbers.

    Parameters
    ----------
    input_size : int
        D, the number of inputs, from 1 to 10_000.
    hidden_size : int
        H, the number of hidden units, from 1 to 10_000.
    output_size : int
        M, the number of outputs, from 1 to 10_000.
    seed : int
        Seed of the generator, from 0 to 2**32 - 1.

    Returns
    -------
    dict
        W1 (D, H), b1 (1, H), W2 (H, M) and b2 (1, M). W1 and W2 may hold
        at most 10_000_000 numbers each.

    Examples
    --------
    >>> p = init_params(3, 4, 2)
    >>> p["W1"].shape, p["b2"].shape
    ((3, 4), (1, 2))
    """
    D, H, M, seed = _validate.init_params_args(input_size, hidden_size, output_size, seed)
    rng = np.random.RandomState(seed)
    return {
        "W1": rng.rand(D, H) - 0.5,  # (D, H)
        "b1": rng.rand(1, H) - 0.5,  # (1, H)
        "W2": rng.rand(H, M) - 0.5,  # (H, M)
        "b2": rng.rand(1, M) - 0.5,  # (1, M)
    }


def count_params(params):
    """Number of trainable numbers in a network: D*H + H + H*M + M.

    Parameters
    ----------
    params : dict
        Exactly W1 (D, H), b1 (1, H), W2 (H, M) and b2 (1, M); a dict with
        any other key is refused rather than counted.

    Returns
    -------
    int
        The total size of W1, b1, W2 and b2.

    Examples
    --------
    >>> count_params(init_params(3, 4, 2))
    26
    """
    params = _validate.params(params)
    return sum(value.size for value in params.values())
