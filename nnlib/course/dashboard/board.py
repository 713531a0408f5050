"""The dashboard itself: `dashboard()`, the `Dashboard` that wires controls to a live run, its status line.

Every change of a control, and every press of play, step or reset, comes
here (on the kernel's event loop, `kernel_loop`); a `live.Run` (and the
sweep) trains, `player.Player` moves it forward and calls `draw`, which
has the panels (`panels.PanelGrid`) make the picture and writes the status
line, the code and the picture in words (`words`).
"""

import html
import math

import ipyevents
import ipywidgets as widgets
import numpy as np

from ... import _validate
from ..numbers import loss_text
from ..palette import COLORS
from ..plots import figure_html
from .aria import DASHBOARD_CLASS, STATUS_CLASS, WORDS_CLASS, aria_output
from .controls import controls_box, make_buttons, make_clicking, make_controls, make_note, settings_from, show_clicking
from .kernel_loop import new_lock, on_loop, running_loop
from .live import Chain, Run, Sweep
from .own_data import OWN, own_data
from .panels import PanelGrid
from .picture import jpeg_bytes, png_bytes
from .player import Player
from .settings import SAMPLED, Settings
from .words import describe_run, ties_sentence, warning


def dashboard(dataset=None, learning_rate=0.1, hidden_size=4, epochs=10000, loss="mse", seed=42,
              sweep=False, noise=0.1, test_fraction=0.5, controls=None, layers=1, activation="sigmoid",
              classes=2, X=None, y=None, points=()):
    """A live dashboard widget: controls, run buttons and the status line above the picture.

    Parameters
    ----------
    dataset : {'seed', 'xor', 'moons', 'spirals'}, optional
        What to train on ('seed' unless X and y are given): moons and
        spirals are 200 points, split into a training and a test set.
    learning_rate, hidden_size, epochs, loss, seed, activation
        As in `nnlib.train`: the starting values of the controls
        (`hidden_size`: the units of each hidden layer, 1 to 64).
    layers : int
        Hidden layers, 1 to 4 (or give `hidden_size` as a list of equal
        widths, [16, 16, 16], as `nnlib.train` takes it).
    classes : {2, 3}
        Moons and spirals: two classes, or a third (three arms).
    X, y : array_like, optional
        Your own data instead: X (N, D), one row per sample (at most 1,000),
        and y as class labels (N,) or one-hot rows (N, M). Data with two
        inputs is drawn on the plane, other data as a table of outputs.
    points : list of (x0, x1, class), optional
        Extra training points on the plane (what clicking on it adds).
    sweep : bool
        Also train one network per learning rate and plot their losses.
    noise : float
        Moons and spirals: the noise of the points, from 0 to 0.5.
    test_fraction : float
        Moons and spirals: the share held out as a test set, from 0 to 0.8.
    controls : list of str, optional
        The controls to show, e.g. ["learning_rate"] to focus a lesson
        (one name alone may be given as a string); by default all. The
        others keep their starting values.

    Returns
    -------
    ipywidgets.VBox
        Show it by making it the last line of a cell. Where widgets cannot
        run (a notebook on GitHub), the same output shows the first picture
        as a plain PNG. Its `.board` is the `Dashboard` behind it.
    """
    if isinstance(hidden_size, (list, tuple, np.ndarray)):  # a list of widths, as nnlib.train takes it
        layers, hidden_size = equal_widths(hidden_size, layers)
    own = None
    if X is not None or y is not None:
        if X is None or y is None:
            raise ValueError(f"your own data needs both X and y; got only {'X' if y is None else 'y'}")
        if dataset is not None:
            raise ValueError(f"give either dataset or your own X and y, not both; got dataset={dataset!r} and X, y")
        own, dataset = own_data(X, y), OWN
    return Dashboard(controls, dataset="seed" if dataset is None else dataset, learning_rate=learning_rate,
                     hidden_size=hidden_size, epochs=epochs, loss=loss, seed=seed, sweep=sweep, noise=noise,
                     test_fraction=test_fraction, layers=layers, activation=activation, classes=classes,
                     points=points, own=own).widget


def equal_widths(hidden_size, layers):
    """(layers, width) from a list of hidden layers' widths: the dashboard's one slider gives them all one width."""
    widths = _validate.layer_widths(hidden_size)  # nnlib.train's checks and messages
    if len(set(widths)) > 1:
        raise ValueError(f"hidden_size must give every hidden layer the same width in the dashboard (one slider "
                         f"sets them all); got {list(widths)}")
    if layers != 1 and layers != len(widths):
        raise ValueError(f"layers is {layers!r} but hidden_size lists {len(widths)} hidden layers ({list(widths)}); "
                         "give one of the two")
    return len(widths), widths[0]


class DashboardBox(widgets.VBox):
    """A VBox that also carries its picture and a text summary, for where the widget cannot run.

    The picture goes out as HTML with alt text and caption: JupyterLab gives a PNG output no alt text.
    """

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        words = picture_in_words(self.board.run, self.board.sweep)
        bundle["text/html"] = figure_html(png_bytes(self.board.picture, level=9), words)
        bundle["text/plain"] = self.board.summary()
        return bundle


class Dashboard:
    """Controls, run buttons, one picture of several panels and a status line, wired to a live run.

    Tests drive it from Python: set `controls[name].value` (outside an event
    loop the run finishes before that returns) and read `run`, `sweep`,
    `panels`, `status.value` and `image.value`.

    Parameters
    ----------
    controls : list of str, optional
        The controls to show (see `dashboard`).
    **settings
        The starting settings, as in `Settings`.
    """

    def __init__(self, controls=None, **settings):
        self.settings = Settings(**settings)
        self.controls, self.buttons, self.sampled_note = make_controls(self.settings), make_buttons(), make_note()
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%", height="auto"))
        self.status = widgets.HTML().add_class(STATUS_CLASS)
        self.code = widgets.Textarea(rows=12, layout=widgets.Layout(width="100%"))
        self.words = widgets.HTML(layout=widgets.Layout(width="100%")).add_class(WORDS_CLASS)
        self.clicking = make_clicking(self.settings)  # the class a click adds, and "remove clicked points"
        self.widget = DashboardBox([
            controls_box(self.controls, controls, self.sampled_note),
            widgets.HBox(list(self.buttons.values()), layout=widgets.Layout(flex_flow="row wrap")),
            self.clicking["box"], self.status, self.image,
            widgets.Accordion([self.code, self.words], titles=("copy as code", "the picture in words")),
            aria_output()]).add_class(DASHBOARD_CLASS)
        self.widget.board = self
        self.own = self.settings.own  # data of one's own, kept while another dataset is shown
        self.player = Player(self.draw, self.report)
        self.run, self.previous, self.sweep, self.note = Run(self.settings), None, None, ""
        self.panels = PanelGrid()
        self.png_level = 9  # the first picture is the one a saved notebook keeps: made once, a sixth smaller
        self.start(self.settings, live=False)  # the first picture is there before this returns
        self.png_level = 1  # then fast: a picture at the end of every run
        home, lock = running_loop(), new_lock()  # every change and press on the kernel's loop, one at a time
        for control in self.controls.values():
            control.observe(on_loop(home, self.on_change, lock), names="value")
        for name, action in (("play", self.on_play), ("step", self.on_step), ("reset", self.on_reset)):
            self.buttons[name].on_click(on_loop(home, guarded(action, self.report), lock))
        self.buttons["speed"].observe(on_loop(home, guarded(self.on_speed, self.report), lock), names="value")
        self.clicks = ipyevents.Event(source=self.image, watched_events=["click"], prevent_default_action=True)
        self.clicks.on_dom_event(on_loop(home, self.on_click, lock))
        self.clicking["remove"].on_click(on_loop(home, guarded(self.on_remove, self.report), lock))

    # -- what the controls and buttons do ----------------------------------

    def on_change(self, change):
        """A control moved: start a run with the new settings (errors go to the status line).

        Clicked points belong to their data: a new dataset or number of classes drops them.
        """
        def restart(_):
            new = settings_from(self.controls, own=self.own)
            same = (new.dataset, new.classes) == (self.settings.dataset, self.settings.classes)
            self.start(new.replace(points=self.settings.points) if same else new)
        guarded(restart, self.report)(change)

    def on_click(self, event):
        """A click on the picture: a point of the chosen class where it fell on the decision boundary's plane.

        What goes wrong (too many points) goes to the status line; the dashboard goes on as it was.
        """
        guarded(self.add_point, self.report)(event)

    def add_point(self, event):
        """Add a clicked point to the training set and train again (see `on_click`)."""
        if event.get("type") != "click" or "dataX" not in event:
            return
        where = self.panels.point_at(event["dataX"], event["dataY"])
        if where is None or not self.settings.two_d():
            self.note = "A click adds a point only inside the decision boundary's map."
            self.status.value = self.status_text(not self.player.playing()) if not self.player.playing() \
                else self.status.value
            return
        point = (round(where[0], 2), round(where[1], 2), self.clicking["class"].value)
        self.start(self.settings.replace(points=self.settings.points + (point,)))

    def on_remove(self, _):
        """Take away every clicked point, and train again on the data as it was."""
        if self.settings.points:
            self.start(self.settings.replace(points=()))

    def start(self, settings, live=True):
        """Stop what runs, and train a new network with `settings` from epoch 0.

        Switching the sweep on or off keeps the network; a new learning rate
        keeps the sweep (it does not depend on the rate).
        """
        self.player.stop()
        keep = self.panels.rows and settings.replace(sweep=False) == self.settings.replace(sweep=False)
        if self.run.done() and not keep:
            self.previous = self.run  # the last run that finished, drawn if comparable
        rebuild = shape_of(self.run.settings) != shape_of(settings) or not self.panels.rows
        sweep_key = settings.replace(learning_rate=1)
        if not settings.sweep:
            self.sweep = None
        elif self.sweep is None or self.sweep.settings.replace(learning_rate=1) != sweep_key:
            self.sweep = Sweep(settings)  # a new sweep only when more than the rate changed
        self.settings, self.run, self.note = settings, self.run if keep else Run(settings), ""
        for name in ("noise", "test_fraction", "classes"):  # only moons and spirals have them
            self.controls[name].disabled = settings.dataset not in SAMPLED
        show_clicking(self.clicking, settings)
        self.sampled_note.layout.display = "none" if settings.dataset in SAMPLED else None  # says why they are off
        if rebuild:
            self.panels.arrange(self.run)
        self.player.play(Chain(self.run, self.sweep), live=live)

    def on_play(self, _):
        """Pause a running run; go on with a paused one; replay a finished one, at the chosen speed."""
        if self.player.playing():
            self.player.stop()
            self.draw()  # settled: the picture where it paused
        else:
            if self.run.done() and (self.sweep is None or self.sweep.done()):
                self.run = Run(self.settings).rewind()  # from the starting weights: the first frame shows them
            self.note = ""
            self.player.play(Chain(self.run, self.sweep), pace=self.buttons["speed"].value)

    def on_speed(self, change):
        """A new play speed: a play going on takes it at once (a change's run stays as fast as it can)."""
        if self.player.playing() and self.player.pace != math.inf:
            self.player.play(self.player.work, pace=change["new"])

    def on_step(self, _):
        """Pause, train the chosen number of epochs, and say what changed."""
        self.player.stop()
        self.note = self.run.step(self.buttons["step_size"].value)
        self.draw()

    def on_reset(self, _):
        """Back to the starting weights at epoch 0, paused."""
        self.player.stop()
        self.run = Run(self.settings).rewind()
        self.note = "Reset to the starting weights. Press step to train one step at a time, or play."
        self.draw()

    def report(self, error):
        """Show an error in the status line (and, when nothing trains any more, offer play)."""
        self.status.value = f"<b style='color:{COLORS['vermillion']}'>Error:</b> {type(error).__name__}: {error}"
        self.buttons["play"].description = self.buttons["play"].icon = "pause" if self.player.playing() else "play"

    # -- drawing -------------------------------------------------------------

    def draw(self, settled=True):
        """One frame: the panels show the run, then the picture and the texts go out.

        A frame while training goes on (`settled` False) is sent as JPEG, ten
        times faster to make; the picture a run stops on, as PNG.
        """
        previous = self.previous if self.settings.same_data(self.previous and self.previous.settings) else None
        self.picture = self.panels.picture(self.run, previous, self.sweep, settled)
        self.status.value = self.status_text(settled)  # first, so that it is there with the picture
        with self.image.hold_sync():  # the format, size and bytes in one message
            self.image.format = "png" if settled else "jpeg"
            self.image.layout.width = f"{self.picture.shape[1]}px"  # its own size: sharp, never enlarged
            self.image.value = png_bytes(self.picture, self.png_level) if settled else jpeg_bytes(self.picture)
        self.buttons["play"].description = self.buttons["play"].icon = "play" if settled else "pause"
        if settled:
            self.code.value = self.settings.code(self.run.epoch)  # run, it prints `numbers()`
            self.words.value = html.escape(picture_in_words(self.run, self.sweep))

    def numbers(self):
        """The run's numbers as text: final loss, accuracy, test loss (what "copy as code" prints)."""
        return numbers(self.run)

    def status_text(self, settled):
        """What the run is doing, in words: training, paused or finished, and any warning."""
        return status_text(self.run, self.sweep, self.note, settled)

    def summary(self):
        """One line: the settings and the run's numbers (the widget's text form)."""
        return f"{self.settings.describe()}: {self.numbers()}"


def numbers(run):
    """A run's numbers as text: final loss, accuracy, test loss and accuracy (what "copy as code" prints)."""
    loss = run.losses[-1] if run.epoch else run.current_loss()
    text = f"final loss {loss_text(loss)}, accuracy {run.accuracy():.2f}"
    if run.settings.has_test_set():  # the last loss `nnlib.train` records, as the code prints it
        text += f", test loss {loss_text(run.test_loss())}, test accuracy {run.test_accuracy():.2f}"
    return text


def status_text(run, sweep, note, settled):
    """What the run is doing, in words: training, paused or finished, any ties, any warning."""
    epochs = f"epoch {run.epoch:,} of {run.settings.epochs:,}"
    if not settled:
        if run.done() and sweep is not None:
            epochs = f"the sweep's 64 networks, epoch {sweep.epoch:,} of {run.settings.epochs:,}"
        return f"<b>training…</b> <span aria-hidden='true'>{epochs}</span>"  # a screen reader: not every frame
    if not run.done():
        return f"<b>paused</b> at {epochs}. {note}"
    text = " ".join(part for part in (f"{numbers(run)} after {run.epoch:,} epochs.", note, *ties(run)) if part)
    if sweep is not None and not sweep.done():
        text += f" The sweep is paused at epoch {sweep.epoch:,}: press play to go on."
    verdict = warning(run.losses)
    if verdict:
        text += f"<br><b style='color:{COLORS['vermillion']}'>⚠ {verdict}</b>"
    return text


def ties(run):
    """Sentences about the points whose outputs are tied, training then test (none tied: no sentence)."""
    what = "points" if run.settings.two_d() else "samples"
    sentences = [ties_sentence(run.ties(), len(run.y), what)]
    if run.settings.has_test_set():
        sentences.append(ties_sentence(run.ties(run.X_test), len(run.y_test), "test points"))
    return [sentence for sentence in sentences if sentence]


def guarded(action, report):
    """`action`, with any error passed to `report` (the status line) instead of the kernel's log."""
    def guarded_action(argument):
        """Do the action; show what went wrong, if anything."""
        try:
            action(argument)
        except Exception as error:
            report(error)
    return guarded_action


def shape_of(settings):
    """What the panels are built for: the data, the network's shape and activation."""
    return settings.dataset, settings.data_key(), settings.layers, settings.hidden_size, settings.activation


def picture_in_words(run, sweep=None):
    """The picture in words, from the numbers of `run` and the sweep (the seed data: the outputs' table)."""
    settings, table = run.settings, not run.settings.two_d()  # what the picture draws: a table, or the plane
    test = settings.has_test_set() and (run.test_loss(), round(run.test_accuracy() * len(run.y_test)),
                                        len(run.y_test))
    return describe_run(
        run.losses, settings.epochs, round(run.accuracy() * len(run.y)), len(run.y), settings.learning_rate,
        what="samples" if table else "points", warning=warning(run.losses) if run.done() else "",
        test=test or None, outputs=run.outputs() if table else None, targets=run.y if table else None,
        weights={name: weights for name, weights in run.params.items() if name.startswith("W")},
        network=settings.network_text(),
        sweep=sweep and (sweep.rates, sweep.finals, sweep.epoch, settings.epochs),
        tied=(run.ties(), run.ties(run.X_test) if settings.has_test_set() else 0))
