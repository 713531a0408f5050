"""What the figures of notebooks 00-04 show (their storage: test_notebook_storage.py).

nbval compares printed text, not images, so these tests run each notebook's
code cells in this process, collect every figure at the `plt.show()` that
displays it, and check its data, title, axis labels, legend and colours.
"""

import numpy as np
import pytest

import nnlib
from nnlib.course.dashboard import Dashboard
from nnlib.course.palette import COLORS
from nnlib.course.sweep import train_many
from tests.helpers import NOTEBOOK_DIR, ROOT
from tests.notebook_code import close_figures, legend_texts, markdown, read, run_figures  # noqa: F401  (close_figures: autouse)


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


NEAR_100 = np.linspace(99, 101, 64)  # the rates of notebook 04's faint eta = 100 runs
SINGLE_RATES = (0.01, 1.0, 10.0, 200.0)  # one run each, from seed 42


def outputs_of(name, code):
    """The printed text of the code cell whose source contains `code`."""
    (cell,) = [cell for cell in read(name).cells if cell.cell_type == "code" and code in cell.source]
    return "".join(output.get("text", "") for output in cell.outputs)


@pytest.fixture(scope="module")
def seed_runs():
    """Notebook 04's runs, recomputed with nnlib: single rates, the eta = 100 band, 64 seeds."""
    X, y = nnlib.seed_data()
    single = {rate: nnlib.train(X, y, learning_rate=rate, epochs=2000).losses for rate in SINGLE_RATES}
    band = train_many(X, y, NEAR_100, epochs=2000)  # (64, 2000)
    # Per seed: eta = 10, 10 nudged by 1e-12 (is it chaotic?), 100 and 200.
    per_seed = np.array([train_many(X, y, [10.0, 10.0 * (1 + 1e-12), 100.0, 200.0], epochs=2000, seed=seed)[:, -1]
                         for seed in range(64)])  # (64 seeds, 4)
    return single, band, per_seed


def test_learning_rate_figures_show_the_losses_nnlib_computes(monkeypatch, seed_runs):
    """Single runs from nnlib.train; the eta = 100 band, one faint group, from train_many."""
    single, band, _ = seed_runs
    full, zoom = run_figures("04_hyperparameters", monkeypatch)
    for fig, last_epoch in ((full, 1999), (zoom, 200)):
        (ax,) = fig.axes
        assert ax.get_yscale() == "log"
        assert ax.get_ylim() == (1e-8, 1)  # fixed: fitted limits would follow the band's chaotic lowest run
        assert band[:, : last_epoch + 1].min() > 1e-7  # every run inside, with a decade to spare
        assert ax.get_xlabel() == "epoch"
        assert "MSE" in ax.get_ylabel()
        assert ax.get_title()
        assert legend_texts(ax) == ["η = 0.01", "η = 1", "η = 10", "η ≈ 100, 64 runs", "η = 200"]
        lines = ax.get_lines()
        ensemble = [line for line in lines if line.get_gid() == "ensemble"]
        singles = [line for line in lines if line.get_gid() != "ensemble"]
        assert len(ensemble) == len(NEAR_100) and len(singles) == len(SINGLE_RATES)
        assert {line.get_color() for line in lines} <= set(COLORS.values())
        assert len({line.get_color() for line in singles}) == len(SINGLE_RATES)
        assert {line.get_color() for line in ensemble} == {COLORS["orange"]}
        assert all(line.get_alpha() < 0.5 for line in ensemble)  # faint: read as a band
        for line, rate in zip(singles, SINGLE_RATES):
            np.testing.assert_array_equal(line.get_xdata(), np.arange(last_epoch + 1))
            np.testing.assert_allclose(line.get_ydata(), single[rate][: last_epoch + 1], rtol=1e-12)
        for line, losses in zip(ensemble, band):
            np.testing.assert_array_equal(line.get_xdata(), np.arange(last_epoch + 1))
            np.testing.assert_allclose(line.get_ydata(), losses[: last_epoch + 1], rtol=1e-12)


def test_what_notebook_04_says_about_its_curves_holds_with_margin(seed_runs):
    """Each claim of "Reading the curves", checked against the runs with room to spare.

    The band's runs are chaotic: another computer sends some of them the other
    way. So the claims about them are shares, and each share must sit well
    inside the words' range (about half: 25% to 75%; checked here 35% to 65%).
    """
    single, band, _ = seed_runs
    text = markdown("04_hyperparameters")
    finals = band[:, -1]

    assert "the line is almost flat" in text
    assert single[0.01][-1] > 0.9 * single[0.01][0]

    assert "ten times the rate reaches the same loss in about a tenth of the epochs" in text
    for level in (0.1, 0.03, 0.01):
        epochs_1, epochs_10 = (np.flatnonzero(single[rate] < level)[0] for rate in (1.0, 10.0))
        assert 7 < epochs_1 / epochs_10 < 13, level

    assert "every run's loss first **rises**" in text
    assert np.all(band[:, 1:10].max(axis=1) > 1.2 * band[:, 0])

    assert "about half of the\n  runs drop suddenly, to the lowest losses in the figure" in text
    dropped = finals < 0.01
    assert 0.35 < dropped.mean() < 0.65
    lowest_single = min(losses[-1] for losses in single.values())
    assert np.sum(finals < lowest_single / 3) >= 8  # several, not one lucky run, end lowest of all

    assert "the rest stay stuck high, near 0.5 or 0.25" in text
    stuck = (np.abs(finals - 0.5) < 0.01) | (np.abs(finals - 0.25) < 0.01)
    assert np.mean(dropped | stuck) > 0.9 and 0.35 < stuck.mean() < 0.65

    assert "neighbouring\nrates in the figure, 0.03 apart, end in opposite places" in text
    assert np.isclose(NEAR_100[1] - NEAR_100[0], 0.03, atol=0.005)
    assert np.sum(dropped[1:] != dropped[:-1]) >= 10  # of 63 neighbouring pairs

    assert "$\\eta = 200$: the loss jumps to 0.5, dips a little twice in the first 100 epochs, then stays" in text
    assert "in 2000 epochs the network does not climb back out" in text
    eta_200 = single[200.0]
    assert eta_200[4:100].min() > 0.4 and np.all(np.abs(eta_200[100:] - 0.5) < 1e-3)
    dips = np.flatnonzero((eta_200[5:100] < 0.49) & (eta_200[4:99] >= 0.49))  # where a dip starts
    assert len(dips) == 2


def test_what_notebook_04_prints_about_64_starting_points_holds_with_margin(seed_runs):
    """The printed words hold, and would still hold if several runs landed the other way."""
    _, _, per_seed = seed_runs
    printed = outputs_of("04_hyperparameters", "in_words(")
    eta_10, eta_10_nudged, eta_100, eta_200 = per_seed.T

    assert "η =  10: below 0.01 from all of the 64 starting points" in printed
    assert eta_10.max() < 1e-3  # every run ten times below the target
    np.testing.assert_allclose(eta_10_nudged, eta_10, rtol=1e-6)  # and not chaotic: same on every computer

    assert "η = 100: below 0.01 from about half of the 64 starting points" in printed  # 25% to 75%
    assert 0.35 < np.mean(eta_100 < 0.01) < 0.65

    assert "η = 200: below 0.01 from hardly any of the 64 starting points" in printed  # below 10%
    assert np.mean(eta_200 < 0.01) <= 0.05

    text = markdown("04_hyperparameters")
    assert "At $\\eta = 10$ training works from every start, and the same way on every computer" in text


def test_eta_200_leaves_every_output_saturated_at_1():
    X, y = nnlib.seed_data()
    params = nnlib.train(X, y, learning_rate=200.0, epochs=2000).params
    A2, _ = nnlib.forward(params, X)
    assert "every output is 1 (up to rounding)" in markdown("04_hyperparameters")
    assert A2.min() > 0.999


def test_notebook_04_dashboard_starts_from_the_figures_settings():
    """Seed 42 and 2000 epochs, as its text says and as the figures use, passed explicitly."""
    (call,) = [cell.source for cell in read("04_hyperparameters").cells if cell.source.startswith("dashboard(")]
    assert "seed=42" in call and "epochs=2000" in call and 'dataset="seed"' in call
    assert "starting weights from seed 42, 2000 epochs" in " ".join(markdown("04_hyperparameters").split())


def test_what_notebook_04_says_about_the_dashboards_sweep_holds():
    """The sweep, over seeds 0-7 as the seed slider gives them: steady up to 50, a coin toss from 70 to 150, stuck from 170."""
    text = markdown("04_hyperparameters")
    assert "64 networks, one per rate from 0.001 to 1000, train together for the\nslider's epochs" in text
    assert "Up to rates of about 50 the\ncurve falls, the same from every starting point" in text
    assert "Between about 70 and 150 it jumps between low and high" in text
    assert "From about 170 on, every network is stuck at 0.5 or 0.25" in text
    board = Dashboard(dataset="seed", learning_rate=1.0, epochs=2000, seed=42, sweep=True)
    assert board.sweep.rates[0] == pytest.approx(1e-3) and board.sweep.rates[-1] == pytest.approx(1e3)
    assert board.sweep.epoch == 2000  # the slider's epochs
    finals = []
    for seed in range(8):
        board.controls["seed"].value = seed  # retrains the sweep from other starting weights
        assert board.sweep.epoch == 2000
        finals.append(board.sweep.finals.copy())
    finals, rates = np.array(finals), board.sweep.rates  # (8 seeds, 64 rates), (64,)
    steady, edge, stuck = rates <= 50, (rates >= 70) & (rates <= 150), rates >= 170
    spread = finals.max(axis=0) / finals.min(axis=0)  # (64,) across seeds, per rate
    assert spread[steady].max() < 30  # the same from every starting point
    at = {rate: np.abs(rates - rate).argmin() for rate in (0.01, 1, 46)}
    assert np.all(finals[:, at[46]] < finals[:, at[1]]) and np.all(finals[:, at[1]] < finals[:, at[0.01]])
    assert finals[:, steady].max() < 0.3
    high = np.mean(finals[:, edge] > 0.1)
    assert 0.2 < high < 0.8 and np.sum(finals[:, edge] < 1e-3) >= 4  # low and high: a coin toss
    assert finals[:, stuck].min() > 0.2  # every one stuck at 0.5 or 0.25




# What each figure's caption says (its alt text too) holds for the figure's data.

CAPTIONS = {"01_sigmoid": 1, "03_architecture": 1, "04_hyperparameters": 2}  # every described figure, tested below


def captions(name, monkeypatch):
    """[(figure, description)] of every `show_figure` call of a notebook, in order."""
    from nnlib.course import plots
    from tests.notebook_code import run_cells

    shown = []
    monkeypatch.setattr(plots, "show_figure", lambda fig, description, caption=True: shown.append((fig, description)))
    run_cells(name, monkeypatch)  # the notebook's `from nnlib.course.plots import show_figure` gets the recorder
    return shown


def claims(description, *phrases):
    for phrase in phrases:
        assert phrase in description, (phrase, description)


@pytest.mark.parametrize("name", ["00_the_original", "02_data", *sorted(CAPTIONS)])
def test_every_figure_is_described_and_its_description_is_tested_here(name, monkeypatch):
    assert len(captions(name, monkeypatch)) == CAPTIONS.get(name, 0)


def test_what_notebook_01s_caption_says_holds(monkeypatch):
    ((fig, words),) = captions("01_sigmoid", monkeypatch)
    claims(words, "The sigmoid (solid) is an S", "0.5 at z = 0", "Its derivative a(1 - a) (dashed) is a bump, highest "
           "at z = 0 (0.25)", "far from 0 the sigmoid is flat")
    curve, slope = fig.axes[0].get_lines()
    z, a, da = curve.get_xdata(), curve.get_ydata(), slope.get_ydata()
    assert curve.get_linestyle() == "-" and slope.get_linestyle() == "--"
    assert np.all(np.diff(a) > 0) and a[0] < 0.001 and a[-1] > 0.999  # an S from near 0 to near 1
    assert z[np.argmax(da)] == 0 and np.all(np.diff(da[z < 0]) > 0) and np.all(np.diff(da[z > 0]) < 0)  # a bump


def test_what_notebook_03s_caption_says_holds(monkeypatch):
    ((fig, words),) = captions("03_architecture", monkeypatch)
    claims(words, "3 inputs (x0 to x2) on the left, 4 hidden units (h0 to h3) in the middle, 2 outputs on the right",
           "(12 lines, the weights W1, solid blue)", "(8 lines, the weights W2, solid orange)")
    lines = fig.axes[0].get_lines()
    for color, start, count in ((COLORS["blue"], 0, 12), (COLORS["orange"], 1, 8)):
        drawn = [line for line in lines if line.get_color() == color]
        assert len(drawn) == count and all(line.get_linestyle() == "-" and line.get_xdata()[0] == start
                                           for line in drawn)


def test_what_notebook_04s_captions_say_holds(monkeypatch, seed_runs):
    single, band, _ = seed_runs
    (full, words), (zoom, zoom_words) = captions("04_hyperparameters", monkeypatch)
    styles = {line.get_label(): line.get_linestyle() for line in full.axes[0].get_lines()}
    assert (styles["η = 0.01"], styles["η = 1"], styles["η = 10"], styles["η = 200"]) == (":", "-", "-", "-.")
    claims(words, "η = 0.01 (dotted): almost flat", "η = 1 (solid): a smooth fall",
           "η = 10 (solid): the same fall, ten times sooner", "η ≈ 100 (64 faint lines): each rises first and "
           "wanders; then about half drop suddenly, each at its own epoch, to the lowest losses in the figure, and "
           "the rest stay high", "η = 200 (thick dash-dot): jumps to 0.5 and stays there")
    assert single[0.01][-1] > 0.9 * single[0.01][0]  # almost flat
    assert np.all(np.diff(single[1.0]) < 0)  # a smooth fall
    below = [np.flatnonzero(single[rate] < 0.01)[0] for rate in (1.0, 10.0)]
    assert 7 < below[0] / below[1] < 13  # ten times sooner
    assert np.all(band[:, 1:10].max(axis=1) > 1.2 * band[:, 0])  # each rises first
    finals = band[:, -1]
    assert 0.35 < np.mean(finals < 0.01) < 0.65 and finals.min() < min(losses[-1] for losses in single.values())
    assert np.all(finals[finals >= 0.01] > 0.2)  # the rest stay high
    assert abs(single[200.0][4] - 0.5) < 0.01 and np.all(np.abs(single[200.0][100:] - 0.5) < 1e-3)
    claims(zoom_words, "The 64 runs near η = 100 rise and wander; some have already dropped, each at its own epoch, "
                       "and most are still high",
           "η = 200 jumps to 0.5 at once, dips a little twice in the first 100 epochs, then stays at 0.5")
    dropped = band[:, :201].min(axis=1) < 0.01  # by epoch 200; each stays low once there
    assert 0.05 < dropped.mean() < 0.4 and np.all(band[dropped, 200] < 0.01)  # some, not most: chaos moves a few
    assert len({int(np.argmax(run < 0.01)) for run in band[dropped]}) > 0.8 * dropped.sum()  # each its own epoch
    eta_200 = single[200.0]
    dips = np.flatnonzero((eta_200[5:100] < 0.49) & (eta_200[4:99] >= 0.49))
    assert eta_200[1:5].max() > 0.49 and len(dips) == 2


# What the slides and the lesson plan show.

def test_a_markdown_cell_with_a_title_starts_with_it():
    """A slide's title is its first line: a sentence above it belongs to the slide before (or to none)."""
    import re

    for path in sorted(NOTEBOOK_DIR.glob("*.ipynb")):
        for number, cell in enumerate(read(path.stem).cells, start=1):
            lines = cell.source.split("\n") if cell.cell_type == "markdown" else []
            titles = [k for k, line in enumerate(lines) if re.match(r"#{1,6} ", line)]
            assert titles in ([], [0]), (path.name, number, cell.source[:200])


def plan_rows():
    """The 90-minute plan of docs/instructors.md: (notebook stem, slides shown or done, slides left out)."""
    import re

    text = (ROOT / "docs" / "instructors.md").read_text(encoding="utf-8")
    plan = text.split("## A single 90-minute class", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in plan.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        found = re.match(r"(\d\d) · ", cells[1]) if len(cells) == 5 else None
        if found:
            stem = next(path.stem for path in NOTEBOOK_DIR.glob(f"{found[1]}_*.ipynb"))
            rows.append((stem, cells[2] + " " + cells[3], cells[4]))
    return rows


def slide_names(text):
    """The slides a plan cell names: *titles*, 'Steps 1 and 2', 'Steps 3-6', '✏️ Exercise 1'."""
    import re

    names = re.findall(r"\*([^*]+)\*", text)
    for first, last in re.findall(r"Steps (\d)(?: and |-)(\d)", text):
        names += [f"Step {k}:" for k in range(int(first), int(last) + 1)]
    names += [f"✏️ Exercise {number}".rstrip() + (":" if not number else "")
              for number in re.findall(r"✏️ Exercise ?(\d?)", text)]
    return names


def sections(stem):
    """[(title, names its code sets, names its code reads)] of a notebook, one per titled markdown cell."""
    import ast

    found = []
    for cell in read(stem).cells:
        if cell.cell_type == "markdown" and cell.source.startswith("#"):
            found.append((cell.source.split("\n")[0].lstrip("#").strip(), set(), set()))
        elif cell.cell_type == "code" and found:
            tree = ast.parse("\n".join(line for line in cell.source.split("\n") if not line.startswith("%")))
            for node in ast.walk(tree):
                if isinstance(node, ast.Name):
                    (found[-1][1] if isinstance(node.ctx, ast.Store) else found[-1][2]).add(node.id)
    return found


def test_the_90_minute_plan_shows_every_slide_a_shown_slide_builds_on():
    """A slide shown in class must not compute with what only a slide left out defines."""
    rows = plan_rows()
    assert [stem[:2] for stem, _, _ in rows] == ["00", "05", "06", "07", "04"]
    for stem, shown_text, left_text in rows:
        parts = sections(stem)
        titles = [title for title, _, _ in parts]

        def matching(names):
            chosen = {title for title in titles for name in names if title == name or title.startswith(name) and (
                name.endswith((":", "?")) or title[len(name)] in ":,?")}  # "Bug (a)" is not "Bug (a) alone, on the map"
            return chosen  # italics that name no slide (a button: *sweep learning rates*) are left aside

        shown, left_out = matching(slide_names(shown_text)), matching(slide_names(left_text))
        assert shown, (stem, shown_text)
        assert not shown & left_out, (stem, shown & left_out)
        defined_by_left_out = {}
        for title, sets, reads in parts:
            if title in shown:
                needed = {name: defined_by_left_out[name] for name in reads - sets  # a loop's own names aside
                          if name in defined_by_left_out}
                assert not needed, f"{stem}: the shown slide {title!r} uses {needed}, defined on slides left out"
            for name in sets:
                if title in left_out:
                    defined_by_left_out[name] = title
                elif title in shown:
                    defined_by_left_out.pop(name, None)
