"""The map `check_backward` shows beside its feedback: where a backward pass's gradients go wrong.

`gradient_map_errors` compares whatever a student's backward returned with
finite differences, entry by entry; `gradient_map_png` draws that comparison
(`nnlib.course.plots.plot_gradient_errors`) as a PNG; `show_gradient_map` shows it in a
notebook as a described figure (`nnlib.course.plots.figure_html`: the picture with alt
text and a caption that say, for each parameter, how many entries are wrong
and how large the largest error is), so that a student who cannot see the
picture reads what it shows. Outside IPython it shows nothing.
"""

import io
import sys

import numpy as np

from ...gradcheck import PASS_LINE, GradientComparison, numerical_gradient, relative_error_per_entry
from .answers import as_array
from .errors import text

__all__ = ["gradient_map_errors", "gradient_map_png", "show_gradient_map"]


def gradient_map_errors(answer, params, X, y, loss="mse"):
    """Compare whatever a backward pass returned with finite differences, entry by entry.

    Parameters
    ----------
    answer : anything
        What the student's backward returned: `...` for no answer yet, None
        for nothing to compare (it raised, or returned None).
    params : dict
        W1 (D, H), b1 (1, H), W2 (H, M), b2 (1, M), where the gradient is taken.
    X : (N, D) ndarray
    y : (N, M) ndarray
    loss : {'mse', 'bce'}, optional

    Returns
    -------
    (dict, dict)
        A `GradientComparison` for each of W1, b1, W2 and b2, NaN where the
        answer has no gradient to compare (drawn grey); and panel titles for
        the parameters without one ("W1: missing"), by name. An entry that
        is NaN, infinite or beyond 1e100 counts as wholly wrong (error 1).
    """
    numerical = numerical_gradient(params, X, y, loss)  # dict of dW1, db1, dW2, db2
    errors, titles = {}, {}
    for name in params:
        expected = numerical["d" + name]  # the parameter's shape
        analytic, relative = np.full(expected.shape, np.nan), np.full(expected.shape, np.nan)
        array, why = _map_entry(answer, "d" + name, expected.shape)
        if array is None:
            titles[name] = f"{name}: {why}"
        else:
            with np.errstate(all="ignore"):
                usable = np.isfinite(array) & (np.abs(array) <= 1e100)  # same shape as the parameter
            analytic[usable] = array[usable]
            relative = np.where(usable, relative_error_per_entry(np.where(usable, array, 0.0), expected), 1.0)
        errors[name] = GradientComparison(analytic, expected, relative)
    return errors, titles


def _map_entry(answer, key, shape):
    """(the answer's gradient `key` as a float array of `shape`, None) or (None, why there is none)."""
    if answer is Ellipsis:
        return None, "no answer yet"
    if answer is None:
        return None, "nothing to compare"
    if not isinstance(answer, dict):
        return None, "no dict returned"
    try:
        if key not in answer:
            return None, f"no {key}"
        value = answer[key]
    except Exception:  # a dict subclass whose reading raises
        return None, f"{key} unreadable"
    array, problem = as_array(key, value)
    if problem:
        return None, f"{key} is not numbers"
    if array.shape != shape:
        return None, f"{key} has shape {array.shape}"
    with np.errstate(all="ignore"):
        return array.astype(float), None


def gradient_map_png(errors, titles, title):
    """The map of `gradient_map_errors` as PNG bytes, drawn without pyplot (whatever MPLBACKEND says).

    Parameters
    ----------
    errors, titles : dict
        What `gradient_map_errors` returned.
    title : str
        The figure's title.

    Returns
    -------
    bytes
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from ..plots import plot_gradient_errors  # matplotlib is needed only here

    from PIL import Image  # Pillow, which matplotlib itself needs

    fig = Figure(dpi=80)  # not known to pyplot: nothing stays open
    FigureCanvasAgg(fig)
    plot_gradient_errors(fig, errors, ratios=True, title=title, titles=titles)
    drawn, small = io.BytesIO(), io.BytesIO()
    fig.savefig(drawn, format="png")
    with Image.open(drawn) as image:  # 256 colours are plenty for this map and make it 3 times smaller
        image.convert("RGB").quantize(256).save(small, format="png", optimize=True)
    return small.getvalue()


def show_gradient_map(answer, params, X, y, loss, whose="your backward"):
    """In a notebook, show the map of a backward pass's errors as one output; elsewhere nothing.

    `whose` names the backward pass in the title: "your backward", or
    "nnlib.original.backward" for a demonstration of nnlib's own.
    """
    show = _displayer()
    if show is None:
        return
    (N, D), (H, M) = X.shape, params["W2"].shape
    size = f"N={N}, D={D}, H={H}, M={M}"
    subject = whose[:1].upper() + whose[1:] if whose.startswith("your") else whose
    if answer is Ellipsis:
        title = f"No answer yet: this map will show where {whose}'s gradients are wrong"
    elif answer is None:
        title = f"{subject} gave no gradients to compare ({size}): see the message below"
    else:
        title = f"{subject} against finite differences ({size}): bright entries are wrong"
    try:
        from ..plots import figure_html  # matplotlib is needed only here

        errors, titles = gradient_map_errors(answer, params, X, y, loss)
        png = gradient_map_png(errors, titles, title)
    except Exception as error:  # the map is extra: a picture that cannot be drawn must not cost the feedback
        show({"text/plain": f"[map] could not be drawn ({type(error).__name__}: {text(error)})"}, raw=True)
        return
    panels = " | ".join(titles.get(name) or _panel_title(name, errors[name]) for name in errors)
    show({"text/html": figure_html(png, _alt_text(title, errors, titles)), "text/plain": f"[map] {title}: {panels}"},
         raw=True)


def _alt_text(title, errors, titles):
    """What the map shows, in words, for a student who cannot see it (the picture's alt text and caption)."""
    from ..plots import gradient_errors_sentence  # matplotlib is needed only here

    digits, power = f"{PASS_LINE:.0e}".split("e")  # 1e-07 -> 1e-7, as the notebooks write it
    parts = [f"{titles[name]}." if name in titles else gradient_errors_sentence({name: errors[name]}, PASS_LINE)
             for name in errors]
    return (f"{title}. One panel per parameter, each entry coloured by its relative error, dark for small and "
            f"bright for large, the pass line {digits}e{int(power)} marked on the colour bar. " + " ".join(parts))


def _panel_title(name, error):
    """The title the map gives a panel with an answer (for the map's text)."""
    from ..plots import error_title  # matplotlib is needed only here

    return error_title(name, error.relative, PASS_LINE)


def _displayer():
    """IPython's `display` when this runs in a notebook or IPython, else None."""
    ipython = sys.modules.get("IPython")
    if ipython is None or ipython.get_ipython() is None:
        return None
    from IPython.display import display

    return display
