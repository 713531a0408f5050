"""Every public function rejects bad input with a message naming what was wrong."""

import numpy as np
import pytest

import nnlib

X, Y = nnlib.seed_data()
PARAMS = nnlib.init_params(3, 4, 2)


@pytest.mark.parametrize("X_bad,y_bad,error,message", [
    (np.ones(3), Y, ValueError, r"X must be a 2-D array .*got shape \(3,\)"),
    (X, np.ones(4), ValueError, r"y must be a 2-D array .*got shape \(4,\)"),
    (np.ones((2, 2, 2)), Y, ValueError, r"X must be a 2-D .*\(2, 2, 2\)"),
    (X[:3], Y, ValueError, r"X has 3 rows \(shape \(3, 3\)\) but y has 4"),
    (np.array([[0, np.nan, 1]] * 4), Y, ValueError, r"X must hold finite numbers; X\[0, 1\] is nan"),
    (X, np.array([[0, np.inf]] * 4), ValueError, r"y must hold finite numbers; y\[0, 1\] is inf"),
    (np.array([["a", "b", "c"]] * 4), Y, TypeError, r"X must hold numbers; .*dtype <U1"),
    ([[1, 2], [3]], Y, ValueError, r"X must be a 2-D array of numbers"),
    (np.empty((0, 3)), np.empty((0, 2)), ValueError, r"X must not be empty"),
])
def test_train_rejects_bad_data(X_bad, y_bad, error, message):
    with pytest.raises(error, match=message):
        nnlib.train(X_bad, y_bad, epochs=1)


@pytest.mark.parametrize("kwargs,error,message", [
    ({"hidden_size": 0}, ValueError, r"hidden_size must be at least 1; got 0"),
    ({"hidden_size": 2.5}, TypeError, r"hidden_size must be a whole number; got 2.5"),
    ({"hidden_size": "4"}, TypeError, r"hidden_size must be a whole number; got '4'"),
    ({"hidden_size": True}, TypeError, r"hidden_size must be a whole number; got True"),
    ({"learning_rate": 0}, ValueError, r"learning_rate must be a finite number above 0; got 0"),
    ({"learning_rate": -0.1}, ValueError, r"learning_rate .* got -0.1"),
    ({"learning_rate": float("nan")}, ValueError, r"learning_rate .* got nan"),
    ({"learning_rate": float("inf")}, ValueError, r"learning_rate .* got inf"),
    ({"learning_rate": "fast"}, TypeError, r"learning_rate must be a number; got 'fast'"),
    ({"epochs": 0}, ValueError, r"epochs must be at least 1; got 0"),
    ({"epochs": 10.0}, TypeError, r"epochs must be a whole number; got 10.0"),
    ({"seed": -1}, ValueError, r"seed must be between 0 and 2\*\*32 - 1; got -1"),
    ({"seed": 1.5}, TypeError, r"seed must be a whole number; got 1.5"),
    ({"loss": "mae"}, ValueError, r"loss must be one of \('mse', 'bce'\); got 'mae'"),
])
def test_train_rejects_bad_settings(kwargs, error, message):
    with pytest.raises(error, match=message):
        nnlib.train(X, Y, **{"epochs": 1, **kwargs})


def test_train_accepts_numpy_integers():
    result = nnlib.train(X, Y, hidden_size=np.int64(3), epochs=np.int32(2))
    assert result.params["W1"].shape == (3, 3)


def without(key):
    return {k: v for k, v in PARAMS.items() if k != key}


@pytest.mark.parametrize("params,error,message", [
    (without("b2"), ValueError, r"params is missing b2"),
    ([1, 2], TypeError, r"params must be a dict"),
    ({**PARAMS, "b1": np.zeros((1, 5))}, ValueError, r"params\['b1'\] must have shape \(1, 4\) .* got \(1, 5\)"),
    ({**PARAMS, "W2": np.zeros((5, 2))}, ValueError, r"params\['W2'\] must have shape \(4, 2\) .* got \(5, 2\)"),
    ({**PARAMS, "b2": np.zeros(2)}, ValueError, r"params\['b2'\] must be a 2-D array .* got shape \(2,\)"),
])
def test_forward_rejects_bad_params(params, error, message):
    with pytest.raises(error, match=message):
        nnlib.forward(params, X)


def test_forward_rejects_inputs_of_the_wrong_width():
    with pytest.raises(ValueError, match=r"X has 2 columns \(shape \(4, 2\)\) but params\['W1'\] expects 3"):
        nnlib.forward(PARAMS, X[:, :2])


def test_backward_rejects_targets_of_the_wrong_width():
    _, cache = nnlib.forward(PARAMS, X)
    with pytest.raises(ValueError, match=r"y has 3 columns \(shape \(4, 3\)\) but the network has 2 outputs"):
        nnlib.backward(PARAMS, cache, np.zeros((4, 3)))


def test_backward_rejects_an_unknown_loss():
    _, cache = nnlib.forward(PARAMS, X)
    with pytest.raises(ValueError, match=r"loss must be one of"):
        nnlib.backward(PARAMS, cache, Y, loss="cross-entropy")


def test_backward_rejects_something_that_is_not_a_cache():
    with pytest.raises(TypeError, match=r"cache must be the dict that forward"):
        nnlib.backward(PARAMS, (1, 2), Y)


def test_backward_rejects_a_cache_from_other_params():
    _, cache = nnlib.forward(nnlib.init_params(3, 5, 2), X)
    with pytest.raises(ValueError, match=r"cache\['A1'\] has shape \(4, 5\) where \(4, 4\)"):
        nnlib.backward(PARAMS, cache, Y)


@pytest.mark.parametrize("function", [nnlib.mse_loss, nnlib.bce_loss, nnlib.accuracy])
def test_losses_reject_mismatched_shapes(function):
    with pytest.raises(ValueError, match=r"A2 and y must have the same shape; got A2 \(4, 2\) and y \(4, 3\)"):
        function(np.zeros((4, 2)), np.zeros((4, 3)))


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


def test_sigmoid_rejects_text():
    with pytest.raises(TypeError, match=r"z must hold numbers"):
        nnlib.sigmoid("one")


def test_dataset_sizes_are_checked():
    with pytest.raises(ValueError, match=r"n_samples must be at least 1; got 0"):
        nnlib.moons(0)
