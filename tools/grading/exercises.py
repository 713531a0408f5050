"""The exercises graded: one column per check cell of the instructor's notebooks.

An exercise is a code cell with a solution region (`### BEGIN SOLUTION`);
its check is the first code cell after it, in the series' uniform form

    from nnlib.course.checks import check
    check("sigmoid")

whose string names the exercise in `nnlib.course.checks.EXERCISES`. A
handed-in notebook's check cell counts only if its code is exactly the
instructor's (blank lines and trailing spaces aside).
"""

import ast
from dataclasses import dataclass
from pathlib import Path

from tools.markers import is_exercise
from tools.notebooks import read_notebook


@dataclass(frozen=True)
class Exercise:
    """One exercise of the series: its notebook, its check cell, its column."""

    notebook: str  # stem, e.g. "05_forward_pass"
    check_source: str  # the check cell's code, normalized
    label: str  # the exercise's id in the checks' registry, e.g. "forward"
    cell: int  # the check cell's number in the instructor's notebook (from 1)
    points: float = 1.0

    @property
    def column(self):
        """The report's column for this exercise: its notebook's number and its label."""
        return f"{self.notebook[:2]} · {self.label}"


def normalized(source):
    """Source without trailing spaces or blank lines: what makes two check cells the same."""
    return "\n".join(line.rstrip() for line in source.strip().splitlines() if line.strip())


def check_label(source):
    """The exercise a check cell judges: its call's first string argument, else its first name."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return normalized(source)[:40]
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                return first.value
            if isinstance(first, ast.Name):
                return first.id
    return normalized(source)[:40]


def series_exercises(notebooks_dir):
    """[Exercise] for every exercise cell of every notebook in `notebooks_dir`, in the series' order."""
    exercises = []
    for path in sorted(Path(notebooks_dir).glob("*.ipynb")):
        cells = read_notebook(path).cells
        for index, cell in enumerate(cells):
            if not is_exercise(cell):
                continue
            following = [i for i in range(index + 1, len(cells)) if cells[i].cell_type == "code"]
            if following:
                source = cells[following[0]].source
                exercises.append(Exercise(path.stem, normalized(source), check_label(source), following[0] + 1))
    columns = [exercise.column for exercise in exercises]
    if len(columns) != len(set(columns)):
        twice = sorted({column for column in columns if columns.count(column) > 1})
        raise ValueError(f"two check cells judge the same exercise: {', '.join(twice)}")
    return exercises


def read_points(path, exercises):
    """The exercises with the points a file gives them (default 1 each).

    The file has one exercise a line, `<id or column> <points>` or
    `<id or column>,<points>`: `forward 2`, `05 · forward,2`; `#` starts a comment.
    """
    by_name = {}
    for exercise in exercises:
        by_name[exercise.label] = by_name[exercise.column] = exercise
    points = {}
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        name, _, value = line.replace(",", " ").rpartition(" ")
        name = name.strip()
        if name not in by_name:
            raise ValueError(f"{path}, line {number}: {name!r} is not an exercise of the series "
                             f"(one of: {', '.join(e.label for e in exercises)})")
        try:
            value = float(value)
        except ValueError:
            value = -1.0
        if not 0 <= value <= 1000:
            raise ValueError(f"{path}, line {number}: points must be a number from 0 to 1000")
        points[by_name[name].column] = value
    return [Exercise(e.notebook, e.check_source, e.label, e.cell, points.get(e.column, e.points))
            for e in exercises]
