"""backward is the exact gradient; the seed's original backward is not."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import nnlib
from tests.helpers import independent_differences, only_bug_a


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
    # conftest turns warnings into errors: an overflow warning would fail here
    z = np.array([-1.7e308, -1e4, -1000.0, -40.0, 0.0, 40.0, 1000.0, 1e4, 1.7e308])
    a = nnlib.sigmoid(z)
    assert a[0] == a[1] == 0.0 and a[-2] == a[-1] == 1.0 and a[4] == 0.5
    assert np.all(np.diff(a) >= 0)
    moderate = np.linspace(-30, 30, 601)
    # 0.5 tanh(z / 2) + 0.5 equals the textbook formula to about 1e-16, in absolute terms
    np.testing.assert_allclose(nnlib.sigmoid(moderate), 1 / (1 + np.exp(-moderate)), rtol=0, atol=1e-15)
    assert np.all(np.diff(nnlib.sigmoid(np.linspace(-50, 50, 100_001))) >= 0)


def test_sigmoid_derivative_matches_finite_difference():
    z = np.linspace(-6, 6, 25)
    h = 1e-6
    numeric = (nnlib.sigmoid(z + h) - nnlib.sigmoid(z - h)) / (2 * h)
    np.testing.assert_allclose(nnlib.sigmoid_derivative(nnlib.sigmoid(z)), numeric, atol=1e-9)


# ---------------------------------------------------------------------------
# gradient_check with the backward passes students write
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
# One home per loss
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(nnlib.losses.LOSSES))
def test_each_loss_agrees_with_itself(name):
    """value, output_error, step_constant and apply_factor describe one loss."""
    loss = nnlib.losses.LOSSES[name]
    rng = np.random.default_rng(4)
    A2 = rng.uniform(0.01, 0.99, size=(5, 3))  # (5, 3)
    y = rng.uniform(size=(5, 3))  # (5, 3)
    if loss.rows_sum_to_one:  # softmax outputs and targets: probabilities over the 3 classes
        A2, y = A2 / A2.sum(axis=1, keepdims=True), y / y.sum(axis=1, keepdims=True)
    error = A2 - y
    assert loss.name == name and loss.display_name
    public = {"mse": nnlib.mse_loss, "bce": nnlib.bce_loss, "cce": nnlib.cce_loss}[name]  # a new loss adds its own here
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


def test_a_new_loss_is_in_the_dashboards_menu_by_its_display_name_and_trains_there(monkeypatch):
    pytest.importorskip("ipywidgets", reason="the NumPy 1.26 run (test_numpy_126.py) installs no widgets")
    from nnlib.course.dashboard import Dashboard

    half = nnlib.losses.Loss("half", "half squared error", half_mse, half_mse_output_error, 1.0,
                             nnlib.losses.mse_factor)
    monkeypatch.setitem(nnlib.losses.LOSSES, "half", half)
    board = Dashboard(epochs=200)
    menu = board.controls["loss"]
    assert dict(menu.options) == {"mean squared error": "mse", "cross-entropy": "bce",
                                  "categorical cross-entropy": "cce", "half squared error": "half"}
    menu.value = "half"  # outside an event loop the run trains to its end before this returns
    expected = nnlib.train(*nnlib.seed_data(), epochs=200, loss="half").losses
    np.testing.assert_array_equal(board.run.losses, expected)
    assert board.panels.panel("loss").ax.get_title() == "Loss (half squared error) during training"


# ---------------------------------------------------------------------------
# The error of every entry
# ---------------------------------------------------------------------------

def slightly_wrong_db1(params, cache, y, loss="mse"):
    grads = nnlib.backward(params, cache, y, loss=loss)
    grads["db1"] = grads["db1"] * 1.01
    return grads


ENTRY_CASES = [  # (backward, loss, N, D, H, M): the seed's pass only where it runs, H = N
    (nnlib.original.backward, "mse", 4, 3, 4, 2),
    (only_bug_a, "mse", 4, 3, 4, 2),
    (nnlib.backward, "mse", 4, 3, 4, 2),
    (nnlib.backward, "bce", 6, 2, 3, 3),
    (slightly_wrong_db1, "bce", 5, 3, 7, 1),
    (three_argument_backward, "mse", 3, 4, 2, 2),
]


@pytest.mark.parametrize("backward,loss,N,D,H,M", ENTRY_CASES,
                         ids=[f"{case[0].__name__}-{case[1]}-H{case[4]}" for case in ENTRY_CASES])
def test_gradient_errors_match_finite_differences_computed_here(backward, loss, N, D, H, M):
    rng = np.random.default_rng(N * 100 + H)
    params = nnlib.init_params(D, H, M, seed=H)
    X, y = (nnlib.seed_data() if (N, D, M) == (4, 3, 2) else (rng.normal(size=(N, D)), rng.uniform(size=(N, M))))
    errors = nnlib.gradient_errors(params, X, y, loss=loss, backward=backward)
    assert list(errors) == ["W1", "b1", "W2", "b2"]
    ours = independent_differences(params, X, y, loss)
    takes_loss = backward in (nnlib.backward, slightly_wrong_db1)
    returned = backward(params, nnlib.forward(params, X)[1], y, **({"loss": loss} if takes_loss else {}))
    for name, error in errors.items():
        assert error.analytic.shape == error.numerical.shape == error.relative.shape == params[name].shape
        np.testing.assert_array_equal(error.analytic, returned["d" + name])
        np.testing.assert_allclose(error.numerical, ours[name], rtol=0, atol=1e-10)
        expected = np.abs(error.analytic - ours[name]) / np.maximum(np.abs(error.analytic) + np.abs(ours[name]), 1e-3)
        np.testing.assert_allclose(error.relative, expected, rtol=0, atol=1e-7)
        large = np.abs(ours[name]) >= 1e-9
        np.testing.assert_allclose(error.ratio[large], error.analytic[large] / ours[name][large], rtol=1e-5)
        assert np.all(np.isnan(error.ratio[~large]))


def test_gradient_check_is_the_largest_entry_error_of_gradient_errors():
    """One judgement: the number gradient_check gives is the brightest entry of the map."""
    for backward in (nnlib.original.backward, only_bug_a, nnlib.backward):
        errors = nnlib.gradient_errors(START, X_SEED, Y_SEED, backward=backward)
        assert nnlib.gradient_check(START, X_SEED, Y_SEED, backward=backward) == max(
            error.relative.max() for error in errors.values())


@pytest.mark.parametrize("rate", [200.0, 1000.0])
def test_gradient_check_passes_the_exact_backward_of_a_saturated_network(rate):
    """Trained at a huge rate every sigmoid sits at 0 or 1 and every gradient is about 1e-11: so small that
    the finite differences are mostly rounding. The exact backward pass still passes, as it does on the map."""
    params = nnlib.train(X_SEED, Y_SEED, learning_rate=rate, epochs=2000).params
    errors = nnlib.gradient_errors(params, X_SEED, Y_SEED)
    assert max(np.abs(error.analytic).max() for error in errors.values()) < 1e-6  # saturated: tiny gradients
    assert nnlib.gradient_check(params, X_SEED, Y_SEED) < 1e-7
    assert nnlib.gradient_check(params, X_SEED, Y_SEED, backward=nnlib.original.backward) > 0.1  # still a judge


def test_gradient_check_and_the_map_agree_on_every_course_problem():
    for name, loss, params, X, y in course_problems():
        for backward in (nnlib.backward, only_bug_a):
            if backward is only_bug_a and (loss != "mse" or params["W1"].shape[1] != len(X)):
                continue  # bug (a) runs only where H = N, on the MSE
            errors = nnlib.gradient_errors(params, X, y, loss=loss, backward=backward)
            brightest = max(error.relative.max() for error in errors.values())
            assert nnlib.gradient_check(params, X, y, loss=loss, backward=backward) == brightest, name
            assert (brightest < 1e-7) == (backward is nnlib.backward), (name, loss, brightest)


def test_a_numerical_gradient_that_would_take_hours_is_refused_at_once():
    """9,602 weights on 6,000 samples: 19,204 forward passes of 6,000 samples each. Refused before the first."""
    import time

    params = nnlib.init_params(3, 1600, 2)  # 9,602 entries, under the 10,000 the entry count allows
    X = np.random.default_rng(0).uniform(size=(6000, 3))
    y = np.eye(2)[np.arange(6000) % 2]
    for run in (lambda: nnlib.gradient_check(params, X, y), lambda: nnlib.gradient_errors(params, X, y),
                lambda: nnlib.numerical_gradient(params, X, y)):
        start = time.perf_counter()
        with pytest.raises(ValueError) as refused:
            run()
        assert time.perf_counter() - start < 5  # refused, not attempted
        message = str(refused.value)
        for words in ("9_602 parameter entries", "6_000 samples", "19_204 forward passes", "1.1e+12",
                      "X[:10]", "smaller network"):
            assert words in message, message
    few = nnlib.gradient_check(params, X[:2], y[:2])  # the same network on two samples: allowed
    assert few < 1e-7


def test_the_work_a_numerical_gradient_takes_counts_samples_and_every_layer():
    params = nnlib.init_params(3, 4, 2)
    assert nnlib.gradcheck.work(params, X_SEED) == 2 * 26 * 4 * (3 * 4 + 4 * 2 + 4 + 2)
    assert nnlib.gradcheck.work(params, np.zeros((8, 3))) == 2 * nnlib.gradcheck.work(params, X_SEED)


def test_where_the_seeds_pass_goes_wrong():
    """Every entry: about 16 times too long in W1, b1 and b2, 4 times in W2 (notebook 06's map)."""
    errors = nnlib.gradient_errors(START, X_SEED, Y_SEED, backward=nnlib.original.backward)
    for name in ("W1", "b1", "b2"):
        assert np.all((15.5 < errors[name].ratio) & (errors[name].ratio < 17.6)), name
        assert np.all(errors[name].relative > 0.75), name  # 15/17 = 0.88, less where both are below the floor
    assert np.all((3.95 < errors["W2"].ratio) & (errors["W2"].ratio < 4.05))
    assert np.all((0.59 < errors["W2"].relative) & (errors["W2"].relative < 0.62))


def test_bug_a_alone_lights_up_exactly_W2():
    errors = nnlib.gradient_errors(START, X_SEED, Y_SEED, backward=only_bug_a)
    for name in ("W1", "b1", "b2"):
        assert errors[name].relative.max() < 1e-8, name
    A2 = nnlib.forward(START, X_SEED)[0]
    np.testing.assert_allclose(errors["W2"].ratio, A2 * (1 - A2), rtol=1e-6)  # the stray factor, row h from sample h
    assert np.all(errors["W2"].relative > 0.59)


def course_problems():
    """Every dataset the course trains on, at several hidden sizes, at the start and after training."""
    for name, (X, y) in {"seed": nnlib.seed_data(), "xor": nnlib.xor_data(), "moons": nnlib.moons(),
                         "spirals": nnlib.spirals()}.items():
        for hidden_size in (2, 4, 5, 8, 16):
            for loss in ("mse", "bce"):
                yield name, loss, nnlib.init_params(X.shape[1], hidden_size, y.shape[1], seed=hidden_size), X, y
                trained = nnlib.train(X, y, hidden_size=hidden_size, learning_rate=2.0, epochs=2000, loss=loss,
                                      seed=hidden_size)
                yield name + " trained", loss, trained.params, X, y


def test_a_right_backward_lights_no_entry_on_the_course_problems():
    """The floor: finite differences err by about 1e-11; no right entry comes near the pass line 1e-7."""
    worst = 0.0
    for name, loss, params, X, y in course_problems():
        errors = nnlib.gradient_errors(params, X, y, loss=loss)
        worst = max(worst, max(error.relative.max() for error in errors.values()))
    assert worst < 3e-8, worst


@given(N=st.integers(1, 8), D=st.integers(1, 5), H=st.integers(1, 8), M=st.integers(1, 4),
       loss=st.sampled_from(["mse", "bce"]), seed=st.integers(0, 2**32 - 1))
def test_a_right_backward_lights_no_entry_at_the_starting_weights(N, D, H, M, loss, seed):
    rng = np.random.default_rng(seed)
    errors = nnlib.gradient_errors(nnlib.init_params(D, H, M, seed=seed), rng.normal(size=(N, D)),
                                   rng.uniform(size=(N, M)), loss=loss)
    assert max(error.relative.max() for error in errors.values()) < 5e-8


@given(N=st.integers(1, 6), D=st.integers(1, 5), H=st.integers(1, 7), M=st.integers(1, 4),
       loss=st.sampled_from(["mse", "bce"]), seed=st.integers(0, 2**32 - 1))
def test_a_right_backward_stays_below_1e_6_with_large_random_weights(N, D, H, M, loss, seed):
    """Weights of size 1 and losses of several units make finite differences err by up to 1e-10:
    still below gradient_check's documented 1e-6."""
    params, X, y = random_problem(np.random.default_rng(seed), N, D, H, M)
    errors = nnlib.gradient_errors(params, X, y, loss=loss)
    assert max(error.relative.max() for error in errors.values()) < 1e-6


def test_without_the_floor_rounding_noise_would_light_up_a_right_entry():
    """A saturated hidden unit's gradients are tiny, and a finite difference there is all rounding."""
    for bias in (14.0, 30.0, 34.0):
        params = {key: value.copy() for key, value in START.items()}
        params["b1"][0, 0] = bias  # hidden unit 0 saturates: its slope A1 (1 - A1) is about e^-bias
        errors = nnlib.gradient_errors(params, X_SEED, Y_SEED)
        a, n = errors["b1"].analytic[0, 0], errors["b1"].numerical[0, 0]  # a: about 6e-9, 7e-16, 1e-17
        # A step of h = 1e-5 moves A1 by less than its rounding from 30 on: n is 0 or one rounding step.
        assert abs(a - n) / (abs(a) + abs(n)) > 1e-6  # the plain relative error is above the pass line 1e-7
        assert max(error.relative.max() for error in errors.values()) < 1e-8  # the floor keeps it dark


def test_relative_error_per_entry():
    per_entry = nnlib.gradcheck.relative_error_per_entry
    assert per_entry([1.0, 2.0], [1.0, 2.0]).tolist() == [0.0, 0.0]
    assert per_entry([[0.5, -0.5]], [[-0.5, 0.5]]).tolist() == [[1.0, 1.0]]  # opposite
    np.testing.assert_allclose(per_entry([16.0, 0.25], [1.0, 1.0]), [15 / 17, 0.75 / 1.25])
    np.testing.assert_allclose(per_entry([2e-6, 0.0], [1e-6, 0.0]), [1e-3, 0.0])  # below the floor: |a - b| / 1e-3
    assert per_entry([1e308, -1e308], [-1e308, -1e308]).tolist() == [1.0, 0.0]  # no overflow
    with pytest.raises(ValueError, match=r"a and b must have the same shape; got a \(2,\) and b \(3,\)"):
        per_entry([1.0, 2.0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"b must hold finite numbers; b\[1\] is nan"):
        per_entry([1.0, 2.0], [1.0, np.nan])


def test_gradient_errors_never_changes_the_callers_params():
    params = nnlib.init_params(3, 4, 2)
    before = {key: value.copy() for key, value in params.items()}

    def meddling(params, cache, y):
        grads = nnlib.backward(params, cache, y)
        for key in params:
            params[key] -= 0.1 * grads["d" + key]
        return grads

    nnlib.gradient_errors(params, X_SEED, Y_SEED, backward=meddling)
    for key in params:
        assert np.array_equal(params[key], before[key]), key


@pytest.mark.parametrize("returned,error,message", [
    (None, TypeError, r"backward \(my_backward\) must return a dict"),
    (grads_with(dW2=np.zeros((2, 4))), ValueError,
     r"returned dW2 of shape \(2, 4\); the parameter W2 has shape \(4, 2\)"),
])
def test_gradient_errors_names_what_a_backward_returned_wrong(returned, error, message):
    def my_backward(params, cache, y):
        return returned

    with pytest.raises(error, match=message):
        nnlib.gradient_errors(START, X_SEED, Y_SEED, backward=my_backward)
