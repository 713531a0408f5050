"""What the figures of notebooks 05-09 show (their storage: test_notebook_storage.py).

nbval compares printed text, not images, so these tests run each notebook's
code cells in this process, collect every figure at the `plt.show()` that
displays it, and check its data against nnlib, its title, axis labels,
legend and colours.
"""

import ast

import numpy as np
import pytest
from matplotlib.colors import to_hex
from matplotlib.contour import ContourSet

import nnlib
from nnlib.course.dashboard import Dashboard
from nnlib.course import plots
from nnlib.course.palette import CLASS_COLORS, COLORS
from nnlib.course.plots import ratio_text
from tests.helpers import only_bug_a
from tests.notebook_code import close_figures, legend_texts, markdown, read, run_cells, run_figures  # noqa: F401  (close_figures: autouse)


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
    *maps, fig = run_figures("06_backward_pass", monkeypatch)
    assert len(maps) == 3  # the gradient maps, tested below
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
    assert len(figures) == 4  # three of decision boundaries, then the overfitting lesson's losses
    for fig, X in zip(figures[:3], datasets):
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
        assert check.cell_type == "code" and check.source.startswith("from nnlib.course.checks import check\ncheck(")
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
    assert 'src="data:image/png;base64,' in result.data["text/html"]  # what GitHub shows, where widgets do not run
    assert "image/png" not in result.data  # JupyterLab would show that one, before the notebook runs, without alt
    assert result.data["text/plain"].startswith("Dashboard(dataset=")


def test_each_decision_boundary_is_where_that_network_is_undecided(monkeypatch):
    """Retrain each panel's network as the titles say; its output is 0.5 on the drawn line."""
    figures = run_figures("09_beyond_the_seed", monkeypatch)
    datasets = [nnlib.xor_data(), nnlib.moons(200, noise=0.15, seed=0), nnlib.spirals(200, noise=0.05, seed=0)]
    settings = [{"learning_rate": 2.0, "epochs": 3000, "seed": 0}] * 2 + [{"learning_rate": 6.0, "epochs": 5000, "seed": 2}]
    for fig, (X, y), how in zip(figures, datasets, settings):
        for ax in panels(fig):
            hidden_size = int(ax.get_title().split("hidden unit")[0].split()[-1])
            params = nnlib.train(X, y, hidden_size=hidden_size, loss="bce", **how).params
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


def code_cell(name, text):
    (cell,) = [cell for cell in read(name).cells if cell.cell_type == "code" and text in cell.source]
    return cell


def overfitting_runs():
    """Notebook 09's overfitting lesson, rebuilt from nnlib: 4 and 64 units on the noisy moons."""
    X, y = nnlib.moons(200, noise=0.3, seed=0)
    X_train, y_train, X_test, y_test = nnlib.train_test_split(X, y, test_fraction=0.5, seed=0)
    runs = {}
    for hidden_size in (4, 64):
        result = nnlib.train(X_train, y_train, hidden_size=hidden_size, learning_rate=2.0, epochs=10000, seed=0,
                             loss="bce")
        params, test = None, []
        for _ in range(40):  # the test loss after every 250 epochs, as the notebook measures it
            params = nnlib.train(X_train, y_train, learning_rate=2.0, epochs=250, seed=0, loss="bce",
                                 hidden_size=hidden_size, params=params).params
            test.append(nnlib.bce_loss(nnlib.predict(params, X_test), y_test))
        runs[hidden_size] = result, np.array(test), (X_train, y_train, X_test, y_test)
    return runs


def test_notebook_09_dashboard_starts_from_the_overfitting_figures_settings():
    """Same data, split, hidden size, loss, rate, epochs and seed as the overfitting lesson: the text says so."""
    shown = code_cell("09_beyond_the_seed", "dashboard(")
    dash = call_keywords(shown.source, "dashboard")
    assert dash == {"dataset": "moons", "noise": 0.3, "test_fraction": 0.5, "hidden_size": 64, "loss": "bce",
                    "learning_rate": 2.0, "epochs": 10000, "seed": 0}
    lesson = code_cell("09_beyond_the_seed", "def train_and_test").source
    trained = call_keywords(lesson, "train")
    assert (trained["learning_rate"], trained["seed"], trained["loss"]) == (2.0, 0, "bce")
    assert "def train_and_test(hidden_size, epochs=10000" in lesson
    split = code_cell("09_beyond_the_seed", "train_test_split(").source
    assert "nnlib.moons(200, noise=0.3, seed=0)" in split and "test_fraction=0.5, seed=0" in split
    board = Dashboard(**dash)
    X_train, y_train, X_test, y_test = overfitting_runs()[64][2]
    np.testing.assert_array_equal(board.run.X, X_train)
    np.testing.assert_array_equal(board.run.X_test, X_test)
    assert "The dashboard starts with the settings of the overfitting figure" in markdown("09_beyond_the_seed")
    (result,) = shown.outputs  # the committed static picture is of that run
    assert result.data["text/plain"].startswith("Dashboard(dataset='moons', noise=0.3, test_fraction=0.5, "
                                                "learning_rate=2, hidden_size=64, epochs=10000")


def test_what_notebook_09_says_about_overfitting_holds_with_margin(monkeypatch):
    text = " ".join(markdown("09_beyond_the_seed").split())
    runs = overfitting_runs()
    (four, test4, _), (many, test64, data) = runs[4], runs[64]
    pieces = np.arange(1, 41) * 250
    assert "both losses fall together and level off side by side" in text
    assert test4[-1] < 1.05 * test4.min() and abs(test4[-1] - four.losses[-1]) < 0.1
    assert "the training loss keeps falling, below the 4-unit network's, but the test loss is lowest at " \
           "epoch 2,500 and then **climbs**, a quarter above its lowest by the end" in text
    assert pieces[test64.argmin()] == 2500 and 1.2 < test64[-1] / test64.min() < 1.3
    assert many.losses[-1] < four.losses[-1] and np.all(np.diff(many.losses[2500:]) < 0)
    printed = [cell for cell in run_cells("09_beyond_the_seed", monkeypatch)
               if "hidden units: training loss" in cell.printed]
    (cell,) = printed
    for hidden_size, (result, test, _) in runs.items():
        assert (f"{hidden_size:2} hidden units: training loss {result.losses[-1]:.3f}, test loss lowest "
                f"{test.min():.3f} (epoch {pieces[test.argmin()]:,}), at the end {test[-1]:.3f}") in cell.printed


def test_overfitting_figure_draws_the_training_and_test_losses_of_4_and_64_units(monkeypatch):
    fig = run_figures("09_beyond_the_seed", monkeypatch)[3]
    runs = overfitting_runs()
    assert "training points and on the test points" in fig.get_suptitle()
    for ax, (hidden_size, (result, test, _)) in zip(fig.axes, runs.items()):
        assert ax.get_title() == f"{hidden_size} hidden units" and ax.get_xlabel() == "epoch"
        training, tested = ax.lines
        np.testing.assert_array_equal(training.get_ydata(), result.losses)
        np.testing.assert_array_equal(tested.get_xdata(), np.arange(1, 41) * 250)
        np.testing.assert_allclose(tested.get_ydata(), test, rtol=1e-12)
        assert hex_color(training.get_color()) == COLORS["blue"] and tested.get_linestyle() == "--"
        assert legend_texts(fig.axes[0]) == ["training loss", "test loss"]


def test_what_notebook_09_says_about_its_dashboard_holds_with_margin():
    """The spirals with noise 0.1 at rate 10: 64 units overfit, 4 units get nowhere, from every seed tried."""
    text = " ".join(markdown("09_beyond_the_seed").split())
    assert ("with 64 hidden units the training loss falls far while the test loss turns up after a few thousand "
            "epochs; with 4 units neither gets far") in text
    assert "the pattern was the same from every seed we tried" in text
    for seed in range(4):
        many = Dashboard(dataset="spirals", noise=0.1, hidden_size=64, learning_rate=10.0, epochs=10000, loss="bce",
                         seed=seed).run
        test = np.array(many.test_losses)
        assert 1000 <= many.test_epochs[test.argmin()] <= 5000 and test[-1] > 1.3 * test.min(), seed
        assert many.losses[-1] < 0.25, seed
        few = Dashboard(dataset="spirals", noise=0.1, hidden_size=4, learning_rate=10.0, epochs=10000, loss="bce",
                        seed=seed).run
        assert few.losses[-1] > 0.35 and min(few.test_losses) > 0.45, seed


def margin_and_accuracy(X, y, learning_rate=2.0, epochs=3000, **settings):
    """Accuracy of a trained network, and how close its closest point is to the boundary."""
    params = nnlib.train(X, y, learning_rate=learning_rate, epochs=epochs, loss="bce", **settings).params
    belief = nnlib.predict(params, X)[:, 1]
    return np.mean((belief > 0.5) == (y[:, 1] == 1)), np.min(np.abs(belief - 0.5))


def test_what_notebook_09_says_about_its_figures_holds():
    """The sentences under the XOR table and the spirals figure."""
    text = markdown("09_beyond_the_seed")
    X, y = nnlib.xor_data()
    two = [margin_and_accuracy(X, y, hidden_size=2, seed=seed)[0] for seed in (0, 1, 2)]
    assert "training finds them from only one of the\n  three starts; from the others it gets stuck at 50%" in text
    assert sorted(two) == [0.5, 0.5, 1.0]
    assert "each arm one and a half turns round\nthe centre" in text
    assert "Four units are far too few to follow one and a half turns" in text
    assert "Sixteen\nfollow most of the curl, sixty-four nearly all of it" in text
    X, y = nnlib.spirals(200, noise=0.05, seed=0)
    right = {h: margin_and_accuracy(X, y, hidden_size=h, learning_rate=6.0, epochs=5000, seed=2)[0]
             for h in (4, 16, 64)}
    assert right[4] < 0.7 and 0.9 < right[16] < right[64] and right[64] > 0.95


# ---------------------------------------------------------------------------
# Notebook 06's maps of where a backward pass is wrong, and 07's step by hand
# ---------------------------------------------------------------------------

MAPPED = (nnlib.original.backward, only_bug_a, nnlib.backward)  # notebook 06's three maps, in order


def map_panels(fig):
    """The four maps of `plot_gradient_errors` by parameter name, and its colour bar's axes."""
    axes = {ax.get_title(loc="left").split(":")[0]: ax for ax in panels(fig)}
    (bar,) = [ax for ax in fig.axes if ax.get_label() == "<colorbar>"]
    return axes, bar


def tick_texts(labels):
    return [label.get_text() for label in labels]


def test_backward_pass_maps_show_each_entrys_error_of_three_backward_passes(monkeypatch):
    *maps, _ = run_figures("06_backward_pass", monkeypatch)
    X, y = nnlib.seed_data()
    params = nnlib.init_params(3, 4, 2, seed=42)
    assert len(maps) == len(MAPPED)
    for fig, backward in zip(maps, MAPPED):
        errors = nnlib.gradient_errors(params, X, y, backward=backward)
        axes, bar = map_panels(fig)
        assert list(axes) == ["W1", "b1", "W2", "b2"]
        for name, ax in axes.items():
            (image,) = ax.get_images()
            shown = np.ma.getdata(image.get_array())
            np.testing.assert_allclose(shown, np.clip(errors[name].relative, 1e-8, 1.0), rtol=1e-9)
            assert image.get_cmap().name == "cividis"  # sequential, colour-blind safe: dark is right
            assert tick_texts(ax.texts) == [ratio_text(ratio) for ratio in errors[name].ratio.ravel()]
            largest = errors[name].relative.max()
            title = f"{name}: largest {largest:.2f}" if largest >= 1e-7 else f"{name}: all below 1e-7"
            assert ax.get_title(loc="left") == title
            rows, columns = params[name].shape
            row_word, column_word = {"W1": ("input", "hidden"), "b1": ("bias", "hidden"),
                                     "W2": ("hidden", "output"), "b2": ("bias", "output")}[name]
            assert tick_texts(ax.get_yticklabels()) == (
                ["bias"] if rows == 1 else [f"{row_word} {i}" for i in range(rows)])
            if name.startswith("b"):  # the columns are labelled under the bias row of each layer
                assert tick_texts(ax.get_xticklabels()) == [f"{column_word} {j}" for j in range(columns)]
                assert ax.get_xlabel() == f"to {column_word}{' unit' if column_word == 'hidden' else ''}"
            else:
                assert ax.get_ylabel() == f"from {row_word}{' unit' if row_word == 'hidden' else ''}"
            shown_texts = [ax._left_title, ax.xaxis.label, ax.yaxis.label, *ax.texts,
                           *ax.get_xticklabels(), *ax.get_yticklabels()]
            assert min(text.get_fontsize() for text in shown_texts) >= 10  # readable on a projector
        (line,) = bar.lines  # the pass line, marked on the colour bar
        assert set(line.get_ydata()) == {1e-7} and hex_color(line.get_color()) == COLORS["vermillion"].upper()
        assert "1e-7 pass" in tick_texts(bar.get_yticklabels()) and bar.get_ylabel()
        assert fig.get_suptitle()


def test_the_maps_light_up_what_notebook_06_says_they_light_up(monkeypatch):
    *maps, _ = run_figures("06_backward_pass", monkeypatch)
    lit = {}
    for fig, backward in zip(maps, MAPPED):
        axes, _ = map_panels(fig)
        shown = {name: np.ma.getdata(ax.get_images()[0].get_array()) for name, ax in axes.items()}
        lit[backward] = {name: bool(np.all(values > 0.1)) for name, values in shown.items()}
        assert all(np.all(values > 0.1) or np.all(values < 1e-7) for values in shown.values())  # all or nothing
    assert lit[nnlib.original.backward] == {"W1": True, "b1": True, "W2": True, "b2": True}  # everywhere
    assert lit[only_bug_a] == {"W1": False, "b1": False, "W2": True, "b2": False}  # exactly W2
    assert lit[nnlib.backward] == {"W1": False, "b1": False, "W2": False, "b2": False}  # the corrected pass: dark


def prose(name):
    """A notebook's markdown with every run of spaces and line breaks as one space."""
    return " ".join(markdown(name).split())


def test_what_notebook_06_says_about_the_maps_holds_with_margin():
    text = prose("06_backward_pass")
    X, y = nnlib.seed_data()
    params = nnlib.init_params(3, 4, 2, seed=42)
    seed_pass = nnlib.gradient_errors(params, X, y, backward=nnlib.original.backward)
    assert ("every entry of $W_1$, $b_1$ and $b_2$ is about 16 times too long (from 15.7 to 17.5), "
            "every entry of $W_2$ 4 times") in text
    long = np.concatenate([seed_pass[name].ratio.ravel() for name in ("W1", "b1", "b2")])
    assert long.min().round(1) == 15.7 and long.max().round(1) == 17.5 and 15.65 < long.min() < long.max() < 17.55
    assert np.all(np.abs(seed_pass["W2"].ratio - 4) < 0.05)
    bug_a = nnlib.gradient_errors(params, X, y, backward=only_bug_a)
    assert "Its entries are about **0.25** times the true gradient (0.245 to 0.250)" in text
    assert 0.2445 < bug_a["W2"].ratio.min() < 0.2455 and 0.2495 < bug_a["W2"].ratio.max() < 0.2505
    assert "Their relative error is about 0.6" in text
    assert np.all(np.abs(bug_a["W2"].relative - 0.6) < 0.01)
    corrected = nnlib.gradient_errors(params, X, y)
    assert "every entry of every parameter is below the pass line, and every ratio is 1.00" in text
    for error in corrected.values():
        assert error.relative.max() < 1e-8 and np.all(np.abs(error.ratio - 1) < 1e-6)
    assert "a difference below $10^{-10}$ stays under the pass line $10^{-7}$" in text


def printed(name, monkeypatch, marker):
    """What the code cell of a notebook that holds `marker` printed."""
    source = code_cell(name, marker).source
    (run,) = [cell for cell in run_cells(name, monkeypatch) if read(name).cells[cell.index].source == source]
    return run.printed


def test_notebook_06_prints_each_parameters_largest_error_and_range_of_ratios(monkeypatch):
    X, y = nnlib.seed_data()
    errors = nnlib.gradient_errors(nnlib.init_params(3, 4, 2, seed=42), X, y, backward=nnlib.original.backward)
    lines = printed("06_backward_pass", monkeypatch, "errors = nnlib.gradient_errors").splitlines()
    assert lines[0].split() == ["largest", "error", "analytic", "/", "numerical,", "entry", "by", "entry"]
    for line, (name, error) in zip(lines[1:], errors.items()):
        words = line.split()
        assert words[0] == name
        assert float(words[1]) == round(error.relative.max(), 2)
        assert (words[3], words[5]) == (f"{error.ratio.min():.3g}", f"{error.ratio.max():.3g}")
    assert len(lines) == 5


def test_the_demonstration_of_check_backward_shows_its_map_above_its_line():
    cell = code_cell("06_backward_pass", "checks.check_backward(nnlib.original.backward)")
    picture, line = cell.outputs
    assert picture.output_type == "display_data"
    assert '<img src="data:image/png;base64,' in picture.data["text/html"]  # a described figure (figure_html)
    # the tutorial's backward pass, named as such: the map and its description say whose gradients they show
    assert picture.data["text/plain"].startswith("[map] nnlib.original.backward against finite differences (N=4, D=3")
    assert 'alt="nnlib.original.backward against finite differences' in picture.data["text/html"]
    assert "Your backward" not in picture.data["text/html"] + picture.data["text/plain"]
    assert line.output_type == "stream" and "❌ Not yet" in line.text


def hand_step_numbers():
    """Notebook 07's step by hand, computed here: from init_params, finite differences and nnlib.train."""
    X, y = nnlib.seed_data()
    start = nnlib.init_params(3, 4, 2, seed=42)
    gradient = nnlib.numerical_gradient(start, X, y)  # finite differences, not nnlib.backward
    trained = nnlib.train(X, y, learning_rate=0.1, epochs=2, seed=42)  # losses before steps 1 and 2
    after = nnlib.train(X, y, learning_rate=0.1, epochs=1, seed=42).params
    return start, gradient, after, trained.losses


def test_notebook_07_takes_one_step_by_hand_and_nnlib_train_takes_the_same(monkeypatch):
    start, gradient, after, losses = hand_step_numbers()
    runs = run_cells("07_training_loop", monkeypatch)
    by_source = {read("07_training_loop").cells[run.index].source: run.printed for run in runs}
    table = by_source[code_cell("07_training_loop", "start = nnlib.init_params").source].splitlines()
    assert table[0].split() == ["W2", "before", "gradient", "dW2", "step", "-η", "dW2", "W2", "after"]
    rows = np.array([[float(word) for word in line.split()] for line in table[1:]])  # (H, 8)
    assert rows.shape == (4, 8)
    np.testing.assert_allclose(rows[:, 0:2], start["W2"], atol=5e-6)
    np.testing.assert_allclose(rows[:, 2:4], gradient["dW2"], atol=5e-6)
    np.testing.assert_allclose(rows[:, 4:6], -0.1 * gradient["dW2"], atol=5e-6)
    np.testing.assert_allclose(rows[:, 6:8], after["W2"], atol=5e-6)
    losses_text = by_source[code_cell("07_training_loop", "loss_before = nnlib.mse_loss").source]
    squared = sum(np.sum(value ** 2) for value in gradient.values())
    assert losses_text == (f"loss before the step: {losses[0]:.5f}\nloss after the step:  {losses[1]:.5f}\n"
                           f"it fell by {losses[0] - losses[1]:.2e}; eta * (g . g) predicts {0.1 * squared:.2e}\n")
    check = by_source[code_cell("07_training_loop", "one_epoch = nnlib.train").source]
    assert check == f"nnlib.train for one epoch ends at the weights above: True\nits loss for epoch 0: {losses[0]:.5f}\n"
    # what the text says about the step
    assert max(np.abs(0.1 * value).max() for value in gradient.values()) < 0.0019
    assert "No weight moves by as much as 0.002" in prose("07_training_loop")
    assert abs((losses[0] - losses[1]) / (0.1 * squared) - 1) < 0.01  # first order holds to 1 %


@pytest.mark.parametrize("name,markers", [
    ("06_backward_pass", ("errors = nnlib.gradient_errors", "plot_gradient_errors(fig")),
    ("07_training_loop", ("start = nnlib.init_params", "loss_before = nnlib.mse_loss", "one_epoch = nnlib.train")),
])
def test_what_the_new_cells_show_does_not_hang_on_the_last_digits(name, markers, monkeypatch):
    """Every starting weight moved by 1e-6 of its size (10^10 roundings): the same text, titles and ratios.

    The finite differences behind the maps err by about 1e-11 on gradients of 5e-5 and more: 2e-7 of
    the ratios. A nudge of 1e-6 moves them further than any machine's rounding, so what holds here holds there.
    """
    def shown(runs):
        out = []
        for run in runs:
            if any(marker in read(name).cells[run.index].source for marker in markers):
                out.append(run.printed)
                for fig in run.figures:
                    out += [ax.get_title(loc="left") for ax in fig.axes]
                    out += [text.get_text() for ax in fig.axes for text in ax.texts]
        return out

    before = shown(run_cells(name, monkeypatch))
    original = nnlib.params.init_params

    def nudged(*args, **kwargs):
        pattern = np.random.default_rng(7)
        return {key: value * (1 + 1e-6 * pattern.choice((-1.0, 1.0), size=value.shape))
                for key, value in original(*args, **kwargs).items()}

    monkeypatch.setattr(nnlib, "init_params", nudged)
    monkeypatch.setattr(nnlib.training, "init_params", nudged)
    after = shown(run_cells(name, monkeypatch))
    assert before and after == before


# ---------------------------------------------------------------------------
# What each figure's caption says (its alt text too) holds for the figure's data
# ---------------------------------------------------------------------------

CAPTIONS = {"05_forward_pass": 1, "06_backward_pass": 4, "07_training_loop": 2, "08_testing_the_model": 1,
            "09_beyond_the_seed": 4}  # the figures each notebook describes, every one held to its data below


def captions(name, monkeypatch):
    """[(figure, description)] of every `show_figure` call of a notebook, in order."""
    shown = []
    monkeypatch.setattr(plots, "show_figure", lambda fig, description, caption=True: shown.append((fig, description)))
    run_cells(name, monkeypatch)  # the notebook's `from nnlib.course.plots import show_figure` gets the recorder
    return shown


def claims(description, *phrases):
    for phrase in phrases:
        assert phrase in description, (phrase, description)


@pytest.mark.parametrize("name", sorted(CAPTIONS))
def test_every_figure_is_described_and_its_description_is_tested_here(name, monkeypatch):
    assert len(captions(name, monkeypatch)) == CAPTIONS[name]
    assert sum(cell.source.count("show_figure(fig") for cell in read(name).cells) == CAPTIONS[name] - (
        name == "09_beyond_the_seed")  # 09's helper draws two figures with one call in its body


def test_what_notebook_05s_caption_says_holds(monkeypatch):
    ((fig, words),) = captions("05_forward_pass", monkeypatch)
    (ax,) = fig.axes
    claims(words, "each target (0 or 1) marked by a black dash", "all near 0.5 (the dashed line), whatever the target")
    heights = np.array([bar.get_height() for container in ax.containers for bar in container])
    assert np.all(np.abs(heights - 0.5) < 0.1)
    (line,) = ax.get_lines()
    assert line.get_linestyle() == "--" and set(line.get_ydata()) == {0.5}
    marks = np.concatenate([points.get_offsets()[:, 1] for points in ax.collections])
    assert set(marks) == {0.0, 1.0}


def test_what_notebook_06s_captions_say_holds(monkeypatch):
    *maps, (fig, words) = captions("06_backward_pass", monkeypatch)
    for map_figure, map_words in maps:  # the maps' shared sentence: the colours and the numbers in the squares
        claims(map_words, "coloured by its relative error on a log scale: dark blue below the pass line 1e-7 (right), "
                          "yellow from 0.1 to 1 (wrong); the number in each square is analytic / numerical")
        axes, bar = map_panels(map_figure)
        image = axes["W1"].get_images()[0]
        low, high = (image.cmap(image.norm(value)) for value in (5e-8, 0.5))
        assert np.isclose(image.norm.boundaries[1], 1e-7) and np.isclose(image.norm.boundaries[-2], 0.1)
        assert high[0] > 0.8 and high[1] > 0.8 and high[2] < 0.5  # yellow
        assert low[2] > low[0] and sum(low[:3]) < 1.0  # dark blue
    (ax,) = fig.axes
    claims(words, "Cross-entropy's |a - y| (dashed) grows as the output goes wrong",
           "(solid) peaks at", "then vanishes in the shaded, confidently wrong region",
           "where the network is most wrong and learns least")
    mse, bce = ax.get_lines()[:2]
    z, mse_size, bce_size = mse.get_xdata(), np.abs(mse.get_ydata()), np.abs(bce.get_ydata())
    assert mse.get_linestyle() == "-" and bce.get_linestyle() == "--"
    assert np.all(np.diff(bce_size) < 0)  # the further left (more wrong for target 1), the larger
    (shaded,) = ax.patches
    left, right = shaded.get_x(), shaded.get_x() + shaded.get_width()
    inside = (z >= left) & (z <= right)
    assert (left, right) == (-8, -4) and np.all(nnlib.sigmoid(z[inside]) < 0.02)
    assert mse_size[inside].max() < 0.2 * mse_size.max() and mse_size[0] < 0.02 * mse_size.max()  # vanishes
    assert bce_size[0] == bce_size.max()


def test_what_notebook_07s_captions_say_holds(monkeypatch):
    (curve, curve_words), (comparison, words) = captions("07_training_loop", monkeypatch)
    (line,) = curve.axes[0].get_lines()
    losses = line.get_ydata()
    claims(curve_words, "It falls slowly at first, then faster, and keeps falling: a smooth curve, never rising.")
    assert np.all(np.diff(losses) < 0)
    assert losses[0] - losses[500] < (losses[1000] - losses[2000]) / 2  # 500 epochs then, less than half of 1000 later
    claims(words, "From the first epoch on, corrected η = 2 is the lowest of the three and corrected η = 0.1 the "
                  "highest; the original code lies in between: its summed gradient takes steps 4 to 16 times "
                  "longer than η = 0.1 says.")
    original, slow, fast = (line.get_ydata() for line in comparison.axes[0].get_lines())
    assert np.all(fast[1:] < original[1:]) and np.all(original[1:] < slow[1:])
    X, y = nnlib.seed_data()
    start = nnlib.init_params(3, 4, 2, seed=42)
    true = nnlib.numerical_gradient(start, X, y)  # finite differences
    seeds = nnlib.original.backward(start, nnlib.forward(start, X)[1], y)
    lengths = [np.linalg.norm(seeds[name]) / np.linalg.norm(true[name]) for name in true]
    assert 3.9 < min(lengths) and max(lengths) < 16.5


def test_what_notebook_08s_caption_says_holds(monkeypatch):
    ((fig, words),) = captions("08_testing_the_model", monkeypatch)
    ax = panels(fig)[0]
    (image,) = ax.get_images()
    claims(words, "one row per training sample and one column per hidden unit", "(0 dark, 1 light)")
    assert image.get_array().shape == (4, 4) and image.get_cmap().name == "cividis" and image.get_clim() == (0, 1)
    dark, light = image.get_cmap()(0.0), image.get_cmap()(1.0)
    assert sum(dark[:3]) < sum(light[:3])


def boundary_straightness(ax):
    """How far the drawn decision boundary is from a straight line: its points' spread across the best line."""
    (line,) = [c for c in ax.collections if isinstance(c, ContourSet) and not c.filled]
    points = np.vstack([path.vertices for path in line.get_paths()])
    spread = np.linalg.svd(points - points.mean(axis=0), compute_uv=False)
    return spread[1] / spread[0]


def test_what_notebook_09s_captions_say_holds(monkeypatch):
    (xor, xor_words), (moons, moons_words), (spirals, spirals_words), (losses, words) = captions(
        "09_beyond_the_seed", monkeypatch)
    one, three = panels(xor)
    claims(xor_words, "With 1 hidden unit the boundary is a single straight line and 75% of the points are right; "
                      "with 3 units it bends around the two class-1 corners, 100% right.")
    assert boundary_straightness(one) < 1e-3 and boundary_straightness(three) > 0.1
    X, y = nnlib.xor_data()
    for ax, hidden_size, right in ((one, 1, 0.75), (three, 3, 1.0)):
        params = nnlib.train(X, y, hidden_size=hidden_size, learning_rate=2.0, epochs=3000, seed=0, loss="bce").params
        assert nnlib.accuracy(nnlib.predict(params, X), y) == right
    for fig, text in ((moons, moons_words), (spirals, spirals_words)):
        claims(text, "The more hidden units, the more the boundary can bend: ")
        right = [float(ax.get_title().split(": ")[1].split("%")[0]) for ax in panels(fig)]
        assert right == sorted(right)  # more units never draw a worse boundary here
    assert boundary_straightness(panels(moons)[0]) < 1e-3  # one unit: a straight line
    claims(words, "With 64 units the test loss climbs back while the training loss keeps falling: overfitting.")
    many = losses.axes[1]
    training, test = (line.get_ydata() for line in many.get_lines())
    pieces = many.get_lines()[1].get_xdata()
    lowest = pieces[test.argmin()]
    assert test[-1] > 1.2 * test.min() and np.all(np.diff(training[lowest:]) < 0)


def test_what_notebook_09_says_about_the_4_unit_test_loss_below_the_training_loss():
    """For 3,000 epochs the 4-unit network's test loss is below its training loss: a straight boundary, and a split
    whose training half holds more of the points a straight line gets wrong."""
    text = prose("09_beyond_the_seed")
    (four, test, (X_train, y_train, X_test, y_test)) = overfitting_runs()[4]
    pieces = np.arange(1, 41) * 250
    training = four.losses[pieces - 1]  # the training loss at the last epoch of each piece, as drawn
    assert "In the 4-unit panel the test loss sits *below* the training loss for the first 3,000 epochs" in text
    early = pieces <= 3000
    assert np.all(test[early] < training[early]) and np.all(test[~early] > training[~early])
    assert ("Once the 4-unit network bends its boundary, near epoch 3,000, its training loss drops below its test "
            "loss and stays there") in text
    assert ("For most of that time the network is on a plateau, where it does what a single hidden unit does: it "
            "draws one straight boundary, and begins to bend it only as the plateau ends") in text
    straight = nnlib.train(X_train, y_train, hidden_size=1, learning_rate=2.0, epochs=10000, seed=0, loss="bce").params
    X = np.vstack([X_train, X_test])
    plateau = nnlib.train(X_train, y_train, hidden_size=4, learning_rate=2.0, epochs=1500, seed=0, loss="bce").params
    same = np.mean(nnlib.predict(plateau, X).argmax(axis=1) == nnlib.predict(straight, X).argmax(axis=1))
    assert same >= 0.99  # on the plateau it sorts the points as the straight line does
    assert np.all(np.abs(four.losses[250:1500] - nnlib.bce_loss(nnlib.predict(straight, X_train), y_train)) < 0.01)
    assert np.all(np.abs(test[pieces <= 1500] - nnlib.bce_loss(nnlib.predict(straight, X_test), y_test)) < 0.01)
    assert "The same two losses as on the 4-unit network's plateau" in text
    wrong = {name: np.sum(nnlib.predict(straight, X_).argmax(axis=1) != y_.argmax(axis=1))
             for name, X_, y_ in (("training", X_train, y_train), ("test", X_test, y_test))}
    assert "put more of the points a straight line gets wrong into the training half than into the test half" in text
    assert wrong["training"] > wrong["test"] + 3


def test_no_output_counts_one_hidden_unit_in_the_plural(monkeypatch):
    import re

    for name in SECOND_HALF:
        for cell in read(name).cells:
            for output in cell.get("outputs", []):
                shown = output.get("text", "") + output.get("data", {}).get("text/plain", "")
                assert not re.search(r"(?<![\d.,])1 hidden units", shown), (name, shown)
    assert "Two moons,  1 hidden unit: accuracy" in printed("09_beyond_the_seed", monkeypatch,
                                                           "compare_hidden_sizes(X_moons")
