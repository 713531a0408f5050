"""The one browser harness: JupyterLab on 127.0.0.1 and Debian's Chromium through Playwright.

Every test that opens a page uses these helpers:

    require_browser()                    skip without Chromium or Playwright; fail
                                         instead when NNLIB_REQUIRE_BROWSER=1 (CI)
    chromium(tmp_path)                   a headless Chromium, its profile in tmp_path
    jupyterlab(root, tmp_path)           JupyterLab serving `root`: (base URL, token, log)
    open_notebook(page, base, token, path)   open a notebook, wait for its kernel
    run_all_cells(page)                  Run > Run All Cells, then wait for Idle
    errors_shown(page)                   error and stderr outputs, tracebacks
    save_artifacts(page, name, log)      screenshot, page text and server log in
                                         test-artifacts/ for a failed test
    run_axe(page, context)               axe-core's accessibility violations on a page
                                         (installed from tests/a11y with npm ci)
    report(view, violations)             print their counts; return the serious ones

JupyterLab's settings, workspaces, runtime files and IPython's profile live
in tmp_path, so neither the repository nor the home folder changes.
"""

import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path

import pytest

from tests.helpers import ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
ARTIFACTS = ROOT / "test-artifacts"
PACKAGES = ROOT / "tests" / "a11y"  # axe-core, pinned in package-lock.json
AXE = PACKAGES / "node_modules" / "axe-core" / "axe.min.js"
FAILING = ("critical", "serious")  # axe-core's impacts that fail a test
SERVER_START_TIMEOUT = 90  # seconds until /api/status must answer
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


@contextlib.contextmanager
def chromium(tmp_path):
    """A headless Chromium (Playwright Browser) whose profile and cache live in tmp_path."""
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
            env=dict(os.environ, XDG_CONFIG_HOME=str(tmp_path / "xdg-config"),  # not ~/.config/chromium
                     XDG_CACHE_HOME=str(tmp_path / "xdg-cache")))
        try:
            yield browser
        finally:
            browser.close()


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_serving(url, server, log_path, timeout=SERVER_START_TIMEOUT):
    """Poll `url` until it answers 200, or fail with the server's log."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"server exited with code {server.returncode}:\n{log_path.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.25)
    pytest.fail(f"server did not answer {url} within {timeout} s:\n{log_path.read_text()[-3000:]}")


def stop(server):
    """Stop a server we started: terminate, wait 10 s, then kill."""
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


@contextlib.contextmanager
def jupyterlab(root, tmp_path, python=sys.executable, env=None, port=None):
    """JupyterLab serving the folder `root`; yields (base URL, token, log path).

    `python` is the interpreter whose JupyterLab (and kernel) to run, for
    tests of another environment such as Binder's; `env` its environment;
    `port` a port to use (default: a free one), for a test that restarts
    the server at the same address, where the browser keeps its storage.
    """
    news = tmp_path / "settings" / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    news.parent.mkdir(parents=True, exist_ok=True)
    news.write_text('{"fetchNews": "false"}', encoding="utf-8")  # no "Jupyter news?" pop-up

    port, token = port or free_port(), secrets.token_hex(16)
    env = dict(env or os.environ,
               JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
               JUPYTER_DATA_DIR=str(tmp_path / "data"),
               JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
               JUPYTERLAB_SETTINGS_DIR=str(tmp_path / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "workspaces"),
               IPYTHONDIR=str(tmp_path / "ipython"))
    log_path = tmp_path / "jupyterlab.log"
    with open(log_path, "wb") as log:
        # --allow-root only because CI runs as root; a student's laptop does not need it.
        server = subprocess.Popen(
            [str(python), "-m", "jupyter", "lab", "--no-browser", "--allow-root",
             "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
             f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
             "--LabApp.news_url=None", "--LabApp.expose_app_in_browser=True",
             "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
            stdout=log, stderr=subprocess.STDOUT, env=env)
        try:
            base = f"http://127.0.0.1:{port}"
            wait_until_serving(f"{base}/api/status?token={token}", server, log_path)
            yield base, token, log_path
        finally:
            stop(server)


def wait_for_idle_kernel(page):
    """Wait until the status bar reads '... | Idle'."""
    page.locator("#jp-main-statusbar").get_by_text("Idle").wait_for()


def open_notebook(page, base, token, path):
    """Open the notebook at `path` (relative to the server's root) and wait for its kernel."""
    page.goto(f"{base}/lab/tree/{path}?token={token}")
    page.locator(".jp-Notebook .jp-Cell").first.wait_for()
    wait_for_idle_kernel(page)


def run_all_cells(page, timeout=120_000):
    """Run > Run All Cells; wait until every code cell shows its execution count."""
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
    page.wait_for_function(
        """() => {
            const prompts = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')];
            return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
        }""", timeout=timeout)
    wait_for_idle_kernel(page)


def errors_shown(page):
    """Texts of any error or stderr output, traceback, or widget that failed to display."""
    texts = page.locator(ERROR_OUTPUTS).all_inner_texts()
    outputs = page.locator(".jp-OutputArea-output").all_inner_texts()
    texts += [text for text in outputs if "Traceback" in text or "Error displaying widget" in text]
    return list(dict.fromkeys(texts))  # a traceback matches twice: keep one


def save_artifacts(page, name, log_path=None):
    """Screenshot, page text and server log under test-artifacts/; returns their paths."""
    ARTIFACTS.mkdir(exist_ok=True)
    paths = [ARTIFACTS / f"{name}.png", ARTIFACTS / f"{name}.txt"]
    page.screenshot(path=str(paths[0]), full_page=True)
    paths[1].write_text(page.locator("body").inner_text(), encoding="utf-8")
    if log_path is not None:
        paths.append(ARTIFACTS / f"{name}-server.log")
        paths[2].write_bytes(Path(log_path).read_bytes())
    return paths


@contextlib.contextmanager
def artifacts_on_failure(page, name, log_path=None):
    """Re-raise any failure inside the block with the paths of its saved artifacts."""
    try:
        yield
    except Exception as error:
        try:
            saved = "saved: " + ", ".join(map(str, save_artifacts(page, name, log_path)))
            saved += f"\nerrors shown: {errors_shown(page)}"
        except Exception as save_error:  # e.g. the browser itself crashed
            saved = f"could not save a screenshot ({save_error}); server log: {log_path}"
        raise AssertionError(f"{error}\n{saved}") from error


def require_axe():
    """axe.min.js from tests/a11y, installed with `npm ci` when missing (skip, or fail in CI, without npm)."""
    if AXE.is_file():
        return AXE
    npm = shutil.which("npm")
    if npm is None:
        message = "the accessibility tests need npm to install axe-core (tests/a11y), and npm is absent"
        if os.environ.get("NNLIB_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    result = subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"], cwd=PACKAGES,
                            capture_output=True, text=True)
    assert result.returncode == 0 and AXE.is_file(), f"npm ci in {PACKAGES} failed:\n{result.stdout}{result.stderr}"
    return AXE


def run_axe(page, context):
    """Inject axe-core and run every rule on `context`; returns axe's violations (a list of dicts)."""
    if page.evaluate("() => typeof axe === 'undefined'"):
        page.add_script_tag(path=str(require_axe()))
    return page.evaluate("""async (context) => {
        const results = await axe.run(context, {resultTypes: ['violations']});
        return results.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 200),
                                      summary: n.failureSummary}))}));
    }""", context)


def counts(violations):
    """{(rule, impact): elements} of axe's violations."""
    return dict(Counter({(v["id"], v["impact"]): len(v["nodes"]) for v in violations}))


def report(view, violations):
    """Print the counts (for the notes) and return the critical and serious ones, readable."""
    print(f"\naxe-core on {view}: {counts(violations) or 'no violations'}")
    return [f"{v['impact']} {v['id']} ({v['help']}): " + "; ".join(f"{n['target']}: {n['html']}" for n in v["nodes"])
            for v in violations if v["impact"] in FAILING]
