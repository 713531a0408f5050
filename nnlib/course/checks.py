"""The exercise checks of notebooks 01-09, in the order the notebooks use them.

Each check compares a student's answer (a value, or a function that it calls
on copies of its own test data) with what nnlib computes, and returns a
`Feedback` that the notebook shows as one line:

    ✅ Correct: <what was verified>
    ❌ Not yet: <what differs> Hint: <where to look>

The machinery they share is in `feedback.py` (the result, and calling a
function safely), `errors.py` (NumPy's errors in words), `answers.py`
(answers as numbers, tolerances that suit float32) and `cells.py` (answers
left stale by a cell that raised). Test data comes from fixed seeds, so the
feedback is the same on every run. Shape letters: N samples, D inputs,
H hidden units, M outputs.

When a backward pass is not right yet, `check_backward` also shows, in a
notebook, a map of where its gradients differ from finite differences
(`gradient_maps.py`): one output with the picture and its description,
above the check's own line. The Feedback itself is unchanged, so tools that read it
(`tools/grade.py`) see the same fields.
"""

import numpy as np

from ..activations import sigmoid
from ..data import seed_data, xor_data
from ..losses import OUTPUT_ERRORS, mse_loss
from ..network import accuracy, backward, forward
from ..params import init_params
from ..training import train
from . import cells
from .answers import (as_array, as_dict, as_number, compare, judge_array, judge_number, judge_shape, matches,
                      same_as, whole_number)
from .errors import text
from .feedback import Feedback, call, correct, describe, exercise, not_yet, takes
from .gradient_maps import show_gradient_map

__all__ = ["Feedback", "check_sigmoid", "check_sigmoid_derivative", "check_answer", "check_shape",
           "check_param_count", "check_learning_rate", "check_forward", "check_mse", "check_gradient",
           "check_backward", "check_update", "check_accuracy", "check_xor_hidden_size"]

# Test sizes (N, D, H, M): the seed's own, then ones that break code which
# only works when two sizes happen to be equal (H = N = 4 in the seed).
SIZES = ((4, 3, 4, 2), (4, 3, 5, 2), (6, 2, 3, 3))
DZ2 = {"mse": "dZ2 = 2 (A2 - y) / (N M) * A2 (1 - A2)", "bce": "dZ2 = (A2 - y) / (N M)"}
GRADIENTS = {  # each gradient's formula, and what to inspect when it is wrong
    "dZ2": "{dZ2}, shape (N, M).",
    "dW2": "dW2 = A1.T @ dZ2, (H, N) @ (N, M); inspect dZ2 first: {dZ2}.",
    "db2": "db2 = dZ2.sum(axis=0, keepdims=True), shape (1, M); inspect dZ2 first: {dZ2}.",
    "dA1": "dA1 = dZ2 @ W2.T, (N, M) @ (M, H).",
    "dZ1": "dZ1 = dA1 * A1 * (1 - A1), element by element; inspect dA1 = dZ2 @ W2.T.",
    "dW1": "dW1 = X.T @ dZ1; inspect dA1 = dZ2 @ W2.T and dZ1 = dA1 * A1 * (1 - A1).",
    "db1": "db1 = dZ1.sum(axis=0, keepdims=True), shape (1, H); inspect dZ1 = dA1 * A1 * (1 - A1).",
}
RETURN_GRADS = "return {'dW1': dW1, 'db1': db1, 'dW2': dW2, 'db2': db2}."
GRAD_NAMES = ("dW1", "db1", "dW2", "db2")
LARGEST_RATE = 1000  # steps larger than this push every sigmoid to 0 or 1 at once
LARGEST_HIDDEN = 256  # XOR has four points; more units only make the check slow


@exercise("sigmoid")
def check_sigmoid(fn):
    """Check a student's sigmoid(z) against 1 / (1 + exp(-z)).

    Parameters
    ----------
    fn : function
        Called on a (3, 11) array of z from -8 to 8.

    Returns
    -------
    Feedback
    """
    z = np.linspace(-8, 8, 33).reshape(3, 11)  # (3, 11)
    slips = [(1 - sigmoid(z), "your outputs are 1 - sigmoid(z).", "check the sign inside the exponential: exp(-z).")]
    return judge_array("sigmoid", fn, {"z": z}, sigmoid(z), slips,
                       "sigmoid(z) = 1 / (1 + np.exp(-z)), element by element.") \
        or correct("sigmoid(0) = 0.5, large z go to 1, large negative z to 0, for arrays of any shape.")


@exercise("sigmoid_derivative")
def check_sigmoid_derivative(fn):
    """Check a student's sigmoid_derivative(a), written with the activation a = sigmoid(z).

    Parameters
    ----------
    fn : function
        Called on a (21,) array of activations a.

    Returns
    -------
    Feedback
    """
    a = sigmoid(np.linspace(-5, 5, 21))  # (21,)
    slips = [(sigmoid(a) * (1 - sigmoid(a)), "you applied the sigmoid again.",
              "the argument is already the activation a = sigmoid(z); the derivative is a * (1 - a).")]
    return judge_array("sigmoid_derivative", fn, {"a": a}, a * (1 - a), slips,
                       "in terms of the output a, the derivative is a * (1 - a).") \
        or correct("the derivative is a * (1 - a): 0.25 at a = 0.5, near 0 when a is near 0 or 1.")


@exercise()
def check_answer(name, answer, expected, hint="", rtol=None):
    """Compare an answer (a number, an array, or a shape) with the expected one.

    Parameters
    ----------
    name : str
        What the answer is, as the message calls it.
    answer : number, array_like or tuple
    expected : number, array_like or tuple
        A tuple is a shape, judged as `check_shape` does.
    hint : str, optional
        Where to look if the answer differs.
    rtol : float, optional
        A looser relative tolerance than the one that suits the answer's dtype.

    Returns
    -------
    Feedback
    """
    hint = hint or f"print {name} and compare it with what the exercise asks."
    if isinstance(expected, tuple):
        return judge_shape(name, answer, expected, hint)
    return compare(name, answer, expected, hint, rtol) or correct(f"{name} matches.")


@exercise()
def check_shape(name, answer, expected_shape, hint=""):
    """Check a shape: a tuple of whole numbers, or an array whose `.shape` it is.

    Parameters
    ----------
    name : str
        What the shape is of, as the message calls it.
    answer : tuple, list or ndarray
    expected_shape : tuple of int
    hint : str, optional
        Where to look if the shape differs.

    Returns
    -------
    Feedback
    """
    return judge_shape(name, answer, expected_shape, hint or "a shape is a tuple of whole numbers: (rows, columns).")


@exercise("n_params")
def check_param_count(answer, input_size=3, hidden_size=4, output_size=2):
    """Check the number of trainable parameters of a D-H-M network: D*H + H + H*M + M.

    Parameters
    ----------
    answer : int
    input_size, hidden_size, output_size : int, optional
        D, H and M of the network (the seed's 3, 4 and 2).

    Returns
    -------
    Feedback
    """
    D, H, M = input_size, hidden_size, output_size
    expected = D * H + H + H * M + M
    parts = f"add up the sizes of W1 ({D}, {H}), b1 (1, {H}), W2 ({H}, {M}) and b2 (1, {M})."
    array, problem = as_array("the parameter count", answer)
    if problem:
        return problem
    if array.size != 1:
        summed = array.size == 4 and matches(np.asarray(np.sum(array, dtype=float)), expected)
        return not_yet(f"the parameter count should be one number; received {describe(answer)}.",
                       "those are the sizes of W1, b1, W2 and b2: add them up." if summed else parts)
    if matches(array.reshape(()), expected):
        return correct(f"{D}*{H} + {H} + {H}*{M} + {M} = {expected} parameters.")
    if matches(array.reshape(()), D * H + H * M):
        return not_yet(f"{D * H + H * M} counts only the weights.",
                       "each hidden and each output unit also has a bias.")
    return not_yet(f"expected {expected}; received {describe(answer)}.", parts)


@exercise("learning_rate")
def check_learning_rate(learning_rate, epochs=2000, target=0.01, loss="mse", hidden_size=4):
    """Train on the seed data at `learning_rate` and say whether the loss gets below `target`.

    Parameters
    ----------
    learning_rate : float
    epochs, target, loss, hidden_size : optional
        The exercise's settings: 2000 epochs, MSE below 0.01, 4 hidden units.

    Returns
    -------
    Feedback
    """
    rate, problem = as_number("learning_rate", learning_rate)
    if problem:
        return problem
    rate = float(rate)
    if isinstance(learning_rate, (bool, np.bool_)) or not 0 < rate <= LARGEST_RATE:
        return not_yet(f"learning_rate should be a number above 0 and at most {LARGEST_RATE}; received "
                       f"{describe(learning_rate)}.", "each step moves the weights by -learning_rate times the "
                       "gradient: try 0.1, 1 or 10.")
    losses = train(*seed_data(), hidden_size=hidden_size, learning_rate=rate, epochs=epochs, loss=loss).losses
    if losses[-1] < target:
        return correct(f"at learning rate {rate:g} the loss reaches {losses[-1]:.4f} "
                       f"after {epochs} epochs (target {target}).")
    if losses[-1] > losses[0] or np.any(np.diff(losses) > 0):
        hint = "the loss went up along the way: the steps may be too large; try a smaller rate."
    else:
        hint = "the loss is still falling slowly: try a larger rate (say 10 times larger)."
    return not_yet(f"at learning rate {rate:g} the loss is {losses[-1]:.4f} after {epochs} epochs, "
                   f"above the target {target}.", hint)


def _problem(N, D, H, M, seed):
    """Parameters, inputs X (N, D) and targets y (N, M) in [0, 1], drawn from `seed`."""
    rng = np.random.default_rng(seed)
    return init_params(D, H, M, seed=seed), rng.normal(size=(N, D)), rng.uniform(size=(N, M))


@exercise("forward")
def check_forward(fn):
    """Check a student's forward(params, X), returning A2 or (A2, cache), on three network sizes.

    Parameters
    ----------
    fn : function
        Called with params (W1, b1, W2, b2) and X (N, D); returns A2 (N, M).

    Returns
    -------
    Feedback
    """
    for seed, (N, D, H, M) in enumerate(SIZES):
        params, X, _ = _problem(N, D, H, M, seed)
        expected, cache = forward(params, X)  # from the pristine inputs; the student gets copies
        size = f"with N={N}, D={D}, H={H}, M={M}: "
        result, problem = call("your forward", fn, {"params": params, "X": X})
        if type(result) in (tuple, list) and len(result) == 2 and isinstance(result[1], dict):
            result = result[0]  # (A2, cache)
        A2, problem = (None, problem) if problem else as_array("A2", result)
        if problem:
            return problem.about(size) if seed else problem
        if matches(A2, cache["Z2"]):
            return not_yet("you returned Z2.", "apply the sigmoid to the output layer too: A2 = sigmoid(Z2).")
        if A2.shape == (N, H) and H != M:
            return not_yet(f"A2 should have shape {(N, M)}; received {(N, H)}, the hidden layer's shape.",
                           "after A1, compute Z2 = A1 @ W2 + b2 and A2 = sigmoid(Z2).")
        if matches(A2, sigmoid(sigmoid(X @ params["W1"]) @ params["W2"])):
            return not_yet("the biases are missing.", "add b1 to X @ W1 and b2 to A1 @ W2.")
        feedback = compare("A2", A2, expected,
                           "Z1 = X @ W1 + b1, A1 = sigmoid(Z1), Z2 = A1 @ W2 + b2, A2 = sigmoid(Z2).")
        if feedback:
            return feedback.about(size)
    return correct("your forward pass matches nnlib.forward for several sizes.")


@exercise("mse")
def check_mse(fn):
    """Check a student's mse(A2, y): the mean over all elements of (y - A2)^2.

    Parameters
    ----------
    fn : function
        Called on two test cases, A2 and y of shapes (5, 2) and (3, 4); returns one number.

    Returns
    -------
    Feedback
    """
    cases = []
    for seed, N, M in ((0, 5, 2), (1, 3, 4)):
        rng = np.random.default_rng(seed)
        A2, y = rng.uniform(size=(N, M)), rng.uniform(size=(N, M)).round()  # (N, M) each
        loss = mse_loss(A2, y)
        cases.append(({"A2": A2, "y": y}, loss, (
            (loss * A2.size, "you summed the squared errors.", "the MSE is a mean: np.mean, not np.sum."),
            (np.sqrt(loss), "you took a square root (that is the RMSE).", "leave out the square root."),
            (np.mean(np.abs(y - A2)), "you averaged absolute errors.", "square the errors: (y - A2) ** 2."))))
    return judge_number("mse", fn, cases, "the mean over all elements of (y - A2) ** 2.") \
        or correct(f"mean((y - A2)^2) = {cases[0][1]:.4f} on the test data.")


def _gradients(params, X, y, loss):
    """Every gradient of the backward pass, intermediate ones included."""
    A2, cache = forward(params, X)
    dZ2 = OUTPUT_ERRORS[loss](A2, y)  # (N, M)
    dA1 = dZ2 @ params["W2"].T  # (N, H)
    dZ1 = dA1 * cache["A1"] * (1 - cache["A1"])  # (N, H)
    return {**backward(params, cache, y, loss=loss), "dZ2": dZ2, "dA1": dA1, "dZ1": dZ1}


@exercise()
def check_gradient(name, answer, params, X, y, loss="mse"):
    """Check one gradient array against the exact one.

    Parameters
    ----------
    name : {'dW1', 'db1', 'dW2', 'db2', 'dZ2', 'dA1', 'dZ1'}
    answer : array_like
    params : dict
        W1 (D, H), b1 (1, H), W2 (H, M), b2 (1, M), where the gradient is taken.
    X : (N, D) array_like
    y : (N, M) array_like
    loss : {'mse', 'bce'}, optional

    Returns
    -------
    Feedback
    """
    if name not in GRADIENTS:
        return not_yet(f"there is no gradient called {name!r}.", f"choose one of {', '.join(sorted(GRADIENTS))}.")
    try:  # the notebook's own arrays, which a cell may have overwritten
        X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
        grads = _gradients(params, X, y, loss)
    except Exception as error:
        return not_yet(f"the check cannot use params, X and y as they are now ({type(error).__name__}: "
                       f"{text(error)}).", "run the notebook's cells from the top to set them again.")
    if name == "dZ2" and loss == "mse" and same_as(answer, forward(params, X)[0] - y):
        return not_yet("dZ2 is A2 - y: that is the cross-entropy's output error (times N M), not the MSE's.",
                       f"for the MSE, {DZ2['mse']}.")
    return compare(name, answer, grads[name], GRADIENTS[name].format(dZ2=DZ2[loss]), factors=True) \
        or correct(f"{name} has shape {grads[name].shape} and matches the exact gradient.")


@exercise("backward")
def check_backward(fn, loss="mse"):
    """Check a student's backward(params, cache, y) on three network sizes, hidden size 5 included.

    When it is not right yet, a notebook also shows the map of its errors,
    entry by entry, at the size where it failed (grey where there is no
    answer to compare: none yet, an error, a missing or misshapen gradient).

    Parameters
    ----------
    fn : function
        Called with params, the cache of `nnlib.forward` and y (and `loss=` if it
        takes a loss); returns a dict with dW1, db1, dW2 and db2.
    loss : {'mse', 'bce'}, optional

    Returns
    -------
    Feedback
    """
    feedback, problem, answer = _judge_backward(fn, loss)
    if not feedback.passed:
        show_gradient_map(... if fn is ... else answer, *problem, loss)
    return feedback


def _judge_backward(fn, loss):
    """(Feedback, (params, X, y) where it was decided, what fn returned there).

    What fn returned is None when there is nothing to compare (fn is blank
    or not a function, raised, changed its inputs or returned None).
    """
    for seed, (N, D, H, M) in enumerate(SIZES):
        params, X, y = _problem(N, D, H, M, seed)
        _, cache = forward(params, X)
        grads = _gradients(params, X, y, loss)  # from the pristine inputs; the student gets copies
        size = f"with N={N}, D={D}, H={H}, M={M} and loss={loss!r}: "
        result, problem = call("your backward", fn, {"params": params, "cache": cache, "y": y},
                               {"loss": loss} if takes(fn, "loss") else {})
        if problem and seed == 1:  # right at H = N = 4, not at H = 5
            return not_yet(f"with hidden size {H} and {N} samples, {problem.problem}",
                           "your code works only when H = N: an element-wise product needs two arrays of the "
                           "same shape; dW2 = A1.T @ dZ2 is already (H, M), and the factor A2 (1 - A2) "
                           "belongs on dZ2, per sample."), (params, X, y), None
        returned, problem = (None, problem) if problem else as_dict("backward", result, GRAD_NAMES, RETURN_GRADS)
        if problem:
            return (problem.about(size) if seed else problem), (params, X, y), result
        for key in ("dW2", "db2", "dW1", "db1"):  # in the order backward computes them
            if key == "dW1" and same_as(returned[key], X.T @ grads["dA1"]):
                return not_yet(f"{size}dW1 is X.T @ dA1: the sigmoid's derivative is missing from dZ1.",
                               "dZ1 = dA1 * A1 * (1 - A1), element by element, then dW1 = X.T @ dZ1."), \
                    (params, X, y), result
            after = "dW2 and db2 are right, so look after them: " if key in ("dW1", "db1") else ""
            feedback = compare(key, returned[key], grads[key], after + GRADIENTS[key].format(dZ2=DZ2[loss]),
                               factors=True)
            if feedback:
                return feedback.about(size), (params, X, y), result
    return correct(f"all four gradients match the exact ones for {len(SIZES)} network sizes, "
                   "hidden size 5 included."), None, None


def _step(value, received, gradient):
    """The number c with received = value - c * gradient, if there is one, else None."""
    if received.shape != value.shape or not np.all(np.isfinite(received)):
        return None
    c = float(np.vdot(value - received, gradient) / np.vdot(gradient, gradient))
    return c if matches(received, value - c * gradient) else None


@exercise("update")
def check_update(fn):
    """Check a student's update(params, grads, learning_rate): W - learning_rate * dW for each parameter.

    Parameters
    ----------
    fn : function
        Called at learning rates 0.5 and 0.1; returns the new params dict, or
        changes params in place and returns None. It must leave grads as they are.

    Returns
    -------
    Feedback
    """
    params = init_params(3, 4, 2, seed=1)
    rng = np.random.default_rng(1)
    grads = {"d" + key: rng.normal(size=value.shape) for key, value in params.items()}
    for rate in (0.5, 0.1):
        result, problem = call("your update", fn, {"params": params, "grads": grads, "learning_rate": rate},
                               in_place="params")
        result, problem = (None, problem) if problem else as_dict("update", result, params,
                                                                   "return {name: new value} for W1, b1, W2 and b2.")
        if problem:
            return problem
        for key, value in params.items():
            received, problem = as_array(key, result[key])
            moved = None if problem else _step(value, received, grads["d" + key])  # W - moved * dW
            if moved is not None and np.isclose(moved, -rate):
                return not_yet(f"{key} moved uphill.", "gradient descent subtracts: W - learning_rate * dW.")
            if moved is not None and np.isclose(moved, 1):
                return not_yet(f"{key} took a full gradient step.", "multiply the gradient by the learning rate.")
            if moved is not None and not np.isclose(moved, rate):
                return not_yet(f"{key} moved by {moved:.4g} times its gradient, with learning_rate = {rate}.",
                               "use the argument learning_rate, not a number or a variable of the notebook.")
            feedback = problem or compare(key, received, value - rate * grads["d" + key],
                                          "W <- W - learning_rate * dW for every parameter.")
            if feedback:
                return feedback.about(f"with learning_rate = {rate}: ") if rate != 0.5 else feedback
    return correct("every parameter moves by -learning_rate times its gradient.")


@exercise("accuracy")
def check_accuracy(fn):
    """Check a student's accuracy(A2, y): the fraction of rows whose largest output is the target's class.

    Parameters
    ----------
    fn : function
        Called on three test cases with different accuracies; returns one number.

    Returns
    -------
    Feedback
    """
    cases = []
    for seed, N, M in ((2, 10, 2), (3, 8, 3), (5, 6, 4)):
        rng = np.random.default_rng(seed)
        A2, y = rng.uniform(size=(N, M)), np.eye(M)[rng.integers(0, M, size=N)]  # (N, M) each
        right = accuracy(A2, y)
        cases.append(({"A2": A2, "y": y}, right, (
            (100 * right, "you gave a percentage ({:g}).", "give a fraction between 0 and 1."),
            (right * N, "you counted the right rows ({:g}).", "divide by the number of samples."),
            (1 - right, "you gave the fraction of wrong rows.", "compare with ==, not !=."))))
    return judge_number("accuracy", fn, cases, "compare A2.argmax(axis=1) with y.argmax(axis=1), take the mean.") \
        or correct(f"{cases[0][1]:.2f} of the test rows are classified right.")


@exercise("hidden_size")
def check_xor_hidden_size(hidden_size, epochs=5000, learning_rate=2.0, seeds=(0, 1, 2)):
    """Say whether a network with `hidden_size` hidden units solves XOR from every seed.

    Parameters
    ----------
    hidden_size : int
        From 1 to 256.
    epochs, learning_rate, seeds : optional
        How the check trains (with the cross-entropy), once per seed.

    Returns
    -------
    Feedback
    """
    size, problem = whole_number("hidden_size", hidden_size, 1, LARGEST_HIDDEN,
                                 f"XOR has four points: 2 hidden units can solve it, a few more do it reliably, "
                                 f"and more than {LARGEST_HIDDEN} only make training slow.")
    if problem:
        return problem
    X, y = xor_data()
    solved = sum(accuracy(forward(train(X, y, hidden_size=size, learning_rate=learning_rate, epochs=epochs,
                                        seed=seed, loss="bce").params, X)[0], y) == 1.0 for seed in seeds)
    summary = f"with {size} hidden units, {solved} of {len(seeds)} seeds reach 100% accuracy."
    if solved == len(seeds):
        return correct(summary)
    return not_yet(summary, "XOR is not linearly separable: the hidden layer needs at least 2 units, "
                            "and a few more make training reliable.")


cells.start()  # in a notebook: watch for answer cells that raise
