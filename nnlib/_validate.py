"""Checks on what a caller passes in, with messages that say what was wrong.

Every public function of `nnlib` starts with one call to this module, so a
student who passes the wrong thing reads which argument was wrong and what
it looked like, instead of a NumPy traceback, a RuntimeWarning or a silent
NaN three cells later. The lesson modules then read as their maths.

The first half holds the checks of single values (`matrix`, `targets`,
`positive_int`, `real`, ...); the second half one function per public
function of nnlib (`forward_args`, `train_args`, ...) that runs all of that
function's checks and returns its arguments in the form its maths needs.

Limits: this is a teaching library, so sizes that no lesson needs are
refused with a message rather than left to end in a MemoryError:

    MAX_UNITS       10_000       input_size, each hidden layer's width, output_size,
                                 one_hot's classes
    MAX_HIDDEN_LAYERS  10        hidden layers in one network
    MAX_CLASSES     10           classes of the generated datasets (moons, spirals)
    MAX_EPOCHS      1_000_000    epochs (about 15 s on the seed data)
    MAX_SAMPLES     1_000_000    n_samples of the generated datasets
    MAX_NUMBERS     10_000_000   numbers in one working array (80 MB)
    MAX_MAGNITUDE   1e100        size of any number in X, y or params
    MAX_LEARNING_RATE  1e6       far past the rate where training diverges
    MAX_CHECKED_ENTRIES 10_000   parameter entries in a numerical gradient
                                 (two forward passes each)

With these limits no product or sum inside nnlib overflows (tests/test_bad_input.py
tries the extremes). What nnlib returns, it accepts back: `train` checks
its final weights by the rule of `params=` (`trained_params`), so a result
is always a valid start for the next call.

This module imports nothing of nnlib: what a check needs to know of the
lesson (the table of losses, an activation's range, the default hidden
size) its caller passes in. So every lesson module can import it, and the
course's machinery builds its own checks from the single-value ones here.

Shape letters: N samples, D inputs, H hidden units, M outputs; a network
of L hidden layers has weights W1, b1, ..., W{L+1}, b{L+1} (the last pair
the output layer's).
"""

import decimal
import inspect
import numbers
import operator

import numpy as np

MAX_UNITS = 10_000
MAX_HIDDEN_LAYERS = 10
MAX_CLASSES = 10
MAX_EPOCHS = 1_000_000
MAX_SAMPLES = 1_000_000
MAX_NUMBERS = 10_000_000
MAX_MAGNITUDE = 1e100
MAX_LEARNING_RATE = 1e6
MAX_CHECKED_ENTRIES = 10_000
LARGEST_FLOAT = float(np.finfo(float).max)  # 1.8e308: a range with no end stops here, so inf is refused


# ---------------------------------------------------------------------------
# Single values
# ---------------------------------------------------------------------------

def describe(value):
    """A short description of `value` for an error message: "2.5 (a float)"."""
    if value is np.ma.masked:
        return "masked (numpy.ma.masked, a value hidden by a mask)"
    if isinstance(value, np.ma.MaskedArray):
        return f"a masked array of shape {value.shape} and dtype {value.dtype}"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    kind = type(value).__name__
    return f"{text} ({'an' if kind[0] in 'aeiouAEIOU' else 'a'} {kind})"


def number_text(x):
    """A limit as people write it: 1e6, 1e100, 0.1."""
    return f"{x:g}".replace("e+0", "e").replace("e+", "e")


def where(name, index):
    """`name[i, j]` for an index tuple (or just `name` for a 0-d array)."""
    if not index:
        return name
    return f"{name}[{', '.join(str(int(i)) for i in index)}]"


def masked_entry(value):
    """The index of the first entry a mask hides in `value`, or None if none is hidden.

    Looks inside a masked array (numpy.ma) and inside lists and tuples,
    where NumPy would otherwise drop a masked array's mask without a word.
    """
    if isinstance(value, np.ma.MaskedArray):  # numpy.ma.masked too
        mask = np.ma.getmaskarray(value)
        return first_bad(mask, mask) if mask.any() else None
    if isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            if isinstance(item, (list, tuple, np.ma.MaskedArray)):
                found = masked_entry(item)
                if found is not None:
                    return (i, *found)
    return None


def not_masked(name, value):
    """Raise if a mask hides any entry of `value`: nnlib would use the hidden numbers as data."""
    index = masked_entry(value)
    if index is not None:
        raise TypeError(
            f"{name} has masked entries ({where(name, index)} is masked); nnlib does not use "
            "masks, so it would compute with the numbers hidden under them. Fill them in "
            f"({name}.filled(...)) or leave those samples out before passing {name}"
        )


def own_array(name, value):
    """What an object that is not an ndarray gives as its array (its `__array__`), called once.

    NumPy would call `__array__` itself and keep only plain numbers, so a
    masked array it hands back would lose its mask; called here, its
    answer is checked like any other value. Anything else is returned as it is.
    """
    if isinstance(value, np.ndarray) or not hasattr(type(value), "__array__"):
        return value
    try:
        array = value.__array__()
    except Exception as error:
        raise TypeError(f"{name} must be an array of numbers; turning {describe(value)} into one "
                        f"raised {type(error).__name__}: {error}") from error
    if not isinstance(array, np.ndarray):
        raise TypeError(f"{name} must be an array of numbers; {describe(value)} gave "
                        f"{describe(array)} when asked for its array")
    return array


def float_array(name, value):
    """Return `value` as a new float ndarray of any shape, or raise naming `name`.

    Accepts ints, floats, bools and arrays or nested lists of them (also
    Fractions and Decimals inside lists); an array subclass (np.matrix, a
    masked array with nothing masked) becomes a plain array. Refuses None,
    text, complex numbers, ragged lists, masked entries and objects that
    cannot be turned into an array. NaN and infinity are left for the caller.
    """
    if value is None:
        raise TypeError(f"{name} must be a number or an array of numbers; got None")
    value = own_array(name, value)
    not_masked(name, value)
    try:
        array = np.asarray(value)
    except (ValueError, TypeError) as error:
        if isinstance(value, (list, tuple)):  # ragged nested lists
            raise ValueError(
                f"{name} must be an array of numbers with rows of equal length; got {describe(value)}"
            ) from None
        raise TypeError(f"{name} must be an array of numbers; NumPy cannot read {describe(value)} "
                        f"as one ({error})") from None
    except Exception as error:  # an object's own __array__ or __getitem__ failed
        raise TypeError(f"{name} must be an array of numbers; turning {describe(value)} into one "
                        f"raised {type(error).__name__}: {error}") from error
    if array.dtype.kind == "c":
        raise TypeError(f"{name} must hold real numbers; got complex numbers: {describe(value)}")
    if array.dtype.kind == "O":
        for index, item in np.ndenumerate(array):
            if not isinstance(item, (numbers.Real, decimal.Decimal)):
                raise TypeError(
                    f"{name} must hold numbers; {where(name, index)} is {describe(item)}"
                )
    elif array.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold numbers; got {describe(value)}")
    try:
        with np.errstate(over="ignore"):  # a long double beyond the float range becomes inf
            return np.array(array, dtype=float)  # always a copy: nnlib never changes a caller's array
    except OverflowError:  # an int beyond the float range, inside a list
        raise ValueError(f"{name} holds a number too large for a float (above 1.8e308)") from None


def first_bad(array, bad):
    """The first index where the boolean array `bad` is True."""
    return tuple(int(i) for i in np.argwhere(bad)[0])


def matrix(name, value, low=-MAX_MAGNITUDE, high=MAX_MAGNITUDE, meaning=""):
    """Return `value` as a new 2-D float array with every entry in [low, high].

    Raises TypeError for what is not numbers, ValueError for the wrong
    number of dimensions, an empty array, NaN, infinity or an entry outside
    [low, high]; `meaning` says why the range is what it is.
    """
    array = float_array(name, value)
    if array.ndim != 2:
        raise ValueError(
            f"{name} must be a 2-D array (a list of rows); got shape {array.shape}"
        )
    if array.size == 0:
        raise ValueError(f"{name} must not be empty; got shape {array.shape}")
    outside = ~((array >= low) & (array <= high))  # NaN is outside too
    if outside.any():
        index = first_bad(array, outside)
        if not np.isfinite(array[index]):
            rule = "finite numbers"
        elif meaning:
            rule = meaning
        else:
            rule = f"numbers no larger than {number_text(MAX_MAGNITUDE)} in size"
        raise ValueError(f"{name} must hold {rule}; {where(name, index)} is {float(array[index])!r}")
    return array


def targets(name, value):
    """Targets y (N, M): a 2-D array with every entry from 0 to 1."""
    return matrix(name, value, 0.0, 1.0,
                  meaning="targets from 0 to 1 (the network's outputs can reach nothing else)")


def outputs(name, value, activation):
    """A layer's outputs (N, units): a 2-D array with every entry in the range of `activation`.

    `activation` is an `nnlib.activations.Activation` (its name, low and high
    are read). A range with no end (ReLU's) stops at the largest float, so
    infinity is refused as not finite.
    """
    low, high = activation.low, activation.high
    return matrix(name, value, max(low, -LARGEST_FLOAT), min(high, LARGEST_FLOAT),
                  meaning=f"{activation.name} outputs, from {number_text(low)} to {number_text(high)}")


def rows_sum_to_one(name, array, what):
    """Raise unless every row of the 2-D `array` sums to 1: `what` says why it must.

    Within 1e-5, so that probabilities stored as float32 (7 digits) pass,
    while the outputs of a sigmoid layer, which sum to anything from 0 to
    M, or targets that are not one-hot, do not.
    """
    sums = array.sum(axis=1)  # (N,)
    wrong = ~(np.abs(sums - 1.0) <= 1e-5)
    if wrong.any():
        row = int(np.argmax(wrong))
        raise ValueError(f"{name} must hold {what}, each row summing to 1; row {row} of {name} "
                         f"sums to {float(sums[row])!r}")


def loss_targets(y, loss):
    """Targets y (N, M) that suit `loss` (a `Loss`): for a softmax loss, probability rows over M >= 2 classes."""
    if loss.rows_sum_to_one:
        if y.shape[1] < 2:
            raise ValueError(f"y must have one column per class, at least 2, for loss={loss.name!r} "
                             f"(a softmax over one column is always 1); got shape {y.shape}")
        rows_sum_to_one("y", y, f"one-hot targets (or probabilities over the classes) for loss={loss.name!r}")
    return y


def same_shape(A2, y):
    """Raise unless the outputs A2 and targets y have one shape."""
    if A2.shape != y.shape:
        raise ValueError(f"A2 and y must have the same shape; got A2 {A2.shape} and y {y.shape}")


def whole_number(name, value):
    """`value` as a plain int if it is a whole number (not a bool), else a TypeError naming `name`.

    Converted before any comparison, so a subclass of int that answers
    comparisons in its own way is judged by its value.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a whole number; got {describe(value)}")
    return operator.index(value)


def positive_int(name, value, limit):
    """Return `value` as an int if it is a whole number from 1 to `limit`."""
    value = whole_number(name, value)
    if value < 1:
        raise ValueError(f"{name} must be at least 1; got {value}")
    if value > limit:
        raise ValueError(f"{name} must be at most {limit:_} in this course; got {value:_}")
    return value


def enough_memory(what, count):
    """Raise if an array of `count` numbers would be larger than MAX_NUMBERS."""
    if count > MAX_NUMBERS:
        raise ValueError(
            f"{what} would need {count:_} numbers in one array ({count * 8 / 1e9:.3g} GB); "
            f"this course allows at most {MAX_NUMBERS:_} (80 MB)"
        )


def seed(value):
    """Return the seed as an int if it is a whole number from 0 to 2**32 - 1."""
    value = whole_number("seed", value)
    if not 0 <= value < 2**32:
        raise ValueError(f"seed must be between 0 and 2**32 - 1; got {value}")
    return value


def real(name, value, low, high, low_allowed=True):
    """Return `value` as a float if it is a real number in [low, high].

    Accepts int, float, Fraction, Decimal, NumPy scalars and 0-d arrays;
    with `low_allowed=False` the interval is (low, high]. Refuses bools,
    complex numbers, text, NaN and infinity with a message naming `name`.
    """
    not_masked(name, value)  # numpy.ma.masked would read as 0.0
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf":
        value = value.item()
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Real, decimal.Decimal)):
        raise TypeError(f"{name} must be a number; got {describe(value)}")
    above = "above" if not low_allowed else "at least"
    rule = f"{name} must be a finite number {above} {number_text(low)} and at most {number_text(high)}"
    try:
        number = float(value)
    except OverflowError:  # an int or Fraction beyond the float range
        raise ValueError(f"{rule}; got a number with {len(str(int(value)))} digits") from None
    except ValueError:  # Decimal("sNaN")
        raise ValueError(f"{rule}; got {value}") from None
    if not (low < number <= high or (low_allowed and number == low)):
        raise ValueError(f"{rule}; got {value}")
    return number


def learning_rate(value):
    """Return the learning rate as a float if it is above 0 and at most 1e6."""
    return real("learning_rate", value, 0.0, MAX_LEARNING_RATE, low_allowed=False)


def choice(name, value, options):
    """Return `options[value]` if `value` is one of the names in the dict `options`, else a ValueError.

    The message names the argument and lists the names: "loss must be one of {'mse', 'bce'}; got 'l2'".
    """
    if not isinstance(value, str) or value not in options:
        names = ", ".join(repr(option) for option in options)
        raise ValueError(f"{name} must be one of {{{names}}}; got {value!r}")
    return options[value]


def param_names(layers):
    """The keys of a network of `layers` weight layers: ("W1", "b1", ..., f"W{layers}", f"b{layers}")."""
    return tuple(f"{kind}{l}" for l in range(1, layers + 1) for kind in "Wb")


def names_text(names):
    """'W1, b1, W2 and b2': names as a sentence lists them."""
    return ", ".join(names[:-1]) + " and " + names[-1]


def layer_count(value):
    """How many weight layers the keys of the dict `value` describe.

    The layers run up to the last l that has both W{l} and b{l}; at least
    2 (one hidden layer and the output layer). A W3 without its b3 is then
    an extra key, not a missing b3.
    """
    numbered = {}  # l -> the letters found for it, "W" and/or "b"
    for key in value:
        if isinstance(key, str) and len(key) > 1 and key[0] in "Wb" and key[1:].isdigit() and key[1] != "0":
            numbered.setdefault(int(key[1:]), set()).add(key[0])
    return max([2] + [l for l, kinds in numbered.items() if kinds == {"W", "b"}])


def named(name, value, options, default):
    """`default` when `value` is None, else the entry of `options` that `value` names (see `choice`)."""
    return default if value is None else choice(name, value, options)


def layer_widths(value, name="hidden_size"):
    """The hidden layers' widths as a tuple: (H,) for a whole number H, one per entry for a list.

    Each width from 1 to MAX_UNITS, and from 1 to MAX_HIDDEN_LAYERS of them.
    """
    if isinstance(value, (list, tuple)) or (isinstance(value, np.ndarray) and value.ndim == 1):
        if len(value) == 0:
            raise ValueError(f"{name} must hold at least one hidden layer's width; got {describe(value)}")
        if len(value) > MAX_HIDDEN_LAYERS:
            raise ValueError(f"{name} has {len(value)} hidden layers; this course allows at most "
                             f"{MAX_HIDDEN_LAYERS}; got {describe(value)}")
        return tuple(positive_int(f"{name}[{i}]", width, MAX_UNITS) for i, width in enumerate(value))
    try:
        return (positive_int(name, value, MAX_UNITS),)
    except TypeError as error:
        raise TypeError(f"{error}. For several hidden layers give a list of whole numbers, one width "
                        "per layer, such as [8, 8]") from None


def width_names(widths, name="hidden_size"):
    """How messages name each hidden layer's width: 'hidden_size' for one, 'hidden_size[i]' for a list's."""
    return [name] if len(widths) == 1 else [f"{name}[{i}]" for i in range(len(widths))]


def params(value, X=None, y=None):
    """Check that `value` holds W1 (D, H1), b1 (1, H1), ..., W{L+1} (H_L, M), b{L+1} (1, M).

    One hidden layer (W1, b1, W2, b2) up to MAX_HIDDEN_LAYERS; exactly the
    keys of its layers: a missing or an extra key is an error. Each W{l}
    must take the width of the layer before it. When X (N, D) or y (N, M)
    is given, also check that it fits the parameters. Returns a new dict
    of new float arrays, so the caller's are never changed.
    """
    if not isinstance(value, dict):
        raise TypeError(f"params must be a dict with keys W1, b1, W2, b2; got {describe(value)}. "
                        "(A network of more hidden layers adds W3, b3 and so on.)")
    layers = layer_count(value)
    if layers - 1 > MAX_HIDDEN_LAYERS:
        raise ValueError(f"params has W{layers} and b{layers}: {layers - 1} hidden layers; this course "
                         f"allows at most {MAX_HIDDEN_LAYERS}")
    names = param_names(layers)
    missing = [key for key in names if key not in value]
    if missing:
        raise ValueError(f"params is missing {', '.join(missing)}; it needs {names_text(names)}")
    extra = [key for key in value if key not in names]
    if extra:
        halves = [key for key in extra if isinstance(key, str) and key[:1] in ("W", "b") and key[1:].isdigit()]
        alone = [f"{key} without {'b' if key[0] == 'W' else 'W'}{key[1:]}" for key in halves
                 if f"{'b' if key[0] == 'W' else 'W'}{key[1:]}" not in value]  # "b3 without W3"
        hint = f" (each layer needs both its W and its b: {', '.join(alone)})" if alone else (
            " (each layer needs both its W and its b)" if halves else "")
        raise ValueError(
            f"params has keys the network does not have: {', '.join(map(repr, extra))}; "
            f"it must hold exactly {names_text(names)}{hint}"
        )
    checked = {key: matrix(f"params['{key}']", value[key]) for key in names}
    weights = [checked[f"W{l}"] for l in range(1, layers + 1)]
    neighbours = names_text([f"W{l} {W.shape}" for l, W in enumerate(weights, start=1)])
    for l, W in enumerate(weights, start=1):
        before = weights[l - 2].shape[1] if l > 1 else W.shape[0]  # the width of the layer before
        for key, shape in ((f"W{l}", (before, W.shape[1])), (f"b{l}", (1, W.shape[1]))):
            if checked[key].shape != shape:
                raise ValueError(
                    f"params['{key}'] must have shape {shape} to match {neighbours}; got {checked[key].shape}"
                )
    D, M = weights[0].shape[0], weights[-1].shape[1]
    if X is not None and X.shape[1] != D:
        raise ValueError(
            f"X has {X.shape[1]} columns (shape {X.shape}) but params['W1'] "
            f"expects {D} inputs (shape {checked['W1'].shape})"
        )
    if y is not None and y.shape[1] != M:
        raise ValueError(
            f"y has {y.shape[1]} columns (shape {y.shape}) but the network has "
            f"{M} outputs (params['W{layers}'] has shape {checked[f'W{layers}'].shape})"
        )
    return checked


def widths_of(checked):
    """The hidden layers' widths (H1, ..., H_L) of checked params."""
    layers = len(checked) // 2
    return tuple(checked[f"W{l}"].shape[1] for l in range(1, layers))


def trained_params(value, epochs, rate):
    """Check the weights `train` is about to return by the rule `params=` is checked by.

    What `train` returns, `train(params=...)` must accept: training in
    pieces must work wherever one call works. So the final weights go
    through `params` itself, the check of `params=`, and a run whose weights
    grew past MAX_MAGNITUDE is refused here, saying it diverged, instead of
    returning weights that the next call would refuse.
    """
    try:
        return params(value)
    except ValueError as error:
        raise ValueError(
            f"training diverged: after {epochs:_} epochs at learning_rate {rate:g} the weights grew "
            f"past what train accepts back as params= ({error}); "
            "use a smaller learning_rate, or inputs X of a smaller size"
        ) from None


def diverged(epochs, rate, value):
    """The ValueError of a run whose loss stopped being a finite number (`value`) after `epochs` epochs."""
    return ValueError(
        f"training diverged: after {epochs:_} epochs at learning_rate {rate:g} the loss is {value!r}: "
        "the network's numbers grew past the largest float (1.8e308); use a smaller learning_rate, "
        "or inputs X of a smaller size"
    )


def data(X, y):
    """Return X (N, D) and targets y (N, M) as new float arrays, one row per sample."""
    X = matrix("X", X)
    y = targets("y", y)
    if X.shape[0] != y.shape[0]:
        raise ValueError(
            f"X and y must have one row per sample; X has {X.shape[0]} rows "
            f"(shape {X.shape}) but y has {y.shape[0]} (shape {y.shape})"
        )
    return X, y


def arity(name, function, call, *args, **kwargs):
    """Raise a TypeError unless `function` can be called with these arguments.

    `call` shows the call in words for the message: "callback(epoch, loss)".
    """
    if not callable(function):
        raise TypeError(f"{name} must be a function, called as {call}; got {describe(function)}")
    try:
        inspect.signature(function).bind(*args, **kwargs)
    except TypeError as error:
        raise TypeError(
            f"{name} is called as {call}, which {function_name(function)} cannot take: {error}"
        ) from None
    except ValueError:  # some built-in functions have no signature to inspect
        pass


def function_name(function):
    """The name a student gave a function, for messages."""
    return getattr(function, "__name__", None) or type(function).__name__


def takes_keyword(function, keyword):
    """Whether `function` accepts `keyword=` (by name or through **kwargs)."""
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return False
    return any((p.name == keyword and p.kind != p.POSITIONAL_ONLY) or p.kind == p.VAR_KEYWORD
               for p in parameters)


# ---------------------------------------------------------------------------
# One function per public function of nnlib: all of its checks in one call
# ---------------------------------------------------------------------------

def activation_args(z, out):
    """z as a float array (NaN refused); `out`, if given, a float64 array of z's shape."""
    if out is not None:
        if not (type(z) is np.ndarray and type(out) is np.ndarray  # no subclass: a mask would be ignored
                and z.dtype == np.float64 and out.dtype == np.float64 and out.shape == z.shape):
            raise TypeError(
                "with out, z and out must be float64 arrays of one shape; "
                f"got z {describe(z)} and out {describe(out)}"
            )
        return z  # the training loops' fast path: their arrays are their own
    z = float_array("z", z)
    if np.isnan(z).any():
        raise ValueError(f"z must not hold NaN; {where('z', first_bad(z, np.isnan(z)))} is nan")
    return z


def unbounded_args(z, name):
    """z as a float array of finite numbers, for an activation whose outputs have no end (ReLU's).

    Its output of an infinite z would be infinite, which its derivative and
    the next layer refuse: so infinity is refused here, by the activation's `name`.
    """
    z = activation_args(z, None)
    if np.isinf(z).any():
        index = first_bad(z, np.isinf(z))
        raise ValueError(f"z must hold finite numbers for {name} (its output of {float(z[index])!r} would not "
                         f"be finite); {where('z', index)} is {float(z[index])!r}")
    return z


def derivative_args(a, activation):
    """a as a float array of the outputs of `activation` (an `Activation`), each in its range."""
    a = float_array("a", a)
    name, low, high = activation.name, activation.low, activation.high
    outside = ~((a >= max(low, -LARGEST_FLOAT)) & (a <= min(high, LARGEST_FLOAT)))  # NaN and inf are outside too
    if outside.any():
        index = first_bad(a, outside)
        raise ValueError(
            f"a must be the {name}'s output a = {name}(z), from {number_text(low)} to {number_text(high)} "
            f"(pass a, not z); {where('a', index)} is {float(a[index])!r}"
        )
    return a


def finite_z(z):
    """z as a float array of rows (at least 1-D, not empty) of finite numbers, for the softmax."""
    z = float_array("z", z)
    if z.ndim == 0 or z.size == 0:
        raise ValueError(f"z must be a non-empty row of numbers, or an array of rows; got shape {z.shape}")
    if not np.isfinite(z).all():
        index = first_bad(z, ~np.isfinite(z))
        raise ValueError(f"z must hold finite numbers; {where('z', index)} is {float(z[index])!r}")
    return z


def one_hot_args(labels, classes):
    """Labels as a 1-D int array, each a whole number from 0 to classes - 1."""
    classes = positive_int("classes", classes, MAX_UNITS)
    array = float_array("labels", labels)
    if array.ndim != 1 or array.size == 0:
        raise ValueError(
            f"labels must be a non-empty 1-D list of class numbers; got shape {array.shape}"
        )
    wrong = ~((array >= 0) & (array < classes) & (array == np.round(array)))
    if wrong.any():
        index = first_bad(array, wrong)
        raise ValueError(
            f"labels must be whole numbers from 0 to {classes - 1} (classes={classes}); "
            f"{where('labels', index)} is {float(array[index])!r}"
        )
    enough_memory(f"one_hot of {array.size} labels in {classes} classes", array.size * classes)
    return array.astype(int), classes


def dataset_args(n_samples, noise, seed_value, turns=1.0, classes=2):
    """n_samples, noise (0 to 10), seed, turns (above 0, at most 100) and classes (2 to MAX_CLASSES) of a dataset."""
    classes = whole_number("classes", classes)
    if not 2 <= classes <= MAX_CLASSES:
        raise ValueError(f"classes must be from 2 to {MAX_CLASSES} in this course; got {classes}")
    return (positive_int("n_samples", n_samples, MAX_SAMPLES),
            real("noise", noise, 0.0, 10.0),
            seed(seed_value),
            real("turns", turns, 0.0, 100.0, low_allowed=False),
            classes)


def split_args(X, y, test_fraction, seed_value):
    """X (N, D), y (N, M), a test fraction from 0 that leaves a sample for training, the seed."""
    X, y = data(X, y)
    fraction = real("test_fraction", test_fraction, 0.0, 1.0)
    if round(fraction * len(X)) >= len(X):
        raise ValueError(f"test_fraction {fraction:g} of {len(X)} samples leaves none for training; "
                         f"it must be below {(len(X) - 0.5) / len(X):g}")
    return X, y, fraction, seed(seed_value)


def init_params_args(input_size, hidden_size, output_size, seed_value, init_name, inits, activation):
    """D, the hidden widths (H1, ...), M (each at most MAX_UNITS, each W within MAX_NUMBERS), the seed
    and the initialisation: `inits[init_name]`, or when `init_name` is None the tutorial's 'uniform'
    for one hidden layer and `activation.init` (an `Activation`'s) for more.
    """
    D = positive_int("input_size", input_size, MAX_UNITS)
    widths = layer_widths(hidden_size)
    M = positive_int("output_size", output_size, MAX_UNITS)
    sizes = [("input_size", D)] + list(zip(width_names(widths), widths)) + [("output_size", M)]
    for l in range(1, len(sizes)):
        (before, n_before), (after, n_after) = sizes[l - 1], sizes[l]
        enough_memory(f"W{l} with {before} {n_before} and {after} {n_after}", n_before * n_after)
    default = "uniform" if len(widths) == 1 else activation.init
    return D, widths, M, seed(seed_value), choice("init", default if init_name is None else init_name, inits)


def activation_arg(activation_name, activations, default):
    """The hidden layers' `Activation`: `activations[activation_name]`, or `default` for None."""
    return named("activation", activation_name, activations, default)


def forward_args(params_value, X, activation_name, activations, default_activation, output_name, outputs_,
                 default_output):
    """Checked params, X (N, D) that fits them, and the hidden layers' and the output layer's `Activation`."""
    hidden = activation_arg(activation_name, activations, default_activation)
    output = named("output", output_name, outputs_, default_output)
    X = matrix("X", X)
    checked = params(params_value, X=X)
    widths = widths_of(checked)
    for l, H in enumerate(widths, start=1):
        layer = "the hidden layer" if len(widths) == 1 else f"hidden layer {l}"
        enough_memory(f"{layer} for {X.shape[0]} samples and {H} hidden units", X.shape[0] * H)
    return checked, X, hidden, output


def cache_keys(layers):
    """The keys of the cache of a network of `layers` weight layers: X, Z1, A1, ..., Z{layers}, A{layers}."""
    return ("X",) + tuple(f"{kind}{l}" for l in range(1, layers + 1) for kind in "ZA")


def backward_args(params_value, cache, y, loss_name, losses, activation_name, activations, default_activation):
    """Checked params, the cache's X, A1, ..., A{L+1} (a list, A[0] = X), targets y, the `Loss` and the hidden `Activation`.

    Each hidden layer's A must lie in the range of the hidden activation,
    the last in that of the loss's output layer (for the softmax: rows that
    sum to 1, which a sigmoid forward pass would not give).
    """
    loss_rule = choice("loss", loss_name, losses)
    hidden = activation_arg(activation_name, activations, default_activation)
    if not isinstance(cache, dict) or "X" not in cache:
        raise TypeError(
            "cache must be the dict that forward(params, X) returns, with keys "
            f"X, Z1, A1, Z2, A2; got {describe(cache)}"
        )
    X = matrix("cache['X']", cache["X"])
    y = targets("y", y)
    checked = params(params_value, X=X, y=y)
    layers = len(checked) // 2
    if not all(f"A{l}" in cache for l in range(1, layers + 1)):
        raise TypeError(
            "cache must be the dict that forward(params, X) returns, with keys "
            f"{', '.join(cache_keys(layers))}; got a dict with keys {', '.join(map(str, cache))}"
        )
    try:
        A = [X] + [outputs(f"cache['A{l}']", cache[f"A{l}"], hidden) for l in range(1, layers)]
    except ValueError as error:
        raise ValueError(f"{error}: with activation={hidden.name!r} (the sigmoid when not given), pass the "
                         f"cache of forward(params, X, activation={hidden.name!r})") from None
    A.append(outputs(f"cache['A{layers}']", cache[f"A{layers}"], loss_rule.output))
    N = X.shape[0]
    expected = {"y": (y, (N, y.shape[1]))}
    expected.update({f"cache['A{l}']": (A[l], (N, checked[f"W{l}"].shape[1])) for l in range(1, layers + 1)})
    for name, (array, shape) in expected.items():
        if array.shape != shape:
            raise ValueError(
                f"{name} has shape {array.shape} where {shape} was expected from cache['X'] "
                f"{X.shape} and the params; pass the cache that forward(params, X) returned"
            )
    loss_targets(y, loss_rule)
    if loss_rule.rows_sum_to_one:
        rows_sum_to_one(f"cache['A{layers}']", A[-1],
                        f"{loss_rule.output.name} outputs for loss={loss_rule.name!r} (forward(params, X, "
                        f"output={loss_rule.output.name!r}) gives them)")
    return checked, A, y, loss_rule, hidden


def loss_args(A2, y):
    """Outputs A2 (any finite numbers) and targets y (from 0 to 1) of one shape."""
    A2 = matrix("A2", A2)
    y = targets("y", y)
    same_shape(A2, y)
    return A2, y


def cross_entropy_args(A2, y, output, loss=None):
    """Outputs A2 of the `output` activation and targets y of one shape, both from 0 to 1 (the logarithms need it).

    For a `loss` whose rows sum to one (the categorical cross-entropy's), the
    rows of A2 too must sum to 1, as softmax outputs do (sigmoid outputs need
    not), and y must suit the loss (see `loss_targets`).
    """
    A2 = outputs("A2", A2, output)
    y = targets("y", y)
    same_shape(A2, y)
    if loss is not None and loss.rows_sum_to_one:
        loss_targets(y, loss)
        rows_sum_to_one("A2", A2, f"{output.name} outputs for loss={loss.name!r} (forward(params, X, "
                                  f"output={output.name!r}) gives them)")
    return A2, y


def train_args(X, y, hidden_size, learning_rate_value, epochs, seed_value, loss_name, callback, params_value,
               losses, default_hidden_size, activation_name, activations, default_activation, init_name, inits):
    """Every argument of `train`, checked; returns X, y, widths, rate, epochs, seed, Loss, Activation, init, start.

    `start` is a checked copy of `params_value` that fits X and y, or None
    when training starts from `init_params`. The loss is looked up in
    `losses`, the activation in `activations` (`default_activation` for
    None); the hidden layers' widths (H1, ...) are `default_hidden_size`
    when neither `hidden_size` nor the params say. `init` is the name of
    the initialisation, None for the default (see `init_params_args`).
    """
    X, y = data(X, y)
    start = None if params_value is None else params(params_value, X=X, y=y)
    widths = hidden_units(hidden_size, start, default_hidden_size)
    rate = learning_rate(learning_rate_value)
    epochs = positive_int("epochs", epochs, MAX_EPOCHS)
    loss_rule = choice("loss", loss_name, losses)
    loss_targets(y, loss_rule)
    hidden = activation_arg(activation_name, activations, default_activation)
    if init_name is not None:
        choice("init", init_name, inits)
    if callback is not None:
        arity("callback", callback, "callback(epoch, loss)", 0, 0.0)
    for l, H in enumerate(widths, start=1):
        layer = f"{H} hidden units" if len(widths) == 1 else f"hidden layer {l} of {H} units"
        enough_memory(f"training {layer} on {X.shape[0]} samples", X.shape[0] * (H + 1))
    return X, y, widths, rate, epochs, seed(seed_value), loss_rule, hidden, init_name, start


def hidden_units(hidden_size, start, default):
    """The hidden layers' widths (H1, ...): from `hidden_size` (`default` if None), or those of the starting params.

    With starting params, a `hidden_size` that is given must equal their widths.
    """
    if start is None:
        return layer_widths(default if hidden_size is None else hidden_size)
    widths = widths_of(start)
    if hidden_size is None:
        return widths
    given = layer_widths(hidden_size)
    if given != widths:
        if len(given) == len(widths) == 1:
            raise ValueError(
                f"hidden_size is {hidden_size} but params has {widths[0]} hidden units "
                f"(params['W1'] has shape {start['W1'].shape}); leave hidden_size out "
                "to take it from params"
            )
        shapes = ", ".join(f"W{l} {start[f'W{l}'].shape}" for l in range(1, len(widths) + 2))
        raise ValueError(
            f"hidden_size is {hidden_size} but params has hidden layers of {list(widths)} units ({shapes}); "
            "leave hidden_size out to take it from params"
        )
    return widths


def wants_to_stop(callback, answer):
    """True if a callback's answer means stop, False for go on; else a TypeError.

    The contract: True stops; None (no return statement) or False goes on.
    """
    if answer is None:
        return False
    if isinstance(answer, (bool, np.bool_)):
        return bool(answer)
    raise TypeError(
        f"callback {function_name(callback)} must return True (stop) or None/False (go on); "
        f"it returned {describe(answer)}"
    )


def gradient_args(params_value, X, y, loss_name, h, losses, activation_name, activations, default_activation):
    """Checked copies of params, X and y, the `Loss` named `loss_name` in `losses`, the step h (1e-10 to 0.1)
    and the hidden layers' `Activation`."""
    loss_rule = choice("loss", loss_name, losses)
    hidden = activation_arg(activation_name, activations, default_activation)
    X, y = data(X, y)
    checked = params(params_value, X=X, y=y)
    loss_targets(y, loss_rule)
    entries = sum(value.size for value in checked.values())
    if entries > MAX_CHECKED_ENTRIES:
        raise ValueError(
            f"params has {entries:_} entries; finite differences take two forward passes per entry, "
            f"so gradient checks in this course take at most {MAX_CHECKED_ENTRIES:_}: use a smaller network"
        )
    return checked, X, y, loss_rule, real("h", h, 1e-10, 0.1), hidden


def gradient_check_args(params_value, X, y, loss_name, backward, losses, activation_name, activations,
                        default_activation):
    """Checked copies of params, X and y, and whether `backward` takes `loss=` and `activation=`.

    `activation=` is passed on only when it was given (not None): a
    backward pass of the student's own is called as the notebooks call it.
    """
    checked, X, y, _, _, _ = gradient_args(params_value, X, y, loss_name, 1e-5, losses,
                                           activation_name, activations, default_activation)
    takes_loss = callable(backward) and takes_keyword(backward, "loss")
    keywords = {"loss": loss_name} if takes_loss else {}
    if activation_name is not None and callable(backward) and takes_keyword(backward, "activation"):
        keywords["activation"] = activation_name
    shown = "".join(f", {key}={key}" for key in keywords)
    arity("backward", backward, f"backward(params, cache, y{shown})", {}, {}, None, **keywords)
    return checked, X, y, keywords


def gradients(backward, result, checked_params):
    """Check what a backward pass returned: dW1, db1, ... of the parameters' shapes."""
    name = f"backward ({function_name(backward)})"
    wanted = ["d" + key for key in checked_params]
    if not isinstance(result, dict):
        raise TypeError(
            f"{name} must return a dict with {', '.join(wanted)}; it returned {describe(result)}"
        )
    missing = [key for key in wanted if key not in result]
    if missing:
        raise ValueError(
            f"{name} returned a dict without {', '.join(missing)}; it needs {', '.join(wanted)}"
        )
    grads = {}
    for key in checked_params:
        grad = matrix(f"{name}'s d{key}", result["d" + key])
        if grad.shape != checked_params[key].shape:
            raise ValueError(
                f"{name} returned d{key} of shape {grad.shape}; "
                f"the parameter {key} has shape {checked_params[key].shape}"
            )
        grads["d" + key] = grad
    return grads


def relative_error_args(a, b):
    """a and b as float arrays of one shape, holding finite numbers."""
    arrays = []
    for name, value in (("a", a), ("b", b)):
        array = float_array(name, value)
        if not np.isfinite(array).all():
            index = first_bad(array, ~np.isfinite(array))
            raise ValueError(
                f"{name} must hold finite numbers; {where(name, index)} is {float(array[index])!r}"
            )
        arrays.append(array)
    if arrays[0].shape != arrays[1].shape:
        raise ValueError(
            f"a and b must have the same shape; got a {arrays[0].shape} and b {arrays[1].shape}"
        )
    return arrays
