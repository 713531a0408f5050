"""The series as an nbgrader course: tools/nbgrader_course.py, and nbgrader itself grading with it.

Without nbgrader:
- under NBGRADER_EXECUTION (set by nbgrader's autograder) a check that says
  "Not yet" raises AssertionError with its message; without it, nothing
  raises and the Feedback comes back as always;
- every cell of every notebook gets nbgrader's metadata: each exercise a
  solution cell, the first code cell after it (its check) a locked test
  cell with points, every other cell locked; ids unique;
- the tool never replaces an edited file without --force and writes
  nothing when anything is wrong.

With nbgrader 0.9.6, installed by the test in an environment of its own
(tools/environments.py: made once in the cache folder, then reused), on a
course made of the first two notebooks that have exercises:
`nbgrader generate_assignment` releases notebooks that hold no line of any
solution, and `nbgrader autograde` on three hand-ins scores all answers
right full marks, all blank 0, and half right half the points, and a blank
answer's feedback is the check's "Not yet" with its hint.
"""

import json
import math
import os
import subprocess
import sys

import nbformat
import pytest

from nnlib.course.exercises.feedback import correct, exercise, not_yet
from tests.helpers import NOTEBOOKS, ROOT
from tools.environments import cached_venv, requirement_lines
from tools import nbgrader_course
from tools.nbgrader_course import NBGRADER_VERSION
from tools.markers import BEGIN, END, is_exercise


SERIES_PINS = ("numpy", "matplotlib", "ipywidgets", "jupyterlab", "ipykernel")  # what the notebooks need
ASSIGNMENT = "ps1"


def make_course(source, course, *flags):
    """Run the tool as an instructor would: `python -m tools.nbgrader_course` from the repository root."""
    return subprocess.run([sys.executable, "-m", "tools.nbgrader_course", str(source), str(course), *flags],
                          capture_output=True, text=True, cwd=ROOT)


def run_tool(capsys, source, course, *flags):
    """The tool's main() in this process (quicker): (exit code, stderr)."""
    code = nbgrader_course.main([str(source), str(course), *flags])
    return code, capsys.readouterr().err


def exercises_of(path):
    return [cell for cell in nbformat.read(path, as_version=4).cells if is_exercise(cell)]


# --- the hook in the checks ----------------------------------------------------

@exercise("answer")
def check_demo(value):
    """A check like the series' own: right for 1, "Not yet" with a hint otherwise."""
    return correct("it is 1.") if value == 1 else not_yet(f"answer is {value}, not 1.", "count again.")


def test_a_not_yet_raises_only_under_nbgraders_execution(monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    assert not check_demo(2).passed  # a student's own kernel: the Feedback, no exception
    assert check_demo(1).passed

    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    with pytest.raises(AssertionError) as raised:
        check_demo(2)
    assert str(raised.value) == "❌ Not yet: answer is 2, not 1. Hint: count again."
    assert check_demo(1).passed  # a right answer still passes quietly

    monkeypatch.setenv("NBGRADER_EXECUTION", "validate")  # a student's "Validate" button
    with pytest.raises(AssertionError):
        check_demo(2)


# --- the course folder ---------------------------------------------------------

@pytest.fixture(scope="module")
def course(tmp_path_factory):
    folder = tmp_path_factory.mktemp("course") / "course"
    result = make_course(ROOT / "notebooks", folder)
    assert result.returncode == 0, result.stderr
    return folder


def test_every_cell_gets_nbgraders_metadata(course):
    for path in NOTEBOOKS:
        instructor = nbformat.read(path, as_version=4).cells
        written = nbformat.read(course / "source" / path.stem / path.name, as_version=4).cells
        assert len(written) == len(instructor), path.name
        checks = set()
        for index, cell in enumerate(instructor):
            if is_exercise(cell):
                checks.add(next(i for i in range(index + 1, len(instructor)) if instructor[i].cell_type == "code"))
        ids = []
        for index, cell in enumerate(written):
            meta = cell.metadata["nbgrader"]
            assert meta["schema_version"] == 3
            ids.append(meta["grade_id"])
            where = f"{path.name}, cell {index + 1}"
            if is_exercise(instructor[index]):
                assert (meta["solution"], meta["grade"], meta["locked"]) == (True, False, False), where
            elif index in checks:
                assert (meta["solution"], meta["grade"], meta["locked"]) == (False, True, True), where
                assert meta["points"] == 1, where
            else:
                assert (meta["solution"], meta["grade"], meta["locked"]) == (False, False, True), where
            assert not cell.get("outputs"), f"{where} keeps its outputs"
        assert len(set(ids)) == len(ids), f"{path.name}: repeated grade ids"
        assert sum(cell.metadata["nbgrader"]["grade"] for cell in written) == len(exercises_of(path))
    config = (course / "nbgrader_config.py").read_text(encoding="utf-8")
    assert 'c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE"}' in config


def test_points_per_exercise_and_one_assignment(tmp_path, capsys):
    code, errors = run_tool(capsys, ROOT / "notebooks", tmp_path / "course", "--points", "3", "--assignment", "all")
    assert code == 0, errors
    written = sorted((tmp_path / "course" / "source" / "all").glob("*.ipynb"))
    assert [path.name for path in written] == [path.name for path in NOTEBOOKS]
    points = sum(cell.metadata["nbgrader"].get("points", 0) for path in written
                 for cell in nbformat.read(path, as_version=4).cells)
    assert points == 3 * sum(len(exercises_of(path)) for path in NOTEBOOKS)


def test_an_edited_source_notebook_is_kept_unless_forced(course, tmp_path, capsys):
    copy = tmp_path / "course"
    assert run_tool(capsys, ROOT / "notebooks", copy)[0] == 0
    edited = copy / "source" / NOTEBOOKS[1].stem / NOTEBOOKS[1].name
    nb = nbformat.read(edited, as_version=4)
    nb.cells[0].source += "\n\nMy own note for this class."
    nbformat.write(nb, edited)
    before = edited.read_bytes()

    code, errors = run_tool(capsys, ROOT / "notebooks", copy)
    assert code == 2 and str(edited) in errors
    assert edited.read_bytes() == before
    code, errors = run_tool(capsys, ROOT / "notebooks", copy, "--force")
    assert code == 0, errors
    assert edited.read_bytes() == (course / "source" / NOTEBOOKS[1].stem / NOTEBOOKS[1].name).read_bytes()


def test_nothing_is_written_when_a_notebook_is_wrong(tmp_path, capsys):
    source = tmp_path / "notebooks"
    source.mkdir()
    good = nbformat.read(NOTEBOOKS[1], as_version=4)
    nbformat.write(good, source / NOTEBOOKS[1].name)
    orphan = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(f"{BEGIN}\nx = 1\n{END}")])
    nbformat.write(orphan, source / "99_orphan.ipynb")
    code, errors = run_tool(capsys, source, tmp_path / "course")
    assert code == 1
    assert "99_orphan.ipynb, cell 1: an exercise with no check cell after it" in errors
    assert not (tmp_path / "course").exists()


def test_the_course_may_not_lie_inside_the_notebooks_folder(tmp_path, capsys):
    source = tmp_path / "notebooks"
    source.mkdir()
    nbformat.write(nbformat.read(NOTEBOOKS[1], as_version=4), source / NOTEBOOKS[1].name)
    code, errors = run_tool(capsys, source, source / "course")
    assert code == 1 and "inside the source folder" in errors
    assert sorted(path.name for path in source.iterdir()) == [NOTEBOOKS[1].name]


# --- nbgrader itself -------------------------------------------------------------

def nbgrader_requirements():
    """nbgrader, and the series' own pins of what the notebooks import (requirements.txt)."""
    pins = {line.split("==")[0].lower(): line for line in requirement_lines(ROOT / "requirements.txt") if "==" in line}
    return [f"nbgrader=={NBGRADER_VERSION}", *(pins[name] for name in SERIES_PINS)]


@pytest.fixture(scope="module")
def nbgrader(tmp_path_factory):
    """run(args, cwd): nbgrader from its own environment, with this repository's nnlib importable."""
    python = cached_venv("nbgrader", nbgrader_requirements())
    home = tmp_path_factory.mktemp("nbgrader-home")
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONHOME", "VIRTUAL_ENV")}
    env.update(PATH=f"{python.parent}{os.pathsep}{env['PATH']}",  # nbgrader runs `alembic` from there
               PYTHONPATH=str(ROOT),  # the kernel imports this nnlib
               JUPYTER_CONFIG_DIR=str(home / "config"), JUPYTER_DATA_DIR=str(home / "data"),
               JUPYTER_RUNTIME_DIR=str(home / "runtime"), IPYTHONDIR=str(home / "ipython"))

    def run(args, cwd):
        result = subprocess.run([str(python.parent / "nbgrader"), *args], cwd=cwd, env=env,
                                capture_output=True, text=True)
        assert result.returncode == 0, f"nbgrader {' '.join(args)}:\n{result.stdout[-3000:]}\n{result.stderr[-5000:]}"
        return result

    run.python, run.env = python, env
    return run


def solution_lines(path):
    """Lines inside the notebook's solution regions that its cells show nowhere else."""
    inside, elsewhere = [], []
    for cell in nbformat.read(path, as_version=4).cells:
        region = False
        for line in cell.source.splitlines():
            if line.strip() in (BEGIN, END):
                region = line.strip() == BEGIN
            elif line.strip():
                (inside if region else elsewhere).append(line.strip())
    return [line for line in dict.fromkeys(inside) if line not in elsewhere]


def hand_in(released, source, right):
    """A student's copy of a released notebook: the instructor's answers in the exercises `right` picks."""
    nb = nbformat.read(released, as_version=4)
    answers = {cell.metadata["nbgrader"]["grade_id"]: cell.source
               for cell in nbformat.read(source, as_version=4).cells}
    position = 0
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("solution"):
            if right(position):
                cell.source = answers[cell.metadata["nbgrader"]["grade_id"]]
            position += 1
    return nb


STUDENTS = {"right": lambda i: True, "blank": lambda i: False, "half": lambda i: i % 2 == 0}


@pytest.fixture(scope="module")
def graded(nbgrader, tmp_path_factory):
    """A course of the first two notebooks with exercises, released, handed in by three students, autograded."""
    chosen = [path for path in NOTEBOOKS if exercises_of(path)][:2]
    source = tmp_path_factory.mktemp("two") / "notebooks"
    source.mkdir()
    for path in chosen:
        (source / path.name).write_bytes(path.read_bytes())
    course = source.parent / "course"
    made = make_course(source, course, "--assignment", ASSIGNMENT)
    assert made.returncode == 0, made.stderr
    nbgrader(["generate_assignment", ASSIGNMENT], cwd=course)
    for student, right in STUDENTS.items():
        folder = course / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        for path in chosen:
            nbformat.write(hand_in(course / "release" / ASSIGNMENT / path.name,
                                   course / "source" / ASSIGNMENT / path.name, right), folder / path.name)
    nbgrader(["autograde", ASSIGNMENT], cwd=course)
    scores = subprocess.run(
        [str(nbgrader.python), "-c", "import json, sys\nfrom nbgrader.api import Gradebook\n"
         "with Gradebook('sqlite:///gradebook.db') as gb:\n"
         f"    print(json.dumps({{s: [gb.find_submission('{ASSIGNMENT}', s).score, "
         f"gb.find_submission('{ASSIGNMENT}', s).max_score] for s in sys.argv[1:]}}))", *STUDENTS],
        cwd=course, env=nbgrader.env, capture_output=True, text=True)
    assert scores.returncode == 0, scores.stderr
    return course, chosen, json.loads(scores.stdout)


def test_released_notebooks_hold_no_solution(graded):
    course, chosen, _ = graded
    searched = 0
    for path in chosen:
        released = (course / "release" / ASSIGNMENT / path.name).read_text(encoding="utf-8")
        lines = solution_lines(path)
        searched += len(lines)
        assert [line for line in lines if line in released] == [], f"{path.name} released with its solution"
        assert "BEGIN SOLUTION" not in released and "END SOLUTION" not in released
        assert [line for line in lines if line in (course / "source" / ASSIGNMENT / path.name).read_text()]
    assert searched > 0, "no solution line to search for"


def test_autograde_scores_right_blank_and_half_right_hand_ins(graded):
    _, chosen, scores = graded
    exercises = sum(len(exercises_of(path)) for path in chosen)
    assert exercises >= 3
    assert scores["right"] == [exercises, exercises]
    assert scores["blank"] == [0, exercises]
    assert scores["half"] == [math.ceil(exercises / 2), exercises]


def test_a_blank_answers_feedback_is_the_checks_hint(graded):
    course, chosen, _ = graded
    for student, expected in (("blank", "error"), ("right", None)):
        for path in chosen:
            nb = nbformat.read(course / "autograded" / student / ASSIGNMENT / path.name, as_version=4)
            for cell in nb.cells:
                if not cell.metadata.get("nbgrader", {}).get("grade"):
                    continue
                errors = [output for output in cell.outputs if output.output_type == "error"]
                shown = json.dumps(cell.outputs, ensure_ascii=False)
                if expected:
                    assert [error.ename for error in errors] == ["AssertionError"], shown[:500]
                    assert errors[0].evalue.startswith("❌ Not yet: ") and " Hint: " in errors[0].evalue
                else:
                    assert errors == [] and "✅ Correct" in shown, shown[:500]
