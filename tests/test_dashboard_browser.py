"""The dashboard end to end: JupyterLab in headless Chromium, sliders moved with the keyboard.

JupyterLab serves a copy of tests/fixtures/dashboard.ipynb with its outputs
cleared, so the browser has to run everything itself (harness: browser.py).
The test runs all cells, then moves the "learning rate" and "hidden size"
sliders one step each with the right arrow key. After each step the kernel
must retrain and send a new picture: the PNG's bytes change, the status
line shows a new final loss, the slider's readout shows the new value, and
no error or stderr output appears anywhere. A failure saves a screenshot,
the page's text and the server log under test-artifacts/.
"""

import re
from pathlib import Path

import nbformat

import browser

FIXTURE = Path(__file__).parent / "fixtures" / "dashboard.ipynb"
STEP_TIMEOUT = 30_000  # milliseconds, for each of Playwright's waits
IMAGE = ".jp-OutputArea-output img.widget-image"
STATUS = ".jp-OutputArea-output .widget-html-content"


def cleared_fixture(root):
    """Copy the fixture into `root` without outputs or saved widget state."""
    notebook = nbformat.read(FIXTURE, as_version=4)
    for cell in notebook.cells:  # no saved picture: the browser must make its own
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    notebook.metadata.pop("widgets", None)
    nbformat.write(notebook, root / "dashboard.ipynb")


def slider_handle(page, description):
    """The noUiSlider handle of the slider whose label reads `description`."""
    label = page.locator(".widget-label", has_text=description)
    return page.locator(".widget-slider", has=label).locator(".noUi-handle")


def image_fingerprint(page):
    """(src, SHA-256 of the PNG bytes) of the dashboard's picture."""
    return tuple(page.evaluate(
        """async selector => {
            const img = document.querySelector(selector);
            const bytes = await (await fetch(img.src)).arrayBuffer();
            const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
            return [img.src, Array.from(digest, b => b.toString(16).padStart(2, '0')).join('')];
        }""", IMAGE))


def final_loss(page):
    """The final loss the status line shows, as a string, e.g. '0.0123'."""
    text = page.locator(STATUS).first.inner_text()
    found = re.search(r"final loss\s+([-+0-9.e]+)", text)
    assert found, f"the status line shows no final loss: {text!r}"
    return found.group(1)


def problems(page):
    """Error outputs, tracebacks, and errors the status line reports."""
    return browser.errors_shown(page) + [text for text in page.locator(STATUS).all_inner_texts() if "Error" in text]


def run_dashboard_and_move_sliders(page, base, token):
    browser.open_notebook(page, base, token, "dashboard.ipynb")
    browser.run_all_cells(page)
    page.locator(STATUS, has_text="final loss").wait_for()
    assert problems(page) == [], "error output after Run All Cells"

    for description, readout in (("learning rate", "0.178"), ("hidden size", "5")):
        old_src, old_png = image_fingerprint(page)
        old_loss = final_loss(page)
        slider_handle(page, description).focus()
        page.keyboard.press("ArrowRight")
        # ipywidgets makes a new blob URL for each new picture.
        page.wait_for_function(
            "([selector, old]) => { const img = document.querySelector(selector);"
            " return img !== null && img.src !== '' && img.src !== old; }",
            arg=[IMAGE, old_src], timeout=STEP_TIMEOUT)
        browser.wait_for_idle_kernel(page)  # the status line is sent after the picture
        new_src, new_png = image_fingerprint(page)
        assert new_png != old_png, f"moving {description!r} sent the same picture again"
        assert final_loss(page) != old_loss, f"moving {description!r} did not change the final loss"
        slider = page.locator(".widget-slider", has=page.locator(".widget-label", has_text=description))
        assert slider.locator(".widget-readout").inner_text() == readout, description
        assert problems(page) == [], f"error output after moving {description!r}"


def test_sliders_retrain_and_redraw_in_a_real_browser(tmp_path):
    browser.require_browser()
    root = tmp_path / "root"
    root.mkdir()
    cleared_fixture(root)
    with browser.jupyterlab(root, tmp_path) as (base, token, log_path), browser.chromium(tmp_path) as chromium:
        page = chromium.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(STEP_TIMEOUT)
        with browser.artifacts_on_failure(page, "dashboard_browser_failure", log_path):
            run_dashboard_and_move_sliders(page, base, token)
