"""The training dashboard: watch the network learn, live, and look inside it.

    from nnlib.course.dashboard import dashboard
    dashboard(dataset="spirals", hidden_size=64, learning_rate=10.0)
    dashboard(dataset="spirals", classes=3, layers=3, hidden_size=16, activation="relu")
    dashboard(X=X, y=labels)    # your own data: labels (N,) or one-hot rows (N, M)

Any change of a control starts a new run at once: the picture moves within
a tenth of a second and keeps moving while the network trains, and a change
made meanwhile takes over at the next chunk (no queue). Play/pause, step and
reset drive the run by hand. The picture, redrawn as it trains:

    loss       the training loss as it grows; the test loss (moons and
               spirals); the previous run, when it had the same data and loss
    data       the seed data (and other data not on the plane): outputs
               against targets; 2-D data: the decision boundary (or each
               class's region) with the training points and the hollow test
               points; a click on it adds a point of the class chosen beside it
    network    one line per weight of every layer: its sign and its size
    hidden     each hidden unit's output, every layer, over the plane or per sample
    sweep      (when switched on) the loss of one network per learning rate,
               trained for the slider's epochs

Above it, the status line (training, paused or finished, and a warning when
a run goes wrong; a screen reader reads it out when it changes); below it,
"copy as code": the nnlib calls that train exactly the network shown, and
"the picture in words": what the picture shows, made from the run's numbers,
also the picture's alt text. Needs ipywidgets and matplotlib. Its parts,
each a module here:

    board           `dashboard()` and the `Dashboard`: controls wired to a run, the status line
    settings        the settings as one object: checked, loaded, printed as code
    own_data        your own X and y, and the clicked points, checked
    controls        the widgets, one per setting, and the run's buttons
    live            a run and the sweep, trained a chunk at a time
    player          moving that work forward on the kernel's event loop, drawing frames
    kernel_loop     every change and press handled on that loop, one at a time
    picture         what every panel shares: blitting, the one picture
    panels          loss, outputs or decision boundary, sweep; the grid of panels
    network_panels  the weights as a diagram, the hidden units' outputs
    words           the picture in words, from a run's numbers
    aria            what ipywidgets does not tell a screen reader, added in the page

To add a panel: a `picture.Panel` in `panels.py` (or `network_panels.py`),
and its place in `panels.PanelGrid`; its sentence, if it needs one, in
`words.py`. Colours come from `nnlib.course.palette`.
"""

from .board import Dashboard, dashboard

__all__ = ["dashboard", "Dashboard"]
