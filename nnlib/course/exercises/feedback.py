"""The result of an exercise check, and calling a student's function safely.

A check (in `checks.py`) calls the student's function on copies of its own
test data, judges what comes back (with `answers.py`) and returns a
`Feedback`, shown in the notebook as one line:

    ✅ Correct: <what was verified>
    ❌ Not yet: <what differs> Hint: <where to look>

Nothing here raises because of an answer. A function that raises (even
SystemExit), changes its inputs, returns nothing, or calls the very nnlib
function its exercise asks for gets a "Not yet" that says so; NumPy's error
messages are put into words (`errors.py`). Only the student pressing stop
(KeyboardInterrupt) goes through, as `Stopped`: in a notebook, one line
saying what was stopped, not a traceback through the checks. Under
nbgrader's autograder alone, a "Not yet" is raised as an AssertionError
(`graded`), since that is how nbgrader scores a cell.
"""

import copy
import dis
import functools
import inspect
import numbers
import os
import sys
import types
import warnings
from dataclasses import asdict, dataclass, replace

import numpy as np

from .cells import stale_argument, stale_name
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
        The name the notebook gives the answer, such as "sigmoid" or "dW2".
    exercise : str
        The exercise's id in `checks.EXERCISES` when the registry judged it
        (`checks.check("sigmoid")`), else "".
    """

    passed: bool
    problem: str
    hint: str = ""
    check: str = ""
    label: str = ""
    exercise: str = ""

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


class Stopped(KeyboardInterrupt):
    """The student pressed stop during a check; a notebook shows one line, not a traceback.

    A KeyboardInterrupt still, so that Run All stops there and a grader's
    time limit is still a time limit.
    """

    def _render_traceback_(self):
        """What IPython shows in place of the traceback."""
        return [f"⏹ Stopped: {self}"]


def exercise(label=None):
    """Decorator for a check: never raises because of an answer, names its Feedback.

    The Feedback gets `check` (the function's name) and `label` (the given
    one, or else the check's `name` argument). Before grading, an answer
    whose cell last raised an error is reported as stale. Anything the
    answer makes go wrong inside the check becomes a "Not yet"; pressing
    stop raises `Stopped`.
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
            except Stopped:
                raise
            except KeyboardInterrupt:
                raise Stopped("the check was stopped before it finished (it may have been training a network); "
                              "run it again and let it finish.") from None
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


def stale(check_name=None, names=()):
    """Feedback if an argument of this check call (or one of `names`) comes from a cell that raised, else None."""
    found = stale_argument(check_name) if check_name else stale_name(names)
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


def call(label, fn, inputs, options=None, in_place=None, own=None, formula=""):
    """Call a student's function on deep copies of `inputs`; return (result, None) or (None, Feedback).

    `inputs` maps each positional argument's name to its value; the
    originals are never touched. A function that changes one of its copies
    gets a "Not yet", except the copy named `in_place`, which it may update:
    if it returns None, that updated copy is the result (and if it changed
    nothing either, a "Not yet" asks where its result went). A function
    that calls one of the functions `own` (nnlib's version of what the
    exercise asks the student to write, {name: function}) gets a "Not yet"
    pointing to the `formula` to write instead.
    """
    blank = unanswered(label, fn)
    if blank:
        return None, blank
    if not callable(fn):
        return None, not_yet(f"{label} should be a function; received {describe(fn)}.",
                             "define it with `def` in the exercise cell and run that cell.")
    given = copy.deepcopy(inputs)
    try:
        with warnings.catch_warnings(record=True) as caught, watching_calls_to(own or {}) as called:
            warnings.simplefilter("always")
            result = fn(*given.values(), **(options or {}))
    except KeyboardInterrupt:  # the student pressed stop: stop, in one line
        raise Stopped(f"you pressed stop while {label} was running, so it was not graded. If it does not finish "
                      "by itself, look for a loop that never ends; then run its cell and this check again.") from None
    except BaseException as error:  # SystemExit and the like too: the answer's fault, reported
        return None, not_yet(*in_words(f"calling {label}", error))
    _warned.extend(text(f"{w.category.__name__}: {w.message}", 100) for w in caught)
    if called:
        return None, not_yet(f"{label} calls {called[0]}, the function this exercise asks you to write, so none "
                             "of your own code was tested.", f"the exercise is to write it yourself: {formula}")
    for name in inputs:
        what = changed(name, inputs[name], given[name])
        if what and name != in_place:
            return None, not_yet(f"{label} changed its input {what} in place.",
                                 "work on new arrays and leave the inputs as they are: write X = X * 2, "
                                 "not X *= 2 or X[...] = ..., and read a dict's entries without pop or assignment.")
    if result is None and in_place and not changed(in_place, inputs[in_place], given[in_place]):
        return None, not_yet(f"{label} returned None and left {in_place} as it was.",
                             "did it print its result instead of returning it? End the function with "
                             "`return ...`: print only shows a value, return hands it on.")
    if result is None and in_place:
        result = given[in_place]
    return result, unanswered(f"what {label} returned", result)


class watching_calls_to:
    """Context manager: which of `functions` ({name: function}) were called inside it, by name, in order.

    Watches with `sys.setprofile`, so that a call is seen however the
    function was reached: nnlib.forward, `from nnlib import forward as f`,
    or inside nnlib.predict. A function that runs in another process (the
    grader calls a student's function in their kernel) reports the calls it
    made there to the watchers in `active`, through `saw`.
    """

    active = []  # the watchers in force, innermost last

    def __init__(self, functions):
        functions = dict(functions)
        self.names = {function.__code__: name for name, function in functions.items()}
        self.qualified = {f"{function.__module__}.{function.__qualname__}": name for name, function in functions.items()}
        self.called = []

    def __enter__(self):
        self.previous = sys.getprofile()
        if self.names:
            sys.setprofile(self.profile)
        watching_calls_to.active.append(self)
        return self.called

    def saw(self, qualified_names):
        """Count calls made where this process cannot watch, each named 'module.qualname'."""
        for qualified in qualified_names:
            name = self.qualified.get(qualified)
            if name and name not in self.called:
                self.called.append(name)

    def profile(self, frame, event, arg):
        """sys.setprofile's hook: note a call of a watched function, then pass the event on."""
        name = self.names.get(frame.f_code) if event == "call" else None
        if name and name not in self.called:
            self.called.append(name)
        if self.previous is not None:
            self.previous(frame, event, arg)

    def __exit__(self, *exc):
        sys.setprofile(self.previous)
        watching_calls_to.active.remove(self)
        return False


def notebook_data(fn):
    """The names of data (arrays, dicts, lists, numbers) that function `fn` reads from its notebook, sorted.

    A function defined in a notebook reads a name it neither takes nor
    sets from the notebook's variables (its globals): a forward that
    writes `X @ W1` computes with the notebook's W1, whatever params it is
    given. Modules, functions and classes it reads are not data.
    """
    try:
        codes, names = [fn.__code__], set()
        while codes:
            code = codes.pop()
            names |= {ins.argval for ins in dis.get_instructions(code) if ins.opname in ("LOAD_GLOBAL", "LOAD_NAME")}
            codes += [const for const in code.co_consts if isinstance(const, types.CodeType)]
        space = fn.__globals__
        return sorted(name for name in names if name in space and not isinstance(space[name], bool)
                      and isinstance(space[name], (np.ndarray, dict, list, tuple, numbers.Number)))
    except Exception:  # not a plain Python function (a builtin, a callable object): nothing to say
        return []


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
