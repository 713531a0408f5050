"""The exercise checks of notebooks 01-10, and the registry that runs them from a check cell.

Every exercise of the series has one entry in `EXERCISES`, in notebook
order, and its check cell, the first code cell after the exercise, has one
form:

    from nnlib.course.checks import check
    check("sigmoid")

`check(id)` reads the answers the exercise judges (`Exercise.reads`, such
as ("sigmoid",), ("dW2",) or ("learning_rate",)) from the notebook, the
namespace of the cell that calls it, and returns `Exercise.judge(answers)`.
It never raises: a check run before its answer cell, even in a fresh
kernel, answers "❌ Not yet: `sigmoid` is not defined yet", and an answer
left behind by a cell that raised is not graded (`cells.py`). The Feedback
names its exercise (`Feedback.exercise`, in its JSON for grading tools).

`Exercise.judge(answers, seed=None)` is a pure function of the answers (a
dict name -> object; a function answer is its function). Every right
answer it compares with comes from the check's own data (`cases.py`), never
from a notebook's variables, which any cell can rebind. With `seed=None` it
uses the fixed cases the notebooks show; with an int seed, an exercise
whose answer is a function is judged on fresh inputs of the same kinds
(for a grader: inputs no notebook has seen). Exercises whose answer is a
value (an array, a number to train with) ignore the seed.

Each exercise's judge is also a function of its own, `check_sigmoid(fn)`
and so on, in notebook order, which demonstration cells call with a
function of their own. Each returns a `Feedback`, shown as one line:

    ✅ Correct: <what was verified>
    ❌ Not yet: <what differs> Hint: <where to look>

To add an exercise: its judge here, where its notebook's are, and its
entry in `EXERCISES` (and `__all__`); its test data in `cases.py` if it
needs new kinds; in the notebook, the exercise cell with solution markers
and the check cell.

The machinery the checks share is in `feedback.py` (the result, and calling
a function safely), `errors.py` (NumPy's errors in words), `answers.py`
(answers as numbers of the right kind, tolerances that suit their dtype)
and `cells.py` (answers left stale by a cell that raised). When a backward
pass is not right yet, `check_backward` also shows, in a notebook, a map of
where its gradients differ from finite differences (`gradient_maps.py`),
above the check's own line. The network's formulas in the hints read each
layer's activation from its record (`nnlib.network.HIDDEN`,
`nnlib.losses.OUTPUT`) and each loss's dL/dZ2 from `nnlib.losses.LOSSES`.
Shape letters: N samples, D inputs, H hidden units, M outputs.
"""

import functools
import inspect
from dataclasses import dataclass, field, replace

import numpy as np

from ...activations import ACTIVATIONS, sigmoid, sigmoid_derivative
from ...data import seed_data, xor_data
from ...gradcheck import numerical_gradient
from ...losses import LOSSES, OUTPUT, mse, mse_loss
from ...network import HIDDEN, accuracy, backward, forward, predict
from ...params import init_params
from ...training import train
from . import cases, cells
from .answers import (as_array, as_dict, as_number, coarse, compare, judge_array, judge_number, judge_shape,
                      not_an_array, right, same_as, whole_number)
from ..numbers import loss_text, units
from .feedback import Feedback, call, correct, describe, exercise, graded, notebook_data, not_yet, stale, takes
from .gradient_maps import show_gradient_map

__all__ = ["Feedback", "Exercise", "EXERCISES", "check", "check_sigmoid", "check_sigmoid_derivative", "check_labels",
           "check_XT_shape", "check_param_count", "check_W2_shape", "check_learning_rate", "check_forward",
           "check_mse", "check_gradient", "check_backward", "check_update", "check_accuracy",
           "check_xor_hidden_size", "check_deep_forward", "check_deep_backward"]

# The network's formulas as the hints write them, each layer's activation read from its record.
FORWARD = f"Z1 = X @ W1 + b1, A1 = {HIDDEN.name}(Z1), Z2 = A1 @ W2 + b2, A2 = {OUTPUT.name}(Z2)."
DZ1 = f"dZ1 = dA1 * {HIDDEN.derivative_of('A1')}"  # dZ1 = dA1 * A1 * (1 - A1)
GRADIENTS = {  # each gradient's formula, and what to inspect when it is wrong ({dZ2}: the loss's)
    "dZ2": "{dZ2}, shape (N, M).",
    "dW2": "dW2 = A1.T @ dZ2, (H, N) @ (N, M); inspect dZ2 first: {dZ2}.",
    "db2": "db2 = dZ2.sum(axis=0, keepdims=True), shape (1, M); inspect dZ2 first: {dZ2}.",
    "dA1": "dA1 = dZ2 @ W2.T, (N, M) @ (M, H).",
    "dZ1": f"{DZ1}, element by element; inspect dA1 = dZ2 @ W2.T.",
    "dW1": f"dW1 = X.T @ dZ1; inspect dA1 = dZ2 @ W2.T and {DZ1}.",
    "db1": f"db1 = dZ1.sum(axis=0, keepdims=True), shape (1, H); inspect {DZ1}.",
}
RETURN_GRADS = "return {'dW1': dW1, 'db1': db1, 'dW2': dW2, 'db2': db2}."
GRAD_NAMES = ("dW1", "db1", "dW2", "db2")
GRADIENT_USE = "gradient descent computes W - learning_rate * dW with it, which a list cannot do."
LARGEST_RATE = 1000  # steps larger than this push every sigmoid to 0 or 1 at once
LARGEST_HIDDEN = 256  # XOR has four points; more units only make the check slow
DEEP_FORWARD = ("for l = 1 to L + 1: Z = A @ params[f'W{l}'] + params[f'b{l}'], then A = f(Z) for a hidden "
                f"layer (l <= L) and A = {OUTPUT.name}(Z) for the output layer, starting from A = X.")
DEEP_BACKWARD = ("for l = L + 1 down to 1: dW[l] = A[l-1].T @ dZ, db[l] = dZ.sum(axis=0, keepdims=True), then "
                 "(if l > 1) dZ = (dZ @ W[l].T) * f'(A[l-1]).")
DEEP_STEP = {"dW": "dW[l] = A[l-1].T @ dZ[l] (A[0] = X), where dZ[l] = (dZ[l+1] @ W[l+1].T) * f'(A[l]).",
             "db": "db[l] = dZ[l].sum(axis=0, keepdims=True), where dZ[l] = (dZ[l+1] @ W[l+1].T) * f'(A[l])."}
HIDDEN_HINT = (f"XOR has four points: 2 hidden units can solve it, a few more do it reliably, and more than "
               f"{LARGEST_HIDDEN} only make training slow.")


def with_notebook_data(feedback, fn, label):
    """`feedback`, or if it is a "Not yet" and `fn` reads arrays or numbers from the notebook, a hint saying so.

    A function that computes with the notebook's W1 instead of params["W1"]
    works in the notebook and fails on the check's data: the formula hint
    would repeat what it wrote.
    """
    names = notebook_data(fn) if feedback is not None and not feedback.passed else []
    if not names:
        return feedback
    try:
        arguments = list(inspect.signature(fn).parameters)
    except (TypeError, ValueError):
        arguments = []
    uses = [f'params["{name}"]' if name in ("W1", "b1", "W2", "b2") and "params" in arguments
            else f'cache["{name}"]' if name in ("X", "Z1", "A1", "Z2", "A2") and "cache" in arguments
            else None for name in names]
    instead = (" and ".join(use for use in uses if use) if all(uses)
               else f"the arguments {', '.join(arguments)}" if arguments else "its arguments")
    shown = " and ".join(f"`{name}`" for name in names)
    return replace(feedback, hint=f"{label} reads {shown} from the notebook, not from what it is given: the check "
                                  f"calls it with its own data, so use {instead} inside the function.")


@exercise("sigmoid")
def check_sigmoid(fn, seed=None):
    """Check a student's sigmoid(z) against 1 / (1 + exp(-z)).

    Parameters
    ----------
    fn : function
        Called on a (3, 11) array of z from -8 to 8 (with a seed: a random
        2-D array of z from -8 to 8); must return a NumPy array.
    seed : int, optional
        Draws fresh z.

    Returns
    -------
    Feedback
    """
    z = cases.sigmoid_inputs(seed)  # (r, c)
    slips = [(1 - sigmoid(z), "your outputs are 1 - sigmoid(z).", "check the sign inside the exponential: exp(-z).")]
    hint = "sigmoid(z) = 1 / (1 + np.exp(-z)), element by element."
    feedback = judge_array("sigmoid", fn, {"z": z}, sigmoid(z), slips, hint, own={"nnlib.sigmoid": sigmoid})
    return with_notebook_data(feedback, fn, "your sigmoid") \
        or correct("sigmoid(0) = 0.5, large z go to 1, large negative z to 0, for arrays of any shape.")


@exercise("sigmoid_derivative")
def check_sigmoid_derivative(fn, seed=None):
    """Check a student's sigmoid_derivative(a), written with the activation a = sigmoid(z).

    Parameters
    ----------
    fn : function
        Called on a (21,) array of activations a (with a seed: 15 to 30 of
        them); must return a NumPy array.
    seed : int, optional
        Draws fresh activations.

    Returns
    -------
    Feedback
    """
    a = cases.activations(seed)  # (n,)
    slips = [(sigmoid(a) * (1 - sigmoid(a)), "you applied the sigmoid again.",
              "the argument is already the activation a = sigmoid(z); the derivative is a * (1 - a).")]
    feedback = judge_array("sigmoid_derivative", fn, {"a": a}, sigmoid_derivative(a), slips,
                           "in terms of the output a, the derivative is a * (1 - a).",
                           own={"nnlib.sigmoid_derivative": sigmoid_derivative})
    return with_notebook_data(feedback, fn, "your sigmoid_derivative") \
        or correct("the derivative is a * (1 - a): 0.25 at a = 0.5, near 0 when a is near 0 or 1.")


@exercise("labels_from_X")
def check_labels(labels_from_X):
    """Check the class of each seed sample computed from X: 1 where x0 = 0, 0 where x0 = 1.

    Parameters
    ----------
    labels_from_X : array_like
        (4,), one class (0 or 1) per sample of `nnlib.seed_data()`.

    Returns
    -------
    Feedback
    """
    X, y = seed_data()  # the check's own copy: X (4, 3), y (4, 2)
    hint = "class 1 is exactly the samples with x0 = 0, and X[:, 0] is the first column."
    if same_as(labels_from_X, X[:, 0]):
        return not_yet("your labels are x0 itself, which is 1 for class 0: the other way round.", hint)
    return compare("labels_from_X", labels_from_X, y.argmax(axis=1), hint) \
        or correct("labels_from_X is the class of every sample: 1 where x0 = 0, 0 where x0 = 1.")


@exercise("XT_shape")
def check_XT_shape(XT_shape):
    """Check the shape of X.T for the seed's X (4, 3): (3, 4).

    Parameters
    ----------
    XT_shape : tuple
        A shape: a tuple of whole numbers (a list, or an array whose .shape it is, also does).

    Returns
    -------
    Feedback
    """
    X, _ = seed_data()  # (4, 3)
    return judge_shape("the shape of X.T", XT_shape, X.T.shape,
                       "transposing swaps rows and columns: (N, D) becomes (D, N).")


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
        summed = array.size == 4 and right(np.asarray(np.sum(array, dtype=float)), expected)
        return not_yet(f"the parameter count should be one number; received {describe(answer)}.",
                       "those are the sizes of W1, b1, W2 and b2: add them up." if summed else parts)
    if right(array.reshape(()), expected):
        return correct(f"{D}*{H} + {H} + {H}*{M} + {M} = {expected} parameters.")
    if right(array.reshape(()), D * H + H * M):
        return not_yet(f"{D * H + H * M} counts only the weights.", "each hidden and each output unit also has a bias.")
    return not_yet(f"expected {expected}; received {describe(answer)}.", parts)


@exercise("W2_shape")
def check_W2_shape(W2_shape):
    """Check the shape of W2 in the seed's 3-4-2 network: (4, 2).

    Parameters
    ----------
    W2_shape : tuple
        A shape: a tuple of whole numbers (a list, or an array whose .shape it is, also does).

    Returns
    -------
    Feedback
    """
    W2 = init_params(3, 4, 2)["W2"]  # (H, M) = (4, 2)
    return judge_shape("the shape of W2", W2_shape, W2.shape,
                       "(N, H) @ (H', M) needs H' = H: W2 takes the H hidden units to the M outputs.")


@exercise("learning_rate")
def check_learning_rate(learning_rate, epochs=2000, target=0.01, loss="mse", hidden_size=4):
    """Train on the seed data at `learning_rate` and say whether the loss gets below `target`.

    Parameters
    ----------
    learning_rate : float
        One number (an int or a float), as `nnlib.train` takes it.
    epochs, target, loss, hidden_size : optional
        The exercise's settings: 2000 epochs, MSE below 0.01, 4 hidden units.

    Returns
    -------
    Feedback
    """
    rate, problem = as_number("learning_rate", learning_rate, "write one number without brackets, such as "
                                                              "learning_rate = 5: nnlib.train needs a number.")
    if problem:
        return problem
    rate = float(rate)
    if isinstance(learning_rate, (bool, np.bool_)) or not 0 < rate <= LARGEST_RATE:
        return not_yet(f"learning_rate should be a number above 0 and at most {LARGEST_RATE}; received "
                       f"{describe(learning_rate)}.", "each step moves the weights by -learning_rate times "
                       "the gradient: try 0.1, 1 or 10.")
    losses = train(*seed_data(), hidden_size=hidden_size, learning_rate=rate, epochs=epochs, loss=loss).losses
    if losses[-1] < target:
        return correct(f"at learning rate {rate:g} the loss reaches {loss_text(losses[-1])} "
                       f"after {epochs} epochs (target {target}).")
    if losses[-1] > losses[0] or np.any(np.diff(losses) > 0):
        hint = "the loss went up along the way: the steps may be too large; try a smaller rate."
    else:
        hint = "the loss is still falling slowly: try a larger rate (say 10 times larger)."
    return not_yet(f"at learning rate {rate:g} the loss is {loss_text(losses[-1])} after {epochs} epochs, "
                   f"above the target {target}.", hint)


def forward_slips(params, X, cache):
    """The usual wrong forward passes on (params, X): (A2 they give, what it means, hint)."""
    W1, b1, W2, b2 = (params[name] for name in ("W1", "b1", "W2", "b2"))
    flipped = lambda z: sigmoid(-z)  # 1 / (1 + exp(+z)): the sign inside the exponential  # noqa: E731
    exp_sign = "1 / (1 + np.exp(z)), which is sigmoid(-z): the sign inside the exponential is flipped."
    return (
        (cache["Z2"], "you returned Z2.", "apply the sigmoid to the output layer too: A2 = sigmoid(Z2)."),
        (sigmoid(sigmoid(X @ W1) @ W2), "the biases are missing.", "add b1 to X @ W1 and b2 to A1 @ W2."),
        (sigmoid(sigmoid(X @ W1) @ W2 + b2), "b1 is missing.", "Z1 = X @ W1 + b1: add the hidden layer's bias."),
        (sigmoid(cache["A1"] @ W2), "b2 is missing.", "Z2 = A1 @ W2 + b2: add the output layer's bias."),
        (flipped(flipped(X @ W1 + b1) @ W2 + b2), f"both layers compute {exp_sign}",
         "sigmoid(z) = 1 / (1 + np.exp(-z)): check the sign in the sigmoid you use."),
        (sigmoid(flipped(X @ W1 + b1) @ W2 + b2), f"the hidden layer computes {exp_sign}",
         "A1 = sigmoid(Z1) with sigmoid(z) = 1 / (1 + np.exp(-z)): check the sign where you compute A1."),
        (flipped(cache["Z2"]), f"the output layer computes {exp_sign}",
         "A2 = sigmoid(Z2) with sigmoid(z) = 1 / (1 + np.exp(-z)): check the sign where you compute A2."),
        (sigmoid(cache["Z1"] @ W2 + b2), "the hidden layer has no sigmoid.",
         "A1 = sigmoid(Z1), then Z2 = A1 @ W2 + b2."),
    )


@exercise("forward")
def check_forward(fn, seed=None):
    """Check a student's forward(params, X), returning A2 or (A2, cache), on three network sizes.

    Parameters
    ----------
    fn : function
        Called with params (W1, b1, W2, b2) and X (N, D); returns A2 (N, M), a NumPy array.
    seed : int, optional
        Draws fresh sizes (still one with H = N and one with H = N + 1), weights and inputs.

    Returns
    -------
    Feedback
    """
    return with_notebook_data(_judge_forward(fn, seed), fn, "your forward") \
        or correct("your forward pass matches nnlib.forward for several sizes.")


def _judge_forward(fn, seed):
    """None if fn is a right forward pass, else Feedback."""
    for index, (N, D, H, M, params, X, _) in enumerate(cases.networks(seed)):
        expected, cache = forward(params, X)  # from the pristine inputs; the student gets copies
        size = f"with N={N}, D={D}, H={H}, M={M}: "
        result, problem = call("your forward", fn, {"params": params, "X": X}, own={"nnlib.forward": forward},
                               formula=FORWARD)
        if type(result) in (tuple, list) and len(result) == 2 and isinstance(result[1], dict):
            result = result[0]  # (A2, cache)
        A2, problem = (None, problem) if problem else as_array("A2", result)
        if problem:
            return problem.about(size) if index else problem
        if A2.shape == (N, H) and H != M:
            return not_yet(f"A2 should have shape {(N, M)}; received {(N, H)}, the hidden layer's shape.",
                           f"after A1, compute Z2 = A1 @ W2 + b2 and A2 = {OUTPUT.name}(Z2).")
        for wrong, mistake, hint in forward_slips(params, X, cache):
            if same_as(A2, wrong):
                return not_yet(mistake, hint)
        feedback = compare("A2", A2, expected, FORWARD) or not_an_array("what your forward returned", result)
        if feedback:
            return feedback.about(size)
    return None


def divided(total, count, entries, N, M):
    """The slips of a mean written as total / count: (value, what it means, hint) for count = 2 to 64."""
    slips = [(total / N, f"you divided by N = {N}, the number of samples, only.", "the mean runs over all N M "
              "entries: divide by A2.size (here {entries}), or use np.mean.".format(entries=entries)),
             (total / M, f"you divided by M = {M}, the number of outputs, only.", "the mean runs over all N M "
              "entries: divide by A2.size (here {entries}), or use np.mean.".format(entries=entries))]
    slips += [(total / k, f"you divided the sum by {k}, a number written into the code; these arrays have "
               f"{N} x {M} = {entries} {count}.", f"divide by A2.size, or use np.mean, so that it works for every "
               "N and M.") for k in range(2, 65) if k not in (entries, N, M)]
    return slips


@exercise("mse")
def check_mse(fn, seed=None):
    """Check a student's mse(A2, y): the mean over all elements of (y - A2)^2.

    Parameters
    ----------
    fn : function
        Called on two test cases, A2 and y of shapes (5, 2) and (3, 4) (with
        a seed: two random shapes); returns one number.
    seed : int, optional
        Draws fresh cases.

    Returns
    -------
    Feedback
    """
    tests = []
    for A2, y in cases.loss_cases(seed):
        loss = mse_loss(A2, y)
        (N, M), total = A2.shape, loss * A2.size  # the sum of the squared errors
        tests.append(({"A2": A2, "y": y}, loss, [
            (total, "you summed the squared errors.", "the MSE is a mean: np.mean, not np.sum."),
            (np.sqrt(loss), "you took a square root (that is the RMSE).", "leave out the square root."),
            (np.mean(np.abs(y - A2)), "you averaged absolute errors.", "square the errors: (y - A2) ** 2."),
            (loss / 2, "you halved the mean, as in the ½ mean((A2 - y)²) some books use for a tidier derivative.",
             "this course's L is the plain mean of (A2 - y) ** 2: leave out the 0.5 (or the / 2)."),
            (np.mean(A2 - y) ** 2, "you squared the mean of the errors: np.mean(A2 - y) ** 2.",
             "square each error first, then take the mean: np.mean((A2 - y) ** 2)."),
            *divided(total, "squared errors", A2.size, N, M)]))
    feedback = judge_number("mse", fn, tests, "the mean over all elements of (y - A2) ** 2.",
                            own={"nnlib.mse_loss": mse_loss, "nnlib.losses.mse": mse})
    return with_notebook_data(feedback, fn, "your mse") \
        or correct(f"mean((y - A2)^2) = {tests[0][1]:.4f} on the test data.")


def _gradients(params, X, y, loss):
    """Every gradient of the backward pass, intermediate ones included."""
    A2, cache = forward(params, X)
    dZ2 = LOSSES[loss].output_error(A2, y)  # (N, M)
    dA1 = dZ2 @ params["W2"].T  # (N, H)
    dZ1 = dA1 * HIDDEN.derivative(cache["A1"])  # (N, H)
    return {**backward(params, cache, y, loss=loss), "dZ2": dZ2, "dA1": dA1, "dZ1": dZ1}


@exercise()
def check_gradient(name, answer, loss="mse"):
    """Check one gradient array at notebook 06's point: the seed data and the tutorial's starting weights.

    The check computes that point itself (`cases.seed_point`), so a notebook
    cell that changes params, X or y changes nothing here.

    Parameters
    ----------
    name : {'dW1', 'db1', 'dW2', 'db2', 'dZ2', 'dA1', 'dZ1'}
    answer : ndarray
        The gradient, a NumPy array.
    loss : {'mse', 'bce'}, optional

    Returns
    -------
    Feedback
    """
    if name not in GRADIENTS:
        return not_yet(f"there is no gradient called {name!r}.", f"choose one of {', '.join(sorted(GRADIENTS))}.")
    params, X, y = cases.seed_point()  # W1 (3, 4), b1 (1, 4), W2 (4, 2), b2 (1, 2); X (4, 3); y (4, 2)
    grads = _gradients(params, X, y, loss)
    if name == "dZ2" and loss == "mse" and same_as(answer, forward(params, X)[0] - y):
        return not_yet("dZ2 is A2 - y: that is the cross-entropy's output error (times N M), not the MSE's.",
                       f"for the MSE, {LOSSES['mse'].output_error_formula}.")
    return compare(name, answer, grads[name], GRADIENTS[name].format(dZ2=LOSSES[loss].output_error_formula), factors=True) \
        or not_an_array(name, answer, GRADIENT_USE) \
        or correct(f"{name} has shape {grads[name].shape} and matches the exact gradient.")


@exercise("backward")
def check_backward(fn, loss="mse", seed=None):
    """Check a student's backward(params, cache, y) on three network sizes, hidden size 5 included.

    When it is not right yet, a notebook also shows the map of its errors,
    entry by entry, at the size where it failed (grey where there is no
    answer to compare: none yet, an error, a missing or misshapen gradient).

    Parameters
    ----------
    fn : function
        Called with params, the cache of `nnlib.forward` and y (and `loss=` if it
        takes a loss); returns a dict with dW1, db1, dW2 and db2, NumPy arrays.
    loss : {'mse', 'bce'}, optional
    seed : int, optional
        Draws fresh sizes (still one with H = N and one with H = N + 1), weights and data.

    Returns
    -------
    Feedback
    """
    feedback, problem, answer = _judge_backward(fn, loss, seed)
    if not feedback.passed:
        whose = (f"{fn.__module__}.{fn.__qualname__}" if str(getattr(fn, "__module__", "")).startswith("nnlib")
                 else "your backward")
        show_gradient_map(... if fn is ... else answer, *problem, loss, whose=whose)
    return with_notebook_data(feedback, fn, "your backward")


def _judge_backward(fn, loss, seed):
    """(Feedback, (params, X, y) where it was decided, what fn returned there).

    What fn returned is None when there is nothing to compare (fn is blank
    or not a function, raised, changed its inputs or returned None).
    """
    own = {"nnlib.backward": backward, "nnlib.numerical_gradient": numerical_gradient}
    for index, (N, D, H, M, params, X, y) in enumerate(cases.networks(seed)):
        _, cache = forward(params, X)
        grads = _gradients(params, X, y, loss)  # from the pristine inputs; the student gets copies
        size = f"with N={N}, D={D}, H={H}, M={M} and loss={loss!r}: "
        result, problem = call("your backward", fn, {"params": params, "cache": cache, "y": y},
                               {"loss": loss} if takes(fn, "loss") else {}, own=own,
                               formula="the chain rule of steps 1 to 6 above, starting from "
                                       + LOSSES[loss].output_error_formula + ".")
        if problem and index == 1:  # right at H = N, not at H = N + 1
            return not_yet(f"with hidden size {H} and {N} samples, {problem.problem}",
                           "your code works only when H = N: an element-wise product needs two arrays of the "
                           "same shape; dW2 = A1.T @ dZ2 is already (H, M), and the factor A2 (1 - A2) "
                           "belongs on dZ2, per sample."), (params, X, y), None
        returned, problem = (None, problem) if problem else as_dict("backward", result, GRAD_NAMES, RETURN_GRADS)
        if problem:
            return (problem.about(size) if index else problem), (params, X, y), result
        for key in ("dW2", "db2", "dW1", "db1"):  # in the order backward computes them
            if key == "dW1" and same_as(returned[key], X.T @ grads["dA1"]):
                return not_yet(f"{size}dW1 is X.T @ dA1: the {HIDDEN.name}'s derivative is missing from dZ1.",
                               f"{DZ1}, element by element, then dW1 = X.T @ dZ1."), \
                    (params, X, y), result
            after = "dW2 and db2 are right, so look after them: " if key in ("dW1", "db1") else ""
            feedback = compare(key, returned[key], grads[key], after + GRADIENTS[key].format(dZ2=LOSSES[loss].output_error_formula),
                               factors=True) or not_an_array(key, returned[key], GRADIENT_USE)
            if feedback:
                return feedback.about(size), (params, X, y), result
    return correct(f"all four gradients match the exact ones for {len(cases.SIZES)} network sizes, "
                   f"hidden size {cases.sizes(seed)[1][2]} included."), None, None


def _step(value, received, gradient):
    """The number c with received = value - c * gradient, if there is one, else None."""
    if received.shape != value.shape or not np.all(np.isfinite(received)):
        return None
    c = float(np.vdot(value - received, gradient) / np.vdot(gradient, gradient))
    return c if same_as(received, value - c * gradient) else None


def _wrong_step(key, moved, rate):
    """Feedback on a parameter that moved by `moved` times its gradient (None: no such number) at `rate`."""
    if moved is None or np.isclose(moved, rate):  # no single step, or the right one: compare's message says more
        return None
    if np.isclose(moved, -rate):
        return not_yet(f"{key} moved uphill.", "gradient descent subtracts: W - learning_rate * dW.")
    if np.isclose(moved, 1):
        return not_yet(f"{key} took a full gradient step.", "multiply the gradient by the learning rate.")
    return not_yet(f"{key} moved by {moved:.4g} times its gradient, with learning_rate = {rate}.",
                   "use the argument learning_rate, not a number or a variable of the notebook.")


@exercise("update")
def check_update(fn, seed=None):
    """Check a student's update(params, grads, learning_rate): W - learning_rate * dW for each parameter.

    Parameters
    ----------
    fn : function
        Called at learning rates 0.5 and 0.1 (with a seed: two others);
        returns the new params dict of NumPy arrays, or changes params in
        place and returns None. It must leave grads as they are.
    seed : int, optional
        Draws fresh sizes, parameters, gradients and rates.

    Returns
    -------
    Feedback
    """
    return with_notebook_data(_judge_update(fn, seed), fn, "your update") \
        or correct("every parameter moves by -learning_rate times its gradient.")


def _judge_update(fn, seed):
    """None if fn is a right update, else Feedback."""
    params, grads, rates = cases.update_problem(seed)
    for number, rate in enumerate(rates):
        context = f"with learning_rate = {rate}: " if number else ""
        result, problem = call("your update", fn, {"params": params, "grads": grads, "learning_rate": rate},
                               in_place="params")
        result, problem = (None, problem) if problem else as_dict("update", result, params,
                                                                   "return {name: new value} for W1, b1, W2 and b2.")
        if problem:
            return problem.about(context)
        for key, value in params.items():
            received, problem = as_array(key, result[key])
            if problem is None and received.shape == value.shape and np.array_equal(received, value):
                return not_yet(f"{key} did not change.",
                               f"every parameter moves, the biases too: {key} - learning_rate * d{key}.")
            feedback = problem or compare(key, received, value - rate * grads["d" + key],
                                          "W <- W - learning_rate * dW for every parameter.")
            if feedback is None:
                feedback = not_an_array(f"the new {key}", result[key], "the next step computes W - learning_rate * dW "
                                                                       "with it, which a list cannot do.")
            elif problem is None and not coarse(received):  # wrong: which step did it take?
                feedback = _wrong_step(key, _step(value, received, grads["d" + key]), rate) or feedback
            if feedback:
                return feedback.about(context)
    return None


@exercise("accuracy")
def check_accuracy(fn, seed=None):
    """Check a student's accuracy(A2, y): the fraction of rows whose largest output is the target's class.

    Parameters
    ----------
    fn : function
        Called on three test cases with different accuracies; returns one number.
    seed : int, optional
        Draws fresh cases.

    Returns
    -------
    Feedback
    """
    tests = []
    for A2, y in cases.accuracy_cases(seed):
        (N, M), fraction = A2.shape, accuracy(A2, y)
        tests.append(({"A2": A2, "y": y}, fraction, [
            (100 * fraction, "you gave a percentage ({:g}).", "give a fraction between 0 and 1."),
            (fraction * N, "you counted the right rows ({:g}).", "divide by the number of samples."),
            (1 - fraction, "you gave the fraction of wrong rows.", "compare with ==, not !=."),
            *[(fraction * N / k, f"you divided the count of right rows by {k}, a number written into the code; "
               f"this A2 has {N} rows.", "divide by the number of rows, len(A2), or take np.mean of the "
               "comparison.") for k in range(2, 65) if k != N]]))
    feedback = judge_number("accuracy", fn, tests, "compare A2.argmax(axis=1) with y.argmax(axis=1), take the mean.",
                            own={"nnlib.accuracy": accuracy})
    return with_notebook_data(feedback, fn, "your accuracy") \
        or correct(f"{tests[0][1]:.2f} of the test rows are classified right.")


def layer_widths(value):
    """The items of a list, tuple or 1-D array answer (hidden widths, one per layer), or None for anything else."""
    try:
        if isinstance(value, (list, tuple)) or (isinstance(value, np.ndarray) and value.ndim == 1):
            return list(value)
    except Exception:  # a list subclass that cannot be iterated
        return None
    return None


@exercise("hidden_size")
def check_xor_hidden_size(hidden_size, epochs=5000, learning_rate=2.0, seeds=(0, 1, 2)):
    """Say whether a network with `hidden_size` hidden units solves XOR from every seed.

    Parameters
    ----------
    hidden_size : int
        From 1 to 256, a whole number as `nnlib.train` takes it (3, not 3.0).
    epochs, learning_rate, seeds : optional
        How the check trains (with the cross-entropy), once per seed.

    Returns
    -------
    Feedback
    """
    widths = layer_widths(hidden_size)
    if widths is not None and len(widths) > 1:
        return not_yet(f"hidden_size = {describe(hidden_size)} is a network of {len(widths)} hidden layers.",
                       "this exercise asks for the width of the network's one hidden layer: a single whole "
                       "number such as 3.")
    if widths is not None and len(widths) == 1:
        hidden_size = widths[0]  # a list of one width is one hidden layer, as nnlib.train reads it
    size, problem = whole_number("hidden_size", hidden_size, 1, LARGEST_HIDDEN, HIDDEN_HINT)
    if problem:
        return problem
    X, y = xor_data()
    solved = sum(accuracy(forward(train(X, y, hidden_size=size, learning_rate=learning_rate, epochs=epochs,
                                        seed=seed, loss="bce").params, X)[0], y) == 1.0 for seed in seeds)
    summary = f"with {units(size)}, {solved} of {len(seeds)} seeds reach 100% accuracy."
    if solved == len(seeds):
        return correct(summary)
    return not_yet(summary, "XOR is not linearly separable: the hidden layer needs at least 2 units, "
                            "and a few more make training reliable.")


def deep_forward_slips(params, X, f):
    """The usual wrong loops over layers on (params, X), hidden activation `f`: [(A they give, what, hint)].

    Each is the right loop with one slip, computed here from the check's
    own data; the last layer's index is L + 1, L the hidden layers. A slip
    that cannot run on this network's shapes is left out.
    """
    L = len(params) // 2 - 1
    sig = OUTPUT.function  # the output layer's activation

    def run(first=1, last=None, hidden=f.function, output=sig, bias=True, outputs_from=L + 1):
        A = X  # (N, D)
        for l in range(first, (L + 2 if last is None else last)):
            Z = A @ params[f"W{l}"] + (params[f"b{l}"] if bias else 0)  # (N, H_l)
            A = output(Z) if l >= outputs_from else hidden(Z)
        return A

    where = "the loop over layers, for l in range(1, L + 2)"
    slips = [
        (lambda: run(last=L + 1), f"your loop stops one layer early: it returns A{L}, the last hidden layer's output.",
         f"{where}, runs to the output layer L + 1 = {L + 1}; range's end is not included."),
        (lambda: run(first=2), "your loop starts at layer 2: X never meets W1.",
         f"{where}: the first layer is l = 1, Z1 = X @ W1 + b1."),
        (lambda: run(output=f.function), f"the output layer uses {f.name}, the hidden layers' activation.",
         f"in the loop, layer L + 1 = {L + 1} is the output layer: A = {OUTPUT.name}(Z) there, f(Z) for l <= L."),
        (lambda: run(hidden=sig), f"the hidden layers use the {OUTPUT.name}, not the activation asked for ({f.name}).",
         "for l <= L, A = f(Z) with f the activation named by the argument activation."),
        (lambda: run(outputs_from=L), f"layer L = {L}, the last hidden layer, uses the {OUTPUT.name} as if it were "
         "the output layer.", "the condition in the loop: hidden layers are l <= L (not l < L); only l = L + 1 is "
         "the output layer."),
        (lambda: run(bias=False), "the biases are missing.", "Z[l] = A[l-1] @ W[l] + b[l]: add b[l] in every layer."),
    ]
    shown = []
    for compute, mistake, hint in slips:
        try:
            with np.errstate(all="ignore"):
                shown.append((compute(), mistake, hint))
        except ValueError:  # the slip breaks a shape in this network (X @ W2 with D != H1): it cannot match
            pass
    return shown


@exercise("deep_forward")
def check_deep_forward(fn, seed=None):
    """Check a student's deep_forward(params, X, activation): the forward pass of L hidden layers in a loop.

    Parameters
    ----------
    fn : function
        Called with params (W1, b1, ..., W{L+1}, b{L+1}), X (N, D) and
        activation= (the hidden layers'; the output layer's is the
        sigmoid), on two networks (`cases.deep_networks`): a square tanh one
        and a ReLU one with every width different; returns A, the outputs
        (N, M), or (A, cache).
    seed : int, optional
        Draws fresh networks of the same kinds.

    Returns
    -------
    Feedback
    """
    return with_notebook_data(_judge_deep_forward(fn, seed), fn, "your deep_forward") \
        or correct("your loop gives nnlib.forward's outputs for a 3-layer tanh network and a ReLU network "
                   "whose widths all differ.")


def _judge_deep_forward(fn, seed):
    """None if fn is a right forward pass for any depth, else Feedback."""
    for index, (name, widths, params, X, _) in enumerate(cases.deep_networks(seed)):
        f, L = ACTIVATIONS[name], len(widths) - 2
        expected, _ = forward(params, X, activation=name)  # (N, M), from the pristine inputs
        size = f"with {L} hidden {name} layers of widths {', '.join(map(str, widths[1:-1]))} ({len(X)} samples): "
        result, problem = call("your deep_forward", fn, {"params": params, "X": X}, {"activation": name},
                               own={"nnlib.forward": forward, "nnlib.predict": predict}, formula=DEEP_FORWARD)
        if type(result) in (tuple, list) and len(result) == 2 and isinstance(result[1], dict):
            result = result[0]  # (A, cache)
        A, problem = (None, problem) if problem else as_array("A", result)
        if problem:
            return problem.about(size)
        for wrong, mistake, hint in deep_forward_slips(params, X, f):
            if not same_as(expected, wrong) and same_as(A, wrong):
                return not_yet(size + mistake, hint)
        feedback = compare("A", A, expected, DEEP_FORWARD) or not_an_array("what your deep_forward returned", result)
        if feedback:
            return feedback.about(size)
    return None


def deep_gradients(params, cache, y, f, slip=None):
    """The gradients of the loop backward for L hidden layers, right or with one `slip` (see DEEP_SLIPS).

    The cross-entropy at sigmoid outputs, dZ[L+1] = (A[L+1] - y) / (N M),
    then for l = L+1 down to 1: dW[l] = A[l-1].T @ dZ[l], db[l] = the sum
    of dZ[l] over samples, dZ[l-1] = (dZ[l] @ W[l].T) * f'(A[l-1]).
    A slip that breaks a shape returns what it computed up to there.
    """
    L = len(params) // 2 - 1
    A = [cache["X"]] + [cache[f"A{l}"] for l in range(1, L + 2)]  # A[0] = X, ..., A[L+1] the outputs
    Z = [None] + [cache[f"Z{l}"] for l in range(1, L + 2)]
    derivative = (lambda a: a * (1 - a)) if slip == "sigmoid_derivative" else f.derivative  # the slip: by hand
    dZ = (A[L + 1] - y) / y.size  # (N, M)
    grads = {}
    for l in range(L + 1, 0 if slip != "stops_early" else 1, -1):
        previous = A[l] if slip == "A_l" else A[l - 1]
        grads[f"dW{l}"] = dZ.T @ previous if slip == "no_A_transpose" else previous.T @ dZ  # (H_{l-1}, H_l)
        grads[f"db{l}"] = dZ.sum(axis=0, keepdims=True)  # (1, H_l)
        if l > 1:
            W = params[f"W{l - 1}"] if slip == "W_previous" else params[f"W{l}"]
            dA = dZ @ W if slip == "no_W_transpose" else dZ @ W.T  # (N, H_{l-1})
            slope = (1 if slip == "no_derivative" else derivative(Z[l - 1]) if slip == "derivative_of_Z"
                     else derivative(A[l]) if slip == "derivative_of_A_l" else derivative(A[l - 1]))
            dZ = dA * slope  # (N, H_{l-1})
    return grads


DEEP_SLIPS = {  # slip -> (what it means, the line to look at)
    "A_l": ("dW{l} is A{l}.T @ dZ{l}: the activations of the layer itself, not of the one before.",
            "dW[l] = A[l-1].T @ dZ[l]: layer l's weights multiply A[l-1], its inputs (A[0] = X)."),
    "W_previous": ("dZ{lm} is computed with W{lm}, one layer too far down.",
                   "the line dZ = (dZ @ W[l].T) * f'(A[l-1]): the error goes back through W[l], the weights "
                   "of the layer it came out of."),
    "no_W_transpose": ("dZ{lm} is computed with W{l}, not W{l}.T.",
                       "the line dZ = (dZ @ W[l].T) * f'(A[l-1]): W[l] is (H_(l-1), H_l), and going back "
                       "needs its transpose."),
    "no_A_transpose": ("dW{l} is dZ{l}.T @ A{lm}, the transpose of the right gradient.",
                       "dW[l] = A[l-1].T @ dZ[l], (H_(l-1), N) @ (N, H_l): the .T goes on A[l-1]."),
    "sigmoid_derivative": ("dZ{lm} uses the sigmoid's derivative; these hidden layers are {f}.",
                           "the line dZ = (dZ @ W[l].T) * f'(A[l-1]): use the derivative of the activation "
                           "asked for, {f}: {formula}."),
    "derivative_of_Z": ("dZ{lm} takes the derivative at Z{lm}; the derivative functions take the output A{lm}.",
                        "the line dZ = (dZ @ W[l].T) * f'(A[l-1]): pass A[l-1], not Z, to the derivative."),
    "derivative_of_A_l": ("dZ{lm} takes the derivative at A{l}, one layer too far up.",
                          "the line dZ = (dZ @ W[l].T) * f'(A[l-1]): the derivative of layer l-1 is at A[l-1]."),
    "no_derivative": ("dZ{lm} is dZ{l} @ W{l}.T: the activation's derivative is missing.",
                      "the line dZ = (dZ @ W[l].T) * f'(A[l-1]): multiply, element by element, by f'(A[l-1])."),
}


@exercise("deep_backward")
def check_deep_backward(fn, seed=None):
    """Check a student's deep_backward(params, cache, y, activation): the backward pass of L hidden layers.

    Parameters
    ----------
    fn : function
        Called with params, the cache of `nnlib.forward` (X, Z1, A1, ...,
        Z{L+1}, A{L+1}), y (N, M) and activation=, on two networks
        (`cases.deep_networks`); returns a dict of dW1, db1, ..., NumPy
        arrays, the gradient of the cross-entropy (sigmoid outputs).
    seed : int, optional
        Draws fresh networks of the same kinds.

    Returns
    -------
    Feedback
    """
    return with_notebook_data(_judge_deep_backward(fn, seed), fn, "your deep_backward") \
        or correct("every dW and db matches nnlib.backward for a 3-layer tanh network and a ReLU network whose "
                   "widths all differ.")


def _judge_deep_backward(fn, seed):
    """None if fn is a right backward pass for any depth, else Feedback."""
    for index, (name, widths, params, X, y) in enumerate(cases.deep_networks(seed)):
        f, L = ACTIVATIONS[name], len(widths) - 2
        _, cache = forward(params, X, activation=name)
        grads = backward(params, cache, y, loss="bce", activation=name)  # from the pristine inputs
        names = [f"{kind}{l}" for l in range(L + 1, 0, -1) for kind in ("dW", "db")]  # the order of the loop
        size = f"with {L} hidden {name} layers of widths {', '.join(map(str, widths[1:-1]))} ({len(X)} samples): "
        result, problem = call("your deep_backward", fn, {"params": params, "cache": cache, "y": y},
                               {"activation": name}, own={"nnlib.backward": backward}, formula=DEEP_BACKWARD)
        if problem and f is not HIDDEN and "the sigmoid's output" in problem.problem:  # nnlib.sigmoid_derivative
            return not_yet(f"{size}{problem.problem}", DEEP_SLIPS["sigmoid_derivative"][1].format(
                f=f.name, formula=f.derivative_of("A[l-1]")))
        elif problem and "(pass a, not z)" in problem.problem:  # a derivative given Z, and it noticed
            return not_yet(f"{size}{problem.problem}", DEEP_SLIPS["derivative_of_Z"][1])
        if not problem and isinstance(result, dict) and f"dW{L + 1}" in result and "dW1" not in result:
            return not_yet(f"{size}the returned dict has dW{L + 1} but no dW1: the loop stops before layer 1.",
                           "the loop for l in range(L + 1, 0, -1) runs down to l = 1; range's end, 0, is not "
                           "included.")
        returned, problem = (None, problem) if problem else as_dict("deep_backward", result, names[::-1],
                                                                    "return grads, with dW1, db1, ... in it.")
        if problem:
            return problem.about(size)
        slip = _deep_slip(returned, params, cache, y, f, grads, names)
        if slip:
            return slip.about(size)
        for key in names:  # from the output layer down, as the loop computes them
            l = int(key[2:])
            after = f"the layers above {l} are right, so look at the loop's step for l = {l}: " if l <= L else ""
            feedback = compare(key, returned[key], grads[key], after + DEEP_STEP[key[:2]], factors=True) \
                or not_an_array(key, returned[key], GRADIENT_USE)
            if feedback:
                return feedback.about(size)
    return None


def _deep_slip(returned, params, cache, y, f, grads, names):
    """Feedback naming the slip whose gradients `returned` holds, at the first layer where it shows; else None."""
    for slip, (mistake, hint) in DEEP_SLIPS.items():
        if slip == "sigmoid_derivative" and f is HIDDEN:
            continue
        with np.errstate(all="ignore"):
            try:
                wrong = deep_gradients(params, cache, y, f, slip)
            except (ValueError, KeyError):  # the slip breaks a shape for this network: it cannot match
                continue
        differ = [key for key in names if key in wrong and not same_as(grads[key], wrong[key])]
        if differ and all(key in wrong and same_as(returned[key], wrong[key]) for key in names):
            l = int(differ[0][2:]) + (1 if slip not in ("A_l", "no_A_transpose") else 0)
            words = {"l": l, "lm": l - 1, "f": f.name, "formula": f.derivative_of("A[l-1]")}
            return not_yet(mistake.format(**words), hint.format(**words))
    return None


# The registry: one Exercise per exercise of the series, and check(id), what every check cell calls.

@dataclass(frozen=True)
class Exercise:
    """One exercise: where it is, which notebook variables it judges, and its judge.

    Attributes
    ----------
    id : str
        What its check cell passes to `check`, such as "sigmoid".
    notebook : str
        The notebook's stem, such as "01_sigmoid".
    reads : tuple of str
        The names of the answers it judges, as the notebook binds them.
    judge_with : function
        The check function, called with the answers in the order of `reads`
        (and `seed=` if `seeded`).
    seeded : bool
        Whether a seed draws fresh test inputs (an answer that is a function).
    """

    id: str
    notebook: str
    reads: tuple
    judge_with: object = field(repr=False)
    seeded: bool = False

    def judge(self, answers, seed=None):
        """Feedback on `answers` ({name: value}), from the check's own data; a name missing is not defined yet.

        Parameters
        ----------
        answers : dict
            At least the names of `reads`; a function answer is the function.
        seed : int, optional
            For an exercise whose answer is a function: draws fresh test inputs (any int from 0 on).

        Returns
        -------
        Feedback
        """
        missing = [name for name in self.reads if name not in answers]
        if missing:
            feedback = not_yet(f"`{missing[0]}` is not defined yet; run the cell that defines it (above this one).",
                               f"run the notebook's cells from the top down to this check, or the cell that sets "
                               f"`{missing[0]}` and then this one.")
        else:
            given = [answers[name] for name in self.reads]
            feedback = self.judge_with(*given, **({"seed": seed} if self.seeded else {}))
        return replace(feedback, check=feedback.check or self.check_name, label=feedback.label or self.reads[0],
                       exercise=self.id)

    @property
    def check_name(self):
        """The name of the check function: check_sigmoid, check_gradient..."""
        function = getattr(self.judge_with, "func", self.judge_with)  # a functools.partial, or the function
        return function.__name__


EXERCISES = {exercise.id: exercise for exercise in (
    Exercise("sigmoid", "01_sigmoid", ("sigmoid",), check_sigmoid, seeded=True),
    Exercise("sigmoid_derivative", "01_sigmoid", ("sigmoid_derivative",), check_sigmoid_derivative, seeded=True),
    Exercise("labels_from_X", "02_data", ("labels_from_X",), check_labels),
    Exercise("XT_shape", "02_data", ("XT_shape",), check_XT_shape),
    Exercise("n_params", "03_architecture", ("n_params",), check_param_count),
    Exercise("W2_shape", "03_architecture", ("W2_shape",), check_W2_shape),
    Exercise("learning_rate", "04_hyperparameters", ("learning_rate",), check_learning_rate),
    Exercise("forward", "05_forward_pass", ("forward",), check_forward, seeded=True),
    Exercise("mse", "05_forward_pass", ("mse",), check_mse, seeded=True),
    Exercise("dW2", "06_backward_pass", ("dW2",), functools.partial(check_gradient, "dW2")),
    Exercise("backward", "06_backward_pass", ("backward",), check_backward, seeded=True),
    Exercise("update", "07_training_loop", ("update",), check_update, seeded=True),
    Exercise("accuracy", "08_testing_the_model", ("accuracy",), check_accuracy, seeded=True),
    Exercise("hidden_size", "09_beyond_the_seed", ("hidden_size",),
             functools.partial(check_xor_hidden_size, epochs=3000)),
    Exercise("deep_forward", "10_deeper", ("deep_forward",), check_deep_forward, seeded=True),
    Exercise("deep_backward", "10_deeper", ("deep_backward",), check_deep_backward, seeded=True),
)}


def check(exercise_id, seed=None, namespace=None):
    """Judge exercise `exercise_id` on the answers its notebook holds: what every check cell calls.

    Parameters
    ----------
    exercise_id : str
        A key of `EXERCISES`, such as "sigmoid".
    seed : int, optional
        Passed to `Exercise.judge`: fresh test inputs for a function answer.
    namespace : dict, optional
        Where the answers are; by default the globals of the cell that
        calls `check`, which in a notebook are the notebook's (`__main__`).

    Returns
    -------
    Feedback
        "❌ Not yet" for a name not defined yet or left by a cell that
        raised, instead of an error; else the exercise's judgement.
    """
    if namespace is None:
        namespace = inspect.currentframe().f_back.f_globals
    exercise = EXERCISES.get(exercise_id) if isinstance(exercise_id, str) else None
    if exercise is None:
        return graded(not_yet(f"there is no exercise called {exercise_id!r}.",
                              f"write the check cell as the notebook has it; the exercises are "
                              f"{', '.join(EXERCISES)}."))
    problem = stale(names=exercise.reads)
    if problem:
        return graded(replace(problem, check=exercise.check_name, label=exercise.reads[0], exercise=exercise.id))
    return graded(exercise.judge({name: namespace[name] for name in exercise.reads if name in namespace}, seed))


cells.start()  # in a notebook: watch for answer cells that raise
