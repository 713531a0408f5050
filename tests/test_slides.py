"""The slide decks: one per notebook, offline, and the student decks give no answer away.

Runs tools/build_slides.py on the whole series twice into temporary folders,
as an instructor would: the student decks (the default) and the instructor
decks (--instructor). The build installs the decks' JavaScript packages with
`npm ci` (tools/slides/package-lock.json) when they are missing; without npm
the tests skip locally and fail in CI (NNLIB_REQUIRE_BROWSER=1).

What is checked:
- every notebook becomes a deck of several slides that opens with its title;
- no deck refers to anything on the web (src, href, imports), and every file
  it refers to is in the deck's folder;
- a student deck holds no line of any solution that the lesson does not show
  elsewhere, and no check output saying "✅ Correct"; the instructor deck
  holds all of them (so the search can fail);
- in headless Chromium with every request that is not a local file aborted,
  each student deck loads with no aborted or failed request and no script
  error, is paged (not one long scrolling page: the right arrow key moves to
  the next slide), and typesets its formulas (MathJax output present, no
  MathJax error, no `$$` or inline TeX left in the markdown's text);
- pressing the right arrow from the first slide visits every slide of every
  deck in order, subslides (where the exercises are) included; on each, no
  line of code runs past the right edge and content below the screen can be
  scrolled to; pressing it before MathJax is done leaves no formula drawn twice;
- a notebook full of active content (scripts, on...= handlers, javascript:
  links, in markdown, HTML, SVG, markdown and JavaScript outputs, raw cells
  and slide metadata) gives a deck, student or instructor, in which nothing
  runs and no such markup is left; the series' described figures (a PNG with
  its alt text and caption) and formulas still show.
"""

import html.parser
import json
import os
import re
import shutil
import subprocess
import sys

import nbformat
import pytest

from tests import browser
from tests.helpers import NOTEBOOKS, ROOT
from tools import build_slides


PACKAGES = ROOT / "tools" / "slides"
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
LOAD_TIMEOUT = 20_000  # milliseconds for reveal.js and MathJax to finish


def require_npm():
    """Skip (fail in CI) when the decks' packages are neither installed nor installable."""
    if (PACKAGES / "node_modules").is_dir() or shutil.which("npm"):
        return
    message = "the slide decks need npm to install reveal.js and MathJax (tools/slides), and npm is absent"
    if os.environ.get("NNLIB_REQUIRE_BROWSER") == "1":
        pytest.fail(message)
    pytest.skip(message)


def build(output, *flags):
    require_npm()
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "build_slides.py"), "--output", str(output), *flags],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return output


@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    return build(tmp_path_factory.mktemp("slides"))


@pytest.fixture(scope="module")
def instructor_decks(tmp_path_factory):
    return build(tmp_path_factory.mktemp("slides-instructor"), "--instructor")


@pytest.fixture(scope="module")
def deck_browser(tmp_path_factory):
    """One headless Chromium for the module's tests (Playwright's sync API runs one at a time)."""
    with browser.chromium(tmp_path_factory.mktemp("chromium")) as chromium:
        yield chromium


class PageText(html.parser.HTMLParser):
    """The text a page shows (scripts and styles left out), and the output areas' text."""

    def __init__(self):
        super().__init__()
        self.text, self.outputs, self.skip, self.output_depth = [], [], 0, 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        if tag == "div":
            if self.output_depth:
                self.output_depth += 1
            elif "jp-OutputArea-output" in (dict(attrs).get("class") or "").split():
                self.output_depth = 1
                self.outputs.append("")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1
        if tag == "div" and self.output_depth:
            self.output_depth -= 1

    def handle_data(self, data):
        if self.skip:
            return
        self.text.append(data)
        if self.output_depth:
            self.outputs[-1] += data


def page_text(path):
    """(all text, [text of each output area]) of an HTML file."""
    parser = PageText()
    parser.feed(path.read_text(encoding="utf-8"))
    return "".join(parser.text), parser.outputs


def solution_lines(notebook):
    """Lines of the notebook's solutions that the lesson shows nowhere else.

    Some lessons walk through an answer's steps before the exercise puts them
    together (06 computes dZ1 in the open, then asks for `backward`); such a
    line is in the student edition anyway and is not a leak.
    """
    nb = nbformat.read(notebook, as_version=4)
    inside, elsewhere = [], []
    for cell in nb.cells:
        region = False
        for line in cell.source.split("\n"):
            if line.strip() in (BEGIN, END):
                region = line.strip() == BEGIN
            elif line.strip():
                (inside if region else elsewhere).append(line.strip())
        for output in cell.get("outputs", []):
            elsewhere.append(json.dumps(output, ensure_ascii=False))
    shown = "\n".join(elsewhere)
    return [line for line in dict.fromkeys(inside) if line not in shown]


def deck(folder, notebook):
    return folder / f"{notebook.stem}.slides.html"


def test_there_are_notebooks_to_present():
    assert NOTEBOOKS, "no notebooks in notebooks/"


def test_the_asset_packages_are_the_versions_the_template_expects():
    """nbconvert 7.17's reveal template is written for reveal.js 4 and MathJax 2.7."""
    lock = json.loads((PACKAGES / "package-lock.json").read_text(encoding="utf-8"))["packages"]
    assert lock["node_modules/reveal.js"]["version"].startswith("4.")
    assert lock["node_modules/mathjax"]["version"].startswith("2.7.")
    manifest = json.loads((PACKAGES / "package.json").read_text(encoding="utf-8"))
    for name, version in manifest["dependencies"].items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{name} is not pinned: {version!r}"
        assert lock[f"node_modules/{name}"]["version"] == version


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.stem)
def test_each_notebook_becomes_a_deck_of_several_slides(decks, notebook):
    html = deck(decks, notebook).read_text(encoding="utf-8")
    sections = html.count("<section")
    assert sections > 1, f"{notebook.stem} has {sections} slide(s)"

    # One <section> per slide and per subslide: the deck follows the metadata.
    cells = nbformat.read(notebook, as_version=4).cells
    starts = [cell for cell in cells if cell.metadata.get("slideshow", {}).get("slide_type") in ("slide", "subslide")]
    assert sections >= len(starts), f"{notebook.stem}: {sections} sections for {len(starts)} slides and subslides"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.stem)
def test_each_deck_opens_with_the_notebook_title(decks, notebook):
    first = nbformat.read(notebook, as_version=4).cells[0].source.split("\n", 1)[0]
    title = re.sub(r"^#+\s*", "", first).strip()
    html = deck(decks, notebook).read_text(encoding="utf-8")
    first_section = html[html.index("<section"):]
    assert title and title.split()[-1] in first_section[:5000], f"{notebook.name}: title {title!r} not on the first slide"


@pytest.mark.parametrize("kind", ["student", "instructor"])
def test_decks_load_nothing_from_the_web_and_every_file_they_name_is_there(decks, instructor_decks, kind):
    folder = decks if kind == "student" else instructor_decks
    for notebook in NOTEBOOKS:
        html = deck(folder, notebook).read_text(encoding="utf-8")
        remote = re.findall(r"""(?:src|href)\s*=\s*["']((?:https?:)?//[^"']+)""", html)
        remote += re.findall(r"""(?:import\s*\(?|from)\s*["']((?:https?:)?//[^"']+)""", html)
        remote += re.findall(r"""["']((?:https?:)?//[^"']+\.m?js)["']""", html)
        assert not remote, f"{kind} deck {notebook.stem} loads from the web: {remote}"
        local = re.findall(r"""(?:src|href)\s*=\s*["'](assets/[^"'?#]+)""", html)
        local += re.findall(r"""["'](assets/[^"'?#]+\.js)["']""", html)
        assert local, f"{notebook.stem}: no assets referred to"
        missing = sorted({path for path in local if not (folder / path).is_file()})
        assert not missing, f"{kind} deck {notebook.stem} refers to files that are not there: {missing}"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.stem)
def test_a_student_deck_gives_no_answer_away(decks, instructor_decks, notebook):
    lines = solution_lines(notebook)
    student_text, student_outputs = page_text(deck(decks, notebook))
    instructor_text, instructor_outputs = page_text(deck(instructor_decks, notebook))

    leaked = [line for line in lines if line in student_text]
    assert not leaked, f"the student deck of {notebook.stem} shows solution lines: {leaked}"
    assert not [text for text in student_outputs if "✅ Correct" in text], \
        f"the student deck of {notebook.stem} shows a check's '✅ Correct'"
    assert "✅ Correct:" not in student_text
    # The same searches find the answers in the instructor's deck.
    assert [line for line in lines if line not in instructor_text] == []
    if lines:
        assert [text for text in instructor_outputs if "✅ Correct" in text], \
            f"the instructor deck of {notebook.stem} shows no passed check"
    if lines:
        assert "# YOUR CODE HERE" in student_text


def test_some_solutions_are_searched_for():
    """The leak test has teeth: most notebooks have solution lines found nowhere else."""
    with_lines = [notebook.stem for notebook in NOTEBOOKS if solution_lines(notebook)]
    assert len(with_lines) >= len(NOTEBOOKS) // 2, with_lines


def open_offline(browser_, path):
    """Open a deck with every request that is not a local file aborted.

    Returns (page, aborted URLs, failed requests, script errors), after
    reveal.js is ready and MathJax has typeset everything.
    """
    page = browser_.new_page(viewport={"width": 1280, "height": 800})
    aborted, failed, errors = [], [], []

    def only_files(route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            aborted.append(route.request.url)
            route.abort()

    page.route("**/*", only_files)
    page.on("requestfailed", lambda request: failed.append(f"{request.url}: {request.failure}"))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(path.as_uri())
    try:
        # reveal.js is loaded as a require.js module, not a global: fetch it the same way.
        page.evaluate("""() => new Promise((resolve, reject) =>
            require(['assets/reveal.js/dist/reveal.js'], R => { window.Reveal = R; resolve(); }, reject))""")
        page.wait_for_function("() => Reveal.isReady()", timeout=LOAD_TIMEOUT)
        page.wait_for_function("""() => window.MathJax && MathJax.Hub && MathJax.Hub.queue
                                        && MathJax.Hub.queue.pending === 0 && !MathJax.Hub.queue.running""",
                               timeout=LOAD_TIMEOUT)
    except Exception as error:
        raise AssertionError(f"{path.name} did not finish loading ({type(error).__name__}); "
                             f"aborted: {aborted}, failed: {failed}, errors: {errors}") from error
    return page, aborted, failed, errors


MARKDOWN_TEXT = """() => [...document.querySelectorAll('.reveal .slides .jp-RenderedMarkdown')].map(cell => {
    const copy = cell.cloneNode(true);
    copy.querySelectorAll('script, style, .MJX_Assistive_MathML').forEach(node => node.remove());
    return copy.textContent;
}).join('\\n')"""


def test_student_decks_work_offline_in_chromium(decks, deck_browser):
    """Each deck, every outside request blocked: paged, formulas typeset, nothing missing."""
    for notebook in NOTEBOOKS:
        page, aborted, failed, errors = open_offline(deck_browser, deck(decks, notebook))
        with browser.artifacts_on_failure(page, f"deck-{notebook.stem}"):
            name = notebook.stem
            assert aborted == [], f"{name} asked the web for {aborted}"
            assert failed == [], f"{name}: requests failed: {failed}"
            assert errors == [], f"{name}: script errors: {errors}"

            # Typeset: MathJax rendered every formula and left no TeX behind.
            formulas = page.evaluate("document.querySelectorAll('script[type^=\"math/tex\"]').length")
            rendered = page.evaluate("document.querySelectorAll('.MathJax_CHTML').length")
            math_errors = page.evaluate("document.querySelectorAll('.MathJax_CHTML merror, .mjx-merror').length")
            assert rendered == formulas, f"{name}: {formulas} formulas, {rendered} typeset"
            if notebook.stem != "00_the_original":
                assert formulas > 0, f"{name}: no formula found to typeset"
            assert math_errors == 0, f"{name}: {math_errors} formulas failed to typeset"
            text = page.evaluate(MARKDOWN_TEXT)  # code may hold TeX on purpose: a figure's label
            assert "$$" not in text, f"{name}: raw $$ in the slides"
            raw = re.findall(r"\$[^$\n]{0,80}\\[A-Za-z]+[^$\n]{0,80}\$", text)
            assert not raw, f"{name}: raw TeX in the slides: {raw[:3]}"

            # Paged: one slide on screen, the arrow key moves to the next.
            total = page.evaluate("Reveal.getTotalSlides()")
            assert total > 1, f"{name}: {total} slide"
            assert page.evaluate("document.documentElement.scrollHeight") <= 800 + 1, \
                f"{name} is one long scrolling page"
            # Each press shows the next fragment or slide; within a few the slide changes.
            start = page.evaluate("Reveal.getIndices()")
            seen = [start]
            while len(seen) <= 50 and (seen[-1]["h"], seen[-1]["v"]) == (start["h"], start["v"]):
                page.keyboard.press("ArrowRight")
                seen.append(page.evaluate("Reveal.getIndices()"))
                assert seen[-1] != seen[-2], f"{name}: the arrow key did nothing at {seen[-2]}"
            assert (seen[-1]["h"], seen[-1]["v"]) != (start["h"], start["v"]), f"{name}: never left the first slide"
        page.close()


def test_the_build_never_replaces_an_assets_folder_it_did_not_make(tmp_path):
    require_npm()
    theirs = tmp_path / "assets" / "logo.png"
    theirs.parent.mkdir()
    theirs.write_bytes(b"not ours")
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "build_slides.py"), str(NOTEBOOKS[0]),
                             "--output", str(tmp_path)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 1 and "not made by this tool" in result.stderr
    assert theirs.read_bytes() == b"not ours"
    assert list(tmp_path.glob("*.slides.html")) == []


# ---------------------------------------------------------------------------
# Presenting: the right arrow shows every slide; nothing is cut off
# ---------------------------------------------------------------------------

SLIDES_IN_ORDER = """() => [...document.querySelectorAll('.reveal .slides > section')].flatMap(stack => {
    const inner = stack.querySelectorAll(':scope > section');
    return inner.length ? [...inner] : [stack];
}).map(slide => { const i = Reveal.getIndices(slide); return [i.h, i.v || 0]; })"""

HERE = """() => { const i = Reveal.getIndices(); return [i.h, i.v || 0]; }"""

CELLS_ON_SLIDE = """() => [...Reveal.getCurrentSlide().querySelectorAll('[id^="cell-id="]')].map(cell => cell.id.slice(8))"""

CODE_CUT_OFF = """() => [...Reveal.getCurrentSlide().querySelectorAll('.jp-InputArea-editor pre, .jp-RenderedMarkdown pre')]
    .filter(pre => pre.scrollWidth > pre.clientWidth + 1
                   || pre.getBoundingClientRect().right > document.querySelector('.reveal').getBoundingClientRect().right)
    .map(pre => pre.textContent.split('\\n').find(line => line.length > 60) || pre.textContent.slice(0, 60))"""

# How far below the screen the slide's content reaches, when the slide does not scroll to it.
CUT_AT_THE_BOTTOM = """() => {
    const slide = Reveal.getCurrentSlide(), bottom = document.querySelector('.reveal').getBoundingClientRect().bottom;
    if (['scroll', 'auto'].includes(getComputedStyle(slide).overflowY))
        return Math.max(0, slide.getBoundingClientRect().bottom - bottom);
    const lowest = [...slide.querySelectorAll('*')].reduce((low, e) => Math.max(low, e.getBoundingClientRect().bottom), 0);
    return Math.max(0, lowest - bottom);
}"""

MATHJAX_IDLE = "() => MathJax.Hub.queue.pending === 0 && !MathJax.Hub.queue.running"

DRAWN_TWICE = """() => [...document.querySelectorAll('.MathJax_Preview')].filter(preview => preview.textContent.trim())
    .map(preview => preview.textContent)"""


def slide_starts(notebook):
    """Ids of the cells of the student deck of `notebook` that begin a slide or a subslide."""
    nb = build_slides.deck_notebook(notebook)
    return [cell.id for cell in nb.cells
            if cell.metadata.get("slideshow", {}).get("slide_type") in ("slide", "subslide")]


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.stem)
def test_the_right_arrow_shows_every_slide_in_order_and_all_of_it(decks, deck_browser, notebook):
    """An instructor pressing → from the first slide sees every slide, subslides (the exercises) included.

    On each slide, once its last fragment shows and its formulas are typeset:
    no line of code runs past the right edge, and content below the screen
    can be scrolled to.
    """
    page, _, _, _ = open_offline(deck_browser, deck(decks, notebook))
    with browser.artifacts_on_failure(page, f"deck-walk-{notebook.stem}"):
        name = notebook.stem
        expected = [tuple(slide) for slide in page.evaluate(SLIDES_IN_ORDER)]
        assert len(expected) == page.evaluate("Reveal.getTotalSlides()")
        visited, cells, cut_right, cut_below = [tuple(page.evaluate(HERE))], set(), [], []
        for _ in range(40 * len(expected)):
            if not page.evaluate("Reveal.availableFragments().next"):  # all of this slide is showing
                page.wait_for_function(MATHJAX_IDLE, timeout=LOAD_TIMEOUT)
                cells.update(page.evaluate(CELLS_ON_SLIDE))
                cut_right += [(visited[-1], line) for line in page.evaluate(CODE_CUT_OFF)]
                below = page.evaluate(CUT_AT_THE_BOTTOM)
                if below > 2:
                    cut_below.append((visited[-1], round(below)))
                if page.evaluate("Reveal.isLastSlide()"):
                    break
            page.keyboard.press("ArrowRight")
            here = tuple(page.evaluate(HERE))
            if here != visited[-1]:
                visited.append(here)
        assert visited == expected, f"{name}: the right arrow visited {visited}, the deck's slides are {expected}"
        missing = [cell for cell in slide_starts(notebook) if cell not in cells]
        assert not missing, f"{name}: slides never shown, starting with cells {missing}"
        assert not cut_right, f"{name}: code cut off at the right edge (slide, line): {cut_right}"
        assert not cut_below, f"{name}: content below the screen that cannot be scrolled to (slide, pixels): {cut_below}"
    page.close()


def test_moving_on_before_the_formulas_are_typeset_leaves_none_drawn_twice(decks, deck_browser):
    """An instructor may press → before MathJax has typeset the deck; every formula still shows once.

    MathJax's fast preview of a formula stays beside the typeset formula when
    a second typesetting runs beside the first instead of after it.
    """
    twice = {}
    for notebook in NOTEBOOKS:
        for attempt in range(2):
            page = deck_browser.new_page(viewport={"width": 1280, "height": 800})
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file://")
                       else route.abort())
            page.goto(deck(decks, notebook).as_uri())
            page.evaluate("""() => new Promise((resolve, reject) =>
                require(['assets/reveal.js/dist/reveal.js'], R => { window.Reveal = R; resolve(); }, reject))""")
            page.wait_for_function("() => Reveal.isReady() && window.MathJax && MathJax.Hub", timeout=LOAD_TIMEOUT)
            for _ in range(4):
                page.keyboard.press("ArrowRight")
            page.wait_for_timeout(300)
            page.wait_for_function(MATHJAX_IDLE, timeout=LOAD_TIMEOUT)
            page.wait_for_timeout(300)
            shown = page.evaluate(DRAWN_TWICE)
            if shown:
                twice[f"{notebook.stem} (attempt {attempt + 1})"] = shown[:3]
            page.close()
    assert not twice, f"formulas drawn twice, their preview left beside them: {twice}"


def test_the_plans_slides_are_among_those_the_arrow_shows():
    """The slides docs/instructors.md names and the exercises on subslides are slide starts the walk checks."""
    plan = (ROOT / "docs" / "instructors.md").read_text(encoding="utf-8")
    named = {"00_the_original": ["The network in one picture"],
             "05_forward_pass": ["Layer 1's activations", "The shapes, in one table"],
             "06_backward_pass": ["Exercise 1: compute", "Step 5"]}
    for stem, titles in named.items():
        nb = build_slides.deck_notebook(ROOT / "notebooks" / f"{stem}.ipynb")
        starts = set(slide_starts(ROOT / "notebooks" / f"{stem}.ipynb"))
        for title in titles:
            if stem != "06_backward_pass":
                assert f"*{title}*" in plan, title
            cells = [cell for cell in nb.cells if cell.cell_type == "markdown"
                     and cell.source.lstrip("#").strip().replace("✏️ ", "").startswith(title)]
            assert cells and all(cell.id in starts for cell in cells), f"{stem}: {title!r} starts no slide"


# ---------------------------------------------------------------------------
# A deck runs nothing a notebook carries; what the notebooks show still shows
# ---------------------------------------------------------------------------

def ran(label):
    """JavaScript that records `label` in the deck's window when it runs."""
    return f"window.top.__ran=(window.top.__ran||[]).concat(['{label}'])"


def hostile_notebook():
    """A valid notebook carrying active content in every place a deck shows."""
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output, new_raw_cell

    markdown = f"""# Active content

<script>{ran('markdown-script')}</script>
<a href="javascript:{ran('markdown-javascript-link')}">a link</a> and [another](javascript:{ran('markdown-link')})
<img src="missing.png" onerror="{ran('markdown-onerror')}" alt="a broken picture">
<svg onload="{ran('markdown-svg')}"><circle r="3"/></svg>
<iframe srcdoc="<script>{ran('markdown-iframe')}</script>"></iframe>
<details open ontoggle="{ran('markdown-ontoggle')}"><summary>more</summary>text</details>
<a href="data:text/html,<script>{ran('markdown-data-link')}</script>">data link</a>
<form action="javascript:{ran('markdown-form')}"><button>go</button></form>
<object data="javascript:{ran('markdown-object')}"></object><embed src="javascript:{ran('markdown-embed')}">
<math><mtext><table><mglyph><style><img src=x onerror="{ran('markdown-mutation')}"></style></mglyph></table></mtext></math>
<div onmouseover="{ran('markdown-mouseover')}" style="height: 300px">hover here</div>
<style>.reveal {{ display: none }}</style>
<base href="javascript:{ran('markdown-base')}//">
"""
    html = (f"<script>{ran('html-output-script')}</script><img src=x onerror=\"{ran('html-output-onerror')}\">"
            f"<a href=\"javascript:{ran('html-output-link')}\">link</a><iframe src=\"javascript:{ran('html-output-iframe')}\"></iframe>")
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" onload="{ran("svg-output")}">'
           f'<script>{ran("svg-output-script")}</script></svg>')
    outputs = [
        new_output("display_data", {"text/html": html, "text/plain": "html"}),
        new_output("display_data", {"application/javascript": ran("javascript-output"), "text/plain": "js"}),
        new_output("display_data", {"text/markdown": f"<script>{ran('markdown-output')}</script>", "text/plain": "md"}),
        new_output("display_data", {"image/svg+xml": svg, "text/plain": "svg"}),
        new_output("display_data", {"text/vnd.mermaid": f"graph TD;</pre><script>{ran('mermaid-output')}</script><pre>",
                                    "text/plain": "mermaid"}),
        new_output("display_data", {"image/png": "iVBORw0KGgo="},
                   metadata={"image/png": {"width": f"1 onload={ran('image-width')}"},
                             "filenames": {"image/png": f"javascript:{ran('image-file')}"}}),
    ]
    slide_data = {"x tabindex": "0", "x onfocus": ran("slide-data"), "background-iframe": f"javascript:{ran('background')}"}
    cells = [
        new_markdown_cell(markdown, metadata={"slideshow": {"slide_type": "slide"}}),
        new_code_cell("x = 1", execution_count=1, outputs=outputs,
                      metadata={"slideshow": {"slide_type": "subslide", "data": slide_data}}),
        new_raw_cell(f"<script>{ran('raw-cell')}</script><img src=x onerror=\"{ran('raw-onerror')}\">",
                     metadata={"raw_mimetype": "text/html", "slideshow": {"slide_type": "slide"}}),
        new_markdown_cell("## The end", metadata={"slideshow": {"slide_type": "slide"}}),
    ]
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


ACTIVE_ELEMENTS = ["script", "iframe", "object", "embed", "form", "base", "meta", "link", "style", "svg", "math"]
ACTIVE_ADDRESS = re.compile(r"^\s*(javascript|vbscript|data:(?!image/(png|jpeg|gif|webp|svg\+xml)[;,]))", re.IGNORECASE)


class SlideMarkup(html.parser.HTMLParser):
    """Every start tag inside the deck's slides (<div class="slides">) as (tag, {attribute: value})."""

    def __init__(self):
        super().__init__()
        self.depth, self.tags = 0, []

    def handle_starttag(self, tag, attrs):
        if self.depth:
            self.tags.append((tag, dict(attrs)))
            if tag == "div":
                self.depth += 1
        elif tag == "div" and "slides" in (dict(attrs).get("class") or "").split():
            self.depth = 1

    def handle_endtag(self, tag):
        if self.depth and tag == "div":
            self.depth -= 1


def active_markup(path):
    """What in a deck's slides could run: scripts, frames, on...= handlers, javascript: addresses."""
    parser = SlideMarkup()
    parser.feed(path.read_text(encoding="utf-8"))
    assert parser.tags, f"{path.name}: no slides found"
    found = [f"<{tag}>" for tag, _ in parser.tags if tag in ACTIVE_ELEMENTS]
    for tag, attrs in parser.tags:
        for name, value in attrs.items():
            if name.startswith("on") or " " in name or (name.startswith("data-") and tag == "section"):
                found.append(f"<{tag} {name}=...>")
            elif value and ACTIVE_ADDRESS.match(value):
                found.append(f"<{tag} {name}={value[:30]}...>")
    return found


@pytest.mark.parametrize("kind", ["student", "instructor"])
def test_a_deck_runs_nothing_a_notebook_carries(tmp_path, deck_browser, kind):
    """Scripts, handlers and javascript: links in markdown, outputs and metadata never reach a deck."""
    notebook = tmp_path / "active.ipynb"
    nbformat.write(hostile_notebook(), notebook)
    output = build(tmp_path / "decks", *(["--instructor"] if kind == "instructor" else []), str(notebook))
    path = output / "active.slides.html"

    page, _, _, _ = open_offline(deck_browser, path)
    with browser.artifacts_on_failure(page, f"deck-active-{kind}"):
        dialogs = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        for _ in range(20):
            page.keyboard.press("ArrowRight")
        page.evaluate("Reveal.slide(0, 0)")
        page.mouse.move(640, 400)
        page.evaluate("""() => document.querySelectorAll('.reveal .slides a, .reveal .slides section')
                                       .forEach(element => { element.focus(); element.click(); })""")
        page.wait_for_timeout(500)
        assert page.evaluate("window.__ran || []") == [] and dialogs == [], \
            f"{kind} deck ran: {page.evaluate('window.__ran || []')}"
        # What is harmless is kept: the text around the active content.
        text = page.evaluate("document.querySelector('.reveal .slides').textContent")
        assert "Active content" in text and "hover here" in text and "a link" in text
        scripts = ["markdown-script", "html-output-script", "markdown-output", "raw-cell", "svg-output-script"]
        assert [label for label in scripts if label in text] == [], "a script's text was left on a slide"
    page.close()
    # Nor is any left that would run on another occasion (a focus, a click, a newer browser).
    assert active_markup(path) == [], f"{kind} deck keeps active content: {active_markup(path)}"


def described_figures(nb):
    """(alt text, caption) of each described figure (<figure> with <img alt>) among the outputs of `nb`."""
    figures = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            markup = output.get("data", {}).get("text/html", "")
            for alt, caption in re.findall(r'<img [^>]*alt="([^"]*)"[^>]*>\s*<figcaption[^>]*>(.*?)</figcaption>',
                                           "".join(markup) if isinstance(markup, list) else markup, re.DOTALL):
                figures.append((html.unescape(alt), html.unescape(caption)))
    return figures


def test_the_notebooks_figures_and_formulas_still_show(decks, deck_browser):
    """Every described figure the student deck keeps shows as a picture with its alt text and caption."""
    found_any = False
    for notebook in NOTEBOOKS:
        expected = described_figures(build_slides.deck_notebook(notebook))
        found_any |= bool(expected)
        page, _, _, errors = open_offline(deck_browser, deck(decks, notebook))
        with browser.artifacts_on_failure(page, f"deck-figures-{notebook.stem}"):
            shown = page.evaluate("""() => [...document.querySelectorAll('.reveal .slides figure')].map(figure => {
                const img = figure.querySelector('img'), caption = figure.querySelector('figcaption');
                return {alt: img && img.alt, caption: caption && caption.textContent,
                        png: !!img && img.src.startsWith('data:image/png;base64,'),
                        loaded: !!img && img.complete && img.naturalWidth > 0};
            })""")
            assert [(figure["alt"], figure["caption"]) for figure in shown] == expected, notebook.stem
            assert all(figure["png"] and figure["loaded"] for figure in shown), f"{notebook.stem}: {shown}"
            formulas = page.evaluate("document.querySelectorAll('script[type^=\"math/tex\"]').length")
            assert page.evaluate("document.querySelectorAll('.MathJax_CHTML').length") == formulas
            assert errors == []
        page.close()
    assert found_any, "no described figure in any deck: the test looks at nothing"


def test_a_notebook_that_is_not_valid_is_named_and_nothing_is_written(tmp_path):
    require_npm()
    bad = tmp_path / "bad.ipynb"
    bad.write_text(json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "code", "id": "a", "metadata": {}, "source": "x = 1", "outputs": [], "execution_count": "one"}]}),
        encoding="utf-8")
    output = tmp_path / "decks"
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "build_slides.py"), str(NOTEBOOKS[0]), str(bad),
                             "--output", str(output)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 1
    assert f"error: {bad}: is not a valid notebook ('one' is not of type 'integer', 'null')" in result.stderr
    assert "Traceback" not in result.stderr and "No deck was written." in result.stderr
    assert not output.exists()


def test_the_same_notebook_always_gives_the_same_deck(tmp_path):
    """Cell ids are part of a deck; nbformat would make up random ones for repeated ids."""
    nb = json.loads(NOTEBOOKS[1].read_text(encoding="utf-8"))
    nb["cells"][2]["id"] = nb["cells"][1]["id"]
    source = tmp_path / "repeated_ids.ipynb"
    source.write_text(json.dumps(nb), encoding="utf-8")
    first = build(tmp_path / "first", str(source)) / "repeated_ids.slides.html"
    second = build(tmp_path / "second", str(source)) / "repeated_ids.slides.html"
    assert first.read_bytes() == second.read_bytes()
