"""Accessibility (WCAG 2.1 AA): the series as a student with a screen reader, a keyboard or low vision meets it.

Without a browser (unit tests):

- the dashboard's description ("the picture in words", also the picture's
  alt text) follows the numbers of each run, and changes with each run;
- every colour the figures and the dashboard draw lines, markers and text
  in meets WCAG's contrast against its background (3:1, text 4.5:1), and
  what colour tells is also told by shape or line style;
- every figure in the notebooks is shown with a description (alt text and
  caption); the one bare image left is named in its test.

In Chromium, measured with axe-core, the rules engine behind most
accessibility checkers: pinned in tests/a11y/package-lock.json and
installed with `npm ci` the first time (without npm the tests skip locally
and fail in CI, where NNLIB_REQUIRE_BROWSER=1). Two views:

- JupyterLab: notebook 04 (two figures and the live dashboard), its outputs
  cleared, after Run > Run All Cells in headless Chromium; then the
  dashboard driven by the keyboard alone (a slider moved, its sections
  opened), checking what a screen reader gets (named sliders, a polite
  live region, the picture's alt text following the run) and measured
  again.
- JupyterLab: a dashboard with every control (layers, activation,
  classes, the class of a clicked point) on data of one's own: each
  control named, nothing serious, layers moved by the keyboard alone.
- nbconvert's HTML: notebooks 04 and 09 (figures, a dashboard's static
  picture) as `jupyter nbconvert --to html` makes them from the committed
  outputs, opened from a file with every request off the machine aborted.

Each fails on any critical or serious violation inside the notebook's
cells and outputs: the markdown as rendered, the outputs (figures, printed
text, the dashboard's widgets). What is left out, and why, is the
application around our content, which its developers answer for and no
setting of ours changes:

- outside the cells: JupyterLab's menus, side bars, tabs and status bar;
  nbconvert's page frame;
- the prompts ("In [1]:", "Out[1]:") and the colours of the code:
  JupyterLab's CodeMirror editor and nbconvert's Pygments theme (its
  comments, numbers and operators measure 4.2 to 4.4:1, prompts 2.2:1);
  the code's words are ours, their colouring is not;
- JupyterLab's heading-collapse button, an empty <button> it puts beside
  every markdown heading (axe: button-name).

The counts by rule and impact are printed (pytest -s shows them), for
the cells and for the whole page, so the numbers quoted in a note come
from this test.
"""

import html
import json
import re
import subprocess
import sys

import nbformat
import numpy as np
import pytest
from matplotlib.colors import to_hex, to_rgba
from matplotlib.lines import Line2D
from matplotlib.text import Text

from tests import browser
import nnlib
from nnlib.course import numbers, palette, plots
from nnlib.course.dashboard import Dashboard
from nnlib.course.dashboard import words as sentences
from nnlib.course.dashboard.board import picture_in_words
from nnlib.course.palette import CLASS_COLORS, COLORS, REPORT, contrast_ratio
from nnlib.course.plots import BELIEF_CMAP
from tests.helpers import ROOT


STEP_TIMEOUT = 120_000  # milliseconds
DASHBOARD_NOTEBOOK = "04_hyperparameters"
HTML_NOTEBOOKS = ("04_hyperparameters", "09_beyond_the_seed", "10_deeper")
# The cells and their outputs, without the application's prompts, code colouring and heading buttons.
APPLICATION = [[".jp-Cell .jp-InputArea-editor"], [".jp-Cell .jp-InputPrompt"], [".jp-Cell .jp-OutputPrompt"],
               [".jp-Cell .jp-collapseHeadingButton"]]
LAB_CONTEXT = {"include": [[".jp-NotebookPanel .jp-Notebook .jp-Cell"]], "exclude": APPLICATION}
HTML_CONTEXT = {"include": [[".jp-Notebook .jp-Cell"]], "exclude": APPLICATION}
STATUS = ".jp-OutputArea-output .nnlib-status .widget-html-content"  # the status line, not the note on noise


def cleared(name, root):
    """Copy a notebook into `root` without outputs or widget state: the browser runs it."""
    notebook = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    notebook.metadata.pop("widgets", None)
    nbformat.write(notebook, root / f"{name}.ipynb")


def test_notebook_with_a_dashboard_in_jupyterlab_has_no_serious_axe_violation(tmp_path):
    browser.require_browser()
    browser.require_axe()
    root = tmp_path / "root"
    root.mkdir()
    cleared(DASHBOARD_NOTEBOOK, root)
    with browser.jupyterlab(root, tmp_path) as (base, token, log_path), browser.chromium(tmp_path) as chromium:
        page = chromium.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(STEP_TIMEOUT)
        with browser.artifacts_on_failure(page, "accessibility_jupyterlab_failure", log_path):
            browser.open_notebook(page, base, token, f"{DASHBOARD_NOTEBOOK}.ipynb")
            browser.run_all_cells(page, timeout=STEP_TIMEOUT)
            page.locator(STATUS, has_text="final loss").first.wait_for()
            assert browser.errors_shown(page) == []
            # JupyterLab renders cells lazily when they scroll into view: show every one before measuring
            page.evaluate("() => document.querySelectorAll('.jp-Notebook .jp-Cell')"
                          ".forEach(cell => cell.scrollIntoView())")
            page.wait_for_timeout(1000)
            browser.report(f"{DASHBOARD_NOTEBOOK} in JupyterLab, the whole page", browser.run_axe(page, {"exclude": []}))
            serious = browser.report(f"{DASHBOARD_NOTEBOOK} in JupyterLab after Run All, the cells", browser.run_axe(page, LAB_CONTEXT))
            assert serious == [], "\n".join(serious)
            dashboard_speaks_and_answers_the_keyboard(page)
            serious = browser.report("the dashboard after keyboard use", browser.run_axe(page, LAB_CONTEXT))
            assert serious == [], "\n".join(serious)  # the open sections and the new picture too


def dashboard_speaks_and_answers_the_keyboard(page):
    """What a screen reader gets from the dashboard, and the keyboard alone driving it (nnlib.course.dashboard.aria)."""
    board = page.locator(".nnlib-dashboard")
    state = page.evaluate("""() => {
        const board = document.querySelector('.nnlib-dashboard');
        const status = board.querySelector('.nnlib-status .widget-html-content');
        return {handles: [...board.querySelectorAll('.widget-slider')].map(s => [
                    s.querySelector('.widget-label').textContent,
                    s.querySelector('[role=slider]').getAttribute('aria-label')]),
                status: [status.getAttribute('role'), status.getAttribute('aria-live')],
                alt: board.querySelector('img.widget-image').alt,
                words: board.querySelector('.nnlib-words .widget-html-content').textContent};
    }""")
    assert len(state["handles"]) == 4 and all(label == name for label, name in state["handles"]), state["handles"]
    assert state["status"] == ["status", "polite"]
    assert state["alt"] == state["words"] and state["alt"].startswith("Loss fell from 0.250 to ")
    handle = board.locator(".widget-slider", has=page.locator(".widget-label", has_text="hidden size")) \
        .locator("[role=slider]")
    handle.focus()
    assert handle.evaluate("e => getComputedStyle(e).outlineStyle") != "none"  # a visible focus ring
    page.keyboard.press("ArrowRight")  # hidden size 5: a new run, a new picture, new words
    page.wait_for_function("""alt => {
        const board = document.querySelector('.nnlib-dashboard');
        const picture = board.querySelector('img.widget-image');
        return picture.alt !== alt && board.querySelector('.nnlib-status').innerText.includes('final loss');
    }""", arg=state["alt"], timeout=STEP_TIMEOUT)
    board.locator("button", has_text="reset").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # past "copy as code" to "the picture in words"
    assert page.evaluate("() => document.activeElement.textContent") == "the picture in words"
    page.keyboard.press("Enter")
    words = board.locator(".nnlib-words")
    words.wait_for(state="visible")
    assert words.inner_text() == board.locator("img.widget-image").get_attribute("alt")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")  # "copy as code" opens too; its text box is named
    code = board.locator("textarea")
    code.wait_for(state="visible")
    assert code.get_attribute("aria-label") == "copy as code" and "hidden_size=5," in code.input_value()


EVERY_CONTROL = """() => {
    const board = document.querySelector('.nnlib-dashboard');
    const named = control => control.getAttribute('aria-label') || [...control.labels || []].map(l => l.textContent).join(' ')
        || control.textContent.trim();
    return {handles: [...board.querySelectorAll('.widget-slider')].map(s => [
                s.querySelector('.widget-label').textContent, s.querySelector('[role=slider]').getAttribute('aria-label')]),
            menus: [...board.querySelectorAll('select')].map(named),
            buttons: [...board.querySelectorAll('button')].map(named)};
}"""


def test_every_control_of_the_whole_dashboard_is_named_and_axe_finds_nothing_serious(tmp_path):
    """The dashboard with every control (layers, activation, classes, the click row), on data of one's own."""
    from tests.test_dashboard_browser import own_data_notebook

    browser.require_browser()
    browser.require_axe()
    root = tmp_path / "root"
    root.mkdir()
    own_data_notebook(root)
    with browser.jupyterlab(root, tmp_path) as (base, token, log_path), browser.chromium(tmp_path) as chromium:
        page = chromium.new_page(viewport={"width": 1280, "height": 720})
        page.set_default_timeout(STEP_TIMEOUT)
        with browser.artifacts_on_failure(page, "accessibility_every_control_failure", log_path):
            browser.open_notebook(page, base, token, "own_data.ipynb")
            browser.run_all_cells(page, timeout=STEP_TIMEOUT)
            page.locator(STATUS, has_text="final loss").first.wait_for()
            page.wait_for_timeout(1000)
            state = page.evaluate(EVERY_CONTROL)
            labels = [label for label, _ in state["handles"]]
            assert labels == ["learning rate", "layers", "hidden size", "epochs", "seed", "noise", "test fraction"]
            assert all(label == name for label, name in state["handles"]), state["handles"]
            assert len(state["menus"]) == 6 and all(state["menus"]), state["menus"]  # activation and classes too
            assert {"class 0", "class 1", "class 2", "remove clicked points"} <= set(state["buttons"])
            assert all(state["buttons"]), state["buttons"]
            serious = browser.report("the dashboard with every control", browser.run_axe(page, LAB_CONTEXT))
            assert serious == [], "\n".join(serious)
            handle = page.locator(".widget-slider", has=page.locator(".widget-label", has_text="layers")) \
                .locator("[role=slider]")
            handle.focus()
            page.keyboard.press("ArrowRight")  # 3 layers, by the keyboard alone
            page.wait_for_function("() => document.querySelector('.nnlib-dashboard img.widget-image')"
                                   ".alt.includes('3 hidden layers')", timeout=STEP_TIMEOUT)
            assert handle.get_attribute("aria-valuetext") == "3"


@pytest.mark.parametrize("name", HTML_NOTEBOOKS)
def test_notebook_rendered_by_nbconvert_has_no_serious_axe_violation(name, tmp_path):
    browser.require_browser()
    browser.require_axe()
    result = subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "html", "--output-dir",
                             str(tmp_path), str(ROOT / "notebooks" / f"{name}.ipynb")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    html = tmp_path / f"{name}.html"
    with browser.chromium(tmp_path) as chromium:
        page = chromium.new_page(viewport={"width": 1400, "height": 1000})
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                   else route.abort())  # offline, as on a projector without network
        with browser.artifacts_on_failure(page, f"accessibility_nbconvert_{name}_failure"):
            page.goto(html.as_uri())
            browser.report(f"{name} as nbconvert HTML, the whole page", browser.run_axe(page, {"exclude": []}))
            serious = browser.report(f"{name} as nbconvert HTML, the cells", browser.run_axe(page, HTML_CONTEXT))
            assert serious == [], "\n".join(serious)


def test_axe_is_pinned():
    """The version in package.json is the one the lock file installs (what the counts were measured with)."""
    wanted = json.loads((browser.PACKAGES / "package.json").read_text())["dependencies"]["axe-core"]
    locked = json.loads((browser.PACKAGES / "package-lock.json").read_text())["packages"]["node_modules/axe-core"]["version"]
    assert wanted == locked and wanted.startswith("4.")


# -- the dashboard in words ---------------------------------------------------

def test_dashboard_description_follows_the_numbers_of_a_run():
    board = Dashboard(dataset="seed", learning_rate=1.0, epochs=2000, sweep=True)
    run, sweep = board.run, board.sweep
    words = picture_in_words(board.run, board.sweep)
    assert words.startswith(f"Loss fell from {numbers.number(run.losses[0])} to {numbers.number(run.losses[-1])} "
                            "in 2,000 epochs.")
    assert "All 4 samples right." in words and run.accuracy() == 1.0
    for n, (outputs, targets) in enumerate(zip(run.outputs(), run.y)):
        assert f"sample {n}: {outputs[0]:.2f}, {outputs[1]:.2f} ({targets[0]:g}, {targets[1]:g})" in words
    low, high = sentences.good_range(sweep.rates, sweep.finals, run.losses[0])
    good = sweep.rates[sweep.finals < 0.01 * run.losses[0]]
    assert (low, high) == (good.min(), good.max()) and low <= 1.0 <= high
    assert f"Learning rate 1 is in the good range of the sweep: {low:.3g} to {high:.3g}" in words
    W = np.concatenate([run.params["W1"].ravel(), run.params["W2"].ravel()])
    assert f"Weights: {(W > 0).sum()} of {W.size} positive" in words
    assert board.words.value == html.escape(words)  # "the picture in words", the picture's alt text
    static = board.widget._repr_mimebundle_()["text/html"]  # where the widget cannot run
    assert f'alt="{html.escape(words)}"' in static and f">{html.escape(words)}</figcaption>" in static


def test_dashboard_description_changes_with_each_run():
    board = Dashboard(dataset="seed", learning_rate=1.0, epochs=2000)
    before = board.words.value
    board.controls["learning_rate"].value = 0.01  # barely learns
    after = board.words.value
    assert after != before and "Loss barely moved" in after and "Learning rate 0.01." in after
    assert "the learning rate may be too small" in after
    board.controls["dataset"].value = "moons"
    run = board.run
    right = round(run.test_accuracy() * len(run.y_test))
    assert f"Test set: {right} of {len(run.y_test)} points right, test loss {numbers.number(run.test_loss())}." \
        in board.words.value
    assert "Outputs (targets)" not in board.words.value  # no table for 2-D data
    board.buttons["reset"].click()  # the starting weights: nothing trained, the starting weights' scores
    assert board.words.value.startswith("Not trained yet: 0 of 2,000 epochs.")


@pytest.mark.parametrize("dataset", ["seed", "xor", "moons", "spirals"])
def test_the_description_speaks_of_the_data_panel_the_picture_draws(dataset):
    """A table of outputs for the seed data; on the plane (XOR too), points and a boundary, never a table."""
    board = Dashboard(dataset=dataset, epochs=100)
    drawn = {type(panel).__name__ for row in board.panels.rows for panel in row}
    words = picture_in_words(board.run)
    if "BoundaryPanel" in drawn:
        assert "Outputs (targets)" not in words and " points right." in words, words
    else:
        assert "OutputsPanel" in drawn and "Outputs (targets): sample 0: " in words, words
    assert ("BoundaryPanel" in drawn) == (dataset != "seed")


def test_live_frames_leave_the_description_alone_and_hide_the_counter_from_screen_readers():
    board = Dashboard(dataset="seed", epochs=500)
    settled = board.words.value
    board.draw(settled=False)  # a frame while training
    assert board.words.value == settled  # only a finished, paused or stepped run is described again
    assert "<span aria-hidden='true'>epoch" in board.status.value  # the live region says "training…" once


def test_sentences_say_what_the_numbers_say():
    assert sentences.loss_sentence(np.array([0.25, 0.1, 0.0005]), 3) == "Loss fell from 0.250 to 0.000500 in 3 epochs."
    assert sentences.loss_sentence(np.array([0.25, 0.5]), 10) == "Loss rose from 0.250 to 0.500 in 2 epochs (of 10)."
    assert sentences.loss_sentence(np.array([0.25, 0.24]), 2).startswith("Loss barely moved")
    assert sentences.loss_sentence(np.array([0.25, np.nan]), 2) == \
        "Loss started at 0.250 and became not a number in 2 epochs."
    assert sentences.right_sentence(4, 4) == "All 4 samples right."
    assert sentences.right_sentence(3, 4, "points") == "3 of 4 points right."
    assert sentences.right_sentence(0, 4) == "None of the 4 samples right."
    assert [numbers.number(v) for v in (1234.5, 0.25, 1.2e-5, 0.0)] == ["1,234", "0.250", "1.20e-05", "0.00"]
    rates = np.array([0.1, 1.0, 10.0, 100.0])
    assert sentences.good_range(rates, np.array([0.2, 0.001, 0.0001, np.nan]), 0.25) == (1.0, 10.0)
    assert sentences.good_range(rates, np.array([0.2, 0.2, 0.2, 0.2]), 0.25) is None
    sentence = sentences.sweep_sentence(100.0, rates, np.array([0.2, 0.001, 0.0001, np.nan]), 5, 10, 0.25)
    assert sentence.startswith("Learning rate 100 is above the good range of the sweep after 5 of 10 epochs: 1 to 10")


def test_gradient_maps_are_described_per_parameter():
    X, y = nnlib.seed_data()
    params = nnlib.init_params(3, 4, 2, 42)
    wrong = plots.gradient_errors_sentence(nnlib.gradient_errors(params, X, y, backward=nnlib.original.backward),
                                              1e-7)
    assert "W2 (4 × 2): 8 of 8 entries at or above the pass line, largest error 0.601, " \
           "analytic / numerical from 3.98 to 4.02." in wrong
    right = plots.gradient_errors_sentence(nnlib.gradient_errors(params, X, y), 1e-7)
    assert right == ("W1 (3 × 4): all 12 entries are below the pass line. b1 (1 × 4): all 4 entries are below the "
                     "pass line. W2 (4 × 2): all 8 entries are below the pass line. b2 (1 × 2): both entries are "
                     "below the pass line.")


# -- contrast and colour -------------------------------------------------------

def test_contrast_ratio_is_wcags():
    assert contrast_ratio("black", "white") == pytest.approx(21.0)
    assert contrast_ratio("white", "white") == pytest.approx(1.0)
    assert contrast_ratio("#767676") == pytest.approx(4.54, abs=0.01)  # the lightest grey that passes for text


def test_palette_meets_wcag_contrast_on_white_and_on_the_belief_map():
    for name in ("blue", "orange", "green", "vermillion", "sky", "black"):  # lines and markers
        assert contrast_ratio(COLORS[name]) >= 3, name
    assert contrast_ratio(COLORS["vermillion"]) >= 4.5  # also the colour of warnings and labels
    for end in (BELIEF_CMAP(0.0), BELIEF_CMAP(1.0)):  # points on the decision map, hollow test points included
        for color in CLASS_COLORS:
            assert contrast_ratio(color, end[:3]) >= 3, (color, to_hex(end))


@pytest.mark.parametrize("settings", [dict(dataset="seed", sweep=True, epochs=300),
                                      dict(dataset="moons", epochs=300, hidden_size=8)])  # 8: numbered maps
def test_every_line_and_text_of_the_dashboard_meets_wcag_contrast(settings):
    board = Dashboard(**settings)
    board.controls["seed"].value = 1  # a previous run to draw
    checked = 0
    shown = [panel for row in board.panels.rows for panel in row] + [board.panels.panel("sweep")] * bool(board.sweep)
    for panel in shown:  # as the last picture drew them
        name = type(panel).__name__
        grid = {id(line) for ax in panel.figure.axes for line in ax.get_xgridlines() + ax.get_ygridlines()}
        for artist in panel.figure.findobj(lambda a: isinstance(a, (Line2D, Text)) and a.get_visible()):
            if isinstance(artist, Text) and not artist.get_text().strip() or id(artist) in grid:
                continue  # grid lines: a faint guide for the eye; the values are read from the tick labels
            color = artist.get_color()
            if to_hex(color) == "#ffffff":  # white: the table's numbers (checked below), the unit maps' numbers
                box = isinstance(artist, Text) and artist.get_bbox_patch()
                assert name == "OutputsPanel" or not isinstance(artist, Text) or \
                    (box and to_hex(box.get_facecolor()) == "#000000"), (name, artist)
                continue
            needed = 4.5 if isinstance(artist, Text) else 3
            assert contrast_ratio(color) >= needed, (name, artist, to_hex(color))
            checked += 1
    assert checked > 20
    if "outputs" in board.panels.made:  # the numbers in the table, against their own cell
        panel = board.panels.made["outputs"]
        for row, values in zip(panel.texts, board.run.outputs()):
            for text, value in zip(row, values):
                assert contrast_ratio(text.get_color(), panel.table.cmap(value)[:3]) >= 4.5


def colours_drawn(figure):
    """(what, '#rrggbb' or a colour map's name) of every line, text, marker and collection drawn in `figure`.

    Colour-mapped artists (maps, images, colour bars) give their map's name;
    the frames matplotlib draws in its own greys (axes, legends) are patches,
    left out.
    """
    from matplotlib.collections import Collection
    from matplotlib.contour import ContourSet
    from matplotlib.image import AxesImage

    found = []
    for artist in figure.findobj(lambda a: a.get_visible()):
        colours = []
        if isinstance(artist, Line2D):
            colours = [artist.get_color(), artist.get_markerfacecolor(), artist.get_markeredgecolor()]
        elif isinstance(artist, Text) and artist.get_text().strip():
            box = artist.get_bbox_patch()
            colours = [artist.get_color()] + ([box.get_facecolor()] if box else [])
        elif isinstance(artist, AxesImage) and np.ndim(artist.get_array()) == 2:
            found.append((artist, artist.get_cmap().name))
        elif isinstance(artist, ContourSet) and not artist.filled:
            colours = list(artist.get_edgecolor())
        elif isinstance(artist, Collection) and artist.get_array() is not None:
            found.append((artist, artist.get_cmap().name))
        elif isinstance(artist, Collection):
            colours = list(artist.get_facecolor()) + list(artist.get_edgecolor())
        for colour in colours:
            if not (isinstance(colour, str) and colour == "none") and to_rgba(colour)[3] > 0:
                found.append((artist, to_hex(colour)))
    return found


@pytest.mark.parametrize("settings", [dict(dataset="seed", sweep=True, epochs=300),
                                      dict(dataset="moons", epochs=300, hidden_size=8)])
def test_every_colour_the_dashboard_draws_is_the_palettes(settings):
    board = Dashboard(**settings)
    board.controls["seed"].value = 1  # a previous run to draw
    allowed = palette.named_colors() | {BELIEF_CMAP.name, palette.VALUES}
    shown = [panel for row in board.panels.rows for panel in row] + [board.panels.panel("sweep")] * bool(board.sweep)
    drawn = [(type(panel).__name__, artist, colour) for panel in shown for artist, colour in colours_drawn(panel.figure)]
    assert len(drawn) > 50
    assert [(name, artist, colour) for name, artist, colour in drawn if colour not in allowed] == []


def test_the_grading_report_and_the_dashboards_page_script_take_their_colours_from_the_palette():
    from nnlib.course.dashboard import aria
    from tools.grading import report

    page = report.page("grades", "<table></table>")
    for text in (page, aria.SCRIPT):
        used = {colour.lower() for colour in re.findall(r"#[0-9a-fA-F]{6}\b", text)}
        assert used and used <= palette.named_colors(), used - palette.named_colors()
    for verdict in ("passed", "not yet", "error", "missing"):  # every cell's text is readable on its background
        text = REPORT["quiet text"] if verdict == "missing" else REPORT["text"]
        assert contrast_ratio(text, REPORT[verdict]) >= 4.5, verdict


def test_nothing_in_the_dashboard_is_told_by_colour_alone():
    board = Dashboard(dataset="moons", epochs=300, hidden_size=8)
    board.controls["seed"].value = 1
    loss = board.panels.panel("loss")
    styles = {loss.training.get_linestyle(), loss.test.get_linestyle(), loss.previous.get_linestyle()}
    assert len(styles) == 3  # training solid, test dashed, previous run dotted
    boundary = board.panels.panel("boundary")
    markers = [tuple(map(tuple, p.get_paths()[0].vertices)) for p in boundary.points[:2]]
    assert markers[0] != markers[1]  # class 0 circles, class 1 triangles
    network = board.panels.panel("network")  # one line per weight, as drawn: W1's, then W2's
    weights = np.concatenate([board.run.params["W1"].ravel(), board.run.params["W2"].ravel()])
    dashes = [dash for _, dash in network.lines.get_linestyles()]
    assert len(dashes) == len(weights) and (weights > 0).any() and (weights < 0).any()
    assert all((dash is not None) == (weight < 0) for dash, weight in zip(dashes, weights))  # negative: dashed


# -- every figure in the notebooks is described --------------------------------

NOTEBOOK_NAMES = sorted(path.stem for path in (ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("name", NOTEBOOK_NAMES)
def test_every_figure_in_the_notebooks_has_alt_text_and_a_caption(name):
    """Every figure is HTML with alt text and a caption (plots.show_figure), or the dashboard's static picture.

    The map that `checks.check_backward` shows (notebook 06) is one of
    them: `gradient_maps` displays it through `plots.figure_html`.
    """
    notebook = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    bare = []  # (notebook, cell) of images shown without alt text
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "text/html" in data and "<img" in data["text/html"]:
                page = data["text/html"]
                alt = page.split('alt="', 1)[1].split('"', 1)[0]
                assert len(alt) > 80, (name, index, alt)  # words, not "a figure"
                assert f"<figcaption" in page and alt in page.split("<figcaption", 1)[1], (name, index)
                if data["text/plain"].startswith("[map] "):  # check_backward's map: its short legend as text
                    title = data["text/plain"][len("[map] "):].split(": bright entries", 1)[0]
                    assert html.unescape(alt).startswith(title), (name, index)
                elif "application/vnd.jupyter.widget-view+json" not in data:  # a dashboard's: its summary
                    assert html.unescape(alt) == data["text/plain"]
            elif "image/png" in data:  # a bare image: JupyterLab would show it without alt text
                bare.append(index)
    assert bare == [], f"{name}: cells {bare} show a picture without alt text"
