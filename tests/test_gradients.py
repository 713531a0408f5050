"""backward is the exact gradient; the seed's original backward is not."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import nnlib


def random_problem(rng, N, D, H, M, scale=1.0):
    X = rng.normal(size=(N, D))
    y = rng.uniform(size=(N, M))
    params = {
        "W1": rng.normal(scale=scale, size=(D, H)),
        "b1": rng.normal(scale=scale, size=(1, H)),
        "W2": rng.normal(scale=scale, size=(H, M)),
        "b2": rng.normal(scale=scale, size=(1, M)),
    }
    return params, X, y


@given(
    N=st.integers(1, 6), D=st.integers(1, 5), H=st.integers(1, 7), M=st.integers(1, 4),
    loss=st.sampled_from(["mse", "bce"]), seed=st.integers(0, 2**32 - 1),
)
def test_backward_matches_finite_differences(N, D, H, M, loss, seed):
    params, X, y = random_problem(np.random.default_rng(seed), N, D, H, M)
    assert nnlib.gradient_check(params, X, y, loss=loss) < 1e-6


@pytest.mark.parametrize("loss", ["mse", "bce"])
def test_backward_at_the_seed_start(loss):
    X, y = nnlib.seed_data()
    assert nnlib.gradient_check(nnlib.init_params(3, 4, 2), X, y, loss=loss) < 1e-7


def test_backward_returns_parameter_shapes():
    params, X, y = random_problem(np.random.default_rng(1), 5, 3, 6, 2)
    _, cache = nnlib.forward(params, X)
    grads = nnlib.backward(params, cache, y)
    for key in params:
        assert grads["d" + key].shape == params[key].shape


def test_original_backward_fails_the_gradient_check():
    X, y = nnlib.seed_data()
    error = nnlib.gradient_check(nnlib.init_params(3, 4, 2), X, y,
                                 backward=nnlib.original.backward)
    assert error > 0.1


def test_original_dW2_is_about_four_times_the_true_gradient():
    X, y = nnlib.seed_data()
    params = nnlib.init_params(3, 4, 2)
    _, cache = nnlib.forward(params, X)
    wrong = nnlib.original.backward(params, cache, y)["dW2"]
    right = nnlib.numerical_gradient(params, X, y)["dW2"]
    ratio = np.linalg.norm(wrong) / np.linalg.norm(right)
    assert 3.5 < ratio < 4.5


def test_original_backward_crashes_with_hidden_size_five():
    """A documented fact of the seed: dW2's element-wise product needs H == N."""
    X, y = nnlib.seed_data()
    params = nnlib.init_params(3, 5, 2)
    _, cache = nnlib.original.forward(params, X)
    with pytest.raises(ValueError, match=r"broadcast.*\(5,2\).*\(4,2\)"):
        nnlib.original.backward(params, cache, y)


def test_gradient_check_catches_a_small_error():
    X, y = nnlib.seed_data()

    def slightly_wrong(params, cache, y, loss="mse"):
        grads = nnlib.backward(params, cache, y, loss)
        grads["db1"] = grads["db1"] * 1.01
        return grads

    assert nnlib.gradient_check(nnlib.init_params(3, 4, 2), X, y,
                                backward=slightly_wrong) > 1e-3


def test_mse_and_bce_values():
    A2 = np.array([[0.2, 0.9]])
    y = np.array([[0.0, 1.0]])
    assert nnlib.mse_loss(A2, y) == pytest.approx((0.04 + 0.01) / 2)
    assert nnlib.bce_loss(A2, y) == pytest.approx(-(np.log(0.8) + np.log(0.9)) / 2)


def test_bce_is_finite_when_outputs_saturate():
    loss = nnlib.bce_loss([[0.0, 1.0]], [[1.0, 0.0]])
    assert np.isfinite(loss) and loss > 30


def test_sigmoid_is_stable_and_silent():
    z = np.array([-1e4, -1000.0, -40.0, 0.0, 40.0, 1000.0, 1e4])
    a = nnlib.sigmoid(z)
    assert a[0] == 0.0 and a[-1] == 1.0 and a[3] == 0.5
    assert np.all(np.diff(a) >= 0)
    moderate = np.linspace(-30, 30, 101)
    np.testing.assert_allclose(nnlib.sigmoid(moderate), 1 / (1 + np.exp(-moderate)), rtol=1e-14)


def test_sigmoid_derivative_matches_finite_difference():
    z = np.linspace(-6, 6, 25)
    h = 1e-6
    numeric = (nnlib.sigmoid(z + h) - nnlib.sigmoid(z - h)) / (2 * h)
    np.testing.assert_allclose(nnlib.sigmoid_derivative(nnlib.sigmoid(z)), numeric, atol=1e-9)


# ---------------------------------------------------------------------------
# gradient_check with the backward passes students write (issue 10, item 14)
# ---------------------------------------------------------------------------

X_SEED, Y_SEED = nnlib.seed_data()
START = nnlib.init_params(3, 4, 2)


def three_argument_backward(params, cache, y):
    """The MSE backward pass as notebook 06 asks students to write it."""
    N, M = y.shape
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = 2 * (A2 - y) / (N * M) * A2 * (1 - A2)
    dZ1 = dZ2 @ params["W2"].T * A1 * (1 - A1)
    return {"dW2": A1.T @ dZ2, "db2": dZ2.sum(axis=0, keepdims=True),
            "dW1": cache["X"].T @ dZ1, "db1": dZ1.sum(axis=0, keepdims=True)}


def test_gradient_check_accepts_a_three_argument_backward():
    assert nnlib.gradient_check(START, X_SEED, Y_SEED, backward=three_argument_backward) < 1e-7
    # asked about the cross-entropy, an MSE backward pass is rightly called wrong
    assert nnlib.gradient_check(START, X_SEED, Y_SEED, loss="bce", backward=three_argument_backward) > 0.1


def test_gradient_check_tells_a_backward_with_keywords_the_loss():
    def any_keywords(params, cache, y, **options):
        return nnlib.backward(params, cache, y, loss=options["loss"])

    assert nnlib.gradient_check(START, X_SEED, Y_SEED, loss="bce", backward=any_keywords) < 1e-7


def grads_with(**changes):
    grads = nnlib.backward(START, nnlib.forward(START, X_SEED)[1], Y_SEED)
    grads.update(changes)
    return {key: value for key, value in grads.items() if value is not None}


@pytest.mark.parametrize("returned,error,message", [
    (None, TypeError, r"backward \(my_backward\) must return a dict with dW1, db1, dW2, db2; it returned None"),
    ([1, 2], TypeError, r"backward \(my_backward\) must return a dict .* it returned \[1, 2\] \(a list\)"),
    (grads_with(dW1=None), ValueError, r"backward \(my_backward\) returned a dict without dW1"),
    ({}, ValueError, r"returned a dict without dW1, db1, dW2, db2"),
    (grads_with(dW2=np.zeros((2, 4))), ValueError, r"backward \(my_backward\) returned dW2 of shape \(2, 4\); the parameter W2 has shape \(4, 2\)"),
    (grads_with(db1=np.zeros(4)), ValueError, r"backward \(my_backward\)'s db1 must be a 2-D array .* got shape \(4,\)"),
    (grads_with(dW1="zeros"), TypeError, r"backward \(my_backward\)'s dW1 must hold numbers; got 'zeros'"),
    (grads_with(db2=np.array([[np.nan, 0.0]])), ValueError, r"backward \(my_backward\)'s db2 must hold finite numbers; .*\[0, 0\] is nan"),
    (grads_with(dW1=np.ones((3, 4)) * 1j), TypeError, r"backward \(my_backward\)'s dW1 must hold real numbers"),
])
def test_gradient_check_names_what_a_backward_returned_wrong(returned, error, message):
    def my_backward(params, cache, y):
        return returned

    with pytest.raises(error, match=message):
        nnlib.gradient_check(START, X_SEED, Y_SEED, backward=my_backward)


@pytest.mark.parametrize("backward,message", [
    ("nnlib.backward", r"backward must be a function, called as backward\(params, cache, y\); got 'nnlib.backward'"),
    (lambda params, cache: None, r"backward is called as backward\(params, cache, y\), which <lambda> cannot take"),
])
def test_gradient_check_rejects_what_cannot_be_a_backward_pass(backward, message):
    with pytest.raises(TypeError, match=message):
        nnlib.gradient_check(START, X_SEED, Y_SEED, backward=backward)


def test_gradient_check_never_changes_the_callers_params():
    params = nnlib.init_params(3, 4, 2)
    before = {key: value.copy() for key, value in params.items()}

    def meddling(params, cache, y):  # updates its arguments in place, as a student might
        grads = nnlib.backward(params, cache, y)
        for key in params:
            params[key] -= 0.1 * grads["d" + key]
        return grads

    nnlib.gradient_check(params, X_SEED, Y_SEED, backward=meddling)
    nnlib.numerical_gradient(params, X_SEED, Y_SEED)
    for key in params:
        assert np.array_equal(params[key], before[key]), key


@pytest.mark.parametrize("stop_at_call", [1, 2, 7, 40])
def test_an_interrupted_gradient_check_leaves_the_params_as_they_were(monkeypatch, stop_at_call):
    """Ctrl-C during the finite differences: before, W1 was left off by h = 1e-5."""
    params = nnlib.init_params(3, 4, 2)
    before = {key: value.copy() for key, value in params.items()}
    calls = []

    def interrupted_forward(*args):
        calls.append(1)
        if len(calls) == stop_at_call:
            raise KeyboardInterrupt
        return nnlib.forward(*args)

    monkeypatch.setattr(nnlib.gradcheck, "forward", interrupted_forward)
    with pytest.raises(KeyboardInterrupt):
        nnlib.gradient_check(params, X_SEED, Y_SEED)
    for key in params:
        assert np.array_equal(params[key], before[key]), key


# ---------------------------------------------------------------------------
# One home per loss (issue 11, item 3)
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(nnlib.losses.LOSSES))
def test_each_loss_agrees_with_itself(name):
    """value, output_error, step_constant and apply_factor describe one loss."""
    loss = nnlib.losses.LOSSES[name]
    rng = np.random.default_rng(4)
    A2 = rng.uniform(0.01, 0.99, size=(5, 3))  # (5, 3)
    y = rng.uniform(size=(5, 3))  # (5, 3)
    error = A2 - y
    assert loss.name == name and loss.display_name
    public = {"mse": nnlib.mse_loss, "bce": nnlib.bce_loss}[name]  # a new loss adds its own here
    assert float(loss.value(A2, y, error)) == public(A2, y)
    scaled = error.copy()
    loss.apply_factor(scaled, A2, np.empty_like(A2))
    np.testing.assert_allclose(loss.step_constant / A2.size * scaled, loss.output_error(A2, y), rtol=1e-14)
    # a stack of K = 2 networks gives one value per network
    stack = np.stack([A2, A2[::-1]])  # (2, 5, 3)
    np.testing.assert_allclose(loss.value(stack, y, stack - y),
                               [loss.value(A2, y, A2 - y), loss.value(A2[::-1], y, A2[::-1] - y)], rtol=1e-14)


def half_mse(A2, y, error):
    """A loss the library has never seen: half the mean squared error."""
    return nnlib.losses.mse(A2, y, error) / 2


def half_mse_output_error(A2, y):
    return (A2 - y) * A2 * (1 - A2) / A2.size


def test_a_new_loss_needs_only_its_entry_in_LOSSES(monkeypatch):
    """train, backward, the gradient check and the sweep all read the loss from losses.py."""
    from nnlib.course.sweep import train_many

    half = nnlib.losses.Loss("half", "half squared error", half_mse, half_mse_output_error, 1.0,
                             nnlib.losses.mse_factor)
    monkeypatch.setitem(nnlib.losses.LOSSES, "half", half)
    X, y = nnlib.moons(30, seed=2)
    assert nnlib.gradient_check(nnlib.init_params(2, 5, 2), X, y, loss="half") < 1e-7
    # half the loss at twice the rate is the same descent as the MSE
    mse = nnlib.train(X, y, hidden_size=5, learning_rate=0.5, epochs=300, loss="mse")
    halved = nnlib.train(X, y, hidden_size=5, learning_rate=1.0, epochs=300, loss="half")
    np.testing.assert_allclose(halved.losses, mse.losses / 2, rtol=1e-12)
    assert halved.loss == "half"
    swept = train_many(X, y, [1.0, 2.0], hidden_size=5, epochs=300, loss="half")
    np.testing.assert_allclose(swept[0], halved.losses, rtol=1e-12)


def test_no_lesson_module_asks_which_loss_it_is():
    import inspect
    import re

    from nnlib.course import sweep

    for module in (nnlib.training, nnlib.network, nnlib.gradcheck, sweep):
        source = inspect.getsource(module)
        assert not re.search(r"""==\s*["'](mse|bce)["']""", source), module.__name__
        assert "cross_entropy" not in source and "EPS" not in source, module.__name__


def test_the_dashboard_reads_the_display_names_from_losses():
    pytest.importorskip("ipywidgets", reason="the NumPy 1.26 run (test_numpy_126.py) installs no widgets")
    from nnlib.course import dashboard

    assert dashboard.LOSS_NAMES == {"mean squared error": "mse", "cross-entropy": "bce"}
    assert set(dashboard.LOSS_NAMES.values()) == set(nnlib.losses.LOSSES)
