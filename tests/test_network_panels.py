"""The dashboard's look inside the network shows the network's own numbers.

Each panel is checked against what nnlib computes for the same weights:
one line per weight, as thick as the weight is large, solid for positive
and dashed for negative; each hidden unit's output over the plane (2-D
data) or per sample (the seed data), as nnlib.forward computes it. Outside
an event loop a dashboard trains to the end before it returns, so the
panels hold the final weights.
"""

import functools

import numpy as np
import pytest
from matplotlib.colors import to_rgba

import nnlib
from nnlib.course.dashboard import Dashboard
from nnlib.course.palette import COLORS


def hidden_outputs(params, X):
    """Each hidden unit's output, from nnlib.forward: (N, H)."""
    return nnlib.forward(params, X)[1]["A1"]


@functools.cache
def trained(dataset, hidden_size):
    """A dashboard that trained 300 epochs, and its run."""
    board = Dashboard(dataset=dataset, hidden_size=hidden_size, epochs=300, learning_rate=1.0)
    return board, board.run


TWO_D = pytest.mark.parametrize("dataset, hidden_size", [("moons", 8), ("spirals", 64)], ids=["moons H=8", "spirals H=64"])
SEED = pytest.mark.parametrize("dataset, hidden_size", [("seed", 4), ("seed", 5)], ids=["seed H=4", "seed H=5"])


@pytest.mark.parametrize("dataset, hidden_size", [("seed", 4), ("moons", 8), ("spirals", 64)],
                         ids=["seed H=4", "moons H=8", "spirals H=64"])
def test_one_line_per_weight_drawn_by_size_and_sign(dataset, hidden_size):
    board, run = trained(dataset, hidden_size)
    panel = board.panels.panel("network")
    weights = np.concatenate([run.params["W1"].ravel(), run.params["W2"].ravel()])  # the order of the lines
    D, H = run.params["W1"].shape
    M = run.params["W2"].shape[1]
    assert len(panel.lines.get_segments()) == D * H + H * M == weights.size
    widths = panel.lines.get_linewidths()
    order = np.argsort(np.abs(weights))
    assert np.all(np.diff(widths[order]) >= -1e-12), "a larger weight must never be drawn thinner"
    assert widths.max() <= 4 + 1e-12 and widths.min() >= 0.3
    colours = panel.lines.get_colors()
    styles = panel.lines.get_linestyles()
    for k, weight in enumerate(weights):
        negative = weight < 0
        assert np.allclose(colours[k][:3], to_rgba(COLORS["vermillion" if negative else "blue"])[:3])
        dashes = styles[k][1]  # solid: no dash pattern; dashed: one
        assert bool(dashes) == negative, f"weight {k} = {weight:.3f} is drawn {'dashed' if dashes else 'solid'}"


def test_the_lines_follow_the_weights_as_they_change():
    board = Dashboard(dataset="seed", epochs=100, learning_rate=1.0)
    panel = board.panels.panel("network")
    before = panel.lines.get_linewidths().copy()
    board.controls["epochs"].value = 3000
    weights = np.concatenate([board.run.params["W1"].ravel(), board.run.params["W2"].ravel()])
    after = panel.lines.get_linewidths()
    assert not np.allclose(before, after)
    np.testing.assert_allclose(after, 0.3 + 3.7 * np.abs(weights) / max(np.abs(weights).max(), 1.0))


def test_many_hidden_units_keep_the_diagram_readable():
    board = Dashboard(dataset="moons", hidden_size=64, epochs=100)
    panel = board.panels.panel("network")
    assert panel.lines.get_alpha() < 1, "64 units: lines are translucent, so that the strong ones stand out"
    assert panel.count.get_text() == "64 hidden units"
    assert board.panels.panel("maps").labels == [], "64 maps are too small to number"


@TWO_D
def test_each_units_map_is_its_output_over_the_plane(dataset, hidden_size):
    board, run = trained(dataset, hidden_size)
    panel = board.panels.panel("maps")
    H = run.params["W1"].shape[1]
    S, step = panel.side, panel.side + 1
    outputs = hidden_outputs(run.params, panel.grid)  # (S*S, H)
    for k in range(H):
        row, col = divmod(k, panel.columns)
        shown = panel.mosaic[row * step:row * step + S, col * step:col * step + S]
        expected = outputs[:, k].reshape(S, S)[::-1, :]  # the top row is the largest x1
        np.testing.assert_allclose(shown, expected, rtol=0, atol=1e-12)
    unused = panel.mosaic.size - H * S * S
    assert np.isnan(panel.mosaic).sum() == unused, "only the gaps between maps are empty"
    lo, hi = panel.grid.min(axis=0), panel.grid.max(axis=0)
    points = np.vstack([run.X, run.X_test])
    assert np.all(points >= lo) and np.all(points <= hi), "the maps cover every training and test point"


@SEED
def test_each_samples_bars_are_the_hidden_outputs(dataset, hidden_size):
    board, run = trained(dataset, hidden_size)
    panel = board.panels.panel("bars")
    A1 = hidden_outputs(run.params, run.X)  # (N, H)
    N, H = A1.shape
    segments = np.array(panel.bars.get_segments())  # (N*H, 2, 2): bottom and top of each bar
    assert segments.shape == (N * H, 2, 2)
    heights = (segments[:, 0, 1] - segments[:, 1, 1]).reshape(N, H) / 0.75  # a full row: output 1
    np.testing.assert_allclose(heights, A1, rtol=0, atol=1e-12)
