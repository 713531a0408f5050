"""Each exercise check passes a right answer, explains each kind of wrong one, and never raises.

The checks are judges: a right answer in another form (float32, a list
where nothing computes with it, an update in place) passes; a wrong one (a
constant, an answer that changes its inputs, one that calls the nnlib
function it should be, an answer from a cell that raised, a list where the
next cell needs an array) does not; every "Not yet" says what differs and
where to look; no answer, however odd, makes a check raise or warn. The
right answers here are written out by hand: nnlib's own functions, given as
answers, are told to write them.
"""

import inspect
import html
import base64
import json
import re
import time
import warnings
from types import SimpleNamespace

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nnlib
from nnlib.course import checks
from nnlib.course.exercises import answers, cases, cells, feedback, gradient_maps
from nnlib.course.exercises import checks as engine  # where the checks live; `checks` re-exports them
from nnlib.course.exercises.feedback import MIME_TYPE, Feedback
from tests import test_deeper_checks as deeper  # notebook 10's solutions, read from the notebook
from tests.helpers import ROOT, independent_differences


def passes(result):
    assert result.passed, result.message
    assert result.message.startswith("✅ Correct")
    assert repr(result) == result.message


def fails(result, *phrases):
    assert not result.passed, result.message
    assert result.message.startswith("❌ Not yet")
    assert result.problem and result.hint, f"a 'Not yet' says what differs and where to look: {result.message}"
    for phrase in phrases:
        assert phrase in result.message, result.message


# Every check, called with a blank exercise, says "not yet" instead of raising.
BLANK_CALLS = {
    "check_sigmoid": lambda: checks.check_sigmoid(...),
    "check_sigmoid_derivative": lambda: checks.check_sigmoid_derivative(...),
    "check_labels": lambda: checks.check_labels(...),
    "check_XT_shape": lambda: checks.check_XT_shape(...),
    "check_param_count": lambda: checks.check_param_count(...),
    "check_W2_shape": lambda: checks.check_W2_shape(...),
    "check_learning_rate": lambda: checks.check_learning_rate(...),
    "check_forward": lambda: checks.check_forward(...),
    "check_mse": lambda: checks.check_mse(...),
    "check_gradient": lambda: checks.check_gradient("dW2", ...),
    "check_backward": lambda: checks.check_backward(...),
    "check_update": lambda: checks.check_update(...),
    "check_accuracy": lambda: checks.check_accuracy(...),
    "check_xor_hidden_size": lambda: checks.check_xor_hidden_size(...),
    "check_deep_forward": lambda: checks.check_deep_forward(...),
    "check_deep_backward": lambda: checks.check_deep_backward(...),
}


@pytest.mark.parametrize("name", sorted(BLANK_CALLS))
def test_blank_exercise_says_not_yet(name):
    fails(BLANK_CALLS[name](), "`...`")


def test_every_public_check_is_covered_by_the_blank_test():
    public = {name for name in dir(checks) if name.startswith("check_")}
    assert public == set(BLANK_CALLS) == {name for name in checks.__all__ if name.startswith("check_")}
    assert {exercise.check_name for exercise in checks.EXERCISES.values()} == set(BLANK_CALLS)


def test_functions_that_return_ellipsis_say_not_yet():
    fails(checks.check_sigmoid(lambda z: ...), "`...`")
    fails(checks.check_forward(lambda params, X: ...), "`...`")


def test_function_returning_none_asks_for_return():
    fails(checks.check_mse(lambda A2, y: None), "return")


def naive_sigmoid(z):
    return 1 / (1 + np.exp(-z))


def test_sigmoid():
    passes(checks.check_sigmoid(naive_sigmoid))
    passes(checks.check_sigmoid(lambda z: 0.5 * np.tanh(0.5 * z) + 0.5))  # another correct form
    fails(checks.check_sigmoid(lambda z: 1 / (1 + np.exp(z))), "1 - sigmoid", "exp(-z)")
    fails(checks.check_sigmoid(lambda z: np.exp(-z)), "sigmoid(z)")
    fails(checks.check_sigmoid(lambda z: z.sum()), "shape (3, 11)", "received shape ()")
    fails(checks.check_sigmoid(lambda z: 1 / (1 + math_exp(z))), "raised", "TypeError", "math.exp(-z)", "np.exp")
    fails(checks.check_sigmoid(42), "should be a function")


def math_exp(z):
    import math
    return math.exp(-z)


def test_sigmoid_derivative():
    passes(checks.check_sigmoid_derivative(lambda a: a * (1 - a)))
    fails(checks.check_sigmoid_derivative(lambda a: nnlib.sigmoid(a) * (1 - nnlib.sigmoid(a))), "sigmoid again")
    fails(checks.check_sigmoid_derivative(lambda a: a * (a - 1)), "-1 times")


def test_labels_and_shapes():
    passes(checks.check_labels(np.array([1.0, 0.0, 0.0, 1.0])))
    passes(checks.check_labels([1, 0, 0, 1]))  # a list: nothing computes with it afterwards
    passes(checks.check_labels(np.array([True, False, False, True])))  # X[:, 0] == 0, another correct form
    fails(checks.check_labels(np.array([0.0, 1.0, 1.0, 0.0])), "x0 itself", "the other way round", "x0 = 0")
    fails(checks.check_labels(np.array([[0, 1], [1, 0], [1, 0], [0, 1]])), "shape (4,)", "received shape (4, 2)")
    fails(checks.check_labels("seven"), "should be numbers")
    passes(checks.check_XT_shape((3, 4)))
    passes(checks.check_W2_shape(np.zeros((4, 2))))  # an array whose shape it is
    fails(checks.check_XT_shape((4, 3)), "(3, 4)", "received (4, 3)", "(N, D) becomes (D, N)", "swapped")
    fails(checks.check_W2_shape((2, 4)), "(4, 2)", "received (2, 4)", "swapped")
    fails(checks.check_XT_shape("3x4"), "the text '3x4'")


def test_param_count():
    passes(checks.check_param_count(26))
    passes(checks.check_param_count(26.0))  # the right number as a float
    fails(checks.check_param_count(20), "only the weights", "bias")
    fails(checks.check_param_count(25), "expected 26")
    passes(checks.check_param_count(5 * 7 + 7 + 7 * 2 + 2, input_size=5, hidden_size=7))


def good_forward(params, X):
    A1 = nnlib.sigmoid(X @ params["W1"] + params["b1"])
    return nnlib.sigmoid(A1 @ params["W2"] + params["b2"])


def test_forward():
    passes(checks.check_forward(good_forward))
    passes(checks.check_forward(lambda p, X: (good_forward(p, X), {"A2": 0})))  # returning (A2, cache) is fine
    passes(checks.check_forward(lambda p, X: [good_forward(p, X), {}]))  # so is [A2, cache]
    fails(checks.check_forward(lambda p, X: nnlib.sigmoid(X @ p["W1"] + p["b1"]) @ p["W2"] + p["b2"]), "returned Z2")
    fails(checks.check_forward(lambda p, X: nnlib.sigmoid(X @ p["W1"] + p["b1"])), "hidden layer")
    fails(checks.check_forward(lambda p, X: nnlib.sigmoid(nnlib.sigmoid(X @ p["W1"]) @ p["W2"])), "biases")
    fails(checks.check_forward(lambda p, X: good_forward(p, X) + 0.1), "A2")


def test_mse():
    passes(checks.check_mse(lambda A2, y: np.mean((y - A2) ** 2)))
    fails(checks.check_mse(lambda A2, y: np.sum((y - A2) ** 2)), "summed")
    fails(checks.check_mse(lambda A2, y: np.sqrt(np.mean((y - A2) ** 2))), "square root")
    fails(checks.check_mse(lambda A2, y: np.mean(np.abs(y - A2))), "absolute")
    fails(checks.check_mse(lambda A2, y: (y - A2) ** 2), "one number")


def notebook_06_point():
    """Notebook 06's network, written out here: the seed data and the tutorial's starting weights."""
    X, y = nnlib.seed_data()
    params = nnlib.init_params(3, 4, 2, seed=42)
    return params, X, y, nnlib.forward(params, X)


def dW2_by_hand():
    params, X, y, (_, cache) = notebook_06_point()
    return backward_by_hand(params, cache, y)["dW2"]


def test_gradient():
    params, X, y, (A2, cache) = notebook_06_point()
    right = backward_by_hand(params, cache, y)["dW2"]
    passes(checks.check_gradient("dW2", right))
    fails(checks.check_gradient("dW2", 2 * right), "2 times", "factor 2")
    fails(checks.check_gradient("dW2", -right), "sign")
    fails(checks.check_gradient("dW2", 8 * right), "8 times", "mean")
    fails(checks.check_gradient("dW2", right.T), "shape (4, 2)", "received shape (2, 4)", "swapped")
    fails(checks.check_gradient("dZ2", A2 - y), "dZ2", "cross-entropy")
    passes(checks.check_gradient("dZ2", (A2 - y) / y.size, loss="bce"))
    fails(checks.check_gradient("dQ", right), "no gradient called")


def bce_backward_by_hand(params, cache, y):
    """The cross-entropy's backward pass: dZ2 = (A2 - y) / (N M), then the same chain."""
    X, A1, A2 = cache["X"], cache["A1"], cache["A2"]
    dZ2 = (A2 - y) / y.size  # (N, M)
    dZ1 = dZ2 @ params["W2"].T * A1 * (1 - A1)  # (N, H)
    return {"dW1": X.T @ dZ1, "db1": dZ1.sum(axis=0, keepdims=True),
            "dW2": A1.T @ dZ2, "db2": dZ2.sum(axis=0, keepdims=True)}


def test_backward():
    passes(checks.check_backward(backward_by_hand))
    passes(checks.check_backward(bce_backward_by_hand, loss="bce"))
    passes(checks.check_backward(lambda params, cache, y, loss="mse": backward_by_hand(params, cache, y)))
    fails(checks.check_backward(nnlib.original.backward), "dW2")
    # the seed's bug at the seed's own size shows as wrong values...
    fails(checks.check_backward(nnlib.original.backward), "N=4, D=3, H=4, M=2", "inspect dZ2")

    def crashes_at_five(params, cache, y):
        if params["W1"].shape[1] == 5:
            return nnlib.original.backward(params, cache, y)
        return backward_by_hand(params, cache, y)

    # ...and at hidden size 5 as a crash, explained
    fails(checks.check_backward(crashes_at_five), "hidden size 5", "element-wise", "(5, 2) and (4, 2)", "per sample")
    fails(checks.check_backward(lambda p, c, y: [1, 2]), "should return a dict")
    fails(checks.check_backward(lambda p, c, y: {"dW1": 0}), "lacks db1")


def update(params, grads, learning_rate):
    return {key: value - learning_rate * grads["d" + key] for key, value in params.items()}


def test_update():
    def update_in_place(params, grads, learning_rate):
        for key in params:
            params[key] -= learning_rate * grads["d" + key]

    passes(checks.check_update(update))
    passes(checks.check_update(update_in_place))
    fails(checks.check_update(lambda p, g, lr: {k: v + lr * g["d" + k] for k, v in p.items()}), "uphill")
    fails(checks.check_update(lambda p, g, lr: {k: v - g["d" + k] for k, v in p.items()}), "learning rate")
    fails(checks.check_update(lambda p, g, lr: {"W1": p["W1"]}), "lacks b1")
    fails(checks.check_update(lambda p, g, lr: 1 / 0), "ZeroDivisionError")


def test_update_that_ignores_its_learning_rate():
    fixed = lambda p, g, lr: {k: v - 0.5 * g["d" + k] for k, v in p.items()}  # noqa: E731
    fails(checks.check_update(fixed), "0.5 times its gradient", "learning_rate = 0.1", "argument learning_rate")


def right_accuracy(A2, y):
    return np.mean(A2.argmax(axis=1) == y.argmax(axis=1))


def test_accuracy():
    passes(checks.check_accuracy(right_accuracy))
    fails(checks.check_accuracy(lambda A2, y: 100 * right_accuracy(A2, y)), "percentage")
    fails(checks.check_accuracy(lambda A2, y: np.sum(A2.argmax(axis=1) == y.argmax(axis=1))), "counted")
    fails(checks.check_accuracy(lambda A2, y: np.mean(A2.argmax(axis=1) != y.argmax(axis=1))), "wrong rows")
    fails(checks.check_accuracy(lambda A2, y: A2.argmax(axis=1) == y.argmax(axis=1)), "one number")


def test_learning_rate():
    passes(checks.check_learning_rate(5.0))
    passes(checks.check_learning_rate(np.float32(5.0)))
    fails(checks.check_learning_rate(0.01), "above the target", "larger rate")
    fails(checks.check_learning_rate(-1), "above 0", "received the number -1")
    fails(checks.check_learning_rate(float("nan")), "above 0")


def test_xor_hidden_size():
    passes(checks.check_xor_hidden_size(4))
    fails(checks.check_xor_hidden_size(1), "with 1 hidden unit,", "0 of 3 seeds", "at least 2")
    fails(checks.check_xor_hidden_size(0), "between 1 and 256", "received the number 0")


# Feedback as data: fields, one printed line, and the contract with tools/grade.py.

def test_feedback_builds_its_line_from_its_fields():
    assert Feedback(True, "it matches.").message == "✅ Correct: it matches."
    assert Feedback(False, "A differs.", "look at B.").message == "❌ Not yet: A differs. Hint: look at B."
    assert repr(Feedback(False, "A differs.", "look at B.")) == "❌ Not yet: A differs. Hint: look at B."
    with pytest.raises(AttributeError):
        Feedback(True, "x").passed = False  # frozen: a result is not edited after the fact


def test_feedback_shows_as_text_and_hands_its_fields_to_grading_tools():
    result = checks.check_mse(lambda A2, y: np.sum((A2 - y) ** 2))
    bundle = result._repr_mimebundle_()
    assert set(bundle) == {"text/plain", MIME_TYPE} and MIME_TYPE == "application/vnd.nnlib.feedback+json"
    assert bundle["text/plain"] == result.message
    assert bundle[MIME_TYPE] == {"check": "check_mse", "label": "mse", "exercise": "", "passed": False,
                                 "problem": "you summed the squared errors.",
                                 "hint": "the MSE is a mean: np.mean, not np.sum.", "message": result.message}
    assert json.loads(json.dumps(bundle)) == bundle
    registered = checks.check("mse", namespace={"mse": lambda A2, y: np.sum((A2 - y) ** 2)})
    assert registered._repr_mimebundle_()[MIME_TYPE] == {**bundle[MIME_TYPE], "exercise": "mse"}


def test_each_check_names_itself_and_its_exercise():
    labels = {name: call().label for name, call in BLANK_CALLS.items()}
    assert labels == {"check_sigmoid": "sigmoid", "check_sigmoid_derivative": "sigmoid_derivative",
                      "check_labels": "labels_from_X", "check_XT_shape": "XT_shape", "check_param_count": "n_params",
                      "check_W2_shape": "W2_shape", "check_learning_rate": "learning_rate", "check_forward": "forward",
                      "check_mse": "mse", "check_gradient": "dW2", "check_backward": "backward",
                      "check_update": "update", "check_accuracy": "accuracy", "check_xor_hidden_size": "hidden_size",
                      "check_deep_forward": "deep_forward", "check_deep_backward": "deep_backward"}
    assert all(call().check == name for name, call in BLANK_CALLS.items())
    for exercise in checks.EXERCISES.values():  # the registry's feedback names the exercise, the check and the answer
        result = checks.check(exercise.id, namespace={name: ... for name in exercise.reads})
        assert (result.exercise, result.check, result.label) == (exercise.id, exercise.check_name, exercise.reads[0])


def test_the_checks_are_listed_in_notebook_order_each_with_numpydoc():
    in_order = [exercise.check_name for exercise in checks.EXERCISES.values()]
    assert in_order == [name for name in checks.__all__ if name.startswith("check_")]
    assert [exercise.notebook for exercise in checks.EXERCISES.values()] == sorted(
        exercise.notebook for exercise in checks.EXERCISES.values())
    for name in in_order:
        doc = getattr(checks, name).__doc__
        assert "\n    Parameters\n    ----------\n" in doc, name
        assert "\n    Returns\n    -------\n    Feedback" in doc, name


def test_the_engine_holds_no_check_names_so_checks_check_names_are_exactly_the_exercises():
    for module in (feedback, answers, cells, cases, gradient_maps):
        assert not [name for name in vars(module) if name.startswith("check_")], module.__name__
    judged = {name for name in vars(checks) if name.startswith("check_")}
    assert judged == {exercise.check_name for exercise in checks.EXERCISES.values()}


# a check never raises because of an answer.

def test_one_number_in_a_list_or_an_array_is_not_a_number():
    """The next cell prints it with {:.4f} or hands it to nnlib.train, which need the number itself."""
    for wrapped, kind in ((lambda x: [x], "a list of 1 item"), (lambda x: np.array([[x]]), "an array of shape (1, 1)")):
        fails(checks.check_mse(lambda A2, y: wrapped(np.mean((A2 - y) ** 2))), kind, "not a number", "np.mean(...)")
        fails(checks.check_accuracy(lambda A2, y: wrapped(right_accuracy(A2, y))), kind, "not a number")
        fails(checks.check_learning_rate(wrapped(5)), kind, "not a number", "learning_rate = 5", "nnlib.train")
    # hidden_size = [3] is one hidden layer of 3 units, which nnlib.train takes (tested with the forms train takes)
    fails(checks.check_xor_hidden_size(np.array([[3]])), "an array of shape (1, 1)", "not a number", "without brackets")
    passes(checks.check_mse(lambda A2, y: np.array(np.mean((A2 - y) ** 2))))  # a 0-d array prints as a number
    passes(checks.check_learning_rate(np.array(5.0)))  # and nnlib.train takes it
    with pytest.raises(TypeError):
        nnlib.train(*nnlib.seed_data(), learning_rate=[5])  # what the check saves the student from


def test_a_list_where_the_next_cell_needs_an_array_is_told_so():
    as_list = lambda fn: lambda *args: fn(*args).tolist()  # noqa: E731
    for result in (checks.check_sigmoid(as_list(naive_sigmoid)),
                   checks.check_sigmoid_derivative(as_list(lambda a: a * (1 - a))),
                   checks.check_forward(as_list(good_forward)),
                   checks.check_gradient("dW2", dW2_by_hand().tolist()),
                   checks.check_backward(lambda p, c, y: {k: v.tolist() for k, v in backward_by_hand(p, c, y).items()}),
                   checks.check_update(lambda p, g, lr: {k: (v - lr * g["d" + k]).tolist() for k, v in p.items()})):
        fails(result, "a list", "not a NumPy array", ".tolist()")


def test_param_count_as_an_array_of_its_parts():
    fails(checks.check_param_count(np.array([12, 4, 8, 2])), "one number", "add them up")
    fails(checks.check_param_count([12, 4, 8]), "one number", "W1 (3, 4)")


@pytest.mark.parametrize("returned", ["x", {}, [[1], [1, 2]], {"W1": "x", "b1": 0, "W2": 0, "b2": 0},
                                      {"W1": [[1], [1, 2]], "b1": 0, "W2": 0, "b2": 0}, (), None])
def test_update_returning_something_odd(returned):
    fails(checks.check_update(lambda p, g, lr: returned))


def test_forward_that_pops_a_key_from_params():
    def popping(params, X):
        b1 = params.pop("b1")
        return nnlib.sigmoid(nnlib.sigmoid(X @ params["W1"] + b1) @ params["W2"] + params["b2"])

    fails(checks.check_forward(popping), "changed its input params", "removed params['b1']")


def test_xor_hidden_size_outside_the_sensible_range_is_answered_at_once():
    for silly in (10**12, 100000, 10**400, -3, 3.5, float("inf"), True, "3", [3, 4], 3.0, np.array(3)):
        start = time.perf_counter()
        result = checks.check_xor_hidden_size(silly)
        assert time.perf_counter() - start < 1, silly  # a range check, not a training run
        fails(result, "hidden_size")
    fails(checks.check_xor_hidden_size(10**12), "between 1 and 256")
    fails(checks.check_xor_hidden_size(3.0), "whole number such as 3", "a float", "nnlib.train")
    with pytest.raises(TypeError):
        nnlib.train(*nnlib.xor_data(), hidden_size=3.0)  # which is why 3.0 is not an answer here
    passes(checks.check_xor_hidden_size(np.int64(3)))


class StopFromInside(BaseException):
    """A BaseException that is neither KeyboardInterrupt nor SystemExit."""


def raises(error):
    def fn(*args):
        raise error
    return fn


def test_a_function_that_exits_or_raises_a_base_exception_gets_not_yet():
    for error in (SystemExit(1), GeneratorExit(), StopFromInside("odd"), MemoryError(), RecursionError()):
        fails(checks.check_sigmoid(raises(error)), type(error).__name__)
        fails(checks.check_update(raises(error)), type(error).__name__)


def test_pressing_stop_still_stops():
    with pytest.raises(KeyboardInterrupt):
        checks.check_forward(raises(KeyboardInterrupt()))


class Hostile:
    """An answer that raises whatever is done with it."""

    def __getattr__(self, name):
        raise RuntimeError(f"no {name}")

    def _boom(self, *args, **kwargs):
        raise RuntimeError("boom")

    __eq__ = __ne__ = __lt__ = __bool__ = __float__ = __int__ = __index__ = __len__ = __iter__ = _boom
    __repr__ = __str__ = __array__ = __getitem__ = __contains__ = __complex__ = _boom
    __hash__ = object.__hash__


class HostileDict(dict):
    """A dict that claims every key and raises on reading one."""

    def __contains__(self, key):
        return True

    def __getitem__(self, key):
        raise RuntimeError("boom")


class HostileList(list):
    def __iter__(self):
        raise RuntimeError("boom")

    def __len__(self):
        raise RuntimeError("boom")


class ArrayOfText:
    def __array__(self, dtype=None, copy=None):
        return np.array(["a", "b"])


HOSTILE = [
    None, True, False, 0, -1, 10**12, 10**400, -(10**400), 10**5000, 1e308, -1e308, float("nan"), float("inf"),
    -float("inf"), 1.5, 3 + 4j, complex("nan"), "", "34", "3.5", b"1", [], [[]], [1, [2, 3]], [[1], [1, 2]],
    {}, {3: 0, 4: 0}, {"W1": "x"}, set(), object(), np.array([]), np.array(["a"]), np.array([1 + 2j]),
    np.zeros((0, 3)), np.full((4, 2), np.nan), np.array([np.inf]), np.float32(0.5), np.int8(-5), np.array(5),
    np.datetime64("2020"), np.array([1, "a"], dtype=object), np.zeros(2, dtype=[("a", float)]),
    np.ma.masked_array([1.0, 2.0], mask=[0, 1]), np.full((3, 11), 1e308), np.zeros((4, 2), dtype=np.float16),
    (x for x in range(3)), print, Hostile(), HostileDict(), HostileList([1]), ArrayOfText(),
    np.array([3, 4]), (3.9, 4.2), (3, 4), np.full((4, 2), 10**30, dtype=object),
]

X_SEED, Y_SEED = nnlib.seed_data()
PARAMS = nnlib.init_params(3, 4, 2, seed=42)

# Each check with an answer in place of the student's: a value, or a function returning it.
WITH_ANSWER = {
    "check_sigmoid": lambda answer: checks.check_sigmoid(answer),
    "check_sigmoid_derivative": lambda answer: checks.check_sigmoid_derivative(answer),
    "check_labels": lambda answer: checks.check_labels(answer),
    "check_XT_shape": lambda answer: checks.check_XT_shape(answer),
    "check_param_count": lambda answer: checks.check_param_count(answer),
    "check_W2_shape": lambda answer: checks.check_W2_shape(answer),
    "check_learning_rate": lambda answer: checks.check_learning_rate(answer, epochs=20),
    "check_forward": lambda answer: checks.check_forward(answer),
    "check_mse": lambda answer: checks.check_mse(answer),
    "check_gradient": lambda answer: checks.check_gradient("db2", answer),
    "check_backward": lambda answer: checks.check_backward(answer),
    "check_update": lambda answer: checks.check_update(answer),
    "check_accuracy": lambda answer: checks.check_accuracy(answer),
    "check_xor_hidden_size": lambda answer: checks.check_xor_hidden_size(answer, epochs=20),
    "check_deep_forward": lambda answer: checks.check_deep_forward(answer),
    "check_deep_backward": lambda answer: checks.check_deep_backward(answer),
}


def judged_quietly(check, answer):
    """Run a check; assert it returned one clean Feedback line without raising or warning."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = WITH_ANSWER[check](answer)
    assert isinstance(result, Feedback) and isinstance(result.passed, bool)
    assert [str(w.message) for w in caught] == []
    assert "could not grade" not in result.problem, result.message  # the safety net was not needed
    assert "\n" not in result.message
    assert result.passed or (result.problem and result.hint), result.message
    json.dumps(result._repr_mimebundle_())
    return result


def test_every_check_covers_every_exercise_in_the_hostile_test():
    assert set(BLANK_CALLS) <= set(WITH_ANSWER)


@pytest.mark.parametrize("check", sorted(WITH_ANSWER))
def test_no_answer_makes_a_check_raise_or_warn(check):
    for answer in HOSTILE:
        judged_quietly(check, answer)
        judged_quietly(check, lambda *args, answer=answer: answer)  # a function that returns it


ANSWERS = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.complex_numbers() | st.text(max_size=5)
    | hnp.arrays(st.sampled_from(["f2", "f4", "f8", "i1", "u8", "c16", "U3", "?"]),
                 hnp.array_shapes(min_dims=0, max_dims=3, max_side=5)),
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
    | st.dictionaries(st.sampled_from(["W1", "b1", "W2", "b2", "dW1", 3]), inner, max_size=4),
    max_leaves=8)


@given(answer=ANSWERS, check=st.sampled_from(sorted(WITH_ANSWER)), as_function=st.booleans())
def test_no_generated_answer_makes_a_check_raise_or_warn(answer, check, as_function):
    judged_quietly(check, (lambda *args: answer) if as_function else answer)


# right answers in float32 pass; tolerances suit the dtype; a mismatch shows its digits.

F32 = np.float32


def backward_by_hand(params, cache, y, dtype=np.float64, keepdims=True, slope=True):
    """The MSE's backward pass computed in `dtype`; `keepdims` and `slope` make two classic slips."""
    X, A1, A2 = (np.asarray(cache[key], dtype) for key in ("X", "A1", "A2"))
    y, W2 = np.asarray(y, dtype), np.asarray(params["W2"], dtype)
    N, M = y.shape
    dZ2 = 2 * (A2 - y) / (N * M) * A2 * (1 - A2)  # (N, M)
    dA1 = dZ2 @ W2.T  # (N, H)
    dZ1 = dA1 * A1 * (1 - A1) if slope else dA1  # (N, H)
    return {"dW1": X.T @ dZ1, "db1": dZ1.sum(axis=0, keepdims=keepdims),
            "dW2": A1.T @ dZ2, "db2": dZ2.sum(axis=0, keepdims=keepdims)}


def test_the_same_maths_in_float32_passes():
    passes(checks.check_sigmoid(lambda z: 1 / (1 + np.exp(-z.astype(F32)))))
    passes(checks.check_sigmoid_derivative(lambda a: a.astype(F32) * (1 - a.astype(F32))))
    passes(checks.check_forward(lambda p, X: good_forward({k: v.astype(F32) for k, v in p.items()}, X.astype(F32))))
    passes(checks.check_mse(lambda A2, y: np.mean((A2.astype(F32) - y.astype(F32)) ** 2)))
    passes(checks.check_backward(lambda p, c, y: backward_by_hand(p, c, y, dtype=F32)))
    passes(checks.check_update(lambda p, g, lr: {k: v.astype(F32) - F32(lr) * g["d" + k].astype(F32)
                                                 for k, v in p.items()}))
    params, X, y, (_, cache) = notebook_06_point()
    passes(checks.check_gradient("dW1", backward_by_hand(params, cache, y, dtype=F32)["dW1"]))


def test_float16_passes_only_as_the_rounding_of_the_right_answer():
    """float16 keeps 3 digits: a tolerance wide enough for float16 arithmetic would pass formulas 0.3% off."""
    # Off by 0.003: 10 times the right value at z = -8, yet within float16's tolerance of the largest output.
    fails(checks.check_sigmoid(lambda z: (naive_sigmoid(z) + 0.003).astype(np.float16)), "float16",
          "too coarse to judge", "float64", "float32")
    fails(checks.check_mse(lambda A2, y: np.float16(np.mean((A2 - y) ** 2) * 1.003)), "too coarse")  # 0.3% off
    fails(checks.check_sigmoid(lambda z: (naive_sigmoid(z) + 0.1).astype(np.float16)), "sigmoid(z)[")  # far off
    # The right answer rounded to float16 at the end is the rounding of the right answer: it passes.
    passes(checks.check_sigmoid(lambda z: naive_sigmoid(z).astype(np.float16)))
    passes(checks.check_mse(lambda A2, y: np.float16(np.mean((A2 - y) ** 2))))
    passes(checks.check_gradient("dW2", dW2_by_hand().astype(np.float16)))
    # Computed in float16 throughout, the rounding of every step adds up: not judged, and told why.
    params, X, y, (_, cache) = notebook_06_point()
    fails(checks.check_gradient("dW1", backward_by_hand(params, cache, y, dtype=np.float16)["dW1"]),
          "float16", "too coarse to judge")


def test_float64_is_held_to_a_tighter_tolerance_than_float32():
    off = lambda factor, dtype: lambda z: (naive_sigmoid(z) * factor).astype(dtype)  # noqa: E731
    passes(checks.check_sigmoid(off(1 + 3e-6, F32)))  # within float32's own rounding of a few steps
    fails(checks.check_sigmoid(off(1 + 3e-6, np.float64)))  # float64 is not that coarse
    fails(checks.check_sigmoid(off(1 + 1e-3, F32)))  # and float32 is not that coarse


def shown_numbers(message):
    found = re.search(r"(?:should be|expected) (\S+); received (\S+)\.", message)
    assert found, message
    return found[1], found[2]


@pytest.mark.parametrize("factor, dtype", [(1 + 5e-7, np.float64), (1 - 4e-7, np.float64), (1 + 5e-5, F32)])
def test_a_mismatch_never_shows_two_equal_numbers(factor, dtype):
    for result in (checks.check_sigmoid(lambda z: (naive_sigmoid(z) * factor).astype(dtype)),
                   checks.check_forward(lambda p, X: (good_forward(p, X) * factor).astype(dtype)),
                   checks.check_mse(lambda A2, y: dtype(np.mean((A2 - y) ** 2) * factor)),
                   checks.check_gradient("dW2", (dW2_by_hand() * factor).astype(dtype))):
        should, received = shown_numbers(result.message)
        assert should != received, result.message


# the student's function gets copies; the expected values come from pristine inputs.

def test_a_forward_that_changes_X_is_not_right():
    def doubles_X(params, X):
        X *= 2
        return good_forward(params, X)

    def right_but_doubles_X(params, X):
        A2 = good_forward(params, X)
        X *= 2
        return A2

    fails(checks.check_forward(doubles_X), "changed its input X in place", "X = X * 2")
    fails(checks.check_forward(right_but_doubles_X), "changed its input X in place")


def test_a_forward_that_rescales_W1_is_not_right():
    def rescales(params, X):
        params["W1"] *= 2
        return good_forward(params, X)

    fails(checks.check_forward(rescales), "changed its input params['W1'] in place")


def test_an_update_that_scales_grads_in_place_is_told_so():
    def scales_grads(params, grads, learning_rate):
        for key in grads:
            grads[key] *= learning_rate
        return {key: value - grads["d" + key] for key, value in params.items()}

    result = checks.check_update(scales_grads)
    fails(result, "changed its input grads['dW1'] in place")
    assert "full gradient step" not in result.message


def test_functions_that_change_their_inputs():
    def sigmoid_in_place(z):
        np.negative(z, out=z)
        np.exp(z, out=z)
        z += 1
        return np.reciprocal(z, out=z)

    def mse_in_place(A2, y):
        y -= A2
        return np.mean(y ** 2)

    def backward_spoiling_cache(params, cache, y):
        grads = backward_by_hand(params, cache, y)
        cache["A1"] *= 0
        return grads

    fails(checks.check_sigmoid(sigmoid_in_place), "changed its input z")
    fails(checks.check_mse(mse_in_place), "changed its input y")
    fails(checks.check_backward(backward_spoiling_cache), "changed its input cache['A1']")
    fails(checks.check_accuracy(lambda A2, y: A2.sort() or right_accuracy(A2, y)), "changed its input A2")


# an answer left stale by a cell that raised is not graded.

def ran(watcher, source, error=None):
    """Tell `watcher` that a cell ran, and what it raised."""
    info = SimpleNamespace(raw_cell=source)
    watcher.pre_run_cell(info)
    before = error if isinstance(error, SyntaxError) else None
    watcher.post_run_cell(SimpleNamespace(info=info, error_before_exec=before,
                                          error_in_exec=None if before else error))


def test_the_names_a_cell_sets():
    source = ("def f(x):\n    inner = 1\nz, w = 1, 2\nimport numpy as np\nfor i in range(3):\n    pass\n"
              "class C:\n    q = 1\nv: int = 3\nu += 1\nlambda t: t\n[k for k in range(2)]")
    assert cells.bound_names(source) == {"f", "z", "w", "np", "i", "C", "v", "u"}
    # a cell that does not parse: by pattern
    broken = "def forward(params, X)\n    return X\nlabels, more = (1,"
    assert cells.bound_names(broken) == {"forward", "labels", "more"}
    assert cells.bound_names("x == 1") == set()
    assert cells.bound_names("get_ipython().run_line_magic('time', 'a = 1')") == {"a"}  # what IPython makes of %time


def test_the_names_a_check_is_called_with():
    assert cells.argument_names('checks.check_gradient("dW2", dW2, params, X, y)', "check_gradient") == {
        "dW2", "params", "X", "y"}
    assert cells.argument_names("checks.check_mse(lambda A2, y: np.sum((A2 - y) ** 2))", "check_mse") == set()
    demo = "print('a:', check_backward(nnlib.original.backward))"
    assert cells.argument_names(demo, "check_backward") == {"nnlib"}
    assert cells.argument_names("checks.check_sigmoid(sigmoid)", "check_mse") == set()


def test_the_watcher_marks_names_of_a_failed_cell_until_a_cell_sets_them_again():
    watcher = cells.CellWatcher()
    ran(watcher, "def forward(params, X):\n    return 1")
    assert watcher.stale == {}
    ran(watcher, "def forward(params, X)\n    return 2", SyntaxError("invalid syntax"))
    assert watcher.stale == {"forward": "SyntaxError"}
    watcher.pre_run_cell(SimpleNamespace(raw_cell="checks.check_forward(forward)"))
    assert watcher.stale_argument("check_forward") == ("forward", "SyntaxError")
    assert watcher.stale_argument("check_mse") is None
    fixed_here = "def forward(p, X):\n    return 3\n\nchecks.check_forward(forward)"
    watcher.pre_run_cell(SimpleNamespace(raw_cell=fixed_here))
    assert watcher.stale_argument("check_forward") is None  # defined again in the check's own cell
    ran(watcher, "def forward(params, X):\n    return 4")
    assert watcher.stale == {}


def test_a_check_does_not_grade_a_stale_answer(monkeypatch):
    watcher = cells.CellWatcher()
    monkeypatch.setattr(cells, "WATCHER", watcher)  # as in a kernel; undone after the test
    ran(watcher, "labels_from_X = 1 - X[:, 5]", IndexError("index 5 is out of bounds for axis 1 with size 3"))
    watcher.pre_run_cell(SimpleNamespace(raw_cell='checks.check_labels(labels_from_X)'))
    right = np.array([1.0, 0, 0, 1])  # what an earlier run of the cell left in labels_from_X
    result = checks.check_labels(right)
    fails(result, "your last answer cell raised an error (IndexError)", "`labels_from_X`", "run it again")
    assert result.label == "labels_from_X" and result.check == "check_labels"
    watcher.pre_run_cell(SimpleNamespace(raw_cell='from nnlib.course.checks import check\ncheck("labels_from_X")'))
    result = checks.check("labels_from_X", namespace={"labels_from_X": right})  # the registry's form too
    fails(result, "your last answer cell raised an error (IndexError)", "`labels_from_X`", "run it again")
    assert (result.label, result.check, result.exercise) == ("labels_from_X", "check_labels", "labels_from_X")


def test_outside_ipython_nothing_is_watched():
    assert cells.WATCHER is None and cells.watch() is None
    assert cells.stale_argument("check_forward") is None


STALE_NOTEBOOK = [  # (cell source, what its output must contain; None: the cell raises)
    ("import numpy as np\nimport nnlib\nfrom nnlib.course import checks\nX, y = nnlib.seed_data()", ""),
    ("def sigmoid(z):\n    return 1 / (1 + np.exp(-z))", ""),
    ("checks.check_sigmoid(sigmoid)", "✅ Correct"),
    ("def sigmoid(z)\n    return 1 / (1 + np.exp(z))", None),
    ("checks.check_sigmoid(sigmoid)", "❌ Not yet: your last answer cell raised an error (SyntaxError)"),
    ("labels_from_X = 1 - X[:, 0]", ""),
    ('checks.check_labels(labels_from_X)', "✅ Correct"),
    ("labels_from_X = 1 - X[:, 7]", None),
    ('from nnlib.course.checks import check\ncheck("labels_from_X")', "raised an error (IndexError)"),
    ("def sigmoid(z):\n    return 1 / (1 + np.exp(-z))", ""),
    ("checks.check_sigmoid(sigmoid)", "✅ Correct"),
    ("%time labels_from_X = 1 - X[:, 0]", "Wall time"),
    ('checks.check_labels(labels_from_X)', "✅ Correct"),
    ("import importlib\nimportlib.reload(checks)\nsum(type(getattr(c, '__self__', None)).__name__ == 'CellWatcher' "
     "for c in get_ipython().events.callbacks['post_run_cell'])", "1"),
    ("def forward(params, X):\n    # YOUR CODE HERE\n    return ...", ""),  # the student edition
    ("checks.check_forward(forward)", "is still `...`"),
    ("def forward(params, X):\n    A1 = nnlib.sigmoid(X @ params['W1'].T)\n    return A1", ""),
    ("checks.check_forward(forward)", "on the line `A1 = nnlib.sigmoid(X @ params['W1'].T)`: a matrix product"),
]


def test_in_a_kernel_a_check_after_an_answer_cell_that_raised_says_so(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    NotebookClient = pytest.importorskip("nbclient").NotebookClient

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source, _ in STALE_NOTEBOOK])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    NotebookClient(nb, timeout=120, allow_errors=True, resources={"metadata": {"path": str(tmp_path)}}).execute()
    for cell, (source, expected) in zip(nb.cells, STALE_NOTEBOOK):
        kinds = [output.output_type for output in cell.outputs]
        if expected is None:
            assert "error" in kinds, source
            continue
        assert "error" not in kinds, (source, cell.outputs)
        shown = "".join(output.get("text", "") + output.get("data", {}).get("text/plain", "")
                        for output in cell.outputs)
        assert expected in shown, (source, shown)
        for output in cell.outputs:  # each check's result reaches the notebook as text and as data
            if "checks.check_" in source and output.output_type == "execute_result":
                assert output.data[MIME_TYPE]["message"] == output.data["text/plain"]


# every "Not yet" says what differs and where to look, in words.

def test_db2_without_keepdims_is_told_to_keep_the_axis():
    result = checks.check_backward(lambda p, c, y: backward_by_hand(p, c, y, keepdims=False))
    fails(result, "db2 should have shape (1, 2); received shape (2,)", "keepdims=True")
    assert "matrix product" not in result.message


def test_a_missing_sigmoid_slope_in_dZ1_points_to_dA1_and_dZ1():
    fails(checks.check_backward(lambda p, c, y: backward_by_hand(p, c, y, slope=False)),
          "dW1 is X.T @ dA1", "derivative is missing from dZ1", "dZ1 = dA1 * A1 * (1 - A1)")

    def dW1_off(params, cache, y):
        grads = backward_by_hand(params, cache, y)
        grads["dW1"] = grads["dW1"] + 0.01
        return grads

    fails(checks.check_backward(dW1_off), "dW1[", "dW2 and db2 are right", "dA1 = dZ2 @ W2.T")


RAW_NUMPY = ("positional argument", "gufunc", "core dimension", "could not be broadcast", "not aligned", "out of bounds", "inhomogeneous",
             "ambiguous", "non-broadcastable", "concatenation axis", "Python scalars")


def test_numpy_shape_errors_are_put_into_words():
    transposed = lambda p, X: nnlib.sigmoid(nnlib.sigmoid(X @ p["W1"].T + p["b1"]) @ p["W2"] + p["b2"])  # noqa
    for result, phrases in (
            (checks.check_forward(transposed), ("a matrix product", "3 columns", "4 rows", 'X @ p["W1"].T')),
            (checks.check_forward(lambda p, X: np.dot(X, p["W1"].T)), ("np.dot", "(4, 3) and B has shape (4, 3)")),
            (checks.check_mse(lambda A2, y: np.mean((A2 - y.T) ** 2)), ("element-wise", "(5, 2) and (2, 5)")),
            (checks.check_accuracy(lambda A2, y: np.mean(A2.argmax(axis=2))), ("axis=2 does not exist",)),
            (checks.check_sigmoid(lambda z: np.array([[1.0], [1.0, 2.0]])), ("rows of different lengths",)),
            (checks.check_sigmoid(lambda z: 1.0 if z > 0 else 0.0), ("an if, and, or or not", "np.where")),
            (checks.check_forward(lambda p, X: X[:, 5]), ("index 5 does not exist along axis 1", "3 entries")),
            (checks.check_mse(lambda A2, y: np.mean(np.zeros((5, 1)).__iadd__(A2))), ("(5, 1) into shape (5, 2)",)),
            (checks.check_sigmoid(lambda z: z.reshape(4, 4)), ("cannot make shape (4, 4) out of 33 numbers",)),
            (checks.check_forward(lambda p, X: np.hstack([X, p["W1"]])), ("along dimension 0", "4 and 3")),
            (checks.check_sigmoid(lambda z: z @ 2.0), ("single number",)),
            (checks.check_forward(lambda X: X), ("def line", "arguments the exercise names"))):
        fails(result, *phrases)
        assert not any(raw in result.message for raw in RAW_NUMPY), result.message


@pytest.mark.parametrize("wrong", ["34", (3.9, 4.2), {3: 0, 4: 0}, (True, 4), [3, 4, 0], 34, np.zeros((4, 3)),
                                   np.array([3.5, 4.0]), (4, 3)])
def test_a_shape_check_rejects_what_is_not_that_shape(wrong):
    fails(checks.check_XT_shape(wrong), "(3, 4)")


@pytest.mark.parametrize("right", [(3, 4), [3, 4], np.array([3, 4]), (np.int64(3), 4), (3.0, 4.0), np.zeros((3, 4))])
def test_a_shape_check_accepts_each_way_of_writing_the_shape(right):
    passes(checks.check_XT_shape(right))


def test_a_notebook_that_rebinds_y_cannot_make_a_wrong_gradient_right():
    """With y = A2 every output error is 0 and so is every gradient: a check that read the notebook's y would
    call zeros right. The check computes notebook 06's point itself."""
    X, _ = nnlib.seed_data()
    params = nnlib.init_params(3, 4, 2, seed=42)
    rebound = {"params": params, "X": X, "y": nnlib.forward(params, X)[0], "dW2": np.zeros((4, 2))}
    fails(checks.check("dW2", namespace=rebound), "dW2 is all zeros")
    passes(checks.check("dW2", namespace={**rebound, "dW2": dW2_by_hand()}))


def test_value_checks_know_their_right_answers_without_the_notebook():
    """02 compared labels_from_X with the notebook's `labels`, and shapes with X.T.shape and params["W2"].shape:
    rebinding those made any answer right. Nothing a notebook binds reaches the judges now."""
    junk = {"labels": np.array([9, 9, 9, 9]), "X": np.zeros((7, 5)), "y": np.zeros((7, 2)),
            "params": nnlib.init_params(5, 6, 7)}
    for exercise_id, right, wrong in (("labels_from_X", np.array([1, 0, 0, 1]), np.array([9, 9, 9, 9])),
                                      ("XT_shape", (3, 4), (5, 7)), ("W2_shape", (4, 2), (6, 7))):
        passes(checks.check(exercise_id, namespace={**junk, exercise_id: right}))
        fails(checks.check(exercise_id, namespace={**junk, exercise_id: wrong}))


def test_complex_answers_are_not_yet_and_warn_nothing():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fails(checks.check_param_count(26 + 0j), "complex")
        fails(checks.check_sigmoid(lambda z: (1 / (1 + np.exp(-z))).astype(complex)), "complex")
        fails(checks.check_gradient("dW2", np.zeros((4, 2), complex)), "complex")


def remembers_first(fn):
    """A function that computes its first answer right and repeats it ever after."""
    memory = []

    def answer(*args):
        memory.append(fn(*args)) if not memory else None
        return memory[0]
    return answer


def test_a_function_that_ignores_its_arguments_is_not_right():
    fails(checks.check_accuracy(lambda A2, y: 0.6), "0.6 for other A2 and y too", "arguments A2 and y")
    fails(checks.check_accuracy(remembers_first(right_accuracy)), "for other A2 and y too")
    fails(checks.check_mse(remembers_first(lambda A2, y: np.mean((A2 - y) ** 2))), "for other A2 and y too")


DEMOS = {"01_sigmoid": "sigmoid_derivative", "05_forward_pass": "check_mse", "06_backward_pass": "original.backward",
         "07_training_loop": "check_update"}


def test_no_committed_notebook_shows_a_not_yet_as_if_it_were_the_students():
    """A demonstration's ❌ is printed after a label; no ❌ is shown as a check's own result."""
    nbformat = pytest.importorskip("nbformat")

    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                assert not data.get("text/plain", "").startswith("❌"), (path.name, cell.source)
                assert data.get(MIME_TYPE, {}).get("passed", True), (path.name, cell.source)
                for line in output.get("text", "").splitlines():
                    if "❌ Not yet" in line:
                        label = line.split("❌")[0]
                        assert label.rstrip().endswith(":") and len(label) > 10, (path.name, line)
    for name, demo in DEMOS.items():  # each demonstration is printed, and the markdown above it says so
        cells_ = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4).cells
        (index,) = [i for i, cell in enumerate(cells_) if cell.cell_type == "code" and demo in cell.source
                    and "❌" in "".join(output.get("text", "") for output in cell.outputs)]
        assert cells_[index].source.startswith("print(") and "demonstration" in cells_[index - 1].source.lower()


def test_jupyterlab_shows_a_check_as_its_line_of_text(tmp_path):
    """In JupyterLab, the Feedback's JSON is for tools; the reader sees the text line."""
    nbformat = pytest.importorskip("nbformat")
    from tests import browser

    browser.require_browser()
    sources = ["from nnlib.course import checks",
               "checks.check_sigmoid(lambda z: 1 / (1 + np.exp(-z)))",
               "checks.check_mse(lambda A2, y: np.sum((A2 - y) ** 2))"]
    sources[0] = "import numpy as np\n" + sources[0]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in sources])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    root = tmp_path / "root"
    root.mkdir()
    nbformat.write(nb, root / "feedback.ipynb")
    with browser.jupyterlab(root, tmp_path) as (base, token, log_path), browser.chromium(tmp_path) as chromium:
        page = chromium.new_page(viewport={"width": 1200, "height": 700})
        with browser.artifacts_on_failure(page, "feedback_in_jupyterlab", log_path):
            browser.open_notebook(page, base, token, "feedback.ipynb")
            browser.run_all_cells(page)
            shown = page.locator(".jp-OutputArea-output")
            assert shown.evaluate_all("nodes => nodes.map(n => n.dataset.mimeType)") == ["text/plain"] * 2
            texts = [" ".join(text.split()) for text in shown.all_inner_texts()]
            assert texts[0].startswith("✅ Correct: sigmoid(0) = 0.5")
            assert texts[1] == ("❌ Not yet: you summed the squared errors. Hint: the MSE is a mean: "
                                "np.mean, not np.sum.")
            assert browser.errors_shown(page) == []


# A backward pass that is not right yet shows the map of its errors, entry by entry.

def needs_matplotlib():
    pytest.importorskip("matplotlib", reason="the NumPy 1.26 run (test_numpy_126.py) installs no matplotlib")
    pytest.importorskip("PIL", reason="the NumPy 1.26 run (test_numpy_126.py) installs no Pillow")


@pytest.fixture
def shown_maps(monkeypatch):
    """What check_backward shows besides its Feedback, as if it ran in a notebook."""
    needs_matplotlib()
    bundles = []
    monkeypatch.setattr(gradient_maps, "_displayer", lambda: lambda bundle, raw: bundles.append(bundle))
    return bundles


def figure(bundle):
    """(PNG bytes, alt text, caption) of a described figure: plots.figure_html's <figure>."""
    page = bundle["text/html"]
    source = re.search(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)" alt="([^"]*)">', page)
    caption = re.search(r"<figcaption[^>]*>(.*)</figcaption>", page)
    return base64.b64decode(source.group(1)), html.unescape(source.group(2)), html.unescape(caption.group(1))


def is_png(data):
    from io import BytesIO

    from PIL import Image

    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    with Image.open(BytesIO(data)) as image:
        return image.size[0] > 300 and image.size[1] > 200


def test_a_backward_not_right_yet_shows_its_map_and_the_same_feedback(shown_maps, monkeypatch):
    passes(checks.check_backward(backward_by_hand))
    assert shown_maps == []  # a right answer shows no map
    with_map = checks.check_backward(nnlib.original.backward)
    (bundle,) = shown_maps
    assert set(bundle) == {"text/html", "text/plain"}
    png, alt, caption = figure(bundle)
    assert is_png(png)
    # nnlib's own backward pass, as a demonstration shows it, is named by its name, not "your backward"
    assert bundle["text/plain"] == ("[map] nnlib.original.backward against finite differences (N=4, D=3, H=4, M=2): "
                                    "bright entries are wrong: W1: largest 0.90 | b1: largest 0.91 | "
                                    "W2: largest 0.61 | b2: largest 0.90")
    # The picture in words, for a screen reader (alt text) and under the picture (caption): each
    # parameter's count of wrong entries and largest error, from finite differences computed here.

    assert alt == caption and alt.startswith(
        "nnlib.original.backward against finite differences (N=4, D=3, H=4, M=2): bright entries are wrong. "
        "One panel per parameter, each entry coloured by its relative error, dark for small and bright for large, "
        "the pass line 1e-7 marked on the colour bar. W1 (3 × 4): 12 of 12 entries at or above the pass line, "
        "largest error ")
    params, X, y = cases.network(4, 3, 4, 2, 0)
    exact = independent_differences(params, X, y, "mse")
    seeds = nnlib.original.backward(params, nnlib.forward(params, X)[1], y)
    for name, value in exact.items():
        ours = seeds["d" + name]
        largest = np.max(np.abs(ours - value) / np.maximum(np.abs(ours) + np.abs(value), 1e-3))
        shape = " × ".join(map(str, value.shape))
        assert f"{name} ({shape}): {value.size} of {value.size} entries at or above the pass line, " \
               f"largest error {largest:.3f}" in alt, (name, largest)
    monkeypatch.setattr(gradient_maps, "_displayer", lambda: None)  # outside a notebook: no map, the same Feedback
    assert checks.check_backward(nnlib.original.backward) == with_map
    assert with_map._repr_mimebundle_().keys() == {"text/plain", MIME_TYPE}  # for grading tools, unchanged


def test_outside_a_notebook_check_backward_draws_nothing():
    assert gradient_maps._displayer() is None  # pytest is not IPython
    fails(checks.check_backward(nnlib.original.backward), "dW2")


@pytest.mark.parametrize("blank", [..., lambda params, cache, y: ...], ids=["the name", "its return"])
def test_a_blank_backward_shows_an_empty_map(shown_maps, blank):
    fails(checks.check_backward(blank), "`...`")
    (bundle,) = shown_maps
    png, alt, _ = figure(bundle)
    assert is_png(png)
    assert alt.endswith("W1: no answer yet. b1: no answer yet. W2: no answer yet. b2: no answer yet.")
    assert bundle["text/plain"] == ("[map] No answer yet: this map will show where your backward's gradients are "
                                    "wrong: W1: no answer yet | b1: no answer yet | W2: no answer yet | "
                                    "b2: no answer yet")
    errors, titles = gradient_maps.gradient_map_errors(..., *cases.network(4, 3, 4, 2, 0))
    assert all(np.all(np.isnan(error.relative)) and np.all(np.isnan(error.analytic)) for error in errors.values())
    assert titles == {name: f"{name}: no answer yet" for name in ("W1", "b1", "W2", "b2")}


def test_the_map_compares_the_answer_with_finite_differences_entry_by_entry():

    params, X, y = cases.network(4, 3, 4, 2, 0)
    answer = nnlib.original.backward(params, nnlib.forward(params, X)[1], y)
    answer["db1"] = answer["db1"].ravel()  # the wrong shape: no comparison, a grey panel
    answer["dW1"] = answer["dW1"].astype(np.float32)  # float32 is compared too
    answer["dW2"][0, 1] = np.nan  # not finite: wholly wrong
    answer["dW2"][1, 0] = 1e200  # beyond any gradient here: wholly wrong
    del answer["db2"]
    errors, titles = gradient_maps.gradient_map_errors(answer, params, X, y)
    ours = independent_differences(params, X, y, "mse")
    assert titles == {"b1": "b1: db1 has shape (4,)", "b2": "b2: no db2"}
    for name, error in errors.items():
        np.testing.assert_allclose(error.numerical, ours[name], rtol=0, atol=1e-10)
    W1 = errors["W1"]
    expected = np.abs(W1.analytic - ours["W1"]) / np.maximum(np.abs(W1.analytic) + np.abs(ours["W1"]), 1e-3)
    np.testing.assert_allclose(W1.relative, expected, rtol=0, atol=1e-6)
    assert np.all(W1.relative > 0.1)  # the seed's pass, wrong in every entry
    assert np.all(np.isnan(errors["b1"].relative)) and np.all(np.isnan(errors["b2"].relative))
    W2 = errors["W2"]
    assert W2.relative[0, 1] == W2.relative[1, 0] == 1.0 and np.isnan(W2.analytic[0, 1])
    np.testing.assert_allclose(W2.analytic[2:], answer["dW2"][2:].astype(float))


def test_the_map_is_drawn_at_the_size_where_the_answer_failed(shown_maps):
    fails(checks.check_backward(nnlib.original.backward), "N=4, D=3, H=4, M=2")  # the seed's pass fails at once
    fails(checks.check_backward(lambda p, c, y: backward_by_hand(p, c, y) if p["W1"].shape[1] == 4 else 1 / 0),
          "hidden size 5")  # right at the seed's sizes, raises at H = 5
    first, second = shown_maps
    assert "(N=4, D=3, H=4, M=2)" in first["text/plain"]
    assert second["text/plain"].startswith("[map] Your backward gave no gradients to compare (N=4, D=3, H=5, M=2)")
    assert "W1: nothing to compare" in second["text/plain"]


def test_no_answer_keeps_the_map_from_being_drawn(shown_maps):
    """The hostile zoo as what a backward pass returns: the check's line, and always a picture."""
    for answer in HOSTILE:
        shown_maps.clear()
        result = judged_quietly("check_backward", lambda *args, answer=answer: answer)
        assert not result.passed
        (bundle,) = shown_maps
        assert is_png(figure(bundle)[0]), (answer, bundle["text/plain"])
        assert bundle["text/plain"].startswith("[map] ")


@given(answer=ANSWERS)
def test_no_generated_answer_keeps_the_map_from_being_drawn(answer):
    params, X, y = cases.network(4, 3, 4, 2, 0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        errors, titles = gradient_maps.gradient_map_errors(answer, params, X, y)
    for error in errors.values():
        assert error.relative.shape == error.numerical.shape
        finite = error.relative[np.isfinite(error.relative)]
        assert np.all((0 <= finite) & (finite <= 1))


def test_the_map_of_odd_answers_renders_quietly():
    """Rendering, without the check's safety net: NaN panels, huge and tiny ratios, shapes of other sizes."""
    needs_matplotlib()
    params, X, y = cases.network(6, 2, 3, 3, 2)
    grads = backward_by_hand(params, nnlib.forward(params, X)[1], y)
    odd = {"dW1": grads["dW1"] * -1e6, "db1": grads["db1"] * 1e-12, "dW2": np.full((3, 3), np.inf), "db2": "x"}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        errors, titles = gradient_maps.gradient_map_errors(odd, params, X, y)
        assert is_png(gradient_maps.gradient_map_png(errors, titles, "odd"))
        errors, titles = gradient_maps.gradient_map_errors(None, params, X, y)
        assert is_png(gradient_maps.gradient_map_png(errors, titles, "nothing"))


# An answer that hands the work to nnlib is told to write it.

def test_an_answer_that_calls_the_function_it_should_be_is_told_to_write_it():
    from nnlib import forward as aliased

    params_from = lambda p: nnlib.init_params(p["W1"].shape[0], p["W1"].shape[1], p["W2"].shape[1])  # noqa: E731
    for result, called in (
            (checks.check_forward(lambda p, X: nnlib.forward(p, X)), "nnlib.forward"),
            (checks.check_forward(lambda p, X: aliased(p, X)[0]), "nnlib.forward"),  # however it was imported
            (checks.check_forward(lambda p, X: nnlib.predict(p, X)), "nnlib.forward"),  # or reached
            (checks.check_backward(lambda p, c, y: nnlib.numerical_gradient(p, c["X"], y)), "nnlib.numerical_gradient"),
            (checks.check_backward(lambda p, c, y: nnlib.backward(p, c, y)), "nnlib.backward"),
            (checks.check_sigmoid(lambda z: nnlib.sigmoid(z)), "nnlib.sigmoid"),
            (checks.check_sigmoid_derivative(nnlib.sigmoid_derivative), "nnlib.sigmoid_derivative"),
            (checks.check_mse(lambda A2, y: nnlib.mse_loss(A2, y)), "nnlib.mse_loss"),
            (checks.check_accuracy(lambda A2, y: nnlib.accuracy(A2, y)), "nnlib.accuracy")):
        fails(result, f"calls {called}", "the function this exercise asks you to write", "write it yourself")
    assert params_from  # the lesson's other functions stay allowed:
    passes(checks.check_forward(good_forward))  # nnlib.sigmoid inside forward
    passes(checks.check_backward(lambda p, c, y: backward_by_hand(p, nnlib.forward(p, c["X"])[1], y)))


def test_an_update_that_prints_instead_of_returning_is_asked_where_its_result_went(capsys):
    def prints(params, grads, learning_rate):
        print({key: value - learning_rate * grads["d" + key] for key, value in params.items()})

    result = checks.check_update(prints)
    fails(result, "returned None and left params as it was", "print its result instead of returning it", "return")
    assert "learning_rate" not in result.message  # nothing about the rate: the rate was not the problem
    capsys.readouterr()


def test_an_update_that_leaves_the_biases_is_told_which_did_not_change():
    weights_only = lambda p, g, lr: {k: v - lr * g["d" + k] if k.startswith("W") else v  # noqa: E731
                                     for k, v in p.items()}
    result = checks.check_update(weights_only)
    fails(result, "b1 did not change", "the biases too", "b1 - learning_rate * db1")
    assert "times its gradient" not in result.message

    def biases_in_place_only(params, grads, learning_rate):
        for key in ("W1", "W2"):
            params[key] -= learning_rate * grads["d" + key]

    fails(checks.check_update(biases_in_place_only), "b1 did not change")


def test_an_update_that_reads_the_notebooks_learning_rate_is_told_so():
    namespace = {"learning_rate": 0.1}
    exec("def update(params, grads, lr):\n"
         "    return {k: v - learning_rate * grads['d' + k] for k, v in params.items()}", namespace)
    fails(checks.check_update(namespace["update"]), "W1 moved by 0.1 times its gradient, with learning_rate = 0.5",
          "reads `learning_rate` from the notebook", "params, grads, lr")


def test_the_usual_slips_of_the_mse_are_named():
    for answer, phrases in (
            (lambda A2, y: 0.5 * np.mean((A2 - y) ** 2), ("halved the mean", "leave out the 0.5")),
            (lambda A2, y: np.mean((A2 - y) ** 2) / 2, ("halved the mean",)),
            (lambda A2, y: np.mean(A2 - y) ** 2, ("squared the mean of the errors", "square each error first")),
            (lambda A2, y: np.sum((A2 - y) ** 2) / 8, ("divided the sum by 8", "written into the code",
                                                        "5 x 2 = 10", "A2.size")),
            (lambda A2, y: np.sum((A2 - y) ** 2) / len(A2), ("divided by N = 5", "all N M entries")),
            (lambda A2, y: np.sum((A2 - y) ** 2) // 8, ("whole number 0", "//", "divide with /")),
            (lambda A2, y: np.sum((A2 - y) ** 2) // A2.size, ("whole number 0", "//"))):
        result = checks.check_mse(answer)
        fails(result, *phrases)
        assert "expected" not in result.problem, result.message  # not just the two numbers


def test_the_usual_slips_of_the_forward_pass_are_named():
    flipped = lambda z: 1 / (1 + np.exp(z))  # noqa: E731  (the sign inside the exponential)
    W = lambda p: (p["W1"], p["b1"], p["W2"], p["b2"])  # noqa: E731
    for answer, phrases in (
            (lambda p, X: flipped(flipped(X @ p["W1"] + p["b1"]) @ p["W2"] + p["b2"]),
             ("both layers compute 1 / (1 + np.exp(z))", "sign")),
            (lambda p, X: nnlib.sigmoid(flipped(X @ p["W1"] + p["b1"]) @ p["W2"] + p["b2"]),
             ("hidden layer computes 1 / (1 + np.exp(z))", "where you compute A1")),
            (lambda p, X: flipped(nnlib.sigmoid(X @ p["W1"] + p["b1"]) @ p["W2"] + p["b2"]),
             ("output layer computes", "where you compute A2")),
            (lambda p, X: nnlib.sigmoid(nnlib.sigmoid(X @ W(p)[0]) @ W(p)[2] + W(p)[3]), ("b1 is missing",)),
            (lambda p, X: nnlib.sigmoid(nnlib.sigmoid(X @ W(p)[0] + W(p)[1]) @ W(p)[2]), ("b2 is missing",)),
            (lambda p, X: nnlib.sigmoid((X @ p["W1"] + p["b1"]) @ p["W2"] + p["b2"]),
             ("hidden layer has no sigmoid",))):
        result = checks.check_forward(answer)
        fails(result, *phrases)
        assert "should be" not in result.problem, result.message


def test_a_forward_that_uses_the_notebooks_weights_is_told_so():
    """It computes with the notebook's W1 and b1 whatever params it gets; the formula hint would repeat its code."""
    params = nnlib.init_params(3, 4, 2, seed=42)
    notebook = {"nnlib": nnlib, "W1": params["W1"], "b1": params["b1"]}  # notebook 05 binds W1, b1, W2, b2
    exec("def forward(params, X):\n"
         "    A1 = nnlib.sigmoid(X @ W1 + b1)\n"
         "    return nnlib.sigmoid(A1 @ params['W2'] + params['b2'])", notebook)
    result = checks.check_forward(notebook["forward"])
    fails(result, "reads `W1` and `b1` from the notebook", 'params["W1"] and params["b1"]')
    assert "Z1 = X @ W1 + b1" not in result.message


def test_the_check_of_a_learning_rate_never_shows_a_loss_of_zero():
    result = checks.check_learning_rate(10)
    passes(result)
    assert "0.0000" not in result.message and "4.0e-05" in result.message


# The registry: one uniform check cell per exercise, judges that read nothing of the notebook.

def exercise_cells(name, nb=None):
    """[(exercise cell, check cell)] of a notebook: each solution cell and the first code cell after it."""
    nb = nbformat_read(name) if nb is None else nb
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    return [(cell, code[i + 1]) for i, cell in enumerate(code) if "### BEGIN SOLUTION" in cell.source]


def nbformat_read(name):
    nbformat = pytest.importorskip("nbformat")
    return nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)


def test_every_exercise_has_one_entry_and_one_check_cell_of_the_one_form():
    found = []
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for exercise_cell, check_cell in exercise_cells(path.stem):
            (exercise_id,) = re.fullmatch(r'from nnlib\.course\.checks import check\ncheck\("(\w+)"\)',
                                          check_cell.source).groups()
            exercise = checks.EXERCISES[exercise_id]
            assert exercise.notebook == path.stem
            # what it reads is what the exercise cell binds
            assert set(exercise.reads) <= cells.bound_names(exercise_cell.source), (exercise_id, exercise.reads)
            found.append(exercise_id)
    assert found == list(checks.EXERCISES)  # each exercise once, in notebook order, and no other


def test_a_check_run_before_its_answer_says_not_yet():
    for exercise in checks.EXERCISES.values():
        for namespace in ({}, {"np": np, "nnlib": nnlib, "checks": checks}):
            result = checks.check(exercise.id, namespace=namespace)
            fails(result, f"`{exercise.reads[0]}` is not defined yet", "run the cell that defines it (above this one)")
            assert result.exercise == exercise.id
        fails(exercise.judge({}), "is not defined yet")  # a grader's dict without the answer: the same


def test_check_reads_the_answers_of_the_cell_that_calls_it():
    namespace = {"np": np}
    exec("def sigmoid(z):\n    return 1 / (1 + np.exp(-z))\n"
         "from nnlib.course.checks import check\nresult = check('sigmoid')", namespace)
    passes(namespace["result"])
    fails(checks.check("no such exercise", namespace=namespace), "no exercise called 'no such exercise'", "sigmoid")


FUNCTION_ANSWERS = {  # each exercise whose answer is a function: a right one and the usual slip, written out here
    "sigmoid": (naive_sigmoid, lambda z: 1 / (1 + np.exp(z))),
    "sigmoid_derivative": (lambda a: a * (1 - a), lambda a: naive_sigmoid(a) * (1 - naive_sigmoid(a))),
    "forward": (good_forward, lambda p, X: good_forward({**p, "b1": 0 * p["b1"]}, X)),
    "mse": (lambda A2, y: np.mean((A2 - y) ** 2), lambda A2, y: np.sum((A2 - y) ** 2) / 8),
    "backward": (lambda p, c, y: backward_by_hand(p, c, y), lambda p, c, y: backward_by_hand(p, c, y, slope=False)),
    "update": (lambda p, g, lr: {k: v - lr * g["d" + k] for k, v in p.items()},
               lambda p, g, lr: {k: v - 0.5 * g["d" + k] for k, v in p.items()}),
    "accuracy": (lambda A2, y: right_accuracy(A2, y), lambda A2, y: 1 - right_accuracy(A2, y)),
    "deep_forward": (deeper.right_forward(), deeper.slipped("deep_forward", *deeper.FORWARD_SLIPS[0][:2])),
    "deep_backward": (deeper.right_backward(), deeper.slipped("deep_backward", *deeper.BACKWARD_SLIPS[0][:2])),
}


@given(seed=st.integers(0, 2**32 - 1), exercise_id=st.sampled_from(sorted(FUNCTION_ANSWERS)))
def test_a_seed_draws_fresh_inputs_that_still_tell_right_from_wrong(seed, exercise_id):
    exercise, (right, slip) = checks.EXERCISES[exercise_id], FUNCTION_ANSWERS[exercise_id]
    assert exercise.seeded
    passes(exercise.judge({exercise_id: right}, seed=seed))
    fails(exercise.judge({exercise_id: slip}, seed=seed))


def test_a_seed_changes_the_inputs_and_keeps_their_kinds():
    seen = []
    for seed in (None, 0, 1):
        sizes = cases.sizes(seed)
        (N, _, H, _), (N1, _, H1, _), (N2, D2, H2, M2) = sizes
        assert H == N and (N1, H1) == (N, N + 1) and H2 != N2 and D2 != N2  # H = N, H = N + 1, neither
        assert all(A2.size != 8 for A2, _ in cases.loss_cases(seed))  # 8 = the seed's N M, often hard-coded
        seen.append((sizes, cases.sigmoid_inputs(seed).shape, cases.update_problem(seed)[2]))
    assert seen[0] != seen[1] != seen[2]
    assert cases.sizes(None) == cases.SIZES and cases.sizes(5) == cases.sizes(5)  # the same seed, the same inputs


def test_a_seed_leaves_value_exercises_as_they_are():
    for exercise in checks.EXERCISES.values():
        if not exercise.seeded:
            assert "seed" not in inspect.signature(exercise.judge_with).parameters, exercise.id


# A generated search: every exercise, its answer written in every dtype and container, right and slightly wrong.
# What passes is what the next cells can compute with; nothing a dtype rounds makes a wrong answer right.

ARRAY_FORMS = ("float64", "float32", "float16", "list")
NUMBER_FORMS = ("float", "float64", "float32", "float16", "0-d array", "in a list", "in an array")


def written(value, form):
    """An array or a number, written in another form."""
    value = np.asarray(value, dtype=float)
    return {"float64": lambda: value, "float32": lambda: value.astype(np.float32),
            "float16": lambda: value.astype(np.float16), "list": lambda: value.tolist(),
            "float": lambda: float(value), "0-d array": lambda: np.array(float(value)),
            "in a list": lambda: [float(value)], "in an array": lambda: np.array([float(value)])}[form]()


def spoiled(value, how, delta, index):
    """`value` made wrong by at least delta (1e-3 or more) of its largest entry: scaled, shifted, or one entry moved."""
    value = np.array(value, dtype=float)
    largest = np.max(np.abs(value))
    if how == "scaled":
        return value * (1 + delta)
    if how == "shifted":
        return value + delta * largest
    flat = value.reshape(-1)  # a view: moves one entry of value
    flat[index % flat.size] += delta * largest
    return value


def seed_point_dW2():
    return dW2_by_hand()


# (exercise, the right answer's maker, what it returns): "array" answers need an ndarray, "number" answers a number,
# "values" may be a list; a maker takes a function that rewrites each array or number the answer returns.
SEARCHED = {
    "sigmoid": ("array", lambda out: lambda z: out(naive_sigmoid(z))),
    "sigmoid_derivative": ("array", lambda out: lambda a: out(a * (1 - a))),
    "forward": ("array", lambda out: lambda p, X: out(good_forward(p, X))),
    "mse": ("number", lambda out: lambda A2, y: out(np.mean((A2 - y) ** 2))),
    "dW2": ("array", lambda out: out(seed_point_dW2())),
    "backward": ("array", lambda out: lambda p, c, y: {k: out(v) for k, v in backward_by_hand(p, c, y).items()}),
    "update": ("array", lambda out: lambda p, g, lr: {k: out(v - lr * g["d" + k]) for k, v in p.items()}),
    "accuracy": ("number", lambda out: lambda A2, y: out(right_accuracy(A2, y))),
    "labels_from_X": ("values", lambda out: out(np.array([1.0, 0.0, 0.0, 1.0]))),
    "n_params": ("values", lambda out: out(26.0)),
}


def expected_to_pass(kind, form):
    if kind == "array":
        return form != "list"  # the next cells compute with it: W - learning_rate * dW, A2 - y
    if kind == "number":
        return form not in ("in a list", "in an array")  # printed with {:.4f}, handed to nnlib
    return True  # labels and a count: nothing computes with them


@given(exercise_id=st.sampled_from(sorted(SEARCHED)), data=st.data())
def test_every_form_of_a_right_answer_is_judged_by_what_the_next_cell_can_use(exercise_id, data):
    kind, maker = SEARCHED[exercise_id]
    forms = NUMBER_FORMS if kind == "number" or exercise_id == "n_params" else ARRAY_FORMS
    form = data.draw(st.sampled_from(forms))
    result = checks.EXERCISES[exercise_id].judge({exercise_id: maker(lambda value: written(value, form))})
    if expected_to_pass(kind, form):
        passes(result)  # float16 too: the right answer rounded to float16 is its float16 rounding
    else:
        fails(result, "not a NumPy array" if kind == "array" else "not a number")


@given(exercise_id=st.sampled_from(sorted(SEARCHED)), how=st.sampled_from(["scaled", "shifted", "one entry"]),
       delta=st.floats(1e-3, 0.3) | st.floats(-0.3, -1e-3), index=st.integers(0, 100), data=st.data())
def test_no_dtype_makes_a_wrong_answer_right(exercise_id, how, delta, index, data):
    """Off by 0.1% of the answer's largest entry or more: wrong in every dtype, float16 included."""
    kind, maker = SEARCHED[exercise_id]
    forms = NUMBER_FORMS if kind == "number" or exercise_id == "n_params" else ARRAY_FORMS
    form = data.draw(st.sampled_from(forms))
    answer = maker(lambda value: written(spoiled(value, how, delta, index), form))
    judged_wrong = checks.EXERCISES[exercise_id].judge({exercise_id: answer})
    assert not judged_wrong.passed, (exercise_id, how, delta, form, judged_wrong.message)


@pytest.mark.parametrize("form, value", [("int", 5), ("float", 5.0), ("float32", np.float32(5)),
                                         ("float16", np.float16(5)), ("0-d array", np.array(5.0)),
                                         ("in a list", [5]), ("in an array", np.array([5.0])), ("bool", True),
                                         ("text", "5")])
def test_a_learning_rate_passes_in_exactly_the_forms_nnlib_train_takes(form, value):
    try:
        nnlib.train(X_SEED, Y_SEED, learning_rate=value, epochs=1)
        taken = True
    except (TypeError, ValueError):
        taken = False
    assert checks.check("learning_rate", namespace={"learning_rate": value}).passed == taken, form


@pytest.mark.parametrize("form, value", [("int", 3), ("int64", np.int64(3)), ("int8", np.int8(3)), ("float", 3.0),
                                         ("float64", np.float64(3.0)), ("0-d array", np.array(3)),
                                         ("in a list", [3]), ("bool", True), ("text", "3")])
def test_a_hidden_size_passes_in_exactly_the_forms_nnlib_train_takes(form, value):
    """Every form of one hidden layer's width that train takes (a list of one width included) passes; no other."""
    try:
        nnlib.train(*nnlib.xor_data(), hidden_size=value, epochs=1)
        taken = True
    except (TypeError, ValueError):
        taken = False
    assert checks.check("hidden_size", namespace={"hidden_size": value}).passed == taken, form


@pytest.mark.parametrize("value", [[3, 3], (2, 4, 2), np.array([3, 3])])
def test_a_list_of_several_widths_is_told_it_is_several_layers(value):
    feedback = checks.check("hidden_size", namespace={"hidden_size": value})
    assert not feedback.passed
    assert f"{len(value)} hidden layers" in feedback.message and "one hidden layer" in feedback.message


# In a kernel: pressing stop, and check cells run before their answers.

def kernel_outputs(sources, interrupt_after=None):
    """Run `sources` in a fresh kernel, one cell each; interrupt the last `interrupt_after` seconds in.

    Returns, per cell, a list of (msg_type, content) of its outputs.
    """
    manager = pytest.importorskip("jupyter_client.manager")
    km, kc = manager.start_new_kernel(kernel_name="python3")
    try:
        shown = []
        for number, source in enumerate(sources):
            msg_id = kc.execute(source)
            if interrupt_after is not None and number == len(sources) - 1:
                time.sleep(interrupt_after)
                km.interrupt_kernel()
            outputs = []
            while True:
                msg = kc.get_iopub_msg(timeout=120)
                if msg["parent_header"].get("msg_id") != msg_id:
                    continue
                if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                    break
                if msg["msg_type"] in ("stream", "execute_result", "display_data", "error"):
                    outputs.append((msg["msg_type"], msg["content"]))
            shown.append(outputs)
        return shown
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_pressing_stop_during_a_check_shows_one_line_not_a_traceback():
    looping = "import numpy as np\ndef sigmoid(z):\n    while True:\n        pass"
    *_, stopped = kernel_outputs([looping, 'from nnlib.course.checks import check\ncheck("sigmoid")'],
                                 interrupt_after=3)
    (kind, error), = stopped
    assert kind == "error" and error["ename"] == "Stopped"
    (line,) = error["traceback"]  # one line, where a KeyboardInterrupt showed about 40 through the checks
    assert line.startswith("⏹ Stopped: you pressed stop while your sigmoid was running, so it was not graded.")
    assert "loop that never ends" in line


def test_stop_raises_a_keyboard_interrupt_that_says_what_was_stopped(monkeypatch):
    with pytest.raises(KeyboardInterrupt) as stopped:
        checks.check_forward(raises(KeyboardInterrupt()))
    assert isinstance(stopped.value, feedback.Stopped)  # still stops Run All, and a grader's time limit
    assert stopped.value._render_traceback_() == [f"⏹ Stopped: {stopped.value}"]
    assert "your forward was running" in str(stopped.value)

    def interrupted_training(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(engine, "train", interrupted_training)  # stop pressed while the check itself trains
    with pytest.raises(feedback.Stopped, match="the check was stopped before it finished"):
        checks.check("learning_rate", namespace={"learning_rate": 5})


def check_cells():
    """The check cell of every exercise of the series, in order."""
    return [check.source for path in sorted((ROOT / "notebooks").glob("*.ipynb"))
            for _, check in exercise_cells(path.stem)]


def test_in_a_fresh_kernel_a_check_cell_before_its_answer_says_not_yet():
    """Run before anything else, even the imports, and again after them: never a NameError."""
    sources = check_cells()
    assert len(sources) == len(checks.EXERCISES)
    imports = "import numpy as np\nimport nnlib\nfrom nnlib.course import checks"
    shown = kernel_outputs(sources + [imports] + sources)
    for source, outputs in zip(sources + [imports] + sources, shown):
        if source == imports:
            continue
        assert [kind for kind, _ in outputs] == ["execute_result"], (source, outputs)
        data = outputs[0][1]["data"]
        assert data["text/plain"].startswith("❌ Not yet: `") and "is not defined yet" in data["text/plain"], source
        assert data[MIME_TYPE]["exercise"] in source


# A generated search over rebound notebook names: what a notebook binds besides the answer never changes a verdict.

JUNK = [None, 0, 7.5, "text", np.zeros((7, 5)), np.ones((4, 2)), np.array([9, 9, 9, 9]), [1, 2, 3], (5, 7),
        {"W1": np.zeros((2, 2))}, nnlib.init_params(5, 6, 7), lambda *args: 0]


@pytest.fixture(scope="module")
def notebooks_at_their_exercises():
    """{exercise id: (notebook namespace right after the exercise cell ran, its check cell)}: each notebook run once."""
    pytest.importorskip("matplotlib")
    import contextlib
    import io

    from tests import notebook_code

    found = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(notebook_code.plt, "show", lambda *args, **kwargs: notebook_code.plt.close("all"))
        for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
            namespace = {"__name__": "__main__"}
            nb = nbformat_read(path.stem)
            pairs = exercise_cells(path.stem, nb)
            for cell in nb.cells:
                if cell.cell_type != "code":
                    continue
                if any(cell is check for _, check in pairs):  # a check cell: what the notebook holds now
                    (exercise_id,) = re.findall(r'check\("(\w+)"\)', cell.source) or [cell.source]
                    found[exercise_id] = ({**namespace}, cell.source)
                    continue
                if "dashboard" in cell.source:
                    break  # every exercise is above its notebook's dashboard
                with contextlib.redirect_stdout(io.StringIO()):
                    exec(compile(notebook_code.python_source(cell), path.name, "exec"), namespace)
    assert set(found) == set(checks.EXERCISES)  # every exercise of the series
    return found


def run_check_cell(source, namespace):
    """The Feedback a check cell shows, run in `namespace`."""
    *body, last = source.strip().split("\n")
    exec("\n".join(body), namespace)
    return eval(last, namespace)


def wrong_answer(value):
    """An answer made wrong: a function's results and an array 1% larger, a shape turned round, a number off."""
    if callable(value):
        scale = lambda result: ({k: 1.01 * v for k, v in result.items()} if isinstance(result, dict)  # noqa: E731
                                else 1.01 * np.asarray(result))
        return lambda *args: scale(value(*args))
    if isinstance(value, tuple):
        return value[::-1]
    if isinstance(value, np.ndarray):
        return 1.01 * value + 0.01
    return 1 if value in (3, 4) else value * 1000  # hidden_size 1; learning_rate and n_params far off


@pytest.mark.parametrize("exercise_id", list(checks.EXERCISES))
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_no_rebound_notebook_name_changes_a_checks_verdict(notebooks_at_their_exercises, exercise_id, data):
    namespace, source = notebooks_at_their_exercises[exercise_id]
    reads = checks.EXERCISES[exercise_id].reads
    rebindable = sorted(name for name, value in namespace.items() if name not in reads and not name.startswith("_")
                        and isinstance(value, (np.ndarray, dict, list, tuple, int, float)))
    names = data.draw(st.lists(st.sampled_from(rebindable + ["labels", "X", "y", "params", "A1", "dZ2"]),
                               min_size=1, unique=True))
    rebound = {name: data.draw(st.sampled_from(JUNK)) for name in names}
    for answers in ({name: namespace[name] for name in reads}, {name: wrong_answer(namespace[name]) for name in reads}):
        before = run_check_cell(source, {**namespace, **answers})
        after = run_check_cell(source, {**namespace, **rebound, **answers})
        assert (after.passed, after.message) == (before.passed, before.message), (exercise_id, rebound)
    assert before.passed is False and run_check_cell(source, {**namespace}).passed  # the right answer passes
