"""Judging an answer: turn it into numbers, then compare them with the right ones.

`as_array` accepts what NumPy reads as booleans, integers or floats (lists,
1-element arrays, float32) and answers "Not yet" for the rest (text, complex
numbers, ragged lists, numbers too large for a float, objects that raise
when read). Where the cells after an exercise compute with its answer, the
answer must also be of the right kind: an array (`not_an_array`: not a
list) or one number (`as_number`: not a list or an array holding one).

`compare` judges with a tolerance suited to the answer's dtype, says where
the answer differs with enough digits to see it, and recognises wrong
shapes and constant factors. float64 and float32 answers may differ from
the right numbers by what computing in them rounds (`tolerance`). A float16
answer keeps about 3 digits, too few to tell a right formula from one off
by 0.1%: it passes only as the float16 rounding of the right answer
(`right`), and near that it is told float16 is too coarse to judge.
"""

import numbers
import warnings

import numpy as np

from .errors import text
from .feedback import call, correct, describe, not_yet, unanswered


def distinct(expected, received):
    """Both numbers as text, with as many digits as it takes to tell them apart."""
    for digits in range(6, 18):
        shown = f"{expected:.{digits}g}", f"{received:.{digits}g}"
        if shown[0] != shown[1]:
            return shown
    return shown


def as_array(label, value):
    """Return (array, None) or (None, Feedback): `value` as an array of booleans, integers or floats.

    The array keeps its dtype, which sets the tolerance of `compare`.
    """
    blank = unanswered(label, value, hint="did you assign your answer to it?")
    if blank:
        return None, blank
    wanted = f"{label} should be numbers; received {describe(value)}"
    if isinstance(value, (str, bytes)):
        return None, not_yet(f"{wanted}.", "a number is written without quotes: 0.5, not '0.5'.")
    if callable(value) and not isinstance(value, np.ndarray):
        return None, not_yet(f"{wanted}.", "call the function and use what it returns.")
    if isinstance(value, (dict, set, frozenset)):
        return None, not_yet(f"{wanted}.", "give the numbers themselves: a number or an array.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            array = np.asarray(value)
            if array.dtype.kind == "O" and array.size <= 10**6 and all(
                    isinstance(item, numbers.Real) for item in array.flat):
                array = array.astype(float)
    except OverflowError:
        return None, not_yet(f"{label} is too large for a float: received {describe(value)}.",
                             "a float holds numbers up to about 1.8e308; check how the number was computed.")
    except Exception:  # ragged lists, objects whose __array__ or __len__ raises
        rows = " (lists of different lengths)" if isinstance(value, (list, tuple)) else ""
        return None, not_yet(f"{wanted}{rows}.", "every row of an array needs the same length; print your answer.")
    if array.dtype.kind == "c":
        return None, not_yet(f"{label} holds complex numbers; it should hold real ones.",
                             "look for the square root or power of a negative number, or a stray 1j.")
    if array.dtype.kind not in "biuf":
        return None, not_yet(f"{wanted}.", "print your answer: it should be numbers, not text or objects.")
    return array, None


def not_an_array(label, value, use="the cells after this one compute with it, and a list does not: a list * 2 "
                                    "repeats the list."):
    """Feedback if `value` is a list or tuple where a NumPy array is needed, else None."""
    if isinstance(value, (list, tuple)):
        return not_yet(f"{label} is {describe(value)}, not a NumPy array.",
                       f"return the array itself (leave out .tolist(), or wrap it in np.array(...)): {use}")
    return None


def is_number(value):
    """Whether `value` is one real number: an int or float (NumPy's too), or a 0-d array of them; not a bool."""
    if isinstance(value, np.ndarray):
        return value.ndim == 0 and value.dtype.kind in "iuf"
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def as_number(label, value, hint="give the number itself: np.mean(...) is already one number, without brackets "
                                 "or keepdims=True."):
    """Return (a 0-d array, None) or (None, Feedback): `value` as one number.

    One number inside a list or an array (such as `[np.mean(...)]` or
    `np.mean(..., keepdims=True)`) is told so, with `hint`: printing it
    with {:.4f}, or passing it to nnlib, needs the number itself.
    """
    array, problem = as_array(label, value)
    if problem:
        return None, problem
    if array.size != 1:
        return None, not_yet(f"{label} should be one number; received {describe(value)}.",
                             "reduce to one number: np.mean(...) or np.sum(...) with no axis.")
    if not is_number(value) and not isinstance(value, (bool, np.bool_)):
        return None, not_yet(f"{label} is {describe(value)} holding one number, not a number.", hint)
    return array.reshape(()), None


def whole_number(label, value, low, high, hint):
    """Return (int, None) or (None, Feedback) if `value` is not a whole number (an int) from `low` to `high`.

    A float such as 3.0 is not one: nnlib.train counts units with an int.
    """
    number, problem = as_number(label, value, f"write the number itself, without brackets. {hint}")
    if problem:
        return None, problem
    number = float(number)
    if isinstance(value, (bool, np.bool_)) or not np.isfinite(number) or number != round(number):
        return None, not_yet(f"{label} should be a whole number; received {describe(value)}.", hint)
    if not low <= number <= high:
        return None, not_yet(f"{label} should be between {low} and {high}; received {describe(value)}.", hint)
    if not isinstance(value, numbers.Integral):
        written = "" if isinstance(value, np.ndarray) else f", written as a {type(value).__name__}"
        return None, not_yet(f"{label} should be a whole number such as {int(number)}; received "
                             f"{describe(value)}{written}.",
                             f"write the number itself without a decimal point ({int(number)}): nnlib.train "
                             "counts units with a whole number, an int, and refuses anything else.")
    return int(number), None


def as_shape(value):
    """The sizes in a shape answer (a tuple, list or 1-D integer array of whole numbers), or None."""
    if isinstance(value, np.ndarray):
        items = value.tolist() if value.ndim == 1 and value.dtype.kind in "iuf" else None
    else:
        try:
            items = list(value) if isinstance(value, (tuple, list)) else None
        except Exception:  # a list subclass that cannot be iterated
            return None
    if items is None:
        return None
    sizes = []
    for item in items:
        if isinstance(item, (bool, np.bool_)) or not isinstance(item, numbers.Real):
            return None
        try:
            size = float(item)
        except Exception:  # numbers too large for a float, objects whose __float__ raises
            return None
        if not np.isfinite(size) or size != round(size):
            return None
        sizes.append(int(size))
    return tuple(sizes)


def tolerance(dtype):
    """Relative tolerance for an answer of this dtype: looser for float32, loosest for float16.

    float32's 1e-5 is what computing these small sums in float32 rounds;
    float16's 4e-3 is only for recognising an answer (a known slip, or
    near enough to say float16 is too coarse): it passes none (`right`).
    """
    return {2: 4e-3, 4: 1e-5}.get(dtype.itemsize, 1e-7) if dtype.kind == "f" else 1e-7


def matches(array, expected):
    """Whether numbers `array` equal `expected` within the tolerance of their dtype.

    An element may differ by `tolerance(dtype)` times (its expected size +
    the largest expected size): float32 rounding grows with the numbers it
    works on.
    """
    expected = np.asarray(expected, dtype=float)
    if array.shape != expected.shape:
        return False
    with np.errstate(all="ignore"):
        received = array.astype(float)
        scale = np.max(np.abs(expected)) if expected.size else 0.0
        return bool(np.all(np.abs(received - expected) <= tolerance(array.dtype) * (np.abs(expected) + scale) + 1e-12))


def coarse(array):
    """Whether an answer's dtype is float16: too few digits for a tolerance to tell right from nearly right."""
    return array.dtype.kind == "f" and array.dtype.itemsize < 4


def right(array, expected):
    """Whether numbers `array` are the right answer `expected`, as far as their dtype can hold it.

    float64 and float32 as `matches` says; float16 only as the float16
    rounding of `expected`: each element within half a float16 step of it
    (and 1e-12 of the largest, for what float64 rounds before the cast).
    """
    if not coarse(array):
        return matches(array, expected)
    expected = np.asarray(expected, dtype=float)
    if array.shape != expected.shape:
        return False
    with np.errstate(all="ignore"):
        step = np.spacing(np.abs(expected).astype(np.float16)).astype(float)  # float16's step at each value
        scale = np.max(np.abs(expected)) if expected.size else 0.0
        allowed = step / 2 + 1e-12 * (np.abs(expected) + scale) + 1e-300
        return bool(np.all(np.abs(array.astype(float) - expected) <= allowed))


def too_coarse(label):
    """Feedback for a float16 answer within float16's tolerance of the right one, but not its float16 rounding."""
    return not_yet(f"{label} is float16, which keeps about 3 digits: too few to tell a right formula from one off "
                   "by 0.1%, so it was not judged (float16 is too coarse to judge).",
                   "compute in float64 (NumPy's default) or float32: leave out np.float16 and .astype(np.float16).")


def same_as(value, expected):
    """Whether `value`, whatever it is, holds the numbers `expected`: recognises a known mistake."""
    array, problem = as_array("the answer", value)
    return problem is None and matches(array, expected)


def compare(label, value, expected, hint, factors=False):
    """None if `value` equals `expected` (an array or number), else Feedback saying what differs.

    With `factors`, an answer that is c times the right one gets a hint
    about what such a factor usually means in a gradient.
    """
    array, problem = as_array(label, value)
    if problem:
        return problem
    expected = np.asarray(expected, dtype=float)
    if array.shape != expected.shape:
        return not_yet(f"{label} should have shape {expected.shape}; received shape {array.shape}.",
                       shape_hint(label, array.shape, expected.shape, hint))
    if right(array, expected):
        return None
    if coarse(array) and matches(array, expected):
        return too_coarse(label)
    received = array.astype(float)
    where = lambda index: f"[{', '.join(str(int(i)) for i in index)}]" if expected.ndim else ""  # noqa: E731
    bad = np.argwhere(~np.isfinite(received))
    if len(bad):
        return not_yet(f"{label}{where(bad[0])} is {received[tuple(bad[0])]} (NaN or infinity).",
                       "look for a division by zero, or np.exp or ** of a large number. " + hint)
    if expected.ndim and not np.any(received) and np.any(expected):
        return not_yet(f"{label} is all zeros.", hint)
    factor = scale_between(received, expected) if expected.ndim else None
    if factor is not None:
        return not_yet(f"{label} is {factor:.4g} times the right value (shape {expected.shape} is right).",
                       factor_hint(factor) if factors else hint)
    with np.errstate(all="ignore"):
        worst = np.unravel_index(np.argmax(np.abs(received - expected)), expected.shape)
    should, got = distinct(expected[worst], received[worst])
    return not_yet(f"{label}{where(worst)} should be {should}; received {got}.", hint)


def shape_hint(label, received, expected, hint):
    """What a wrong shape usually means, then the formula's own hint."""
    if len(received) == len(expected) == 2 and received == expected[::-1]:
        return f"rows and columns are swapped: is a .T missing or extra, or the product in the wrong order? {hint}"
    if received == tuple(n for n in expected if n != 1) and received != expected:
        return f"a sum over the samples should keep its axis: .sum(axis=0, keepdims=True) gives shape {expected}."
    return hint


def scale_between(received, expected):
    """The number c with received = c * expected, if there is one (c != 1)."""
    with np.errstate(all="ignore"):
        norm = float(np.vdot(expected, expected))
        if norm == 0:
            return None
        c = float(np.vdot(received, expected)) / norm
        if np.isfinite(c) and c != 0 and abs(c - 1) > 1e-3 and np.allclose(received, c * expected, 1e-6, 1e-12):
            return c
    return None


def factor_hint(factor):
    """What a constant factor between two gradients usually means."""
    if np.isclose(factor, -1):
        return "the sign is flipped: is it (A2 - y) or (y - A2)?"
    if np.isclose(factor, 2):
        return "the derivative of a square already gives the factor 2 once; do not count it twice."
    if np.isclose(factor, 0.5):
        return "the derivative of (A2 - y)^2 is 2 (A2 - y): the 2 is missing."
    return "a constant factor is off: is it a mean (divide by N*M, the number of elements) or a sum?"


def judge_number(label, fn, cases, hint, own=None):
    """None if `fn` returns each case's expected number, else Feedback saying what differs.

    `cases` holds (inputs, expected, slips), where slips are the usual wrong
    answers: (value, what it means, hint). A function that repeats one
    case's number for another case ignores its arguments; one that gives a
    whole number where the answer has a fraction dropped it. `own`: nnlib's
    functions that do what `fn` should (see `feedback.call`).
    """
    passed = None
    for inputs, expected, slips in cases:
        value, problem = call(f"your {label}", fn, inputs, own=own, formula=hint)
        number, problem = (None, problem) if problem else as_number(f"what your {label} returned", value)
        if problem:
            return problem
        if right(number, expected):
            passed = number
            continue
        if coarse(number) and matches(number, expected):
            return too_coarse(f"what your {label} returned")
        arguments = " and ".join(inputs)
        if passed is not None and matches(number, passed):
            return not_yet(f"your {label} gives {float(number):.6g} for other {arguments} too.",
                           f"compute it from the arguments {arguments}, not from the notebook's variables.")
        for wrong, mistake, slip_hint in slips:
            if matches(number, wrong):
                return not_yet(mistake.format(float(number)), slip_hint)
        should, got = distinct(expected, float(number))
        if np.isfinite(float(number)) and float(number) == round(float(number)) and expected != round(expected):
            return not_yet(f"your {label} gives the whole number {float(number):g}, where the answer is {should}.",
                           "// (floor division), int() and round() drop the fraction: divide with /.")
        return not_yet(f"expected {should}; received {got}.", hint)
    return None


def judge_array(label, fn, inputs, expected, slips, hint, own=None):
    """None if `fn` returns the array `expected` for `inputs`, else Feedback: a known slip, or what differs."""
    received, problem = call(f"your {label}", fn, inputs, own=own, formula=hint)
    if problem:
        return problem
    for wrong, mistake, slip_hint in slips:
        if same_as(received, wrong):
            return not_yet(mistake, slip_hint)
    return not_an_array(f"what your {label} returned", received) or \
        compare(f"{label}({', '.join(inputs)})", received, expected, hint)


def judge_shape(name, answer, expected_shape, hint):
    """Feedback on a shape: a tuple of whole numbers, or an array whose `.shape` it is."""
    expected = tuple(int(n) for n in expected_shape)
    blank = unanswered(name, answer, "did you assign your answer to it?")
    if blank:
        return blank
    shape = answer.shape if isinstance(answer, np.ndarray) and answer.shape == expected else as_shape(answer)
    if shape is None and isinstance(answer, np.ndarray):
        shape = answer.shape
    if shape is None:
        return not_yet(f"{name} should be a shape like {expected}; received {describe(answer)}.", hint)
    if shape == expected:
        return correct(f"{name} is {expected}.")
    return not_yet(f"{name} should be {expected}; received {shape}.", shape_hint(name, shape, expected, hint))


def as_dict(label, result, keys, hint):
    """Return (the entries `keys` of the dict `result`, as a plain dict, None) or (None, Feedback)."""
    if not isinstance(result, dict):
        return None, not_yet(f"{label} should return a dict; received {describe(result)}.", hint)
    try:
        missing = [key for key in keys if key not in result]
        entries = {key: result[key] for key in keys if key not in missing}
    except Exception as error:  # a dict subclass whose reading raises
        return None, not_yet(f"reading the dict that {label} returned raised {type(error).__name__}: {text(error)}.",
                             "return a plain dict.")
    if missing:
        return None, not_yet(f"the returned dict lacks {', '.join(missing)}.", hint)
    return entries, None
