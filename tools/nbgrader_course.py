"""Write the series as an nbgrader course: source notebooks with nbgrader's cell metadata.

    python -m tools.nbgrader_course notebooks/ course/                   # one assignment per notebook
    python -m tools.nbgrader_course notebooks/ course/ --assignment ps1  # all notebooks in one
    python -m tools.nbgrader_course notebooks/ course/ --points 2 --force

Run it from the repository root. It writes, for nbgrader 0.9.6
(https://nbgrader.readthedocs.io), the course folder's

    nbgrader_config.py                     the settings below
    source/<assignment>/NN_name.ipynb      each notebook, outputs cleared

Then `cd course && nbgrader generate_assignment <assignment>` makes the
students' version (release/) and `nbgrader autograde <assignment>` grades
the hand-ins in submitted/.

Every cell gets nbgrader's metadata (`metadata.nbgrader`, schema 3):

- an exercise cell (one holding `### BEGIN SOLUTION` ... `### END SOLUTION`)
  is a solution cell (`solution`), id `answer-<name>`;
- the first code cell after it, its check, is a test cell (`grade`,
  `locked`, `--points` points, default 1), id `check-<name>`, where <name>
  is what the exercise cell defines first (`sigmoid`, `learning_rate`);
- every other cell, markdown or code, is read-only (`locked`): nbgrader
  puts its text back if a student changes it.

The students' blank is the student edition's (tools/student_edition.py),
not nbgrader's `raise NotImplementedError()`: in each exercise, the names
its solution sets are set to `...` just before the solution region and a
`return ...` follows it if the solution returns, and nbgrader_config.py sets
the stub to `# YOUR CODE HERE` alone. So a released notebook runs from top
to bottom, and each check says "Not yet" with a hint. Under the autograder,
which sets NBGRADER_EXECUTION, a check that says "Not yet" raises
AssertionError with that message (nnlib.course.exercises.feedback.graded): the test
cell scores 0 and the hint is the student's feedback. The instructor's
solutions still run (the `...` lines come first, the solution after).

The tool checks everything before writing anything, as the student edition
does: unreadable notebooks, marker problems, an exercise with no code cell
after it, a target inside the notebooks' folder, and files in the course
folder that differ from what it would write (an edited source notebook, an
edited nbgrader_config.py) are reported and nothing is written; --force
replaces the differing files. Files it does not write are left alone, and
notebooks/ is only read.
"""

import argparse
import ast
import copy
import re
import sys
from pathlib import Path

from tools import ToolError
from tools.markers import BEGIN, END, SolutionError, is_exercise, marker, split_lines
from tools.notebooks import as_text, read_notebook, source_notebooks
from tools.student_edition import as_python, blank_source, compiles, imported_names, student_notebook
from tools.writing import folder_problems, inspect, make_folder, source_files, write_temporary

NBGRADER_VERSION = "0.9.6"  # the release this course folder is written for, and tested with
SCHEMA_VERSION = 3  # nbgrader's cell metadata schema
CONFIG_NAME = "nbgrader_config.py"
CONFIG = f'''\
"""nbgrader settings for this course (written by tools/nbgrader_course.py for nbgrader {NBGRADER_VERSION})."""

c = get_config()  # noqa: F821 (nbgrader defines it)

# A blank answer is the series' own: the names a solution sets are `...`,
# written before each solution region in source/, so a released notebook runs
# from top to bottom and every check says "Not yet" with a hint, instead of
# stopping at nbgrader's default `raise NotImplementedError()`.
c.ClearSolutions.code_stub = {{"python": "# YOUR CODE HERE"}}

# The lessons train small networks and draw figures: allow a cell 120 s
# (nbgrader's default is 30 s).
c.Execute.timeout = 120
'''


def cell_metadata(grade_id, solution=False, grade=False, locked=False, points=None):
    """The `nbgrader` metadata of one cell."""
    meta = {"schema_version": SCHEMA_VERSION, "grade": grade, "solution": solution, "locked": locked,
            "grade_id": grade_id, "task": False}
    if grade:
        meta["points"] = points
    return meta


def defined_name(source):
    """The first name a cell defines at its top level (`def f`, `x = ...`), or None."""
    try:
        tree = ast.parse(as_python(source))
    except (SyntaxError, ValueError):
        return None
    for statement in tree.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            return statement.name
        targets = getattr(statement, "targets", None) or [getattr(statement, "target", None)]
        for target in targets:
            if isinstance(target, ast.Name):
                return target.id
    return None


def with_blanks_outside(source, where, imported=frozenset()):
    """An exercise's source with the student edition's blank lines around each solution region.

    The lines that set names to `...` (and `pass`) go just before the
    region, `return ...` just after it; nbgrader then replaces the region by
    `# YOUR CODE HERE`, leaving the student edition's blank. The solution
    itself still runs, after the `...` lines.
    """
    lines, _ = split_lines(source)
    out, start = [], None
    for number, line in enumerate(lines):
        kind = marker(line)
        if kind == BEGIN:
            start = number
        elif kind == END:
            region = lines[start:number + 1]
            placeholder = blank_source("\n".join(region), where, imported).split("\n")[1:]  # [0]: # YOUR CODE HERE
            out += [text for text in placeholder if text.strip() != "return ..."]
            out += region
            out += [text for text in placeholder if text.strip() == "return ..."]
            start = None
        elif start is None:
            out.append(line)
    new = "\n".join(out)
    if compiles(source) and not compiles(new):
        raise SolutionError(f"{where}: the cell would not be valid Python with its blank lines written "
                            "around the solution; put each solution region around whole statements")
    return new


def unique(name, taken):
    """`name`, or `name-2`, `name-3` ... if taken; the result is added to `taken`."""
    candidate, number = name, 1
    while candidate in taken:
        number += 1
        candidate = f"{name}-{number}"
    taken.add(candidate)
    return candidate


def nbgrader_notebook(nb, name="notebook", points=1):
    """The course's source notebook made from an instructor notebook node.

    Returns (notebook, number of exercises). Raises ToolError listing
    every problem (cells numbered from 1).
    """
    student_notebook(nb, name)  # the student edition's checks of the markers: SolutionError if any
    nb = copy.deepcopy(nb)
    nb.metadata.pop("widgets", None)
    cells, problems, taken, imported = nb.cells, [], set(), set()
    checks = {}  # index of a check cell: its exercise's name
    exercises = 0
    for index, cell in enumerate(cells):
        where = f"{name}, cell {index + 1}"
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
            cell.metadata.pop("execution", None)
        if is_exercise(cell):
            exercises += 1
            label = re.sub(r"[^A-Za-z0-9_-]+", "-", defined_name(cell.source) or f"exercise-{exercises}")
            following = next((i for i in range(index + 1, len(cells)) if cells[i].cell_type == "code"), None)
            if following is None or is_exercise(cells[following]):
                problems.append(f"{where}: an exercise with no check cell after it (the next code cell "
                                "checks the exercise); add one")
            else:
                checks[following] = label
            try:
                cell.source = with_blanks_outside(cell.source, where, imported)
            except SolutionError as error:
                problems += error.problems
            cell.metadata["nbgrader"] = cell_metadata(unique(f"answer-{label}", taken), solution=True)
        elif index in checks:
            cell.metadata["nbgrader"] = cell_metadata(unique(f"check-{checks[index]}", taken), grade=True,
                                                      locked=True, points=points)
        else:
            cell.metadata["nbgrader"] = cell_metadata(unique(f"cell-{index + 1}", taken), locked=True)
        if cell.cell_type == "code":
            imported |= imported_names(cell.source)
    if problems:
        raise ToolError(problems)
    return nb, exercises


def plan(source_dir, course_dir, assignment=None, points=1):
    """[(path, text)] of every file the course gets, made in memory, and notes for the user.

    Raises ToolError listing every notebook that cannot be made.
    """
    writes, notes, problems = [(Path(course_dir) / CONFIG_NAME, CONFIG)], [], []
    for path in source_notebooks(source_dir):
        try:
            nb, exercises = nbgrader_notebook(read_notebook(path), path.name, points)
        except ToolError as error:
            problems += error.problems
            continue
        folder = Path(course_dir) / "source" / (assignment or path.stem)
        writes.append((folder / path.name, as_text(nb)))
        notes.append(f"{folder.name}/{path.name}: {exercises} exercise{'s' * (exercises != 1)}, "
                     f"{exercises * points} point{'s' * (exercises * points != 1)}")
    if problems:
        raise ToolError(problems)
    return writes, notes


def write_files(todo):
    """Write every (path, text): all to temporary files first, then renamed into place.

    Returns the error lines (empty if everything was written). A failure
    before the renames removes what was made, so nothing has changed.
    """
    created, temporaries, current = [], [], None
    try:
        for current, text in todo:
            created += make_folder(current.parent)
            temporaries.append((write_temporary(current, text), current))
    except OSError as error:
        for temporary, _ in temporaries:
            temporary.unlink(missing_ok=True)
        for folder in sorted(created, key=lambda path: len(path.parts), reverse=True):
            try:
                folder.rmdir()
            except OSError:
                pass
        return [f"{current}: cannot be written ({error.strerror or error}); nothing was written"]
    problems = []
    for temporary, path in temporaries:
        try:
            temporary.replace(path)
        except OSError as error:
            temporary.unlink(missing_ok=True)
            problems.append(f"{path}: cannot be replaced ({error.strerror}); it was not written")
    return problems


def main(argv=None):
    """Make the nbgrader course folder (the command line, see the module's docstring); returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("source", type=Path, help="folder of instructor notebooks (read only)")
    parser.add_argument("course", type=Path, help="the nbgrader course folder to write into")
    parser.add_argument("--assignment", help="put every notebook into this one assignment "
                                             "(default: one assignment per notebook, named like it)")
    parser.add_argument("--points", type=int, default=1, help="points per exercise (default 1)")
    parser.add_argument("--force", action="store_true", help="replace files in the course folder that differ")
    args = parser.parse_args(argv)
    if args.points < 1:
        parser.error(f"--points must be a whole number of at least 1, not {args.points}")
    if args.assignment is not None and not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", args.assignment):
        parser.error(f"--assignment {args.assignment!r}: use letters, digits, '_', '-' and '.' only")

    problems = folder_problems(args.source, args.course)
    try:
        writes, notes = plan(args.source, args.course, args.assignment, args.points)
    except ToolError as error:
        problems, writes, notes = problems + error.problems, [], []

    todo, clashes = [], []
    if not problems:
        sources = source_files(args.source)
        for path, text in writes:
            action, note = inspect(path, text, sources) if path.parent.is_dir() else ("write", None)
            if action == "problem":
                problems.append(note)
            elif action == "clash":
                clashes.append(note)
                todo.append((path, text))
            elif action == "write":
                todo.append((path, text))
    if problems:
        for problem in problems:
            print(f"error: {problem}", file=sys.stderr)
        print("Nothing was written.", file=sys.stderr)
        return 1
    if clashes and not args.force:
        print(f"Stopped: {args.course} already holds files that differ from what this tool writes, "
              "perhaps edited by hand. Nothing was written. Differing:", file=sys.stderr)
        for clash in clashes:
            print(f"  {clash}", file=sys.stderr)
        print("Move them somewhere safe, or run again with --force to replace them.", file=sys.stderr)
        return 2
    failures = write_files(todo)
    if failures:
        for failure in failures:
            print(f"error: {failure}", file=sys.stderr)
        return 1
    for note in notes:
        print(note)
    print(f"Wrote {len(todo)} files to {args.course} ({len(writes) - len(todo)} already up to date). Next: "
          f"cd {args.course} && nbgrader generate_assignment <assignment>")
    return 0


if __name__ == "__main__":
    sys.exit(main())
