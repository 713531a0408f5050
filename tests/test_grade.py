"""tools/grade.py on a class of handed-in notebooks, honest and hostile.

One grading run (module fixture) over a SUBMISSIONS folder holding:

    alice/01_sigmoid.ipynb     the instructor's notebook: every answer right
    bob/01_sigmoid.ipynb       the student edition, unanswered
    carol.ipynb                one notebook named for the student: a wrong sigmoid
    dave/01_sigmoid.ipynb      the sigmoid exercise loops forever
    erin/01_sigmoid.ipynb      a loop that swallows the interrupt: the notebook's time runs out
    frank/01_sigmoid.ipynb     the exercise kills its own kernel
    grace/01_sigmoid.ipynb     prints 20 MB
    heidi/01_sigmoid.ipynb     deletes what it can reach: the submissions, the series,
                               the report folder, its home; leaves sleeping processes
    ivan/01_sigmoid.ipynb      the sigmoid's check cell deleted
    judy/01_sigmoid.ipynb      not a notebook at all

The hostile notebooks are small: the first notebook's import cell, its
exercises and checks, and the hostile cell. The series (which defines the
table's columns) is a copy of notebooks/, so heidi's attempt on it cannot
hurt the repository even if confinement failed. Every test reads the report
the run wrote: grades.csv, details.csv, grades.html.
"""

import csv
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell

ROOT = Path(__file__).resolve().parent.parent
GRADE = ROOT / "tools" / "grade.py"
sys.path.insert(0, str(ROOT / "tools"))
import grade  # noqa: E402
from student_edition import student_notebook  # noqa: E402

CELL_TIMEOUT, NOTEBOOK_TIMEOUT = 15, 60  # seconds; the full notebook 01 runs in 10-20, its slowest cell in 1-3
SLEEPER = "6171"  # `sleep 6171`: the processes heidi leaves behind


def require_confinement():
    if grade.landlock_abi() >= 1:
        return
    message = "grading runs untrusted code and needs Linux with Landlock to confine it"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def small(exercise_cells, extra=(), at=0):
    """Notebook 01 cut down to its import cell and `exercise_cells`, with `extra` cells inserted at `at`."""
    full = nbformat.read(ROOT / "notebooks" / "01_sigmoid.ipynb", as_version=4)
    imports = next(cell for cell in full.cells if cell.cell_type == "code")
    cells = [new_code_cell(source) for source in exercise_cells]
    cells[at:at] = [new_code_cell(source) for source in extra]
    full.cells = [imports] + cells
    return full


SIGMOID = "def sigmoid(z):\n    return 1 / (1 + np.exp(-z))"
DERIVATIVE = "def sigmoid_derivative(a):\n    return a * (1 - a)"
# The check cells exactly as notebook 01 has them (the grader matches them by their code).
CHECK_SIGMOID, CHECK_DERIVATIVE = [exercise.check_source for exercise in grade.series_exercises(ROOT / "notebooks")
                                   if exercise.notebook == "01_sigmoid"]
RIGHT = [SIGMOID, CHECK_SIGMOID, DERIVATIVE, CHECK_DERIVATIVE]


def snapshot(folder):
    """{relative path: (mode, size, mtime, sha256)} of everything under `folder`, links included."""
    state = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() and not path.is_symlink() else ""
        state[str(path.relative_to(folder))] = (info.st_mode, info.st_size, info.st_mtime_ns, digest)
    return state


def sleepers():
    """PIDs of processes running `sleep 6171`."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "cmdline").read_bytes().split(b"\0")[:2] == [b"sleep", SLEEPER.encode()]:
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    require_confinement()
    base = tmp_path_factory.mktemp("grading")
    series = base / "series"
    shutil.copytree(ROOT / "notebooks", series)
    submissions, output = base / "submissions", base / "report"
    submissions.mkdir()

    def hand_in(student, nb, name="01_sigmoid.ipynb"):
        folder = submissions / student
        folder.mkdir()
        nbformat.write(nb, folder / name)

    hand_in("alice", nbformat.read(series / "01_sigmoid.ipynb", as_version=4))
    hand_in("bob", student_notebook(nbformat.read(series / "01_sigmoid.ipynb", as_version=4), "01_sigmoid.ipynb"))
    nbformat.write(small(["def sigmoid(z):\n    return 1 / (1 + np.exp(z))", CHECK_SIGMOID, DERIVATIVE,
                          CHECK_DERIVATIVE]), submissions / "carol.ipynb")
    hand_in("dave", small(["while True:\n    pass\n" + SIGMOID, CHECK_SIGMOID, DERIVATIVE, CHECK_DERIVATIVE]))
    hand_in("erin", small(RIGHT, extra=["import time\nwhile True:\n    try:\n        time.sleep(1)\n"
                                        "    except KeyboardInterrupt:\n        pass"]))
    hand_in("frank", small(["import os\nos._exit(1)\n" + SIGMOID, CHECK_SIGMOID, DERIVATIVE, CHECK_DERIVATIVE]))
    hand_in("grace", small(RIGHT, extra=["for _ in range(20_000):\n    print('x' * 1000)"]))
    hostile = f"""
import os, shutil, subprocess
targets = [{str(submissions)!r}, {str(series)!r}, {str(output)!r}, os.path.expanduser("~"), os.getcwd()]
for target in targets:
    shutil.rmtree(target, ignore_errors=True)
for target in [{str(submissions / "alice" / "01_sigmoid.ipynb")!r}, {str(series / "01_sigmoid.ipynb")!r},
               {str(output / "grades.csv")!r}, {str(base / "planted.txt")!r}]:
    try:
        with open(target, "w") as file:
            file.write("overwritten")
    except OSError as error:
        print("refused:", error)
sleepers = [subprocess.Popen(["sleep", "{SLEEPER}"], start_new_session=True) for _ in range(3)]
"""
    hand_in("heidi", small(RIGHT, extra=[hostile]))
    hand_in("ivan", small([SIGMOID, DERIVATIVE, CHECK_DERIVATIVE]))
    (submissions / "judy").mkdir()
    (submissions / "judy" / "01_sigmoid.ipynb").write_text("this is not JSON {", encoding="utf-8")
    (submissions / "judy" / "notes.txt").write_text("not a notebook", encoding="utf-8")

    before, series_before = snapshot(submissions), snapshot(series)
    result = subprocess.run(
        [sys.executable, str(GRADE), str(submissions), "--output", str(output), "--notebooks", str(series),
         "--cell-timeout", str(CELL_TIMEOUT), "--notebook-timeout", str(NOTEBOOK_TIMEOUT), "--jobs", "2"],
        capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    with open(output / "grades.csv", encoding="utf-8", newline="") as file:
        wide = {row["student"]: row for row in csv.DictReader(file)}
    with open(output / "details.csv", encoding="utf-8", newline="") as file:
        messages = {(row["student"], row["exercise"]): row["message"] for row in csv.DictReader(file)}
    return {"submissions": submissions, "series": series, "output": output, "base": base,
            "before": before, "series_before": series_before, "wide": wide, "messages": messages,
            "html": (output / "grades.html").read_text(encoding="utf-8"), "stderr": result.stderr}


def statuses(graded, student):
    row = graded["wide"][student]
    return row["01 · sigmoid"], row["01 · sigmoid_derivative"]


def message(graded, student, exercise="01 · sigmoid"):
    return graded["messages"][(student, exercise)]


def test_the_columns_are_the_series_exercises(graded):
    columns = [exercise.column for exercise in grade.series_exercises(ROOT / "notebooks")]
    header = list(next(iter(graded["wide"].values())).keys())
    assert header == ["student", "passed", "exercises"] + columns
    assert columns[:2] == ["01 · sigmoid", "01 · sigmoid_derivative"]
    assert len(columns) == len(set(columns)) >= 10
    assert sorted(graded["wide"]) == sorted(["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi",
                                             "ivan", "judy"])


def test_a_right_notebook_passes_and_the_rest_are_not_handed_in(graded):
    assert statuses(graded, "alice") == ("passed", "passed")
    assert message(graded, "alice").startswith("✅ Correct")
    row = graded["wide"]["alice"]
    assert row["passed"] == "2"
    assert row["05 · forward"] == "not handed in"


def test_the_blank_student_edition_is_not_yet(graded):
    assert statuses(graded, "bob") == ("not yet", "not yet")
    assert message(graded, "bob").startswith("❌ Not yet")


def test_a_wrong_answer_is_not_yet_with_the_checks_message(graded):
    assert statuses(graded, "carol") == ("not yet", "passed")
    assert message(graded, "carol").startswith("❌ Not yet") and "Hint:" in message(graded, "carol")


def test_an_endless_loop_times_out_that_exercise_only(graded):
    assert statuses(graded, "dave") == ("timed out", "passed")
    assert f"{CELL_TIMEOUT} s" in message(graded, "dave")


def test_a_notebook_that_outlasts_its_time_limit_times_out(graded):
    assert statuses(graded, "erin") == ("timed out", "timed out")
    assert f"{NOTEBOOK_TIMEOUT} s" in message(graded, "erin", "01 · sigmoid_derivative")


def test_a_kernel_that_dies_costs_its_own_row(graded):
    assert statuses(graded, "frank") == ("error", "error")
    assert "kernel died" in message(graded, "frank")


def test_megabytes_of_output_are_cut_and_graded(graded):
    assert statuses(graded, "grace") == ("passed", "passed")
    assert "cut short" in graded["html"]
    assert (graded["output"] / "grades.html").stat().st_size < 200_000


def test_a_hostile_notebook_changes_nothing_outside_its_copy(graded):
    assert statuses(graded, "heidi") == ("passed", "passed")
    assert snapshot(graded["submissions"]) == graded["before"], "the submissions changed"
    assert snapshot(graded["series"]) == graded["series_before"], "the series' notebooks changed"
    assert not (graded["base"] / "planted.txt").exists()
    assert sleepers() == [], "processes the notebook started outlived the grading"


def test_a_deleted_check_cell_is_missing_not_a_shifted_column(graded):
    assert statuses(graded, "ivan") == ("missing", "passed")


def test_an_unreadable_notebook_is_an_error_with_the_reason(graded):
    assert statuses(graded, "judy") == ("error", "error")
    assert "could not be read" in message(graded, "judy")


def test_the_html_report_has_headers_and_says_each_status_in_words(graded):
    page = graded["html"]
    assert "<caption>" in page and page.count('<th scope="row">') == len(graded["wide"])
    assert '<th scope="col">01 · sigmoid</th>' in page
    for status in ("passed", "not yet", "error", "timed out", "missing", "not handed in"):
        assert f"</span> {status}</td>" in page, status  # a word beside the symbol, not a colour alone
    assert 'title="❌ Not yet' in page  # each check's message on hover, and in the details lists
    assert "<details><summary>carol: 1 of" in page


def test_it_refuses_to_replace_a_report_or_write_inside_the_submissions(graded):
    submissions, output = graded["submissions"], graded["output"]
    again = subprocess.run([sys.executable, str(GRADE), str(submissions), "--output", str(output)],
                           capture_output=True, text=True, timeout=120)
    assert again.returncode == 2 and "--force" in again.stderr
    inner = subprocess.run([sys.executable, str(GRADE), str(submissions), "--output", str(submissions / "report")],
                           capture_output=True, text=True, timeout=120)
    assert inner.returncode == 2 and "inside the submissions" in inner.stderr
    assert snapshot(submissions) == graded["before"]


def test_spreadsheet_cells_never_start_a_formula():
    assert grade.spreadsheet_safe("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert grade.spreadsheet_safe("alice") == "alice"
