"""The Binder launch, checked without Docker or Binder.

repo2docker (what Binder runs) reads only binder/ when that folder exists:
binder/requirements.txt is installed with pip from the repository root and
binder/runtime.txt picks the Python. These tests check that those files
parse, pin every version, agree with requirements.txt, and that a fresh
virtual environment built from binder/ alone runs the whole series under
nbval and offers RISE's live slideshow in JupyterLab (formulas typeset, code
cells run), checked in headless Chromium. They also check that
the README's Binder links and docs/course_hub.md's nbgitpuller link point at
notebooks that exist.

The two environment builds take about a minute each, mostly pip.
"""

import json
import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import nbformat
import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

from tests import browser
from tests.helpers import GITHUB_REPO, NOTEBOOKS, ROOT, run


BINDER = ROOT / "binder"
README = (ROOT / "README.md").read_text(encoding="utf-8")

# Where the repository lives on GitHub. The README's Binder links and the
# nbgitpuller link in docs/course_hub.md are written out with it; if the
# repository moves, change it here and find-and-replace it in those two files.
BINDER_URL = f"https://mybinder.org/v2/gh/{GITHUB_REPO}/student"  # the student edition's branch

# In binder/ only, with the reason:
# - jupyterlab-rise: live slides, for a class presenting on Binder;
# - notebook: Binder's base image holds an older Notebook that refuses our JupyterLab;
# - jupyter-offlinenotebook: saving work in the browser, for a session that ends.
BINDER_ONLY = {"jupyterlab-rise", "notebook", "jupyter-offlinenotebook"}

# What Binder installs binder/requirements.txt over: the Jupyter packages of
# repo2docker's base environment for Python 3.11, as pip packages (from
# repo2docker/buildpacks/conda/environment.py-3.11-linux-64.lock, generated
# 2025-10-16; update them when repo2docker updates its lock file).
REPO2DOCKER_BASE = ["jupyterlab==4.4.9", "notebook==7.4.7", "jupyter_server==2.17.0",
                    "jupyter-offlinenotebook==0.3.2", "jupyter-resource-usage==1.2.0",
                    "jupyterhub==5.4.0", "ipywidgets==8.1.7", "ipykernel==7.0.1"]


def requirement_lines(path):
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            lines.append(line)
    return lines


def pins(path):
    """{canonical name: version} of every `name==version` line."""
    found = {}
    for line in requirement_lines(path):
        if line.startswith("-"):
            continue
        requirement = Requirement(line)
        (specifier,) = requirement.specifier
        found[canonicalize_name(requirement.name)] = specifier.version
    return found


def runtime_version():
    (line,) = requirement_lines(BINDER / "runtime.txt")
    return re.fullmatch(r"python-(3\.\d+)", line).group(1)


# What repo2docker reads.

def test_repo2docker_finds_one_config_folder_with_a_pip_environment():
    assert (BINDER / "requirements.txt").is_file()
    assert (BINDER / "runtime.txt").is_file()
    assert not (ROOT / ".binder").exists(), "binder/ and .binder/ together make repo2docker fail"
    # environment.yml would switch repo2docker to conda and ignore runtime.txt.
    assert not (BINDER / "environment.yml").exists()


def test_runtime_names_a_python_that_nnlib_supports():
    lines = requirement_lines(BINDER / "runtime.txt")
    assert len(lines) == 1 and re.fullmatch(r"python-3\.\d+", lines[0]), f"runtime.txt should be python-3.X, not {lines}"
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["requires-python"]
    assert Version(runtime_version()) in SpecifierSet(requires)


def test_every_binder_requirement_is_pinned_exactly():
    for line in requirement_lines(BINDER / "requirements.txt"):
        if line == "-e .":
            continue
        assert not line.startswith("-"), f"unexpected option line {line!r}"
        requirement = Requirement(line)
        specifiers = list(requirement.specifier)
        assert len(specifiers) == 1 and specifiers[0].operator == "==", f"{line!r} is not pinned with =="


def test_binder_installs_nnlib_from_the_repository():
    # repo2docker runs `pip install -r binder/requirements.txt` from the
    # repository root, so `.` is the repository and nnlib gets installed.
    assert "-e ." in requirement_lines(BINDER / "requirements.txt")


def test_binder_pins_agree_with_requirements_txt():
    binder, root = pins(BINDER / "requirements.txt"), pins(ROOT / "requirements.txt")
    assert binder, "binder/requirements.txt pins nothing"
    differ = {name: (binder[name], root[name]) for name in binder.keys() & root.keys() if binder[name] != root[name]}
    assert not differ, f"binder/ and requirements.txt pin different versions (binder, root): {differ}"
    extra = binder.keys() - root.keys() - BINDER_ONLY
    assert not extra, f"in binder/ but not in requirements.txt (so not tested there): {sorted(extra)}"


# The links.

def binder_section():
    return README.split("## Launch on Binder", 1)[1].split("\n## ", 1)[0]


def notebook_of(url):
    """The notebook path a Binder launch URL opens in JupyterLab."""
    (urlpath,) = parse_qs(urlsplit(url).query)["urlpath"]
    assert urlpath.startswith("lab/tree/"), f"{url} does not open JupyterLab at a file"
    return unquote(urlpath[len("lab/tree/"):])


def test_the_badge_opens_jupyterlab_at_the_first_notebook():
    badge = re.search(r"\[!\[Binder\]\(https://mybinder\.org/badge_logo\.svg\)\]\((\S+?)\)", README)
    assert badge, "no Binder badge in README.md"
    url = badge.group(1)
    assert url.startswith(BINDER_URL + "?"), url
    path = notebook_of(url)
    assert (ROOT / path).is_file(), path
    assert path == f"notebooks/{NOTEBOOKS[0].name}"


def test_every_notebook_has_a_launch_link_and_every_link_exists():
    urls = re.findall(r"\((https://mybinder\.org/v2/\S+?)\)", binder_section())
    assert urls, "no launch links in the README's Binder section"
    for url in urls:
        assert url.startswith(BINDER_URL + "?"), f"{url} does not launch {GITHUB_REPO}"
        assert (ROOT / notebook_of(url)).is_file(), url
    linked = {notebook_of(url) for url in urls}
    assert {f"notebooks/{path.name}" for path in NOTEBOOKS} <= linked


def test_the_readme_says_binder_sessions_are_temporary():
    section = binder_section().lower()
    assert "temporary" in section and "download" in section


def test_the_nbgitpuller_links_pull_the_student_edition_and_open_a_notebook():
    hub = (ROOT / "docs" / "course_hub.md").read_text(encoding="utf-8")
    links = re.findall(r"https://[\w.-]+/hub/user-redirect/git-pull\?\S+", hub)
    assert links, "no nbgitpuller link in docs/course_hub.md"
    folder = GITHUB_REPO.split("/")[1]
    for link in links:
        query = parse_qs(urlsplit(link.rstrip(")`")).query)
        assert query["repo"][0] in (f"https://github.com/{GITHUB_REPO}", f"file:///srv/git/{folder}"), link
        assert query["branch"] == ["student"], link
        urlpath = query["urlpath"][0]
        assert urlpath.startswith(f"lab/tree/{folder}/"), urlpath
        assert (ROOT / urlpath[len(f"lab/tree/{folder}/"):]).is_file(), urlpath


# A fresh environment from binder/ alone.

@pytest.fixture(scope="module")
def binder_env(tmp_path_factory):
    """A virtual environment with runtime.txt's Python and binder/requirements.txt."""
    python = shutil.which(f"python{runtime_version()}")
    assert python, f"runtime.txt asks for Python {runtime_version()}, which is not on PATH"
    venv = tmp_path_factory.mktemp("binder") / "venv"
    run([python, "-m", "venv", str(venv)])
    bin_dir = venv / "bin"
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "PYTHONHOME")}
    env.update(VIRTUAL_ENV=str(venv), PATH=f"{bin_dir}{os.pathsep}{env['PATH']}")
    # As repo2docker does: from the repository root, binder/ only. (--no-compile
    # skips byte-compiling every installed file up front: a third faster here.)
    run([str(bin_dir / "python"), "-m", "pip", "install", "-q", "--no-compile", "-r", "binder/requirements.txt"],
        cwd=ROOT, env=env)
    return bin_dir, env


def test_the_binder_environment_has_the_pinned_python_and_packages(binder_env):
    bin_dir, env = binder_env
    version = run([str(bin_dir / "python"), "-c", "import sys; print('%d.%d' % sys.version_info[:2])"], env=env)
    assert version.strip() == runtime_version()
    listed = run([str(bin_dir / "python"), "-m", "pip", "list", "--format=freeze"], env=env)
    installed = {canonicalize_name(name): version for name, version in
                 (line.split("==") for line in listed.splitlines() if "==" in line)}
    for name, version in pins(BINDER / "requirements.txt").items():
        assert installed.get(name) == version, f"{name}: pinned {version}, installed {installed.get(name)}"
    where = run([str(bin_dir / "python"), "-c", "import nnlib; print(nnlib.__file__)"], env=env, cwd="/")
    assert Path(where.strip()).parent == ROOT / "nnlib"


def test_the_binder_environment_runs_the_whole_series_under_nbval(binder_env):
    bin_dir, env = binder_env
    python = str(bin_dir / "python")
    # The notebooks' kernel must be this environment's Python, not the one running this test.
    kernel = run([python, "-c", "from jupyter_client.manager import KernelManager; "
                  "print(KernelManager(kernel_name='python3').format_kernel_cmd()[0])"], env=env)
    assert Path(kernel.strip()) == Path(python)
    out = run([python, "-m", "pytest", "--nbval", "-p", "no:cacheprovider", "-v", "notebooks/"], cwd=ROOT, env=env)
    summary = out.strip().splitlines()[-1]
    assert re.search(r"\b\d+ passed\b", summary) and not re.search(r"failed|error|skipped", summary), summary
    for notebook in NOTEBOOKS:
        # nbval names its items like "notebooks/00_the_original::ipynb::Cell 0".
        assert re.search(rf"notebooks/{re.escape(notebook.stem)}\S*::Cell \d+ PASSED", out), \
            f"nbval did not run {notebook.name}"


def test_binder_requirements_install_cleanly_over_repo2dockers_base(tmp_path):
    """pip upgrades what the base image holds; nothing may be left with a broken requirement."""
    python = shutil.which(f"python{runtime_version()}")
    assert python, f"runtime.txt asks for Python {runtime_version()}, which is not on PATH"
    venv = tmp_path / "base"
    run([python, "-m", "venv", str(venv)])
    pip = [str(venv / "bin" / "python"), "-m", "pip"]
    run([*pip, "install", "-q", "--no-compile", *REPO2DOCKER_BASE])
    run([*pip, "install", "-q", "--no-compile", "-r", "binder/requirements.txt"], cwd=ROOT)
    result = subprocess.run([*pip, "check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


# RISE's live slideshow, in a real browser (harness: browser.py).

@pytest.fixture(scope="module")
def binder_lab(binder_env, tmp_path_factory):
    """JupyterLab from the Binder environment, serving a copy of the notebooks."""
    browser.require_browser()
    bin_dir, env = binder_env
    work = tmp_path_factory.mktemp("lab")
    shutil.copytree(ROOT / "notebooks", work / "notebooks")
    live = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "print(6 * 7)", metadata={"slideshow": {"slide_type": "slide"}})])
    live.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(live, work / "notebooks" / "live_check.ipynb")
    with browser.jupyterlab(work, work, python=bin_dir / "python", env=env) as (base, token, log_path), \
            browser.chromium(work) as chromium:
        yield base, token, log_path, chromium


def test_rise_slideshow_works_in_the_binder_jupyterlab(binder_lab):
    base, token, log_path, chromium = binder_lab
    notebook = "notebooks/01_sigmoid.ipynb"  # markdown with formulas, code with outputs
    page = chromium.new_page(viewport={"width": 1280, "height": 800})
    with browser.artifacts_on_failure(page, "rise_slideshow_failure", log_path):
        page.goto(f"{base}/lab/tree/{notebook}?token={token}")
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
        page.wait_for_function("window.jupyterapp && window.jupyterapp.commands.hasCommand('RISE:slideshow')",
                               timeout=60_000)
        # The deck RISE renders from the notebook's slideshow metadata (RISE:preview shows this page).
        page.goto(f"{base}/rise/{notebook}?token={token}")
        page.wait_for_selector(".reveal .slides > section", timeout=60_000)
        page.wait_for_selector(".reveal mjx-container", timeout=30_000)
        slides = page.locator(".reveal .slides > section").count()
        expected = sum(cell.metadata.get("slideshow", {}).get("slide_type") == "slide"
                       for cell in nbformat.read(ROOT / notebook, as_version=4).cells)
        assert slides == expected > 1, f"RISE shows {slides} slides; the notebook has {expected}"
        assert page.locator(".reveal mjx-container").count() > 0, "no formula was typeset"
    page.close()


def test_code_runs_inside_the_rise_slideshow(binder_lab):
    base, token, log_path, chromium = binder_lab
    page = chromium.new_page(viewport={"width": 1280, "height": 800})
    with browser.artifacts_on_failure(page, "rise_code_failure", log_path):
        page.goto(f"{base}/rise/notebooks/live_check.ipynb?token={token}")
        page.wait_for_selector(".reveal .slides section .jp-CodeCell", timeout=60_000)
        page.locator(".jp-CodeCell").first.click()
        page.keyboard.press("Shift+Enter")
        output = page.locator(".jp-CodeCell .jp-OutputArea-output").first
        output.wait_for(timeout=60_000)
        assert output.inner_text().strip() == "42"
    page.close()


def test_a_dashboard_slide_shows_its_picture_in_rise(binder_lab):
    """RISE cannot render widgets (jupyterlab-contrib/rise#126): the dashboard's PNG must show instead.

    RISE's own JupyterLab lacks the shared @jupyterlab/console module that
    @jupyter-widgets/jupyterlab-manager needs, so no widget renderer loads
    there. The dashboard's output also carries its picture as HTML (an <img>
    with alt text, plots.show_figure's form), which RISE shows when the
    widget view cannot render; this test looks at notebook 04's dashboard
    slide and expects a drawn, described picture, not a 'widget' placeholder.
    """
    base, token, log_path, chromium = binder_lab
    notebook = "notebooks/04_hyperparameters.ipynb"
    cells = nbformat.read(ROOT / notebook, as_version=4).cells
    (index,) = [i for i, cell in enumerate(cells) if cell.cell_type == "code" and "dashboard(" in cell.source]
    page = chromium.new_page(viewport={"width": 1280, "height": 800})
    with browser.artifacts_on_failure(page, "rise_dashboard_failure", log_path):
        page.goto(f"{base}/rise/{notebook}?token={token}")
        page.wait_for_selector(".reveal .slides > section", timeout=60_000)
        rendered = page.locator(".reveal .jp-Cell")
        rendered.nth(len(cells) - 1).wait_for(state="attached", timeout=60_000)
        assert rendered.count() == len(cells), f"RISE shows {rendered.count()} cells; the notebook has {len(cells)}"
        outputs = rendered.nth(index).locator(".jp-OutputArea-output")
        outputs.first.wait_for(state="attached", timeout=60_000)
        images = outputs.locator("img[src^='data:image/png']")
        assert images.count() == 1, f"the dashboard slide shows {images.count()} PNG pictures: {outputs.first.inner_html()[:300]}"
        width = images.first.evaluate("img => img.complete ? img.naturalWidth : 0")
        assert width > 200, f"the dashboard's picture did not load (natural width {width})"
        assert len(images.first.get_attribute("alt") or "") > 40, "the picture has no description"
        shown = outputs.first.inner_text()
        assert "widget" not in shown.lower() and "error" not in shown.lower(), shown
    page.close()


# Work that survives the session: jupyter-offlinenotebook, in a real browser.

OFFLINE_ANSWER = "my answer, typed on Binder: 4242"


def add_markdown_cell(page, text):
    """Put a markdown cell holding `text` at the top of the open notebook, as typing would."""
    page.evaluate("""text => {
        const panel = window.jupyterapp.shell.currentWidget;
        panel.content.model.sharedModel.insertCell(0, {cell_type: 'markdown', source: text});
    }""", text)


def press_toolbar(page, name):
    """Press a notebook toolbar button jupyter-offlinenotebook added (saveToBrowser, loadFromBrowser, downloadVisible)."""
    page.locator(f".jp-NotebookPanel-toolbar [data-jp-item-name='{name}'] button").first.click()


def offline_round_trip(python, env, tmp_path, chromium, notebook="notebooks/01_sigmoid.ipynb"):
    """A student's work saved to the browser on one server, downloaded and restored after it is gone.

    Returns (text of the downloaded notebook, text of the notebook after
    "Restore from browser storage" in a new session).
    """
    # What Binder sets in a session; jupyter-offlinenotebook offers browser storage only with it.
    env = dict(env, BINDER_REPO_URL=f"https://github.com/{GITHUB_REPO}",
               BINDER_PERSISTENT_REQUEST=f"v2/gh/{GITHUB_REPO}/HEAD")
    port = browser.free_port()
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    first = tmp_path / "session-1"
    shutil.copytree(ROOT / "notebooks", first / "notebooks")
    with browser.jupyterlab(first, first, python=python, env=env, port=port) as (base, token, log_path):
        page = context.new_page()
        with browser.artifacts_on_failure(page, "offline_save_failure", log_path):
            browser.open_notebook(page, base, token, notebook)
            add_markdown_cell(page, OFFLINE_ANSWER)
            press_toolbar(page, "saveToBrowser")
            dialog = page.locator(".jp-Dialog")
            dialog.get_by_text("Notebook saved to browser storage").wait_for()
            dialog.locator("button.jp-mod-accept").click()
            dialog.wait_for(state="detached")
    # The session has ended: server and kernel are gone; the page is still open.
    with browser.artifacts_on_failure(page, "offline_download_failure"):
        with page.expect_download() as download:
            press_toolbar(page, "downloadVisible")
        downloaded = Path(download.value.path()).read_text(encoding="utf-8")
    page.close()
    # A new session at the same address, on a fresh copy of the repository.
    second = tmp_path / "session-2"
    shutil.copytree(ROOT / "notebooks", second / "notebooks")
    with browser.jupyterlab(second, second, python=python, env=env, port=port) as (base, token, log_path):
        page = context.new_page()
        with browser.artifacts_on_failure(page, "offline_restore_failure", log_path):
            browser.open_notebook(page, base, token, notebook)
            assert OFFLINE_ANSWER not in page.locator(".jp-Notebook").inner_text()
            press_toolbar(page, "loadFromBrowser")
            dialog = page.locator(".jp-Dialog")
            dialog.get_by_text("This will replace your current notebook").wait_for()
            dialog.locator("button.jp-mod-accept").click()
            page.locator(".jp-Notebook .jp-MarkdownCell", has_text=OFFLINE_ANSWER).first.wait_for()
            restored = page.evaluate("() => JSON.stringify(window.jupyterapp.shell.currentWidget.content.model.toJSON())")
    context.close()
    return downloaded, restored


def test_work_saved_to_the_browser_comes_back_after_the_session_ends(binder_env, binder_lab, tmp_path):
    browser.require_browser()
    bin_dir, env = binder_env
    downloaded, restored = offline_round_trip(bin_dir / "python", env, tmp_path, binder_lab[3])
    for text in (downloaded, restored):
        cells = json.loads(text)["cells"]
        assert "".join(cells[0]["source"]) == OFFLINE_ANSWER
        assert len(cells) == len(nbformat.read(ROOT / "notebooks" / "01_sigmoid.ipynb", as_version=4).cells) + 1
