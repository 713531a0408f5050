"""Export the series' notebooks to reveal.js slide decks that work offline.

    python tools/build_slides.py                  # student decks -> build/slides/
    python tools/build_slides.py --instructor     # with solutions -> build/slides-instructor/
    python tools/build_slides.py --output DIR     # somewhere else
    python tools/build_slides.py notebooks/06_backward_pass.ipynb   # one deck

Each deck is one HTML file made by nbconvert's slides exporter from the cells'
slideshow metadata, with the outputs as committed: nothing is re-executed.
Open it in a browser and use the arrow keys; `s` opens the speaker view, `f`
full screen.

**Student decks (the default) give nothing away.** Every exercise shows the
student edition's blanked code (`# YOUR CODE HERE`, `... `) with no output,
its check cell shows no output, and no output anywhere says "✅ Correct".
Every other cell keeps the outputs committed in `notebooks/` (figures,
printouts), so the deck still has its pictures. `--instructor` writes the
full notebooks, solutions and checks' answers included, into another folder
so the two are not mixed up.

**Nothing in a notebook runs in a deck.** Every piece of HTML a cell puts on
a slide (a markdown cell once rendered, an HTML or markdown output, a raw
cell) keeps only the tags of an allowlist, with no script, no on...=
handler and no javascript: link (`clean_html`); output data of other kinds
and slide metadata that the template would write into the page as it is
are left out (`safe_cells`). This holds for the instructor decks too.

**Presenting.** The right arrow visits every slide in order, the vertical
subslides (where the exercises are) included; long code lines wrap, and a
slide taller than the screen scrolls.

**Offline.** A deck loads reveal.js 4, MathJax 2.7, jQuery and require.js
from `assets/` beside it, never from the web: copy the whole output folder
(decks and `assets/`) to the presenting machine. The files come from the npm
packages pinned in `tools/slides/package-lock.json`; the first build installs
them with `npm ci` (Node.js's npm must be on the PATH; the installed copy is
then reused). The dashboards' sliders cannot run in a static page: a deck
shows each dashboard's stored picture, and the live sliders are for
JupyterLab.
"""

import argparse
import copy
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

from tools import ROOT, ToolError
from tools.markers import is_exercise
from tools.notebooks import read_notebook
from tools.student_edition import student_notebook


ASSET_PACKAGES = ROOT / "tools" / "slides"  # package.json, package-lock.json, node_modules/
TEMPLATES = ASSET_PACKAGES / "templates"  # nnlib_reveal: the reveal template without web fetches
ASSETS = "assets"  # folder beside the decks, referred to by relative URLs
MARKER = ".made-by-build_slides"  # in assets/: the tool may replace that folder, and no other

# What a deck loads, relative to assets/ (trailing "/" copies a folder).
ASSET_FILES = {
    "reveal.js": ["LICENSE", "dist/reveal.js", "dist/reveal.css", "dist/theme/white.css",
                  "dist/theme/fonts/source-sans-pro/", "plugin/notes/notes.js"],
    # MathJax.js?config=TeX-AMS_CHTML-full,Safe: the combined config, then the
    # TeX input, the CommonHTML output and its web fonts; extensions load on demand.
    "mathjax": ["LICENSE", "MathJax.js", "config/TeX-AMS_CHTML-full.js", "config/Safe.js", "extensions/",
                "jax/input/TeX/", "jax/output/CommonHTML/", "jax/element/",
                "fonts/HTML-CSS/TeX/woff/", "localization/en/"],
    "jquery": ["LICENSE.txt", "dist/jquery.min.js"],
    "requirejs": ["README.md", "require.js"],  # its licence (MIT) is stated in the README
}

PASSED_MIME = "application/vnd.nnlib.feedback+json"

# What a deck may show of an output; any other kind of output data
# (application/javascript, widget views, text/vnd.mermaid, which nbconvert's
# template writes into the page unescaped, ...) is left out of every deck.
SHOWN_MIME = {"text/plain", "text/html", "text/markdown", "text/latex", "image/png", "image/jpeg", "image/svg+xml"}

# The HTML a deck keeps from the notebooks: what the series' markdown
# (rendered by nbconvert), its described figures (<figure> with <img> and
# <figcaption>) and the highlighted code use. Any other tag is removed and
# its text kept, except in DROPPED_WITH_CONTENT, whose text is never to be shown.
SAFE_TAGS = {"a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt", "em",
             "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "input", "kbd", "li",
             "ol", "p", "pre", "s", "samp", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td",
             "tfoot", "th", "thead", "tr", "u", "ul"}
DROPPED_WITH_CONTENT = ["script", "style", "iframe", "object", "embed", "noscript", "template", "svg", "math",
                        "textarea", "select", "title"]
SAFE_ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "dir"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "style"},
    "th": {"colspan", "rowspan", "style", "scope"},
    "ol": {"start", "type"},
    "figure": {"style"},
    "figcaption": {"style"},
    "input": {"type", "checked", "disabled"},  # a task list's checkbox
}
SAFE_CSS = {"text-align", "vertical-align", "margin", "max-width", "width", "height", "color",
            "background-color", "font-weight", "font-style"}
IMAGE_DATA = re.compile(r"data:image/(png|jpeg|gif|webp|svg\+xml)[;,]", re.IGNORECASE)
CORRECT = "✅ Correct"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


class AssetError(RuntimeError):
    """The deck's JavaScript packages could not be installed."""


# --- the JavaScript packages a deck loads -----------------------------------

def locked_versions():
    """{package: version} as pinned in tools/slides/package-lock.json."""
    lock = json.loads((ASSET_PACKAGES / "package-lock.json").read_text(encoding="utf-8"))
    return {name: lock["packages"][f"node_modules/{name}"]["version"] for name in ASSET_FILES}


def installed_versions():
    """{package: version} of what tools/slides/node_modules holds (None if missing)."""
    versions = {}
    for name in ASSET_FILES:
        manifest = ASSET_PACKAGES / "node_modules" / name / "package.json"
        versions[name] = json.loads(manifest.read_text(encoding="utf-8"))["version"] if manifest.is_file() else None
    return versions


def install_packages():
    """Run `npm ci` in tools/slides unless node_modules already holds the pinned versions."""
    wanted = locked_versions()
    if installed_versions() == wanted:
        return
    npm = shutil.which("npm")
    if npm is None:
        raise AssetError(
            "the decks need reveal.js and MathJax from npm, and `npm` is not on the PATH.\n"
            "Install Node.js (it brings npm; https://nodejs.org or your system's packages, "
            "e.g. `apt-get install npm`), then run this again. Or, on a machine with npm, run "
            f"`npm ci` in {ASSET_PACKAGES} and copy its node_modules/ here.")
    print(f"Installing the decks' JavaScript packages (npm ci in {ASSET_PACKAGES.relative_to(ROOT)}) ...",
          file=sys.stderr)
    result = subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"],
                            cwd=ASSET_PACKAGES, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if result.returncode != 0:
        raise AssetError(f"`npm ci` in {ASSET_PACKAGES} failed:\n{result.stdout[-3000:]}")
    if installed_versions() != wanted:
        raise AssetError(f"after `npm ci`, {ASSET_PACKAGES / 'node_modules'} holds {installed_versions()}, "
                         f"not the pinned {wanted}")


def copy_assets(output):
    """Copy the files a deck loads into output/assets/ (replacing a copy this tool made)."""
    target = output / ASSETS
    if target.is_symlink() or (target.exists() and not (target / MARKER).is_file()):
        raise AssetError(f"{target} exists and was not made by this tool; nothing was written. "
                         "Choose another --output folder.")
    if target.exists():
        shutil.rmtree(target)
    for package, paths in ASSET_FILES.items():
        source = ASSET_PACKAGES / "node_modules" / package
        for path in paths:
            if path.endswith("/"):
                shutil.copytree(source / path, target / package / path)
            else:
                (target / package / path).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source / path, target / package / path)
    (target / MARKER).write_text("tools/build_slides.py replaces this folder on every build.\n", encoding="utf-8")


# --- the notebooks a deck shows ----------------------------------------------

def shows_a_pass(output):
    """Whether an output reports a check's "✅ Correct" (as data or as text)."""
    data = output.get("data", {})
    feedback = data.get(PASSED_MIME)
    if isinstance(feedback, dict) and feedback.get("passed"):
        return True
    texts = [output.get("text", "")] + [value for value in data.values() if isinstance(value, (str, list))]
    return any(CORRECT in ("".join(text) if isinstance(text, list) else text) for text in texts)


def exercise_cells(nb):
    """Indices of exercise cells and of the check cell right after each (the next code cell)."""
    indices = set()
    for index, cell in enumerate(nb.cells):
        if is_exercise(cell):
            indices.add(index)
            following = [i for i in range(index + 1, len(nb.cells)) if nb.cells[i].cell_type == "code"]
            if following:
                indices.add(following[0])
    return indices


def student_deck(nb, name):
    """The notebook a student deck shows.

    Exercise cells hold the student edition's blanked code; they and their
    check cells have no output. Every other cell keeps its committed outputs,
    except any output that reports a passed check.
    """
    student = student_notebook(nb, name)  # blanked solutions, no outputs
    deck = copy.deepcopy(nb)
    hidden = exercise_cells(nb)
    for index, (cell, blank) in enumerate(zip(deck.cells, student.cells)):
        if cell.cell_type != "code":
            continue
        if index in hidden:
            cell.source = blank.source
            cell.outputs = []
            cell.execution_count = None
        else:
            cell.outputs = [output for output in cell.outputs if not shows_a_pass(output)]
    return deck


def safe_attribute(tag, name, value):
    """Whether a deck keeps the attribute `name`="`value`" on a <`tag`> (see SAFE_ATTRIBUTES).

    bleach then also keeps a link or an image source only with http(s),
    mailto or data as its scheme (or none); here a data: URL is kept only as
    an image's source, and only for an image type.
    """
    if name not in SAFE_ATTRIBUTES["*"] | SAFE_ATTRIBUTES.get(tag, set()):
        return False
    address = value.strip().lower()
    if tag == "a" and name == "href":
        return not address.startswith("data:")
    if tag == "img" and name == "src" and address.startswith("data:"):
        return IMAGE_DATA.match(address) is not None
    if tag == "input" and name == "type":
        return address == "checkbox"
    return True


def clean_html(html):
    """`html` with nothing that can run: the deck's replacement for nbconvert's `clean_html` filter.

    bleach, the sanitiser nbconvert's own filter uses, with the allowlist
    above (nbconvert's would show headings, paragraphs and images as text).
    Before it, Beautiful Soup (which nbconvert also uses) removes scripts,
    styles and frames together with their content, so that no script's text
    lands on a slide; what is safe is decided by bleach alone.
    """
    import bleach
    import bs4
    from bleach.css_sanitizer import CSSSanitizer

    soup = bs4.BeautifulSoup(str(html), "html.parser")
    for element in soup.find_all(DROPPED_WITH_CONTENT):
        element.decompose()
    return bleach.clean(str(soup), tags=SAFE_TAGS, attributes=safe_attribute,
                        protocols={"http", "https", "mailto", "data"}, strip=True, strip_comments=True,
                        css_sanitizer=CSSSanitizer(allowed_css_properties=SAFE_CSS))


def number(value):
    """Whether `value` is a plain number (not a bool, not text)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def safe_cells(nb):
    """Leave in `nb` only what nbconvert's template writes into a deck as data, never as markup.

    The template escapes most of a notebook, and sends its HTML through
    `clean_html`; what it would write unescaped is dropped here: output data
    of other kinds than SHOWN_MIME, output metadata other than an image's
    numeric width and height (written unquoted into the <img>), and slideshow
    metadata other than the slide type (its `data` becomes attributes of the
    slide). A notebook the schema refuses never gets here (read_notebook).
    """
    for cell in nb.cells:
        slideshow = cell.metadata.get("slideshow")
        if isinstance(slideshow, dict):
            cell.metadata["slideshow"] = nbformat.NotebookNode(
                {key: value for key, value in slideshow.items() if key == "slide_type" and isinstance(value, str)})
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            data = output.get("data")
            if isinstance(data, dict):
                for mime in [mime for mime in data if mime not in SHOWN_MIME]:
                    del data[mime]
            if "metadata" in output:
                sizes = {}
                for mime in ("image/png", "image/jpeg"):
                    given = output.metadata.get(mime)
                    if isinstance(given, dict):
                        kept = {key: given[key] for key in ("width", "height") if number(given.get(key))}
                        if kept:
                            sizes[mime] = kept
                output.metadata = nbformat.NotebookNode(sizes)
    return nb


def static_outputs(nb):
    """Drop the widget state and the widget views that have a picture beside them.

    No kernel runs behind a static deck, so a slider could not retrain
    anything; the dashboard's output also carries a PNG of its figure, which
    the deck shows instead (and needs no widget library from the web).
    """
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_VIEW in data:
                del data[WIDGET_VIEW]
    return nb


def deck_notebook(path, instructor=False):
    """The notebook node the deck for `path` is made from.

    Read as the student edition reads it (read_notebook): a file that is not
    a valid notebook is an ToolError saying why, and cell ids come out the
    same on every build.
    """
    nb = read_notebook(path)
    if instructor:
        nb = copy.deepcopy(nb)
        nb.metadata["title"] = f"{path.stem} (instructor: with solutions)"
    else:
        nb = student_deck(nb, path.name)
        nb.metadata["title"] = path.stem
    return safe_cells(static_outputs(nb))


# --- export -------------------------------------------------------------------

def exporter():
    """nbconvert's SlidesExporter, loading everything from assets/."""
    from nbconvert import SlidesExporter
    from traitlets.config import Config

    config = Config()
    config.SlidesExporter.template_name = "nnlib_reveal"
    config.SlidesExporter.extra_template_basedirs = [str(TEMPLATES)]
    config.SlidesExporter.reveal_url_prefix = f"{ASSETS}/reveal.js"
    # Black on white, no transitions, long slides scroll: readable on a projector.
    # "white" rather than nbconvert's "simple": its font ships with reveal.js,
    # where "simple" fetches two fonts from Google.
    config.SlidesExporter.reveal_theme = "white"
    config.SlidesExporter.reveal_transition = "none"
    config.SlidesExporter.reveal_scroll = True
    config.SlidesExporter.mathjax_url = f"{ASSETS}/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe"
    config.SlidesExporter.jquery_url = f"{ASSETS}/jquery/dist/jquery.min.js"
    config.SlidesExporter.require_js_url = f"{ASSETS}/requirejs/require.js"
    # Nothing in a notebook runs in a deck: every piece of HTML a cell puts on a
    # slide goes through clean_html (nbconvert's switch, our allowlist).
    config.SlidesExporter.sanitize_html = True
    slides = SlidesExporter(config=config)
    slides.register_filter("clean_html", clean_html)
    return slides


def build(notebooks, output, instructor=False):
    """Write one deck per notebook into `output`, with the assets; returns the deck paths.

    Every notebook is read (ToolError if one cannot be) before anything is written.
    """
    prepared = [(path, deck_notebook(path, instructor)) for path in notebooks]
    install_packages()
    output.mkdir(parents=True, exist_ok=True)
    copy_assets(output)  # first: it refuses before any deck is written
    slides = exporter()
    decks = []
    for path, nb in prepared:
        html, _ = slides.from_notebook_node(nb, resources={"metadata": {"name": path.stem}})
        deck = output / f"{path.stem}.slides.html"
        deck.write_text(html, encoding="utf-8")
        decks.append(deck)
    return decks


def main(argv=None):
    """Build the decks (the command line, see the module's docstring); returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks to export (default: every notebooks/*.ipynb)")
    parser.add_argument("--instructor", action="store_true",
                        help="full decks, with solutions and the checks' answers (default: student decks)")
    parser.add_argument("--output", type=Path,
                        help="folder for the decks (default: build/slides, or build/slides-instructor)")
    args = parser.parse_args(argv)

    notebooks = args.notebooks or sorted((ROOT / "notebooks").glob("*.ipynb"))
    if not notebooks:
        parser.error("no notebooks to export")
    missing = [str(path) for path in notebooks if not path.is_file()]
    if missing:
        parser.error(f"no such notebook: {', '.join(missing)}")
    output = args.output or ROOT / "build" / ("slides-instructor" if args.instructor else "slides")
    try:
        decks = build(notebooks, output, instructor=args.instructor)
    except AssetError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except ToolError as error:  # a notebook that cannot be read, or a marker problem
        for problem in error.problems:
            print(f"error: {problem}", file=sys.stderr)
        print("No deck was written.", file=sys.stderr)
        return 1
    for deck in decks:
        print(deck)
    kind = "instructor decks (with solutions: do not project them)" if args.instructor else "student decks"
    print(f"{len(decks)} {kind} in {output}; copy the whole folder, {ASSETS}/ included, to present offline.",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
