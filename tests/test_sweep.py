"""train_many trains K networks at once, each exactly as nnlib.train would."""

import numpy as np
import pytest

import nnlib
from nnlib.course.sweep import learning_rate_grid, train_many


@pytest.mark.parametrize("dataset,hidden_size,loss", [
    ("seed", 4, "mse"), ("seed", 5, "bce"), ("xor", 3, "bce"), ("moons", 7, "mse"),
])
def test_each_network_equals_nnlib_train(dataset, hidden_size, loss):
    X, y = nnlib.data.load(dataset)
    rates = np.array([0.01, 0.3, 1.0, 3.0])
    losses = train_many(X, y, rates, hidden_size=hidden_size, epochs=400, seed=3, loss=loss)
    assert losses.shape == (4, 400)
    for k, rate in enumerate(rates):
        alone = nnlib.train(X, y, hidden_size=hidden_size, learning_rate=rate, epochs=400, seed=3, loss=loss)
        np.testing.assert_allclose(losses[k], alone.losses, rtol=1e-12, atol=0)


@pytest.mark.parametrize("loss", ["mse", "bce"])
def test_the_dashboards_whole_grid_equals_nnlib_train(loss):
    """All 64 rates, the unstable large ones included, where rounding differences would grow."""
    X, y = nnlib.seed_data()
    rates = learning_rate_grid(1e-3, 1e2, 64)
    losses = train_many(X, y, rates, epochs=2000, loss=loss)  # (64, 2000)
    for k, rate in enumerate(rates):
        alone = nnlib.train(X, y, learning_rate=rate, epochs=2000, loss=loss)
        np.testing.assert_allclose(losses[k], alone.losses, rtol=1e-12, atol=0, err_msg=f"rate {rate}")


def test_grid_is_log_spaced():
    rates = learning_rate_grid(1e-3, 1e2, 64)
    assert rates.shape == (64,)
    assert rates[0] == pytest.approx(1e-3) and rates[-1] == pytest.approx(1e2)
    np.testing.assert_allclose(np.diff(np.log10(rates)), 5 / 63)


def test_extreme_rates_stay_finite():
    X, y = nnlib.spirals()
    losses = train_many(X, y, [1e-3, 1e2, 1e6], hidden_size=16, epochs=200, loss="bce")
    assert np.all(np.isfinite(losses))


@pytest.mark.parametrize("rates,error,message", [
    ([0.1, -1.0], ValueError, r"learning_rates\[1\] must be a finite number above 0 and at most 1e6; got -1.0"),
    ([0.1, float("nan")], ValueError, r"learning_rates\[1\] .* got nan"),
    ([0.1, "fast"], TypeError, r"learning_rates\[1\] must be a number; got 'fast'"),
    ([0.1, True], TypeError, r"learning_rates\[1\] must be a number; got True"),
    ([[0.1, 0.2]], ValueError, r"learning_rates must be a 1-D list of 1 to 1000 rates; got shape \(1, 2\)"),
    ([], ValueError, r"learning_rates must be a 1-D list of 1 to 1000 rates; got shape \(0,\)"),
])
def test_bad_rates_are_named(rates, error, message):
    X, y = nnlib.seed_data()
    with pytest.raises(error, match=message):
        train_many(X, y, rates, epochs=2)


def test_one_rate_may_be_given_alone():
    X, y = nnlib.seed_data()
    np.testing.assert_array_equal(train_many(X, y, 0.5, epochs=5), train_many(X, y, [0.5], epochs=5))


@pytest.mark.parametrize("low,high,count,message", [
    (0, 1.0, 3, r"low must be a finite number above 0"),
    (1.0, 0.1, 3, r"high must be a finite number at least 1 and at most 1e6; got 0.1"),
    (0.1, 1.0, 0, r"count must be at least 1; got 0"),
    (0.1, 1e7, 3, r"high .* at most 1e6; got 10000000.0"),
])
def test_grid_rejects_bad_ranges(low, high, count, message):
    with pytest.raises(ValueError, match=message):
        learning_rate_grid(low, high, count)
