"""tools/student_edition.py: solutions blanked, checks say "Not yet", nothing overwritten.

The first tests use small notebooks made here, so they hold whatever state
the series is in. The last ones run the tool on every notebook in
notebooks/, execute the student copy in a fresh kernel and read what the
checks say.
"""

import hashlib
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

ROOT = Path(__file__).resolve().parent.parent
TOOL = ROOT / "tools" / "student_edition.py"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))

sys.path.insert(0, str(TOOL.parent))
import student_edition  # noqa: E402  (tools/ is not a package)

FUNCTION_EXERCISE = """\
def sigmoid(z):
    ### BEGIN SOLUTION
    e = np.exp(-z)
    print("computing")
    return 1 / (1 + e)
    ### END SOLUTION"""

VALUE_EXERCISE = """\
### BEGIN SOLUTION
hidden = 3 * 4
n_params, extra = hidden + 4 + 4 * 2 + 2, None
for _ in range(2):
    hidden += 1
### END SOLUTION"""


def run_tool(*args):
    return subprocess.run([sys.executable, str(TOOL), *map(str, args)], capture_output=True, text=True, cwd=ROOT)


def digest(folder):
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(Path(folder).glob("*"))}


def synthetic_notebook():
    """A two-exercise notebook in the series' style, executed (it has outputs)."""
    cells = [
        new_markdown_cell("# A test notebook", metadata={"slideshow": {"slide_type": "slide"}}),
        new_code_cell("import numpy as np\nfrom nnlib.course import checks", execution_count=1),
        new_code_cell(FUNCTION_EXERCISE, execution_count=2, metadata={"slideshow": {"slide_type": "subslide"}}),
        new_code_cell("checks.check_sigmoid(sigmoid)", execution_count=3,
                      outputs=[new_output("execute_result", {"text/plain": "✅ Correct: sigmoid"}, execution_count=3)]),
        new_code_cell(VALUE_EXERCISE, execution_count=4),
        new_code_cell("checks.check_param_count(n_params)", execution_count=5,
                      outputs=[new_output("execute_result", {"text/plain": "✅ Correct: 26"}, execution_count=5)]),
    ]
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    return nb


def execute(nb, folder):
    """Run a notebook in a fresh kernel, every cell even after an error; return it."""
    NotebookClient(nb, timeout=600, allow_errors=True, resources={"metadata": {"path": str(folder)}}).execute()
    return nb


def errors(nb):
    return [f"cell {index}: {output.ename}: {output.evalue}"
            for index, cell in enumerate(nb.cells) if cell.cell_type == "code"
            for output in cell.outputs if output.output_type == "error"]


def text_of(cell):
    parts = []
    for output in cell.outputs:
        if output.output_type == "stream":
            parts.append(output.text)
        elif "data" in output:
            parts.append(output.data.get("text/plain", ""))
    return "".join(parts)


def solution_lines(source):
    """(stripped code lines inside solution regions, stripped lines outside them)."""
    inside, outside, in_region = set(), set(), False
    for line in source.split("\n"):
        marker = line.strip()
        if marker in ("### BEGIN SOLUTION", "### END SOLUTION"):
            in_region = marker == "### BEGIN SOLUTION"
        elif marker and not marker.startswith("#"):
            (inside if in_region else outside).add(marker)
    return inside, outside


def check_cells(nb):
    """(index, cell) of the code cell right after each exercise cell: its check."""
    pairs = []
    for index, cell in enumerate(nb.cells):
        if student_edition.is_exercise(cell):
            following = [i for i in range(index + 1, len(nb.cells)) if nb.cells[i].cell_type == "code"]
            assert following, f"exercise in cell {index} has no check cell after it"
            pairs.append(following[0])
    return pairs


# The rewriting rule, on single cells.

def test_a_function_exercise_keeps_its_signature_and_returns_ellipsis():
    blanked = student_edition.blank_source(FUNCTION_EXERCISE)
    assert blanked == "def sigmoid(z):\n    # YOUR CODE HERE\n    e = ...\n    return ..."


def test_a_value_exercise_keeps_the_names_it_assigns_and_drops_the_rest():
    blanked = student_edition.blank_source(VALUE_EXERCISE)
    assert blanked == "# YOUR CODE HERE\nhidden = ...\nn_params = ...\nextra = ..."


def test_code_around_the_region_and_several_regions_are_kept():
    source = "x = 1\n### BEGIN SOLUTION\na = x + 1\n### END SOLUTION\nprint(a)\n### BEGIN SOLUTION\nb = 2\n### END SOLUTION"
    assert student_edition.blank_source(source) == (
        "x = 1\n# YOUR CODE HERE\na = ...\nprint(a)\n# YOUR CODE HERE\nb = ...")


def test_a_region_with_nothing_to_keep_still_leaves_valid_python():
    source = "def f():\n    ### BEGIN SOLUTION\n    print('hi')\n    ### END SOLUTION"
    blanked = student_edition.blank_source(source)
    compile(blanked, "<cell>", "exec")
    assert "print" not in blanked


@pytest.mark.parametrize("source, problem", [
    ("### BEGIN SOLUTION\na = 1", "without `### END SOLUTION`"),
    ("a = 1\n### END SOLUTION", "without `### BEGIN SOLUTION`"),
    ("### BEGIN SOLUTION\n### BEGIN SOLUTION\na = 1\n### END SOLUTION", "inside another solution"),
    ("    ### BEGIN SOLUTION\na = 1\n    ### END SOLUTION", "indented less"),
    ("### BEGIN SOLUTION\na = (1,\n### END SOLUTION", "not valid Python"),
])
def test_a_malformed_region_is_refused_with_the_reason(source, problem):
    with pytest.raises(student_edition.SolutionError, match=problem):
        student_edition.blank_source(source, where="nb.ipynb, cell 3")


def test_outputs_counts_and_widget_state_are_cleared_metadata_kept():
    student = student_edition.student_notebook(synthetic_notebook())
    assert "widgets" not in student.metadata
    for cell in student.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    assert student.cells[2].metadata["slideshow"] == {"slide_type": "subslide"}
    assert student.cells[3].source == "checks.check_sigmoid(sigmoid)"


# The command on a synthetic series.

@pytest.fixture
def synthetic_series(tmp_path):
    source = tmp_path / "instructor"
    source.mkdir()
    nbformat.write(synthetic_notebook(), source / "01_test.ipynb")
    return source


def test_the_student_copy_runs_and_each_check_says_not_yet(synthetic_series, tmp_path):
    target = tmp_path / "student"
    result = run_tool(synthetic_series, target)
    assert result.returncode == 0, result.stderr
    nb = execute(nbformat.read(target / "01_test.ipynb", as_version=4), target)
    assert errors(nb) == []
    for index in check_cells(nb):
        assert "Not yet" in text_of(nb.cells[index]), f"cell {index}: {text_of(nb.cells[index])!r}"


def test_an_edited_notebook_in_the_target_stops_the_tool(synthetic_series, tmp_path):
    target = tmp_path / "student"
    assert run_tool(synthetic_series, target).returncode == 0
    work = target / "01_test.ipynb"
    nb = nbformat.read(work, as_version=4)
    nb.cells[2].source = "def sigmoid(z):\n    return 1 / (1 + np.exp(-z))  # the student's answer"
    nbformat.write(nb, work)
    before = work.read_bytes()

    result = run_tool(synthetic_series, target)
    assert result.returncode == 2
    assert "01_test.ipynb" in result.stderr and "--force" in result.stderr and "Nothing was written" in result.stderr
    assert work.read_bytes() == before

    result = run_tool(synthetic_series, target, "--force")
    assert result.returncode == 0, result.stderr
    assert "student's answer" not in work.read_text(encoding="utf-8")


def test_running_again_over_an_untouched_copy_is_allowed(synthetic_series, tmp_path):
    target = tmp_path / "student"
    assert run_tool(synthetic_series, target).returncode == 0
    first = digest(target)
    result = run_tool(synthetic_series, target)
    assert result.returncode == 0, result.stderr
    assert digest(target) == first


def test_the_source_folder_is_refused_as_target(synthetic_series):
    result = run_tool(synthetic_series, synthetic_series)
    assert result.returncode != 0
    assert "must differ" in result.stderr


# The real series.

@pytest.fixture(scope="module")
def series_copy(tmp_path_factory):
    """(student folder, instructor hashes before, instructor hashes after)."""
    before = digest(ROOT / "notebooks")
    target = tmp_path_factory.mktemp("series") / "student"
    result = run_tool(ROOT / "notebooks", target)
    assert result.returncode == 0, result.stderr
    return target, before, digest(ROOT / "notebooks")


def test_there_are_notebooks_to_copy():
    assert NOTEBOOKS, "no notebooks in notebooks/"


def test_the_instructor_copy_is_left_untouched(series_copy):
    target, before, after = series_copy
    assert after == before
    assert sorted(path.name for path in target.glob("*.ipynb")) == [path.name for path in NOTEBOOKS]


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.stem)
def test_solutions_are_gone_and_outputs_cleared(series_copy, notebook):
    target, _, _ = series_copy
    instructor = nbformat.read(notebook, as_version=4)
    student = nbformat.read(target / notebook.name, as_version=4)
    assert len(student.cells) == len(instructor.cells)
    for index, (theirs, ours) in enumerate(zip(instructor.cells, student.cells)):
        if ours.cell_type != "code":
            assert ours.source == theirs.source
            continue
        assert ours.outputs == [] and ours.execution_count is None, f"cell {index} keeps outputs"
        if not student_edition.is_exercise(theirs):
            assert ours.source == theirs.source, f"cell {index} changed but holds no exercise"
            continue
        assert "### BEGIN SOLUTION" not in ours.source and "# YOUR CODE HERE" in ours.source
        solution, outside = solution_lines(theirs.source)
        for line in solution - outside:
            assert line not in ours.source, f"cell {index} still holds {line!r}"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.stem)
def test_the_student_copy_runs_and_every_check_says_not_yet(series_copy, notebook):
    target, _, _ = series_copy
    nb = execute(nbformat.read(target / notebook.name, as_version=4), target)
    assert errors(nb) == [], f"{notebook.name} raises in the student edition"
    for index in check_cells(nb):
        said = text_of(nb.cells[index])
        assert "Not yet" in said, f"{notebook.name}, cell {index}: the check said {said!r}"
