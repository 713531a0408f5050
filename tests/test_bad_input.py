"""Every public function either works or rejects bad input with a clear error.

A clear error is a TypeError or ValueError whose message names the argument
and shows the offending shape or value; never a NumPy traceback, never a
RuntimeWarning (pytest turns warnings into errors), never a silent NaN.
"""

import re
import tracemalloc
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import nnlib
from nnlib.course.sweep import SweepRun, learning_rate_grid, train_many

X, Y = nnlib.seed_data()
PARAMS = nnlib.init_params(3, 4, 2)
A2, CACHE = nnlib.forward(PARAMS, X)
X_XOR, Y_XOR = nnlib.xor_data()
# A network of two hidden layers of tanh units, and softmax outputs for the categorical cross-entropy
DEEP = nnlib.init_params(3, [4, 3], 2, activation="tanh")
A_DEEP, CACHE_DEEP = nnlib.forward(DEEP, X, activation="tanh")
A_SOFT, CACHE_SOFT = nnlib.forward(DEEP, X, activation="tanh", output="softmax")


# ---------------------------------------------------------------------------
# Each public function, with a valid value for each argument
# ---------------------------------------------------------------------------

CALLS = {
    "sigmoid": (nnlib.sigmoid, {"z": X}),
    "sigmoid_derivative": (nnlib.sigmoid_derivative, {"a": A2}),
    "one_hot": (nnlib.one_hot, {"labels": [0, 1, 1], "classes": 2}),
    "moons": (nnlib.moons, {"n_samples": 10, "noise": 0.1, "seed": 0}),
    "spirals": (nnlib.spirals, {"n_samples": 10, "noise": 0.1, "turns": 1.0, "seed": 0}),
    "load": (nnlib.data.load, {"name": "xor"}),
    "train_test_split": (nnlib.train_test_split, {"X": X, "y": Y, "test_fraction": 0.5, "seed": 0}),
    "init_params": (nnlib.init_params, {"input_size": 3, "hidden_size": 4, "output_size": 2, "seed": 42}),
    "count_params": (nnlib.count_params, {"params": PARAMS}),
    "forward": (nnlib.forward, {"params": PARAMS, "X": X}),
    "predict": (nnlib.predict, {"params": PARAMS, "X": X}),
    "backward": (nnlib.backward, {"params": PARAMS, "cache": CACHE, "y": Y, "loss": "mse"}),
    "accuracy": (nnlib.accuracy, {"A2": A2, "y": Y}),
    "mse_loss": (nnlib.mse_loss, {"A2": A2, "y": Y}),
    "bce_loss": (nnlib.bce_loss, {"A2": A2, "y": Y}),
    "numerical_gradient": (nnlib.numerical_gradient, {"params": PARAMS, "X": X, "y": Y, "loss": "bce", "h": 1e-5}),
    "relative_error": (nnlib.relative_error, {"a": A2, "b": Y}),
    "gradient_check": (nnlib.gradient_check,
                       {"params": PARAMS, "X": X, "y": Y, "loss": "mse", "backward": nnlib.backward}),
    "train": (nnlib.train, {"X": X, "y": Y, "hidden_size": 3, "learning_rate": 0.5, "epochs": 3,
                            "seed": 1, "loss": "bce", "callback": None}),
    "train from params": (nnlib.train, {"X": X, "y": Y, "learning_rate": 0.5, "epochs": 3,
                                        "loss": "mse", "params": PARAMS}),
    "train_many": (train_many, {"X": X, "y": Y, "learning_rates": [0.1, 1.0], "hidden_size": 3,
                                "epochs": 3, "seed": 1, "loss": "mse"}),
    "train_many from params": (train_many, {"X": X, "y": Y, "learning_rates": [0.1, 1.0], "epochs": 3,
                                            "loss": "bce", "params": PARAMS}),
    "SweepRun": (SweepRun, {"X": X, "y": Y, "learning_rates": [0.1, 1.0], "hidden_size": 3,
                            "seed": 1, "loss": "mse", "params": None}),
    "SweepRun.train": (lambda epochs: SweepRun(X, Y, [0.1, 1.0]).train(epochs), {"epochs": 3}),
    "gradient_errors": (nnlib.gradient_errors,
                        {"params": PARAMS, "X": X, "y": Y, "loss": "bce", "backward": nnlib.backward}),
    "learning_rate_grid": (learning_rate_grid, {"low": 0.01, "high": 10.0, "count": 4}),
    # Other activations, deeper networks, more classes
    "tanh": (nnlib.tanh, {"z": X}),
    "relu": (nnlib.relu, {"z": X}),
    "leaky_relu": (nnlib.leaky_relu, {"z": X}),
    "softmax": (nnlib.softmax, {"z": X}),
    "tanh_derivative": (nnlib.tanh_derivative, {"a": nnlib.tanh(X)}),
    "relu_derivative": (nnlib.relu_derivative, {"a": nnlib.relu(X)}),
    "leaky_relu_derivative": (nnlib.leaky_relu_derivative, {"a": nnlib.leaky_relu(X - 0.5)}),
    "cce_loss": (nnlib.cce_loss, {"A2": A_SOFT, "y": Y}),
    "moons of 3 classes": (nnlib.moons, {"n_samples": 12, "noise": 0.1, "seed": 0, "classes": 3}),
    "spirals of 3 classes": (nnlib.spirals, {"n_samples": 12, "noise": 0.1, "turns": 1.0, "seed": 0,
                                             "classes": 3}),
    "init_params deep": (nnlib.init_params, {"input_size": 3, "hidden_size": [4, 3], "output_size": 2,
                                             "seed": 42, "init": "he", "activation": "relu"}),
    "forward deep": (nnlib.forward, {"params": DEEP, "X": X, "activation": "tanh", "output": "softmax"}),
    "predict deep": (nnlib.predict, {"params": DEEP, "X": X, "activation": "tanh", "output": "sigmoid"}),
    "backward deep": (nnlib.backward, {"params": DEEP, "cache": CACHE_DEEP, "y": Y, "loss": "bce",
                                       "activation": "tanh"}),
    "backward cce": (nnlib.backward, {"params": DEEP, "cache": CACHE_SOFT, "y": Y, "loss": "cce",
                                      "activation": "tanh"}),
    "train deep": (nnlib.train, {"X": X, "y": Y, "hidden_size": [3, 2], "learning_rate": 0.5, "epochs": 3,
                                 "seed": 1, "loss": "cce", "activation": "leaky_relu", "init": "xavier"}),
    "train deep from params": (nnlib.train, {"X": X, "y": Y, "learning_rate": 0.5, "epochs": 3, "loss": "mse",
                                             "params": DEEP, "activation": "tanh"}),
    "train_many deep": (train_many, {"X": X, "y": Y, "learning_rates": [0.1, 1.0], "hidden_size": [3, 2],
                                     "epochs": 3, "seed": 1, "loss": "cce", "activation": "relu",
                                     "init": "uniform"}),
    "SweepRun deep": (SweepRun, {"X": X, "y": Y, "learning_rates": [0.1, 1.0], "hidden_size": [3, 2],
                                 "seed": 1, "loss": "bce", "params": None, "activation": "tanh",
                                 "init": "he"}),
    "gradient_errors deep": (nnlib.gradient_errors, {"params": DEEP, "X": X, "y": Y, "loss": "cce",
                                                     "backward": nnlib.backward, "activation": "tanh"}),
    "gradient_check deep": (nnlib.gradient_check, {"params": DEEP, "X": X, "y": Y, "loss": "mse",
                                                   "backward": nnlib.backward, "activation": "tanh"}),
    "numerical_gradient deep": (nnlib.numerical_gradient, {"params": DEEP, "X": X, "y": Y, "loss": "cce",
                                                           "h": 1e-5, "activation": "tanh"}),
}

# Values nobody should pass; some are still right for some arguments
# (None for a callback, True for sigmoid's z), and then the call must work.
HOSTILE = {
    "None": None,
    "text": "text",
    "True": True,
    "nan": float("nan"),
    "inf": float("inf"),
    "-inf": float("-inf"),
    "complex": 1j,
    "huge int": 10**400,
    "2**63": 2**63,
    "-1": -1,
    "0": 0,
    "1.5": 1.5,
    "empty dict": {},
    "list": [1, 2],
    "ragged list": [[1, 2], [3]],
    "object array": np.array([[1, None]], dtype=object),
    "complex array": np.ones((4, 3)) * 1j,
    "string array": np.array([["a", "b", "c"]] * 4),
    "datetime array": np.array(["2024-01-01"] * 3, dtype="datetime64[D]"),
    "1-D array": np.ones(3),
    "3-D array": np.ones((4, 3, 2)),
    "empty array": np.empty((0, 3)),
    "nan array": np.full((4, 3), np.nan),
    "huge array": np.full((4, 3), 1e200),
    "negative array": -np.ones((4, 2)),
    "params with an extra key": {**PARAMS, "W3": np.ones((2, 2))},
    "params missing b2": {key: value for key, value in PARAMS.items() if key != "b2"},
    "params of another size": nnlib.init_params(2, 5, 3),
    "params of another depth": nnlib.init_params(3, [4, 3, 2], 2),
    "params with W3 of the wrong shape": {**DEEP, "W3": np.ones((2, 2))},
    "params with W3 but no b3": {key: value for key, value in DEEP.items() if key != "b3"},
    "empty list": [],
    "list of 11": [2] * 11,
    "list with 0": [4, 0],
    "list with -3": [4, -3],
    "list with 2.5": [4, 2.5],
    "list of text": ["8", "8"],
    "an activation's name": "relu",
    "another registry's name": "softmax",
    "an init's name": "xavier",
    "a loss's name": "cce",
    "name in capitals": "TANH",
    "function returning None": lambda *args, **kwargs: None,
    "function returning 1": lambda *args, **kwargs: 1,
    "function of no arguments": lambda: None,
}


def names(function, message):
    """Whether an error message names an argument (or says what it belongs to)."""
    return re.search(rf"(^|[\s(']){re.escape(function)}\b", message) is not None


def finite(result):
    """Whether every number in a function's result is finite."""
    if isinstance(result, nnlib.TrainResult):
        return finite(result.params) and finite(result.losses)
    if isinstance(result, SweepRun):
        return all(finite(result.params(k)) for k in range(len(result.learning_rates)))
    if isinstance(result, nnlib.gradcheck.GradientComparison):
        return finite((result.analytic, result.numerical, result.relative))
    if isinstance(result, dict):
        return all(finite(value) for value in result.values())
    if isinstance(result, tuple):
        return all(finite(value) for value in result)
    return bool(np.all(np.isfinite(np.asarray(result, dtype=float))))


@pytest.mark.parametrize("function_name,argument", [
    (function_name, argument) for function_name, (_, kwargs) in CALLS.items() for argument in kwargs
])
def test_every_argument_survives_hostile_values(function_name, argument):
    function, valid = CALLS[function_name]
    snapshot = {key: value.copy() for key, value in PARAMS.items()}
    problems = []
    for label, value in HOSTILE.items():
        try:
            result = function(**{**valid, argument: value})
        except (TypeError, ValueError) as error:
            message = str(error)
            if not names(argument, message):
                problems.append(f"{label}: message does not name {argument!r}: {message}")
            elif "Traceback" in message or "ufunc" in message or "broadcast" in message:
                problems.append(f"{label}: NumPy's words leak out: {message}")
        except Exception as error:  # noqa: BLE001 -- anything else is the failure we look for
            problems.append(f"{label}: raised {type(error).__name__}: {error}")
        else:
            if not finite(result):
                problems.append(f"{label}: accepted, but returned non-finite numbers")
    for key in PARAMS:
        assert np.array_equal(PARAMS[key], snapshot[key]), f"{function_name} changed the caller's {key}"
    assert not problems, f"{function_name}({argument}=...):\n" + "\n".join(problems)


@pytest.mark.parametrize("function_name", sorted(CALLS))
def test_lists_and_float32_give_the_same_answers(function_name):
    """Another form of a right argument is still right: lists, float32 arrays."""
    function, valid = CALLS[function_name]
    expected = function(**valid)
    for convert, rtol in ((to_lists, 0), (to_float32, 1e-5)):
        result = function(**{key: convert(value) for key, value in valid.items()})
        for got, want in zip(numbers_in(result), numbers_in(expected)):
            np.testing.assert_allclose(got, want, rtol=rtol, atol=1e-6 if rtol else 0)


def to_lists(value):
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, dict) and all(isinstance(v, np.ndarray) for v in value.values()):
        return {key: v.tolist() for key, v in value.items()}
    return value


def to_float32(value):
    if isinstance(value, np.ndarray):
        return value.astype(np.float32)
    if isinstance(value, dict) and all(isinstance(v, np.ndarray) for v in value.values()):
        return {key: v.astype(np.float32) for key, v in value.items()}
    return value


def numbers_in(result):
    if isinstance(result, nnlib.TrainResult):
        return numbers_in(result.params) + [result.losses]
    if isinstance(result, SweepRun):
        return [array for k in range(len(result.learning_rates)) for array in numbers_in(result.params(k))]
    if isinstance(result, nnlib.gradcheck.GradientComparison):
        return [result.analytic, result.numerical, result.relative]
    if isinstance(result, dict):
        return [array for key in sorted(result) for array in numbers_in(result[key])]
    if isinstance(result, tuple):
        return [array for part in result for array in numbers_in(part)]
    return [np.asarray(result, dtype=float)]


# ---------------------------------------------------------------------------
# The messages, case by case
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("X_bad,y_bad,error,message", [
    (np.ones(3), Y, ValueError, r"X must be a 2-D array .*got shape \(3,\)"),
    (X, np.ones(4), ValueError, r"y must be a 2-D array .*got shape \(4,\)"),
    (np.ones((2, 2, 2)), Y, ValueError, r"X must be a 2-D .*\(2, 2, 2\)"),
    (X[:3], Y, ValueError, r"X has 3 rows \(shape \(3, 3\)\) but y has 4"),
    (np.array([[0, np.nan, 1]] * 4), Y, ValueError, r"X must hold finite numbers; X\[0, 1\] is nan"),
    (X, np.array([[0, np.inf]] * 4), ValueError, r"y must hold finite numbers; y\[0, 1\] is inf"),
    (np.array([["a", "b", "c"]] * 4), Y, TypeError, r"X must hold numbers; .*dtype <U1"),
    ([[1, 2], [3]], Y, ValueError, r"X must be an array of numbers with rows of equal length"),
    (np.empty((0, 3)), np.empty((0, 2)), ValueError, r"X must not be empty"),
    ([[1, None, 0]] * 4, Y, TypeError, r"X must hold numbers; X\[0, 1\] is None"),
    (X * 1j, Y, TypeError, r"X must hold real numbers; got complex"),
    ([[10**400, 0, 1]] * 4, Y, ValueError, r"X holds a number too large for a float"),
    (X * 1e200, Y, ValueError, r"X must hold numbers no larger than 1e100 in size; X\[0, 2\] is 1e\+200"),
])
def test_train_rejects_bad_data(X_bad, y_bad, error, message):
    with pytest.raises(error, match=message):
        nnlib.train(X_bad, y_bad, epochs=1)


@pytest.mark.parametrize("kwargs,error,message", [
    ({"hidden_size": 0}, ValueError, r"hidden_size must be at least 1; got 0"),
    ({"hidden_size": 2.5}, TypeError, r"hidden_size must be a whole number; got 2.5 \(a float\)"),
    ({"hidden_size": "4"}, TypeError, r"hidden_size must be a whole number; got '4'"),
    ({"hidden_size": True}, TypeError, r"hidden_size must be a whole number; got True"),
    ({"learning_rate": 0}, ValueError, r"learning_rate must be a finite number above 0 and at most 1e6; got 0"),
    ({"learning_rate": -0.1}, ValueError, r"learning_rate .* got -0.1"),
    ({"learning_rate": float("nan")}, ValueError, r"learning_rate .* got nan"),
    ({"learning_rate": float("inf")}, ValueError, r"learning_rate .* got inf"),
    ({"learning_rate": 1e7}, ValueError, r"learning_rate .* at most 1e6; got 10000000.0"),
    ({"learning_rate": "fast"}, TypeError, r"learning_rate must be a number; got 'fast'"),
    ({"learning_rate": 0.1 + 0j}, TypeError, r"learning_rate must be a number; got \(0.1\+0j\) \(a complex\)"),
    ({"learning_rate": np.array([0.1, 0.2])}, TypeError, r"learning_rate must be a number; got an array of shape \(2,\)"),
    ({"epochs": 0}, ValueError, r"epochs must be at least 1; got 0"),
    ({"epochs": 10.0}, TypeError, r"epochs must be a whole number; got 10.0"),
    ({"seed": -1}, ValueError, r"seed must be between 0 and 2\*\*32 - 1; got -1"),
    ({"seed": 1.5}, TypeError, r"seed must be a whole number; got 1.5"),
    ({"loss": "mae"}, ValueError, r"loss must be one of \{'mse', 'bce', 'cce'\}; got 'mae'"),
    ({"loss": ["mse"]}, ValueError, r"loss must be one of \{'mse', 'bce', 'cce'\}; got \['mse'\]"),
    ({"callback": "print"}, TypeError, r"callback must be a function, called as callback\(epoch, loss\); got 'print'"),
    ({"callback": lambda: True}, TypeError, r"callback is called as callback\(epoch, loss\), which .*<lambda> cannot take"),
])
def test_train_rejects_bad_settings(kwargs, error, message):
    with pytest.raises(error, match=message):
        nnlib.train(X, Y, **{"epochs": 1, **kwargs})


def test_train_accepts_numpy_integers():
    result = nnlib.train(X, Y, hidden_size=np.int64(3), epochs=np.int32(2), seed=np.uint32(4))
    assert result.params["W1"].shape == (3, 3)


def without(key):
    return {k: v for k, v in PARAMS.items() if k != key}


@pytest.mark.parametrize("params,error,message", [
    (without("b2"), ValueError, r"params is missing b2"),
    ([1, 2], TypeError, r"params must be a dict .*got \[1, 2\] \(a list\)"),
    ({**PARAMS, "b1": np.zeros((1, 5))}, ValueError, r"params\['b1'\] must have shape \(1, 4\) .* got \(1, 5\)"),
    ({**PARAMS, "W2": np.zeros((5, 2))}, ValueError, r"params\['W2'\] must have shape \(4, 2\) .* got \(5, 2\)"),
    ({**PARAMS, "b2": np.zeros(2)}, ValueError, r"params\['b2'\] must be a 2-D array .* got shape \(2,\)"),
    ({**PARAMS, "W3": np.zeros((2, 2))}, ValueError, r"params has keys the network does not have: 'W3'"),
    ({**PARAMS, "W1": np.full((3, 4), np.nan)}, ValueError, r"params\['W1'\] must hold finite numbers; params\['W1'\]\[0, 0\] is nan"),
])
def test_forward_rejects_bad_params(params, error, message):
    with pytest.raises(error, match=message):
        nnlib.forward(params, X)


def test_forward_rejects_inputs_of_the_wrong_width():
    with pytest.raises(ValueError, match=r"X has 2 columns \(shape \(4, 2\)\) but params\['W1'\] expects 3"):
        nnlib.forward(PARAMS, X[:, :2])


def test_backward_rejects_targets_of_the_wrong_width():
    with pytest.raises(ValueError, match=r"y has 3 columns \(shape \(4, 3\)\) but the network has 2 outputs"):
        nnlib.backward(PARAMS, CACHE, np.zeros((4, 3)))


def test_backward_rejects_targets_of_the_wrong_length():
    with pytest.raises(ValueError, match=r"y has shape \(3, 2\) where \(4, 2\) was expected"):
        nnlib.backward(PARAMS, CACHE, Y[:3])


def test_backward_rejects_an_unknown_loss():
    with pytest.raises(ValueError, match=r"loss must be one of"):
        nnlib.backward(PARAMS, CACHE, Y, loss="cross-entropy")


def test_backward_rejects_something_that_is_not_a_cache():
    with pytest.raises(TypeError, match=r"cache must be the dict that forward"):
        nnlib.backward(PARAMS, (1, 2), Y)


def test_backward_rejects_a_cache_from_other_params():
    _, cache = nnlib.forward(nnlib.init_params(3, 5, 2), X)
    with pytest.raises(ValueError, match=r"cache\['A1'\] has shape \(4, 5\) where \(4, 4\)"):
        nnlib.backward(PARAMS, cache, Y)


def test_backward_rejects_a_cache_whose_activations_are_not_sigmoid_outputs():
    with pytest.raises(ValueError, match=r"cache\['A1'\] must hold sigmoid outputs, from 0 to 1; cache\['A1'\]\[\d, \d\] is -0\.\d+"):
        nnlib.backward(PARAMS, {**CACHE, "A1": CACHE["Z1"]}, Y)


@pytest.mark.parametrize("function", [nnlib.mse_loss, nnlib.bce_loss, nnlib.accuracy])
def test_losses_reject_mismatched_shapes(function):
    with pytest.raises(ValueError, match=r"A2 and y must have the same shape; got A2 \(4, 2\) and y \(4, 3\)"):
        function(np.zeros((4, 2)), np.zeros((4, 3)))


def test_cross_entropy_rejects_outputs_outside_0_1():
    with pytest.raises(ValueError, match=r"A2 must hold sigmoid outputs, from 0 to 1; A2\[0, 1\] is 1.5"):
        nnlib.bce_loss([[0.5, 1.5]], [[0, 1]])


@pytest.mark.parametrize("args,error,message", [
    ((0, 4, 2), ValueError, r"input_size must be at least 1; got 0"),
    ((3, -1, 2), ValueError, r"hidden_size must be at least 1; got -1"),
    ((3, 4, 1.5), TypeError, r"output_size must be a whole number; got 1.5"),
])
def test_init_params_rejects_bad_sizes(args, error, message):
    with pytest.raises(error, match=message):
        nnlib.init_params(*args)


def test_gradient_check_rejects_mismatched_data():
    with pytest.raises(ValueError, match=r"X has 4 rows .* but y has 3"):
        nnlib.gradient_check(PARAMS, X, Y[:3])


def test_dataset_sizes_are_checked():
    with pytest.raises(ValueError, match=r"n_samples must be at least 1; got 0"):
        nnlib.moons(0)


def test_load_names_the_datasets():
    with pytest.raises(ValueError, match=r"name must be one of \{'seed', 'xor', 'moons', 'spirals'\}; got \['xor'\]"):
        nnlib.data.load(["xor"])


def test_relative_error_rejects_mismatched_shapes_instead_of_broadcasting():
    with pytest.raises(ValueError, match=r"a and b must have the same shape; got a \(2,\) and b \(3,\)"):
        nnlib.relative_error([1.0, 2.0], [1.0, 2.0, 3.0])


def test_relative_error_does_not_overflow():
    assert nnlib.relative_error([1e300, 1e300], [1e300, -1e300]) == pytest.approx(2 ** -0.5)
    assert nnlib.relative_error([1e-9], [0.0]) == pytest.approx(0.1)  # the 1e-8 floor


# ---------------------------------------------------------------------------
# accuracy of a network with one output column
# ---------------------------------------------------------------------------

def test_accuracy_with_one_output_column_thresholds_at_one_half():
    xor_column = Y_XOR[:, 1:]  # (4, 1) the targets as one column: x0 XOR x1
    untrained = nnlib.predict(nnlib.init_params(2, 4, 1, seed=42), X_XOR)  # (4, 1)
    assert np.ptp(untrained) < 0.1  # an untrained network says about the same for every sample
    assert nnlib.accuracy(untrained, xor_column) == 0.5  # not the 1.0 of argmax over one column
    assert nnlib.accuracy([[0.2], [0.7], [0.9], [0.4]], xor_column) == 1.0
    assert nnlib.accuracy([[0.7], [0.2], [0.4], [0.9]], xor_column) == 0.0


def test_accuracy_with_several_columns_takes_the_largest():
    assert nnlib.accuracy([[0.9, 0.1], [0.4, 0.6], [0.3, 0.2]], [[1, 0], [1, 0], [1, 0]]) == pytest.approx(2 / 3)



# ---------------------------------------------------------------------------
# targets outside [0, 1]
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("loss", ["mse", "bce"])
@pytest.mark.parametrize("scale", [5.0, -1.0])
def test_targets_outside_0_1_are_rejected_everywhere(loss, scale):
    y_bad = scale * Y  # (4, 2): values 5 (or -1) where Y has ones
    value = r"5.0" if scale > 0 else r"-1.0"
    message = rf"y must hold targets from 0 to 1 .*; y\[0, 1\] is {value}"
    calls = [
        lambda: nnlib.train(X, y_bad, epochs=2, loss=loss),
        lambda: nnlib.backward(PARAMS, CACHE, y_bad, loss=loss),
        lambda: nnlib.gradient_check(PARAMS, X, y_bad, loss=loss),
        lambda: nnlib.numerical_gradient(PARAMS, X, y_bad, loss=loss),
        lambda: {"mse": nnlib.mse_loss, "bce": nnlib.bce_loss}[loss](A2, y_bad),
        lambda: nnlib.accuracy(A2, y_bad),
        lambda: train_many(X, y_bad, [0.1], epochs=2, loss=loss),
    ]
    for call in calls:
        with pytest.raises(ValueError, match=message):
            call()


def test_cross_entropy_is_never_negative_on_accepted_targets():
    soft = np.array([[0.0, 1.0], [0.3, 0.7], [1.0, 0.0], [0.5, 0.5]])  # (4, 2) targets in [0, 1]
    result = nnlib.train(X, soft, epochs=200, loss="bce", learning_rate=5.0)
    assert np.all(result.losses >= 0)


# ---------------------------------------------------------------------------
# sizes with limits, checked before anything is allocated
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("call,message", [
    (lambda: nnlib.train(X, Y, epochs=10**9), r"epochs must be at most 1_000_000 in this course; got 1_000_000_000"),
    (lambda: nnlib.train(X, Y, epochs=10**13), r"epochs must be at most 1_000_000"),
    (lambda: nnlib.train(X, Y, epochs=2**63), r"epochs must be at most 1_000_000 .*9_223_372_036_854_775_808"),
    (lambda: nnlib.train(X, Y, hidden_size=10**12), r"hidden_size must be at most 10_000"),
    (lambda: nnlib.train(X, Y, hidden_size=2**63), r"hidden_size must be at most 10_000"),
    (lambda: nnlib.init_params(3, 10**12, 2), r"hidden_size must be at most 10_000"),
    (lambda: nnlib.init_params(10_000, 10_000, 2), r"W1 with input_size 10000 and hidden_size 10000 would need 100_000_000 numbers"),
    (lambda: nnlib.moons(10**9), r"n_samples must be at most 1_000_000"),
    (lambda: nnlib.spirals(2**63), r"n_samples must be at most 1_000_000"),
    (lambda: nnlib.one_hot([0, 1], classes=10**12), r"classes must be at most 10_000"),
    (lambda: nnlib.one_hot(np.zeros(10**5, dtype=int), classes=1000), r"one_hot of 100000 labels in 1000 classes would need"),
    (lambda: nnlib.train(np.zeros((20_000, 1)), np.zeros((20_000, 1)), hidden_size=1000),
     r"training 1000 hidden units on 20000 samples would need 20_020_000 numbers"),
    (lambda: nnlib.forward(nnlib.init_params(1, 1000, 1), np.zeros((20_000, 1))),
     r"the hidden layer for 20000 samples and 1000 hidden units would need 20_000_000 numbers"),
    (lambda: train_many(X, Y, np.full(1000, 0.1), epochs=1_000_000), r"the losses of 1000 networks over 1000000 epochs"),
    (lambda: train_many(X, Y, np.full(1001, 0.1), epochs=1), r"learning_rates must be a 1-D list of 1 to 1000 rates"),
    (lambda: learning_rate_grid(count=10**9), r"count must be at most 1_000"),
    (lambda: nnlib.gradient_check(nnlib.init_params(3, 3000, 2), X, Y),
     r"params has 18_002 entries; finite differences take two forward passes per entry"),
])
def test_silly_sizes_get_a_message_and_allocate_nothing(call, message):
    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match=message):
            call()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20e6, f"{peak / 1e6:.0f} MB allocated before the error"


def test_the_largest_allowed_epoch_count_is_what_the_docstring_says():
    assert "1_000_000" in nnlib.train.__doc__
    result = nnlib.train(X, Y, epochs=20, callback=lambda epoch, loss: epoch == 9)
    assert result.losses.shape == (10,)


# ---------------------------------------------------------------------------
# small raw errors
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("rate", [Fraction(1, 10), Decimal("0.1"), np.float32(0.1), np.float64(0.1), np.array(0.1)])
def test_learning_rate_accepts_any_real_number_type(rate):
    expected = nnlib.train(X, Y, learning_rate=float(rate), epochs=20).losses
    np.testing.assert_array_equal(nnlib.train(X, Y, learning_rate=rate, epochs=20).losses, expected)


@pytest.mark.parametrize("rate,message", [
    (10**400, r"learning_rate must be a finite number above 0 and at most 1e6; got a number with 401 digits"),
    (Fraction(10**400, 3), r"learning_rate .* got a number with 400 digits"),
    (Decimal("NaN"), r"learning_rate .* got NaN"),
    (Decimal("sNaN"), r"learning_rate .* got sNaN"),
    (Decimal("-Infinity"), r"learning_rate .* got -Infinity"),
])
def test_learning_rate_out_of_range_in_any_type_is_named(rate, message):
    with pytest.raises(ValueError, match=message):
        nnlib.train(X, Y, learning_rate=rate, epochs=1)
    with pytest.raises(ValueError, match=message.replace("learning_rate", r"learning_rates\[0\]")):
        train_many(X, Y, [rate], epochs=1)


@pytest.mark.parametrize("call,error,message", [
    (lambda: nnlib.moons(noise=-1), ValueError, r"noise must be a finite number at least 0 and at most 10; got -1"),
    (lambda: nnlib.moons(noise=float("nan")), ValueError, r"noise .* got nan"),
    (lambda: nnlib.moons(noise="a lot"), TypeError, r"noise must be a number; got 'a lot'"),
    (lambda: nnlib.moons(seed=-1), ValueError, r"seed must be between 0 and 2\*\*32 - 1; got -1"),
    (lambda: nnlib.moons(seed=2**32), ValueError, r"seed must be between 0 and 2\*\*32 - 1; got 4294967296"),
    (lambda: nnlib.spirals(turns=0), ValueError, r"turns must be a finite number above 0 and at most 100; got 0"),
    (lambda: nnlib.spirals(turns=1e308), ValueError, r"turns must be .* at most 100"),
    (lambda: nnlib.spirals(noise=1e308), ValueError, r"noise must be .* at most 10"),
    (lambda: nnlib.one_hot([0, -1]), ValueError, r"labels must be whole numbers from 0 to 1 \(classes=2\); labels\[1\] is -1.0"),
    (lambda: nnlib.one_hot([0, 2]), ValueError, r"labels\[1\] is 2.0"),
    (lambda: nnlib.one_hot([0, 0.5]), ValueError, r"labels\[1\] is 0.5"),
    (lambda: nnlib.one_hot([[0, 1]]), ValueError, r"labels must be a non-empty 1-D list of class numbers; got shape \(1, 2\)"),
    (lambda: nnlib.one_hot([]), ValueError, r"labels must be a non-empty 1-D list"),
    (lambda: nnlib.one_hot(["0"]), TypeError, r"labels must hold numbers"),
    (lambda: nnlib.sigmoid(None), TypeError, r"z must be a number or an array of numbers; got None"),
    (lambda: nnlib.sigmoid("one"), TypeError, r"z must hold numbers; got 'one' \(a str\)"),
    (lambda: nnlib.sigmoid([1.0, None]), TypeError, r"z must hold numbers; z\[1\] is None"),
    (lambda: nnlib.sigmoid(2j), TypeError, r"z must hold real numbers; got complex"),
    (lambda: nnlib.sigmoid([0.0, np.nan]), ValueError, r"z must not hold NaN; z\[1\] is nan"),
    (lambda: nnlib.sigmoid(np.zeros(3), out=np.zeros(2)), TypeError, r"with out, z and out must be float64 arrays of one shape"),
    (lambda: nnlib.sigmoid([0.0], out=np.zeros(1)), TypeError, r"with out, z and out must be float64 arrays"),
    (lambda: nnlib.sigmoid(np.zeros(2), out=np.zeros(2, dtype=int)), TypeError, r"got z .* and out an array of shape \(2,\) and dtype int64"),
    (lambda: nnlib.sigmoid_derivative(None), TypeError, r"a must be a number or an array of numbers; got None"),
    (lambda: nnlib.sigmoid_derivative(np.array([0.5, 2.0])), ValueError, r"a must be the sigmoid's output .*\(pass a, not z\); a\[1\] is 2.0"),
    (lambda: nnlib.count_params({**PARAMS, "dW1": np.zeros((3, 4))}), ValueError, r"params has keys the network does not have: 'dW1'"),
    (lambda: nnlib.count_params({"W1": np.zeros((3, 4))}), ValueError, r"params is missing b1, W2, b2"),
    (lambda: nnlib.numerical_gradient(PARAMS, X, Y, h=0), ValueError, r"h must be a finite number at least 1e-10 and at most 0.1; got 0"),
    (lambda: learning_rate_grid(1.0, 0.1), ValueError, r"high must be a finite number at least 1 and at most 1e6; got 0.1"),
])
def test_small_raw_errors_are_now_clear(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_count_params_counts_the_four_arrays():
    assert nnlib.count_params(nnlib.init_params(3, 4, 2)) == 3 * 4 + 4 + 4 * 2 + 2
    assert nnlib.count_params({key: value.tolist() for key, value in PARAMS.items()}) == 26


def test_one_hot_accepts_whole_floats_and_bools():
    np.testing.assert_array_equal(nnlib.one_hot([1.0, 0.0]), [[0, 1], [1, 0]])
    np.testing.assert_array_equal(nnlib.one_hot(np.array([True, False])), [[0, 1], [1, 0]])


def test_sigmoid_of_infinity_is_its_limit():
    np.testing.assert_array_equal(nnlib.sigmoid([-np.inf, np.inf]), [0.0, 1.0])


def test_noise_zero_gives_the_exact_curves():
    X_clean, _ = nnlib.moons(20, noise=0)
    upper, lower = X_clean[0::2], X_clean[1::2]
    np.testing.assert_allclose(np.hypot(upper[:, 0], upper[:, 1]), 1.0)
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5), 1.0)


# ---------------------------------------------------------------------------
# The whole class, at random: arrays of any shape, dtype and value
# ---------------------------------------------------------------------------

ANY_ARRAY = st.one_of(
    hnp.arrays(dtype=st.sampled_from([np.float64, np.float32, np.int64, np.bool_, np.complex128]),
               shape=hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=5)),
    hnp.arrays(dtype=np.float64, shape=st.tuples(st.integers(0, 6), st.integers(0, 4)),
               elements=st.floats(allow_nan=True, allow_infinity=True)),
    st.lists(st.lists(st.one_of(st.floats(), st.integers(-2**70, 2**70), st.none(), st.text(max_size=1)),
                      max_size=3), max_size=4),
)


def clear_or_fine(call, *argument_names):
    """Run `call`; it must return finite numbers or raise an error naming an argument."""
    try:
        result = call()
    except (TypeError, ValueError) as error:
        assert any(names(name, str(error)) for name in argument_names), str(error)
    else:
        assert finite(result)


@given(value=ANY_ARRAY)
def test_forward_takes_any_array_as_X(value):
    clear_or_fine(lambda: nnlib.forward(PARAMS, value), "X")


@given(value=ANY_ARRAY)
def test_train_takes_any_array_as_y(value):
    clear_or_fine(lambda: nnlib.train(X, value, epochs=2), "y", "X")


@given(value=ANY_ARRAY)
def test_losses_and_accuracy_take_any_array_as_outputs(value):
    for function in (nnlib.mse_loss, nnlib.bce_loss, nnlib.accuracy):
        clear_or_fine(lambda: function(value, Y), "A2", "y")


@given(value=ANY_ARRAY)
def test_sigmoid_and_its_derivative_take_any_array(value):
    clear_or_fine(lambda: nnlib.sigmoid(value), "z")
    clear_or_fine(lambda: nnlib.sigmoid_derivative(value), "a")


@given(
    scale=st.sampled_from([1e-100, 1.0, 1e10, 1e50, 1e100]),
    rate=st.sampled_from([1e-3, 1.0, 1e3, 1e6]),
    loss=st.sampled_from(["mse", "bce"]),
    hidden_size=st.integers(1, 8),
    seed=st.integers(0, 2**32 - 1),
)
def test_training_at_the_limits_stays_finite_and_silent(scale, rate, loss, hidden_size, seed):
    """Inputs up to 1e100 in size and rates up to 1e6: no overflow, no warning, no NaN."""
    X_big = scale * np.random.default_rng(seed).normal(size=(6, 3)).clip(-1, 1)  # (6, 3)
    y = nnlib.one_hot(np.arange(6) % 2)  # (6, 2)
    result = nnlib.train(X_big, y, hidden_size=hidden_size, learning_rate=rate, epochs=200, seed=seed % 1000, loss=loss)
    assert finite(result)
    grads = nnlib.backward(result.params, nnlib.forward(result.params, X_big)[1], y, loss=loss)
    assert finite(grads)


@given(scale=st.sampled_from([1e-100, 1.0, 1e50, 1e100]), loss=st.sampled_from(["mse", "bce"]))
def test_gradient_check_at_the_limits_stays_finite_and_silent(scale, loss):
    params = {key: scale * value for key, value in PARAMS.items()}
    assert np.isfinite(nnlib.gradient_check(params, scale * X, Y, loss=loss))


# ---------------------------------------------------------------------------
# Array-likes that are not what they seem: masks, subclasses, lying __array__
# ---------------------------------------------------------------------------

class GivesArray:
    """An object that hands NumPy `array` when asked for its array (`__array__`)."""

    def __init__(self, array):
        self.array = array

    def __array__(self, dtype=None, copy=None):
        return self.array


def masked_forms(value):
    """{how: value} with the first entry of `value` hidden by a mask, in each way it can be passed."""
    if isinstance(value, dict):  # params or a cache: one of its arrays disguised
        key = next(key for key, item in value.items() if isinstance(item, np.ndarray))
        return {f"{how} as {key}": {**value, key: form} for how, form in masked_forms(value[key]).items()}
    array = np.asarray(value, dtype=float)
    mask = np.zeros(array.shape, dtype=bool)
    mask.flat[0] = True
    masked = np.ma.array(array, mask=mask)
    rows = array.tolist()
    if array.ndim == 2:
        rows[0][0] = np.ma.masked
    else:
        rows[0] = np.ma.masked
    return {"a masked array": masked,
            "a list of masked rows (or numpy.ma.masked first)": [masked[i] for i in range(len(masked))],
            "numpy.ma.masked inside a list": rows,
            "an object whose __array__ gives a masked array": GivesArray(masked)}


ARRAY_ARGUMENTS = [(function_name, argument) for function_name, (_, kwargs) in CALLS.items()
                   for argument, value in kwargs.items()
                   if isinstance(value, (np.ndarray, dict)) or argument in ("labels", "learning_rates")]


def test_every_array_argument_is_in_the_masked_test():
    assert {argument for _, argument in ARRAY_ARGUMENTS} >= {
        "z", "a", "labels", "params", "X", "y", "A2", "cache", "b", "learning_rates"}


@pytest.mark.parametrize("function_name,argument", ARRAY_ARGUMENTS)
def test_masked_entries_are_refused_never_computed_with(function_name, argument):
    """NumPy drops a mask when it turns a masked array into a plain one: nnlib says so instead."""
    function, valid = CALLS[function_name]
    for how, value in masked_forms(valid[argument]).items():
        with pytest.raises(TypeError) as raised:
            function(**{**valid, argument: value})
        message = str(raised.value)
        assert "masked" in message and names(argument, message), f"{how}: {message}"


@pytest.mark.parametrize("function_name,argument", [
    (function_name, argument) for function_name, (_, kwargs) in CALLS.items() for argument in kwargs
])
def test_numpy_masked_is_refused_by_every_argument(function_name, argument):
    """numpy.ma.masked reads as 0.0: a noise, rate or seed of "masked" must not become 0."""
    function, valid = CALLS[function_name]
    with pytest.raises((TypeError, ValueError)) as raised:
        function(**{**valid, argument: np.ma.masked})
    assert names(argument, str(raised.value)), str(raised.value)


@pytest.mark.parametrize("function_name", sorted(name for name, _ in dict(ARRAY_ARGUMENTS).items()))
def test_masked_arrays_with_nothing_masked_and_matrices_give_the_same_answers(function_name):
    """Another form of a right argument is still right: a mask hiding nothing, an np.matrix."""
    function, valid = CALLS[function_name]
    expected = function(**valid)

    def unmasked(value):
        if isinstance(value, np.ndarray):
            return np.ma.array(value)
        if isinstance(value, dict) and all(isinstance(v, np.ndarray) for v in value.values()):
            return {key: np.ma.array(v) for key, v in value.items()}
        return value

    def matrix(value):
        if isinstance(value, np.ndarray) and value.ndim == 2:
            with pytest.warns(PendingDeprecationWarning):
                return np.matrix(value)
        return value

    for convert in (unmasked, matrix):
        result = function(**{key: convert(value) for key, value in valid.items()})
        for got, want in zip(numbers_in(result), numbers_in(expected)):
            np.testing.assert_array_equal(got, want)


def test_the_sigmoids_fast_path_refuses_a_masked_array():
    z = np.ma.array([0.0, 100.0], mask=[False, True])
    with pytest.raises(TypeError, match=r"with out, z and out must be float64 arrays .*got z a masked array"):
        nnlib.sigmoid(z, out=np.empty(2))


def test_a_backward_returning_masked_gradients_is_named():
    def masked_backward(params, cache, y, loss="mse"):
        grads = nnlib.backward(params, cache, y, loss=loss)
        return {**grads, "dW2": np.ma.array(grads["dW2"], mask=np.eye(4, 2, dtype=bool))}

    with pytest.raises(TypeError, match=r"backward \(masked_backward\)'s dW2 has masked entries \(.*\[0, 0\] is masked\)"):
        nnlib.gradient_check(PARAMS, X, Y, backward=masked_backward)


class Breaks:
    def __array__(self, dtype=None, copy=None):
        raise RuntimeError("no array today")


class NotAnArray:
    def __array__(self, dtype=None, copy=None):
        return [[0.0, 1.0]] * 4


class NoItems:
    def __len__(self):
        return 4

    def __getitem__(self, index):
        raise RuntimeError(f"item {index} is missing")


@pytest.mark.parametrize("value,message", [
    (Breaks(), r"X must be an array of numbers; turning .*Breaks.* into one raised RuntimeError: no array today"),
    (NotAnArray(), r"X must be an array of numbers; .*NotAnArray.* gave \[\[0.0, 1.0\], .*\(a list\) when asked for its array"),
    (NoItems(), r"X must be an array of numbers; turning .*NoItems.* into one raised RuntimeError: item 0 is missing"),
])
def test_an_object_that_fails_to_give_its_array_is_named(value, message):
    with pytest.raises(TypeError, match=message):
        nnlib.forward(PARAMS, value)


class Yes(int):
    """A whole number that answers every comparison with True."""

    def __lt__(self, other):
        return True

    __le__ = __gt__ = __ge__ = __lt__


class No(int):
    """A whole number that answers every comparison with False."""

    def __lt__(self, other):
        return False

    __le__ = __gt__ = __ge__ = __lt__


@pytest.mark.parametrize("call,message", [
    (lambda: nnlib.init_params(3, No(0), 2), r"hidden_size must be at least 1; got 0"),
    (lambda: nnlib.train(X, Y, epochs=No(-5)), r"epochs must be at least 1; got -5"),
    (lambda: nnlib.moons(10, seed=Yes(-1)), r"seed must be between 0 and 2\*\*32 - 1; got -1"),
    (lambda: SweepRun(X, Y, [0.1]).params(Yes(5)), r"k must be from 0 to 0 \(one of the 1 networks\); got 5"),
])
def test_whole_numbers_are_judged_by_their_value_not_their_comparisons(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# ---------------------------------------------------------------------------
# Depth, widths, activations, initialisations and the categorical cross-entropy
# ---------------------------------------------------------------------------

NOT_ONE_HOT = [[0.2, 0.3]] * 4  # rows that sum to 0.5
DEEP_NO_W3 = {key: value for key, value in DEEP.items() if key != "W3"}
DEEP_W4 = {**DEEP, "W4": np.ones((2, 2)), "b4": np.ones((1, 2))}  # W4 takes 2 inputs: W3 gives 2 outputs
DEEP_W4_WRONG = {**DEEP, "W4": np.ones((3, 2)), "b4": np.ones((1, 2))}

# (the argument, the wrong value (with the loss it is wrong for), the error, its message); None: right
DEEP_BAD = [
    ("hidden_size", {"hidden_size": []}, ValueError,
     r"hidden_size must hold at least one hidden layer's width; got \[\]"),
    ("hidden_size", {"hidden_size": [2] * 11}, ValueError,
     r"hidden_size has 11 hidden layers; this course allows at most 10; got \[2, 2, "),
    ("hidden_size", {"hidden_size": [4, 0]}, ValueError, r"hidden_size\[1\] must be at least 1; got 0"),
    ("hidden_size", {"hidden_size": [-3, 4]}, ValueError, r"hidden_size\[0\] must be at least 1; got -3"),
    ("hidden_size", {"hidden_size": [4, 2.5]}, TypeError, r"hidden_size\[1\] must be a whole number; got 2.5"),
    ("hidden_size", {"hidden_size": [4, 10_001]}, ValueError,
     r"hidden_size\[1\] must be at most 10_000 .*got 10_001"),
    ("hidden_size", {"hidden_size": "8"}, TypeError,
     r"hidden_size must be a whole number; got '8' .* such as \[8, 8\]"),
    ("hidden_size", {"hidden_size": ["8", "8"]}, TypeError, r"hidden_size\[0\] must be a whole number; got '8'"),
    ("activation", {"activation": "softmax"}, ValueError,
     r"activation must be one of \{'sigmoid', 'tanh', 'relu', 'leaky_relu'\}; got 'softmax'"),
    ("activation", {"activation": "ReLU"}, ValueError, r"activation must be one of .*; got 'ReLU'"),
    ("activation", {"activation": nnlib.relu}, ValueError, r"activation must be one of .*; got <function relu"),
    ("init", {"init": "glorot"}, ValueError, r"init must be one of \{'uniform', 'xavier', 'he'\}; got 'glorot'"),
    ("init", {"init": 0.5}, ValueError, r"init must be one of \{'uniform', 'xavier', 'he'\}; got 0.5"),
    ("y", {"y": NOT_ONE_HOT, "loss": "cce"}, ValueError,
     r"y must hold one-hot targets .* for loss='cce', each row summing to 1; row 0 of y sums to 0.5"),
    ("y", {"y": [[1.0]] * 4, "loss": "cce"}, ValueError,
     r"y must have one column per class, at least 2, for loss='cce' .*; got shape \(4, 1\)"
     r"|y has 1 columns \(shape \(4, 1\)\) but the network has 2 outputs"),  # with params of 2 outputs
    ("params", {"params": DEEP_NO_W3}, ValueError,
     r"params has keys the network does not have: 'b3'; .*b3 without W3"),
    ("params", {"params": DEEP_W4}, None, None),  # a third hidden layer: right
    ("params", {"params": DEEP_W4_WRONG}, ValueError,
     r"params\['W4'\] must have shape \(2, 2\) to match W1 \(3, 4\), W2 \(4, 3\), W3 \(3, 2\) and W4 \(3, 2\); "
     r"got \(3, 2\)"),
    ("params", {"params": {**DEEP, "W3": np.ones((2, 2))}}, ValueError,
     r"params\['W3'\] must have shape \(3, 2\) to match .*; got \(2, 2\)"),
    ("params", {"params": {**DEEP, "b2": np.ones((1, 4))}}, ValueError,
     r"params\['b2'\] must have shape \(1, 3\) to match .*; got \(1, 4\)"),
    ("params", {"params": {**DEEP, "W3": np.full((3, 2), 1e101)}}, ValueError,
     r"params\['W3'\] must hold numbers no larger than 1e100 in size; params\['W3'\]\[0, 0\] is 1e\+101"),
]

# Each function that takes the argument, called with right values for the rest
DEEP_TAKERS = {
    "hidden_size": [lambda **kw: nnlib.train(X, Y, epochs=1, **kw),
                    lambda **kw: nnlib.init_params(3, output_size=2, **kw),
                    lambda **kw: train_many(X, Y, [0.1], epochs=1, **kw),
                    lambda **kw: SweepRun(X, Y, [0.1], **kw)],
    "activation": [lambda **kw: nnlib.train(X, Y, epochs=1, **kw),
                   lambda **kw: nnlib.init_params(3, [4, 3], 2, **kw),
                   lambda **kw: nnlib.forward(DEEP, X, **kw),
                   lambda **kw: nnlib.predict(DEEP, X, **kw),
                   lambda **kw: nnlib.backward(DEEP, CACHE_DEEP, Y, **kw),
                   lambda **kw: nnlib.gradient_check(DEEP, X, Y, **kw),
                   lambda **kw: nnlib.gradient_errors(DEEP, X, Y, **kw),
                   lambda **kw: nnlib.numerical_gradient(DEEP, X, Y, **kw),
                   lambda **kw: train_many(X, Y, [0.1], epochs=1, **kw)],
    "init": [lambda **kw: nnlib.train(X, Y, epochs=1, **kw),
             lambda **kw: nnlib.init_params(3, [4, 3], 2, **kw),
             lambda **kw: train_many(X, Y, [0.1], epochs=1, **kw),
             lambda **kw: SweepRun(X, Y, [0.1], **kw)],
    "y": [lambda **kw: nnlib.train(X, epochs=1, **kw),
          lambda **kw: nnlib.gradient_check(DEEP, X, **kw),
          lambda **kw: nnlib.gradient_errors(DEEP, X, **kw),
          lambda **kw: nnlib.backward(DEEP, CACHE_SOFT, activation="tanh", **kw),
          lambda **kw: train_many(X, learning_rates=[0.1], epochs=1, **kw)],
    "params": [lambda **kw: nnlib.train(X, Y, epochs=1, activation="tanh", **kw),
               lambda **kw: nnlib.forward(X=X, activation="tanh", **kw),
               lambda **kw: nnlib.count_params(**kw),
               lambda **kw: train_many(X, Y, [0.1], epochs=1, **kw)],
}


@pytest.mark.parametrize("argument,kwargs,error,message", DEEP_BAD)
def test_deep_arguments_outside_what_is_allowed_are_named_with_their_value(argument, kwargs, error, message):
    """Every function that takes the argument names it and its value: no NumPy traceback, NaN or warning."""
    for call in DEEP_TAKERS[argument]:
        if error is None:
            assert finite(call(**kwargs))
            continue
        with pytest.raises(error, match=message):
            call(**kwargs)


def test_cce_refuses_sigmoid_outputs_by_name():
    with pytest.raises(ValueError, match=r"cache\['A3'\] must hold softmax outputs for loss='cce' "
                                         r"\(forward\(params, X, output='softmax'\) gives them\).* "
                                         r"row 0 of cache\['A3'\] sums to"):
        nnlib.backward(DEEP, CACHE_DEEP, Y, loss="cce", activation="tanh")  # a cache of sigmoid outputs
    with pytest.raises(ValueError, match=r"A2 must hold softmax outputs for loss='cce' .* row 0 of A2 sums to"):
        nnlib.cce_loss(A_DEEP, Y)
    with pytest.raises(ValueError, match=r"y must hold one-hot targets .* row 0 of y sums to 0.5"):
        nnlib.cce_loss(A_SOFT, NOT_ONE_HOT)


def test_backward_names_the_activation_a_cache_does_not_fit():
    with pytest.raises(ValueError, match=r"cache\['A1'\] must hold relu outputs, from 0 to inf; "
                                         r"cache\['A1'\]\[\d, \d\] is -0\.\d+: with activation='relu' .* "
                                         r"forward\(params, X, activation='relu'\)"):
        nnlib.backward(DEEP, CACHE_DEEP, Y, activation="relu")


@pytest.mark.parametrize("function", [nnlib.relu, nnlib.leaky_relu])
@pytest.mark.parametrize("z", [np.inf, [1.0, -np.inf]])
def test_relu_refuses_infinity_whose_output_no_layer_takes(function, z):
    with pytest.raises(ValueError, match=rf"z must hold finite numbers for {function.__name__} .*is -?inf"):
        function(z)
