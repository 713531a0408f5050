"""check_backward's map in a real notebook: in a kernel, in the student edition, in JupyterLab.

A backward pass that is not right yet gets, besides the check's line, one
output with the map of its errors entry by entry (`plots.plot_gradient_errors`),
drawn without pyplot whatever MPLBACKEND says. A right one gets the line
alone. The blank exercise of the student edition gets an empty, grey map.
What the map shows is tested in test_checks.py and test_notebook_figures_b.py.
"""

import base64
import re
import subprocess
import sys

import nbformat

from nnlib.course.exercises.feedback import MIME_TYPE
from tests.helpers import ROOT, execute


PNG = b"\x89PNG\r\n\x1a\n"

RIGHT_BACKWARD = """def right(params, cache, y):
    X, A1, A2 = cache["X"], cache["A1"], cache["A2"]
    dZ2 = 2 * (A2 - y) / y.size * A2 * (1 - A2)
    dZ1 = dZ2 @ params["W2"].T * A1 * (1 - A1)
    return {"dW1": X.T @ dZ1, "db1": dZ1.sum(axis=0, keepdims=True),
            "dW2": A1.T @ dZ2, "db2": dZ2.sum(axis=0, keepdims=True)}"""
CELLS = [
    "import sys\nimport nnlib\nfrom nnlib.course import checks\n" + RIGHT_BACKWARD,
    "checks.check_backward(right)",
    "checks.check_backward(nnlib.original.backward)",
    "def backward(params, cache, y):\n    # YOUR CODE HERE\n    return ...",  # the student edition
    'from nnlib.course.checks import check\ncheck("backward")',
    "'matplotlib.pyplot' in sys.modules",
]


def map_then_line(cell):
    """(the map's output, the Feedback's output) of a check cell that shows both, in that order."""
    picture, result = cell.outputs
    assert picture.output_type == "display_data" and result.output_type == "execute_result"
    page = picture.data["text/html"]  # plots.figure_html: the picture with its alt text and caption
    source, alt = re.search(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)" alt="([^"]+)">', page).groups()
    assert base64.b64decode(source)[:8] == PNG
    assert "One panel per parameter" in alt and f"<figcaption" in page
    assert result.data[MIME_TYPE]["message"] == result.data["text/plain"]  # grading reads this, unchanged
    return picture, result


def test_in_a_kernel_a_backward_not_right_yet_shows_its_map_above_its_line(tmp_path, monkeypatch):
    # A backend that does not exist: the map must not go through pyplot or the environment's choice.
    monkeypatch.setenv("MPLBACKEND", "module://no_such_backend")
    nb = execute(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in CELLS]), tmp_path)
    assert [output.output_type for cell in nb.cells for output in cell.outputs if output.output_type == "error"] == []
    (right,) = nb.cells[1].outputs
    assert right.data["text/plain"].startswith("✅ Correct")
    picture, result = map_then_line(nb.cells[2])
    assert picture.data["text/plain"].startswith("[map] nnlib.original.backward against finite differences (N=4, D=3, "
                                                 "H=4, M=2)")  # nnlib's own, named by its name
    assert result.data["text/plain"].startswith("❌ Not yet: with N=4, D=3, H=4, M=2")
    picture, result = map_then_line(nb.cells[4])
    assert picture.data["text/plain"].startswith("[map] No answer yet")
    assert result.data["text/plain"] == ("❌ Not yet: what your backward returned is still `...`. "
                                         "Hint: replace the `...` with your answer and run the cell again.")
    (pyplot_loaded,) = nb.cells[5].outputs
    assert pyplot_loaded.data["text/plain"] == "False"


def test_the_student_editions_blank_backward_shows_an_empty_map_and_not_yet(tmp_path):
    target = tmp_path / "student"
    made = subprocess.run([sys.executable, str(ROOT / "tools" / "student_edition.py"), str(ROOT / "notebooks"),
                           str(target)], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert made.returncode == 0, made.stderr
    nb = execute(nbformat.read(target / "06_backward_pass.ipynb", as_version=4), target)
    assert [output for cell in nb.cells if cell.cell_type == "code" for output in cell.outputs
            if output.output_type == "error"] == []
    (cell,) = [cell for cell in nb.cells if cell.source == 'from nnlib.course.checks import check\ncheck("backward")']
    picture, result = map_then_line(cell)
    assert picture.data["text/plain"] == ("[map] No answer yet: this map will show where your backward's gradients "
                                          "are wrong: W1: no answer yet | b1: no answer yet | W2: no answer yet | "
                                          "b2: no answer yet")
    assert "Not yet" in result.data["text/plain"]


def test_jupyterlab_shows_the_map_as_a_picture_above_the_checks_line(tmp_path):
    from tests import browser

    browser.require_browser()
    sources = ["import nnlib\nfrom nnlib.course import checks", "checks.check_backward(nnlib.original.backward)"]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in sources])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    root = tmp_path / "root"
    root.mkdir()
    nbformat.write(nb, root / "map.ipynb")
    with browser.jupyterlab(root, tmp_path) as (base, token, log_path), browser.chromium(tmp_path) as chromium:
        page = chromium.new_page(viewport={"width": 1200, "height": 900})
        with browser.artifacts_on_failure(page, "gradient_map_in_jupyterlab", log_path):
            browser.open_notebook(page, base, token, "map.ipynb")
            browser.run_all_cells(page)
            shown = page.locator(".jp-OutputArea-output")
            assert shown.evaluate_all("nodes => nodes.map(n => n.dataset.mimeType)") == ["text/html", "text/plain"]
            picture = page.locator(".jp-OutputArea-output img")
            assert picture.evaluate("image => image.naturalWidth") > 300  # the picture arrived, not a broken image
            assert picture.get_attribute("alt").startswith("nnlib.original.backward against finite differences")
            assert " ".join(shown.nth(1).inner_text().split()).startswith("❌ Not yet: with N=4, D=3, H=4, M=2")
            assert browser.errors_shown(page) == []
            page.screenshot(path=str(tmp_path / "map.png"))
