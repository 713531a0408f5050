"""Figures the notebooks and the dashboard share, in colour-blind-safe colours.

Colours are the Okabe-Ito palette, which stays distinguishable under the
common forms of colour blindness and on a washed-out projector.
Plotting needs matplotlib, which the rest of nnlib does not.
"""

import numpy as np
from matplotlib.colors import LinearSegmentedColormap

from ..network import predict

# Okabe & Ito (2008), "Color Universal Design".
COLORS = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}
CLASS_COLORS = (COLORS["blue"], COLORS["orange"])  # class 0, class 1
# The network's belief in class 1, from pale blue (class 0) through white
# (undecided) to pale orange (class 1): the points, in the full colours
# with dark edges, stand out on every part of it.
BELIEF_CMAP = LinearSegmentedColormap.from_list("belief", ["#8fc3e6", "#ffffff", "#f3cf7a"])


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

    Colour shows the output for class 1 (from 0 = class 0 to 1 = class 1);
    the solid line is where the network is undecided (0.5).
    Works for networks with 2 inputs and 2 outputs.
    """
    points, x0, x1 = grid_for(X, steps)
    belief = predict(params, points)[:, 1].reshape(steps, steps)  # (steps, steps)
    filled = ax.contourf(x0, x1, belief, levels=np.linspace(0, 1, 11), cmap=BELIEF_CMAP)
    ax.contour(x0, x1, belief, levels=[0.5], colors=COLORS["black"], linewidths=1.5)
    scatter_classes(ax, X, y)
    return filled


def scatter_classes(ax, X, y):
    """Draw 2-D points: class 0 as blue circles, class 1 as orange triangles.

    Returns the two PathCollections, class 0 first.
    """
    labels = y.argmax(axis=1)  # (N,)
    points = [ax.scatter(*X[labels == cls].T, color=CLASS_COLORS[cls], marker=marker,
                         edgecolor=COLORS["black"], linewidth=0.6, label=f"class {cls}", zorder=3)
              for cls, marker in ((0, "o"), (1, "^"))]
    ax.set_xlabel("$x_0$")
    ax.set_ylabel("$x_1$")
    return points
