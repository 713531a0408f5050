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
  reaches 1000);

and no error, stderr output or traceback appears anywhere on the page. No
timing is asserted: how fast it is, benchmarks/dashboard_latency.py
measures. A failure saves a screenshot, the page's text and the server
log under test-artifacts/.
"""

import re
import time
from pathlib import Path

import nbformat

import browser

FIXTURE = Path(__file__).parent / "fixtures" / "dashboard.ipynb"
STEP_TIMEOUT = 60_000  # milliseconds, for each of Playwright's waits
IMAGE = ".jp-OutputArea-output img.widget-image"
STATUS = ".jp-OutputArea-output .widget-html-content"
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
                          typed_rate_of_200_trains_at_200):
                check(page)
                assert problems(page) == [], f"error output after {check.__name__}"
