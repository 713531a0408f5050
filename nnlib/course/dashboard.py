"""The training dashboard: sliders that retrain the network and redraw its figures.

    from nnlib.course.dashboard import dashboard
    dashboard(dataset="seed")

Moving a control trains a fresh network with `nnlib.train` and redraws one
matplotlib figure, which is drawn off screen and shown as a PNG image:

    left    the loss curve (log scale), the previous run faintly behind it
    middle  the seed data: outputs against targets, as a table of numbers;
            2-D data: the decision boundary, a filled contour with the points
    right   (after "sweep learning rates") the final loss of 64 networks,
            one per learning rate, trained together by `nnlib.course.sweep`

The figure and its lines are made once and updated with `set_data`, so a
redraw costs little next to the training it shows. Needs ipywidgets and
matplotlib.
"""

import base64
import io
import time

import ipywidgets as widgets
import numpy as np
import PIL.Image
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

from ..data import DATASETS, load
from ..losses import LOSSES
from ..network import accuracy, predict
from ..training import train
from .plots import BELIEF_CMAP, COLORS, grid_for, scatter_classes
from .sweep import learning_rate_grid, train_many

LOSS_NAMES = {loss.display_name: name for name, loss in LOSSES.items()}  # dropdown label -> loss=
DATASET_NAMES = {"the seed's 4 samples": "seed", "XOR": "xor",
                 "two moons": "moons", "two spirals": "spirals"}
GRID_STEPS = 80  # the decision boundary is evaluated on a GRID_STEPS x GRID_STEPS grid
SWEEP_RATES = 64  # networks in the learning-rate sweep
SWEEP_BUDGET = 5e7  # at most this many SWEEP_RATES * N * (H + 1) * epochs, about 2 s


def dashboard(dataset="seed", learning_rate=0.1, hidden_size=4, epochs=10000,
              loss="mse", seed=42, sweep=False):
    """A dashboard widget: controls above, the figure and a status line below.

    Parameters are the starting values of the controls: `dataset` is one of
    'seed', 'xor', 'moons', 'spirals'; `loss` is 'mse' or 'bce'; `sweep`
    switches the learning-rate sweep on from the start (it retrains 64
    networks whenever a control other than the learning rate changes, so it
    starts off); the rest are as in `nnlib.train`.

    Returns
    -------
    ipywidgets.VBox
        Show it by making it the last line of a cell. Where widgets cannot
        run (a notebook on GitHub), the same output shows the first figure
        as a plain PNG instead.
    """
    return Dashboard(dataset, learning_rate, hidden_size, epochs, loss, seed, sweep).widget


def run_summary(losses):
    """A plain-language verdict on a loss curve, or '' if it looks healthy."""
    first, last = losses[0], losses[-1]
    if not np.all(np.isfinite(losses)):
        return "The loss is not a finite number."
    if np.max(losses) > 1.05 * first:
        return "The loss went up during training: the learning rate is probably too large."
    if last > 0.9 * first:
        return ("The loss barely moved: the learning rate may be too small, "
                "or the units are saturated (stuck at 0 or 1).")
    return ""


def plain_log_axis(axis):
    """Label a log axis 0.001, 0.01, ... in plain text, without minor ticks.

    The default labels are typeset as 10 to a power with matplotlib's
    mathtext, which costs more than the rest of a redraw together.
    """
    axis.set_major_locator(LogLocator(numticks=6))
    axis.set_major_formatter(FuncFormatter(lambda value, position: f"{value:g}"))
    axis.set_minor_locator(NullLocator())


def decade_limits(values):
    """Axis limits for a log axis: the powers of ten around the values.

    Snapping to whole decades keeps the axis, and so the background of the
    figure, unchanged from one run to the next unless the values move a lot.
    """
    low = max(float(np.min(values)), 1e-12)
    high = max(float(np.max(values)), low)
    return 10.0 ** np.floor(np.log10(low)), 10.0 ** np.ceil(np.log10(high) + 1e-9)


def png_bytes(rgba):
    """PNG bytes of an (height, width, 4) RGBA image.

    Pillow's fastest compression (level 1) makes a file as small as the
    default level 6 for a plot of flat colours, in a quarter of the time.
    """
    buffer = io.BytesIO()
    PIL.Image.fromarray(rgba).save(buffer, format="png", compress_level=1)
    return buffer.getvalue()


class DashboardBox(widgets.VBox):
    """A VBox that also carries a PNG of its figure, for renderers without widgets."""

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        bundle["image/png"] = base64.b64encode(self.image.value).decode("ascii")
        bundle["text/plain"] = self.summary
        return bundle


class Dashboard:
    """Controls, one reused figure and a status line, wired together.

    Tests drive it from Python: set `controls[name].value` and read
    `figure`, `status.value` and `result`.
    """

    def __init__(self, dataset="seed", learning_rate=0.1, hidden_size=4,
                 epochs=10000, loss="mse", seed=42, sweep=False):
        if dataset not in DATASETS:
            raise ValueError(f"dataset must be one of {tuple(DATASETS)}; got {dataset!r}")
        if loss not in LOSS_NAMES.values():
            raise ValueError(f"loss must be one of {tuple(LOSS_NAMES.values())}; got {loss!r}")
        wide = {"description_width": "initial"}
        layout = widgets.Layout(width="320px")
        self.controls = {
            "learning_rate": widgets.FloatLogSlider(
                value=learning_rate, base=10, min=-3, max=2, step=0.25,
                description="learning rate", continuous_update=False,
                readout_format=".3g", style=wide, layout=layout),
            "hidden_size": widgets.IntSlider(
                value=hidden_size, min=1, max=64, description="hidden size",
                continuous_update=False, style=wide, layout=layout),
            "epochs": widgets.IntSlider(
                value=epochs, min=100, max=20000, step=100, description="epochs",
                continuous_update=False, style=wide, layout=layout),
            "seed": widgets.IntSlider(
                value=seed, min=0, max=99, description="seed",
                continuous_update=False, style=wide, layout=layout),
            "loss": widgets.Dropdown(
                options=LOSS_NAMES, value=loss, description="loss", style=wide, layout=layout),
            "dataset": widgets.Dropdown(
                options=DATASET_NAMES, value=dataset, description="dataset", style=wide, layout=layout),
        }
        self.sweep_button = widgets.ToggleButton(
            value=bool(sweep), description="sweep learning rates",
            tooltip="Train 64 networks, one per learning rate, and plot their final losses",
            layout=widgets.Layout(width="auto"))
        self.status = widgets.HTML()
        self.figure = Figure(figsize=(11, 3.6), dpi=72)
        # Shown at the PNG's own width (no blurry enlarging), narrower on a small screen.
        width = round(self.figure.get_figwidth() * self.figure.dpi)
        self.image = widgets.Image(format="png", layout=widgets.Layout(
            width=f"{width}px", max_width="100%", height="auto"))
        self.figure.subplots_adjust(left=0.07, right=0.975, bottom=0.15, top=0.9, wspace=0.38)
        self.ax_loss, self.ax_data, self.ax_sweep = self.figure.subplots(1, 3)
        self.canvas = FigureCanvasAgg(self.figure)
        self.background = None  # the figure without the lines and numbers that change
        self.background_state = None  # what the background was drawn with
        self.setup_loss_axes()
        self.setup_sweep_axes()
        self.shown_dataset = None
        self.result = None
        self.sweep_losses = None

        self.widget = DashboardBox([
            widgets.HBox([widgets.VBox([self.controls[name] for name in ("learning_rate", "hidden_size", "epochs")]),
                          widgets.VBox([self.controls[name] for name in ("loss", "dataset", "seed")]),
                          self.sweep_button],
                         layout=widgets.Layout(flex_flow="row wrap")),  # wraps on a narrow screen
            self.image,
            self.status,
        ])
        self.widget.image = self.image
        for control in self.controls.values():
            control.observe(self.on_change, names="value")
        self.sweep_button.observe(self.on_change, names="value")
        self.update()

    # -- settings --------------------------------------------------------

    def settings(self):
        """The current control values, as keyword arguments of `nnlib.train`."""
        values = {name: control.value for name, control in self.controls.items()}
        values.pop("dataset")
        return values

    def describe(self):
        """A one-line text form of the dashboard, its settings and its result."""
        s = self.settings()
        text = (f"Dashboard(dataset={self.controls['dataset'].value!r}, "
                f"learning_rate={s['learning_rate']:.3g}, hidden_size={s['hidden_size']}, "
                f"epochs={s['epochs']}, loss={s['loss']!r}, seed={s['seed']})")
        if self.result is not None:
            text += f": final loss {self.result.losses[-1]:.4f}, accuracy {self.accuracy:.2f}"
        return text

    # -- reacting to the controls ---------------------------------------

    def on_change(self, change):
        """Retrain and redraw; show any error in the status line, never lose it."""
        try:
            self.update(sweep_needed=change["owner"] is not self.controls["learning_rate"])
        except Exception as error:  # shown to the student instead of a silent log entry
            self.status.value = f"<b style='color:{COLORS['vermillion']}'>Error:</b> {type(error).__name__}: {error}"

    def update(self, sweep_needed=True):
        """Train with the current settings and redraw every panel."""
        X, y = load(self.controls["dataset"].value)
        start = time.perf_counter()
        previous = self.result
        self.result = train(X, y, **self.settings())
        seconds = time.perf_counter() - start
        A2 = predict(self.result.params, X)  # (N, M)
        self.accuracy = accuracy(A2, y)

        self.draw_losses(previous)
        self.draw_data(X, y, A2)
        if self.sweep_button.value and (sweep_needed or self.sweep_losses is None):
            self.run_sweep(X, y)
        elif not self.sweep_button.value:
            self.sweep_losses = None
        self.draw_sweep()
        self.image.value = self.render()
        self.widget.summary = self.describe()
        self.show_status(seconds)

    def moving_parts(self):
        """The artists that change from run to run; everything else is background."""
        parts = [self.previous_line, self.loss_line, self.rate_marker, self.sweep_line]
        if self.shown_dataset == "seed":
            parts += [self.table_image, self.table_separator]
            parts += [text for row in self.table_texts for text in row[:2]]  # outputs only
        else:
            parts += self.contours + self.points + [self.ax_data.get_legend()]
        return parts

    def render(self):
        """PNG bytes of the figure, redrawing only what changed when possible.

        Drawing axes, ticks and titles is most of matplotlib's work, so they
        are drawn once into a background image, and later runs paste that
        background and draw only the moving parts on top (blitting). When an
        axis limit or a title changes, the background is drawn again.
        """
        parts = self.moving_parts()
        for artist in parts:
            artist.set_animated(True)  # left out of the background
        state = (self.ax_loss.get_xlim(), self.ax_loss.get_ylim(), self.ax_loss.get_ylabel(),
                 self.ax_sweep.get_ylim(), self.ax_sweep.get_title(), self.sweep_hint.get_visible(),
                 self.shown_dataset)
        if state != self.background_state:
            self.canvas.draw()
            self.background = self.canvas.copy_from_bbox(self.figure.bbox)
            self.background_state = state
        else:
            self.canvas.restore_region(self.background)
        for artist in parts:
            self.figure.draw_artist(artist)
        return png_bytes(np.asarray(self.canvas.buffer_rgba()))

    def show_status(self, seconds):
        losses = self.result.losses
        warning = run_summary(losses)
        text = (f"final loss <b>{losses[-1]:.4g}</b> · accuracy <b>{self.accuracy:.0%}</b>"
                f" · trained in {seconds * 1000:.0f} ms")
        if warning:
            text += f"<br><b style='color:{COLORS['vermillion']}'>⚠ {warning}</b>"
        self.status.value = text

    # -- the loss panel --------------------------------------------------

    def setup_loss_axes(self):
        ax = self.ax_loss
        (self.previous_line,) = ax.plot([], [], color=COLORS["sky"], alpha=0.5, lw=1.5, label="previous run")
        (self.loss_line,) = ax.plot([], [], color=COLORS["blue"], lw=2, label="this run")
        ax.set_yscale("log")
        plain_log_axis(ax.yaxis)
        ax.set_xlabel("epoch")
        ax.set_ylabel("loss (log scale)")
        ax.set_title("Loss during training")
        ax.legend(loc="upper right")
        ax.grid(alpha=0.3)

    def draw_losses(self, previous):
        epochs = np.arange(len(self.result.losses))
        self.loss_line.set_data(epochs, self.result.losses)
        if previous is not None:
            self.previous_line.set_data(np.arange(len(previous.losses)), previous.losses)
        shown = [self.result.losses] + ([previous.losses] if previous is not None else [])
        self.ax_loss.set_xlim(0, max(len(losses) for losses in shown))
        self.ax_loss.set_ylim(*decade_limits(np.concatenate(shown)))
        name = {"mse": "mean squared error", "bce": "cross-entropy"}[self.result.loss]
        self.ax_loss.set_ylabel(f"{name} (log scale)")

    # -- the data panel --------------------------------------------------

    def draw_data(self, X, y, A2):
        dataset = self.controls["dataset"].value
        if dataset != self.shown_dataset:
            self.ax_data.clear()
            if dataset == "seed":
                self.setup_table(y)
            else:
                self.setup_boundary(X, y)
            self.shown_dataset = dataset
        if dataset == "seed":
            self.draw_table(A2)
        else:
            self.draw_boundary()

    def setup_table(self, y):
        """Outputs (left) beside targets (right), one row per sample.

        The targets never change, so their half is drawn once into the
        background; only the outputs' half is redrawn after each run.
        """
        ax = self.ax_data
        n = len(y)  # samples, one row each
        colours = {"cmap": "cividis", "vmin": 0, "vmax": 1, "aspect": "auto"}
        self.table_image = ax.imshow(y, extent=(-0.5, 1.5, n - 0.5, -0.5), **colours)  # outputs
        ax.imshow(y, extent=(1.5, 3.5, n - 0.5, -0.5), **colours)  # targets
        self.table_texts = [[ax.text(j, i, "", ha="center", va="center", fontsize=12)
                             for j in range(4)] for i in range(n)]
        for i, row in enumerate(self.table_texts):
            for text, target in zip(row[2:], y[i]):
                self.show_value(text, target)
        ax.set_xlim(-0.5, 3.5)
        ax.set_ylim(n - 0.5, -0.5)
        ax.set_xticks(range(4), ["output 0", "output 1", "target 0", "target 1"])
        ax.set_yticks(range(n), [f"sample {i}" for i in range(n)])
        self.table_separator = ax.axvline(1.5, color="white", lw=3)
        ax.set_title("Outputs against targets")

    @staticmethod
    def show_value(text, value):
        """Write a value in [0, 1] into a table cell, dark on light, light on dark."""
        text.set_text(f"{value:.2f}")
        text.set_color("black" if value > 0.5 else "white")

    def draw_table(self, A2):
        self.table_image.set_data(A2)  # (N, M) = (4, 2)
        for row, outputs in zip(self.table_texts, A2):
            for text, value in zip(row[:2], outputs):
                self.show_value(text, value)

    def setup_boundary(self, X, y):
        ax = self.ax_data
        self.grid, self.grid_x0, self.grid_x1 = grid_for(X, steps=GRID_STEPS)
        self.contours = []
        self.points = scatter_classes(ax, X, y)
        ax.set_title("Decision boundary")
        ax.legend(loc="upper right", fontsize=9)

    def draw_boundary(self):
        for artist in self.contours:
            artist.remove()
        belief = predict(self.result.params, self.grid)[:, 1].reshape(GRID_STEPS, GRID_STEPS)
        self.contours = [
            self.ax_data.contourf(self.grid_x0, self.grid_x1, belief,
                                  levels=np.linspace(0, 1, 11), cmap=BELIEF_CMAP),
            self.ax_data.contour(self.grid_x0, self.grid_x1, belief, levels=[0.5],
                                 colors=COLORS["black"], linewidths=1.5),
        ]

    # -- the sweep panel -------------------------------------------------

    def setup_sweep_axes(self):
        ax = self.ax_sweep
        (self.sweep_line,) = ax.plot([], [], color=COLORS["green"], marker=".", lw=1)
        self.rate_marker = ax.axvline(1, color=COLORS["vermillion"], lw=2, ls="--", label="slider's rate")
        ax.set_xscale("log")
        ax.set_yscale("log")
        plain_log_axis(ax.xaxis)
        plain_log_axis(ax.yaxis)
        ax.set_xlim(1e-3, 1e2)
        ax.set_ylim(1e-4, 1)
        ax.set_xlabel("learning rate (log scale)")
        ax.set_ylabel("final loss (log scale)")
        ax.set_title("Learning-rate sweep")
        ax.grid(alpha=0.3)
        self.sweep_hint = ax.text(0.5, 0.5, "press 'sweep learning rates'", transform=ax.transAxes,
                                  ha="center", va="center", color=COLORS["black"],
                                  bbox={"facecolor": "white", "edgecolor": "none"})

    def run_sweep(self, X, y):
        """Train SWEEP_RATES networks at once; on big problems, for fewer epochs."""
        s = self.settings()
        work_per_epoch = SWEEP_RATES * X.shape[0] * (s["hidden_size"] + 1)
        self.sweep_epochs = int(min(s["epochs"], max(10, SWEEP_BUDGET // work_per_epoch)))
        self.sweep_rates = learning_rate_grid(1e-3, 1e2, SWEEP_RATES)  # (64,)
        self.sweep_losses = train_many(X, y, self.sweep_rates, s["hidden_size"], self.sweep_epochs,
                                       s["seed"], s["loss"])[:, -1]  # (64,)

    def draw_sweep(self):
        self.rate_marker.set_xdata([self.controls["learning_rate"].value] * 2)
        if self.sweep_losses is None:
            self.ax_sweep.set_title("Learning-rate sweep")
            self.sweep_line.set_data([], [])
            self.sweep_hint.set_visible(True)
            return
        self.sweep_hint.set_visible(False)
        self.ax_sweep.set_title(f"Sweep: loss after {self.sweep_epochs} epochs")
        self.sweep_line.set_data(self.sweep_rates, self.sweep_losses)
        self.ax_sweep.set_ylim(*decade_limits(self.sweep_losses))
