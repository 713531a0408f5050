"""The result of an exercise check, and calling a student's function safely.

A check (in `checks.py`) calls the student's function on copies of its own
test data, judges what comes back (with `answers.py`) and returns a
`Feedback`, shown in the notebook as one line:

    ✅ Correct: <what was verified>
    ❌ Not yet: <what differs> Hint: <where to look>

Nothing here raises because of an answer. A function that raises (even
SystemExit), changes its inputs, or returns nothing gets a "Not yet" that
says so; NumPy's error messages are put into words (`errors.py`); only
KeyboardInterrupt, the student pressing stop, goes through. Under
nbgrader's autograder alone, a "Not yet" is raised as an AssertionError
(`graded`), since that is how nbgrader scores a cell.
"""

import copy
import functools
import inspect
import numbers
import os
import warnings
from dataclasses import asdict, dataclass, replace

import numpy as np

from .cells import stale_argument
from .errors import in_words, text

MIME_TYPE = "application/vnd.nnlib.feedback+json"


@dataclass(frozen=True)
class Feedback:
    """The result of a check, shown as one line.

    Attributes
    ----------
    passed : bool
        Whether the answer is right.
    problem : str
        What differs (for a pass: what was verified).
    hint : str
        Where to look; empty for a pass.
    check : str
        The check's name, such as "check_sigmoid".
    label : str
        The exercise: the name the notebook gives the answer, such as "sigmoid" or "dW2".
    """

    passed: bool
    problem: str
    hint: str = ""
    check: str = ""
    label: str = ""

    @property
    def message(self):
        """The line a notebook shows: "✅ Correct: ..." or "❌ Not yet: ... Hint: ..."."""
        if self.passed:
            return f"✅ Correct: {self.problem}"
        return f"❌ Not yet: {self.problem}" + (f" Hint: {self.hint}" if self.hint else "")

    def __repr__(self):
        return self.message

    def _repr_mimebundle_(self, include=None, exclude=None):
        """The line as text, and the fields as JSON for grading tools."""
        return {"text/plain": self.message, MIME_TYPE: {**asdict(self), "message": self.message}}

    def about(self, context):
        """The same feedback with `context` ("with N=4, ...: ") before the problem."""
        return replace(self, problem=context + self.problem)


def correct(verified):
    """Feedback for a right answer, saying what was verified."""
    return Feedback(True, verified)


def not_yet(problem, hint):
    """Feedback for an answer that is not right yet: what differs, and where to look."""
    return Feedback(False, problem, hint)


def exercise(label=None):
    """Decorator for a check: never raises because of an answer, names its Feedback.

    The Feedback gets `check` (the function's name) and `label` (the given
    one, or else the check's `name` argument). Before grading, an answer
    whose cell last raised an error is reported as stale. Anything the
    answer makes go wrong inside the check becomes a "Not yet".
    """
    def decorate(check):
        signature = inspect.signature(check)

        @functools.wraps(check)
        def run(*args, **kwargs):
            name = label or text(signature.bind(*args, **kwargs).arguments.get("name"))
            _warned.clear()
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("error")  # a warning of the check's own is a fault: report it
                    feedback = stale(check.__name__) or check(*args, **kwargs)
            except KeyboardInterrupt:
                raise
            except BaseException as error:  # a fault of the check: report it in place of a traceback
                feedback = not_yet(f"the check could not grade this answer ({type(error).__name__}: "
                                   f"{text(error)}).", "this is a fault in the check, not necessarily in "
                                   "your answer: tell your instructor, and test your answer by hand meanwhile.")
            if _warned and not feedback.passed:
                feedback = replace(feedback, problem=f"{feedback.problem} (Your function also warned: "
                                                     f"{_warned[0]}.)")
            return graded(replace(feedback, check=check.__name__, label=name))
        return run
    return decorate


def graded(feedback):
    """The feedback as it is; under nbgrader's autograder a "Not yet" raises AssertionError instead.

    nbgrader scores a test cell by whether it raises, and sets
    NBGRADER_EXECUTION while it runs a notebook. There the message, hint
    included, becomes the cell's error: no points, and the hint in the
    feedback. In a student's own kernel the variable is unset: nothing changes.
    """
    if os.environ.get("NBGRADER_EXECUTION") and not feedback.passed:
        raise AssertionError(feedback.message)
    return feedback


def stale(check_name):
    """Feedback if an argument of this check call comes from a cell that raised, else None."""
    found = stale_argument(check_name)
    if found is None:
        return None
    name, error = found
    return not_yet(f"your last answer cell raised an error ({error}) before it finished, so `{name}` may still "
                   "hold an older answer; it was not graded.",
                   f"fix the error in the cell that sets `{name}`, run it again, then run this check.")


# Describing any value, safely.

def describe(value):
    """A short description of a received value: its type and size, or its value."""
    try:
        if value is None or value is Ellipsis or isinstance(value, (bool, np.bool_)):
            return {None: "None", Ellipsis: "`...`"}.get(value, repr(bool(value)))
        if isinstance(value, numbers.Integral) and abs(int(value)) >= 10**15:
            return f"a whole number with {int(int(value).bit_length() * 0.30103) + 1} digits"
        if isinstance(value, (numbers.Integral, np.integer)):
            return f"the number {int(value)}"
        if isinstance(value, numbers.Real):
            return f"the number {float(value):.6g}"
        if isinstance(value, numbers.Complex):
            return f"the complex number {complex(value):.4g}"
        if isinstance(value, np.ndarray):
            dtype = "" if value.dtype.kind in "biuf" else f" and dtype {value.dtype}"
            return f"an array of shape {value.shape}{dtype}"
        if isinstance(value, (str, bytes)):
            return f"the text {text(repr(value), 40)}"
        if isinstance(value, (list, tuple, dict)):
            return f"a {type(value).__name__} of {len(value)} item{'s' * (len(value) != 1)}"
    except Exception:  # a student's subclass whose len() or int() raises
        pass
    return f"a {type(value).__name__}"


# Calling the student's function.

_warned = []  # warnings the student's function gave during the current check


def unanswered(label, value, hint="did your code forget a `return`?"):
    """Feedback if `value` is still the exercise's `...` or None, else None."""
    if value is Ellipsis:
        return not_yet(f"{label} is still `...`.", "replace the `...` with your answer and run the cell again.")
    if value is None:
        return not_yet(f"{label} is None.", hint)
    return None


def call(label, fn, inputs, options=None, in_place=None):
    """Call a student's function on deep copies of `inputs`; return (result, None) or (None, Feedback).

    `inputs` maps each positional argument's name to its value; the
    originals are never touched. A function that changes one of its copies
    gets a "Not yet", except the copy named `in_place`, which it may update:
    if it returns None, that updated copy is the result.
    """
    blank = unanswered(label, fn)
    if blank:
        return None, blank
    if not callable(fn):
        return None, not_yet(f"{label} should be a function; received {describe(fn)}.",
                             "define it with `def` in the exercise cell and run that cell.")
    given = copy.deepcopy(inputs)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = fn(*given.values(), **(options or {}))
    except KeyboardInterrupt:  # the student pressed stop: stop
        raise
    except BaseException as error:  # SystemExit and the like too: the answer's fault, reported
        return None, not_yet(*in_words(f"calling {label}", error))
    _warned.extend(text(f"{w.category.__name__}: {w.message}", 100) for w in caught)
    for name in inputs:
        what = changed(name, inputs[name], given[name])
        if what and name != in_place:
            return None, not_yet(f"{label} changed its input {what} in place.",
                                 "work on new arrays and leave the inputs as they are: write X = X * 2, "
                                 "not X *= 2 or X[...] = ..., and read a dict's entries without pop or assignment.")
    if result is None and in_place:
        result = given[in_place]
    return result, unanswered(f"what {label} returned", result)


def takes(fn, argument):
    """Whether function `fn` has a parameter called `argument`."""
    try:
        return argument in inspect.signature(fn).parameters
    except Exception:  # builtins without a signature, objects whose __signature__ raises
        return False


def changed(name, before, after):
    """Which part of an input differs from its original (`name`, `name['W1']`...), or None."""
    try:
        if isinstance(before, dict):
            for key in before:
                if key not in after:
                    return f"{name} (it removed {name}[{key!r}])"
                inner = changed(f"{name}[{key!r}]", before[key], after[key])
                if inner:
                    return inner
            added = [key for key in after if key not in before]
            return f"{name} (it added {name}[{added[0]!r}])" if added else None
        if isinstance(before, np.ndarray):
            same = (type(after) is np.ndarray and after.shape == before.shape and after.dtype == before.dtype
                    and np.array_equal(after, before, equal_nan=True))
            return None if same else name
        return None if after is before or after == before else name
    except Exception:  # the student put something into a dict that cannot be compared
        return name
