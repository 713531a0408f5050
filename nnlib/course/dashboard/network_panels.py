"""The dashboard's look inside the network: its weights as a diagram, its hidden units' outputs.

    NetworkPanel   inputs, hidden units and outputs joined by one line per
                   weight: solid blue for a positive weight, dashed vermillion
                   for a negative one, thicker for a larger one
    UnitMapsPanel  2-D data: each hidden unit's output over the plane, one
                   small map per unit (TensorFlow Playground's neurons)
    UnitBarsPanel  the seed data: each hidden unit's output for each sample, as bars

They follow `picture.Panel`. What depends on the number of hidden units
moves (it is drawn on every frame), so that a new hidden size costs no
new background. Shape letters: D inputs, H hidden units, M outputs, N samples, S pixels a side.
"""

import math

import numpy as np
from matplotlib import colormaps
from matplotlib.cm import ScalarMappable
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize, to_rgba_array
from matplotlib.lines import Line2D

from ...network import forward
from ..palette import BLACK, COLORS, VALUES, WHITE
from .picture import Panel
from ..plots import grid_for

SIGN_COLOURS = to_rgba_array([COLORS["blue"], COLORS["vermillion"]])  # positive, negative weight
SIGN_STYLES = ("solid", (0, (4, 2)))  # positive, negative: not by colour alone
UNIT_MAP = colormaps[VALUES].with_extremes(bad=WHITE)  # a unit's output, 0 to 1; white between maps


def column(count):
    """Heights of `count` nodes spread evenly over a column, top to bottom."""
    return np.linspace(0.95, 0.05, count) if count > 1 else np.array([0.5])


class NetworkPanel(Panel):
    """The network as a diagram, one line per weight, redrawn as the weights change."""

    def __init__(self):
        super().__init__(3.6)
        ax = self.ax = self.figure.add_axes((0.02, 0.02, 0.96, 0.88))
        self.lines = LineCollection([], capstyle="round")
        ax.add_collection(self.lines)
        self.nodes = ax.scatter([], [], color=WHITE, edgecolor=BLACK, zorder=3)
        self.count = ax.text(1, -0.01, "", ha="center", va="top", fontsize=10, animated=True)
        ax.text(1, -0.33, "line width: the weight's size", ha="center", va="bottom", fontsize=10)
        ax.set_xlim(-0.45, 2.5)
        ax.set_ylim(-0.34, 1.02)
        ax.axis("off")
        ax.set_title("The network's weights")
        ax.legend(handles=[Line2D([], [], color=COLORS["blue"], lw=2, label="positive"),
                           Line2D([], [], color=COLORS["vermillion"], lw=2, ls=SIGN_STYLES[1], label="negative")],
                  loc="center", bbox_to_anchor=(0.5, 0.115), ncols=2, fontsize=10, frameon=False)
        self.names, self.shape, self.signs = [], None, None

    def prepare(self, run):
        """Place the nodes and one line per weight for the run's D, H and M."""
        D, H, M = run.X.shape[1], run.settings.hidden_size, run.y.shape[1]
        if (D, H, M) == self.shape:
            return
        columns = [column(D), column(H), column(M)]
        segments = [[(0, a), (1, b)] for a in columns[0] for b in columns[1]]  # D * H weights of W1
        segments += [[(1, a), (2, b)] for a in columns[1] for b in columns[2]]  # H * M weights of W2
        self.lines.set_segments(segments)
        self.signs = None  # new lines: their styles are set on the next show
        self.nodes.set_offsets(np.vstack([np.column_stack([np.full(len(c), x), c]) for x, c in enumerate(columns)]))
        self.nodes.set_sizes([60 if H <= 16 else 12])
        self.lines.set_alpha(1 if H <= 16 else 0.5)  # many lines: the strong ones stand out
        self.count.set_text(f"{H} hidden unit{'s' * (H > 1)}")
        if self.shape is None or self.shape[::2] != (D, M):  # the names are background
            for text in self.names:
                text.remove()
            self.names = [self.ax.text(-0.08, y, f"x{i}", ha="right", va="center", fontsize=10)
                          for i, y in enumerate(columns[0])]
            self.names += [self.ax.text(2.08, y, f"out {m}", ha="left", va="center", fontsize=10)
                           for m, y in enumerate(columns[2])]
        self.shape = (D, H, M)

    def show(self, run, previous, sweep, settled=True):
        """Set each line's width by its weight's size and its look by the sign."""
        weights = np.concatenate([run.params["W1"].ravel(), run.params["W2"].ravel()])  # (D*H + H*M,)
        largest = float(np.max(np.abs(weights)))
        self.lines.set_linewidths(0.3 + 3.7 * np.abs(weights) / max(largest, 1.0))  # largest: 4 points
        negative = (weights < 0).astype(int)  # (D*H + H*M,) 1 for a negative weight
        if not np.array_equal(negative, self.signs):  # styles cost: set them only when a sign flips
            self.lines.set_colors(SIGN_COLOURS[negative])
            self.lines.set_linestyles([SIGN_STYLES[n] for n in negative])
            self.signs = negative

    def moving(self):
        """The lines, the nodes on top of them and the number of units."""
        return [self.lines, self.nodes, self.count]


class UnitMapsPanel(Panel):
    """2-D data: each hidden unit's output over the plane, as a mosaic of small maps.

    Each map is computed at exactly its size in pixels and pasted into the
    figure as it is (`figimage`), which costs a third of drawing an image
    that matplotlib has to resample.
    """

    def __init__(self):
        super().__init__(4.4)
        self.figure.suptitle("Each hidden unit's output over the plane", fontsize=12, y=0.975)
        bar = self.figure.add_axes((0.86, 0.06, 0.035, 0.76))
        self.figure.colorbar(ScalarMappable(Normalize(0, 1), UNIT_MAP), cax=bar)
        bar.set_title("output", fontsize=10)
        self.image = self.figure.figimage(np.zeros((1, 1, 4), np.uint8), origin="upper")
        self.labels, self.shape = [], None

    def prepare(self, run):
        """A mosaic with room for every hidden unit's map, over a grid that covers the data."""
        H = run.settings.hidden_size
        columns = math.ceil(math.sqrt(H))
        rows = math.ceil(H / columns)
        width, height = 0.8 * self.figure.bbox.width, 0.82 * self.figure.bbox.height  # pixels for the mosaic
        side = int(min(width / columns, height / rows)) - 1  # pixels per map, one between maps
        self.grid, _, _ = grid_for(np.vstack([run.X, run.X_test]), steps=side)  # (side*side, 2)
        self.side, self.columns = side, columns
        self.mosaic = np.full((rows * (side + 1) - 1, columns * (side + 1) - 1), np.nan)
        self.image.ox = int(0.03 * self.figure.bbox.width)
        self.image.oy = int(0.06 * self.figure.bbox.height + height - self.mosaic.shape[0])
        for text in self.labels:
            text.remove()
        self.labels = [self.figure.text((self.image.ox + (k % columns) * (side + 1) + 3) / self.figure.bbox.width,
                                        (self.image.oy + self.mosaic.shape[0] - (k // columns) * (side + 1) - 2)
                                        / self.figure.bbox.height, str(k), ha="left", va="top", fontsize=10,
                                        color=WHITE, animated=True,  # on black: readable on any map
                                        bbox={"facecolor": BLACK, "edgecolor": "none", "pad": 1})
                       for k in range(H)] if H <= 16 else []

    def show(self, run, previous, sweep, settled=True):
        """Compute every hidden unit's output on the grid and lay the maps out."""
        A1 = forward(run.params, self.grid)[1]["A1"]  # (S*S, H): the hidden layer's outputs
        S, step = self.side, self.side + 1
        maps = A1.T.reshape(-1, S, S)[:, ::-1, :]  # (H, S, S), top row = largest x1
        for k, unit in enumerate(maps):
            row, col = divmod(k, self.columns)
            self.mosaic[row * step:row * step + S, col * step:col * step + S] = unit
        self.image.set_data(UNIT_MAP(self.mosaic, bytes=True))  # (rows, columns, 4) RGBA

    def moving(self):
        """The maps and their numbers."""
        return [self.image] + self.labels


class UnitBarsPanel(Panel):
    """The seed data: each hidden unit's output for each sample, as one bar per unit.

    A row of H bars per sample, each bar as tall as the unit's output
    (from 0 to 1): read by length, not by colour.
    """

    def __init__(self):
        super().__init__(4.4)
        ax = self.ax = self.figure.add_axes((0.2, 0.16, 0.76, 0.72))
        self.bars = LineCollection([], color=COLORS["blue"], capstyle="butt")
        ax.add_collection(self.bars)
        ax.set_xlim(0, 1)
        ax.set_xticks([])
        ax.set_xlabel("hidden units (bar height: output, 0 to 1)")
        ax.set_title("Hidden units' outputs per sample")
        self.shape = None

    def prepare(self, run):
        """A row per sample, room for a bar per hidden unit."""
        N, H = len(run.X), run.settings.hidden_size
        if (N, H) == self.shape:
            return
        self.ax.set_ylim(N - 0.05, -0.15)  # sample 0 at the top
        self.ax.set_yticks(np.arange(N) + 0.4, [f"sample {n}" for n in range(N)])
        for line in self.ax.lines:
            line.remove()
        for n in range(N):
            self.ax.axhline(n + 0.85, color=BLACK, lw=0.6)  # each row's baseline: output 0
        self.bars.set_linewidth(max(0.5, 0.7 * self.figure.get_figwidth() * 72 * 0.76 / H))  # bars nearly touch
        self.x = (np.arange(H) + 0.5) / H  # (H,) each bar's position
        self.shape = (N, H)

    def show(self, run, previous, sweep, settled=True):
        """Each sample's hidden outputs, A1 of `nnlib.forward`, as bar heights."""
        A1 = forward(run.params, run.X)[1]["A1"]  # (N, H)
        base = np.arange(len(A1))[:, None] + 0.85  # (N, 1) baselines
        tops = base - 0.75 * A1  # (N, H) output 1 reaches 0.75 of a row up
        self.bars.set_segments(np.stack([np.broadcast_to(self.x, A1.shape), np.broadcast_to(base, A1.shape),
                                         np.broadcast_to(self.x, A1.shape), tops], axis=-1).reshape(-1, 2, 2))

    def moving(self):
        """The bars."""
        return [self.bars]
