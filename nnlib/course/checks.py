"""Checks for the notebooks' exercises: "correct", or what is wrong and a hint.

Each check compares a student's answer (a value or a function) with what
nnlib computes and returns a `Feedback`, which a notebook shows as one line:

    ✅ Correct: ...
    ❌ Not yet: <what differs: expected and received>. Hint: <where to look>

A check never raises because of the answer: an exercise still holding `...`
says "not yet", and an error inside the student's function is reported by
name and message. Test data comes from fixed seeds, so the feedback is the
same on every run.
"""

import inspect
from dataclasses import dataclass

import numpy as np

from ..activations import sigmoid
from ..data import seed_data, xor_data
from ..losses import OUTPUT_ERRORS, mse_loss
from ..network import accuracy, backward, forward
from ..params import init_params
from ..training import train

# Test sizes (N, D, H, M): the seed's own, then ones that break code which
# only works when two sizes happen to be equal (H = N = 4 in the seed).
SIZES = ((4, 3, 4, 2), (4, 3, 5, 2), (6, 2, 3, 3))


def correct(message):
    """Feedback for a right answer."""
    return Feedback(True, f"✅ Correct: {message}")


def not_yet(problem, hint=""):
    """Feedback for an answer that is not right yet, with a hint."""
    return Feedback(False, f"❌ Not yet: {problem}" + (f" Hint: {hint}" if hint else ""))


def describe(value):
    """A short description of a received value: its type and shape."""
    if value is None:
        return "None"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    if isinstance(value, (int, float, np.number)):
        return f"the number {value!r}" if isinstance(value, int) else f"the number {float(value):.6g}"
    return f"a {type(value).__name__}"


def unanswered(name, answer):
    """Feedback if `answer` is still the exercise's `...` (or None), else None."""
    if answer is Ellipsis:
        return not_yet(f"{name} is still `...`.", "replace the `...` with your answer and run the cell again.")
    if answer is None:
        return not_yet(f"{name} is None.", "did your code forget a `return`?")
    return None


def call(name, fn, *args, **kwargs):
    """Call the student's function; return (result, None) or (None, Feedback)."""
    blank = unanswered(name, fn)
    if blank:
        return None, blank
    if not callable(fn):
        return None, not_yet(f"{name} should be a function; received {describe(fn)}.")
    try:
        result = fn(*args, **kwargs)
    except Exception as error:  # the student's code: report it, never raise
        return None, not_yet(
            f"calling {name} raised {type(error).__name__}: {error}",
            "run your function on a small example in a cell of its own to see where it fails.",
        )
    blank = unanswered(f"what {name} returned", result)
    return result, blank


def call_for_array(name, fn, *args):
    """Call the student's function, which should return numbers.

    Returns (the result as a float array, None) or (None, Feedback).
    """
    result, problem = call(name, fn, *args)
    if problem:
        return None, problem
    return as_array(f"what {name} returned", result)


def call_for_number(name, fn, *args, hint=""):
    """Call the student's function, which should return one number.

    Returns (the number, None) or (None, Feedback saying what came back).
    """
    received, problem = call_for_array(name, fn, *args)
    if problem:
        return None, problem
    if received.size != 1:
        return None, not_yet(f"{name} should return one number; received an array of shape {received.shape}.", hint)
    return float(received), None


def as_array(name, value):
    """Return (array, None) or (None, Feedback) if `value` is not numeric."""
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None, not_yet(f"{name} should be numbers; received {describe(value)}.")
    return array, None


def compare(name, received, expected, hint="", rtol=1e-7, atol=1e-10):
    """Compare a received array with the expected one: shape, then values."""
    received, problem = as_array(name, received)
    if problem:
        return problem
    expected = np.asarray(expected, dtype=float)
    if received.shape != expected.shape:
        return not_yet(
            f"{name} should have shape {expected.shape}; received shape {received.shape}.",
            hint or "check which dimensions your matrix product keeps.",
        )
    if not np.all(np.isfinite(received)):
        return not_yet(f"{name} contains NaN or infinity.", hint)
    if np.allclose(received, expected, rtol=rtol, atol=atol):
        return correct(f"{name} matches.")
    factor = scale_between(received, expected) if expected.ndim else None
    if factor is not None:
        return not_yet(
            f"{name} is {factor:.4g} times the right value (shape {expected.shape} is right).",
            hint or factor_hint(factor),
        )
    worst = np.unravel_index(np.argmax(np.abs(received - expected)), expected.shape)
    where = f"[{', '.join(str(int(i)) for i in worst)}]" if expected.ndim else ""
    return not_yet(
        f"{name}{where} should be {expected[worst]:.6g}; "
        f"received {received[worst]:.6g}.",
        hint,
    )


def scale_between(received, expected):
    """The number c with received = c * expected, if there is one (c != 1)."""
    norm = float(np.vdot(expected, expected))
    if norm == 0:
        return None
    c = float(np.vdot(received, expected)) / norm
    if abs(c - 1) > 1e-6 and np.allclose(received, c * expected, rtol=1e-6, atol=1e-12):
        return c
    return None


def factor_hint(factor):
    """What a constant factor between two gradients usually means."""
    if np.isclose(factor, -1):
        return "the sign is flipped: is it (A2 - y) or (y - A2)?"
    if np.isclose(factor, 2):
        return "the derivative of a square already gives the factor 2 once; do not count it twice."
    if np.isclose(factor, 0.5):
        return "the derivative of (A2 - y)^2 is 2 (A2 - y): the 2 is missing."
    return "a constant factor is off: is it a mean (divide by N*M, the number of elements) or a sum?"


def check_answer(name, answer, expected, hint="", rtol=1e-7):
    """Compare an answer (number, tuple or array) with the expected one."""
    blank = unanswered(name, answer)
    if blank:
        return blank
    if isinstance(expected, tuple):
        return check_shape(name, answer, expected, hint)
    return compare(name, answer, expected, hint, rtol=rtol)


def check_shape(name, answer, expected_shape, hint=""):
    """Check a shape: a tuple, or an array whose `.shape` is used."""
    blank = unanswered(name, answer)
    if blank:
        return blank
    shape = answer.shape if isinstance(answer, np.ndarray) else answer
    try:
        shape = tuple(int(n) for n in shape)
    except (TypeError, ValueError):
        return not_yet(f"{name} should be a shape like {expected_shape}; received {describe(answer)}.", hint)
    if shape == tuple(expected_shape):
        return correct(f"{name} is {tuple(expected_shape)}.")
    return not_yet(f"{name} should be {tuple(expected_shape)}; received {shape}.", hint)


def check_sigmoid(fn):
    """Check a student's sigmoid(z) against 1 / (1 + exp(-z))."""
    z = np.linspace(-8, 8, 33).reshape(3, 11)  # (3, 11)
    received, problem = call_for_array("your sigmoid", fn, z)
    if problem:
        return problem
    if received.shape == z.shape and np.allclose(received, 1 - sigmoid(z)):
        return not_yet("your outputs are 1 - sigmoid(z).", "check the sign inside the exponential: exp(-z).")
    feedback = compare("sigmoid(z)", received, sigmoid(z),
                       hint="sigmoid(z) = 1 / (1 + np.exp(-z)), element by element.")
    if feedback.passed:
        return correct("sigmoid(0) = 0.5, large z go to 1, large negative z to 0, for arrays of any shape.")
    return feedback


def check_sigmoid_derivative(fn):
    """Check a student's sigmoid_derivative(a), written with the activation a."""
    z = np.linspace(-5, 5, 21)  # (21,)
    a = sigmoid(z)  # (21,)
    received, problem = call_for_array("your sigmoid_derivative", fn, a)
    if problem:
        return problem
    if received.shape == a.shape and np.allclose(received, sigmoid(a) * (1 - sigmoid(a))):
        return not_yet(
            "you applied the sigmoid again.",
            "the argument is already the activation a = sigmoid(z); the derivative is a * (1 - a).",
        )
    feedback = compare("sigmoid_derivative(a)", received, a * (1 - a),
                       hint="in terms of the output a, the derivative is a * (1 - a).")
    if feedback.passed:
        return correct("the derivative is a * (1 - a): 0.25 at a = 0.5, near 0 when a is near 0 or 1.")
    return feedback


def check_param_count(answer, input_size=3, hidden_size=4, output_size=2):
    """Check the number of trainable parameters of a D-H-M network."""
    blank = unanswered("the parameter count", answer)
    if blank:
        return blank
    D, H, M = input_size, hidden_size, output_size
    expected = D * H + H + H * M + M
    if answer == expected:
        return correct(f"{D}*{H} + {H} + {H}*{M} + {M} = {expected} parameters.")
    if answer == D * H + H * M:
        return not_yet(f"{answer} counts only the weights.", "each hidden and each output unit also has a bias.")
    return not_yet(f"expected {expected}; received {answer!r}.",
                   "add up the sizes of W1 (D, H), b1 (1, H), W2 (H, M) and b2 (1, M).")


def make_problem(N, D, H, M, seed):
    """Parameters, inputs and targets of a given size, drawn from `seed`."""
    rng = np.random.default_rng(seed)
    params = init_params(D, H, M, seed=seed)
    X = rng.normal(size=(N, D))  # (N, D)
    y = rng.uniform(size=(N, M))  # (N, M)
    return params, X, y


def check_forward(fn):
    """Check a student's forward(params, X), returning A2 or (A2, cache)."""
    for seed, (N, D, H, M) in enumerate(SIZES):
        params, X, _ = make_problem(N, D, H, M, seed)
        result, problem = call("your forward", fn, params, X)
        if problem:
            return problem
        A2 = result[0] if isinstance(result, tuple) else result
        expected, cache = forward(params, X)
        received, problem = as_array("A2", A2)
        if problem:
            return problem
        if received.shape == cache["Z2"].shape and np.allclose(received, cache["Z2"]):
            return not_yet("you returned Z2.", "apply the sigmoid to the output layer too: A2 = sigmoid(Z2).")
        if received.shape == (N, H) and H != M:
            return not_yet(f"A2 should have shape {(N, M)}; received {(N, H)}, the hidden layer's shape.",
                           "after A1, compute Z2 = A1 @ W2 + b2 and A2 = sigmoid(Z2).")
        no_bias = sigmoid(sigmoid(X @ params["W1"]) @ params["W2"])
        if received.shape == no_bias.shape and np.allclose(received, no_bias):
            return not_yet("the biases are missing.", "add b1 to X @ W1 and b2 to A1 @ W2.")
        feedback = compare("A2", received, expected,
                           hint="Z1 = X @ W1 + b1, A1 = sigmoid(Z1), Z2 = A1 @ W2 + b2, A2 = sigmoid(Z2).")
        if not feedback.passed:
            return not_yet(f"with N={N}, D={D}, H={H}, M={M}: " + feedback.message.split("Not yet: ", 1)[1])
    return correct("your forward pass matches nnlib.forward for several sizes.")


def check_mse(fn):
    """Check a student's mse(A2, y): the mean over all elements of (y - A2)^2."""
    rng = np.random.default_rng(0)
    A2 = rng.uniform(size=(5, 2))  # (5, 2)
    y = rng.uniform(size=(5, 2)).round()  # (5, 2)
    value, problem = call_for_number("your mse", fn, A2, y,
                                     hint="take the mean over all elements: np.mean(...) with no axis.")
    if problem:
        return problem
    expected = mse_loss(A2, y)
    if np.isclose(value, expected):
        return correct(f"mean((y - A2)^2) = {expected:.4f} on the test data.")
    if np.isclose(value, expected * A2.size):
        return not_yet("you summed the squared errors.", "the MSE is a mean: np.mean, not np.sum.")
    if np.isclose(value, np.sqrt(expected)):
        return not_yet("you took a square root (that is the RMSE).", "leave out the square root.")
    if np.isclose(value, np.mean(np.abs(y - A2))):
        return not_yet("you averaged absolute errors.", "square the errors: (y - A2) ** 2.")
    return not_yet(f"expected {expected:.6f}; received {value:.6f}.", "mean over all elements of (y - A2) ** 2.")


def exact_gradients(params, X, y, loss="mse"):
    """Every gradient of the backward pass, intermediate ones included."""
    A2, cache = forward(params, X)
    grads = backward(params, cache, y, loss=loss)
    dZ2 = OUTPUT_ERRORS[loss](A2, y)  # (N, M)
    dA1 = dZ2 @ params["W2"].T  # (N, H)
    dZ1 = dA1 * cache["A1"] * (1 - cache["A1"])  # (N, H)
    return {**grads, "dZ2": dZ2, "dA1": dA1, "dZ1": dZ1}


def check_gradient(name, answer, params, X, y, loss="mse"):
    """Check one gradient array (dW1, db1, dW2, db2, dZ2, dA1 or dZ1)."""
    blank = unanswered(name, answer)
    if blank:
        return blank
    grads = exact_gradients(params, np.asarray(X, dtype=float), np.asarray(y, dtype=float), loss)
    if name not in grads:
        return not_yet(f"there is no gradient called {name!r}; choose one of {sorted(grads)}.")
    feedback = compare(name, answer, grads[name])
    if feedback.passed:
        return correct(f"{name} has shape {grads[name].shape} and matches the exact gradient.")
    return feedback


def call_backward(fn, params, cache, y, loss):
    """Call a student's backward with or without the `loss` argument."""
    try:
        takes_loss = "loss" in inspect.signature(fn).parameters
    except (TypeError, ValueError):
        takes_loss = False
    if takes_loss:
        return call("your backward", fn, params, cache, y, loss=loss)
    return call("your backward", fn, params, cache, y)


def check_backward(fn, loss="mse"):
    """Check a student's backward(params, cache, y) on several sizes."""
    for seed, (N, D, H, M) in enumerate(SIZES):
        params, X, y = make_problem(N, D, H, M, seed)
        _, cache = forward(params, X)
        result, problem = call_backward(fn, params, cache, y, loss)
        if problem:
            if "broadcast" in problem.message:
                return not_yet(
                    f"with hidden size {H} and {N} samples: {problem.message.split('Not yet: ', 1)[1]}",
                    "an element-wise product needs two arrays of the same shape; dW2 = A1.T @ dZ2 "
                    "is already (H, M), and the factor A2 (1 - A2) belongs on dZ2, per sample.",
                )
            return problem
        if not isinstance(result, dict):
            return not_yet(f"backward should return a dict; received {describe(result)}.")
        expected = backward(params, cache, y, loss=loss)
        missing = [key for key in expected if key not in result]
        if missing:
            return not_yet(f"the returned dict lacks {', '.join(missing)}.",
                           "return {'dW1': ..., 'db1': ..., 'dW2': ..., 'db2': ...}.")
        for key in ("dW2", "db2", "dW1", "db1"):  # in the order backward computes them
            feedback = compare(key, result[key], expected[key])
            if not feedback.passed:
                return not_yet(f"with N={N}, D={D}, H={H}, M={M} and loss={loss!r}: "
                               + feedback.message.split("Not yet: ", 1)[1])
    return correct(f"all four gradients match the exact ones for {len(SIZES)} network sizes, "
                   "hidden size 5 included.")


def check_update(fn):
    """Check a student's update(params, grads, learning_rate): W - rate * dW."""
    params = init_params(3, 4, 2, seed=1)
    rng = np.random.default_rng(1)
    grads = {"d" + key: rng.normal(size=value.shape) for key, value in params.items()}
    learning_rate = 0.5
    expected = {key: value - learning_rate * grads["d" + key] for key, value in params.items()}
    given = {key: value.copy() for key, value in params.items()}
    try:
        result = fn(given, grads, learning_rate) if callable(fn) else fn
    except Exception as error:
        return not_yet(f"calling your update raised {type(error).__name__}: {error}")
    if result is Ellipsis or fn is Ellipsis:
        return unanswered("your update", Ellipsis)
    if result is None:
        result = given  # updated in place
    if not isinstance(result, dict):
        return not_yet(f"update should return the params dict; received {describe(result)}.")
    missing = [key for key in expected if key not in result]
    if missing:
        return not_yet(f"the returned dict lacks {', '.join(missing)}.")
    for key in expected:
        received = np.asarray(result[key], dtype=float)
        if received.shape == expected[key].shape and np.allclose(received, params[key] + learning_rate * grads["d" + key]):
            return not_yet(f"{key} moved uphill.", "gradient descent subtracts: W - learning_rate * dW.")
        if received.shape == expected[key].shape and np.allclose(received, params[key] - grads["d" + key]):
            return not_yet(f"{key} took a full gradient step.", "multiply the gradient by the learning rate.")
        feedback = compare(key, received, expected[key], hint="W <- W - learning_rate * dW for every parameter.")
        if not feedback.passed:
            return feedback
    return correct("every parameter moves by -learning_rate times its gradient.")


def check_accuracy(fn):
    """Check a student's accuracy(A2, y): fraction of rows whose argmax matches."""
    rng = np.random.default_rng(2)
    A2 = rng.uniform(size=(10, 2))  # (10, 2)
    y = np.eye(2)[rng.integers(0, 2, size=10)]  # (10, 2)
    expected = accuracy(A2, y)
    value, problem = call_for_number("your accuracy", fn, A2, y,
                                     hint="take the mean of the per-sample comparison.")
    if problem:
        return problem
    if np.isclose(value, expected):
        return correct(f"{expected:.2f} of the test rows are classified right.")
    if np.isclose(value, expected * 100):
        return not_yet(f"you gave a percentage ({value:g}).", "give a fraction between 0 and 1.")
    if np.isclose(value, expected * len(y)):
        return not_yet(f"you counted the right rows ({value:g}).", "divide by the number of samples.")
    return not_yet(f"expected {expected:.2f}; received {value:.4g}.",
                   "compare A2.argmax(axis=1) with y.argmax(axis=1) and take the mean.")


def check_learning_rate(learning_rate, epochs=2000, target=0.01, loss="mse", hidden_size=4):
    """Train on the seed data and say whether the loss gets below `target`."""
    blank = unanswered("learning_rate", learning_rate)
    if blank:
        return blank
    X, y = seed_data()
    try:
        result = train(X, y, hidden_size=hidden_size, learning_rate=learning_rate, epochs=epochs, loss=loss)
    except (TypeError, ValueError) as error:
        return not_yet(str(error))
    final = result.losses[-1]
    if final < target:
        return correct(f"at learning rate {learning_rate:g} the loss reaches {final:.4f} "
                       f"after {epochs} epochs (target {target}).")
    if final > result.losses[0] or np.any(np.diff(result.losses) > 0):
        hint = "the loss went up along the way: the steps may be too large; try a smaller rate."
    else:
        hint = "the loss is still falling slowly: try a larger rate (say 10 times larger)."
    return not_yet(f"at learning rate {learning_rate:g} the loss is {final:.4f} after {epochs} epochs, "
                   f"above the target {target}.", hint)


def check_xor_hidden_size(hidden_size, epochs=5000, learning_rate=2.0, seeds=(0, 1, 2)):
    """Say whether a network with `hidden_size` hidden units solves XOR."""
    blank = unanswered("hidden_size", hidden_size)
    if blank:
        return blank
    X, y = xor_data()
    solved = []
    for seed in seeds:
        try:
            result = train(X, y, hidden_size=hidden_size, learning_rate=learning_rate,
                           epochs=epochs, seed=seed, loss="bce")
        except (TypeError, ValueError) as error:
            return not_yet(str(error))
        solved.append(accuracy(forward(result.params, X)[0], y) == 1.0)
    summary = f"{sum(solved)} of {len(seeds)} seeds reach 100% accuracy"
    if all(solved):
        return correct(f"with {hidden_size} hidden units, {summary}.")
    return not_yet(f"with {hidden_size} hidden units, {summary}.",
                   "XOR is not linearly separable: the hidden layer needs at least 2 units, "
                   "and a few more make training reliable.")


@dataclass(frozen=True)
class Feedback:
    """The answer of a check: `passed`, and a message that says why."""

    passed: bool
    message: str

    def __repr__(self):
        return self.message
