"""Judging an answer: turn it into numbers, then compare them with the right ones.

`as_array` accepts what NumPy reads as booleans, integers or floats (lists,
1-element arrays, float32) and answers "Not yet" for the rest (text, complex
numbers, ragged lists, numbers too large for a float, objects that raise
when read). `compare` judges with a tolerance suited to the answer's dtype,
says where the answer differs with enough digits to see it, and recognises
wrong shapes and constant factors.
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


def as_number(label, value):
    """Return (a 0-d array, None) or (None, Feedback): `value` as one number.

    A 1-element array or list, such as what `np.mean(..., keepdims=True)` gives, is one number.
    """
    array, problem = as_array(label, value)
    if problem:
        return None, problem
    if array.size != 1:
        return None, not_yet(f"{label} should be one number; received {describe(value)}.",
                             "reduce to one number: np.mean(...) or np.sum(...) with no axis.")
    return array.reshape(()), None


def whole_number(label, value, low, high, hint):
    """Return (int, None) or (None, Feedback) if `value` is not a whole number from `low` to `high`."""
    number, problem = as_number(label, value)
    if problem:
        return None, problem
    number = float(number)
    if isinstance(value, (bool, np.bool_)) or not np.isfinite(number) or number != round(number):
        return None, not_yet(f"{label} should be a whole number; received {describe(value)}.", hint)
    if not low <= number <= high:
        return None, not_yet(f"{label} should be between {low} and {high}; received {describe(value)}.", hint)
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
    """Relative tolerance for an answer of this dtype: looser for float32 and float16."""
    return {2: 4e-3, 4: 1e-5}.get(dtype.itemsize, 1e-7) if dtype.kind == "f" else 1e-7


def matches(array, expected, rtol=None):
    """Whether numbers `array` equal `expected` within the tolerance of their dtype.

    An element may differ by rtol times (its expected size + the largest
    expected size): float32 rounding grows with the numbers it works on.
    """
    expected = np.asarray(expected, dtype=float)
    if array.shape != expected.shape:
        return False
    rtol = max(rtol or 0, tolerance(array.dtype))
    with np.errstate(all="ignore"):
        received = array.astype(float)
        scale = np.max(np.abs(expected)) if expected.size else 0.0
        return bool(np.all(np.abs(received - expected) <= rtol * (np.abs(expected) + scale) + 1e-12))


def same_as(value, expected):
    """Whether `value`, whatever it is, holds the numbers `expected`: recognises a known mistake."""
    array, problem = as_array("the answer", value)
    return problem is None and matches(array, expected)


def compare(label, value, expected, hint, rtol=None, factors=False):
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
    if matches(array, expected, rtol):
        return None
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


def judge_number(label, fn, cases, hint):
    """None if `fn` returns each case's expected number, else Feedback saying what differs.

    `cases` holds (inputs, expected, slips), where slips are the usual wrong
    answers: (value, what it means, hint). A function that repeats one
    case's number for another case ignores its arguments.
    """
    passed = None
    for inputs, expected, slips in cases:
        value, problem = call(f"your {label}", fn, inputs)
        number, problem = (None, problem) if problem else as_number(f"what your {label} returned", value)
        if problem:
            return problem
        if matches(number, expected):
            passed = number
            continue
        arguments = " and ".join(inputs)
        if passed is not None and matches(number, passed):
            return not_yet(f"your {label} gives {float(number):.6g} for other {arguments} too.",
                           f"compute it from the arguments {arguments}, not from the notebook's variables.")
        for wrong, mistake, slip_hint in slips:
            if matches(number, wrong):
                return not_yet(mistake.format(float(number)), slip_hint)
        should, got = distinct(expected, float(number))
        return not_yet(f"expected {should}; received {got}.", hint)
    return None


def judge_array(label, fn, inputs, expected, slips, hint):
    """None if `fn` returns the array `expected` for `inputs`, else Feedback: a known slip, or what differs."""
    received, problem = call(f"your {label}", fn, inputs)
    if problem:
        return problem
    for wrong, mistake, slip_hint in slips:
        if same_as(received, wrong):
            return not_yet(mistake, slip_hint)
    return compare(f"{label}({', '.join(inputs)})", received, expected, hint)


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
