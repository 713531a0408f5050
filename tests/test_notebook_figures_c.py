"""What notebook 10 says about its figure and its tables, held to numbers computed here again.

The claims are written as bounds in the notebook's prose ("hundreds of
times", "at least 40%", "at least 5 times", "below 90%"); each test
recomputes the quantity with nnlib, independently of the notebook's cells,
and checks it clears the bound in every seed the notebook uses.
"""

import numpy as np
import pytest

import nnlib
from tests.notebook_code import close_figures, markdown, read  # noqa: F401  (close_figures: autouse)

NOTEBOOK = "10_deeper"
X, Y = nnlib.spirals(200, noise=0.05, seed=0)  # the notebook's data


def sizes(activation, init):
    """RMS of each layer's dW, (10 seeds, 7 layers), for six hidden layers of 64 units, as the notebook measures."""
    rows = []
    for seed in range(10):
        params = nnlib.init_params(2, [64] * 6, 2, seed=seed, init=init, activation=activation)
        _, cache = nnlib.forward(params, X, activation=activation)
        grads = nnlib.backward(params, cache, Y, loss="bce", activation=activation)
        rows.append([np.sqrt(np.mean(grads[f"dW{l}"] ** 2)) for l in range(1, 8)])
    return np.array(rows)


def prose():
    return " ".join(markdown(NOTEBOOK).split())


def test_the_sigmoids_gradient_vanishes_towards_the_inputs_in_every_seed():
    assert "gets a gradient hundreds of times smaller than layer 6, in every seed" in prose()
    own = sizes("sigmoid", None)
    assert (own[:, 5] / own[:, 0]).min() >= 100
    assert (np.diff(np.median(own, axis=0)) > 0).all()  # it falls at every layer on the way down
    assert "still gets a gradient dozens of times smaller than layer 6" in prose()
    uniform = sizes("sigmoid", "uniform")
    assert (uniform[:, 5] / uniform[:, 0]).min() >= 24


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_tanh_and_relu_keep_their_gradient_with_their_own_weights(activation):
    assert "layer 1's is at least 40% of layer 6's in every seed (tanh's is even larger)" in prose()
    own = sizes(activation, None)
    assert (own[:, 0] / own[:, 5]).min() >= 0.4
    if activation == "tanh":
        assert (own[:, 0] > own[:, 5]).all()


def test_the_uniform_weights_make_every_relu_gradient_larger_than_hes():
    assert "every layer's gradient is at least 5 times larger than with He's rule, in every seed" in prose()
    assert (sizes("relu", "uniform") / sizes("relu", None)).min() >= 5


def spiral_accuracies(hidden, activation, rate):
    return np.array([nnlib.accuracy(nnlib.predict(nnlib.train(X, Y, hidden_size=hidden, learning_rate=rate,
                                                              epochs=3000, seed=seed, loss="bce",
                                                              activation=activation).params, X, activation=activation), Y)
                     for seed in range(5)])


def test_what_notebook_10_says_about_depth_on_the_spirals_holds():
    text = prose()
    assert "gets **every** training point right from all five seeds" in text
    assert "stays below 90%" in text and "at $\\eta = 2$ it reaches 98% or more" in text
    assert "stays below 65%" in text
    deep, wide = nnlib.init_params(2, [16, 16, 16], 2, activation="relu"), nnlib.init_params(2, 124, 2)
    assert abs(nnlib.count_params(deep) - nnlib.count_params(wide)) < 10  # "about 620 weights" each
    assert (spiral_accuracies([16, 16, 16], "relu", 0.5) == 1).all()
    assert spiral_accuracies(124, "relu", 0.5).max() < 0.9
    assert spiral_accuracies(124, "relu", 2.0).min() >= 0.98
    assert spiral_accuracies([16, 16, 16], "sigmoid", 0.5).max() < 0.65


def test_each_exercise_of_notebook_10_is_followed_by_a_check_that_passes():
    cells = read(NOTEBOOK).cells
    exercises = [i for i, cell in enumerate(cells) if cell.cell_type == "code" and "### BEGIN SOLUTION" in cell.source]
    assert len(exercises) == 2
    for i in exercises:
        check = cells[i + 1]
        assert check.cell_type == "code" and check.source.startswith("from nnlib.course.checks import check\ncheck(")
        (result,) = [o for o in check.outputs if o.output_type == "execute_result"]
        assert result.data["text/plain"].startswith("✅ Correct")


def test_notebook_10s_one_figure_is_described_and_its_caption_holds_for_what_it_draws(monkeypatch):
    from tests.test_notebook_figures_b import captions  # runs the notebook, recording each show_figure call
    import re
    ((fig, words),) = captions(NOTEBOOK, monkeypatch)
    left, right = fig.axes
    from matplotlib.colors import to_hex
    from nnlib.course.plots import COLORS
    for ax in (left, right):
        assert ax.get_yscale() == "log" and ax.get_xlabel() and [line.get_label() for line in ax.lines] == [
            "sigmoid", "tanh", "relu"]
        assert {to_hex(line.get_color()) for line in ax.lines} <= {color.lower() for color in COLORS.values()}
        assert len({line.get_linestyle() for line in ax.lines}) == 3  # told apart without colour too
    sigmoid, tanh, relu = (line.get_ydata() for line in left.lines)  # medians over 10 seeds, layers 1 ... out
    assert (np.diff(sigmoid) > 0).all() and sigmoid[5] / sigmoid[0] > 100  # "falls steeply ... down to layer 1"
    assert min(tanh[0] / tanh[5], relu[0] / relu[5]) >= 0.4
    smaller, kept, still, larger = (float(n) for n in re.findall(
        r"at least (\d+) times smaller.*layer 1's is at least (\d+)% of layer 6's.*at least (\d+) times from layer 6 "
        r"to layer 1\), and every ReLU layer's gradient is at least (\d+) times larger", words)[0])
    assert sigmoid[5] / sigmoid[0] >= smaller >= 100 and kept >= 40 and still >= 24 and larger >= 5
    assert (right.lines[2].get_ydata() / relu >= larger).all()  # the uniform ReLU's medians above He's by that much
