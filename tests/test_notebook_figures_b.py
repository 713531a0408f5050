"""What the figures of notebooks 05-09 show (their storage: test_notebook_storage.py).

nbval compares printed text, not images, so these tests run each notebook's
code cells in this process, collect every figure at the `plt.show()` that
displays it, and check its data against nnlib, its title, axis labels,
legend and colours.
"""

import ast
import inspect

import numpy as np
import pytest
from matplotlib.colors import to_hex
from matplotlib.contour import ContourSet

import nnlib
from nnlib.course.dashboard import Dashboard
from nnlib.course.plots import CLASS_COLORS, COLORS
from nnlib.data import load
from notebook_code import close_figures, legend_texts, read, run_figures  # noqa: F401  (close_figures: autouse)

SECOND_HALF = ("05_forward_pass", "06_backward_pass", "07_training_loop",
               "08_testing_the_model", "09_beyond_the_seed")
OKABE_ITO = set(COLORS.values())


def hex_color(artist_color):
    return to_hex(artist_color).upper()


def panels(fig):
    """The axes of a figure that hold data (colour bars left out)."""
    return [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]


def test_forward_pass_figure_shows_the_outputs_at_the_starting_weights(monkeypatch):
    (fig,) = run_figures("05_forward_pass", monkeypatch)
    (ax,) = fig.axes
    assert ax.get_title() == "Outputs at the starting weights, before training"
    assert ax.get_xlabel() and ax.get_ylabel()
    X, y = nnlib.seed_data()
    A2, _ = nnlib.forward(nnlib.init_params(3, 4, 2, seed=42), X)
    output0, output1 = ax.containers  # one bar group per output
    np.testing.assert_allclose([bar.get_height() for bar in output0], A2[:, 0], rtol=1e-12)
    np.testing.assert_allclose([bar.get_height() for bar in output1], A2[:, 1], rtol=1e-12)
    assert hex_color(output0[0].get_facecolor()) == COLORS["blue"].upper()
    assert hex_color(output1[0].get_facecolor()) == COLORS["orange"].upper()
    targets = np.concatenate([points.get_offsets()[:, 1] for points in ax.collections])
    np.testing.assert_array_equal(np.sort(targets), np.sort(y.T.ravel()))
    assert "target" in legend_texts(ax)


def test_backward_pass_figure_compares_the_output_gradients_of_mse_and_cross_entropy(monkeypatch):
    (fig,) = run_figures("06_backward_pass", monkeypatch)
    (ax,) = fig.axes
    assert "MSE" in ax.get_title()
    assert "$z$" in ax.get_xlabel() and "partial L" in ax.get_ylabel()
    mse, bce = ax.get_lines()[:2]
    z = mse.get_xdata()
    assert z.min() <= -6 and z.max() >= 6
    a = nnlib.sigmoid(z)
    # Drawn as signed values or as sizes on a log scale: compare sizes.
    np.testing.assert_allclose(np.abs(mse.get_ydata()), np.abs(2 * (a - 1) * a * (1 - a)), rtol=1e-12)
    np.testing.assert_allclose(np.abs(bce.get_ydata()), np.abs(a - 1), rtol=1e-12)
    assert {hex_color(mse.get_color()), hex_color(bce.get_color())} == {COLORS["blue"].upper(),
                                                                        COLORS["orange"].upper()}
    labels = legend_texts(ax)
    assert labels[0].startswith("MSE") and labels[1].startswith("cross-entropy")


def test_training_figures_show_the_losses_of_the_loop_nnlib_train_and_the_original(monkeypatch):
    curve, comparison = run_figures("07_training_loop", monkeypatch)
    X, y = nnlib.seed_data()
    corrected = nnlib.train(X, y, learning_rate=0.1, epochs=10000, seed=42).losses
    faster = nnlib.train(X, y, learning_rate=2.0, epochs=10000, seed=42).losses
    original = nnlib.original.train(verbose=False)["losses"]

    (ax,) = curve.axes
    assert ax.get_yscale() == "log" and ax.get_xlabel() == "epoch" and "MSE" in ax.get_ylabel()
    assert ax.get_title()
    (line,) = ax.get_lines()
    np.testing.assert_array_equal(line.get_xdata(), np.arange(10000))
    np.testing.assert_allclose(line.get_ydata(), corrected, rtol=1e-10)

    (ax,) = comparison.axes
    assert ax.get_yscale() == "log" and ax.get_xlabel() == "epoch" and "MSE" in ax.get_ylabel()
    assert ax.get_title()
    lines = ax.get_lines()
    assert len(lines) == 3
    for line, losses in zip(lines, (original, corrected, faster)):
        np.testing.assert_allclose(line.get_ydata(), losses, rtol=1e-10)
    labels = legend_texts(ax)
    assert "0.1" in labels[0] and "0.1" in labels[1] and "2" in labels[2]
    colors = {hex_color(line.get_color()) for line in lines}
    assert len(colors) == 3 and colors <= {color.upper() for color in OKABE_ITO}


def test_hidden_activation_heatmap_shows_the_trained_networks_hidden_layer(monkeypatch):
    (fig,) = run_figures("08_testing_the_model", monkeypatch)
    ax = panels(fig)[0]
    assert ax.get_title() and ax.get_xlabel() == "hidden unit" and ax.get_ylabel()
    (image,) = ax.get_images()
    assert image.get_cmap().name == "cividis"
    assert image.get_clim() == (0, 1)
    X, y = nnlib.seed_data()
    params = nnlib.train(X, y, learning_rate=2.0, epochs=10000, seed=42).params
    _, cache = nnlib.forward(params, X)
    shown = np.asarray(image.get_array())
    np.testing.assert_allclose(shown[: len(X)], cache["A1"], rtol=1e-10)
    written = [float(text.get_text()) for text in ax.texts]
    np.testing.assert_allclose(written, shown.ravel().round(2), atol=1e-12)
    assert [label.get_text() for label in ax.get_xticklabels()] == [f"unit {h}" for h in range(4)]
    assert len(fig.axes) == 2  # the heatmap and its colour bar


def test_decision_boundary_figures_draw_each_dataset_and_the_undecided_line(monkeypatch):
    figures = run_figures("09_beyond_the_seed", monkeypatch)
    datasets = [nnlib.xor_data()[0], nnlib.moons(200, noise=0.15, seed=0)[0],
                nnlib.spirals(200, noise=0.05, seed=0)[0]]
    assert len(figures) == 3
    for fig, X in zip(figures, datasets):
        axes = panels(fig)
        assert len(axes) >= 2  # hidden sizes side by side
        assert len(fig.axes) == len(axes) + 1  # one shared colour bar
        hidden_sizes = []
        for ax in axes:
            assert ax.get_xlabel() == "$x_0$" and ax.get_ylabel() in ("$x_1$", "")
            title = ax.get_title()
            hidden_sizes.append(int(title.split("hidden unit")[0].split()[-1]))
            contours = [c for c in ax.collections if isinstance(c, ContourSet)]
            filled = [c for c in contours if c.filled]
            lines = [c for c in contours if not c.filled]
            assert len(filled) == 1 and filled[0].get_cmap().name == "belief"
            assert len(lines) == 1 and list(lines[0].levels) == [0.5]
            scatters = [c for c in ax.collections if not isinstance(c, ContourSet)]
            assert len(scatters) == 2
            points = np.vstack([s.get_offsets() for s in scatters])
            np.testing.assert_allclose(np.sort(points, axis=0), np.sort(X, axis=0), rtol=1e-12)
            colors = [hex_color(s.get_facecolor()[0]) for s in scatters]
            assert colors == [color.upper() for color in CLASS_COLORS]
        assert hidden_sizes == sorted(hidden_sizes) and len(set(hidden_sizes)) == len(hidden_sizes)


@pytest.mark.parametrize("name", SECOND_HALF)
def test_each_exercise_is_followed_by_a_check_that_passes(name):
    cells = read(name).cells
    exercises = [i for i, cell in enumerate(cells)
                 if cell.cell_type == "code" and "### BEGIN SOLUTION" in cell.source]
    assert exercises, "every notebook from 01 on has an exercise"
    for i in exercises:
        check = cells[i + 1]
        assert check.cell_type == "code" and "checks.check_" in check.source
        assert "### BEGIN SOLUTION" not in check.source
        (result,) = [o for o in check.outputs if o.output_type == "execute_result"]
        assert result.data["text/plain"].startswith("✅ Correct")


@pytest.mark.parametrize("name", ("04_hyperparameters", "07_training_loop", "09_beyond_the_seed"))
def test_dashboard_follows_try_it_live_with_a_static_picture(name):
    cells = read(name).cells
    (place,) = [i for i, cell in enumerate(cells) if cell.source.startswith("## Try it live")]
    shown = cells[place + 2]
    assert shown.source.startswith("dashboard(")
    (result,) = shown.outputs
    assert "application/vnd.jupyter.widget-view+json" in result.data
    assert result.data["image/png"]  # what GitHub shows, where widgets do not run
    assert result.data["text/plain"].startswith("Dashboard(dataset=")


def test_each_decision_boundary_is_where_that_network_is_undecided(monkeypatch):
    """Retrain each panel's network as the titles say; its output is 0.5 on the drawn line."""
    figures = run_figures("09_beyond_the_seed", monkeypatch)
    datasets = [nnlib.xor_data(), nnlib.moons(200, noise=0.15, seed=0), nnlib.spirals(200, noise=0.05, seed=0)]
    for fig, (X, y) in zip(figures, datasets):
        for ax in panels(fig):
            hidden_size = int(ax.get_title().split("hidden unit")[0].split()[-1])
            params = nnlib.train(X, y, hidden_size=hidden_size, learning_rate=2.0, epochs=3000, seed=0,
                                 loss="bce").params
            (line,) = [c for c in ax.collections if isinstance(c, ContourSet) and not c.filled]
            vertices = np.vstack([path.vertices for path in line.get_paths() if len(path.vertices)])
            assert len(vertices) > 10
            belief = nnlib.predict(params, vertices)[:, 1]  # output for class 1 along the line
            assert np.all(np.abs(belief - 0.5) < 0.1), ax.get_title()
            if "right" in ax.get_title():  # moons and spirals: the title states the training accuracy
                right = nnlib.accuracy(nnlib.predict(params, X), y)
                assert ax.get_title().endswith(f": {right:.1%} right")


def call_keywords(source, function):
    """The literal keyword arguments of the first call to `function` in some code."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and ast.unparse(node.func).endswith(function):
            return {keyword.arg: ast.literal_eval(keyword.value) for keyword in node.keywords
                    if isinstance(keyword.value, ast.Constant)}
    raise AssertionError(f"no call to {function}")


def markdown(name):
    return "\n".join(cell.source for cell in read(name).cells if cell.cell_type == "markdown")


def code_cell(name, text):
    (cell,) = [cell for cell in read(name).cells if cell.cell_type == "code" and text in cell.source]
    return cell


def test_notebook_09_dashboard_starts_from_the_figures_settings():
    """Same loss, rate, epochs and seed as the decision-boundary figures: the text says so."""
    figures = call_keywords(code_cell("09_beyond_the_seed", "def compare_hidden_sizes").source, "train")
    shown = code_cell("09_beyond_the_seed", "dashboard(")
    dash = call_keywords(shown.source, "dashboard")
    for name in ("loss", "learning_rate", "epochs", "seed"):
        assert dash.get(name) == figures[name], f"dashboard: {name}={dash.get(name)!r}, figures: {figures[name]!r}"
    assert dash["dataset"] == "moons" and dash["hidden_size"] == 8
    assert "starting weights from seed 0, on the two moons with 8 hidden units" in markdown("09_beyond_the_seed")
    # The committed static picture is of that run.
    (result,) = shown.outputs
    assert "seed=0)" in result.data["text/plain"] and "hidden_size=8" in result.data["text/plain"]


def margin_and_accuracy(X, y, **settings):
    """Accuracy of a trained network, and how close its closest point is to the boundary."""
    params = nnlib.train(X, y, learning_rate=2.0, epochs=3000, loss="bce", **settings).params
    belief = nnlib.predict(params, X)[:, 1]
    return np.mean((belief > 0.5) == (y[:, 1] == 1)), np.min(np.abs(belief - 0.5))


def test_what_notebook_09_says_about_its_dashboard_holds_with_margin():
    text = markdown("09_beyond_the_seed")
    assert "(`nnlib.moons()` and `nnlib.spirals()` as they come: 100 points, noise 0.1)" in text
    for name, make in (("moons", nnlib.moons), ("spirals", nnlib.spirals)):
        defaults = inspect.signature(make).parameters
        assert defaults["n_samples"].default == 100 and defaults["noise"].default == 0.1
        for shown, made in zip(load(name), make()):  # what the dashboard loads
            np.testing.assert_array_equal(shown, made)

    # The run the dashboard starts with, built from the notebook's own call.
    dash = call_keywords(code_cell("09_beyond_the_seed", "dashboard(").source, "dashboard")
    board = Dashboard(**dash)
    assert "on its moons, 8 hidden units get every point right" in text
    assert board.accuracy == 1
    right, margin = margin_and_accuracy(*nnlib.moons(), hidden_size=8, seed=0)
    assert right == 1 and margin > 0.1  # no point near the boundary: the same on every computer

    assert "seed 0 gets all but one\npoint right, but seed 42 stalls at about 70%" in text
    X, y = nnlib.spirals()
    right, margin = margin_and_accuracy(X, y, hidden_size=8, seed=0)
    assert right == 0.99 and margin > 0.01
    stalled = nnlib.train(X, y, hidden_size=8, learning_rate=2.0, epochs=3000, loss="bce", seed=42)
    right, _ = margin_and_accuracy(X, y, hidden_size=8, seed=42)
    assert 0.6 < right < 0.8
    assert stalled.losses[-1] > 0.4 and stalled.losses[-1] > 0.99 * stalled.losses[-1000]  # a plateau


def test_what_notebook_09_says_about_its_figures_holds():
    """The sentences under the XOR table and the spirals figure."""
    text = markdown("09_beyond_the_seed")
    X, y = nnlib.xor_data()
    two = [margin_and_accuracy(X, y, hidden_size=2, seed=seed)[0] for seed in (0, 1, 2)]
    assert "training finds them from only one of the\n  three starts; from the others it gets stuck at 50%" in text
    assert sorted(two) == [0.5, 0.5, 1.0]
    assert "four and sixteen both get all but one point right" in text
    X, y = nnlib.spirals(200, noise=0.05, seed=0)
    for hidden_size in (4, 16):
        assert margin_and_accuracy(X, y, hidden_size=hidden_size, seed=0)[0] == 199 / 200
