"""tools/student_edition.py: solutions blanked, checks say "Not yet", nothing overwritten.

The first tests use small notebooks made here, so they hold whatever state
the series is in: the blanking rule on every shape a solution can take,
markers that are almost right, unreadable notebooks, and target folders full
of links, read-only files and odd entries (the source must never change, and
nothing is written unless everything can be). The last ones run the tool on
every notebook in notebooks/, execute the student copy in a fresh kernel and
read what the checks say.
"""

import contextlib
import hashlib
import io
import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output, new_raw_cell

from tests.helpers import NOTEBOOKS, ROOT, execute, snapshot
from tools import ToolError, markers, notebooks, student_edition, writing

TOOL = ROOT / "tools" / "student_edition.py"

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
    # A timeout: a tool that opens a pipe named like a notebook would wait forever.
    return subprocess.run([sys.executable, str(TOOL), *map(str, args)], capture_output=True, text=True, cwd=ROOT,
                          timeout=300)


def digest(folder):
    """{name: SHA-256} of the files in `folder` (folders such as .ipynb_checkpoints are left out)."""
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(Path(folder).glob("*")) if path.is_file()}


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
        if markers.is_exercise(cell):
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
    with pytest.raises(markers.SolutionError, match=problem):
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


def run_main(*args):
    """Run the tool's main() in this process (faster than a new Python); the same answer as run_tool."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = student_edition.main([str(arg) for arg in args])
        except SystemExit as exit:
            code = exit.code
    return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())


# Helpers for the safety tests: a ten-notebook series and a picture of a folder.

def numbered_notebook(number):
    """The synthetic notebook with its own title, so each of a series differs."""
    nb = synthetic_notebook()
    nb.cells[0].source = f"# Test notebook {number}"
    return nb


@pytest.fixture
def ten_notebooks(tmp_path):
    """A source folder of ten executed notebooks, 00_test.ipynb to 09_test.ipynb."""
    source = tmp_path / "instructor"
    source.mkdir()
    for number in range(10):
        nbformat.write(numbered_notebook(number), source / f"{number:02d}_test.ipynb")
    return source


def is_student_copy(path):
    """A regular file (not a link) holding a blanked notebook without outputs."""
    if path.is_symlink() or not path.is_file():
        return False
    nb = nbformat.read(path, as_version=4)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    return (all(cell.outputs == [] for cell in code) and "# YOUR CODE HERE" in code[1].source
            and "1 / (1 + e)" not in code[1].source)


def temporaries(folder):
    return [path.name for path in Path(folder).iterdir() if path.name.endswith(".tmp")]


def cannot_test(reason):
    """Skip with `reason` on a developer's machine; in CI (CI set), where it can run, fail instead."""
    if os.environ.get("CI"):
        pytest.fail(f"this must be tested in CI: {reason}")
    pytest.skip(reason)


@contextlib.contextmanager
def chattr(flag, *paths):
    """Set a Linux file attribute (`i` immutable, `a` append-only) for the block, or skip (fail in CI)."""
    if shutil.which("chattr") is None:
        cannot_test("chattr is not installed here (Debian: e2fsprogs)")
    done = []
    try:
        for path in paths:
            result = subprocess.run(["chattr", f"+{flag}", str(path)], capture_output=True, text=True)
            if result.returncode != 0:
                cannot_test(f"chattr +{flag} is not allowed here: {result.stderr.strip()}")
            done.append(path)
        yield
    finally:
        for path in done:
            subprocess.run(["chattr", f"-{flag}", str(path)], check=True)


# the source never changes, whatever links the target holds.

def test_force_over_symlinked_notebooks_replaces_the_links_not_the_sources(ten_notebooks, tmp_path):
    target = tmp_path / "s"
    target.mkdir()
    for path in ten_notebooks.glob("*.ipynb"):
        (target / path.name).symlink_to(path.resolve())
    before = snapshot(ten_notebooks)
    result = run_tool(ten_notebooks, target, "--force")
    assert result.returncode == 0, result.stderr
    assert snapshot(ten_notebooks) == before
    assert all(is_student_copy(target / f"{number:02d}_test.ipynb") for number in range(10))


def test_links_to_source_notebooks_are_replaced_without_force_and_named(ten_notebooks, tmp_path):
    target = tmp_path / "s"
    target.mkdir()
    (target / "03_test.ipynb").symlink_to(ten_notebooks.resolve() / "03_test.ipynb")
    before = snapshot(ten_notebooks)
    result = run_main(ten_notebooks, target)
    assert result.returncode == 0, result.stderr
    assert "03_test.ipynb: was a symbolic link" in result.stdout and "untouched" in result.stdout
    assert snapshot(ten_notebooks) == before
    assert is_student_copy(target / "03_test.ipynb")


def test_force_over_a_hard_linked_copy_leaves_the_sources_alone(ten_notebooks, tmp_path):
    target = tmp_path / "s"
    shutil.copytree(ten_notebooks, target, copy_function=os.link)  # what `cp -al` makes
    before = snapshot(ten_notebooks)
    result = run_tool(ten_notebooks, target, "--force")
    assert result.returncode == 0, result.stderr
    assert snapshot(ten_notebooks) == before
    for path in sorted(target.glob("*.ipynb")):
        assert is_student_copy(path)
        assert not os.path.samefile(path, ten_notebooks / path.name), f"{path.name} still shares the source's inode"


def test_a_hard_link_to_a_source_notebook_is_broken_even_when_its_text_is_the_edition(tmp_path):
    # A notebook with no outputs and no exercises is its own student copy, so
    # the text matches; the link must still go, or a student's edits would
    # land in the instructor's notebook.
    source, target = tmp_path / "instructor", tmp_path / "student"
    source.mkdir()
    target.mkdir()
    nb = new_notebook(cells=[new_markdown_cell("# Reading only"), new_code_cell("print(1)")])
    (source / "00_plain.ipynb").write_text(notebooks.as_text(nb), encoding="utf-8")
    os.link(source / "00_plain.ipynb", target / "00_plain.ipynb")
    before = snapshot(source)
    result = run_main(source, target)
    assert result.returncode == 0, result.stderr
    assert "was a hard link" in result.stdout
    assert snapshot(source) == before
    assert not os.path.samefile(source / "00_plain.ipynb", target / "00_plain.ipynb")


def test_a_dangling_link_in_the_target_is_never_followed(ten_notebooks, tmp_path):
    target = tmp_path / "s"
    target.mkdir()
    (target / "04_test.ipynb").symlink_to(ten_notebooks / "new_file_in_the_source.ipynb")
    before = snapshot(ten_notebooks)

    result = run_main(ten_notebooks, target)
    assert result.returncode == 2
    assert "04_test.ipynb (a symbolic link to" in result.stderr and "does not exist" in result.stderr
    assert snapshot(ten_notebooks) == before
    assert sorted(path.name for path in target.iterdir()) == ["04_test.ipynb"]

    result = run_main(ten_notebooks, target, "--force")
    assert result.returncode == 0, result.stderr
    assert snapshot(ten_notebooks) == before
    assert is_student_copy(target / "04_test.ipynb")


@pytest.mark.parametrize("how", ["symbolic link to it", "path through ..", "path ending in /."])
def test_the_source_folder_by_another_path_is_refused_as_target(ten_notebooks, tmp_path, how):
    if how == "symbolic link to it":
        target = tmp_path / "link"
        target.symlink_to(ten_notebooks)
    elif how == "path through ..":
        target = ten_notebooks / ".." / ten_notebooks.name
    else:
        target = Path(f"{ten_notebooks}/.")
    before = snapshot(ten_notebooks)
    for force in ([], ["--force"]):
        result = run_main(ten_notebooks, target, *force)
        assert result.returncode == 1
        assert "is the source folder" in result.stderr and "must differ" in result.stderr
        assert "Traceback" not in result.stderr
    assert snapshot(ten_notebooks) == before


@pytest.mark.parametrize("how", ["subfolder", "subfolder through a link"])
def test_a_target_inside_the_source_is_refused(ten_notebooks, tmp_path, how):
    if how == "subfolder":
        target = ten_notebooks / "student"
    else:
        (tmp_path / "link").symlink_to(ten_notebooks)
        target = tmp_path / "link" / "deeper" / "student"
    before = snapshot(ten_notebooks)
    result = run_main(ten_notebooks, target, "--force")
    assert result.returncode == 1
    assert "is inside the source folder" in result.stderr and "Nothing was written" in result.stderr
    assert snapshot(ten_notebooks) == before


def test_a_target_holding_the_source_is_allowed_and_the_source_kept(tmp_path):
    source = tmp_path / "course" / "instructor"
    source.mkdir(parents=True)
    nbformat.write(synthetic_notebook(), source / "01_test.ipynb")
    before = snapshot(source)
    result = run_main(source, tmp_path / "course")
    assert result.returncode == 0, result.stderr
    assert snapshot(source) == before
    assert is_student_copy(tmp_path / "course" / "01_test.ipynb")


def test_files_in_the_target_that_are_not_the_edition_are_left_alone(ten_notebooks, tmp_path):
    target = tmp_path / "s"
    target.mkdir()
    (target / "README.txt").write_text("the class's notes")
    (target / "99_my_own.ipynb").write_text("{not even a notebook")
    (target / "answers").mkdir()
    (target / "answers" / "01_test.ipynb").write_text("a student's answers")
    (target / ".hidden").write_text("x")
    (target / "05_test.ipynb").write_text("edited by a student")  # a clash, replaced only with --force
    others = {name: value for name, value in snapshot(target).items() if name != "05_test.ipynb"}
    result = run_main(ten_notebooks, target, "--force")
    assert result.returncode == 0, result.stderr
    after = snapshot(target)
    assert {name: after[name] for name in others} == others
    assert set(after) == set(others) | {f"{number:02d}_test.ipynb" for number in range(10)}


def test_running_again_leaves_every_file_untouched(ten_notebooks, tmp_path):
    target = tmp_path / "s"
    assert run_main(ten_notebooks, target).returncode == 0
    first = {path.name: os.stat(path) for path in target.iterdir()}
    result = run_main(ten_notebooks, target)
    assert result.returncode == 0, result.stderr
    again = {path.name: os.stat(path) for path in target.iterdir()}
    assert {name: (info.st_ino, info.st_mtime_ns) for name, info in again.items()} == \
        {name: (info.st_ino, info.st_mtime_ns) for name, info in first.items()}
    assert "10 already up to date" in result.stdout


def test_new_notebooks_follow_the_umask_and_no_temporary_file_is_left(ten_notebooks, tmp_path):
    target = tmp_path / "s"
    umask = os.umask(0)
    os.umask(umask)
    assert run_main(ten_notebooks, target).returncode == 0
    for path in target.iterdir():
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o666 & ~umask, path.name
    assert temporaries(target) == []


# a marker that is almost right is an error, never a leak.

NEAR_MISSES = [
    ("### BEGIN SOLUTON", "### END SOLUTON"),
    ("### begin solution", "### end solution"),
    ("###BEGIN SOLUTION", "###END SOLUTION"),
    ("### BEGIN SOLUTION # x", "### END SOLUTION # x"),
    ("## BEGIN SOLUTION", "## END SOLUTION"),
    ("#### BEGIN SOLUTION", "#### END SOLUTION"),
    ("### BEGIN  SOLUTION", "### END  SOLUTION"),
    ("### BEGIN_SOLUTION", "### END_SOLUTION"),
    ("### Begin Solution", "### End Solution"),
    ("### BEGIN SOLUTION.", "### END SOLUTION."),
    ("### BEGINSOLUTION", "### ENDSOLUTION"),
    ("### BEGN SOLUTION", "### EDN SOLUTION"),
    ("### BEGIN SOLUTIONS", "### END SOLUTIONS"),
    ("### SOLUTION BEGIN", "### SOLUTION END"),
    ("# START OF THE SOLUTION", "# END OF THE SOLUTION"),
    ("### BEGIN\u00a0SOLUTION", "### END\u00a0SOLUTION"),  # a no-break space
    ("\u00a0### BEGIN SOLUTION", "\u00a0### END SOLUTION"),
    ("### BEGIN\u200bSOLUTION", "### END\u200bSOLUTION"),  # a zero-width space
    ("### \uff22\uff25\uff27\uff29\uff2e SOLUTION", "### \uff25\uff2e\uff24 SOLUTION"),  # full-width letters
    ("### BEGIN SOLUTION 1", "### END SOLUTION 1"),
    ("x = 0  ### BEGIN SOLUTION", "y = 0  ### END SOLUTION"),
]


@pytest.mark.parametrize("begin, end", NEAR_MISSES, ids=[repr(begin) for begin, _ in NEAR_MISSES])
def test_a_near_miss_marker_is_an_error_naming_notebook_cell_and_line(ten_notebooks, tmp_path, begin, end):
    broken = ten_notebooks / "06_test.ipynb"
    nb = nbformat.read(broken, as_version=4)
    nb.cells[4].source = f"{begin}\nhidden = 3 * 4  # the secret answer\nn_params = 26\n{end}"
    nbformat.write(nb, broken)
    target = tmp_path / "s"
    result = run_main(ten_notebooks, target)
    assert result.returncode == 1, result.stdout
    problems = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(problems) == 2, result.stderr
    assert f"06_test.ipynb, cell 5, line 1: {begin.strip()!r} looks like a solution marker" in problems[0]
    assert f"06_test.ipynb, cell 5, line 4: {end.strip()!r} looks like a solution marker" in problems[1]
    assert "Nothing was written" in result.stderr and "Traceback" not in result.stderr
    assert not target.exists()


@pytest.mark.parametrize("cell_type", ["markdown", "raw"])
@pytest.mark.parametrize("begin, end", [("### BEGIN SOLUTION", "### END SOLUTION"),
                                        ("### begin solution", "### end solution")])
def test_a_marker_outside_a_code_cell_is_an_error(tmp_path, cell_type, begin, end):
    # The tool blanks code cells only: a written answer in markdown (or code
    # pasted there) between markers would reach the students word for word.
    nb = synthetic_notebook()
    make = new_markdown_cell if cell_type == "markdown" else new_raw_cell
    nb.cells.insert(4, make(f"{begin}\nThe gradient is 4x too large.\n{end}"))
    with pytest.raises(markers.SolutionError) as caught:
        student_edition.student_notebook(nb, "nb.ipynb")
    assert caught.value.problems[0].startswith(f"nb.ipynb, cell 5 ({cell_type}), line 1: a solution marker outside")
    assert len(caught.value.problems) == 2


def test_prose_about_solutions_is_not_taken_for_a_marker(tmp_path):
    nb = synthetic_notebook()
    nb.cells.insert(1, new_markdown_cell("Check your solution below. At the end, the solution is printed.\n"
                                         "### Solution\nScroll to the end of the solution."))
    nb.cells[1 + 2].source = "# a comment: your solution starts below\n" + nb.cells[3].source
    student = student_edition.student_notebook(nb, "nb.ipynb")
    assert student.cells[1].source == nb.cells[1].source


@pytest.mark.parametrize("line_break", ["\n", "\r\n", "\r"], ids=["LF", "CRLF", "CR"])
def test_exact_markers_with_trailing_blanks_and_any_line_break_are_blanked(line_break):
    source = line_break.join(["def f(z):", "    ### BEGIN SOLUTION \t", "    secret = z * 41", "    return secret",
                              "    ### END SOLUTION\t ", "print(f)"])
    blanked = student_edition.blank_source(source)
    assert "41" not in blanked and "SOLUTION" not in blanked
    assert blanked == line_break.join(["def f(z):", "    # YOUR CODE HERE", "    secret = ...", "    return ...",
                                       "print(f)"])
    compile(blanked, "<cell>", "exec")


# check everything first, then write; name the file and the reason.

def make_fifo(path):
    if not hasattr(os, "mkfifo"):
        cannot_test("no named pipes on this system")
    os.mkfifo(path)


BROKEN_SOURCES = {
    "not JSON": (lambda path: path.write_text("print('hello')"),
                 "is not a notebook (Notebook does not appear to be JSON"),
    "empty": (lambda path: path.write_text(""), "is not a notebook"),
    "JSON but not a notebook": (lambda path: path.write_text("[1, 2]"), "is not a notebook"),
    "a notebook missing its metadata": (
        lambda path: path.write_text('{"nbformat": 4, "nbformat_minor": 5, "cells": []}'), "is not a notebook"),
    "a cell without source": (
        lambda path: path.write_text('{"nbformat": 4, "nbformat_minor": 4, "metadata": {}, '
                                     '"cells": [{"cell_type": "markdown", "metadata": {}}]}'),
        "is not a valid notebook"),
    "not UTF-8": (lambda path: path.write_bytes(b'{"cells": "\xff\xfe"}'), "is not UTF-8 text"),
    "a folder": (lambda path: (path.mkdir(), (path / "x").write_text("x")), "is a folder, not a notebook"),
    "a pipe": (make_fifo, "is a pipe, not a notebook"),
    "a link to nothing": (lambda path: path.symlink_to(path.parent / "gone.ipynb"), "a symbolic link to"),
}


@pytest.mark.parametrize("kind", BROKEN_SOURCES)
def test_a_broken_source_notebook_stops_the_tool_before_anything_is_written(ten_notebooks, tmp_path, kind):
    target = tmp_path / "s"
    assert run_main(ten_notebooks, target).returncode == 0
    for number in range(10):  # a new version of the course: every notebook changes
        nbformat.write(numbered_notebook(number + 100), ten_notebooks / f"{number:02d}_test.ipynb")
    broken = ten_notebooks / "05_test.ipynb"
    broken.unlink()
    make, reason = BROKEN_SOURCES[kind]
    make(broken)
    before = snapshot(target)

    run = run_tool if kind == "a pipe" else run_main  # a tool that opens the pipe waits: kill it
    result = run(ten_notebooks, target, "--force")
    assert result.returncode == 1
    assert f"error: {broken}: {reason}" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and "Nothing was written" in result.stderr
    assert snapshot(target) == before


def test_every_problem_is_reported_one_line_each(ten_notebooks, tmp_path):
    (ten_notebooks / "02_test.ipynb").write_text("not json")
    (ten_notebooks / "07_test.ipynb").unlink()
    (ten_notebooks / "07_test.ipynb").mkdir()
    nb = nbformat.read(ten_notebooks / "08_test.ipynb", as_version=4)
    nb.cells[2].source = nb.cells[2].source.replace("### END SOLUTION", "### END SOLUTON")
    nbformat.write(nb, ten_notebooks / "08_test.ipynb")
    result = run_main(ten_notebooks, tmp_path / "s")
    assert result.returncode == 1
    problems = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert [problem.split(":")[1].strip().split(",")[0].rsplit("/", 1)[-1] for problem in problems] == \
        ["02_test.ipynb", "07_test.ipynb", "08_test.ipynb"], result.stderr


def test_a_target_that_is_a_file_is_refused(ten_notebooks, tmp_path):
    target = tmp_path / "s"
    target.write_text("an instructor's file")
    result = run_main(ten_notebooks, target, "--force")
    assert result.returncode == 1
    assert f"error: {target}: the target is a file, not a folder" in result.stderr
    assert "Traceback" not in result.stderr and target.read_text() == "an instructor's file"


def test_a_target_below_a_file_is_refused(ten_notebooks, tmp_path):
    (tmp_path / "plain").write_text("x")
    result = run_main(ten_notebooks, tmp_path / "plain" / "s")
    assert result.returncode == 1
    assert f"cannot create the target folder: {tmp_path / 'plain'} is a file" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("force", [False, True], ids=["plain", "force"])
def test_a_target_notebook_that_is_a_folder_stops_everything(ten_notebooks, tmp_path, force):
    target = tmp_path / "s"
    assert run_main(ten_notebooks, target).returncode == 0
    for number in range(10):
        nbformat.write(numbered_notebook(number + 100), ten_notebooks / f"{number:02d}_test.ipynb")
    (target / "05_test.ipynb").unlink()
    (target / "05_test.ipynb").mkdir()
    (target / "05_test.ipynb" / "work.txt").write_text("keep me")
    before = snapshot(target)
    result = run_main(ten_notebooks, target, *(["--force"] if force else []))
    assert result.returncode == 1
    assert f"error: {target / '05_test.ipynb'}: is a folder, not a notebook" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(target) == before


def test_an_immutable_target_notebook_stops_everything(ten_notebooks, tmp_path):
    target = tmp_path / "s"
    assert run_main(ten_notebooks, target).returncode == 0
    for number in range(10):
        nbformat.write(numbered_notebook(number + 100), ten_notebooks / f"{number:02d}_test.ipynb")
    before = snapshot(target)
    with chattr("i", target / "05_test.ipynb"):
        result = run_main(ten_notebooks, target, "--force")
        assert result.returncode == 1
        assert f"error: {target / '05_test.ipynb'}: is read-only or immutable" in result.stderr
        assert "Traceback" not in result.stderr
        assert snapshot(target) == before


@pytest.mark.parametrize("flag", ["i", "a"], ids=["immutable", "append-only"])
def test_a_locked_target_folder_stops_everything_and_leaves_it_clean(ten_notebooks, tmp_path, flag):
    target = tmp_path / "s"
    assert run_main(ten_notebooks, target).returncode == 0
    (target / "05_test.ipynb").unlink()
    before = snapshot(target)
    with chattr(flag, target):
        result = run_main(ten_notebooks, target, "--force")
        assert result.returncode == 1
        assert f"error: {target}: the target folder is" in result.stderr
        assert "Traceback" not in result.stderr
        assert snapshot(target) == before


def test_a_write_that_fails_part_way_leaves_nothing_behind(ten_notebooks, tmp_path, monkeypatch):
    # A disk that fills up at the sixth notebook: the five written so far
    # are temporary files, removed again, and the folder made for them too.
    target = tmp_path / "new" / "s"
    writes = student_edition.plan(ten_notebooks, target)
    real, calls = writing.write_temporary, []

    def fill_up(path, text):
        calls.append(path)
        if len(calls) == 6:
            raise OSError(28, "No space left on device")
        return real(path, text)

    monkeypatch.setattr(writing, "write_temporary", fill_up)
    problems = writing.write_all(target, writes)
    assert problems == [f"{target / '05_test.ipynb'}: cannot be written (No space left on device); nothing was written"]
    assert not (tmp_path / "new").exists()


def test_a_rename_that_fails_is_reported_with_what_was_written(ten_notebooks, tmp_path, monkeypatch):
    target = tmp_path / "s"
    target.mkdir()
    writes = student_edition.plan(ten_notebooks, target)
    real = os.replace

    def refuse_the_third(source, destination):
        if Path(destination).name == "02_test.ipynb":
            raise PermissionError(1, "Operation not permitted")
        return real(source, destination)

    monkeypatch.setattr(os, "replace", refuse_the_third)
    problems = writing.write_all(target, writes)
    assert problems[0] == (f"{target / '02_test.ipynb'}: cannot be replaced (Operation not permitted); "
                           "it was not written")
    assert problems[1].startswith("written anyway: ") and problems[1].count("_test.ipynb") == 9
    assert temporaries(target) == []


# whatever shape the solution has, the blank runs and the check says Not yet.

CHECKS = '''\
import contextlib
import types

import numpy as np


def check(name, value, expected):
    if value is Ellipsis:
        print(f"Not yet: {name} is still `...`")
    elif value == expected:
        print(f"Correct: {name}")
    else:
        print(f"Not yet: {name} is {value!r}")


def check_call(name, fn, args, expected):
    if not callable(fn):
        print(f"Not yet: {name} is still `...`")
    else:
        check(name, fn(*args), expected)'''

# (name, cell run before the exercise or None, exercise, check cell). An
# exercise without markers is one solution region from top to bottom.
SHAPES = [
    ("for", None,
     "for i in range(5):\n    last_square = i * i",
     'check("last_square", last_square, 16)'),
    ("if", None,
     'if len("four") == 4:\n    branch = "yes"\nelse:\n    branch = "no"',
     'check("branch", branch, "yes")'),
    ("while", None,
     "steps = 0\nwhile steps < 3:\n    steps += 1",
     'check("steps", steps, 3)'),
    ("def", None,
     "def square(x):\n    return x * x",
     'check_call("square(3)", square, (3,), 9)'),
    ("lambda", None,
     "double = lambda x: 2 * x",
     'check_call("double(2)", double, (2,), 4)'),
    ("class", None,
     "class Counter:\n    start = 1",
     'check("Counter.start", getattr(Counter, "start", ...), 1)'),
    ("import", None,
     "from math import factorial",
     'check_call("factorial(4)", factorial, (4,), 24)'),
    ("import as", None,
     "import math as m\nroot = m.sqrt(16)",
     'check("m.pi", getattr(m, "pi", ...), 3.141592653589793)'),
    ("import again", None,
     "import numpy as np\nmean_value = float(np.mean([1, 2, 3]))",
     'check("mean_value", mean_value, 2.0)\nprint("numpy still works:", np.arange(3).sum())'),
    ("with", None,
     "with contextlib.nullcontext(21) as half:\n    whole = half * 2",
     'check("whole", whole, 42)'),
    ("try", None,
     'try:\n    ratio = 1 / 0\nexcept ZeroDivisionError as error:\n    ratio = float("inf")',
     'check("ratio", ratio, float("inf"))'),
    ("augmented", "count = 10",
     "count += 5",
     'check("count", count, 15)'),
    ("walrus", None,
     'if (length := len("four")) > 3:\n    big = True',
     'check("length", length, 4)'),
    ("several targets", None,
     "a = b = 1",
     'check("a + b", a + b if b is not ... else ..., 2)'),
    ("starred", None,
     "first, *rest = [1, 2, 3]",
     'check("rest", rest, [2, 3])'),
    ("nested tuple", None,
     "(p, (q, r)) = (1, (2, 3))",
     'check("r", r, 3)'),
    ("subscript", "settings = {}",
     'settings["rate"] = 0.5',
     'check("settings[\'rate\']", settings.get("rate", ...), 0.5)'),
    ("attribute", "config = types.SimpleNamespace()",
     "config.rate = 0.5",
     'check("config.rate", getattr(config, "rate", ...), 0.5)'),
    ("new dict", None,
     'weights = {}\nweights["W1"] = np.ones(2)',
     'check("len(weights)", len(weights) if weights is not ... else ..., 1)'),
    ("del", None,
     "scratch = [1, 2]\nsize = len(scratch)\ndel scratch",
     'check("size", size, 2)'),
    ("match", None,
     "match (3, 4):\n    case (x0, y0):\n        hypotenuse = (x0 ** 2 + y0 ** 2) ** 0.5",
     'check("hypotenuse", hypotenuse, 5.0)'),
    ("comprehension", None,
     "squares = [k * k for k in range(4)]",
     'check("squares", squares, [0, 1, 4, 9])'),
    ("return in a loop", None,
     "def first_even(xs):\n"
     "    ### BEGIN SOLUTION\n"
     "    for x in xs:\n"
     "        if x % 2 == 0:\n"
     "            return x\n"
     "    ### END SOLUTION",
     'check_call("first_even([1, 2])", first_even, ([1, 2],), 2)'),
    ("return in try", None,
     "def parse():\n"
     "    ### BEGIN SOLUTION\n"
     "    try:\n"
     '        return int("7")\n'
     "    except ValueError:\n"
     "        return None\n"
     "    ### END SOLUTION",
     'check_call("parse()", parse, (), 7)'),
    ("nested def", None,
     "def outer():\n"
     "    ### BEGIN SOLUTION\n"
     "    def inner():\n"
     "        return 3\n"
     "    return inner()\n"
     "    ### END SOLUTION",
     'check_call("outer()", outer, (), 3)'),
    ("global", None,
     "def train():\n"
     "    ### BEGIN SOLUTION\n"
     "    global trained\n"
     "    trained = True\n"
     "    ### END SOLUTION",
     'train()\ncheck("trained", trained, True)'),
    ("nonlocal", None,
     "def make_counter():\n"
     "    total = 0\n"
     "    def increment():\n"
     "        ### BEGIN SOLUTION\n"
     "        nonlocal total\n"
     "        total += 1\n"
     "        return total\n"
     "        ### END SOLUTION\n"
     "    return increment",
     'check_call("increment()", make_counter(), (), 1)'),
    ("class body", None,
     "class Model:\n"
     "    ### BEGIN SOLUTION\n"
     "    size = 3\n"
     "    ### END SOLUTION",
     'check("Model.size", Model.size, 3)'),
]
SHAPE_NAMES = [name for name, *_ in SHAPES]
KEPT = ("# YOUR CODE HERE", "pass", "return ...", "global ", "nonlocal ")


def shapes_notebook():
    """One notebook: the check helpers, then for every shape its setup, exercise and check cells."""
    cells = [new_code_cell(CHECKS)]
    for _, setup, exercise, check in SHAPES:
        if setup:
            cells.append(new_code_cell(setup))
        if "### BEGIN SOLUTION" not in exercise:
            exercise = f"### BEGIN SOLUTION\n{exercise}\n### END SOLUTION"
        cells += [new_code_cell(exercise), new_code_cell(check)]
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


@pytest.fixture(scope="module")
def shapes_run(tmp_path_factory):
    """{shape: (exercise as blanked, what the check said to the instructor, to the student, student errors)}."""
    folder = tmp_path_factory.mktemp("shapes")
    instructor = shapes_notebook()
    student = student_edition.student_notebook(instructor, "shapes.ipynb")
    execute(instructor, folder)
    execute(student, folder)
    results, index = {}, 1
    for name, setup, _, _ in SHAPES:
        cells = range(index, index + (3 if setup else 2))
        exercise, check = cells[-2], cells[-1]
        problems = [error for cell in cells for error in errors_in(student.cells[cell], cell)]
        results[name] = (student.cells[exercise].source, text_of(instructor.cells[check]),
                         text_of(student.cells[check]), problems)
        index = cells[-1] + 1
    assert errors(student) == [] or any(problems for *_, problems in results.values())
    return results


def errors_in(cell, index):
    return [f"cell {index}: {output.ename}: {output.evalue}" for output in cell.outputs
            if output.output_type == "error"]


@pytest.mark.parametrize("shape", SHAPE_NAMES)
def test_every_solution_shape_blanks_to_a_cell_whose_check_says_not_yet(shapes_run, shape):
    blanked, instructor_said, student_said, problems = shapes_run[shape]
    assert instructor_said.startswith("Correct"), f"the check itself is wrong: {instructor_said!r}"
    assert problems == [], f"the blank edition raises:\n{blanked}"
    assert "is still `...`" in student_said, f"{student_said!r} from\n{blanked}"


@pytest.mark.parametrize("shape", SHAPE_NAMES)
def test_nothing_of_the_solution_survives_blanking(shapes_run, shape):
    blanked, *_ = shapes_run[shape]
    exercise = next(exercise for name, _, exercise, _ in SHAPES if name == shape)
    outside = set(solution_lines(exercise if "### BEGIN" in exercise else
                                 f"### BEGIN SOLUTION\n{exercise}\n### END SOLUTION")[1])
    for line in blanked.split("\n"):
        code = line.strip()
        assert (code in outside or code.startswith(KEPT) or
                (code.endswith(" = ...") and code[:-6].isidentifier())), f"{code!r} kept from the solution"


def test_a_star_import_in_a_solution_is_refused():
    with pytest.raises(markers.SolutionError, match="import the names one by one"):
        student_edition.blank_source("### BEGIN SOLUTION\nfrom math import *\nroot = sqrt(2)\n### END SOLUTION")


def test_magics_in_a_solution_are_understood():
    blanked = student_edition.blank_source("### BEGIN SOLUTION\ntimes = %timeit -o -q 1\n!ls\n### END SOLUTION")
    assert blanked == "# YOUR CODE HERE\ntimes = ..."


# What the slide-deck builder uses.

def test_plan_gives_every_target_path_with_the_student_text(ten_notebooks, tmp_path):
    writes = student_edition.plan(ten_notebooks, tmp_path / "s")
    assert [path for path, _ in writes] == [tmp_path / "s" / f"{number:02d}_test.ipynb" for number in range(10)]
    nb = nbformat.reads(writes[3][1], as_version=4)
    assert nb == student_edition.student_notebook(nbformat.read(ten_notebooks / "03_test.ipynb", as_version=4),
                                                  "03_test.ipynb")
    assert not (tmp_path / "s").exists(), "plan writes nothing"


def test_plan_names_every_broken_notebook(ten_notebooks, tmp_path):
    (ten_notebooks / "04_test.ipynb").write_text("{")
    with pytest.raises(ToolError) as caught:
        student_edition.plan(ten_notebooks, tmp_path / "s")
    assert len(caught.value.problems) == 1 and "04_test.ipynb: is not a notebook" in caught.value.problems[0]


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
        if not markers.is_exercise(theirs):
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


# Cell ids: the same source gives the same edition.

def notebook_text(kind):
    """A small notebook file whose cell ids nbformat would replace by random ones, as text."""
    if kind == "format 3":
        cells = [{"cell_type": "markdown", "metadata": {}, "source": "# Old"},
                 {"cell_type": "code", "metadata": {}, "input": "x = 1", "outputs": [], "language": "python"},
                 {"cell_type": "code", "metadata": {}, "input": FUNCTION_EXERCISE, "outputs": [],
                  "language": "python"}]
        return json.dumps({"nbformat": 3, "nbformat_minor": 0, "metadata": {"name": ""},
                           "worksheets": [{"cells": cells, "metadata": {}}]})
    nb = synthetic_notebook()
    if kind == "repeated id":
        nb.cells[3].id = nb.cells[1].id
        nb.cells[5].id = nb.cells[1].id
    elif kind == "missing id":
        del nb.cells[2]["id"]
    return json.dumps(nb)  # as written by hand: nbformat.writes would repair the ids


@pytest.mark.parametrize("kind", ["repeated id", "missing id", "format 3"])
def test_running_again_on_an_unchanged_source_finds_no_clash(tmp_path, kind):
    source, target = tmp_path / "instructor", tmp_path / "student"
    source.mkdir()
    (source / "01_test.ipynb").write_text(notebook_text(kind), encoding="utf-8")
    assert run_main(source, target).returncode == 0
    first = digest(target)
    again = run_main(source, target)
    assert again.returncode == 0, again.stderr
    assert "1 already up to date" in again.stdout
    assert digest(target) == first


def test_cell_ids_are_kept_where_unique_and_numbered_where_not(tmp_path):
    source = tmp_path / "01_test.ipynb"
    source.write_text(notebook_text("repeated id"), encoding="utf-8")
    written = [cell.id for cell in synthetic_notebook().cells]
    ids = [cell.id for cell in notebooks.read_notebook(source).cells]
    repeated = ids[1]
    assert ids == [ids[0], repeated, ids[2], "cell-4", ids[4], "cell-6"]
    assert ids[0] != repeated and len(set(ids)) == len(ids)
    assert len(written) == len(ids)
