"""The series as a website (tools/build_site.py): a page per notebook, offline, and no answer given away.

Builds the site once into a temporary folder, as an instructor would
(`python -m tools.build_site --output DIR`). The build makes Jupyter Book's
environment from tools/site/requirements.txt the first time (a minute or
two; tools/environments.py keeps it in a cache folder for later runs) and
installs MathJax with `npm ci`; without npm the tests skip locally and fail
in CI (NNLIB_REQUIRE_BROWSER=1).

From the files:
- every notebook has its page, titled like the notebook;
- no page loads a script, style sheet, font or picture from the web
  (links to the web, such as the launch button, are links, not loads),
  and every link within the site leads to one of its files;
- each page's launch button opens that notebook on Binder as the README's
  Binder section does;
- no page shows a line of any solution or a check's "✅ Correct";
- each dashboard's stored picture is followed by the sentence saying it is
  live in JupyterLab.

In headless Chromium, the site served from 127.0.0.1 and every other
request aborted:
- every page loads with no failed or aborted request and no script error,
  and MathJax typesets every formula (none left as TeX, none in error);
- every picture on a page has loaded and has alt text that describes it
  (not a file name);
- the search page finds "sigmoid" and lists the sigmoid notebook's page;
- axe-core finds no critical or serious violation in the pages' content
  (the notebooks' text, code, figures) on two pages; the counts for one
  whole page, theme included, are printed (pytest -s).
"""

import functools
import html.parser
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading

import nbformat
import pytest

from tests import browser
from tests.helpers import NOTEBOOKS, ROOT
from tools.build_site import LIVE_SENTENCE, is_dashboard
from tools.markers import BEGIN, END


README = (ROOT / "README.md").read_text(encoding="utf-8")
AXE_PAGES = ("04_hyperparameters", "06_backward_pass")  # a dashboard and many figures; the most formulas
CONTENT = {"include": [["main .bd-article"]]}  # the notebook's text, code and outputs, without the theme's frame
LOAD_TIMEOUT = 30_000  # milliseconds
# sphinx-thebe 0.3.1 (which Jupyter Book always loads) declares this constant twice
# on every page under Sphinx 7.4; the site does not use thebe, so nothing breaks.
KNOWN_SCRIPT_ERRORS = {"Identifier 'THEBE_JS_URL' has already been declared"}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    if not (ROOT / "tools" / "site" / "node_modules").is_dir() and not shutil.which("npm"):
        message = "the site needs npm to install MathJax (tools/site), and npm is absent"
        if os.environ.get("NNLIB_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    output = tmp_path_factory.mktemp("site") / "site"
    result = subprocess.run([sys.executable, "-m", "tools.build_site", "--output", str(output)],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    return output


def page(site, notebook):
    return site / f"{notebook.stem}.html"


class Loads(html.parser.HTMLParser):
    """What a page loads (script src, link href of style sheets and icons, img src), its text, its outputs' text."""

    def __init__(self):
        super().__init__()
        self.loads, self.text, self.outputs, self.skip, self.output_depth = [], [], [], 0, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "img", "iframe", "source") and attrs.get("src"):
            self.loads.append(attrs["src"])
        if tag == "link" and attrs.get("href") and attrs.get("rel") not in ("canonical", "next", "prev"):
            self.loads.append(attrs["href"])
        if tag in ("script", "style"):
            self.skip += 1
        if tag == "div":
            if self.output_depth:
                self.output_depth += 1
            elif "cell_output" in (attrs.get("class") or "").split():  # myst-nb's output area
                self.output_depth = 1
                self.outputs.append("")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1
        if tag == "div" and self.output_depth:
            self.output_depth -= 1

    def handle_data(self, data):
        if not self.skip:
            self.text.append(data)
            if self.output_depth:
                self.outputs[-1] += data


def parsed(path):
    parser = Loads()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def solution_lines(notebook):
    """Lines inside the notebook's solution regions that its cells and outputs show nowhere else."""
    inside, elsewhere = [], []
    for cell in nbformat.read(notebook, as_version=4).cells:
        region = False
        for line in cell.source.splitlines():
            if line.strip() in (BEGIN, END):
                region = line.strip() == BEGIN
            elif line.strip():
                (inside if region else elsewhere).append(line.strip())
        elsewhere += [json.dumps(output, ensure_ascii=False) for output in cell.get("outputs", [])]
    shown = "\n".join(elsewhere)
    return [line for line in dict.fromkeys(inside) if line not in shown]


# --- from the files ------------------------------------------------------------

def test_every_notebook_has_a_page_titled_like_it(site):
    for notebook in NOTEBOOKS:
        title = re.sub(r"^#+\s*", "", nbformat.read(notebook, as_version=4).cells[0].source.split("\n", 1)[0])
        html = page(site, notebook).read_text(encoding="utf-8")
        assert re.search(r"<h1>\s*" + re.escape(title), html), f"{notebook.stem}: no <h1> {title!r}"
    assert (site / "index.html").is_file() and (site / "search.html").is_file()


def test_no_page_loads_anything_from_the_web(site):
    for path in sorted(site.glob("*.html")):
        remote = [url for url in parsed(path).loads if re.match(r"(https?:)?//", url)]
        assert remote == [], f"{path.name} loads from the web: {remote}"
        assert "cdn.jsdelivr" not in path.read_text(encoding="utf-8")


def test_every_link_within_the_site_leads_to_a_file_of_the_site(site):
    for path in sorted(site.glob("*.html")):
        hrefs = re.findall(r'href="([^"#?]+)', path.read_text(encoding="utf-8"))
        local = [href for href in hrefs if not re.match(r"[a-z]+:|//", href)]
        missing = sorted({href for href in local if not (site / href).exists()})
        assert missing == [], f"{path.name} links to files the site does not have: {missing}"


def binder_links(notebook):
    section = README.split("## Launch on Binder", 1)[1].split("\n## ", 1)[0]
    return {url for url in re.findall(r"\((https://mybinder\.org/v2/\S+?)\)", section) if url.endswith(notebook.name)}


def test_each_page_launches_its_notebook_on_binder_as_the_readme_does(site):
    for notebook in NOTEBOOKS:
        html = page(site, notebook).read_text(encoding="utf-8")
        launches = set(re.findall(r'href="(https://mybinder\.org/v2/[^"]+)"', html))
        readme = binder_links(notebook)
        assert readme, f"the README's Binder section has no link to {notebook.name}"
        assert launches and launches <= readme, f"{notebook.stem}: launch {launches}, README {readme}"


def test_no_page_gives_an_answer_away(site):
    searched = outputs = 0
    for notebook in NOTEBOOKS:
        shown = parsed(page(site, notebook))
        text = "".join(shown.text)
        lines = solution_lines(notebook)
        searched += len(lines)
        assert [line for line in lines if line in text] == [], f"{notebook.stem} shows solution lines"
        assert [output for output in shown.outputs if "✅ Correct" in output] == [], \
            f"{notebook.stem} shows a passed check"
        outputs += len(shown.outputs)
    assert searched > 0 and outputs > 0


def test_each_dashboard_picture_says_it_is_live_in_jupyterlab(site):
    sentence = re.sub(r"^\*|\*$", "", LIVE_SENTENCE)
    total = 0
    for notebook in NOTEBOOKS:
        dashboards = sum(is_dashboard(output) for cell in nbformat.read(notebook, as_version=4).cells
                         for output in cell.get("outputs", []))
        total += dashboards
        assert "".join(parsed(page(site, notebook)).text).count(sentence) == dashboards, notebook.stem
    assert total >= 1, "no dashboard found in the notebooks"


# --- in Chromium, offline ------------------------------------------------------

@pytest.fixture(scope="module")
def served(site):
    """The site over HTTP on 127.0.0.1, as a web server would serve it."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def open_offline(chromium, base, path):
    """Open base/path with every request elsewhere aborted; returns (page, problems) once MathJax is done."""
    tab = chromium.new_page(viewport={"width": 1280, "height": 900})
    problems = []

    def only_the_site(route):
        if route.request.url.startswith(base + "/"):
            route.continue_()
        else:
            problems.append(f"asked the web for {route.request.url}")
            route.abort()

    tab.route("**/*", only_the_site)
    tab.on("requestfailed", lambda request: problems.append(f"failed: {request.url} {request.failure}"))
    tab.on("response", lambda response: problems.append(f"{response.status}: {response.url}")
           if response.status >= 400 else None)
    tab.on("pageerror", lambda error: None if str(error) in KNOWN_SCRIPT_ERRORS else problems.append(str(error)))
    tab.on("console", lambda message: problems.append(message.text)
           if message.type == "error" and message.text not in KNOWN_SCRIPT_ERRORS else None)
    tab.goto(f"{base}/{path}")
    tab.wait_for_load_state("load")
    if tab.locator("script[src*='mathjax']").count():
        tab.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise",
                              timeout=LOAD_TIMEOUT)
        tab.evaluate("() => MathJax.startup.promise")
    return tab, problems


TYPESET = """() => {
    const maths = [...document.querySelectorAll('main .math')];
    return {maths: maths.length,
            typeset: maths.filter(m => m.querySelector('mjx-container')).length,
            errors: document.querySelectorAll('mjx-merror').length};
}"""
PICTURES = """() => [...document.querySelectorAll('main .bd-article img')].map(img => ({
    src: img.getAttribute('src').slice(0, 60), alt: img.getAttribute('alt') || '',
    loaded: img.complete && img.naturalWidth > 0}))"""


def test_every_page_loads_offline_typeset_with_described_pictures(served, tmp_path):
    with browser.chromium(tmp_path) as chromium:
        for notebook in NOTEBOOKS:
            tab, problems = open_offline(chromium, served, f"{notebook.stem}.html")
            with browser.artifacts_on_failure(tab, f"site-{notebook.stem}"):
                assert problems == [], f"{notebook.stem}: {problems}"
                maths = tab.evaluate(TYPESET)
                if notebook.stem != "00_the_original":
                    assert maths["maths"] > 0, f"{notebook.stem}: no formula on the page"
                assert maths["typeset"] == maths["maths"] and maths["errors"] == 0, f"{notebook.stem}: {maths}"
                pictures = tab.evaluate(PICTURES)
                figures = [picture for picture in pictures if picture["src"].startswith("data:image")]
                stored = sum("image/png" in output.get("data", {}) or "<img" in str(output.get("data", {}))
                             for cell in nbformat.read(notebook, as_version=4).cells
                             for output in cell.get("outputs", []))
                assert bool(figures) == bool(stored), f"{notebook.stem}: {len(figures)} pictures shown"
                for picture in pictures:
                    assert picture["loaded"], f"{notebook.stem}: a picture did not load: {picture['src']}"
                    alt = picture["alt"].strip()
                    assert len(alt) > 15 and not re.search(r"\.(png|svg|jpe?g)$", alt), \
                        f"{notebook.stem}: picture {picture['src']} has alt text {alt!r}"
            tab.close()


def test_search_finds_sigmoid_offline(served, tmp_path):
    with browser.chromium(tmp_path) as chromium:
        tab, problems = open_offline(chromium, served, "search.html?q=sigmoid")
        with browser.artifacts_on_failure(tab, "site-search"):
            tab.locator("#search-results ul.search li").first.wait_for(timeout=LOAD_TIMEOUT)
            found = tab.locator("#search-results ul.search li a").evaluate_all("links => links.map(a => a.href)")
            assert any(link.split("?")[0].endswith("/01_sigmoid.html") for link in found), found
            assert problems == []


@pytest.mark.parametrize("name", AXE_PAGES)
def test_a_page_has_no_serious_axe_violation_in_its_content(served, tmp_path, name):
    browser.require_axe()
    with browser.chromium(tmp_path) as chromium:
        tab, problems = open_offline(chromium, served, f"{name}.html")
        with browser.artifacts_on_failure(tab, f"site-axe-{name}"):
            assert problems == []
            if name == AXE_PAGES[0]:  # once is enough for the theme's frame, the same on every page
                browser.report(f"site page {name}, the whole page (theme included)", browser.run_axe(tab, {"exclude": []}))
            serious = browser.report(f"site page {name}, its content", browser.run_axe(tab, CONTENT))
            assert serious == [], "\n".join(serious)
