"""The registry of the series' exercises, and `check(id)`, what every check cell calls.

Every exercise of the series has one entry in `EXERCISES`, in notebook
order, and its check cell, the first code cell after the exercise, has one
form:

    from nnlib.course.checks import check
    check("sigmoid")

`check(id)` reads the answers the exercise judges (`Exercise.reads`, such
as ("sigmoid",), ("dW2",) or ("learning_rate",)) from the notebook, the
namespace of the cell that calls it, and returns `Exercise.judge(answers)`.
It never raises: a check run before its answer cell, even in a fresh
kernel, answers "❌ Not yet: `sigmoid` is not defined yet", and an answer
left behind by a cell that raised is not graded (`cells.py`). The Feedback
names its exercise (`Feedback.exercise`, in its JSON for grading tools).

`Exercise.judge(answers, seed=None)` is a pure function of the answers (a
dict name -> object; a function answer is its function). Every right
answer it compares with comes from the check's own data (`cases.py`), never
from a notebook's variables, which any cell can rebind. With `seed=None` it
uses the fixed cases the notebooks show; with an int seed, an exercise
whose answer is a function is judged on fresh inputs of the same kinds
(for a grader: inputs no notebook has seen). Exercises whose answer is a
value (an array, a number to train with) ignore the seed.

To add an exercise: its judge in `judges.py` (where its notebook's are),
its entry here, its test data in `cases.py` if it needs new kinds, and in
the notebook an exercise cell with solution markers and the check cell.
"""

import functools
import inspect
from dataclasses import dataclass, field, replace

from . import cells
from .feedback import graded, not_yet, stale
from .judges import (check_accuracy, check_backward, check_forward, check_gradient, check_labels,
                     check_learning_rate, check_mse, check_param_count, check_sigmoid, check_sigmoid_derivative,
                     check_update, check_W2_shape, check_XT_shape, check_xor_hidden_size)


@dataclass(frozen=True)
class Exercise:
    """One exercise: where it is, which notebook variables it judges, and its judge.

    Attributes
    ----------
    id : str
        What its check cell passes to `check`, such as "sigmoid".
    notebook : str
        The notebook's stem, such as "01_sigmoid".
    reads : tuple of str
        The names of the answers it judges, as the notebook binds them.
    judge_with : function
        The check function, called with the answers in the order of `reads`
        (and `seed=` if `seeded`).
    seeded : bool
        Whether a seed draws fresh test inputs (an answer that is a function).
    """

    id: str
    notebook: str
    reads: tuple
    judge_with: object = field(repr=False)
    seeded: bool = False

    def judge(self, answers, seed=None):
        """Feedback on `answers` ({name: value}), from the check's own data; a name missing is not defined yet.

        Parameters
        ----------
        answers : dict
            At least the names of `reads`; a function answer is the function.
        seed : int, optional
            For an exercise whose answer is a function: draws fresh test inputs (any int from 0 on).

        Returns
        -------
        Feedback
        """
        missing = [name for name in self.reads if name not in answers]
        if missing:
            feedback = not_yet(f"`{missing[0]}` is not defined yet; run the cell that defines it (above this one).",
                               f"run the notebook's cells from the top down to this check, or the cell that sets "
                               f"`{missing[0]}` and then this one.")
        else:
            given = [answers[name] for name in self.reads]
            feedback = self.judge_with(*given, **({"seed": seed} if self.seeded else {}))
        return replace(feedback, check=feedback.check or self.check_name, label=feedback.label or self.reads[0],
                       exercise=self.id)

    @property
    def check_name(self):
        """The name of the check function: check_sigmoid, check_gradient..."""
        function = getattr(self.judge_with, "func", self.judge_with)  # a functools.partial, or the function
        return function.__name__


EXERCISES = {exercise.id: exercise for exercise in (
    Exercise("sigmoid", "01_sigmoid", ("sigmoid",), check_sigmoid, seeded=True),
    Exercise("sigmoid_derivative", "01_sigmoid", ("sigmoid_derivative",), check_sigmoid_derivative, seeded=True),
    Exercise("labels_from_X", "02_data", ("labels_from_X",), check_labels),
    Exercise("XT_shape", "02_data", ("XT_shape",), check_XT_shape),
    Exercise("n_params", "03_architecture", ("n_params",), check_param_count),
    Exercise("W2_shape", "03_architecture", ("W2_shape",), check_W2_shape),
    Exercise("learning_rate", "04_hyperparameters", ("learning_rate",), check_learning_rate),
    Exercise("forward", "05_forward_pass", ("forward",), check_forward, seeded=True),
    Exercise("mse", "05_forward_pass", ("mse",), check_mse, seeded=True),
    Exercise("dW2", "06_backward_pass", ("dW2",), functools.partial(check_gradient, "dW2")),
    Exercise("backward", "06_backward_pass", ("backward",), check_backward, seeded=True),
    Exercise("update", "07_training_loop", ("update",), check_update, seeded=True),
    Exercise("accuracy", "08_testing_the_model", ("accuracy",), check_accuracy, seeded=True),
    Exercise("hidden_size", "09_beyond_the_seed", ("hidden_size",),
             functools.partial(check_xor_hidden_size, epochs=3000)),
)}


def check(exercise_id, seed=None, namespace=None):
    """Judge exercise `exercise_id` on the answers its notebook holds: what every check cell calls.

    Parameters
    ----------
    exercise_id : str
        A key of `EXERCISES`, such as "sigmoid".
    seed : int, optional
        Passed to `Exercise.judge`: fresh test inputs for a function answer.
    namespace : dict, optional
        Where the answers are; by default the globals of the cell that
        calls `check`, which in a notebook are the notebook's (`__main__`).

    Returns
    -------
    Feedback
        "❌ Not yet" for a name not defined yet or left by a cell that
        raised, instead of an error; else the exercise's judgement.
    """
    if namespace is None:
        namespace = inspect.currentframe().f_back.f_globals
    exercise = EXERCISES.get(exercise_id) if isinstance(exercise_id, str) else None
    if exercise is None:
        return graded(not_yet(f"there is no exercise called {exercise_id!r}.",
                              f"write the check cell as the notebook has it; the exercises are "
                              f"{', '.join(EXERCISES)}."))
    problem = stale(names=exercise.reads)
    if problem:
        return graded(replace(problem, check=exercise.check_name, label=exercise.reads[0], exercise=exercise.id))
    return graded(exercise.judge({name: namespace[name] for name in exercise.reads if name in namespace}, seed))


cells.start()  # in a notebook: watch for answer cells that raise
