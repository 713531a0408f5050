"""The README stays true: CI runs its test command, its open command serves the repository, and what it lists exists."""

import json
import os
import re
import secrets
import shlex
import subprocess
import sys
import urllib.parse
import urllib.request

from tests.browser import free_port, stop, wait_until_serving
from tests.helpers import ROOT


README = (ROOT / "README.md").read_text(encoding="utf-8")


def command_after(heading):
    """The first fenced command block after a README heading."""
    section = README.split(heading, 1)[1]
    return re.search(r"```bash\n(.+?)\n```", section, re.S).group(1).strip()


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert command_after("## Set up and test") in ci.splitlines()


def open_step():
    """The README's command that opens JupyterLab, after the install step, as a list of words."""
    words = shlex.split(command_after("## Set up and open").rsplit("&&", 1)[1])
    assert words[:2] == ["jupyter", "lab"], words
    return words


def test_setup_commands_share_the_install_step():
    open_command = command_after("## Set up and open")
    test_command = command_after("## Set up and test")
    install = test_command.rsplit("&&", 1)[0]
    assert open_command.startswith(install)
    notebook = open_step()[-1]
    assert (ROOT / notebook).is_file(), notebook


def test_binder_opens_the_notebook_the_open_command_opens():
    """Binder serves the repository root, so its urlpath names the same path as the README's command."""
    (urlpath,) = set(re.findall(r"\(https://mybinder\.org/badge_logo\.svg\)\]\([^)]*urlpath=([^)]+)\)", README))
    assert urlpath == f"lab/tree/{open_step()[-1]}"


def test_open_command_serves_the_repository_root_and_opens_the_first_notebook(tmp_path):
    """Start JupyterLab as a student would, from the repository root with the README's words.

    It must serve the repository itself (README.md, docs/, a student/ folder
    made there) and open the first notebook. Only what a test needs is
    added: no browser, a free port, a token, --allow-root (CI runs as root),
    and settings and runtime files in tmp_path.
    """
    port, token = free_port(), secrets.token_hex(16)
    runtime = tmp_path / "runtime"
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(tmp_path / "config"), JUPYTER_DATA_DIR=str(tmp_path / "data"),
               JUPYTER_RUNTIME_DIR=str(runtime), JUPYTERLAB_SETTINGS_DIR=str(tmp_path / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "workspaces"), IPYTHONDIR=str(tmp_path / "ipython"))
    words = open_step()
    log_path = tmp_path / "jupyterlab.log"
    with open(log_path, "wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "jupyter", *words[1:], "--no-browser", "--allow-root",
             "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
             f"--IdentityProvider.token={token}", "--LabApp.news_url=None",
             "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
        try:
            base = f"http://127.0.0.1:{port}"
            wait_until_serving(f"{base}/api/status?token={token}", server, log_path)
            with urllib.request.urlopen(f"{base}/api/contents?content=1&token={token}", timeout=10) as response:
                listing = {item["name"] for item in json.load(response)["content"]}
            assert {"README.md", "docs", "notebooks"} <= listing, sorted(listing)
            # What the browser is sent to: the redirect page JupyterLab writes for the file to open.
            (page,) = runtime.glob("jpserver-file-to-run-*-open.html")
            opened = re.search(r'href="([^"]+)"', page.read_text(encoding="utf-8")).group(1)
            assert urllib.parse.urlsplit(opened).path == "/lab/tree/notebooks/00_the_original.ipynb", opened
        finally:
            stop(server)


def test_every_notebook_is_listed_and_every_listed_file_exists():
    linked = set(re.findall(r"\((notebooks/[\w.-]+\.ipynb)\)", README))
    on_disk = {f"notebooks/{path.name}" for path in (ROOT / "notebooks").glob("*.ipynb")}
    assert on_disk, "no notebooks found"
    assert on_disk <= linked, f"not in README: {sorted(on_disk - linked)}"
    for path in linked:
        assert (ROOT / path).is_file(), path


def test_every_benchmark_command_in_the_readme_and_docs_runs_its_module():
    """`python -m benchmarks.NAME` from the repository: each names a module that exists and answers --help."""
    texts = [README, *(path.read_text(encoding="utf-8") for path in sorted((ROOT / "docs").glob("*.md")))]
    named = {name for text in texts for name in re.findall(r"python -m (benchmarks\.\w+)", text)}
    assert {"benchmarks.train_speed", "benchmarks.dashboard_latency", "benchmarks.sweep_speed",
            "benchmarks.classroom_load"} <= named
    assert not [text for text in texts if re.search(r"python \S*benchmarks/", text)]  # no script path left
    for module in sorted(named):
        result = subprocess.run([sys.executable, "-m", module, "--help"], cwd=ROOT, capture_output=True, text=True)
        assert result.returncode == 0 and "usage:" in result.stdout, (module, result.stderr[-2000:])
