"""train_many trains K networks at once, each exactly as nnlib.train would."""

import dataclasses

import numpy as np
import pytest

import nnlib
from nnlib.course.sweep import SweepRun, learning_rate_grid, train_many


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


# ---------------------------------------------------------------------------
# SweepRun: the sweep in chunks, as the dashboard runs it
# ---------------------------------------------------------------------------

def whole_and_chunked(X, y, rates, chunks, **kwargs):
    whole = SweepRun(X, y, rates, **kwargs)
    whole_losses = whole.train(sum(chunks))
    run = SweepRun(X, y, rates, **kwargs)
    chunked_losses = np.hstack([run.train(epochs) for epochs in chunks])
    return whole, whole_losses, run, chunked_losses


@pytest.mark.parametrize("loss", ["mse", "bce"])
@pytest.mark.parametrize("dataset,hidden_size,count", [
    ("seed", 4, 64), ("seed", 5, 7), ("xor", 3, 16), ("moons", 8, 64), ("spirals", 16, 5), ("moons", 3, 1),
])
@pytest.mark.parametrize("chunks", [[1, 2, 3, 50, 144], [17] * 11 + [13], [200]])
def test_chunks_give_one_runs_numbers_to_the_last_bit(loss, dataset, hidden_size, count, chunks):
    X, y = nnlib.data.load(dataset)
    rates = learning_rate_grid(1e-3, 1e2, count)
    whole, whole_losses, run, chunked_losses = whole_and_chunked(
        X, y, rates, chunks, hidden_size=hidden_size, seed=5, loss=loss)
    assert chunked_losses.shape == (count, 200) and run.epochs_done == whole.epochs_done == 200
    assert np.array_equal(chunked_losses, whole_losses)
    for k in range(count):
        for key, value in whole.params(k).items():
            assert np.array_equal(run.params(k)[key], value), (k, key)
    assert np.array_equal(whole_losses, train_many(X, y, rates, hidden_size, 200, seed=5, loss=loss))


def test_chunks_agree_where_one_networks_outputs_are_many():
    """5000 samples: the losses are computed epoch by epoch there, never in blocks."""
    X, y = nnlib.moons(5000, seed=1)
    _, whole_losses, _, chunked_losses = whole_and_chunked(X, y, [0.5], [1, 4, 1, 2], hidden_size=3)
    assert np.array_equal(chunked_losses, whole_losses)


@pytest.mark.parametrize("loss", ["mse", "bce"])
@pytest.mark.parametrize("dataset,hidden_size", [("moons", 8), ("spirals", 16)])
def test_each_network_equals_nnlib_train_even_at_chaotic_rates(dataset, hidden_size, loss):
    """Rates up to 100: a rounding difference there would grow to whole percents within 300 epochs
    (it did, before the sweep computed each network's products as `train` does)."""
    X, y = nnlib.data.load(dataset)
    rates = learning_rate_grid(1e-3, 1e2, 12)
    run = SweepRun(X, y, rates, hidden_size=hidden_size, loss=loss)
    losses = run.train(300)
    for k, rate in enumerate(rates):
        alone = nnlib.train(X, y, hidden_size=hidden_size, learning_rate=rate, epochs=300, loss=loss)
        np.testing.assert_allclose(losses[k], alone.losses, rtol=1e-12, atol=0, err_msg=f"rate {rate}")
        for key, value in alone.params.items():
            np.testing.assert_allclose(run.params(k)[key], value, rtol=1e-12, atol=1e-15, err_msg=f"rate {rate}")


def test_the_seed_sweep_trains_every_epoch_asked_for():
    """10,000 epochs, as the dashboard's sweep: no shortcut on the number of epochs."""
    X, y = nnlib.seed_data()
    rates = np.array([0.01, 1.0, 10.0, 100.0])
    losses = train_many(X, y, rates, epochs=10000)
    assert losses.shape == (4, 10000)
    for k, rate in enumerate(rates):
        alone = nnlib.train(X, y, learning_rate=rate, epochs=10000)
        np.testing.assert_allclose(losses[k], alone.losses, rtol=1e-12, atol=0, err_msg=f"rate {rate}")


def test_a_chunk_stopped_inside_leaves_the_weights_as_they_were():
    X, y = nnlib.seed_data()
    rates = [0.1, 3.0]
    run = SweepRun(X, y, rates)
    first = run.train(40)
    before = [run.params(k) for k in range(2)]
    calls = []

    def interrupted(error, A2, work):
        calls.append(1)
        if len(calls) == 25:
            raise KeyboardInterrupt
        nnlib.losses.MSE.apply_factor(error, A2, work)

    run._loss = dataclasses.replace(run._loss, apply_factor=interrupted)
    with pytest.raises(KeyboardInterrupt):
        run.train(100)
    assert run.epochs_done == 40
    for k in range(2):
        for key, value in before[k].items():
            assert np.array_equal(run.params(k)[key], value)
    run._loss = nnlib.losses.MSE
    rest = run.train(60)
    assert np.array_equal(np.hstack([first, rest]), train_many(X, y, rates, epochs=100))


def test_params_are_new_arrays_each_time():
    X, y = nnlib.seed_data()
    run = SweepRun(X, y, [0.5])
    run.train(3)
    params = run.params(0)
    params["W1"][...] = 99.0
    assert not np.any(run.params(0)["W1"] == 99.0)


def test_every_network_starts_from_the_params_given():
    X, y = nnlib.moons(50, seed=4)
    start = nnlib.train(X, y, hidden_size=6, epochs=20).params
    rates = [0.1, 1.0, 10.0]
    losses = train_many(X, y, rates, epochs=100, loss="bce", params=start)  # hidden_size from params
    for k, rate in enumerate(rates):
        alone = nnlib.train(X, y, learning_rate=rate, epochs=100, loss="bce", params=start)
        np.testing.assert_allclose(losses[k], alone.losses, rtol=1e-12, atol=0)
    with pytest.raises(ValueError, match=r"hidden_size is 5 but params has 6 hidden units"):
        SweepRun(X, y, rates, hidden_size=5, params=start)
    with pytest.raises(ValueError, match=r"X has 2 columns .* but params\['W1'\] expects 3 inputs"):
        SweepRun(X, y, rates, params=nnlib.init_params(3, 6, 2))


def test_without_params_the_hidden_size_is_four():
    X, y = nnlib.seed_data()
    run = SweepRun(X, y, [0.1])
    run.train(1)
    assert run.params(0)["W1"].shape == (3, 4)


@pytest.mark.parametrize("call,error,message", [
    (lambda run: run.train(0), ValueError, r"epochs must be at least 1; got 0"),
    (lambda run: run.train(2.5), TypeError, r"epochs must be a whole number; got 2.5"),
    (lambda run: run.train(2_000_000), ValueError, r"epochs must be at most 1_000_000"),
    (lambda run: run.params(2), ValueError, r"k must be from 0 to 1 \(one of the 2 networks\); got 2"),
    (lambda run: run.params(-1), ValueError, r"k must be from 0 to 1 .*got -1"),
    (lambda run: run.params(1.0), TypeError, r"k must be a whole number; got 1.0"),
])
def test_bad_chunk_arguments_are_named(call, error, message):
    X, y = nnlib.seed_data()
    run = SweepRun(X, y, [0.1, 1.0])
    with pytest.raises(error, match=message):
        call(run)
    assert run.epochs_done == 0
