"""nnlib.original reproduces the seed notebook's printed output exactly."""

import numpy as np
import pytest

import nnlib

SEED_LOG = """\
Epoch 0, Loss: 0.2497
Epoch 1000, Loss: 0.0021
Epoch 2000, Loss: 0.0008
Epoch 3000, Loss: 0.0005
Epoch 4000, Loss: 0.0004
Epoch 5000, Loss: 0.0003
Epoch 6000, Loss: 0.0002
Epoch 7000, Loss: 0.0002
Epoch 8000, Loss: 0.0002
Epoch 9000, Loss: 0.0001
"""

SEED_PREDICTIONS = """\
[[0.01123573 0.98844917]
 [0.98880527 0.01151319]
 [0.98911045 0.01124646]
 [0.01085271 0.98878362]]"""


@pytest.fixture(scope="module")
def original_run():
    return nnlib.original.train(verbose=False)


def test_original_prints_the_seed_log(capsys):
    nnlib.original.train()
    assert capsys.readouterr().out == SEED_LOG


def test_original_returns_the_seed_log(original_run):
    assert "\n".join(original_run["log"]) + "\n" == SEED_LOG


def test_original_predictions_match_the_printed_matrix(original_run):
    assert str(original_run["predictions"]) == SEED_PREDICTIONS


def test_init_params_draws_what_the_seed_draws():
    state = np.random.get_state()
    np.random.seed(42)
    expected = {
        "W1": np.random.rand(3, 4) - 0.5,
        "b1": np.random.rand(1, 4) - 0.5,
        "W2": np.random.rand(4, 2) - 0.5,
        "b2": np.random.rand(1, 2) - 0.5,
    }
    np.random.set_state(state)
    params = nnlib.init_params(3, 4, 2, seed=42)
    for key in expected:
        np.testing.assert_array_equal(params[key], expected[key])


def test_init_params_leaves_global_random_state_alone():
    np.random.seed(123)
    before = np.random.get_state()[1].copy()
    nnlib.init_params(3, 4, 2, seed=42)
    nnlib.train(*nnlib.seed_data(), epochs=5)
    after = np.random.get_state()[1]
    np.testing.assert_array_equal(before, after)


def test_seed_data_matches_the_seed_notebook():
    X, y = nnlib.seed_data()
    np.testing.assert_array_equal(X, [[0, 0, 1], [1, 1, 1], [1, 0, 1], [0, 1, 1]])
    np.testing.assert_array_equal(y, [[0, 1], [1, 0], [1, 0], [0, 1]])
    assert X.dtype == float and y.dtype == float
