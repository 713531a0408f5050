"""Helpers for the figure tests: read a notebook, run its code, collect its figures."""

import ast
import contextlib
import io
from dataclasses import dataclass, field

import matplotlib
import nbformat
import pytest

from tests.helpers import NOTEBOOK_DIR

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after choosing the backend)

SLIDE_TYPES = {"slide", "subslide", "fragment", "skip", "notes", "-"}


def read(name):
    """The series' notebook `name` (its stem, such as "05_forward_pass"), as committed."""
    return nbformat.read(NOTEBOOK_DIR / f"{name}.ipynb", as_version=4)


def markdown(name):
    """Every markdown cell of a notebook, joined: the text whose claims a test checks."""
    return "\n".join(cell.source for cell in read(name).cells if cell.cell_type == "markdown")


def python_source(cell):
    """A code cell's source without IPython's line magics (`%matplotlib inline`).

    The magics only choose how figures are displayed in a notebook, which
    nbval tests; here the figures are collected from pyplot directly.
    """
    return "\n".join(line for line in cell.source.split("\n") if not line.startswith("%"))


@dataclass
class CellRun:
    """What one code cell showed: printed text, its last expression's text, its figures."""

    index: int  # the cell's position in the notebook
    printed: str = ""
    result: str = ""  # text/plain of the last expression's value, as a notebook shows it
    figures: list = field(default_factory=list)


def shown_text(value):
    """The text/plain a notebook shows for a cell's value ('' for None)."""
    if value is None:
        return ""
    if hasattr(value, "_repr_mimebundle_"):
        bundle = value._repr_mimebundle_()
        return bundle.get("text/plain", "") if isinstance(bundle, dict) else ""
    return repr(value)


def run_cells(name, monkeypatch, nb=None):
    """Run a notebook's code cells in order; return a CellRun for each.

    `nb` replaces the stored notebook (tests of the tests pass one in).
    """
    nb = read(name) if nb is None else nb
    plt.close("all")  # a fresh start: no earlier run's figure to draw into
    figures = []
    monkeypatch.setattr(plt, "show", lambda *args, **kwargs: figures.append(plt.gcf()))
    namespace = {"__name__": "__main__"}
    runs = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        tree = ast.parse(python_source(cell))
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        printed = io.StringIO()
        figures.clear()
        with contextlib.redirect_stdout(printed):
            exec(compile(tree, f"{name}.ipynb", "exec"), namespace)
            value = None if last is None else eval(
                compile(ast.Expression(last.value), f"{name}.ipynb", "eval"), namespace)
            result = shown_text(value)
        runs.append(CellRun(index, printed.getvalue(), result, list(figures)))
    return runs


def run_figures(name, monkeypatch):
    """Run a notebook's code cells; return the figures shown, in order."""
    return [fig for cell in run_cells(name, monkeypatch) for fig in cell.figures]


@pytest.fixture(autouse=True)
def close_figures():
    """Close every figure a test made (autouse in each module that imports it)."""
    yield
    plt.close("all")


def legend_texts(ax):
    return [text.get_text() for text in ax.get_legend().get_texts()]
