"""Build the series as a static website, one page per notebook, that works offline.

    python -m tools.build_site                    # -> build/site/  (open build/site/index.html)
    python -m tools.build_site --output DIR       # somewhere else

Run it from the repository root. The pages are made by Jupyter Book 1
(Sphinx with sphinx-book-theme and myst-nb) from the notebooks as committed:
nothing is re-executed, every figure is the one the notebook was saved
with, with its description as alt text and caption. Each page has a launch
button (the rocket at its top) that opens the notebook on Binder; the
settings are in tools/site/_config.yml.

**What students see.** Like the student slide decks (tools/build_slides.py),
the pages give no answer away: each exercise shows the student edition's
blank (`# YOUR CODE HERE`) with no output, its check shows no output, and no
output says "✅ Correct". A dashboard shows its stored picture, followed by
a sentence saying that it is live in JupyterLab.

**Offline.** Formulas are typeset by MathJax 3 from the site's own
`_static/` folder (npm's `mathjax`, pinned in tools/site/package-lock.json,
installed with `npm ci` the first time), and search is Sphinx's own index:
nothing is fetched from the web to build or to read the site, so the folder
can be copied anywhere, or served by any web server.

**Its own environment.** Jupyter Book is not in requirements.txt: the first
build makes a virtual environment from tools/site/requirements.txt in a
cache folder (tools/environments.py says where) and later builds reuse it.

The output folder is replaced only if this tool made it (it holds the file
`.made-by-build_site`); any other existing folder is refused, untouched.
"""

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat

from tools import ROOT
from tools.build_slides import WIDGET_VIEW, static_outputs, student_deck
from tools.environments import VenvError, cached_venv, requirement_lines
from tools.notebooks import read_notebook

SITE = ROOT / "tools" / "site"  # _config.yml, requirements.txt, package.json, package-lock.json
MARKER = ".made-by-build_site"
# What the pages load of MathJax 3 (npm package `mathjax`), relative to its folder.
MATHJAX_FILES = ["LICENSE", "es5/tex-mml-chtml.js", "es5/input/", "es5/output/chtml/", "es5/ui/",
                 "es5/a11y/", "es5/sre/", "es5/adaptors/"]
LIVE_SENTENCE = (
    "*Above: the dashboard as the notebook was saved, a picture. In JupyterLab it is live: its sliders, "
    "menus and buttons retrain the network while you watch. Open this notebook with the launch button "
    "(the rocket at the top of the page) to use it.*")


class SiteError(RuntimeError):
    """The site could not be built; nothing was written to the output folder."""


# --- what each page shows ----------------------------------------------------

def is_dashboard(output):
    """Whether an output is a live widget with a picture beside it (a dashboard)."""
    data = output.get("data", {})
    return WIDGET_VIEW in data and ("text/html" in data or "image/png" in data)


def page_notebook(path):
    """The notebook a page is made from: the student deck's, with a sentence after each dashboard."""
    nb = read_notebook(path)
    dashboards = [index for index, cell in enumerate(nb.cells)
                  if any(is_dashboard(output) for output in cell.get("outputs", []))]
    nb = static_outputs(student_deck(nb, path.name))
    for index in reversed(dashboards):
        nb.cells.insert(index + 1, nbformat.v4.new_markdown_cell(LIVE_SENTENCE))
    return nb


def table_of_contents(notebooks):
    """_toc.yml: the first notebook is the home page, the others its chapters, in order."""
    lines = ["format: jb-book", f"root: {notebooks[0].stem}", "chapters:"]
    return "\n".join(lines + [f"- file: {path.stem}" for path in notebooks[1:]]) + "\n"


# --- the JavaScript it serves ------------------------------------------------

def locked_mathjax():
    """The MathJax version tools/site/package-lock.json pins."""
    lock = json.loads((SITE / "package-lock.json").read_text(encoding="utf-8"))
    return lock["packages"]["node_modules/mathjax"]["version"]


def installed_mathjax():
    """The MathJax version in tools/site/node_modules, or None if none is installed."""
    manifest = SITE / "node_modules" / "mathjax" / "package.json"
    return json.loads(manifest.read_text(encoding="utf-8"))["version"] if manifest.is_file() else None


def install_mathjax():
    """`npm ci` in tools/site unless node_modules already holds the pinned MathJax."""
    if installed_mathjax() == locked_mathjax():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise SiteError("the site serves MathJax from npm's `mathjax` package, and `npm` is not on the PATH. "
                        "Install Node.js (it brings npm), then run this again; or run `npm ci` in "
                        f"{SITE} on a machine with npm and copy its node_modules/ here.")
    print(f"Installing MathJax (npm ci in {SITE.relative_to(ROOT)}) ...", file=sys.stderr)
    result = subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"], cwd=SITE,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if result.returncode != 0 or installed_mathjax() != locked_mathjax():
        raise SiteError(f"`npm ci` in {SITE} did not install mathjax {locked_mathjax()}:\n{result.stdout[-3000:]}")


def copy_mathjax(static):
    """Copy the MathJax files the site needs into its static folder `static`."""
    source = SITE / "node_modules" / "mathjax"
    for path in MATHJAX_FILES:
        if path.endswith("/"):
            shutil.copytree(source / path, static / "mathjax" / path)
        else:
            (static / "mathjax" / path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / path, static / "mathjax" / path)


# --- building ------------------------------------------------------------------

def output_problem(output):
    """Why `output` cannot be (re)placed, or None."""
    if output.is_symlink() or (output.exists() and not (output / MARKER).is_file()):
        return f"{output} exists and was not made by this tool; choose another --output folder"
    return None


def build(notebooks, output):
    """Build the site into `output` (replacing a site this tool made there). Returns `output`."""
    problem = output_problem(output)
    if problem:
        raise SiteError(problem)
    install_mathjax()
    try:
        python = cached_venv("site", requirement_lines(SITE / "requirements.txt"))
    except VenvError as error:
        raise SiteError(str(error)) from None
    with tempfile.TemporaryDirectory(prefix="nnlib-site-") as work:
        book = Path(work) / "book"
        book.mkdir()
        for path in notebooks:
            nbformat.write(page_notebook(path), book / path.name)
        shutil.copy2(SITE / "_config.yml", book / "_config.yml")
        (book / "_toc.yml").write_text(table_of_contents(notebooks), encoding="utf-8")
        copy_mathjax(book / "_mathjax")
        result = subprocess.run([str(python.parent / "jupyter-book"), "build", "--warningiserror", "--quiet",
                                 "--path-output", str(Path(work) / "out"), str(book)],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        html = Path(work) / "out" / "_build" / "html"
        if result.returncode != 0 or not (html / "index.html").is_file():
            raise SiteError(f"jupyter-book could not build the site:\n{result.stdout[-4000:]}")
        (html / MARKER).write_text("tools/build_site.py replaces this folder on every build.\n", encoding="utf-8")
        if output.exists():
            shutil.rmtree(output)
        output.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(html, output)
    return output


def main(argv=None):
    """Build the site (the command line: `python -m tools.build_site [--output DIR]`); returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--output", type=Path, default=ROOT / "build" / "site",
                        help="folder for the site (default: build/site)")
    args = parser.parse_args(argv)
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    try:
        output = build(notebooks, args.output)
    except SiteError as error:
        print(f"error: {error}", file=sys.stderr)
        print("Nothing was written.", file=sys.stderr)
        return 1
    print(f"Wrote {len(notebooks)} pages to {output}; open {output / 'index.html'} in a browser.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
