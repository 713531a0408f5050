"""Helpers for the figure tests: read a notebook, run its code, collect its figures."""

import contextlib
import io
from pathlib import Path

import matplotlib
import nbformat
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after choosing the backend)

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
SLIDE_TYPES = {"slide", "subslide", "fragment", "skip", "notes", "-"}


def read(name):
    return nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)


def python_source(cell):
    """A code cell's source without IPython's line magics (`%matplotlib inline`).

    The magics only choose how figures are displayed in a notebook, which
    nbval tests; here the figures are collected from pyplot directly.
    """
    return "\n".join(line for line in cell.source.split("\n") if not line.startswith("%"))


def run_figures(name, monkeypatch):
    """Run a notebook's code cells; return the figures shown, in order."""
    shown = []
    monkeypatch.setattr(plt, "show", lambda *args, **kwargs: shown.append(plt.gcf()))
    namespace = {"__name__": "__main__"}
    with contextlib.redirect_stdout(io.StringIO()):
        for cell in read(name).cells:
            if cell.cell_type == "code":
                exec(compile(python_source(cell), f"{name}.ipynb", "exec"), namespace)
    return shown


@pytest.fixture(autouse=True)
def close_figures():
    """Close every figure a test made (autouse in each module that imports it)."""
    yield
    plt.close("all")


def legend_texts(ax):
    return [text.get_text() for text in ax.get_legend().get_texts()]
