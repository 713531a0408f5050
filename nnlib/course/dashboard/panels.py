"""The dashboard's panels that show what the network does: one object per picture.

    LossPanel       the training loss as it grows, the test loss, the previous run
    OutputsPanel    the seed data: outputs against targets, as a table
    BoundaryPanel   2-D data: the decision boundary, training and test points
    SweepPanel      the learning-rate sweep: each rate's loss so far
    PanelGrid       the panels a run needs, in rows, put together into one picture

Each owns its figure and what moves in it, and follows `picture.Panel`
(prepare, show, render). `network_panels` holds the panels that look
inside the network.
"""

import numpy as np
from matplotlib import colormaps
from matplotlib.colors import to_rgb

from ...losses import LOSSES
from .network_panels import NetworkPanel, UnitBarsPanel, UnitMapsPanel
from .picture import TABLE_ROWS, Panel, compose, corner_text, decade_limits, envelope, plain_log_axis
from ..palette import BLACK, COLORS, GRID, VALUES, WHITE, contrast_ratio
from ..plots import BELIEF_CMAP, grid_for

GRID_STEPS = 48  # the decision boundary is computed on GRID_STEPS x GRID_STEPS points
CELL_MAP = colormaps[VALUES]  # the outputs' table: 0 dark blue, 1 light yellow
CLASS_COLOURS = (COLORS["blue"], COLORS["orange"], COLORS["green"], COLORS["purple"], COLORS["sky"],
                 COLORS["vermillion"], COLORS["yellow"], BLACK, COLORS["blue"], COLORS["orange"])  # class 0, 1, ...
MARKERS = ("o", "^", "s", "D", "v", "P", "X", "*", "h", "<")  # a class by its marker too, not by colour alone


class LossPanel(Panel):
    """The loss per epoch as training goes: training (solid), test (dashed), previous run (dotted)."""

    def __init__(self):
        super().__init__(4.4)
        ax = self.ax = self.figure.add_axes((0.19, 0.15, 0.74, 0.75))
        (self.previous,) = ax.plot([], [], color=COLORS["sky"], lw=1.5, ls=":", label="previous run")
        (self.training,) = ax.plot([], [], color=COLORS["blue"], lw=2, label="training")
        (self.test,) = ax.plot([], [], color=COLORS["vermillion"], lw=2, ls="--", label="test")
        self.counter = corner_text(ax, y=0.04, va="bottom")
        ax.set_yscale("log")
        plain_log_axis(ax.yaxis)
        ax.set_xlabel("epoch")
        ax.set_ylabel("loss (log scale)")
        ax.grid(color=GRID, alpha=0.3)
        self.named = [self.training]  # the curves the legend names
        self.legend = ax.legend(handles=self.named, loc="upper right", fontsize=10)

    def show(self, run, previous, sweep, settled=True):
        """Draw the run's losses so far, and the previous run's if it is comparable."""
        losses = run.losses
        old = previous.losses if previous is not None else np.empty(0)
        self.training.set_data(*envelope(losses))
        self.test.set_data(run.test_epochs, run.test_losses)
        self.previous.set_data(*envelope(old))
        self.counter.set_text(f"epoch {run.epoch:,} of {run.settings.epochs:,}")
        self.counter.set_visible(settled)  # while training, the status line counts (text is costly to draw)
        ax = self.ax
        ax.set_xlim(0, max(run.settings.epochs, run.epoch, len(old)))
        ax.set_ylim(*decade_limits(np.concatenate([losses, run.test_losses, old])))
        ax.set_title(f"Loss ({LOSSES[run.settings.loss].display_name}) during training")
        shown = [self.training] + [self.test] * run.settings.has_test_set() + [self.previous] * (len(old) > 0)
        if shown != self.named:
            self.legend.remove()
            self.legend, self.named = ax.legend(handles=shown, loc="upper right", fontsize=10), shown

    def moving(self):
        """The three curves and the epoch counter."""
        return [self.previous, self.training, self.test, self.counter]

    def key(self):
        """The axes, and which curves the legend names."""
        return super().key() + (tuple(text.get_text() for text in self.legend.get_texts()),)


class OutputsPanel(Panel):
    """Data not on the plane: each sample's outputs beside its targets, as numbers on colours.

    The targets never change, so their half is background; only the
    outputs' half moves.
    """

    def __init__(self):
        super().__init__(3.6)
        self.ax = self.figure.add_axes((0.25, 0.2, 0.72, 0.7))
        self.y = None

    def prepare(self, run):
        """Draw the targets of the run's samples (the first TABLE_ROWS), and room for its outputs."""
        y = run.y[:TABLE_ROWS]  # (n, M)
        if self.y is not None and np.array_equal(y, self.y) and len(run.y) == self.count:
            return
        ax, n, M = self.ax, len(y), y.shape[1]  # n samples, one row each
        ax.clear()
        colours = {"cmap": CELL_MAP, "vmin": 0, "vmax": 1, "aspect": "auto"}
        self.table = ax.imshow(y, extent=(-0.5, M - 0.5, n - 0.5, -0.5), **colours)  # outputs
        ax.imshow(y, extent=(M - 0.5, 2 * M - 0.5, n - 0.5, -0.5), **colours)  # targets
        size = 12 if n <= 4 and M <= 2 else 9
        self.texts = [[ax.text(j, i, "", ha="center", va="center", fontsize=size, animated=j < M)
                       for j in range(2 * M)] for i in range(n)]
        for row, targets in zip(self.texts, y):
            for text, target in zip(row[M:], targets):
                write_value(text, target)
        ax.set_xlim(-0.5, 2 * M - 0.5)
        ax.set_ylim(n - 0.5, -0.5)
        ax.set_xticks(range(2 * M), [f"output\n{m}" for m in range(M)] + [f"target\n{m}" for m in range(M)],
                      fontsize=10 if M <= 2 else 8)
        ax.set_yticks(range(n), [f"sample {i}" for i in range(n)], fontsize=10 if n <= 6 else 8)
        self.separator = ax.axvline(M - 0.5, color=WHITE, lw=3)
        shown = "" if len(run.y) <= TABLE_ROWS else f"\n(the first {TABLE_ROWS} of {len(run.y):,} samples)"
        ax.set_title("Outputs against targets" + shown, fontsize=12 if not shown else 10)
        self.y, self.count, self.M = y, len(run.y), M

    def show(self, run, previous, sweep, settled=True):
        """Colour the table by the network's outputs; write them in when training stops."""
        A2 = run.outputs(run.X[:TABLE_ROWS])  # (n, M)
        self.table.set_data(A2)
        for row, outputs in zip(self.texts, A2):
            for text, value in zip(row[:self.M], outputs):
                write_value(text, value)
                text.set_visible(settled)  # numbers flickering by ten times a second say nothing

    def moving(self):
        """The outputs' colours and numbers, and the line between outputs and targets."""
        return [self.table, self.separator] + [text for row in self.texts for text in row[:self.M]]


def write_value(text, value):
    """Write a value in [0, 1] into a table cell, in black or white, whichever contrasts more with the cell."""
    cell = CELL_MAP(value)
    text.set_text(f"{value:.2f}")
    text.set_color(BLACK if contrast_ratio(BLACK, cell) > contrast_ratio(WHITE, cell) else WHITE)


class BoundaryPanel(Panel):
    """2-D data: the network's belief over the plane, its 0.5 line, training and test points.

    The legend sits beside the map, in the background, where the moving
    map does not cover it.
    """

    def __init__(self):
        super().__init__(4.2)
        self.ax = self.figure.add_axes((0.17, 0.15, 0.57, 0.75))
        self.ax.set_title("Decision boundary")
        self.points, self.belief, self.data, self.legend = [], [], None, None
        self.score = corner_text(self.ax)

    def prepare(self, run):
        """Draw the run's training points and (hollow) test points, over a grid that covers them."""
        if self.data is not None and np.array_equal(self.data, run.X) and np.array_equal(self.labels, run.y) \
                and len(run.X_test) == self.test_count:
            return
        for artist in self.points + ([self.legend] if self.legend else []):
            artist.remove()
        ax = self.ax
        self.grid, self.x0, self.x1 = grid_for(np.vstack([run.X, run.X_test]), steps=GRID_STEPS)
        self.points = class_points(ax, run.X, run.y)
        if len(run.X_test):
            self.points += class_points(ax, run.X_test, run.y_test, test=True)
        ax.set_xlim(self.x0[0], self.x0[-1])
        ax.set_ylim(self.x1[0], self.x1[-1])
        self.legend = self.figure.legend(handles=self.points, loc="center left", bbox_to_anchor=(0.75, 0.5),
                                         fontsize=10, frameon=False, handletextpad=0.2,
                                         labels=[p.get_label().replace(" (", "\n(") for p in self.points])
        self.data, self.labels, self.test_count = run.X, run.y, len(run.X_test)

    def show(self, run, previous, sweep, settled=True):
        """Draw the current network's belief and the share of points it gets right."""
        for artist in self.belief:
            artist.remove()
        self.belief = draw_classes(self.ax, run.outputs(self.grid), self.x0, self.x1, lines=settled)
        self.score.set_visible(settled)  # numbers flickering by ten times a second say nothing
        if settled:
            score = f"training: {run.accuracy():.0%} right"
            self.score.set_text(score + (f"\ntest: {run.test_accuracy():.0%} right" if len(run.X_test) else ""))

    def moving(self):
        """The map and its line, the points on top of them, the score."""
        return self.belief + self.points + [self.score]

    def key(self):
        """The axes, and what the legend names."""
        return super().key() + (tuple(text.get_text() for text in self.legend.get_texts()),)


def class_points(ax, X, y, test=False):
    """Draw 2-D points of M classes, each its own colour and marker; test points hollow.

    Parameters
    ----------
    ax : matplotlib Axes
        Where to draw.
    X : (N, 2) ndarray
        The points.
    y : (N, M) ndarray
        Their one-hot classes.
    test : bool
        Draw them as test points: hollow, with a thick edge in the class's colour.

    Returns
    -------
    list of PathCollection
        One per class, in class order.
    """
    labels = y.argmax(axis=1)  # (N,)
    look = {"facecolor": "none", "linewidth": 1.4} if test else {"edgecolor": BLACK, "linewidth": 0.6}
    points = [ax.scatter(*X[labels == m].T, marker=MARKERS[m], zorder=3, label=f"class {m}" + " (test)" * test,
                         **{"edgecolor" if test else "color": CLASS_COLOURS[m]}, **look)
              for m in range(y.shape[1])]
    ax.set_xlabel("$x_0$")
    ax.set_ylabel("$x_1$")
    return points


def draw_classes(ax, outputs, x0, x1, lines=True):
    """The network's classes over the plane, and the lines between them.

    Two outputs: the belief in class 1 from 0 to 1 and its 0.5 line (as
    `plots.draw_belief` draws it). More: each grid point in the light tint
    of the class whose output is largest, the lines where that class changes.

    Parameters
    ----------
    outputs : (S*S, M) ndarray
        The network's outputs on the grid whose axes are x0 (S,) and x1 (S,).
    lines : bool
        More than two classes: also the lines between their regions (a
        third of the drawing's cost; frames while training leave them out).

    Returns
    -------
    list
        The artists drawn.
    """
    S = (len(x1), len(x0))
    if outputs.shape[1] == 2:
        belief = outputs[:, 1].reshape(S)  # (S, S)
        return [ax.contourf(x0, x1, belief, levels=np.linspace(0, 1, 11), cmap=BELIEF_CMAP),
                ax.contour(x0, x1, belief, levels=[0.5], colors=BLACK, linewidths=1.5)]
    winner = outputs.argmax(axis=1).reshape(S)  # (S, S) the class of each grid point
    tints = np.array([to_rgb(colour) for colour in CLASS_COLOURS]) * 0.3 + 0.7  # (10, 3) light: the points show
    edges = (x0[0], x0[-1], x1[0], x1[-1])
    drawn = [ax.imshow(tints[winner], extent=edges, origin="lower", aspect="auto", interpolation="nearest")]
    if lines:
        drawn.append(ax.contour(x0, x1, winner, levels=np.arange(outputs.shape[1] - 1) + 0.5, colors=BLACK,
                                linewidths=1.5))
    return drawn


class SweepPanel(Panel):
    """The learning-rate sweep: the loss of one network per rate, after the epochs trained so far."""

    def __init__(self):
        super().__init__(4.4)
        ax = self.ax = self.figure.add_axes((0.19, 0.15, 0.74, 0.75))
        (self.line,) = ax.plot([], [], color=COLORS["green"], marker=".", lw=1)
        self.marker = ax.axvline(1, color=COLORS["vermillion"], lw=2, ls="--")
        self.rate = ax.text(1, 1.0, " the slider's rate", transform=ax.get_xaxis_transform(), ha="left",
                            va="top", fontsize=10, color=COLORS["vermillion"], animated=True)
        self.counter = corner_text(ax, y=0.04, va="bottom")
        ax.set_xscale("log")
        ax.set_yscale("log")
        plain_log_axis(ax.xaxis)
        plain_log_axis(ax.yaxis)
        ax.set_xlabel("learning rate (log scale)")
        ax.set_ylabel("loss (log scale)")
        ax.set_title("Sweep: one network per learning rate")
        ax.grid(color=GRID, alpha=0.3)

    def show(self, run, previous, sweep, settled=True):
        """Draw each rate's latest loss and mark the slider's rate."""
        rate = run.settings.learning_rate
        self.marker.set_xdata([rate, rate])
        self.rate.set_x(rate)
        self.rate.set_horizontalalignment("left" if rate < 10 else "right")
        self.ax.set_xlim(sweep.rates[0], sweep.rates[-1])
        if sweep.finals is None:
            self.line.set_data([], [])
            self.counter.set_text(f"trains when the run is done:\n{sweep.settings.epochs:,} epochs each")
            return
        self.line.set_data(sweep.rates, sweep.finals)
        self.ax.set_ylim(*decade_limits(sweep.finals))
        self.counter.set_text(f"loss after {sweep.epoch:,} of {sweep.settings.epochs:,} epochs")
        self.counter.set_visible(settled)

    def moving(self):
        """The curve, the slider's rate and the epoch counter."""
        return [self.line, self.marker, self.rate, self.counter]


class PanelGrid:
    """The panels a run needs, two rows of two (and the sweep), and the picture they make.

    Each panel is made the first time a run needs it and kept: a change of
    dataset or hidden size fits the panels (`prepare`) instead of making
    new figures. A panel whose state has not moved since the last frame is
    not drawn again.
    """

    def __init__(self):
        self.made = {}  # name -> panel
        self.rows = []
        self.pixels = {}  # panel -> (what it showed, its pixels) at the last frame
        self.placed = {}  # panel -> (left, top) of its pixels in the last picture

    def panel(self, name):
        """The panel called `name`, made the first time it is needed."""
        kinds = {"loss": LossPanel, "outputs": OutputsPanel, "boundary": BoundaryPanel, "sweep": SweepPanel,
                 "network": NetworkPanel, "maps": UnitMapsPanel, "bars": UnitBarsPanel}
        if name not in self.made:
            self.made[name] = kinds[name]()
        return self.made[name]

    def arrange(self, run):
        """Pick the panels for the run's data and fit them to its network."""
        two_d = run.settings.two_d()
        self.rows = [[self.panel("loss"), self.panel("boundary" if two_d else "outputs")],
                     [self.panel("network"), self.panel("maps" if two_d else "bars")]]
        for panel in self.rows[0] + self.rows[1]:
            panel.prepare(run)
        self.pixels = {}

    def point_at(self, x, y):
        """The point (x0, x1) of the plane under pixel (x, y) of the last picture, or None off the map.

        Pixels count from the picture's top left corner, as the picture's
        own pixels (a click on the picture gives them: ipyevents' dataX, dataY).
        """
        boundary = self.made.get("boundary")
        if boundary is None or boundary not in self.placed:
            return None
        left, top = self.placed[boundary]
        height = boundary.figure.bbox.height
        display = (x - left, height - (y - top))  # matplotlib counts pixels from the bottom
        if not boundary.ax.bbox.contains(*display):
            return None
        x0, x1 = boundary.ax.transData.inverted().transform(display)
        return float(x0), float(x1)

    def picture(self, run, previous, sweep, settled=True):
        """The picture of this state: (height, width, 3) RGB, the sweep at the end of the first row."""
        rows = [self.rows[0] + [self.panel("sweep")] * (sweep is not None), self.rows[1]]
        for panel in rows[0] + rows[1]:
            shown = (id(run), run.epoch, run.settings, id(previous), settled,
                     panel is self.made.get("sweep") and (id(sweep), sweep.epoch))
            if self.pixels.get(panel, (None,))[0] != shown and run.params is not None:
                panel.show(run, previous, sweep, settled)
                self.pixels[panel] = (shown, panel.render().copy())
        self.placed, top = {}, 0  # panel -> (left, top) pixel of its corner in the picture
        for row in rows:
            left = 0
            for panel in row:
                self.placed[panel] = (left, top)
                left += self.pixels[panel][1].shape[1]
            top += max(self.pixels[panel][1].shape[0] for panel in row)
        return compose([[self.pixels[panel][1] for panel in row] for row in rows])
