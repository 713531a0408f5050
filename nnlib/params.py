"""The network's parameters: two weight matrices and two bias rows.

    W1 (D, H)   b1 (1, H)   input  -> hidden
    W2 (H, M)   b2 (1, M)   hidden -> output
"""

import numpy as np

from ._validate import check_positive_int, check_seed


def init_params(input_size, hidden_size, output_size, seed=42):
    """Draw small random starting weights, uniform in [-0.5, 0.5).

    Draws in the order W1, b1, W2, b2 with `rand() - 0.5`, exactly as the
    seed notebook does after seeding NumPy's global generator with 42, but from a private
    `np.random.RandomState(seed)`, so NumPy's global random state is left
    alone and the same seed always gives the same numbers.

    Parameters
    ----------
    input_size, hidden_size, output_size : int
        D, H and M, each at least 1.
    seed : int
        Seed of the generator.

    Returns
    -------
    dict with W1 (D, H), b1 (1, H), W2 (H, M), b2 (1, M)

    Examples
    --------
    >>> p = init_params(3, 4, 2)
    >>> p["W1"].shape, p["b2"].shape
    ((3, 4), (1, 2))
    """
    D = check_positive_int("input_size", input_size)
    H = check_positive_int("hidden_size", hidden_size)
    M = check_positive_int("output_size", output_size)
    rng = np.random.RandomState(check_seed(seed))
    return {
        "W1": rng.rand(D, H) - 0.5,  # (D, H)
        "b1": rng.rand(1, H) - 0.5,  # (1, H)
        "W2": rng.rand(H, M) - 0.5,  # (H, M)
        "b2": rng.rand(1, M) - 0.5,  # (1, M)
    }


def count_params(params):
    """Number of trainable numbers in a parameter dict: D*H + H + H*M + M."""
    return sum(int(np.size(value)) for value in params.values())
