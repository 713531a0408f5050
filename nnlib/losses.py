"""Loss functions: how far the outputs A2 (N, M) are from the targets y (N, M).

Both losses are means over all N * M elements, so their size does not grow
with the number of samples. Each has a partner `*_output_error` that gives
dL/dZ2, the gradient with respect to the output layer's pre-activations,
which is where the backward pass starts.
"""

import numpy as np

from ._validate import as_matrix

# A2 is clipped to [EPS, 1 - EPS] inside the logarithms of the cross-entropy,
# so a saturated output (exactly 0 or 1) costs at most -log(EPS) = 34.5
# instead of infinity.
EPS = 1e-15


def _check_outputs(A2, y):
    A2 = as_matrix("A2", A2)
    y = as_matrix("y", y)
    if A2.shape != y.shape:
        raise ValueError(
            f"A2 and y must have the same shape; got A2 {A2.shape} and y {y.shape}"
        )
    return A2, y


def mse_loss(A2, y):
    """Mean squared error: L = mean((y - A2)^2) over all N * M elements.

    This is the number the seed notebook prints.

    Examples
    --------
    >>> mse_loss([[0.5, 0.5]], [[0.0, 1.0]])
    0.25
    """
    A2, y = _check_outputs(A2, y)
    return float(np.mean((y - A2) ** 2))


def bce_loss(A2, y):
    """Binary cross-entropy: L = -mean(y log A2 + (1 - y) log(1 - A2)).

    Finite even where A2 is exactly 0 or 1 (see EPS above).

    Examples
    --------
    >>> round(bce_loss([[0.5, 0.5]], [[0.0, 1.0]]), 6)
    0.693147
    """
    A2, y = _check_outputs(A2, y)
    return cross_entropy(A2, y)


def cross_entropy(A2, y):
    """The formula of `bce_loss` without its input checks, for training loops."""
    A2 = np.clip(A2, EPS, 1 - EPS)  # (N, M)
    return float(-np.mean(y * np.log(A2) + (1 - y) * np.log(1 - A2)))


def mse_output_error(A2, y):
    """dL/dZ2 for the MSE with sigmoid outputs (N, M).

    dL/dA2 = 2 (A2 - y) / (N M), and dA2/dZ2 = A2 (1 - A2), so
    dL/dZ2 = 2 (A2 - y) A2 (1 - A2) / (N M).
    """
    return 2 * (A2 - y) * A2 * (1 - A2) / A2.size  # (N, M)


def bce_output_error(A2, y):
    """dL/dZ2 for the binary cross-entropy with sigmoid outputs (N, M).

    dL/dA2 = (A2 - y) / (A2 (1 - A2) N M); the sigmoid's derivative
    A2 (1 - A2) cancels it, leaving dL/dZ2 = (A2 - y) / (N M).
    """
    return (A2 - y) / A2.size  # (N, M)


LOSS_FUNCTIONS = {"mse": mse_loss, "bce": bce_loss}
OUTPUT_ERRORS = {"mse": mse_output_error, "bce": bce_output_error}
