"""The dashboard in a real browser: JupyterLab, headless Chromium, keyboard on the sliders.

Starts JupyterLab on 127.0.0.1 (a free port, a random token) serving a
temporary copy of tests/fixtures/dashboard.ipynb with its outputs cleared, opens it in Debian's
Chromium through Playwright, runs all cells, moves the learning-rate and
hidden-size sliders one step each with the arrow keys, and checks that the
dashboard's picture changed each time and that no error appeared. A failure
leaves a screenshot in test-artifacts/.

Skips where /usr/bin/chromium is missing, unless NNLIB_REQUIRE_BROWSER=1
(set by .ci/run), which makes a missing browser a failure.
"""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

CHROMIUM = Path("/usr/bin/chromium")
FIXTURE = Path(__file__).parent / "fixtures" / "dashboard.ipynb"
ARTIFACTS = Path(__file__).parent.parent / "test-artifacts"
SERVER_START_TIMEOUT = 60  # seconds
STEP_TIMEOUT = 60_000  # milliseconds, for Playwright's waits


def require_browser():
    """Skip (or fail under CI) when the browser or Playwright is missing."""
    required = os.environ.get("NNLIB_REQUIRE_BROWSER") == "1"
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} not found; install Debian's chromium package to run the browser test"
        if required:
            pytest.fail(message + " (NNLIB_REQUIRE_BROWSER=1 requires it)")
        pytest.skip(message)
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        if required:
            pytest.fail("playwright is not installed (NNLIB_REQUIRE_BROWSER=1 requires it)")
        pytest.skip("playwright is not installed")


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_serving(url, server, timeout=SERVER_START_TIMEOUT):
    """Poll the server's status API until it answers, or fail with its log."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"JupyterLab exited with code {server.returncode} before serving")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"JupyterLab did not answer {url} within {timeout} s")


@pytest.fixture
def jupyterlab(tmp_path):
    """A running JupyterLab serving a copy of the fixture notebook: yields (base URL, token)."""
    root = tmp_path / "root"
    root.mkdir()
    notebook = nbformat.read(FIXTURE, as_version=4)
    for cell in notebook.cells:  # the browser must draw everything itself
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    notebook.metadata.pop("widgets", None)
    nbformat.write(notebook, root / "dashboard.ipynb")
    port, token = free_port(), secrets.token_hex(16)
    env = dict(os.environ,
               JUPYTER_CONFIG_DIR=str(tmp_path / "config"),  # no user settings leak in
               JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"))
    log = open(tmp_path / "server.log", "wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root",
         "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
         "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
         f"--ServerApp.root_dir={root}", f"--LabApp.workspaces_dir={tmp_path / 'workspaces'}",
         "--LabApp.news_url=None",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        stdout=log, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(f"{base}/api/status?token={token}", server)
        yield base, token
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def slider_handle(page, description):
    """The noUiSlider handle of the dashboard slider with this description."""
    slider = page.locator(".widget-slider", has=page.locator(".widget-label", has_text=description))
    return slider.locator(".noUi-handle")


def wait_for_idle_kernel(page):
    """Wait until the status bar reads '... | Idle'."""
    page.locator("#jp-main-statusbar").get_by_text("Idle").wait_for()


def image_src(page):
    """The src of the dashboard's picture (a new blob URL each time it is redrawn)."""
    return page.locator(".jp-OutputArea-output img.widget-image").first.get_attribute("src")


def wait_for_new_image(page, old_src):
    page.wait_for_function(
        "old => { const img = document.querySelector('.jp-OutputArea-output img.widget-image');"
        " return img !== null && img.src !== old; }",
        arg=old_src, timeout=STEP_TIMEOUT)


def error_outputs(page):
    """Texts of error and stderr outputs in the notebook, and any error in the status line."""
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr'],"
                          " .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error']")
    texts = errors.all_inner_texts()
    status = page.locator(".widget-html").all_inner_texts()
    return texts + [text for text in status if "Error" in text]


def test_sliders_retrain_and_redraw_in_jupyterlab(jupyterlab):
    require_browser()
    from playwright.sync_api import sync_playwright

    base, token = jupyterlab
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(STEP_TIMEOUT)
        page_errors = []  # uncaught JavaScript exceptions, e.g. from a widget view
        page.on("pageerror", lambda error: page_errors.append(str(error)))
        try:
            page.goto(f"{base}/lab/tree/dashboard.ipynb?token={token}")
            page.locator(".jp-Notebook .jp-Cell").first.wait_for()
            wait_for_idle_kernel(page)  # the kernel has started

            page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
            page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
            page.locator(".jp-OutputArea-output img.widget-image").wait_for()
            wait_for_idle_kernel(page)
            assert "final loss" in page.locator(".widget-html").first.inner_text()

            for description in ("learning rate", "hidden size"):
                before = image_src(page)
                handle = slider_handle(page, description)
                handle.focus()
                handle.press("ArrowRight")
                wait_for_new_image(page, before)
                assert image_src(page) != before, description

            readouts = page.locator(".widget-readout").all_inner_texts()
            assert "0.178" in readouts and "5" in readouts, readouts  # 0.1 * 10**0.25, 4 + 1
            assert error_outputs(page) == []
            assert page_errors == []
        except BaseException:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "test_browser_failure.png"), full_page=True)
            raise
        finally:
            browser.close()
