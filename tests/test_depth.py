"""Networks of any depth and hidden activation: gradients, training, the sweep and the starting weights.

The gradients are compared with finite differences of a loss written out
again in tests/helpers.py without nnlib, entry by entry; `train` and the
sweep with a plain loop of nnlib's forward and backward passes. The one
hidden layer of the tutorial is compared with what the code before
networks grew deeper computed, in tests/test_one_layer_unchanged.py.
"""

import numpy as np
import pytest

import nnlib
from nnlib.activations import ACTIVATIONS
from nnlib.course.sweep import SweepRun, train_many
from nnlib.losses import LOSSES
from tests.helpers import independent_differences, independent_layers

WIDTHS = [[5], [4, 3], [3, 5, 4], [4, 3, 3, 2]]  # depths 1 to 4, each layer of its own width
KINK = 1e-3  # no Z of a ReLU network may lie closer to 0 than this: a difference of step 1e-5 would cross it


def random_network(widths, D=3, M=3, seed=0):
    """Weights and biases drawn from normal distributions (no bias is 0; no output saturates), N = 6 one-hot targets."""
    rng = np.random.RandomState(seed)
    sizes = (D, *widths, M)
    params = {}
    for l in range(1, len(sizes)):
        params[f"W{l}"] = rng.normal(0.0, 1 / np.sqrt(sizes[l - 1]), size=(sizes[l - 1], sizes[l]))  # (H_{l-1}, H_l)
        params[f"b{l}"] = rng.normal(0.0, 0.5, size=(1, sizes[l]))  # (1, H_l)
    X = rng.normal(0.0, 1.0, size=(6, D))  # (6, D)
    y = nnlib.one_hot(np.arange(6) % M, M)  # (6, M), every class present
    return params, X, y


def away_from_the_kink(params, X, activation):
    """Fail unless every hidden Z of a ReLU network lies further than KINK from 0, where ReLU has no derivative."""
    if activation in ("relu", "leaky_relu"):
        _, Zs = independent_layers(params, X, activation)
        assert min(np.abs(Z).min() for Z in Zs[:-1]) > KINK


@pytest.mark.parametrize("widths", WIDTHS, ids=lambda widths: "x".join(map(str, widths)))
@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
@pytest.mark.parametrize("loss", ["mse", "bce", "cce"])
def test_backward_agrees_with_independent_finite_differences_entry_by_entry(widths, activation, loss):
    params, X, y = random_network(widths)
    output = LOSSES[loss].output.name  # softmax for 'cce', else sigmoid
    away_from_the_kink(params, X, activation)
    A, cache = nnlib.forward(params, X, activation=activation, output=output)
    grads = nnlib.backward(params, cache, y, loss=loss, activation=activation)
    ours = independent_differences(params, X, y, loss, activation=activation)
    assert sorted(grads) == sorted("d" + name for name in params)
    for name in params:
        np.testing.assert_allclose(grads["d" + name], ours[name], rtol=1e-6, atol=1e-9, err_msg=name)
        assert np.abs(grads["d" + name]).max() > 1e-6, f"d{name} is all but zero: a test that cannot fail"


@pytest.mark.parametrize("widths", WIDTHS[1:], ids=lambda widths: "x".join(map(str, widths)))
@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
@pytest.mark.parametrize("loss", ["mse", "bce", "cce"])
def test_numerical_gradient_and_the_gradient_check_agree_at_any_depth(widths, activation, loss):
    params, X, y = random_network(widths, seed=1)
    away_from_the_kink(params, X, activation)
    numerical = nnlib.numerical_gradient(params, X, y, loss=loss, activation=activation)
    ours = independent_differences(params, X, y, loss, activation=activation)
    for name in params:
        np.testing.assert_allclose(numerical["d" + name], ours[name], rtol=1e-6, atol=1e-9, err_msg=name)
    assert nnlib.gradient_check(params, X, y, loss=loss, activation=activation) < nnlib.gradcheck.PASS_LINE
    errors = nnlib.gradient_errors(params, X, y, loss=loss, activation=activation)
    assert sorted(errors) == sorted(params)
    assert all(errors[name].relative.max() < nnlib.gradcheck.PASS_LINE for name in params)


def sigmoid_slope_backward(params, cache, y, loss="mse"):
    """A backward pass of tanh units that uses the sigmoid's derivative, a (1 - a), as if the units were sigmoids."""
    L = len(params) // 2 - 1
    A = [cache["X"]] + [cache[f"A{l}"] for l in range(1, L + 2)]
    dZ = LOSSES[loss].output_error(A[L + 1], y)
    grads = {}
    for l in range(L + 1, 0, -1):
        grads[f"dW{l}"] = A[l - 1].T @ dZ
        grads[f"db{l}"] = dZ.sum(axis=0, keepdims=True)
        if l > 1:
            dZ = (dZ @ params[f"W{l}"].T) * A[l - 1] * (1 - A[l - 1])  # the slip: tanh's is 1 - a^2
    return grads


def test_the_gradient_map_lights_the_layers_below_the_wrong_derivative_and_not_the_output_layer():
    params, X, y = random_network([4, 3], seed=2)
    errors = nnlib.gradient_errors(params, X, y, loss="bce", backward=sigmoid_slope_backward, activation="tanh")
    assert errors["W3"].relative.max() < nnlib.gradcheck.PASS_LINE  # the output layer needs no derivative
    assert errors["W2"].relative.max() > 1e-3 and errors["W1"].relative.max() > 1e-3
    assert nnlib.gradient_check(params, X, y, loss="bce", backward=sigmoid_slope_backward,
                                activation="tanh") > 1e-3


# ---------------------------------------------------------------------------
# train and the sweep compute what a plain loop of forward and backward computes
# ---------------------------------------------------------------------------

def plain_deep_loop(X, y, widths, learning_rate, epochs, seed, loss, activation):
    """Gradient descent written with nnlib.forward and nnlib.backward, for any depth and activation."""
    output = LOSSES[loss].output.name
    params = nnlib.init_params(X.shape[1], widths, y.shape[1], seed, activation=activation)
    losses = []
    for _ in range(epochs):
        A, cache = nnlib.forward(params, X, activation=activation, output=output)
        losses.append(LOSSES[loss].value(A, y, A - y))
        grads = nnlib.backward(params, cache, y, loss=loss, activation=activation)
        params = {name: value - learning_rate * grads["d" + name] for name, value in params.items()}
    return params, np.array(losses)


MOONS_X, MOONS_Y = nnlib.moons(60, seed=3)
MOONS3_X, MOONS3_Y = nnlib.moons(60, seed=3, classes=3)
DEEP_CASES = [([5, 4], "bce", 0.5), ([4, 3, 3], "mse", 2.0), ([6, 5], "cce", 0.5)]


@pytest.mark.parametrize("widths,loss,rate", DEEP_CASES)
@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
def test_train_at_depth_equals_the_plain_loop(widths, loss, rate, activation):
    X, y = (MOONS3_X, MOONS3_Y) if loss == "cce" else (MOONS_X, MOONS_Y)
    params, losses = plain_deep_loop(X, y, widths, rate, 150, 7, loss, activation)
    result = nnlib.train(X, y, hidden_size=widths, learning_rate=rate, epochs=150, seed=7, loss=loss,
                         activation=activation)
    np.testing.assert_allclose(result.losses, losses, rtol=0, atol=1e-12)
    assert losses[-1] < losses[0] - 1e-3, "the network did not learn: a comparison of two standstills"
    assert sorted(result.params) == sorted(params)
    for name in params:
        np.testing.assert_allclose(result.params[name], params[name], rtol=0, atol=1e-12, err_msg=name)
    assert (result.activation, result.output) == (activation, LOSSES[loss].output.name)


RATES = [0.05, 0.5, 3.0]


@pytest.mark.parametrize("widths,loss", [([5, 4], "bce"), ([4, 3, 3], "cce"), ([3, 4, 5], "mse")])
@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
def test_the_sweep_at_depth_equals_separate_train_runs(widths, loss, activation):
    X, y = (MOONS3_X, MOONS3_Y) if loss == "cce" else (MOONS_X, MOONS_Y)
    swept = train_many(X, y, RATES, hidden_size=widths, epochs=120, seed=5, loss=loss, activation=activation)
    run = SweepRun(X, y, RATES, hidden_size=widths, seed=5, loss=loss, activation=activation)
    chunked = np.hstack([run.train(50), run.train(70)])
    assert np.array_equal(chunked, swept)
    for k, rate in enumerate(RATES):
        alone = nnlib.train(X, y, hidden_size=widths, learning_rate=rate, epochs=120, seed=5, loss=loss,
                            activation=activation)
        np.testing.assert_allclose(swept[k], alone.losses, rtol=0, atol=1e-12, err_msg=f"rate {rate}")
        params = run.params(k)
        assert sorted(params) == sorted(alone.params)
        for name in params:
            np.testing.assert_allclose(params[name], alone.params[name], rtol=0, atol=1e-12,
                                       err_msg=f"rate {rate}: {name}")


@pytest.mark.parametrize("widths", WIDTHS, ids=lambda widths: "x".join(map(str, widths)))
def test_sweep_params_have_every_layers_shape_and_start_where_train_starts(widths):
    run = SweepRun(MOONS_X, MOONS_Y, [0.1, 1.0], hidden_size=widths, activation="relu", init="he")
    start = nnlib.init_params(2, widths, 2, activation="relu", init="he")
    for k in range(2):
        params = run.params(k)
        assert list(params) == list(start)
        for name in start:
            assert np.array_equal(params[name], start[name]), name


def test_sweep_params_with_a_depth_taken_from_the_params_given():
    start = nnlib.init_params(2, [3, 4, 2], 2, seed=9, activation="tanh")
    run = SweepRun(MOONS_X, MOONS_Y, [0.2, 2.0], params=start, activation="tanh")
    run.train(40)
    for k, rate in enumerate([0.2, 2.0]):
        alone = nnlib.train(MOONS_X, MOONS_Y, learning_rate=rate, epochs=40, params=start, activation="tanh")
        for name in start:
            np.testing.assert_allclose(run.params(k)[name], alone.params[name], rtol=0, atol=1e-12)


# Networks whose weights grow past 1e100 (the limit of `params=`): inputs of 1e100 carry
# them there in an epoch or two at a large rate (tests/test_training.py).
HUGE_X = [[0.0], [1e100]]
ZERO = {"W1": np.zeros((1, 4)), "b1": np.zeros((1, 4)), "W2": np.zeros((4, 1)), "b2": np.zeros((1, 1))}
ONES_DEEP = {name: np.ones(value.shape) for name, value in nnlib.init_params(2, [3, 3], 1).items()}
DIVERGING = {
    "sigmoid, one hidden layer": (HUGE_X, [[0.0], [0.5]], ZERO, 100.0, "sigmoid", 2),
    "ReLU, two hidden layers": ([[1e100, 1e100], [0.0, 1e100]], [[1.0], [0.0]], ONES_DEEP, 1.0, "relu", 3),
}


@pytest.mark.parametrize("case", sorted(DIVERGING))
def test_a_diverged_network_of_the_sweep_is_refused_as_train_refuses_it(case):
    X, y, start, rate, activation, epochs = DIVERGING[case]
    with pytest.raises(ValueError) as trained:
        nnlib.train(X, y, learning_rate=rate, epochs=epochs, loss="bce", params=start, activation=activation)
    run = SweepRun(X, y, [rate, 1e-200], loss="bce", params=start, activation=activation)
    run.train(epochs)
    with pytest.raises(ValueError) as swept:
        run.params(0)
    assert str(swept.value) == str(trained.value)
    assert f"training diverged: after {epochs} epochs at learning_rate {rate:g} the weights grew" in str(swept.value)
    kept = run.params(1)  # the network at the tiny rate did not diverge: it is train's
    alone = nnlib.train(X, y, learning_rate=1e-200, epochs=epochs, loss="bce", params=start, activation=activation)
    for name in start:
        np.testing.assert_array_equal(kept[name], alone.params[name])


# ---------------------------------------------------------------------------
# The starting weights
# ---------------------------------------------------------------------------

def test_uniform_init_draws_rand_minus_a_half_layer_by_layer_in_order():
    params = nnlib.init_params(3, [5, 4], 2, seed=11, init="uniform")
    rng = np.random.RandomState(11)
    for name, shape in [("W1", (3, 5)), ("b1", (1, 5)), ("W2", (5, 4)), ("b2", (1, 4)),
                        ("W3", (4, 2)), ("b3", (1, 2))]:
        assert np.array_equal(params[name], rng.rand(*shape) - 0.5), name


def test_uniform_init_statistics():
    W = nnlib.init_params(400, 600, 1, seed=0, init="uniform")["W1"]
    assert -0.5 <= W.min() < -0.499 and 0.499 < W.max() < 0.5
    assert abs(W.mean()) < 0.005
    assert W.var() == pytest.approx(1 / 12, rel=0.02)  # the variance of a uniform draw on [-0.5, 0.5)


@pytest.mark.parametrize("fan_in,fan_out", [(400, 600), (900, 100)])
def test_xavier_init_is_uniform_within_the_documented_bound(fan_in, fan_out):
    params = nnlib.init_params(fan_in, fan_out, 3, seed=1, init="xavier")
    W, bound = params["W1"], np.sqrt(6 / (fan_in + fan_out))  # the docstring's r
    assert np.abs(W).max() <= bound and np.abs(W).max() > 0.99 * bound
    assert W.var() == pytest.approx(2 / (fan_in + fan_out), rel=0.03)
    assert np.mean(np.abs(W) < bound / 2) == pytest.approx(0.5, abs=0.01)  # uniform: half lie within r / 2
    assert not params["b1"].any() and not params["b2"].any()
    assert params["W2"].var() == pytest.approx(2 / (fan_out + 3), rel=0.3)  # W2 by its own fans


@pytest.mark.parametrize("fan_in,fan_out", [(400, 600), (100, 900)])
def test_he_init_is_normal_with_the_documented_variance(fan_in, fan_out):
    params = nnlib.init_params(fan_in, [fan_out, 300], 3, seed=2, init="he")
    W = params["W1"]
    assert abs(W.mean()) < 0.01 * np.sqrt(2 / fan_in)
    assert W.std() == pytest.approx(np.sqrt(2 / fan_in), rel=0.02)
    assert np.mean(np.abs(W) < W.std()) == pytest.approx(0.6827, abs=0.01)  # normal: 68 % within one std
    assert params["W2"].std() == pytest.approx(np.sqrt(2 / fan_out), rel=0.02)  # each layer by its own inputs
    assert not any(params[f"b{l}"].any() for l in (1, 2, 3))


def test_each_activation_starts_a_deeper_network_from_the_init_its_docstring_names():
    documented = {"sigmoid": "xavier", "tanh": "xavier", "relu": "he", "leaky_relu": "he"}
    assert {name: activation.init for name, activation in ACTIVATIONS.items()} == documented
    for activation, init in documented.items():
        default = nnlib.init_params(3, [8, 8], 2, seed=4, activation=activation)
        named = nnlib.init_params(3, [8, 8], 2, seed=4, init=init)
        for name in named:
            assert np.array_equal(default[name], named[name]), (activation, name)
        deep = nnlib.train(MOONS_X, MOONS_Y, hidden_size=[8, 8], epochs=1, seed=4, activation=activation)
        shallow_start = nnlib.init_params(2, [8, 8], 2, seed=4, init=init)
        again = nnlib.train(MOONS_X, MOONS_Y, epochs=1, params=shallow_start, activation=activation)
        assert np.array_equal(deep.losses, again.losses), activation


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
def test_one_hidden_layer_starts_from_the_tutorials_draw_whatever_the_activation(activation):
    default = nnlib.init_params(3, 4, 2, seed=42, activation=activation)
    tutorial = nnlib.init_params(3, 4, 2, seed=42)
    rng = np.random.RandomState(42)
    for name in ("W1", "b1", "W2", "b2"):
        assert np.array_equal(default[name], tutorial[name])
        assert np.array_equal(tutorial[name], rng.rand(*tutorial[name].shape) - 0.5), name


def test_a_list_of_one_width_is_the_tutorials_network():
    one = nnlib.init_params(3, [4], 2)
    assert list(one) == ["W1", "b1", "W2", "b2"]
    for name, value in nnlib.init_params(3, 4, 2).items():
        assert np.array_equal(one[name], value)


# ---------------------------------------------------------------------------
# The softmax and the categorical cross-entropy
# ---------------------------------------------------------------------------

def test_softmax_rows_are_probabilities_and_match_the_formula():
    z = np.random.RandomState(0).normal(0.0, 3.0, size=(50, 4))
    s = nnlib.softmax(z)
    assert s.shape == (50, 4) and (s > 0).all()
    np.testing.assert_allclose(s.sum(axis=1), 1.0, rtol=0, atol=1e-15)
    np.testing.assert_allclose(s, np.exp(z) / np.exp(z).sum(axis=1, keepdims=True), rtol=1e-14)
    np.testing.assert_allclose(nnlib.softmax(z + 100.0), s, rtol=1e-12)  # the shift changes nothing


def test_softmax_of_large_numbers_neither_overflows_nor_warns():
    s = nnlib.softmax([[1000.0, 0.0, -1000.0], [1000.0, 1000.0, 999.0]])
    assert np.isfinite(s).all()
    np.testing.assert_array_equal(s[0], [1.0, 0.0, 0.0])
    e = np.exp(-1.0)
    np.testing.assert_allclose(s[1], [1 / (2 + e), 1 / (2 + e), e / (2 + e)], rtol=1e-15)


def test_cce_loss_is_minus_the_mean_log_probability_of_the_right_class_over_N_M():
    A = nnlib.softmax(np.random.RandomState(1).normal(size=(5, 3)))
    y = nnlib.one_hot([0, 1, 2, 2, 1], 3)
    right = A[np.arange(5), [0, 1, 2, 2, 1]]
    assert nnlib.cce_loss(A, y) == pytest.approx(-np.log(right).sum() / (5 * 3), rel=1e-14)
    assert LOSSES["cce"].value(A, y, A - y) == pytest.approx(nnlib.cce_loss(A, y), rel=1e-15)


def test_a_network_trained_with_cce_separates_three_moons():
    X, y = nnlib.moons(150, seed=0, classes=3)
    result = nnlib.train(X, y, hidden_size=[16, 16], learning_rate=1.0, epochs=2000, loss="cce",
                         activation="tanh")
    outputs = nnlib.predict(result.params, X, result.activation, result.output)  # softmax outputs
    np.testing.assert_allclose(outputs.sum(axis=1), 1.0, rtol=0, atol=1e-12)
    assert nnlib.accuracy(outputs, y) > 0.9
