"""What several test modules share, written once: the repository's folders, reference computations, runners.

    ROOT, NOTEBOOK_DIR, NOTEBOOKS   the repository, its notebooks/ folder, the series' notebooks in order
    FIXTURES                        tests/fixtures: notebooks made for the tests
    GITHUB_REPO                     where the README's Binder links and the site point
    plain_loop                      gradient descent with forward and backward: what train must equal
    independent_layers, independent_loss, independent_differences
                                    a network of any depth and activation, its loss and their finite
                                    differences without nnlib: an outside reference
    only_bug_a                      the exact backward pass with the seed's element-wise dW2 line alone
    run, execute, snapshot          a command that must succeed, a notebook run in a fresh kernel,
                                    what a folder holds (to see that nothing changed)
"""

import hashlib
import os
import stat
import subprocess
from pathlib import Path

import numpy as np

import nnlib

ROOT = Path(__file__).resolve().parent.parent  # the repository
NOTEBOOK_DIR = ROOT / "notebooks"
FIXTURES = ROOT / "tests" / "fixtures"  # notebooks made for the tests: dashboard.ipynb
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))  # the series, 00 to 10
# Where the README's Binder links, docs/course_hub.md and the site point. If the
# repository lives elsewhere, change it here and there; tests/test_binder.py checks they agree.
GITHUB_REPO = "nn-from-scratch/nn-from-scratch-numpy"


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


# The hidden activations written out again here, without nnlib, from their textbook formulas.
INDEPENDENT_ACTIVATIONS = {
    "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
    "tanh": lambda z: (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z)),
    "relu": lambda z: np.where(z > 0, z, 0.0),
    "leaky_relu": lambda z: np.where(z > 0, z, 0.01 * z),
}


def independent_layers(params, X, activation="sigmoid", output="sigmoid"):
    """The outputs and every layer's Z of a network of any depth, written out again here without nnlib.

    Z[l] = A[l-1] @ W[l] + b[l] from A[0] = X; the hidden layers' A = f(Z), the
    output layer's the sigmoid or the softmax exp(z) / sum exp(z) (on moderate z only).
    """
    f = INDEPENDENT_ACTIVATIONS[activation]
    layers = len(params) // 2
    A, Zs = X, []
    for l in range(1, layers + 1):
        Z = A @ params[f"W{l}"] + params[f"b{l}"]
        Zs.append(Z)
        if l < layers:
            A = f(Z)
        elif output == "softmax":
            A = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
        else:
            A = 1 / (1 + np.exp(-Z))
    return A, Zs


def independent_loss(params, X, y, loss, activation="sigmoid"):
    """The loss written out again here, without nnlib: 1 / (1 + e^-z) (or another activation), then the mean
    MSE or BCE, or for 'cce' softmax outputs and -mean(y log A) over all N * M entries."""
    if len(params) == 4 and activation == "sigmoid":  # the tutorial's network, as the seed writes it
        A1 = 1 / (1 + np.exp(-(X @ params["W1"] + params["b1"])))
        A2 = 1 / (1 + np.exp(-(A1 @ params["W2"] + params["b2"])))
        if loss == "mse":
            return np.mean((A2 - y) ** 2)
        if loss == "bce":
            return -np.mean(y * np.log(A2) + (1 - y) * np.log(1 - A2))
    A, _ = independent_layers(params, X, activation, "softmax" if loss == "cce" else "sigmoid")
    if loss == "mse":
        return np.mean((A - y) ** 2)
    if loss == "bce":
        return -np.mean(y * np.log(A) + (1 - y) * np.log(1 - A))
    return -np.mean(y * np.log(A))


def independent_differences(params, X, y, loss, h=1e-5, activation="sigmoid"):
    """Central differences of `independent_loss`, one entry at a time, on copies."""
    grads = {}
    for name, value in params.items():
        grads[name] = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            plus = {key: array.copy() for key, array in params.items()}
            minus = {key: array.copy() for key, array in params.items()}
            plus[name][index] += h
            minus[name][index] -= h
            grads[name][index] = (independent_loss(plus, X, y, loss, activation)
                                  - independent_loss(minus, X, y, loss, activation)) / (2 * h)
    return grads


def only_bug_a(params, cache, y):
    """The exact MSE backward pass with the seed's element-wise dW2 line, and nothing else wrong."""
    grads = nnlib.backward(params, cache, y)
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = 2 * (A2 - y) / A2.size * A2 * (1 - A2)
    grads["dW2"] = (A1.T @ dZ2) * (A2 * (1 - A2))
    return grads


def run(command, **kwargs):
    """Run `command` (a list), which must succeed; return what it printed. A failure shows the ends of its output."""
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    assert result.returncode == 0, f"{' '.join(map(str, command))}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout


def execute(nb, folder, timeout=600):
    """Run a notebook in a fresh Python 3 kernel in `folder`, every cell even after an error; return it."""
    from nbclient import NotebookClient

    nb.metadata.setdefault("kernelspec", {"name": "python3", "display_name": "Python 3", "language": "python"})
    NotebookClient(nb, timeout=timeout, allow_errors=True, resources={"metadata": {"path": str(folder)}}).execute()
    return nb


def snapshot(folder):
    """{relative path: what it is} for everything under `folder`, links not followed.

    A file is its mode, size, modification time, inode and hash; a link is
    where it points. Two snapshots are equal only if nothing was written,
    replaced, touched or added.
    """
    found = {}
    for path in sorted(Path(folder).rglob("*")):
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            found[str(path.relative_to(folder))] = ("link", os.readlink(path))
        elif stat.S_ISREG(info.st_mode):
            found[str(path.relative_to(folder))] = ("file", info.st_mode, info.st_size, info.st_mtime_ns, info.st_ino,
                                                    hashlib.sha256(path.read_bytes()).hexdigest())
        else:
            found[str(path.relative_to(folder))] = (stat.S_IFMT(info.st_mode), info.st_mode)
    return found
