"""What a check cell imports: `from nnlib.course.checks import check`, then `check("sigmoid")`.

The exercise checks live in `nnlib.course.exercises` (the judges in
`judges.py`, the registry and `check` in `registry.py`). This module keeps
the name that every notebook's check cell, the grading tools (which find
check cells by that line) and the student editions in students' hands
import; `checks.check_mse(...)` and the other judges are here too, for the
notebooks' demonstration cells.
"""

from .exercises.feedback import Feedback
from .exercises.judges import (check_accuracy, check_backward, check_forward, check_gradient, check_labels,
                               check_learning_rate, check_mse, check_param_count, check_sigmoid,
                               check_sigmoid_derivative, check_update, check_W2_shape, check_XT_shape,
                               check_xor_hidden_size)
from .exercises.registry import EXERCISES, Exercise, check

__all__ = ["Feedback", "Exercise", "EXERCISES", "check", "check_sigmoid", "check_sigmoid_derivative", "check_labels",
           "check_XT_shape", "check_param_count", "check_W2_shape", "check_learning_rate", "check_forward",
           "check_mse", "check_gradient", "check_backward", "check_update", "check_accuracy",
           "check_xor_hidden_size"]
