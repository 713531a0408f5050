"""The dashboard's look inside the network: its weights as a diagram, its hidden units' outputs.

    NetworkPanel   inputs, hidden units and outputs joined by one line per
                   weight: solid blue for a positive weight, dashed vermillion
                   for a negative one, thicker for a larger one
    UnitMapsPanel  2-D data: each hidden unit's output over the plane, one
                   small map per unit (TensorFlow Playground's neurons)
    UnitBarsPanel  the seed data: each hidden unit's output for each sample, as bars

They show every hidden layer, the first nearest the inputs. They follow
`picture.Panel`. What depends on the number of hidden units
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

from ...activations import ACTIVATIONS
from ...network import forward
from ..palette import BLACK, COLORS, VALUES, WHITE
from .picture import TABLE_ROWS, Panel
from ..plots import grid_for

SIGN_COLOURS = to_rgba_array([COLORS["blue"], COLORS["vermillion"]])  # positive, negative weight
SIGN_STYLES = ("solid", (0, (4, 2)))  # positive, negative: not by colour alone
UNIT_MAP = colormaps[VALUES].with_extremes(bad=WHITE)  # a unit's output, 0 to 1; white between maps
LAYER_GAP = 6  # pixels of white between two hidden layers' maps


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
        self.key_text = ax.text(1, -0.33, "line width: the weight's size", ha="center", va="bottom", fontsize=10)
        ax.set_xlim(-0.45, 2.5)
        ax.set_ylim(-0.34, 1.02)
        ax.axis("off")
        ax.set_title("The network's weights")
        ax.legend(handles=[Line2D([], [], color=COLORS["blue"], lw=2, label="positive"),
                           Line2D([], [], color=COLORS["vermillion"], lw=2, ls=SIGN_STYLES[1], label="negative")],
                  loc="center", bbox_to_anchor=(0.5, 0.115), ncols=2, fontsize=10, frameon=False)
        self.names, self.shape, self.signs = [], None, None

    def prepare(self, run):
        """Place the nodes and one line per weight for the run's D, hidden layers and M."""
        D, M = run.X.shape[1], run.y.shape[1]
        L, H = run.settings.layers, run.settings.hidden_size
        if (D, L, H, M) == self.shape:
            return
        columns = [column(D)] + [column(H)] * L + [column(M)]  # inputs, each hidden layer, outputs
        segments = [[(l, a), (l + 1, b)] for l in range(L + 1)  # W{l+1}: D * H, H * H, ..., H * M weights
                    for a in columns[l] for b in columns[l + 1]]
        self.lines.set_linestyle("solid")  # one style and width first: matplotlib pairs a list of styles with a
        self.lines.set_linewidth(1)  # list of widths over their least common multiple (1.2 s for 525 and 592)
        self.lines.set_segments(segments)
        self.signs = None  # new lines: their styles are set on the next show
        self.nodes.set_offsets(np.vstack([np.column_stack([np.full(len(c), x), c]) for x, c in enumerate(columns)]))
        self.nodes.set_sizes([60 if H * L <= 16 else 12])
        self.lines.set_alpha(1 if len(segments) <= 100 else 0.5)  # many lines: the strong ones stand out
        units = f"{H} unit{'s' * (H > 1)}"
        self.count.set_text(f"{H} hidden {units[len(str(H)) + 1:]}" if L == 1 else f"{L} hidden layers of {units}")
        self.count.set_x((L + 1) / 2)
        self.ax.set_xlim(-0.45, L + 1.5)
        self.key_text.set_x((L + 1) / 2)
        if self.shape is None or (self.shape[0], self.shape[1], self.shape[3]) != (D, L, M):  # the names are background
            for text in self.names:
                text.remove()
            self.names = [self.ax.text(-0.08, y, f"x{i}", ha="right", va="center", fontsize=10)
                          for i, y in enumerate(columns[0])] if D <= 16 else []
            self.names += [self.ax.text(L + 1.08, y, f"out {m}", ha="left", va="center", fontsize=10)
                           for m, y in enumerate(columns[-1])]
        self.shape = (D, L, H, M)

    def show(self, run, previous, sweep, settled=True):
        """Set each line's width by its weight's size and its look by the sign."""
        weights = np.concatenate([run.params[f"W{l}"].ravel() for l in range(1, run.settings.layers + 2)])
        largest = float(np.max(np.abs(weights)))
        self.lines.set_linewidths(0.3 + 3.7 * np.abs(weights) / max(largest, 1.0))  # largest: 4 points
        negative = (weights < 0).astype(int)  # (all weights,) 1 for a negative weight
        if not np.array_equal(negative, self.signs):  # styles cost: set them only when a sign flips
            self.lines.set_colors(SIGN_COLOURS[negative])
            self.lines.set_linestyles([SIGN_STYLES[n] for n in negative])
            self.signs = negative

    def moving(self):
        """The lines, the nodes on top of them and the number of units."""
        return [self.lines, self.nodes, self.count]


def hidden_outputs(run, X):
    """Every hidden layer's outputs on X, scaled to 0 to 1: a list of L arrays (N, H).

    A bounded activation (sigmoid, tanh) maps its range onto 0 to 1; an
    unbounded one (the ReLUs) each layer's lowest to largest output on X.
    """
    settings = run.settings
    _, cache = forward(run.params, X, settings.activation, run.output)
    activation = ACTIVATIONS[settings.activation]
    layers = []
    for l in range(1, settings.layers + 1):
        A = cache[f"A{l}"]  # (N, H)
        if math.isfinite(activation.low) and math.isfinite(activation.high):
            low, high = activation.low, activation.high
        else:
            low, high = min(float(A.min()), 0.0), float(A.max())
        layers.append((A - low) / max(high - low, 1e-12))
    return layers


def scale_words(name):
    """What 0 and 1 of the unit panels' scale mean for the activation `name`: ('0', '1'), ('-1', '1'), ..."""
    activation = ACTIVATIONS[name]
    if math.isfinite(activation.low) and math.isfinite(activation.high):
        return f"{activation.low:g}", f"{activation.high:g}"
    return "min", "max"  # of each layer's outputs


def mosaic_layout(layers, units, width, height):
    """The columns and the side in pixels of each map that fit `layers` bands of `units` maps into width x height.

    One pixel between maps, LAYER_GAP more between two layers' bands.
    """
    best = (1, 0)
    for columns in range(1, units + 1):
        rows = layers * math.ceil(units / columns)
        side = int(min(width / columns, (height - (layers - 1) * LAYER_GAP) / rows)) - 1
        if side > best[1]:
            best = (columns, side)
    return best


class UnitMapsPanel(Panel):
    """2-D data: each hidden unit's output over the plane, as a mosaic of small maps.

    Each hidden layer starts a new row of maps, the first layer at the top.
    Each map is computed at exactly its size in pixels and pasted into the
    figure as it is (`figimage`), which costs a third of drawing an image
    that matplotlib has to resample.
    """

    def __init__(self):
        super().__init__(4.4)
        self.title = self.figure.suptitle("Each hidden unit's output over the plane", fontsize=12, y=0.975)
        bar = self.bar = self.figure.add_axes((0.86, 0.06, 0.035, 0.76))
        self.figure.colorbar(ScalarMappable(Normalize(0, 1), UNIT_MAP), cax=bar)
        bar.set_title("output", fontsize=10)
        self.image = self.figure.figimage(np.zeros((1, 1, 4), np.uint8), origin="upper")
        self.labels, self.shape = [], None

    def prepare(self, run):
        """A mosaic with room for every hidden unit's map, over a grid that covers the data."""
        L, H = run.settings.layers, run.settings.hidden_size
        self.bar.set_yticks([0, 1], scale_words(run.settings.activation))
        self.title.set_text("Each hidden unit's output over the plane" if L == 1
                            else f"Hidden units' outputs, layer 1 (top) to {L}")
        width, height = 0.8 * self.figure.bbox.width, 0.82 * self.figure.bbox.height
        columns, side = mosaic_layout(L, H, width, height)
        rows = math.ceil(H / columns)  # per layer
        self.grid, _, _ = grid_for(np.vstack([run.X, run.X_test]), steps=side)  # (side*side, 2)
        self.side, self.columns, self.rows = side, columns, rows
        self.band = rows * (side + 1) + LAYER_GAP  # pixels from one layer's first row to the next's
        self.mosaic = np.full((L * self.band - LAYER_GAP - 1, columns * (side + 1) - 1), np.nan)
        self.image.ox = int(0.03 * self.figure.bbox.width)
        self.image.oy = int(0.06 * self.figure.bbox.height + height - self.mosaic.shape[0])
        for text in self.labels:
            text.remove()
        step = side + 1
        names = [(l, k, str(k) if L == 1 else f"{l + 1}.{k}") for l in range(L) for k in range(H)]
        self.labels = [self.figure.text((self.image.ox + (k % columns) * step + 3) / self.figure.bbox.width,
                                        (self.image.oy + self.mosaic.shape[0] - l * self.band - (k // columns) * step - 2)
                                        / self.figure.bbox.height, name, ha="left", va="top", fontsize=10,
                                        color=WHITE, animated=True,  # on black: readable on any map
                                        bbox={"facecolor": BLACK, "edgecolor": "none", "pad": 1})
                       for l, k, name in names] if L * H <= 16 else []

    def show(self, run, previous, sweep, settled=True):
        """Compute every hidden unit's output on the grid and lay the maps out, a layer to a band of rows."""
        S, step = self.side, self.side + 1
        for l, A in enumerate(hidden_outputs(run, self.grid)):  # A (S*S, H)
            maps = A.T.reshape(-1, S, S)[:, ::-1, :]  # (H, S, S), top row = largest x1
            for k, unit in enumerate(maps):
                row, col = divmod(k, self.columns)
                top = l * self.band + row * step
                self.mosaic[top:top + S, col * step:col * step + S] = unit
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
        N, H = min(len(run.X), TABLE_ROWS), run.settings.hidden_size * run.settings.layers  # H: every hidden unit
        low, high = scale_words(run.settings.activation)
        self.ax.set_xlabel(f"hidden units, layer by layer (bar height: output, {low} to {high})".replace("\n", " "))
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
        """Each sample's hidden outputs, A1, A2, ... of `nnlib.forward`, as bar heights."""
        A1 = np.hstack(hidden_outputs(run, run.X[:TABLE_ROWS]))  # (N, L*H) every layer's outputs, scaled 0 to 1
        base = np.arange(len(A1))[:, None] + 0.85  # (N, 1) baselines
        tops = base - 0.75 * A1  # (N, H) output 1 reaches 0.75 of a row up
        self.bars.set_segments(np.stack([np.broadcast_to(self.x, A1.shape), np.broadcast_to(base, A1.shape),
                                         np.broadcast_to(self.x, A1.shape), tops], axis=-1).reshape(-1, 2, 2))

    def moving(self):
        """The bars."""
        return [self.bars]
