"""The dashboard end to end: JupyterLab in headless Chromium, sliders moved with the keyboard.

The test starts JupyterLab on 127.0.0.1 (a free port, a random token) in a
temporary root holding a copy of tests/fixtures/dashboard.ipynb with its
outputs cleared, so the browser has to run everything itself. Settings,
workspaces, runtime files and IPython's profile live in temporary folders
too, so neither the repository nor the home folder changes.

Through Playwright it opens the notebook in Debian's Chromium, runs all
cells, and then moves the "learning rate" and "hidden size" sliders one
step each with the right arrow key. After each step the kernel must retrain
and send a new picture: the test checks that the PNG's bytes changed, that
the status line shows a new final loss, and that no error or stderr output
appeared anywhere. A failure saves a screenshot and the page's text under
test-artifacts/ and names them in the message.

Without /usr/bin/chromium or the playwright package the test skips, unless
NNLIB_REQUIRE_BROWSER=1 (set by .ci/run): then it fails.
"""

import contextlib
import os
import re
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
NAME = "dashboard_browser_failure"  # artifacts: NAME.png, NAME.txt, NAME-jupyterlab.log
SERVER_START_TIMEOUT = 60  # seconds until /api/status must answer
STEP_TIMEOUT = 30_000  # milliseconds, for each of Playwright's waits

IMAGE = ".jp-OutputArea-output img.widget-image"
STATUS = ".jp-OutputArea-output .widget-html-content"
ERROR_OUTPUTS = (".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr'],"
                 " .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error']")


def require_browser():
    """Skip when Chromium or Playwright is missing; fail instead when CI requires them."""
    required = os.environ.get("NNLIB_REQUIRE_BROWSER") == "1"
    problem = None
    if not CHROMIUM.exists():
        problem = f"{CHROMIUM} not found (Debian: apt-get install chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "the playwright package is not importable (pip install playwright)"
    if problem and required:
        pytest.fail(f"browser test required by NNLIB_REQUIRE_BROWSER=1, but {problem}")
    if problem:
        pytest.skip(f"browser test skipped: {problem}")


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_serving(url, server, log_path):
    """Poll JupyterLab's /api/status until it answers 200, or fail with its log."""
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"JupyterLab exited with code {server.returncode}; log: {log_path}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.25)
    pytest.fail(f"JupyterLab did not answer {url} within {SERVER_START_TIMEOUT} s; log: {log_path}")


def stop(server):
    """Stop the server we started: terminate, wait 10 s, then kill."""
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


@contextlib.contextmanager
def jupyterlab(tmp_path):
    """JupyterLab serving a cleared copy of the fixture notebook: yields (base URL, token, log path)."""
    root = tmp_path / "root"
    root.mkdir()
    notebook = nbformat.read(FIXTURE, as_version=4)
    for cell in notebook.cells:  # no saved picture: the browser must make its own
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    notebook.metadata.pop("widgets", None)
    nbformat.write(notebook, root / "dashboard.ipynb")

    news = tmp_path / "settings" / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    news.parent.mkdir(parents=True)
    news.write_text('{"fetchNews": "false"}', encoding="utf-8")  # no "Jupyter news?" pop-up

    port, token = free_port(), secrets.token_hex(16)
    env = dict(os.environ,
               JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
               JUPYTER_DATA_DIR=str(tmp_path / "data"),
               JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
               JUPYTERLAB_SETTINGS_DIR=str(tmp_path / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "workspaces"),
               IPYTHONDIR=str(tmp_path / "ipython"))
    log_path = tmp_path / "jupyterlab.log"
    with open(log_path, "wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root",
             "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
             f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
             "--LabApp.news_url=None",
             "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
            stdout=log, stderr=subprocess.STDOUT, env=env)
        try:
            base = f"http://127.0.0.1:{port}"
            wait_until_serving(f"{base}/api/status?token={token}", server, log_path)
            yield base, token, log_path
        finally:
            stop(server)


def wait_for_idle_kernel(page):
    """Wait until the status bar reads 'Python 3 (ipykernel) | Idle'."""
    page.locator("#jp-main-statusbar").get_by_text("Idle").wait_for()


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


def wait_for_new_image(page, old_src):
    """Wait until the picture's src differs from `old_src` (ipywidgets makes a new blob URL per value)."""
    page.wait_for_function(
        "([selector, old]) => { const img = document.querySelector(selector);"
        " return img !== null && img.src !== '' && img.src !== old; }",
        arg=[IMAGE, old_src], timeout=STEP_TIMEOUT)


def final_loss(page):
    """The final loss the status line shows, as a string, e.g. '0.0123'."""
    text = page.locator(STATUS).first.inner_text()
    found = re.search(r"final loss\s+([-+0-9.e]+)", text)
    assert found, f"the status line shows no final loss: {text!r}"
    return found.group(1)


def errors_shown(page):
    """Texts of any error or stderr output, traceback, or error in the status line."""
    texts = page.locator(ERROR_OUTPUTS).all_inner_texts()
    outputs = page.locator(".jp-OutputArea-output").all_inner_texts()
    texts += [text for text in outputs if "Traceback" in text or "Error displaying widget" in text]
    texts += [text for text in page.locator(STATUS).all_inner_texts() if "Error" in text]
    return list(dict.fromkeys(texts))  # a traceback matches twice: keep one


def save_artifacts(page, log_path, name):
    """Screenshot, page text and server log under test-artifacts/; returns their paths."""
    ARTIFACTS.mkdir(exist_ok=True)
    paths = [ARTIFACTS / f"{name}.png", ARTIFACTS / f"{name}.txt", ARTIFACTS / f"{name}-jupyterlab.log"]
    page.screenshot(path=str(paths[0]), full_page=True)
    paths[1].write_text(page.locator("body").inner_text(), encoding="utf-8")
    paths[2].write_bytes(log_path.read_bytes())
    return paths


def run_dashboard_and_move_sliders(page, base, token):
    page.goto(f"{base}/lab/tree/dashboard.ipynb?token={token}")
    page.locator(".jp-Notebook .jp-Cell").first.wait_for()
    wait_for_idle_kernel(page)  # the kernel has started

    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
    page.wait_for_function(
        "selector => { const img = document.querySelector(selector); return img !== null && img.src !== ''; }",
        arg=IMAGE)
    page.locator(STATUS, has_text="final loss").wait_for()
    wait_for_idle_kernel(page)
    assert errors_shown(page) == [], "error output after Run All Cells"

    for description, readout in (("learning rate", "0.178"), ("hidden size", "5")):
        old_src, old_png = image_fingerprint(page)
        old_loss = final_loss(page)
        handle = slider_handle(page, description)
        handle.focus()
        page.keyboard.press("ArrowRight")
        try:
            wait_for_new_image(page, old_src)
        except Exception as error:
            raise AssertionError(f"moving {description!r} did not redraw the picture within "
                                 f"{STEP_TIMEOUT / 1000:.0f} s") from error
        wait_for_idle_kernel(page)  # the status line is sent after the picture
        new_src, new_png = image_fingerprint(page)
        assert new_png != old_png, f"moving {description!r} sent the same picture again"
        assert final_loss(page) != old_loss, f"moving {description!r} did not change the final loss"
        slider = page.locator(".widget-slider", has=page.locator(".widget-label", has_text=description))
        assert slider.locator(".widget-readout").inner_text() == readout, description
        assert errors_shown(page) == [], f"error output after moving {description!r}"


def test_sliders_retrain_and_redraw_in_a_real_browser(tmp_path):
    require_browser()
    from playwright.sync_api import sync_playwright

    with jupyterlab(tmp_path) as (base, token, log_path), sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            env=dict(os.environ, XDG_CONFIG_HOME=str(tmp_path / "xdg-config"),  # not ~/.config/chromium
                     XDG_CACHE_HOME=str(tmp_path / "xdg-cache")))
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(STEP_TIMEOUT)
            try:
                run_dashboard_and_move_sliders(page, base, token)
            except Exception as error:
                try:
                    saved = "saved: " + ", ".join(map(str, save_artifacts(page, log_path, NAME)))
                    saved += f"\nerrors shown: {errors_shown(page)}"
                except Exception as save_error:  # e.g. the browser itself crashed
                    saved = f"could not save a screenshot ({save_error}); server log: {log_path}"
                raise AssertionError(f"{error}\n{saved}") from error
        finally:
            browser.close()
