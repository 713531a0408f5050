"""The dashboard end to end: JupyterLab in headless Chromium, driven with the keyboard and the buttons.

JupyterLab serves a copy of tests/fixtures/dashboard.ipynb with its outputs
cleared, so the browser has to run everything itself (harness: browser.py).
A MutationObserver in the page records every new picture the kernel sends
(each is a new blob URL on the dashboard's image) with the status line at
that moment. Then:

- one key press on "hidden size": the picture changes several times while
  the status line says "training", and settles on the final picture; no
  run follows it;
- two key presses during one run: it ends on the second setting, and no
  third run comes after it;
- pause stops the run (no new picture while paused), step trains one epoch
  and says what changed, play trains to the end;
- 200 typed into the learning-rate readout trains at 200 (the slider
  reaches 1000), and a screen reader hears the rate, 200, not the
  slider's exponent (`aria-valuetext`);
- on the seed data, noise and test fraction are switched off for a
  screen reader too (`aria-disabled`), a key press moves neither, and the
  note under them says why;
- at 1280x720 every menu shows each of its choices whole (the step menu
  once showed "1000" cut to "100");
- a second hidden layer (a key press on "layers"), tanh and a third class
  from their menus each train a new network and send a new picture; a
  click on the decision boundary's map adds a point of the class chosen
  beside it, and "remove clicked points" takes it away;
- after Kernel > Restart during a run, the status line says the kernel
  restarted and the cell must be run again, and the controls are off;

and no error, stderr output or traceback appears anywhere on the page
(until the restart). No timing is asserted: how fast it is,
benchmarks/dashboard_latency.py measures. A failure saves a screenshot,
the page's text and the server log under test-artifacts/.
"""

import re
import time

import nbformat

from tests import browser
from tests.helpers import FIXTURES

FIXTURE = FIXTURES / "dashboard.ipynb"
STEP_TIMEOUT = 60_000  # milliseconds, for each of Playwright's waits
IMAGE = ".jp-OutputArea-output img.widget-image"
STATUS = ".jp-OutputArea-output .nnlib-status .widget-html-content"  # the status line, not the note on noise
CODE = ".jp-OutputArea-output .widget-textarea textarea"
QUIET = 1.5  # seconds without a new picture that show no run is queued

RECORD_PICTURES = """() => {
    const img = document.querySelector('%s');
    window.pictures = [];
    new MutationObserver(() => window.pictures.push({
        src: img.src, t: performance.now(),
        status: document.querySelector('%s').innerText})).observe(img, {attributes: true, attributeFilter: ['src']});
}""" % (IMAGE, STATUS)


def cleared_fixture(root):
    """Copy the fixture into `root` without outputs or saved widget state."""
    notebook = nbformat.read(FIXTURE, as_version=4)
    for cell in notebook.cells:  # no saved picture: the browser must make its own
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    notebook.metadata.pop("widgets", None)
    nbformat.write(notebook, root / "dashboard.ipynb")


def slider(page, description):
    """The slider whose label reads `description`."""
    return page.locator(".widget-slider", has=page.locator(".widget-label", has_text=description))


def button(page, text):
    """The dashboard button whose text is `text`."""
    return page.locator(".jp-OutputArea-output button.jupyter-button", has_text=re.compile(f"^\\s*{text}\\s*$"))


def status(page):
    return page.locator(STATUS).first.inner_text()


def pictures(page):
    """Every picture recorded since `start_recording`: dicts with src, t (ms) and status."""
    return page.evaluate("() => window.pictures")


def start_recording(page):
    page.evaluate("() => { window.pictures = window.pictures || []; window.pictures.length = 0; }")


def wait_until_settled(page):
    """Wait until the status line shows a finished run and no picture has come for QUIET seconds."""
    page.locator(STATUS, has_text="final loss").wait_for(timeout=STEP_TIMEOUT)
    while True:
        count = len(pictures(page))
        time.sleep(QUIET)
        if len(pictures(page)) == count and "final loss" in status(page):
            return


def problems(page):
    """Error outputs, tracebacks, and errors the status line reports."""
    return browser.errors_shown(page) + [text for text in page.locator(STATUS).all_inner_texts() if "Error" in text]


def press(page, description, key="ArrowRight"):
    slider(page, description).locator(".noUi-handle").focus()
    page.keyboard.press(key)


def one_key_press_animates(page):
    start_recording(page)
    press(page, "hidden size")
    wait_until_settled(page)
    seen = pictures(page)
    training = [p for p in seen if "training" in p["status"]]
    assert len(training) >= 2, f"the picture should move while training: {[p['status'] for p in seen]}"
    assert len({p["src"] for p in seen}) == len(seen)  # every one a new picture
    assert "final loss" in seen[-1]["status"]
    assert slider(page, "hidden size").locator(".widget-readout").inner_text() == "17"
    assert "hidden_size=17," in page.locator(CODE).input_value()


def two_key_presses_end_on_the_second(page):
    start_recording(page)
    press(page, "hidden size")
    page.wait_for_function("() => window.pictures.length >= 1", timeout=STEP_TIMEOUT)
    press(page, "hidden size")  # while the first run trains
    wait_until_settled(page)
    assert slider(page, "hidden size").locator(".widget-readout").inner_text() == "19"
    assert "hidden_size=19," in page.locator(CODE).input_value()
    seen = pictures(page)
    finals = [p for p in seen if "final loss" in p["status"]]
    assert len(finals) == 1 and finals[0] is seen[-1], "one run finished, the second: nothing queued"


def pause_step_play(page):
    start_recording(page)
    press(page, "seed")
    page.wait_for_function("() => window.pictures.length >= 1", timeout=STEP_TIMEOUT)
    button(page, "pause").click()
    page.wait_for_function("() => window.pictures.length && window.pictures.at(-1).status.includes('paused')",
                           timeout=STEP_TIMEOUT)  # the picture it paused on has come
    epoch = int(re.search(r"paused at epoch ([\d,]+)", status(page)).group(1).replace(",", ""))
    assert 0 < epoch < 6000
    count = len(pictures(page))
    time.sleep(QUIET)
    assert len(pictures(page)) == count, "a new picture while paused"
    button(page, "step").click()
    page.locator(STATUS, has_text="Stepped from epoch").wait_for(timeout=STEP_TIMEOUT)
    assert f"Stepped from epoch {epoch:,} to {epoch + 1:,}" in status(page)
    button(page, "play").click()
    wait_until_settled(page)
    assert "after 6,000 epochs" in status(page)


def typed_rate_of_200_trains_at_200(page):
    readout = slider(page, "learning rate").locator(".widget-readout")
    readout.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("200")
    page.keyboard.press("Enter")
    page.wait_for_function("s => document.querySelector(s).value.includes('learning_rate=200.0')",
                           arg=CODE, timeout=STEP_TIMEOUT)
    wait_until_settled(page)
    assert readout.inner_text() == "200"
    handle = slider(page, "learning rate").locator("[role=slider]")
    assert handle.get_attribute("aria-valuetext") == "200"  # the rate; the slider itself moves log10 of it
    for each in page.locator(".nnlib-dashboard .widget-slider").all():  # every slider says what its readout shows
        assert each.locator("[role=slider]").get_attribute("aria-valuetext") == \
            each.locator(".widget-readout").inner_text()


def noise_and_test_fraction_are_off_for_the_seed_data(page):
    note = page.locator(".nnlib-dashboard .widget-html-content", has_text="For moons and spirals only")
    assert not note.is_visible()  # moons: both sliders work
    page.locator(".widget-dropdown", has=page.locator(".widget-label", has_text="dataset")).locator("select") \
        .select_option(label="the seed's 4 samples")
    note.wait_for(state="visible")
    wait_until_settled(page)
    for name in ("noise", "test fraction"):
        assert slider(page, name).locator("[role=slider]").get_attribute("aria-disabled") == "true", name
        before = slider(page, name).locator(".widget-readout").inner_text()
        press(page, name)
        time.sleep(QUIET)
        assert slider(page, name).locator(".widget-readout").inner_text() == before, name
    assert "noise=" not in page.locator(CODE).input_value()


MENU_ROOM = """() => [...document.querySelectorAll('.nnlib-dashboard select')].map(select => {
    const style = getComputedStyle(select);
    const pen = document.createElement('canvas').getContext('2d');
    pen.font = style.font;
    const room = select.getBoundingClientRect().width - ['Left', 'Right'].reduce((sum, side) =>
        sum + parseFloat(style['padding' + side]) + parseFloat(style['border' + side + 'Width']), 0);
    return [...select.options].map(option => [option.text, pen.measureText(option.text).width, room]);
}).flat()"""


def menus_show_every_choice_whole(page):
    """At 1280x720 (a classroom projector), each menu is wide enough for its widest choice."""
    page.set_viewport_size({"width": 1280, "height": 720})
    page.wait_for_timeout(500)
    cut = [(text, round(width, 1), round(room, 1)) for text, width, room in page.evaluate(MENU_ROOM)
           if width > room + 0.5]
    assert cut == [], f"choices wider than their menu (text, width, room): {cut}"
    page.set_viewport_size({"width": 1400, "height": 1000})


def a_restart_says_so(page):
    """Kernel > Restart while a run trains: the page says the dashboard is dead, and how to get a live one."""
    button(page, "play").click()  # replays the run at the play speed: several seconds of "training…"
    page.locator(STATUS, has_text="training").wait_for(timeout=STEP_TIMEOUT)
    page.locator(".lm-MenuBar-itemLabel", has_text="Kernel").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Restart Kernel").first.click()
    page.locator(".jp-Dialog-button.jp-mod-accept").click()
    page.locator(STATUS, has_text="kernel restarted").wait_for(timeout=STEP_TIMEOUT)
    browser.wait_for_idle_kernel(page)
    said = status(page)
    assert said.startswith("Disconnected:") and "Run its cell again" in said and "training" not in said
    controls = page.locator(".nnlib-dashboard button.jupyter-button, .nnlib-dashboard select")
    assert controls.count() >= 6 and all(control.is_disabled() for control in controls.all())
    assert all(handle.get_attribute("aria-disabled") == "true"
               for handle in page.locator(".nnlib-dashboard [role=slider]").all())
    readout = slider(page, "hidden size").locator(".widget-readout")
    assert readout.get_attribute("contenteditable") == "false"  # nothing to type into that would go nowhere


def select(page, description, label):
    """Choose `label` in the dashboard menu whose label reads `description`."""
    page.locator(".widget-dropdown", has=page.locator(".widget-label", has_text=description)).locator("select") \
        .select_option(label=label)


def picture_changes(page, action, wanted):
    """Do `action`; wait until the run it starts has settled; return the pictures it sent (at least one, new)."""
    before = page.locator(IMAGE).get_attribute("src")
    start_recording(page)
    action()
    page.wait_for_function("([s, wanted]) => document.querySelector(s).value.includes(wanted)",
                           arg=[CODE, wanted], timeout=STEP_TIMEOUT)
    wait_until_settled(page)
    seen = pictures(page)
    assert seen and seen[-1]["src"] != before and "final loss" in seen[-1]["status"]
    return seen


def layers_and_activation_retrain(page):
    """A second hidden layer by the keyboard, then tanh from the menu: each a new run and a new picture."""
    select(page, "dataset", "moons")
    wait_until_settled(page)
    picture_changes(page, lambda: press(page, "layers"), "hidden_size=[19, 19]")
    assert slider(page, "layers").locator("[role=slider]").get_attribute("aria-label") == "layers"
    picture_changes(page, lambda: select(page, "activation", "tanh"), "activation='tanh'")
    assert "2 hidden layers of 19 tanh units" in page.locator(IMAGE).get_attribute("alt")


def click_on_map(page, across, up):
    """Click the decision boundary's map, `across` and `up` its figure's width and height from its bottom left.

    The map is the second panel of the picture's first row (panels.PanelGrid),
    after the loss panel (352 pixels wide); the panel is 336 x 264 pixels.
    """
    page.locator(IMAGE).scroll_into_view_if_needed()
    image = page.locator(IMAGE).bounding_box()
    scale = image["width"] / page.locator(IMAGE).evaluate("e => e.naturalWidth")
    page.mouse.click(image["x"] + (352 + 336 * across) * scale, image["y"] + 264 * (1 - up) * scale)


def a_third_class_and_a_clicked_point(page):
    """Three classes from the menu, then a click on the map adds a point of class 2 there."""
    picture_changes(page, lambda: select(page, "classes", "3"), "classes=3")
    page.locator(".jp-OutputArea-output .widget-toggle-button", has_text="class 2").click()
    picture_changes(page, lambda: click_on_map(page, 0.455, 0.525), "the points you clicked")
    code = page.locator(CODE).input_value()
    assert "nnlib.one_hot([2], classes=3)" in code
    picture_changes(page, lambda: button(page, "remove clicked points").click(), "classes=3")
    assert "the points you clicked" not in page.locator(CODE).input_value()


def test_the_dashboard_is_live_in_a_real_browser(tmp_path):
    browser.require_browser()
    root = tmp_path / "root"
    root.mkdir()
    cleared_fixture(root)
    with browser.jupyterlab(root, tmp_path) as (base, token, log_path), browser.chromium(tmp_path) as chromium:
        page = chromium.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(STEP_TIMEOUT)
        with browser.artifacts_on_failure(page, "dashboard_browser_failure", log_path):
            browser.open_notebook(page, base, token, "dashboard.ipynb")
            browser.run_all_cells(page)
            page.locator(STATUS, has_text="final loss").wait_for()
            assert problems(page) == [], "error output after Run All Cells"
            page.evaluate(RECORD_PICTURES)
            for check in (one_key_press_animates, two_key_presses_end_on_the_second, pause_step_play,
                          typed_rate_of_200_trains_at_200, noise_and_test_fraction_are_off_for_the_seed_data,
                          menus_show_every_choice_whole, layers_and_activation_retrain,
                          a_third_class_and_a_clicked_point):
                check(page)
                assert problems(page) == [], f"error output after {check.__name__}"
            a_restart_says_so(page)


OWN_DATA = """\
import numpy as np
from nnlib.course.dashboard import dashboard

rng = np.random.default_rng(1)
labels = np.arange(90) % 3  # three clusters of 30 points
X = rng.normal(scale=0.4, size=(90, 2)) + np.array([[0, 0], [2, 0], [1, 2]])[labels]
dashboard(X=X, y=labels, layers=2, hidden_size=6, learning_rate=3.0, epochs=2000)"""


def own_data_notebook(root):
    """A notebook whose one cell shows a dashboard of data given as X and labels."""
    notebook = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "language": "python",
                                                                 "display_name": "Python 3"}})
    notebook.cells = [nbformat.v4.new_code_cell(OWN_DATA)]
    nbformat.write(notebook, root / "own_data.ipynb")


def test_a_dashboard_of_ones_own_data_trains_draws_and_takes_clicks(tmp_path):
    browser.require_browser()
    root = tmp_path / "root"
    root.mkdir()
    own_data_notebook(root)
    with browser.jupyterlab(root, tmp_path) as (base, token, log_path), browser.chromium(tmp_path) as chromium:
        page = chromium.new_page(viewport={"width": 1280, "height": 720})
        page.set_default_timeout(STEP_TIMEOUT)
        with browser.artifacts_on_failure(page, "dashboard_own_data_failure", log_path):
            browser.open_notebook(page, base, token, "own_data.ipynb")
            browser.run_all_cells(page)
            page.locator(STATUS, has_text="final loss").wait_for()
            assert problems(page) == []
            page.evaluate(RECORD_PICTURES)
            assert "X_train, y_train = X, nnlib.one_hot(y, classes=3)" in page.locator(CODE).input_value()
            assert "2 hidden layers of 6 sigmoid units" in page.locator(IMAGE).get_attribute("alt")
            page.locator(".jp-OutputArea-output .widget-toggle-button", has_text="class 1").click()
            picture_changes(page, lambda: click_on_map(page, 0.3, 0.3), "the points you clicked")
            assert "nnlib.one_hot([1], classes=3)" in page.locator(CODE).input_value()
            picture_changes(page, lambda: select(page, "activation", "ReLU"), "activation='relu'")
            picture_changes(page, lambda: select(page, "dataset", "spirals"), "nnlib.spirals(")
            picture_changes(page, lambda: select(page, "dataset", "your data"), "X_train, y_train = X,")
            assert problems(page) == []
            page.screenshot(path=str(tmp_path / "own_data.png"))
