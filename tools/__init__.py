"""The series' tools: grading, the student edition, slides, the website, an nbgrader course.

`pip install -e .` installs this package beside nnlib (pyproject.toml), so a
tool runs as a script or as a module from anywhere in the repository:
`python tools/grade.py ...` or `python -m tools.grade ...`.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # the repository the tools belong to


class ToolError(ValueError):
    """Problems a tool found before writing anything, one line each naming the file (and cell).

    Parameters
    ----------
    problems : str or list of str
        One problem, or several.
    """

    def __init__(self, problems):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))
