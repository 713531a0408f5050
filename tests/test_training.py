"""train runs the same gradient descent as forward/backward, deterministically."""

import re

import numpy as np
import pytest

import nnlib
from tests.helpers import plain_loop


@pytest.mark.parametrize("loss", ["mse", "bce"])
@pytest.mark.parametrize("dataset,hidden_size", [("seed", 4), ("seed", 5), ("xor", 3), ("moons", 8)])
def test_train_equals_the_plain_loop(loss, dataset, hidden_size):
    X, y = {"seed": nnlib.seed_data, "xor": nnlib.xor_data, "moons": nnlib.moons}[dataset]()
    params, losses = plain_loop(X, y, hidden_size, 0.5, 300, 7, loss)
    result = nnlib.train(X, y, hidden_size=hidden_size, learning_rate=0.5,
                         epochs=300, seed=7, loss=loss)
    np.testing.assert_allclose(result.losses, losses, rtol=1e-12, atol=1e-15)
    for key in params:
        np.testing.assert_allclose(result.params[key], params[key], rtol=1e-10, atol=1e-13)


def test_train_is_deterministic_bit_for_bit():
    X, y = nnlib.moons(60, seed=3)
    first = nnlib.train(X, y, hidden_size=6, epochs=500, seed=11, loss="bce")
    second = nnlib.train(X, y, hidden_size=6, epochs=500, seed=11, loss="bce")
    assert np.array_equal(first.losses, second.losses)
    for key in first.params:
        assert np.array_equal(first.params[key], second.params[key])


def test_different_seeds_give_different_starts():
    X, y = nnlib.seed_data()
    assert nnlib.train(X, y, epochs=1, seed=1).losses[0] != nnlib.train(X, y, epochs=1, seed=2).losses[0]


def test_corrected_training_learns_the_seed_problem():
    X, y = nnlib.seed_data()
    result = nnlib.train(X, y)
    assert result.losses.shape == (10000,)
    assert result.losses[-1] < 0.01 < result.losses[0]
    assert nnlib.accuracy(nnlib.predict(result.params, X), y) == 1.0


def test_callback_sees_every_epoch_and_can_stop():
    X, y = nnlib.seed_data()
    seen = []

    def stop_at_five(epoch, loss):
        seen.append((epoch, loss))
        return epoch == 5

    result = nnlib.train(X, y, epochs=100, callback=stop_at_five)
    assert [epoch for epoch, _ in seen] == list(range(6))
    assert len(result.losses) == 6
    assert [loss for _, loss in seen] == list(result.losses)
    assert all(type(loss) is float for _, loss in seen)


@pytest.mark.parametrize("answer", [None, False, np.False_])
def test_a_callback_that_says_nothing_or_false_lets_training_go_on(answer):
    X, y = nnlib.seed_data()
    calls = []
    result = nnlib.train(X, y, epochs=20, callback=lambda epoch, loss: calls.append(epoch) or answer)
    assert calls == list(range(20)) and len(result.losses) == 20


def test_a_callback_may_stop_with_a_numpy_bool():
    X, y = nnlib.seed_data()
    result = nnlib.train(X, y, epochs=20, callback=lambda epoch, loss: np.float64(epoch) >= 2)
    assert len(result.losses) == 3


@pytest.mark.parametrize("answer,shown", [
    (0.25, r"0.25 \(a float\)"),
    ("no", r"'no' \(a str\)"),
    (np.array([True, False]), r"an array of shape \(2,\)"),
    (1, r"1 \(an int\)"),
    (0, r"0 \(an int\)"),
])
def test_a_callback_that_returns_anything_else_is_named(answer, shown):
    """Before: the loss or "no" stopped training after one epoch; an array raised NumPy's truth error."""
    X, y = nnlib.seed_data()

    def report(epoch, loss):
        return answer

    with pytest.raises(TypeError, match=rf"callback report must return True \(stop\) or None/False \(go on\); it returned {shown}"):
        nnlib.train(X, y, epochs=10, callback=report)


def test_a_callback_error_propagates_unchanged():
    X, y = nnlib.seed_data()

    def broken(epoch, loss):
        raise KeyError("mine")

    with pytest.raises(KeyError, match="mine"):
        nnlib.train(X, y, epochs=10, callback=broken)


def test_stopped_losses_do_not_keep_the_whole_buffer():
    X, y = nnlib.seed_data()
    result = nnlib.train(X, y, epochs=100_000, callback=lambda epoch, loss: epoch == 1)
    assert result.losses.shape == (2,) and result.losses.base is None


@pytest.mark.parametrize("loss", ["mse", "bce"])
@pytest.mark.parametrize("dataset", ["seed", "xor", "spirals"])
def test_huge_learning_rate_stays_finite_and_silent(loss, dataset):
    # conftest turns every warning into an error, so a RuntimeWarning fails here
    X, y = {"seed": nnlib.seed_data, "xor": nnlib.xor_data, "spirals": nnlib.spirals}[dataset]()
    result = nnlib.train(X, y, hidden_size=16, learning_rate=1e6, epochs=500, loss=loss)
    assert np.all(np.isfinite(result.losses))
    for value in result.params.values():
        assert np.all(np.isfinite(value))


def test_predict_matches_forward():
    X, y = nnlib.seed_data()
    params = nnlib.init_params(3, 4, 2)
    np.testing.assert_array_equal(nnlib.predict(params, X), nnlib.forward(params, X)[0])


def test_forward_cache_holds_each_layer():
    X, _ = nnlib.seed_data()
    params = nnlib.init_params(3, 5, 2)
    A2, cache = nnlib.forward(params, X)
    assert cache["Z1"].shape == cache["A1"].shape == (4, 5)
    assert cache["Z2"].shape == A2.shape == (4, 2)
    np.testing.assert_allclose(cache["A1"], nnlib.sigmoid(X @ params["W1"] + params["b1"]))


@pytest.mark.parametrize("make", [nnlib.moons, nnlib.spirals])
def test_random_datasets_are_seeded(make):
    X1, y1 = make(50, seed=5)
    X2, y2 = make(50, seed=5)
    X3, _ = make(50, seed=6)
    assert np.array_equal(X1, X2) and np.array_equal(y1, y2)
    assert not np.array_equal(X1, X3)
    assert X1.shape == (50, 2) and y1.shape == (50, 2)
    assert y1.sum(axis=0).tolist() == [25, 25]


def test_xor_targets():
    X, y = nnlib.xor_data()
    np.testing.assert_array_equal(y.argmax(axis=1), [0, 1, 1, 0])


def test_count_params():
    assert nnlib.count_params(nnlib.init_params(3, 4, 2)) == 3 * 4 + 4 + 4 * 2 + 2


def test_train_does_not_change_the_callers_arrays():
    X, y = nnlib.moons(20, seed=1)
    X_before, y_before = X.copy(), y.copy()
    nnlib.train(X, y, epochs=50)
    assert np.array_equal(X, X_before) and np.array_equal(y, y_before)


def test_forward_cache_is_not_the_callers_array():
    X, _ = nnlib.seed_data()
    _, cache = nnlib.forward(nnlib.init_params(3, 4, 2), X)
    X[0, 0] = 99.0
    assert cache["X"][0, 0] == 0.0


# ---------------------------------------------------------------------------
# Continuing training: params=
# ---------------------------------------------------------------------------

DATASETS = {"seed": nnlib.seed_data, "xor": nnlib.xor_data,
            "moons": nnlib.moons, "spirals": nnlib.spirals}


@pytest.mark.parametrize("loss", ["mse", "bce"])
@pytest.mark.parametrize("dataset,hidden_size,rate", [
    ("seed", 4, 0.1), ("seed", 5, 20.0), ("xor", 3, 2.0), ("moons", 8, 1.0), ("spirals", 16, 50.0),
])
@pytest.mark.parametrize("chunks", [[1, 299, 200], [250, 250], [7] * 71 + [3]])
def test_training_in_chunks_gives_one_runs_numbers_to_the_last_bit(loss, dataset, hidden_size, rate, chunks):
    X, y = DATASETS[dataset]()
    whole = nnlib.train(X, y, hidden_size=hidden_size, learning_rate=rate, epochs=sum(chunks), seed=3, loss=loss)
    params, losses = None, []
    for epochs in chunks:
        part = nnlib.train(X, y, hidden_size=hidden_size, learning_rate=rate, epochs=epochs, seed=3,
                           loss=loss, params=params)
        params = part.params
        losses.append(part.losses)
    assert np.array_equal(np.concatenate(losses), whole.losses)
    for key in whole.params:
        assert np.array_equal(params[key], whole.params[key]), key


def test_starting_from_init_params_is_the_default_start():
    X, y = nnlib.moons(40, seed=2)
    start = nnlib.init_params(2, 6, 2, seed=9)
    given = nnlib.train(X, y, hidden_size=6, epochs=50, seed=9, params=start)
    default = nnlib.train(X, y, hidden_size=6, epochs=50, seed=9)
    assert np.array_equal(given.losses, default.losses)


def test_params_are_copied_never_changed():
    X, y = nnlib.seed_data()
    start = nnlib.init_params(3, 4, 2)
    before = {key: value.copy() for key, value in start.items()}
    result = nnlib.train(X, y, epochs=100, params=start)
    for key in start:
        assert np.array_equal(start[key], before[key])
        assert not np.shares_memory(result.params[key], start[key])


def test_params_may_be_lists_and_float32():
    X, y = nnlib.seed_data()
    start = nnlib.init_params(3, 4, 2)
    expected = nnlib.train(X, y, epochs=20, params=start).losses
    as_lists = {key: value.tolist() for key, value in start.items()}
    np.testing.assert_array_equal(nnlib.train(X, y, epochs=20, params=as_lists).losses, expected)
    as_float32 = {key: value.astype(np.float32) for key, value in start.items()}
    np.testing.assert_allclose(nnlib.train(X, y, epochs=20, params=as_float32).losses, expected, rtol=1e-6)


def test_hidden_size_is_taken_from_params():
    X, y = nnlib.moons(30, seed=1)
    first = nnlib.train(X, y, hidden_size=7, epochs=10)
    more = nnlib.train(X, y, epochs=10, params=first.params)  # no hidden_size: 7, from params
    assert more.params["W1"].shape == (2, 7)
    same = nnlib.train(X, y, hidden_size=7, epochs=10, params=first.params)
    assert np.array_equal(same.losses, more.losses)
    assert nnlib.train(X, y, epochs=1).params["W1"].shape == (2, 4)  # without params: 4


def test_a_hidden_size_that_disagrees_with_params_is_named():
    X, y = nnlib.seed_data()
    params = nnlib.init_params(3, 8, 2)
    with pytest.raises(ValueError, match=r"hidden_size is 4 but params has 8 hidden units "
                                         r"\(params\['W1'\] has shape \(3, 8\)\); leave hidden_size out"):
        nnlib.train(X, y, hidden_size=4, epochs=5, params=params)


P = nnlib.init_params(3, 4, 2)


@pytest.mark.parametrize("params,error,message", [
    ("weights", TypeError, r"params must be a dict with keys W1, b1, W2, b2; got 'weights' \(a str\)"),
    ({key: P[key] for key in ("W1", "b1", "W2")}, ValueError, r"params is missing b2"),
    ({**P, "W3": P["W2"]}, ValueError, r"params has keys the network does not have: 'W3'"),
    ({**P, "b1": np.zeros((1, 5))}, ValueError, r"params\['b1'\] must have shape \(1, 4\) .* got \(1, 5\)"),
    ({**P, "W2": np.zeros((4, 3)), "b2": np.zeros((1, 3))}, ValueError,
     r"y has 2 columns \(shape \(4, 2\)\) but the network has 3 outputs"),
    (nnlib.init_params(2, 4, 2), ValueError, r"X has 3 columns \(shape \(4, 3\)\) but params\['W1'\] expects 2 inputs"),
    ({**P, "W1": np.full((3, 4), np.nan)}, ValueError, r"params\['W1'\] must hold finite numbers; params\['W1'\]\[0, 0\] is nan"),
    ({**P, "b2": [[0.1, None]]}, TypeError, r"params\['b2'\] must hold numbers; params\['b2'\]\[0, 1\] is None"),
    ({**P, "W2": np.ones(4)}, ValueError, r"params\['W2'\] must be a 2-D array"),
])
def test_bad_params_are_named(params, error, message):
    X, y = nnlib.seed_data()
    with pytest.raises(error, match=message):
        nnlib.train(X, y, epochs=2, params=params)


def test_a_callback_counts_the_epochs_of_its_own_call():
    X, y = nnlib.seed_data()
    first = nnlib.train(X, y, epochs=5)
    seen = []
    nnlib.train(X, y, epochs=3, params=first.params, callback=lambda epoch, loss: seen.append(epoch))
    assert seen == [0, 1, 2]


# ---------------------------------------------------------------------------
# What train returns, train(params=...) accepts
# ---------------------------------------------------------------------------

ZERO = {"W1": np.zeros((1, 4)), "b1": np.zeros((1, 4)), "W2": np.zeros((4, 1)), "b2": np.zeros((1, 1))}
HUGE_X = [[0.0], [1e100]]  # (2, 1): the largest inputs train accepts


@pytest.mark.parametrize("loss", ["mse", "bce"])
@pytest.mark.parametrize("targets", [[[0.0], [0.5]], [[0.3], [1.0]], [[1.0], [0.0]], [[0.0], [0.1]]])
@pytest.mark.parametrize("rate", [1.0, 100.0, 1e6])
@pytest.mark.parametrize("epochs", [1, 2, 3])
def test_whatever_train_returns_it_accepts_back_as_params(loss, targets, rate, epochs):
    """Training in pieces works wherever one call works: each result is a valid start.

    From zero weights the hidden layer first learns in the second epoch,
    where inputs of 1e100 can carry W1 past 1e100: then train refuses the
    run, saying it diverged, and a run in two pieces refuses it the same way.
    """
    settings = dict(learning_rate=rate, loss=loss)
    try:
        whole = nnlib.train(HUGE_X, targets, epochs=epochs + 1, params=ZERO, **settings)
    except ValueError as error:
        assert re.search(r"training diverged: after \d+ epochs at learning_rate .* use a smaller learning_rate",
                         str(error)), str(error)
        whole = None
    try:
        first = nnlib.train(HUGE_X, targets, epochs=epochs, params=ZERO, **settings)
    except ValueError as error:
        assert whole is None and "training diverged" in str(error)
        return
    # Whatever came back is a start that train, forward and backward take.
    A2, cache = nnlib.forward(first.params, HUGE_X)
    nnlib.backward(first.params, cache, targets, loss=loss)
    try:
        more = nnlib.train(HUGE_X, targets, epochs=1, params=first.params, **settings)
    except ValueError as error:
        assert whole is None, f"one call of {epochs + 1} epochs works, {epochs} then 1 more raises: {error}"
        assert "training diverged" in str(error), str(error)
        return
    assert whole is not None
    assert np.array_equal(np.concatenate([first.losses, more.losses]), whole.losses)
    for key in whole.params:
        assert np.array_equal(more.params[key], whole.params[key]), key


def test_a_run_whose_weights_grow_past_the_limit_is_refused_saying_it_diverged():
    with pytest.raises(ValueError, match=r"training diverged: after 2 epochs at learning_rate 100 the weights "
                                         r"grew past what train accepts back as params= \(params\['W1'\] must "
                                         r"hold numbers no larger than 1e100 in size; params\['W1'\]\[0, 0\] is "):
        nnlib.train(HUGE_X, [[0.0], [0.5]], learning_rate=100.0, epochs=2, loss="bce", params=ZERO)
