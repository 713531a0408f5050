"""No notebook shows a result that hangs on the last digits of the arithmetic.

Training at the edge of stability is chaotic: a difference in the 16th digit,
such as another CPU or BLAS build rounds differently, grows until the run
ends somewhere else entirely. Notebook 04's eta = 100 run did this: one
machine drew its loss falling to 1e-5, another drew it stuck at 0.5, and the
text described the first. Such a run cannot be found by re-running on the
same machine, which repeats every digit; it is found by nudging it.

Each notebook is run twice in this process: as it is, and with the starting
weights of every network that nnlib trains (`nnlib.train`, `train_many`, the
original's `train`, and so the checks and the dashboards) moved by 1e-12 of
their size, each up or down. What the cells print must be
the same to every character, and each figure's data (lines, points, images,
contours, bars, texts, axis limits) must agree to a relative RTOL = 1e-4.

Why those numbers: a run that is not chaotic passes a change on with some
gain G; a chaotic run's gain grows exponentially, until 1e-12 becomes a
change of order 1 (notebook 04's old eta = 100 curve moved by a factor 5).
Passing here bounds G below 1e8. The differences between two machines are
roundings of order 1e-16 in each step; even added up over 20,000 epochs
(2e-12) and multiplied by G, they move a figure's data by well under 1e-3 of
its value, less than a pixel. Printed text must not move at all under the
nudge, which is 10,000 times larger than one rounding.

A figure may show chaos on purpose, as many runs drawn together (an
ensemble). Such artists carry `gid="ensemble"` and are compared as a
distribution: for every power of ten t, the fraction of runs that end below
t may move by at most ENSEMBLE_TOLERANCE. What the text says about an
ensemble is checked, with margin, by the figure tests.
"""

import contextlib
import importlib
from dataclasses import dataclass

import nbformat
import numpy as np
import pytest
from matplotlib.collections import Collection
from matplotlib.lines import Line2D

import nnlib
from tests.helpers import NOTEBOOKS
from tests.notebook_code import close_figures, run_cells  # noqa: F401  (close_figures: autouse)

NAMES = [path.stem for path in NOTEBOOKS]
NUDGE = 1e-12  # relative change of every starting weight
RTOL = 1e-4  # how far a figure's data may move under the nudge
ENSEMBLE_TOLERANCE = 0.2  # how far an ensemble's fraction below any power of ten may move
ORIGINAL_INIT = nnlib.params.init_params
# Where training starts its networks. Notebooks that call `nnlib.init_params`
# themselves (03, 05) show those exact numbers; they are not nudged.
TRAINERS = ("nnlib.training", "nnlib.course.sweep", "nnlib.original")


@contextlib.contextmanager
def nudged_starting_weights():
    """Every network nnlib trains starts from weights moved by NUDGE of their size.

    Each weight moves up or down in a fixed pattern, so that the nudge is not
    just a rescaling of the weights.
    """
    def init_params(*args, **kwargs):
        params = ORIGINAL_INIT(*args, **kwargs)
        pattern = np.random.default_rng(12345)
        return {name: value * (1 + NUDGE * pattern.choice((-1.0, 1.0), size=value.shape))
                for name, value in params.items()}

    holders = [importlib.import_module(name) for name in TRAINERS]
    for module in holders:
        assert module.init_params is ORIGINAL_INIT, f"{module.__name__} no longer starts from init_params"
    for module in holders:
        module.init_params = init_params
    try:
        yield
    finally:
        for module in holders:
            module.init_params = ORIGINAL_INIT


@dataclass
class Ensemble:
    """The final values of the runs an ensemble draws, one per artist."""

    finals: np.ndarray


def ensemble_difference(a, b):
    """Largest change, over powers of ten t, in the fraction of runs that end below t."""
    if len(a.finals) != len(b.finals):
        return 1.0
    thresholds = 10.0 ** np.arange(-16, 4)
    below_a = (a.finals[:, None] < thresholds).mean(axis=0)
    below_b = (b.finals[:, None] < thresholds).mean(axis=0)
    return float(np.max(np.abs(below_a - below_b)))


def artist_data(artist):
    """The numbers an artist draws, as one float array."""
    if isinstance(artist, Line2D):
        return np.column_stack([np.asarray(artist.get_xdata(), float), np.asarray(artist.get_ydata(), float)])
    if isinstance(artist, Collection):
        parts = [np.asarray(artist.get_offsets(), float).reshape(-1, 2)]  # points of a scatter
        if artist.get_array() is not None:  # the values colour stands for (contour levels)
            parts.append(np.asarray(artist.get_array(), float).reshape(-1, 1).repeat(2, axis=1))
        parts += [path.vertices for path in artist.get_paths()]  # contour lines and areas
        return np.vstack(parts)
    return np.asarray(artist.get_patch_transform().transform(artist.get_path().vertices), float)


def figure_data(fig):
    """Everything a figure shows, by name: texts as strings, data as arrays."""
    data = {"suptitle": fig.get_suptitle()}
    for i, ax in enumerate(fig.axes):
        where = f"axes {i}"
        data[f"{where} labels"] = "|".join([ax.get_title(), ax.get_xlabel(), ax.get_ylabel()])
        data[f"{where} limits"] = np.array([*ax.get_xlim(), *ax.get_ylim()])
        if ax.get_legend():
            data[f"{where} legend"] = "|".join(text.get_text() for text in ax.get_legend().get_texts())
        data[f"{where} texts"] = "|".join(text.get_text() for text in ax.texts)
        ensemble = []
        for kind, artists in (("line", ax.lines), ("collection", ax.collections), ("patch", ax.patches)):
            for j, artist in enumerate(artists):
                if artist.get_gid() == "ensemble":
                    ensemble.append(artist)
                else:
                    data[f"{where} {kind} {j}"] = artist_data(artist)
        for j, image in enumerate(ax.get_images()):
            data[f"{where} image {j}"] = np.asarray(image.get_array(), float)
        if ensemble:
            data[f"{where} ensemble"] = Ensemble(np.array([artist_data(a)[-1, 1] for a in ensemble]))
    return data


def outputs(cells):
    """What a notebook's run shows, by name: printed text, cell results, figure data."""
    shown = {}
    for cell in cells:
        shown[f"cell {cell.index} printed"] = cell.printed
        shown[f"cell {cell.index} result"] = cell.result
        for k, fig in enumerate(cell.figures):
            for key, value in figure_data(fig).items():
                shown[f"cell {cell.index} figure {k} {key}"] = value
    return shown


def differences(before, after):
    """What moved between two runs' outputs, one line each."""
    moved = []
    for key in before.keys() | after.keys():
        a, b = before.get(key), after.get(key)
        if a is None or b is None or type(a) is not type(b):
            moved.append(f"{key}: only in one run")
        elif isinstance(a, str):
            if a != b:
                moved.append(f"{key}: {a!r} became {b!r}")
        elif isinstance(a, Ensemble):
            change = ensemble_difference(a, b)
            if change > ENSEMBLE_TOLERANCE:
                moved.append(f"{key}: fraction of runs below a power of ten moved by {change:.2f}")
        elif a.shape != b.shape:
            moved.append(f"{key}: shape {a.shape} became {b.shape}")
        elif a.size:
            floor = 1e-9 * np.max(np.abs(a))  # values near zero: compare with the array's scale
            change = np.max(np.abs(a - b) / (np.abs(a) + floor + 1e-300))
            if not change <= RTOL:
                moved.append(f"{key}: moved by a relative {change:.1e}")
    return sorted(moved)


def moved_under_a_nudge(name, monkeypatch, nb=None):
    """Run a notebook as it is and nudged; list what moved."""
    before = outputs(run_cells(name, monkeypatch, nb))
    with nudged_starting_weights():
        after = outputs(run_cells(name, monkeypatch, nb))
    return differences(before, after)


@pytest.mark.parametrize("name", NAMES)
def test_no_output_moves_when_the_starting_weights_move_by_1e_12(name, monkeypatch):
    moved = moved_under_a_nudge(name, monkeypatch)
    assert not moved, "chaotic output (it differs between machines):\n" + "\n".join(moved)


def notebook_of(*sources):
    """An in-memory notebook with these code cells."""
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in sources])


SETUP = """
import matplotlib.pyplot as plt
import numpy as np
import nnlib
from nnlib.course.sweep import train_many
X, y = nnlib.seed_data()
"""


def test_the_nudge_flags_a_chaotic_curve_and_passes_a_steady_one(monkeypatch):
    """Notebook 04's old figure: eta = 100 from seed 42, one run, is flagged; eta = 10 is not."""
    draw = "plt.plot(nnlib.train(X, y, learning_rate={}, epochs=2000).losses)\nplt.yscale('log')\nplt.show()"
    chaotic = moved_under_a_nudge("chaotic", monkeypatch, notebook_of(SETUP, draw.format(100.0)))
    assert any("line 0: moved by" in line for line in chaotic), chaotic
    assert moved_under_a_nudge("steady", monkeypatch, notebook_of(SETUP, draw.format(10.0))) == []


def test_the_nudge_flags_a_printed_number_from_a_chaotic_run(monkeypatch):
    show = "print(f\"final loss {nnlib.train(X, y, learning_rate={}, epochs=2000).losses[-1]:.4f}\")"
    moved = moved_under_a_nudge("printed", monkeypatch, notebook_of(SETUP, show.replace("{}", "100.0", 1)))
    assert any("printed" in line for line in moved), moved


def test_an_ensemble_of_chaotic_runs_passes_as_a_whole_but_not_line_by_line(monkeypatch):
    """64 runs near eta = 100 drawn as one group hold as a distribution; as separate lines they do not."""
    draw = ("for losses in train_many(X, y, np.linspace(99, 101, 64), epochs=2000):\n"
            "    plt.plot(losses, gid={})\nplt.show()")
    assert moved_under_a_nudge("band", monkeypatch, notebook_of(SETUP, draw.format('"ensemble"'))) == []
    assert moved_under_a_nudge("lines", monkeypatch, notebook_of(SETUP, draw.format(None)))


def test_ensemble_difference_is_the_largest_move_of_a_share_below_a_power_of_ten():
    a = Ensemble(np.array([1e-6, 1e-6, 0.5, 0.5]))
    assert ensemble_difference(a, a) == 0
    assert ensemble_difference(a, Ensemble(np.array([1e-6, 0.5, 0.5, 0.5]))) == 0.25
    assert ensemble_difference(a, Ensemble(np.array([1e-6, 0.5, 0.5]))) == 1.0  # another number of runs
