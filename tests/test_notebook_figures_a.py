"""What the figures of notebooks 00-04 show (their storage: test_notebook_storage.py).

nbval compares printed text, not images, so these tests run each notebook's
code cells in this process, collect every figure at the `plt.show()` that
displays it, and check its data, title, axis labels, legend and colours.
"""

import numpy as np

import nnlib
from nnlib.course.plots import COLORS
from notebook_code import close_figures, legend_texts, run_figures  # noqa: F401  (close_figures: autouse)


def test_sigmoid_figure_draws_the_sigmoid_and_its_derivative(monkeypatch):
    (fig,) = run_figures("01_sigmoid", monkeypatch)
    (ax,) = fig.axes
    assert ax.get_title() == "The sigmoid and its derivative"
    assert "$z$" in ax.get_xlabel() and ax.get_ylabel()
    curve, slope = ax.get_lines()
    z = curve.get_xdata()
    assert z.min() <= -6 and z.max() >= 6
    np.testing.assert_allclose(curve.get_ydata(), 1 / (1 + np.exp(-z)), rtol=1e-12)
    h = 1e-5
    measured = (nnlib.sigmoid(z + h) - nnlib.sigmoid(z - h)) / (2 * h)
    np.testing.assert_allclose(slope.get_ydata(), measured, atol=1e-9)
    assert legend_texts(ax) == [r"$\sigma(z)$", r"$\sigma'(z) = a\,(1 - a)$"]
    assert {curve.get_color(), slope.get_color()} == {COLORS["blue"], COLORS["orange"]}


def test_architecture_diagram_has_a_circle_per_unit_and_a_line_per_weight(monkeypatch):
    (fig,) = run_figures("03_architecture", monkeypatch)
    (ax,) = fig.axes
    assert ax.get_title() == "The 3-4-2 network: each line is one weight"
    circles = [collection.get_offsets() for collection in ax.collections]
    assert [len(offsets) for offsets in circles] == [3, 4, 2]
    lines = ax.get_lines()
    assert len(lines) == 3 * 4 + 4 * 2
    w1 = [line for line in lines if line.get_color() == COLORS["blue"]]
    w2 = [line for line in lines if line.get_color() == COLORS["orange"]]
    assert len(w1) == 12 and len(w2) == 8
    assert all(tuple(line.get_xdata()) == (0, 1) for line in w1)
    assert all(tuple(line.get_xdata()) == (1, 2) for line in w2)


def test_learning_rate_figures_show_the_losses_nnlib_train_computes(monkeypatch):
    full, zoom = run_figures("04_hyperparameters", monkeypatch)
    X, y = nnlib.seed_data()
    rates = (0.01, 1.0, 10.0, 100.0, 200.0)
    for fig, last_epoch in ((full, 1999), (zoom, 200)):
        (ax,) = fig.axes
        assert ax.get_yscale() == "log"
        assert ax.get_xlabel() == "epoch"
        assert "MSE" in ax.get_ylabel()
        assert ax.get_title()
        assert legend_texts(ax) == [f"η = {rate:g}" for rate in rates]
        lines = ax.get_lines()
        assert len({line.get_color() for line in lines}) == len(rates)
        assert {line.get_color() for line in lines} <= set(COLORS.values())
        for line, rate in zip(lines, rates):
            losses = nnlib.train(X, y, learning_rate=rate, epochs=2000).losses
            np.testing.assert_array_equal(line.get_xdata(), np.arange(last_epoch + 1))
            np.testing.assert_allclose(line.get_ydata(), losses[: last_epoch + 1], rtol=1e-12)


