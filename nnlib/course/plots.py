"""Figures the notebooks and the dashboard share, in the palette's colours, with their descriptions.

The colours are `palette`'s (colour-blind-safe, meeting WCAG contrast);
`COLORS` is imported here for the notebooks' own figures. `show_figure`
displays a figure with a description: the image's alt text and a caption
under it. Plotting needs matplotlib, which the rest of nnlib does not.
"""

import base64
import html
import io
import textwrap

import numpy as np
from matplotlib import colormaps
from matplotlib.colors import BoundaryNorm, LinearSegmentedColormap, ListedColormap

from ..gradcheck import PASS_LINE
from ..network import predict
from .numbers import number
from .palette import BELIEF, BLACK, CLASS_COLORS, COLORS, NO_ANSWER, VALUES, WHITE

BELIEF_CMAP = LinearSegmentedColormap.from_list("belief", BELIEF)  # the network's belief in class 1, 0 to 1


def in_kernel():
    """Whether this code runs in a Jupyter kernel (where outputs are rich), not a plain Python session."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    return getattr(get_ipython(), "kernel", None) is not None


def show_figure(fig, description, caption=True):
    """Display a figure with its description: alt text for a screen reader, and a caption under it.

    JupyterLab 4 gives an image output no alt text, whatever its metadata
    says (its image renderer reads only width, height and background:
    jupyter/enhancement-proposals#120 proposes `alt`). So the figure goes
    out as HTML, an <img> with `alt` and a <figcaption>, which JupyterLab
    (before the notebook is run too), nbconvert and RISE show alike; the
    text form is the description.
    The figure is closed, so that the inline backend does not show it twice.
    Outside a Jupyter kernel it prints the description and calls
    `plt.show()`.

    Parameters
    ----------
    fig : matplotlib Figure
        The figure, made with pyplot (`plt.subplots`, `plt.figure`).
    description : str
        What the figure shows and what to notice, with the numbers that
        matter (computed, printed with fixed digits).
    caption : bool
        Also write the description under the figure.
    """
    from matplotlib import pyplot as plt

    if not in_kernel():  # a plain Python session: pyplot shows the figure, the words go to the terminal
        print(description)
        plt.figure(fig.number)
        plt.show()
        return
    from IPython.display import display

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    plt.close(fig)
    display({"text/html": figure_html(buffer.getvalue(), description, caption), "text/plain": description}, raw=True)


def figure_html(png, description, caption=True):
    """A PNG picture as HTML: an <img> with `description` as its alt text, and as a caption under it.

    Parameters
    ----------
    png : bytes
        The picture, PNG-encoded.
    description : str
        Its text alternative.
    caption : bool
        Also write the description under the picture.

    Returns
    -------
    str
        A <figure>, the picture inline (a data: URL), which JupyterLab,
        nbconvert and RISE show without any file beside the notebook.
    """
    source = base64.b64encode(png).decode("ascii")
    text = html.escape(description)
    below = f'<figcaption style="max-width: 60em">{text}</figcaption>' if caption else ""
    return f'<figure style="margin: 0"><img src="data:image/png;base64,{source}" alt="{text}">{below}</figure>'


def plot_losses(ax, losses, label=None, color=COLORS["blue"], **kwargs):
    """Draw a loss curve on a log scale; returns the Line2D.

    Parameters
    ----------
    ax : matplotlib Axes
    losses : (epochs,) array, e.g. `train(...).losses`
    """
    (line,) = ax.plot(np.arange(len(losses)), losses, label=label, color=color, **kwargs)
    ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    return line


def grid_for(X, steps=200, margin=0.5):
    """A (steps*steps, 2) grid of points covering the 2-D inputs X, and its two axes."""
    low = X.min(axis=0) - margin  # (2,)
    high = X.max(axis=0) + margin  # (2,)
    x0 = np.linspace(low[0], high[0], steps)  # (steps,)
    x1 = np.linspace(low[1], high[1], steps)  # (steps,)
    G0, G1 = np.meshgrid(x0, x1)  # (steps, steps) each
    return np.column_stack([G0.ravel(), G1.ravel()]), x0, x1  # (steps*steps, 2)


def plot_decision_boundary(ax, params, X, y, steps=200):
    """Fill the plane with the network's belief in class 1, and draw the data.

    Parameters
    ----------
    ax : matplotlib Axes
        Where to draw.
    params : dict
        W1 (2, H), b1 (1, H), W2 (H, 2), b2 (1, 2): a network with 2 inputs and 2 outputs.
    X : (N, 2) ndarray
        The points, drawn with `scatter_classes`; the map covers them.
    y : (N, 2) ndarray
        Their one-hot classes.
    steps : int
        The map is computed on a steps x steps grid.

    Returns
    -------
    QuadContourSet
        The filled map, for a colorbar.
    """
    points, x0, x1 = grid_for(X, steps)
    filled, _ = draw_belief(ax, params, points, x0, x1)
    scatter_classes(ax, X, y)
    return filled


def draw_belief(ax, params, points, x0, x1):
    """The decision boundary alone: the network's belief in class 1 over a grid, and its 0.5 line.

    Colour shows the output for class 1 (from 0 = class 0 to 1 = class 1);
    the solid line is where the network is undecided (0.5). The dashboard
    calls this on every frame, after removing the previous frame's artists.

    Parameters
    ----------
    ax : matplotlib Axes
        Where to draw.
    params : dict
        A network with 2 inputs and 2 outputs.
    points, x0, x1 : ndarray
        The grid (S*S, 2) and its two axes (S,), as `grid_for` returns them.

    Returns
    -------
    (QuadContourSet, QuadContourSet)
        The filled map and the line.
    """
    belief = predict(params, points)[:, 1].reshape(len(x1), len(x0))  # (S, S)
    filled = ax.contourf(x0, x1, belief, levels=np.linspace(0, 1, 11), cmap=BELIEF_CMAP)
    line = ax.contour(x0, x1, belief, levels=[0.5], colors=BLACK, linewidths=1.5)
    return filled, line


def scatter_classes(ax, X, y, test=False):
    """Draw 2-D points: class 0 as blue circles, class 1 as orange triangles.

    Parameters
    ----------
    ax : matplotlib Axes
        Where to draw.
    X : (N, 2) ndarray
        The points.
    y : (N, 2) ndarray
        Their one-hot classes.
    test : bool
        Draw them as test points: hollow, with a thick edge in the class's colour.

    Returns
    -------
    list of PathCollection
        Class 0's points, then class 1's.
    """
    labels = y.argmax(axis=1)  # (N,)
    look = ({"facecolor": "none", "linewidth": 1.4} if test
            else {"edgecolor": BLACK, "linewidth": 0.6})
    points = [ax.scatter(*X[labels == cls].T, marker=marker, zorder=3,
                         label=f"class {cls}" + (" (test)" if test else ""),
                         **{"edgecolor" if test else "color": CLASS_COLORS[cls]}, **look)
              for cls, marker in ((0, "o"), (1, "^"))]
    ax.set_xlabel("$x_0$")
    ax.set_ylabel("$x_1$")
    return points


# Maps of a gradient check: where a backward pass disagrees with finite differences.

# What a parameter's rows and columns stand for, and its axis labels (x, y).
INDEXED = {"W1": ("input", "hidden"), "b1": ("bias", "hidden"), "W2": ("hidden", "output"), "b2": ("bias", "output")}
AXIS_LABELS = {"W1": ("", "from input"), "b1": ("to hidden unit", ""),
               "W2": ("", "from hidden unit"), "b2": ("to output", "")}


def error_text(value):
    """A relative error as a title shows it: 0.88, or 3e-5 below 0.01."""
    return f"{value:.2f}" if value >= 0.01 else f"{value:.0e}".replace("e-0", "e-")


def ratio_text(value):
    """analytic / numerical in 5 characters: 16.3×, 4.00×, 0.250×, -0.82×; a dash where it means nothing."""
    if not np.isfinite(value):
        return "–"
    return f"{value:#.{2 if value < 0 else 3}g}".rstrip(".") + "×"


def error_title(name, relative, threshold):
    """A panel's title: the parameter and its largest error (or that there is no answer)."""
    if not np.isfinite(relative).any():
        return f"{name}: no answer yet"
    largest = float(np.nanmax(relative))
    if largest < threshold:
        return f"{name}: all below {error_text(threshold)}"
    return f"{name}: largest {error_text(largest)}"


def index_ticks(ax, axis, word, count, every, rotate=False):
    """Label the rows or columns of a map: "input 0", "input 1", ... (every `every`-th), or "bias"."""
    positions = [0] if word == "bias" else list(range(0, count, every))
    labels = ["bias"] if word == "bias" else [f"{word} {i}" for i in positions]
    if axis == "x":
        ax.set_xticks(positions, labels, rotation=35 if rotate else 0, ha="right" if rotate else "center",
                      rotation_mode="anchor")
    else:
        ax.set_yticks(positions, labels)


def plot_gradient_errors(fig, errors, threshold=PASS_LINE, ratios=False, title=None, titles=None):
    """One small map per parameter: the relative error of each entry of a backward pass.

    W1 sits above b1 (their columns are the hidden units), W2 above b2
    (their columns are the outputs). Each cell is one entry, coloured by
    its relative error, one colour per power of ten (a log scale) from
    dark blue (below threshold / 10 up to the pass line: right) to yellow
    (0.1 to 1: wrong), in the palette's VALUES (cividis), which reads the
    same with any colour vision; the colour bar marks the pass line. Entries
    whose error is NaN (no answer) are grey (NO_ANSWER). The figure is resized so that every cell is a
    square of the same size.

    Parameters
    ----------
    fig : matplotlib Figure
        An empty figure to draw into: from `plt.figure()` in a notebook, or
        a `matplotlib.figure.Figure` to render without pyplot.
    errors : dict
        W1, b1, W2 and b2, each with `.relative` and `.ratio` arrays of the
        parameter's shape, as `nnlib.gradient_errors` returns them.
    threshold : float
        The pass line: errors below it count as right.
    ratios : bool
        Write analytic / numerical in each cell (when the cells are large enough to hold it).
    title : str, optional
        The figure's title.
    titles : dict, optional
        A panel title to use instead of "W1: largest 0.88", by parameter name.

    Returns
    -------
    (dict, Colorbar)
        The four maps' Axes by parameter name, and the colour bar.
    """
    D, H = errors["W1"].relative.shape  # W1 (D, H)
    M = errors["W2"].relative.shape[1]  # W2 (H, M)
    cell = max(0.1, min(0.62, 6.0 / (H + M), 4.5 / max(D, H)))  # inches a side
    titles = {name: (titles or {}).get(name) or error_title(name, errors[name].relative, threshold)
              for name in ("W1", "b1", "W2", "b2")}
    title_width = {layer: 0.09 * max(len(titles[w]), len(titles[b])) for layer, (w, b) in
                   (("1", ("W1", "b1")), ("2", ("W2", "b2")))}  # inches, at 11 points
    left, middle, gap, bottom = 1.25, 1.5, 0.62, 1.0
    bar_gap, bar_width, bar_labels = 0.3, 0.22, 1.4
    x2 = left + max(H * cell, title_width["1"]) + middle  # the second layer's maps start here
    x_bar = x2 + max(M * cell, title_width["2"]) + bar_gap
    width = x_bar + bar_width + bar_labels
    lines = textwrap.wrap(title or "", int((width - left) / 0.08))  # at 12 points, about 0.08 inch a character
    top = 0.45 + 0.22 * len(lines) + (0.28 if lines else 0.0)
    column_height = max(D, H) * cell + gap + cell
    height = top + column_height + bottom
    fig.set_size_inches(width, height)

    def box(x, y, w, h):  # inches from the top left -> [left, bottom, width, height] of the figure
        return [x / width, 1 - (y + h) / height, w / width, h / height]

    places = {"W1": box(left, top, H * cell, D * cell), "b1": box(left, top + D * cell + gap, H * cell, cell),
              "W2": box(x2, top, M * cell, H * cell), "b2": box(x2, top + H * cell + gap, M * cell, cell)}
    bounds = threshold / 10 * 10.0 ** np.arange(np.ceil(np.log10(10 / threshold)))  # a colour per power of ten
    bounds = np.append(bounds[bounds < 1], 1.0)  # from threshold / 10 to 1
    colors = len(bounds) - 1
    cmap = ListedColormap(colormaps[VALUES](np.linspace(0, 1, colors)), name=VALUES).with_extremes(bad=NO_ANSWER)
    norm = BoundaryNorm(bounds, colors)
    axes = {}
    for name, place in places.items():
        relative = np.asarray(errors[name].relative, dtype=float)  # the parameter's shape
        rows, columns = relative.shape
        ax = fig.add_axes(place)
        image = ax.imshow(np.ma.masked_invalid(np.clip(relative, threshold / 10, 1.0)), cmap=cmap, norm=norm,
                          aspect="equal", interpolation="nearest")
        row_word, column_word = INDEXED[name]
        index_ticks(ax, "y", row_word, rows, int(np.ceil(0.2 / cell)))
        if name.startswith("b"):  # the column labels go below the bias, under both maps of a layer
            index_ticks(ax, "x", column_word, columns, int(np.ceil(0.32 / cell)), rotate=True)
        else:
            ax.set_xticks([])
        ax.tick_params(labelsize=10, length=0)
        ax.set_xlabel(AXIS_LABELS[name][0], fontsize=11)
        ax.set_ylabel(AXIS_LABELS[name][1], fontsize=11)
        ax.set_title(titles[name], fontsize=11, loc="left")
        if cell >= 0.2:  # white lines between the cells
            ax.set_xticks(np.arange(columns + 1) - 0.5, minor=True)
            ax.set_yticks(np.arange(rows + 1) - 0.5, minor=True)
            ax.tick_params(which="minor", length=0)
            ax.grid(which="minor", color=WHITE, linewidth=1.5)
        if ratios and cell >= 0.45:  # room for "16.3×" at 10 points
            for (i, j), ratio in np.ndenumerate(errors[name].ratio):
                if np.isfinite(relative[i, j]):
                    bright = norm(np.clip(relative[i, j], threshold / 10, 1.0)) > 0.55 * colors
                    ax.text(j, i, ratio_text(ratio), ha="center", va="center", fontsize=10,
                            color=BLACK if bright else WHITE)
        axes[name] = ax
    bar = fig.colorbar(image, cax=fig.add_axes(box(x_bar, top, bar_width, column_height), label="<colorbar>"))
    decades = range(int(np.floor(np.log10(threshold))) + 2, 0, 2)  # every other power of ten above the line
    ticks = [threshold / 10, threshold, *(10.0 ** k for k in decades), 1.0]
    labels = [f"{tick:g}" if tick >= 0.01 else error_text(tick) for tick in ticks]
    labels[1] += " pass"
    bar.set_ticks(ticks, labels=labels)
    bar.ax.tick_params(labelsize=10)
    bar.ax.get_yticklabels()[1].set_color(COLORS["vermillion"])
    bar.ax.axhline(threshold, color=COLORS["vermillion"], linewidth=3)
    bar.set_label("relative error of each entry", fontsize=11)
    if lines:
        fig.suptitle("\n".join(lines), x=left / width, y=1 - 0.2 / height, ha="left", va="top", fontsize=12)
    return axes, bar


def gradient_errors_sentence(errors, threshold):
    """A gradient check's maps in words: per parameter, how many entries pass, the largest error, the ratios.

    Parameters
    ----------
    errors : dict
        W1, b1, W2, b2 -> an object with `.relative` and `.ratio` arrays of
        the parameter's shape, as `nnlib.gradient_errors` returns them.
    threshold : float
        The pass line: a relative error below it counts as right.

    Returns
    -------
    str
        For example "W2 (4 × 2): 8 of 8 entries at or above the pass line, largest error 0.601,
        analytic / numerical from 3.98 to 4.02." A parameter whose entries all pass is said to, without
        its largest error (a rounding, whose digits differ between machines).
    """
    parts = []
    for name, error in errors.items():
        relative = np.asarray(error.relative, dtype=float)  # the parameter's shape
        answered = np.isfinite(relative)
        if not answered.any():
            parts.append(f"{name}: no answer yet.")
            continue
        wrong = int((relative[answered] >= threshold).sum())
        shape = " × ".join(str(size) for size in relative.shape)
        if wrong == 0:  # errors below the line are roundings: their digits differ between machines
            count = int(answered.sum())
            every = "its entry is" if count == 1 else "both entries are" if count == 2 else f"all {count} entries are"
            parts.append(f"{name} ({shape}): {every} below the pass line.")
            continue
        ratio = np.asarray(error.ratio, dtype=float)[answered]
        ratio = ratio[np.isfinite(ratio)]
        text = (f"{name} ({shape}): {wrong} of {int(answered.sum())} entries at or above the pass line, "
                f"largest error {number(np.max(relative[answered]))}")
        if ratio.size:
            text += f", analytic / numerical from {ratio.min():.3g} to {ratio.max():.3g}"
        parts.append(text + ".")
    return " ".join(parts)
