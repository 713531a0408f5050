"""A student's exception in words: what NumPy's message means, and on which line.

NumPy's messages are written for NumPy's developers ("matmul: Input operand 1
has a mismatch in its core dimension 0, with gufunc signature ..."). Each one
a student typically meets is put here as the rule it states, with the sizes
it names, and a hint on what to print; so is a def line with the wrong
arguments. Other errors keep their own message.
"""

import re
import traceback
from pathlib import Path

import numpy as np

NUMPY = str(Path(np.__file__).parent) + "/"
NNLIB = str(Path(__file__).parent.parent) + "/"  # the lesson modules and this machinery
MATMUL = ("print the shapes of the two operands on that line: (N, D) @ (D, H) gives (N, H), so the inner sizes "
          "must agree; swap the operands or drop a stray .T.")

# (NumPy's message, what it means, where to look); {0}, {1}... are the sizes and shapes the message names.
NUMPY_ERRORS = (
    (r"core dimension \d.*\(size (\d+) is different from (\d+)\)",
     "a matrix product A @ B needs as many rows in B as columns in A; here B has {0} rows and A has {1} columns.",
     MATMUL),
    (r"shapes \(([\d, ]*)\) and \(([\d, ]*)\) not aligned",
     "np.dot(A, B) needs as many rows in B as columns in A; here A has shape {0} and B has shape {1}.", MATMUL),
    (r"matmul: Input operand \d does not have enough dimensions",
     "a matrix product A @ B got a single number where it needs an array.",
     "print the two operands on that line; to multiply by a number, use *."),
    (r"broadcast together with shapes \(([\d, ]*)\) \(([\d, ]*)\)",
     "an element-wise operation (+, -, *, /) got arrays of shapes {0} and {1}; their shapes must be equal, "
     "or 1 where they differ.", "print the shape of each array on that line: which one is not the shape its "
                                "formula gives?"),
    (r"non-broadcastable output operand with shape \(([\d, ]*)\) doesn't match the broadcast shape \(([\d, ]*)\)",
     "an in-place operation (+=, -=, *=) cannot turn the array on its left from shape {0} into shape {1}.",
     "write the result to a new array: C = A + B, and check why the shapes differ."),
    (r"axis (-?\d+) is out of bounds for array of dimension (\d+)",
     "axis={0} does not exist in an array with {1} dimension(s).",
     "axis=0 runs over the rows (samples), axis=1 over the columns; print the array's shape."),
    (r"index (-?\d+) is out of bounds for axis (\d+) with size (\d+)",
     "index {0} does not exist along axis {1}, which has {2} entries (numbered from 0).",
     "print the array's shape; its entries are numbered 0 to size - 1."),
    (r"only (?:0-dimensional|length-1|size-1) arrays can be converted to Python scalars",
     "a function made for one number (such as math.exp, float or int) was given a whole array.",
     "use NumPy's functions, which work element by element: np.exp, np.log, np.sqrt."),
    (r"truth value of an array with more than one element is ambiguous",
     "an if, and, or or not was given a whole array of True and False.",
     "decide element by element with np.where(condition, a, b) or & and |; .any() or .all() give one answer."),
    (r"along dimension (\d+), the array at index \d+ has size (\d+) and the array at index \d+ has size (\d+)",
     "arrays put side by side or on top of each other must agree along dimension {0}; here {1} and {2}.",
     "print the shapes of the arrays you stack."),
    (r"cannot reshape array of size (\d+) into shape \(([\d, ]*)\)",
     "reshape cannot make shape {1} out of {0} numbers.",
     "the sizes of the new shape must multiply to the number of elements."),
    (r"Cannot cast ufunc '\w+' output from dtype\('float\d*'\) to dtype\('u?int\d*'\)",
     "an in-place operation (-=, *=, /=) on an array of whole numbers cannot hold the fractions it makes.",
     "make a float array first (A = A.astype(float)), or write A = A - B."),
    (r"takes (\d+) positional arguments? but (\d+) (?:was|were) given|missing \d+ required positional argument",
     "the function's def line does not take the arguments the check passes.",
     "define it with exactly the arguments the exercise names, in that order."),
    (r"inhomogeneous|setting an array element with a sequence",
     "NumPy was given rows of different lengths.", "print each row's length, or build the array from arrays."),
)


def text(value, limit=160):
    """str(value) on one line, at most `limit` characters, whatever the value does."""
    try:
        words = " ".join(str(value).split())
    except Exception:  # str() of a student's object can raise anything
        words = f"a {type(value).__name__} that cannot be printed"
    return words if len(words) <= limit else words[: limit - 3] + "..."


def in_words(doing, error):
    """(problem, hint) for an error raised while `doing` ("calling your forward"): its meaning and line."""
    line = student_line(error)
    where = f" on the line `{text(line, 90)}`" if line else ""
    message = text(error, 400)
    for pattern, meaning, hint in NUMPY_ERRORS:
        found = re.search(pattern, message)
        if found:
            sizes = [str(tuple(int(n) for n in group.split(",") if n.strip())) if "," in group else group
                     for group in found.groups()]
            return f"{doing} raised {type(error).__name__}{where}: {meaning.format(*sizes)}", hint
    hint = ("read that line: which value is not what you expected there?" if line else
            "run your function on a small example in a cell of its own to see where it fails.")
    return f"{doing} raised {type(error).__name__}{where}: {text(error) or '(no message)'}", hint


def student_line(error):
    """The source line of the last frame of the error outside NumPy and nnlib, or ""."""
    try:
        frames = traceback.extract_tb(error.__traceback__)
        theirs = [frame for frame in frames if not frame.filename.startswith((NUMPY, NNLIB))]
        return theirs[-1].line if theirs else ""
    except Exception:  # a traceback that cannot be read: say nothing about the line
        return ""
