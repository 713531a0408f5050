"""The dashboard's widgets: one control per setting, the run buttons, and reading them back.

Each control's range comes from `settings.RANGES` and its text from
DESCRIPTIONS (the hover text a screen reader also reads). Sliders send
their value when released (`continuous_update=False`), one change per move.
Noise and test fraction are switched off for the seed data and XOR, and a
note under them says why (`make_note`).
"""

import math

import ipywidgets as widgets

from ..._validate import describe
from ...activations import ACTIVATIONS
from ...losses import LOSSES
from .own_data import OWN
from .settings import CLASS_CHOICES, DATASET_LABELS, RANGES, SAMPLED, Settings

DESCRIPTIONS = {  # in the order shown, in columns of three
    "learning_rate": "How far each step of gradient descent moves the weights (log scale: each notch is x1.78)",
    "layers": "How many hidden layers the network has",
    "hidden_size": "How many units each hidden layer has",
    "activation": "The function each hidden unit applies to its weighted sum",
    "epochs": "How many steps of gradient descent to train for",
    "loss": "What training minimises",
    "seed": "Which random starting weights to train from",
    "sweep": "Also train one network per learning rate (64 rates) and plot their losses",
    "dataset": "What the network learns to classify",
    "classes": "Moons and spirals: two classes, or a third (three arms)",
    "noise": "Moons and spirals: how far the points scatter around their curves",
    "test_fraction": "Moons and spirals: the share of the points kept out of training, to test on",
}
STEP_SIZES = (1, 10, 100, 1000)  # epochs per press of "step"
PLAY_SPEEDS = {"100 epochs/s": 100, "1,000 epochs/s": 1000, "10,000 epochs/s": 10000,  # how fast play trains
               "as fast as it can": math.inf}
PLAY_SPEED = 1000  # to start with: a 2,000-epoch run takes 2 s and 20 frames
SAMPLED_NOTE = "For moons and spirals only: the other data is fixed points, all used for training."
MENU = {"style": {"description_width": "initial"}, "layout": widgets.Layout(width="auto")}  # as wide as its words


def make_controls(settings):
    """One widget per setting, starting at `settings`.

    Parameters
    ----------
    settings : Settings
        The starting values.

    Returns
    -------
    dict
        name -> widget, in the order of `DESCRIPTIONS`; each widget's
        `.value` is the setting.
    """
    look = {"style": {"description_width": "initial"}, "layout": widgets.Layout(width="310px")}
    sliders = {"layers": widgets.IntSlider, "hidden_size": widgets.IntSlider, "epochs": widgets.IntSlider, "seed": widgets.IntSlider,
               "noise": widgets.FloatSlider, "test_fraction": widgets.FloatSlider}
    controls = {"learning_rate": widgets.FloatLogSlider(
        value=settings.learning_rate, base=10, min=-3, max=3, step=0.25, readout_format=".3g",
        continuous_update=False, **look)}
    for name, kind in sliders.items():
        low, high, step = RANGES[name]
        controls[name] = kind(value=getattr(settings, name), min=low, max=high, step=step,
                              continuous_update=False, **look)
    controls["noise"].readout_format = controls["test_fraction"].readout_format = ".2f"
    losses = {loss.display_name: name for name, loss in LOSSES.items()}  # the menu: shown -> loss=, every loss
    controls["loss"] = widgets.Dropdown(options=losses, value=settings.loss, **look)
    shown = [name for name in DATASET_LABELS if name != OWN or settings.own is not None]
    controls["dataset"] = widgets.Dropdown(options={DATASET_LABELS[name]: name for name in shown},
                                           value=settings.dataset, **look)
    controls["classes"] = widgets.Dropdown(options=CLASS_CHOICES, value=settings.classes, **look)
    controls["activation"] = widgets.Dropdown(options={act.display_name: name for name, act in ACTIVATIONS.items()},
                                              value=settings.activation, **look)
    controls["sweep"] = widgets.ToggleButton(value=settings.sweep, layout=widgets.Layout(width="auto"))
    for name, control in controls.items():
        control.description = name.replace("_", " ")
        control.tooltip = DESCRIPTIONS[name]
    controls["sweep"].description = "sweep learning rates"
    return {name: controls[name] for name in DESCRIPTIONS}


def make_buttons():
    """The run's buttons: play or pause, how fast play goes, step, how many epochs a step is, reset.

    Returns
    -------
    dict
        'play', 'speed', 'step', 'step_size', 'reset' -> widget; the
        value of 'speed' is epochs a second (math.inf: as fast as it can).
    """
    size = widgets.Layout(width="auto")
    return {
        "play": widgets.Button(description="pause", icon="pause", tooltip="Pause or go on training", layout=size),
        "speed": widgets.Dropdown(options=PLAY_SPEEDS, value=PLAY_SPEED, description="play speed",
                                  tooltip="How fast play trains (a change of a control trains as fast as it can)",
                                  **MENU),
        "step": widgets.Button(description="step", icon="step-forward", layout=size,
                               tooltip="Pause, then train the chosen number of epochs and say what changed"),
        "step_size": widgets.Dropdown(options=STEP_SIZES, value=1, description="epochs per step",
                                      tooltip="How many epochs one press of step trains", **MENU),
        "reset": widgets.Button(description="reset", icon="undo", layout=size,
                                tooltip="Back to the starting weights (epoch 0), paused"),
    }


def make_note():
    """The note under noise and test fraction that says why they are off (shown only when they are)."""
    return widgets.HTML(f"<div style='font-size: 12px; line-height: 16px; padding-bottom: 4px'>{SAMPLED_NOTE}</div>",
                        layout=widgets.Layout(width="310px"))  # two short lines, not three of a slider's height


def settings_from(controls, points=(), own=None):
    """The settings the controls show, as `Settings`.

    `points` (clicked) and `own` (data of one's own, used when the
    dataset menu says so) have no control of their own and are passed in;
    classes is 2 unless the data is moons or spirals. The learning rate is rounded to the three digits its readout shows,
    and the noise and test share to two, so that the code the dashboard
    prints shows the numbers the student sees.
    """
    values = {name: control.value for name, control in controls.items()}
    values["points"], values["own"] = points, own if values["dataset"] == OWN else None
    if values["dataset"] not in SAMPLED:  # its menu is switched off: the data's own classes
        values["classes"] = 2
    values["learning_rate"] = float(f"{values['learning_rate']:.3g}")
    values["noise"] = round(values["noise"], 2)
    values["test_fraction"] = round(values["test_fraction"], 2)
    return Settings(**values)


def controls_box(controls, shown=None, note=None):
    """The controls named in `shown`, in wrapping columns of three; the others stay hidden.

    Parameters
    ----------
    controls : dict
        name -> widget, from `make_controls`.
    shown : list of str, or str, optional
        The names to show (one name alone as a string); all by default.
    note : ipywidgets.Widget, optional
        Put under noise or test fraction, if either is shown (see `make_note`).

    Returns
    -------
    ipywidgets.HBox
        The columns, wrapping onto more rows on a narrow screen.
    """
    shown = shown_names(shown, controls)
    visible = [controls[name] for name in controls if name in shown]
    columns = [widgets.VBox(visible[i:i + 3]) for i in range(0, len(visible), 3)]
    for column in reversed(columns):  # under the last of the two
        if note is not None and any(controls[name] in column.children for name in ("noise", "test_fraction")):
            column.children += (note,)
            break
    return widgets.HBox(columns, layout=widgets.Layout(flex_flow="row wrap"))


def shown_names(shown, controls):
    """The control names `shown` as a list: all for None, [shown] for one name as a string.

    A string is one name, never read letter by letter; anything else must
    be a list (or tuple) of names of `controls`, else an error naming `controls`.
    """
    if shown is None:
        return list(controls)
    if isinstance(shown, str):
        shown = [shown]
    if not isinstance(shown, (list, tuple)) or not all(isinstance(name, str) for name in shown):
        raise TypeError(f"controls must be a list of control names, such as ['learning_rate', 'hidden_size']; "
                        f"got {describe(shown)}")
    unknown = [name for name in shown if name not in controls]
    if unknown:
        raise ValueError(f"controls must name some of {tuple(controls)}; got {unknown}")
    return list(shown)


def make_clicking(settings):
    """What goes with clicking on the plane: the class a click adds, "remove clicked points", and a line saying so.

    Returns
    -------
    dict
        'class' (a ToggleButtons, value: the class), 'remove' (a Button),
        'box' (the row that holds them, hidden for data not on the plane).
    """
    choose = widgets.ToggleButtons(description="class of a clicked point", tooltips=[],
                                   tooltip="The class a click on the decision boundary's map adds a point of",
                                   style={"description_width": "initial", "button_width": "auto"})
    remove = widgets.Button(description="remove clicked points", icon="eraser", layout=widgets.Layout(width="auto"),
                            tooltip="Take away the points added by clicking, and train again")
    words = widgets.HTML("Click the decision boundary's map to add a training point there:",
                         layout=widgets.Layout(margin="0 8px 0 0"))
    clicking = {"class": choose, "remove": remove,
                "box": widgets.HBox([words, choose, remove], layout=widgets.Layout(flex_flow="row wrap",
                                                                                  align_items="center"))}
    show_clicking(clicking, settings)
    return clicking


def show_clicking(clicking, settings):
    """Fit the click row to the data: one choice per class, shown only for data on the plane."""
    classes = settings.data()[1].shape[1]
    options = [(f"class {m}", m) for m in range(classes)]
    if list(clicking["class"].options) != options:
        clicking["class"].options = options
        clicking["class"].value = 0
    clicking["box"].layout.display = None if settings.two_d() else "none"
    clicking["remove"].disabled = not settings.points
