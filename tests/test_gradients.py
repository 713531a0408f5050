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
