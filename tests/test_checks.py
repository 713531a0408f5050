"""Each exercise check passes a right answer and explains each kind of wrong one."""

import numpy as np
import pytest

import nnlib
from nnlib.course import checks


def passes(feedback):
    assert feedback.passed, feedback.message
    assert feedback.message.startswith("✅ Correct")
    assert repr(feedback) == feedback.message


def fails(feedback, *phrases):
    assert not feedback.passed, feedback.message
    assert feedback.message.startswith("❌ Not yet")
    for phrase in phrases:
        assert phrase in feedback.message, feedback.message


# Every check, called with a blank exercise, says "not yet" instead of raising.
BLANK_CALLS = {
    "check_sigmoid": lambda: checks.check_sigmoid(...),
    "check_sigmoid_derivative": lambda: checks.check_sigmoid_derivative(...),
    "check_answer": lambda: checks.check_answer("x", ..., 3),
    "check_shape": lambda: checks.check_shape("W1.shape", ..., (3, 4)),
    "check_param_count": lambda: checks.check_param_count(...),
    "check_forward": lambda: checks.check_forward(...),
    "check_mse": lambda: checks.check_mse(...),
    "check_gradient": lambda: checks.check_gradient("dW2", ..., nnlib.init_params(3, 4, 2), *nnlib.seed_data()),
    "check_backward": lambda: checks.check_backward(...),
    "check_update": lambda: checks.check_update(...),
    "check_accuracy": lambda: checks.check_accuracy(...),
    "check_learning_rate": lambda: checks.check_learning_rate(...),
    "check_xor_hidden_size": lambda: checks.check_xor_hidden_size(...),
}


@pytest.mark.parametrize("name", sorted(BLANK_CALLS))
def test_blank_exercise_says_not_yet(name):
    fails(BLANK_CALLS[name](), "`...`")


def test_every_public_check_is_covered_by_the_blank_test():
    public = {name for name in dir(checks) if name.startswith("check_")}
    assert public == set(BLANK_CALLS)


def test_functions_that_return_ellipsis_say_not_yet():
    fails(checks.check_sigmoid(lambda z: ...), "`...`")
    fails(checks.check_forward(lambda params, X: ...), "`...`")


def test_function_returning_none_asks_for_return():
    fails(checks.check_mse(lambda A2, y: None), "return")


def test_sigmoid():
    passes(checks.check_sigmoid(lambda z: 1 / (1 + np.exp(-z))))
    fails(checks.check_sigmoid(lambda z: 1 / (1 + np.exp(z))), "1 - sigmoid", "exp(-z)")
    fails(checks.check_sigmoid(lambda z: np.exp(-z)), "sigmoid(z)")
    fails(checks.check_sigmoid(lambda z: z.sum()), "shape (3, 11)", "received shape ()")
    fails(checks.check_sigmoid(lambda z: 1 / (1 + math_exp(z))), "raised", "TypeError")
    fails(checks.check_sigmoid(42), "should be a function")


def math_exp(z):
    import math
    return math.exp(-z)


def test_sigmoid_derivative():
    passes(checks.check_sigmoid_derivative(lambda a: a * (1 - a)))
    fails(checks.check_sigmoid_derivative(lambda a: nnlib.sigmoid(a) * (1 - nnlib.sigmoid(a))), "sigmoid again")
    fails(checks.check_sigmoid_derivative(lambda a: a * (a - 1)), "-1 times")


def test_answer_and_shape():
    passes(checks.check_answer("the number of samples", 4, 4))
    fails(checks.check_answer("the number of samples", 3, 4), "should be 4", "received 3")
    passes(checks.check_answer("W1.shape", (3, 4), (3, 4)))
    passes(checks.check_shape("W1", np.zeros((3, 4)), (3, 4)))
    fails(checks.check_shape("W1.shape", (4, 3), (3, 4), hint="rows are inputs"), "(3, 4)", "received (4, 3)", "rows are inputs")
    fails(checks.check_shape("W1.shape", "3x4", (3, 4)), "a str")
    fails(checks.check_answer("X", np.zeros((4, 2)), np.zeros((4, 3))), "shape (4, 3)", "received shape (4, 2)")
    fails(checks.check_answer("x", "seven", 7.0), "should be numbers")


def test_param_count():
    passes(checks.check_param_count(26))
    fails(checks.check_param_count(20), "only the weights", "bias")
    fails(checks.check_param_count(25), "expected 26")
    passes(checks.check_param_count(5 * 7 + 7 + 7 * 2 + 2, input_size=5, hidden_size=7))


def good_forward(params, X):
    A1 = nnlib.sigmoid(X @ params["W1"] + params["b1"])
    return nnlib.sigmoid(A1 @ params["W2"] + params["b2"])


def test_forward():
    passes(checks.check_forward(good_forward))
    passes(checks.check_forward(nnlib.forward))  # returning (A2, cache) is fine
    fails(checks.check_forward(lambda p, X: nnlib.forward(p, X)[1]["Z2"]), "returned Z2")
    fails(checks.check_forward(lambda p, X: nnlib.forward(p, X)[1]["A1"]), "hidden layer")
    fails(checks.check_forward(lambda p, X: nnlib.sigmoid(nnlib.sigmoid(X @ p["W1"]) @ p["W2"])), "biases")
    fails(checks.check_forward(lambda p, X: good_forward(p, X) + 0.1), "A2")


def test_mse():
    passes(checks.check_mse(lambda A2, y: np.mean((y - A2) ** 2)))
    fails(checks.check_mse(lambda A2, y: np.sum((y - A2) ** 2)), "summed")
    fails(checks.check_mse(lambda A2, y: np.sqrt(np.mean((y - A2) ** 2))), "square root")
    fails(checks.check_mse(lambda A2, y: np.mean(np.abs(y - A2))), "absolute")
    fails(checks.check_mse(lambda A2, y: (y - A2) ** 2), "one number")


def test_gradient():
    X, y = nnlib.seed_data()
    params = nnlib.init_params(3, 4, 2)
    A2, cache = nnlib.forward(params, X)
    right = nnlib.backward(params, cache, y)["dW2"]
    passes(checks.check_gradient("dW2", right, params, X, y))
    fails(checks.check_gradient("dW2", 2 * right, params, X, y), "2 times", "factor 2")
    fails(checks.check_gradient("dW2", -right, params, X, y), "sign")
    fails(checks.check_gradient("dW2", 8 * right, params, X, y), "8 times", "mean")
    fails(checks.check_gradient("dW2", right.T, params, X, y), "shape (4, 2)", "received shape (2, 4)")
    seed_dZ2 = A2 - y
    fails(checks.check_gradient("dZ2", seed_dZ2, params, X, y), "dZ2")
    passes(checks.check_gradient("dZ2", (A2 - y) / y.size, params, X, y, loss="bce"))
    fails(checks.check_gradient("dQ", right, params, X, y), "no gradient called")


def test_backward():
    passes(checks.check_backward(nnlib.backward))
    passes(checks.check_backward(nnlib.backward, loss="bce"))
    passes(checks.check_backward(lambda params, cache, y: nnlib.backward(params, cache, y)))
    fails(checks.check_backward(nnlib.original.backward), "dW2")
    # the seed's bug at the seed's own size shows as wrong values...
    fails(checks.check_backward(nnlib.original.backward), "N=4, D=3, H=4, M=2")

    def crashes_at_five(params, cache, y):
        if params["W1"].shape[1] == 5:
            return nnlib.original.backward(params, cache, y)
        return nnlib.backward(params, cache, y)

    fails(checks.check_backward(crashes_at_five), "hidden size 5", "broadcast", "per sample")
    fails(checks.check_backward(lambda p, c, y: [1, 2]), "should return a dict")
    fails(checks.check_backward(lambda p, c, y: {"dW1": 0}), "lacks db1")


def test_update():
    def update(params, grads, learning_rate):
        return {key: value - learning_rate * grads["d" + key] for key, value in params.items()}

    def update_in_place(params, grads, learning_rate):
        for key in params:
            params[key] -= learning_rate * grads["d" + key]

    passes(checks.check_update(update))
    passes(checks.check_update(update_in_place))
    fails(checks.check_update(lambda p, g, lr: {k: v + lr * g["d" + k] for k, v in p.items()}), "uphill")
    fails(checks.check_update(lambda p, g, lr: {k: v - g["d" + k] for k, v in p.items()}), "learning rate")
    fails(checks.check_update(lambda p, g, lr: {"W1": p["W1"]}), "lacks b1")
    fails(checks.check_update(lambda p, g, lr: 1 / 0), "ZeroDivisionError")


def test_accuracy():
    passes(checks.check_accuracy(lambda A2, y: np.mean(A2.argmax(axis=1) == y.argmax(axis=1))))
    fails(checks.check_accuracy(lambda A2, y: 100 * np.mean(A2.argmax(axis=1) == y.argmax(axis=1))), "percentage")
    fails(checks.check_accuracy(lambda A2, y: np.sum(A2.argmax(axis=1) == y.argmax(axis=1))), "counted")
    fails(checks.check_accuracy(lambda A2, y: A2.argmax(axis=1) == y.argmax(axis=1)), "one number")


def test_learning_rate():
    passes(checks.check_learning_rate(5.0))
    fails(checks.check_learning_rate(0.01), "above the target", "larger rate")
    fails(checks.check_learning_rate(-1), "learning_rate must be a finite number above 0")


def test_xor_hidden_size():
    passes(checks.check_xor_hidden_size(4))
    fails(checks.check_xor_hidden_size(1), "0 of 3 seeds", "at least 2")
    fails(checks.check_xor_hidden_size(0), "hidden_size must be at least 1")
