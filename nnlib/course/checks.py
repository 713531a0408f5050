"""What a check cell imports: `from nnlib.course.checks import check`, then `check("sigmoid")`.

The exercise checks live in `nnlib.course.exercises.checks` (each
exercise's judge, the registry `EXERCISES` and `check`). This module keeps
the name that every notebook's check cell, the grading tools (which find
check cells by that line) and the student editions in students' hands
import: it re-exports that module's public names, so `checks.check_mse(...)`
works here too, for the notebooks' demonstration cells.
"""

from .exercises import checks as _checks
from .exercises.checks import *  # noqa: F401,F403  (check, EXERCISES, Feedback, the judges check_sigmoid, ...)

__all__ = _checks.__all__
