"""Every notebook exports to a reveal.js deck with more than one slide.

Runs tools/build_slides.py (jupyter nbconvert --to slides) on the whole
series into a temporary folder, as an instructor would into build/slides.
"""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    output = tmp_path_factory.mktemp("slides")
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "build_slides.py"), "--output", str(output)],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return output


def test_there_are_notebooks_to_present():
    assert NOTEBOOKS, "no notebooks in notebooks/"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.stem)
def test_each_notebook_becomes_a_deck_of_several_slides(decks, notebook):
    deck = decks / f"{notebook.stem}.slides.html"
    assert deck.is_file(), f"no deck for {notebook.name}"
    html = deck.read_text(encoding="utf-8")
    sections = html.count("<section")
    assert sections > 1, f"{deck.name} has {sections} slide(s)"

    # One <section> per slide and per subslide: the deck follows the metadata.
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    starts = [cell for cell in cells
              if cell.get("metadata", {}).get("slideshow", {}).get("slide_type") in ("slide", "subslide")]
    assert sections >= len(starts), f"{deck.name}: {sections} sections for {len(starts)} slides and subslides"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.stem)
def test_each_deck_opens_with_the_notebook_title(decks, notebook):
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    first = "".join(cells[0]["source"]).split("\n", 1)[0]
    title = re.sub(r"^#+\s*", "", first).strip()
    html = (decks / f"{notebook.stem}.slides.html").read_text(encoding="utf-8")
    first_section = html[html.index("<section"):]
    assert title and title.split()[-1] in first_section[:5000], f"{notebook.name}: title {title!r} not on the first slide"
