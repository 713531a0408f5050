"""The dashboard, driven from Python: set a control or press a button, check what it draws and says.

Outside an event loop a change trains to the end before it returns; the
live behaviour (frames while training, a change taking over a run, pause,
play) is tested inside an asyncio loop, as the kernel runs it.
"""

import asyncio
import base64
import contextlib
import html
import io
import itertools
import math
import threading

import matplotlib.pyplot as plt
import numpy as np
import PIL.Image
import pytest

import nnlib
from nnlib.course.dashboard import board as board_module
from nnlib.course.dashboard import live
from nnlib.course.dashboard.controls import SAMPLED_NOTE, settings_from
from nnlib.course.dashboard.picture import BACKGROUNDS, Panel, envelope
from nnlib.course.dashboard.settings import Settings
from nnlib.course.sweep import train_many
from tests.helpers import FIXTURES

Dashboard = board_module.Dashboard


@pytest.fixture
def board():
    return Dashboard(epochs=2000)


def drawn_losses(board):
    """The training curve as drawn: every epoch's loss, or a long run's envelope (see `envelope`)."""
    return board.panels.panel("loss").training.get_ydata()


def test_a_long_curve_is_drawn_through_each_blocks_lowest_and_highest_loss():
    losses = np.geomspace(1, 1e-3, 5000)
    losses[1234] = 2.0  # a spike
    x, y = envelope(losses, points=100)
    assert len(x) == 200 and np.all(np.diff(x) > 0) and x[0] == 0
    np.testing.assert_array_equal(y, losses[x])
    assert 1234 in x and 4999 in x
    short = np.arange(150.0)
    np.testing.assert_array_equal(envelope(short, points=100)[1], short)


def trained(settings, epochs=None):
    """What `nnlib.train` makes of these settings, on the dashboard's own data."""
    X, y, _, _ = settings.data()
    return nnlib.train(X, y, epochs=settings.epochs if epochs is None else epochs, **settings.train_args())


# -- what one run draws and says -------------------------------------------

def test_first_draw_shows_the_training_run(board):
    X, y = nnlib.seed_data()
    expected = nnlib.train(X, y, epochs=2000)
    np.testing.assert_array_equal(drawn_losses(board), envelope(expected.losses)[1])
    outputs = nnlib.predict(expected.params, X)
    texts = [[text.get_text() for text in row] for row in board.panels.panel("outputs").texts]
    assert texts == [[f"{v:.2f}" for v in np.hstack([outputs[i], y[i]])] for i in range(4)]
    assert f"final loss {expected.losses[-1]:.4f}" in board.status.value
    assert "accuracy 1.00" in board.status.value
    assert bytes(board.image.value).startswith(b"\x89PNG")


def test_hidden_size_five_retrains_where_the_original_crashed(board):
    before = board.image.value
    board.controls["hidden_size"].value = 5
    np.testing.assert_array_equal(drawn_losses(board), envelope(trained(board.settings).losses)[1])
    assert board.run.params["W1"].shape == (3, 5)
    assert board.image.value != before
    assert "Error" not in board.status.value


def test_every_control_retrains(board):
    changes = {"dataset": "moons", "loss": "bce", "seed": 7, "epochs": 300, "learning_rate": 10.0,
               "noise": 0.2, "test_fraction": 0.3, "hidden_size": 6}
    for name, value in changes.items():
        board.controls[name].value = value
        assert getattr(board.settings, name) == value
        np.testing.assert_array_equal(board.run.losses, trained(board.settings).losses)
    assert board.panels.panel("boundary").ax.get_title() == "Decision boundary"
    assert board.panels.panel("loss").ax.get_title() == "Loss (cross-entropy) during training"
    assert len(board.run.X) == 140 and len(board.run.X_test) == 60  # 200 points, 30 % held out


def test_the_learning_rate_reaches_what_the_notebooks_discuss(board):
    """Notebook 04 and the instructors' guide discuss rate 200; typed in, it trains at 200."""
    assert 10 ** board.controls["learning_rate"].max >= 200  # a log slider: max is the power of ten
    board.controls["learning_rate"].value = 200
    assert board.settings.learning_rate == 200
    np.testing.assert_array_equal(board.run.losses, trained(board.settings).losses)
    board.controls["learning_rate"].value = 10 ** 0.25  # one notch above 1: shown and used as 1.78
    assert board.settings.learning_rate == 1.78


def test_seed_data_has_no_noise_or_test_set_and_says_why_they_are_off(board):
    note = board.sampled_note
    assert board.controls["noise"].disabled and board.controls["test_fraction"].disabled
    assert note.layout.display != "none" and SAMPLED_NOTE in note.value and "moons" in SAMPLED_NOTE
    column = next(box for box in board.widget.children[0].children if board.controls["test_fraction"] in box.children)
    assert column.children[-1] is note  # right under the two sliders it is about
    assert len(board.run.X_test) == 0 and board.run.test_losses == []
    board.controls["dataset"].value = "spirals"
    assert not board.controls["noise"].disabled and not board.controls["test_fraction"].disabled
    assert note.layout.display == "none"
    board.controls["dataset"].value = "xor"
    assert board.controls["noise"].disabled and note.layout.display != "none"
    focused = board_module.dashboard(controls=["learning_rate", "hidden_size"]).board  # neither shown: no note
    assert all(focused.sampled_note not in box.children for box in focused.widget.children[0].children)


# -- the previous run: drawn only when comparable ---------------------------

def test_previous_run_is_drawn_dotted_when_comparable(board):
    first = board.run.losses.copy()
    board.controls["learning_rate"].value = 1.0
    panel = board.panels.panel("loss")
    np.testing.assert_array_equal(panel.previous.get_ydata(), envelope(first)[1])
    assert panel.previous.get_linestyle() == ":" and panel.training.get_linestyle() == "-"  # not by colour alone
    assert "previous run" in [text.get_text() for text in panel.legend.get_texts()]


@pytest.mark.parametrize("change", [{"loss": "bce"}, {"dataset": "xor"}])
def test_previous_run_is_not_drawn_after_the_data_or_loss_changed(board, change):
    (name, value), = change.items()
    board.controls[name].value = value
    panel = board.panels.panel("loss")
    assert len(panel.previous.get_ydata()) == 0
    assert "previous run" not in [text.get_text() for text in panel.legend.get_texts()]
    board.controls["seed"].value = 3  # same data and loss again: the run before is comparable
    assert len(panel.previous.get_ydata()) > 0


def test_noise_and_test_share_make_other_data_so_no_previous_run():
    board = Dashboard(dataset="moons", epochs=300)
    for name, value in (("noise", 0.3), ("test_fraction", 0.2)):
        board.controls[name].value = value
        assert len(board.panels.panel("loss").previous.get_ydata()) == 0, name


def test_comparable_means_same_points_split_and_loss():
    base = Settings(dataset="moons")
    assert base.same_data(base.replace(learning_rate=5.0, hidden_size=9, seed=3, epochs=500))
    for change in ({"loss": "bce"}, {"dataset": "spirals"}, {"noise": 0.2}, {"test_fraction": 0.2}):
        assert not base.same_data(base.replace(**change)), change
    seed = Settings(dataset="seed")
    assert seed.same_data(seed.replace(noise=0.3))  # the seed data has no noise to change
    assert not base.same_data(None)


# -- the warning: judged on the whole run ------------------------------------

def test_a_rise_in_the_first_epochs_is_not_called_too_large():
    """Notebook 09's moons with 48 units: the loss rises for a few epochs, then training succeeds."""
    X, y = nnlib.moons()
    losses = nnlib.train(X, y, hidden_size=48, learning_rate=2.0, epochs=3000, seed=0, loss="bce").losses
    assert losses[1:9].max() > 1.05 * losses[0]  # the transient rise the old rule flagged
    assert losses[-1] < 0.05 * losses[0]
    assert board_module.warning(losses) == ""
    constructed = np.concatenate([[0.7, 0.9, 1.2, 0.8], np.geomspace(0.6, 0.01, 96)])
    assert board_module.warning(constructed) == ""


@pytest.mark.parametrize("rate", [200.0, 1000.0])
def test_a_run_that_ends_above_its_start_is_too_large(rate):
    board = Dashboard(learning_rate=rate, epochs=2000)
    assert board.run.losses[-1] > board.run.losses[0]
    assert "the learning rate is probably too large" in board.status.value


def test_a_late_rise_is_too_large_and_a_small_one_is_not():
    steady = np.geomspace(1.0, 0.01, 100)
    late = steady.copy()
    late[80] = 1.2 * late[:80].min()  # more than 10 % above the lowest loss before it
    assert "too large" in board_module.warning(late)
    small = steady.copy()
    small[80] = 1.05 * small[:80].min()
    assert board_module.warning(small) == ""
    assert "too large" in board_module.warning(np.array([0.25, 0.2, 0.3]))  # ended above its start
    assert "not a finite number" in board_module.warning(np.array([0.25, np.nan]))


def test_a_run_that_barely_moved_says_so():
    board = Dashboard(learning_rate=0.001, epochs=500)
    assert "barely moved" in board.status.value
    assert "⚠" not in Dashboard(learning_rate=10.0, epochs=2000).status.value


# -- generalisation: the test set -------------------------------------------

def test_test_loss_is_nnlib_computed_by_hand():
    board = Dashboard(dataset="spirals", hidden_size=16, learning_rate=10.0, epochs=600, loss="bce",
                      noise=0.2, test_fraction=0.25, seed=0)
    X, y = nnlib.spirals(200, noise=0.2, seed=0)
    X_train, y_train, X_test, y_test = nnlib.train_test_split(X, y, test_fraction=0.25, seed=0)
    np.testing.assert_array_equal(board.run.X, X_train)
    assert board.run.test_epochs == list(range(12, 601, 12))  # every epochs // 50
    for epochs in (12, 300, 600):
        params = nnlib.train(X_train, y_train, hidden_size=16, learning_rate=10.0, epochs=epochs, seed=0,
                             loss="bce").params
        by_hand = nnlib.bce_loss(nnlib.predict(params, X_test), y_test)
        assert board.run.test_losses[board.run.test_epochs.index(epochs)] == by_hand
    drawn = board.panels.panel("loss").test
    np.testing.assert_array_equal(drawn.get_ydata(), board.run.test_losses)
    assert f"test loss {board.run.test_losses[-1]:.4f}" in board.status.value


def test_test_points_are_marked_hollow():
    board = Dashboard(dataset="moons", epochs=200, test_fraction=0.5)
    points = board.panels.panel("boundary").points
    assert [p.get_label() for p in points] == ["class 0", "class 1", "class 0 (test)", "class 1 (test)"]
    assert sum(len(p.get_offsets()) for p in points[2:]) == 100
    assert all(len(p.get_facecolor()) == 0 for p in points[2:])  # hollow: no face
    for p, q in zip(points[:2], points[2:]):  # the same marker: circles for class 0, triangles for 1
        np.testing.assert_array_equal(p.get_paths()[0].vertices, q.get_paths()[0].vertices)


def test_width_lets_a_noisy_spiral_overfit():
    """Hidden size 64 on the noisy spirals: the training loss falls while the test loss climbs.

    At learning rate 10 these runs are chaotic (their details differ between
    computers), so the pattern is checked from four starting points. After
    the test loss's lowest point the training loss fell to 0.25-0.53 of
    where it was, from seeds 0 to 7 on one machine (seed 1: 0.53 there,
    below 0.5 on another): "well below" is checked as under 0.75.
    """
    for seed in range(4):
        board = Dashboard(dataset="spirals", hidden_size=64, learning_rate=10.0, epochs=10000, loss="bce",
                          noise=0.1, seed=seed)
        test = np.array(board.run.test_losses)
        lowest = test.argmin()
        assert lowest < len(test) // 2 and test[-1] > 1.3 * test[lowest], seed
        assert board.run.losses[-1] < 0.75 * board.run.losses[board.run.test_epochs[lowest]], seed


# -- share and reproduce ----------------------------------------------------

def run_code(code, **names):
    """Run pasted code as a student would (with `names` already defined): what it prints, and the names it made."""
    namespace, printed = dict(names), io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(code, namespace)
    return printed.getvalue(), namespace


@pytest.mark.parametrize("settings", [
    {"epochs": 700, "learning_rate": 2.0},
    {"dataset": "spirals", "hidden_size": 12, "learning_rate": 10 ** 0.75, "epochs": 500, "loss": "bce",
     "noise": 0.15, "test_fraction": 0.3, "seed": 5},
])
def test_copy_as_code_reproduces_the_pictures_numbers_exactly(settings):
    board = Dashboard(**settings)
    printed, namespace = run_code(board.code.value)
    result = namespace["result"]
    np.testing.assert_array_equal(result.losses, board.run.losses)
    for name in result.params:
        np.testing.assert_array_equal(result.params[name], board.run.params[name])
    if "test_loss" in namespace:
        assert namespace["test_loss"] == board.run.test_losses[-1]
    assert printed.strip().replace("\n", ", ") == board.numbers()  # it prints what the status line says
    assert board.numbers() in board.status.value


def test_copy_as_code_after_reset_and_a_step_prints_the_same_numbers():
    board = Dashboard(dataset="moons", epochs=2000, learning_rate=2.0, loss="bce")
    board.buttons["reset"].click()  # epoch 0: nothing trained, the starting weights
    printed, namespace = run_code(board.code.value)
    assert printed.strip().replace("\n", ", ") == board.numbers()
    start = nnlib.init_params(2, 4, 2, seed=42)
    assert all(np.array_equal(namespace["params"][k], start[k]) for k in start)
    board.buttons["step_size"].value = 10
    board.buttons["step"].click()
    assert "epochs=10," in board.code.value
    printed, namespace = run_code(board.code.value)
    np.testing.assert_array_equal(namespace["result"].losses, board.run.losses)
    assert printed.strip().replace("\n", ", ") == board.numbers()


def test_dashboard_of_its_state_restores_it():
    board = Dashboard(dataset="moons", epochs=300, hidden_size=6, noise=0.2, loss="bce", sweep=True)
    board.controls["learning_rate"].value = 3.1622776601683795
    state = board.settings.state()
    again = board_module.dashboard(**state).board
    assert again.settings == board.settings and again.summary() == board.summary()
    np.testing.assert_array_equal(again.run.losses, board.run.losses)
    assert {name: control.value for name, control in again.controls.items()}["learning_rate"] == 3.16


def test_controls_can_be_limited_to_focus_a_lesson():
    widget = board_module.dashboard(epochs=200, controls=["learning_rate", "sweep"])
    shown = [child.description for column in widget.children[0].children for child in column.children]
    assert shown == ["learning rate", "sweep learning rates"]
    widget.board.controls["learning_rate"].value = 1.0  # still drives training
    assert widget.board.settings.learning_rate == 1.0
    with pytest.raises(ValueError, match="controls must name some of"):
        board_module.dashboard(controls=["momentum"])


def test_every_control_has_a_description_and_hover_text(board):
    for name, control in board.controls.items():
        assert control.description and len(control.tooltip) > 20, name
    for name in ("learning_rate", "hidden_size", "epochs", "seed", "noise", "test_fraction"):
        assert board.controls[name].continuous_update is False
        assert board.controls[name].style.description_width == "initial"
    for button in board.buttons.values():
        assert button.description and button.tooltip


# -- the sweep --------------------------------------------------------------

def test_sweep_trains_for_the_sliders_epochs_and_marks_the_slider(board):
    board.controls["sweep"].value = True
    X, y = nnlib.seed_data()
    assert board.sweep.epoch == 2000
    panel = board.panels.panel("sweep")
    rates, finals = panel.line.get_data()
    assert len(rates) == 64 and rates[0] == pytest.approx(1e-3) and rates[-1] == pytest.approx(1e3)
    np.testing.assert_allclose(finals, train_many(X, y, rates, epochs=2000)[:, -1], rtol=1e-10)
    assert "after 2,000 of 2,000 epochs" in panel.counter.get_text()
    board.controls["learning_rate"].value = 3.1622776601683795
    assert panel.marker.get_xdata()[0] == pytest.approx(3.16)
    np.testing.assert_array_equal(panel.line.get_data()[1], finals)  # a rate change keeps the sweep


def test_switching_the_sweep_keeps_the_network(board):
    run = board.run
    board.controls["sweep"].value = True
    assert board.run is run and board.sweep.done()
    board.controls["sweep"].value = False
    assert board.run is run and board.sweep is None


def test_sweep_can_start_switched_on():
    board = Dashboard(epochs=300, sweep=True)
    assert board.sweep.epoch == 300 and len(board.sweep.finals) == 64
    assert board.controls["sweep"].value is True


# -- live: frames while training, changes take over, buttons ---------------

class Frames:
    """Records every frame a dashboard draws: (settled, hidden size, epoch)."""

    def __init__(self, board):
        self.board, self.seen = board, []
        draw = board.draw

        def recording(settled=True):
            draw(settled)
            self.seen.append((settled, board.settings.hidden_size, board.run.epoch, board.image.format))

        board.draw = board.player.draw = recording

    async def settle(self):
        while self.board.player.playing():
            await asyncio.sleep(0.005)


def in_event_loop(test):
    """Run the coroutine function `test` inside an asyncio loop, as the kernel runs callbacks."""
    return asyncio.run(test())


def test_a_change_animates_while_training_and_ends_on_the_final_picture():
    async def test():
        board = Dashboard(dataset="moons", hidden_size=8, epochs=20000, learning_rate=2.0, loss="bce", seed=0)
        frames = Frames(board)
        board.controls["hidden_size"].value = 48  # returns after the first frame
        assert frames.seen and frames.seen[0][0] is False and 0 < frames.seen[0][2] < 20000
        assert board.player.playing() and "training" in board.status.value
        await frames.settle()
        epochs = [epoch for _, _, epoch, _ in frames.seen]
        assert len(frames.seen) >= 3 and epochs == sorted(epochs)
        assert all(fmt == "jpeg" for settled, _, _, fmt in frames.seen[:-1])
        assert frames.seen[-1] == (True, 48, 20000, "png")
        np.testing.assert_array_equal(board.run.losses, trained(board.settings).losses)  # chunks = one run
        assert "final loss" in board.status.value
    in_event_loop(test)


def test_two_changes_in_one_run_end_on_the_second_with_nothing_queued():
    async def test():
        board = Dashboard(dataset="moons", hidden_size=8, epochs=6000, learning_rate=2.0, loss="bce", seed=0)
        frames = Frames(board)
        board.controls["hidden_size"].value = 16
        await asyncio.sleep(0.05)
        first = board.run
        board.controls["hidden_size"].value = 32
        assert first.epoch < 6000  # the first run stopped when the second change came
        await frames.settle()
        assert first.epoch < 6000 and board.run.epoch == 6000 and board.settings.hidden_size == 32
        sizes = [size for _, size, _, _ in frames.seen]
        assert sizes == sorted(sizes) and set(sizes) <= {16, 32}  # no third run
        assert frames.seen[-1][:3] == (True, 32, 6000)
        np.testing.assert_array_equal(board.run.losses, trained(board.settings).losses)
    in_event_loop(test)


def test_pause_play_and_step():
    async def test():
        board = Dashboard(dataset="moons", hidden_size=16, epochs=6000, learning_rate=2.0, loss="bce", seed=0)
        frames = Frames(board)
        board.controls["seed"].value = 1
        board.buttons["play"].click()  # pause
        paused = board.run.epoch
        assert 0 < paused < 6000 and not board.player.playing()
        assert f"paused</b> at epoch {paused:,}" in board.status.value
        await asyncio.sleep(0.05)
        assert board.run.epoch == paused  # nothing trains while paused
        board.buttons["step"].click()
        assert board.run.epoch == paused + 1 and "Stepped from epoch" in board.status.value
        board.buttons["play"].click()  # go on
        await frames.settle()
        assert board.run.epoch == 6000
        np.testing.assert_array_equal(board.run.losses, trained(board.settings).losses)
        assert frames.seen[-1][0] is True and board.buttons["play"].description == "play"
    in_event_loop(test)


def test_presses_and_changes_from_another_thread_are_handled_on_the_dashboards_loop():
    """A kernel subshell (JupyterLab 4.6, ipykernel 7) delivers widget messages in a thread of its own."""
    async def test():
        board = Dashboard(dataset="moons", hidden_size=16, epochs=6000, learning_rate=2.0, loss="bce", seed=0)
        frames = Frames(board)
        threads = []  # the thread each frame was drawn in
        draw = board.player.draw
        board.player.draw = lambda settled=True: (threads.append(threading.current_thread()), draw(settled))

        def from_a_subshell(act):
            thread = threading.Thread(target=act)
            thread.start()
            thread.join()

        from_a_subshell(lambda: setattr(board.controls["seed"], "value", 1))
        assert board.settings.seed == 0 and threads == []  # handed over, not done in that thread
        await asyncio.sleep(0.05)
        assert board.settings.seed == 1 and board.player.playing()
        from_a_subshell(board.buttons["play"].click)  # pause
        await asyncio.sleep(0.05)
        paused = board.run.epoch
        assert not board.player.playing() and f"paused</b> at epoch {paused:,}" in board.status.value
        from_a_subshell(board.buttons["play"].click)  # go on
        await asyncio.sleep(0.01)
        await frames.settle()
        assert board.run.epoch == 6000 and frames.seen[-1][0] is True
        assert set(threads) == {threading.main_thread()}
        np.testing.assert_array_equal(board.run.losses, trained(board.settings).losses)
    in_event_loop(test)


def test_play_goes_at_the_chosen_speed_and_a_change_as_fast_as_it_can():
    """At 1,000 epochs a second a 2,000-epoch run shows the curve growing; a change still jumps to its end."""
    async def test():
        board = Dashboard(epochs=2000, learning_rate=1.0)
        assert board.buttons["speed"].value == 1000
        frames = Frames(board)
        board.controls["seed"].value = 1  # a change: as fast as it can
        await frames.settle()
        fast = [epoch for settled, _, epoch, _ in frames.seen if not settled]
        frames.seen.clear()
        board.buttons["play"].click()  # replays the finished run from epoch 0, at 1,000 epochs a second
        assert frames.seen == [(False, 4, 0, "jpeg")]  # the first frame before any training
        await frames.settle()
        paced = [epoch for settled, _, epoch, _ in frames.seen if not settled]
        assert len(paced) >= 10 > len(fast), (paced, fast)  # a frame about every 100 epochs
        assert paced == sorted(paced) and max(np.diff(paced + [2000])) <= 600
        assert frames.seen[-1][:3] == (True, 4, 2000)
        np.testing.assert_array_equal(board.run.losses, trained(board.settings).losses)
    in_event_loop(test)


def test_a_new_speed_takes_over_a_play_at_once():
    async def test():
        board = Dashboard(epochs=20000, learning_rate=1.0)
        board.buttons["speed"].value = 100
        board.buttons["play"].click()
        await asyncio.sleep(0.3)
        assert board.player.playing() and board.run.epoch < 100  # 100 epochs a second
        board.buttons["speed"].value = math.inf  # as fast as it can: the rest in a few seconds
        assert board.player.pace == math.inf
        frames = Frames(board)
        await frames.settle()
        assert board.run.epoch == 20000 and frames.seen[-1][0] is True
        np.testing.assert_array_equal(board.run.losses, trained(board.settings).losses)
    in_event_loop(test)


def test_reset_then_step_trains_one_epoch_at_a_time(board):
    board.buttons["reset"].click()
    assert board.run.epoch == 0 and "Reset to the starting weights" in board.status.value
    start = nnlib.init_params(3, 4, 2, 42)
    assert all(np.array_equal(board.run.params[k], start[k]) for k in start)
    board.buttons["step"].click()
    X, y = nnlib.seed_data()
    one = nnlib.train(X, y, epochs=1)
    np.testing.assert_array_equal(board.run.losses, one.losses)
    assert "from epoch 0 to 1" in board.status.value and "moved most" in board.status.value
    board.buttons["step_size"].value = 100
    board.buttons["step"].click()
    np.testing.assert_array_equal(board.run.losses, nnlib.train(X, y, epochs=101).losses)
    board.buttons["play"].click()  # no event loop: trains to the end
    np.testing.assert_array_equal(board.run.losses, nnlib.train(X, y, epochs=2000).losses)


def test_an_error_while_training_shows_in_the_status_line(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("out of paper")

    board = Dashboard(epochs=200)
    with monkeypatch.context() as patch:
        patch.setattr(live, "train", broken)
        board.controls["hidden_size"].value = 6
    assert "RuntimeError: out of paper" in board.status.value

    async def test():  # the same from the task that trains between the kernel's messages
        fresh = Dashboard(dataset="moons", hidden_size=8, epochs=8000, learning_rate=2.0, loss="bce")
        fresh.controls["hidden_size"].value = 9
        assert fresh.player.playing()
        monkeypatch.setattr(live.Run, "advance_for", broken)
        while fresh.player.playing():
            await asyncio.sleep(0.005)
        assert "RuntimeError: out of paper" in fresh.status.value
    asyncio.run(test())


# -- what a saved notebook shows -------------------------------------------

def picture_in(page):
    """The PNG inside a dashboard's HTML fallback, as bytes, and the HTML's alt text."""
    source = page.split('src="data:image/png;base64,', 1)[1].split('"', 1)[0]
    return base64.b64decode(source), html.unescape(page.split('alt="', 1)[1].split('"', 1)[0])


def test_widget_output_is_one_widget_with_a_described_picture_as_fallback():
    open_before = plt.get_fignums()  # figures another test left open are not the dashboard's
    box = board_module.dashboard(epochs=500)
    bundle = box._repr_mimebundle_()
    png, alt = picture_in(bundle["text/html"])
    assert alt == board_module.picture_in_words(box.board.run, box.board.sweep)  # its alt text, and caption
    assert "image/png" not in bundle  # JupyterLab would show that one without alt text
    assert bundle["text/plain"] == ("Dashboard(dataset='seed', learning_rate=0.1, hidden_size=4, epochs=500, "
                                    "loss='mse', seed=42): final loss " + f"{box.board.run.losses[-1]:.4f}, "
                                    "accuracy 1.00")
    assert "application/vnd.jupyter.widget-view+json" in bundle
    picture = np.asarray(PIL.Image.open(io.BytesIO(png)).convert("RGB"))
    assert picture.shape == box.board.picture.shape  # the picture, in 256 colours
    assert np.abs(picture.astype(int) - box.board.picture).mean() < 2  # 256 colours: white becomes 254
    assert plt.get_fignums() == open_before  # nothing drawn through pyplot, so nothing printed below the widget


def test_the_image_shows_the_panels_in_256_colours(board):
    board.controls["hidden_size"].value = 8
    shown = np.asarray(PIL.Image.open(io.BytesIO(board.image.value)).convert("RGB"))  # (height, width, 3)
    loss = board.panels.panel("loss")
    height, width = loss.canvas.get_width_height()[::-1]
    drawn = np.asarray(loss.canvas.buffer_rgba())[:, :, :3].astype(int)
    assert np.abs(shown[:height, :width] - drawn).mean() < 2  # in 256 colours: off by a level or two
    assert len(np.unique(shown.reshape(-1, 3), axis=0)) <= 256


def test_executed_notebook_shows_a_described_static_picture_and_keeps_widget_state():
    """tests/fixtures/dashboard.ipynb, executed by `jupyter nbconvert --execute`, reads on GitHub."""
    import nbformat

    notebook = nbformat.read(FIXTURES / "dashboard.ipynb", as_version=4)
    state = notebook.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    (output,) = notebook.cells[-1].outputs
    model_id = output.data["application/vnd.jupyter.widget-view+json"]["model_id"]
    assert state[model_id]["model_name"] == "VBoxModel"
    png, alt = picture_in(output.data["text/html"])
    assert png.startswith(b"\x89PNG") and alt.startswith("Loss fell from")
    assert output.data["text/plain"].startswith("Dashboard(dataset='moons'")


@pytest.mark.parametrize("dataset", ["seed", "xor", "moons", "spirals"])
def test_slider_extremes_train_and_draw_cleanly(dataset):
    """Warnings are errors in this test suite, so a RuntimeWarning fails here."""
    board = Dashboard(dataset=dataset, epochs=200)
    for loss, rate, hidden in itertools.product(["mse", "bce"], [1e-3, 1e3], [1, 64]):
        board.controls["loss"].value = loss
        board.controls["learning_rate"].value = rate
        board.controls["hidden_size"].value = hidden
        assert "Error" not in board.status.value, (loss, rate, hidden, board.status.value)
        assert np.all(np.isfinite(drawn_losses(board)))
        assert (board.settings.learning_rate, board.settings.hidden_size, board.settings.loss) == (rate, hidden, loss)
    board.controls["sweep"].value = True
    assert np.all(np.isfinite(board.sweep.finals))


def test_bad_starting_values_are_named():
    with pytest.raises(ValueError, match="dataset must be one of"):
        board_module.dashboard(dataset="iris")
    with pytest.raises(ValueError, match="dataset must be one of"):
        board_module.dashboard(dataset=["seed"])  # not "unhashable type"
    with pytest.raises(ValueError, match="loss must be one of"):
        board_module.dashboard(loss="hinge")
    with pytest.raises(ValueError, match="hidden_size must be from 1 to 64 in the dashboard; got 100"):
        board_module.dashboard(hidden_size=100)
    with pytest.raises(ValueError, match="learning_rate must be from 0.001 to 1000 in the dashboard; got 5000"):
        board_module.dashboard(learning_rate=5000)
    with pytest.raises(TypeError, match=r"sweep must be True or False; got 'yes' \(a str\)"):
        board_module.dashboard(sweep="yes")


def lesson_error(call):
    """The error a lesson function raises, as (type, message)."""
    with pytest.raises((TypeError, ValueError)) as raised:
        call()
    return type(raised.value), str(raised.value)


@pytest.mark.parametrize("name, value, lesson", [
    ("hidden_size", 4.5, lambda value: nnlib.train(*nnlib.seed_data(), hidden_size=value, epochs=1)),
    ("hidden_size", "8", lambda value: nnlib.train(*nnlib.seed_data(), hidden_size=value, epochs=1)),
    ("epochs", 150.5, lambda value: nnlib.train(*nnlib.seed_data(), epochs=value)),
    ("learning_rate", "0.1", lambda value: nnlib.train(*nnlib.seed_data(), learning_rate=value, epochs=1)),
    ("learning_rate", -1.0, lambda value: nnlib.train(*nnlib.seed_data(), learning_rate=value, epochs=1)),
    ("seed", 1.5, lambda value: nnlib.train(*nnlib.seed_data(), seed=value, epochs=1)),
    ("noise", "0.1", lambda value: nnlib.moons(noise=value)),
    ("test_fraction", None, lambda value: nnlib.train_test_split(*nnlib.moons(), test_fraction=value)),
    ("loss", "hinge", lambda value: nnlib.train(*nnlib.seed_data(), loss=value, epochs=1)),
])
def test_wrong_values_get_the_lesson_functions_own_messages(name, value, lesson):
    assert lesson_error(lambda: board_module.dashboard(**{name: value})) == lesson_error(lambda: lesson(value))


def test_numpy_numbers_are_taken_as_the_lesson_functions_take_them():
    board = board_module.dashboard(hidden_size=np.int64(8), learning_rate=np.float32(0.1), epochs=np.int32(300),
                                   seed=np.uint8(3), sweep=np.bool_(False), noise=np.float64(0.2)).board
    X, y = nnlib.seed_data()
    expected = nnlib.train(X, y, hidden_size=np.int64(8), learning_rate=np.float32(0.1), epochs=np.int32(300),
                           seed=np.uint8(3))
    np.testing.assert_array_equal(board.run.losses, expected.losses)
    assert "hidden_size=8," in board.code.value and "np." not in board.code.value  # plain numbers
    assert type(board.settings.hidden_size) is int and board.settings.sweep is False
    again = board_module.dashboard(**board.settings.state()).board  # restores
    np.testing.assert_array_equal(again.run.losses, board.run.losses)


# -- a tie is not right --------------------------------------------------------

def test_accuracy_counts_no_row_whose_largest_outputs_tie():
    y = [[1, 0], [0, 1], [1, 0], [0, 1]]
    assert nnlib.accuracy([[0.7, 0.7], [0.2, 0.8], [1.0, 1.0], [0.3, 0.3]], y) == 0.25  # three ties, one right
    assert nnlib.accuracy([[0.9, 0.9, 0.1], [0.1, 0.2, 0.9]], [[1, 0, 0], [0, 0, 1]]) == 0.5  # a tie of the largest
    assert nnlib.accuracy([[0.5, 0.1, 0.1]], [[1, 0, 0]]) == 1.0  # a tie below the largest is no tie
    assert nnlib.accuracy([[0.5], [0.5], [0.7]], [[0], [1], [1]]) == pytest.approx(1 / 3)  # one column: 0.5 ties


def test_outputs_that_read_the_same_are_called_tied_and_not_right():
    """At rate 200 every output of the seed network reads 1.00: differences of 1e-7 must not pick a class."""
    board = Dashboard(learning_rate=200, epochs=2000)
    outputs = board.run.outputs()
    assert np.all(np.round(outputs, 2) == 1.0) and not np.any(outputs[:, 0] == outputs[:, 1])  # tied as shown only
    assert "accuracy 0.00" in board.status.value and "tied on all 4 samples" in board.status.value
    assert "None of the 4 samples right. The outputs are tied on all 4 samples" in board.words.value
    assert [[text.get_text() for text in row[:2]] for row in board.panels.panel("outputs").texts] == [["1.00"] * 2] * 4
    printed, _ = run_code(board.code.value)
    assert printed == "final loss 0.5000, accuracy 0.00\n"
    healthy = Dashboard(learning_rate=1.0, epochs=2000)
    assert "accuracy 1.00" in healthy.status.value and "tied" not in healthy.status.value


# -- changes from several threads at once ----------------------------------------

def test_changes_from_several_threads_without_an_event_loop_are_made_one_after_the_other():
    """Plain Python, no event loop: four threads move controls at once; every change trains and draws whole."""
    board = Dashboard(dataset="moons", epochs=300, hidden_size=4)
    statuses = []
    board.status.observe(lambda change: statuses.append(change["new"]), names="value")
    plan = {"hidden_size": [5, 6, 7, 8] * 3, "dataset": ["spirals", "moons", "xor", "seed"] * 3,
            "learning_rate": [0.5, 1.0, 2.0, 4.0] * 3, "seed": [1, 2, 3, 4] * 3}

    def move(name, values):
        for value in values:
            board.controls[name].value = value

    threads = [threading.Thread(target=move, args=item) for item in plan.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [status for status in statuses if "Error" in status] == []
    assert board.settings == settings_from(board.controls)  # the last change saw every control's last value
    np.testing.assert_array_equal(board.run.losses, trained(board.settings).losses)


# -- deeper networks, other activations, a third class ----------------------------

def deep_widths(settings):
    """The hidden layers' widths nnlib.train gets from the dashboard's settings."""
    return [settings.hidden_size] * settings.layers


@pytest.mark.parametrize("settings", [
    {"dataset": "spirals", "layers": 3, "hidden_size": 8, "activation": "relu", "epochs": 300, "learning_rate": 0.3},
    {"dataset": "moons", "layers": 2, "hidden_size": 5, "activation": "tanh", "classes": 3, "loss": "cce",
     "epochs": 300, "learning_rate": 1.0},
    {"dataset": "seed", "layers": 4, "hidden_size": 3, "activation": "leaky_relu", "epochs": 300},
])
def test_layers_and_activation_train_what_nnlib_trains(settings):
    board = Dashboard(**settings)
    X, y, _, _ = board.settings.data()
    expected = nnlib.train(X, y, hidden_size=deep_widths(board.settings), activation=settings["activation"],
                           learning_rate=board.settings.learning_rate, epochs=300, seed=42,
                           loss=settings.get("loss", "mse"))
    np.testing.assert_array_equal(board.run.losses, expected.losses)
    assert sorted(board.run.params) == sorted(expected.params)  # W1, b1, ..., W{L+1}, b{L+1}
    output = "softmax" if settings.get("loss") == "cce" else "sigmoid"
    np.testing.assert_array_equal(board.run.outputs(), nnlib.predict(expected.params, X, settings["activation"], output))


def test_the_layers_and_activation_controls_retrain():
    board = Dashboard(dataset="moons", epochs=200)
    assert len(board.run.params) == 4
    board.controls["layers"].value = 3
    assert len(board.run.params) == 8 and board.run.epoch == 200
    board.controls["activation"].value = "tanh"
    assert board.settings.activation == "tanh" and board.run.settings.activation == "tanh"
    X, y, _, _ = board.settings.data()
    expected = nnlib.train(X, y, hidden_size=[4, 4, 4], activation="tanh", epochs=200)
    np.testing.assert_array_equal(board.run.losses, expected.losses)
    assert "3 hidden layers of 4 tanh units" in board.words.value
    assert "hidden_size=[4, 4, 4], activation='tanh'" in board.code.value


def test_three_classes_draw_three_kinds_of_points_and_three_outputs():
    board = Dashboard(dataset="spirals", classes=3, epochs=200)
    assert board.run.y.shape[1] == 3 and board.run.outputs().shape[1] == 3
    panel = board.panels.panel("boundary")
    labels = [text.get_text() for text in panel.legend.get_texts()]
    assert labels == ["class 0", "class 1", "class 2", "class 0\n(test)", "class 1\n(test)", "class 2\n(test)"]
    assert len({tuple(points.get_paths()[0].vertices.ravel()[:6]) for points in panel.points[:3]}) == 3  # 3 markers
    network = board.panels.panel("network")
    assert "out 2" in [text.get_text() for text in network.names]
    assert "classes=3" in board.code.value
    board.controls["dataset"].value = "seed"  # the seed data has two classes: the menu is switched off
    assert board.controls["classes"].disabled and board.run.y.shape[1] == 2 and "Error" not in board.status.value
    board.controls["dataset"].value = "moons"  # the menu's choice holds again
    assert board.run.y.shape[1] == 3 and not board.controls["classes"].disabled


@pytest.mark.parametrize("settings", [
    {"dataset": "moons", "layers": 2, "hidden_size": 6, "activation": "tanh", "epochs": 200},  # 12 maps: numbered
    {"dataset": "seed", "layers": 3, "hidden_size": 4, "activation": "relu", "epochs": 200},
])
def test_the_diagram_and_the_unit_panels_show_every_layer(settings):
    board = Dashboard(**settings)
    L, H = settings["layers"], settings["hidden_size"]
    D, M = board.run.X.shape[1], board.run.y.shape[1]
    network = board.panels.panel("network")
    weights = np.concatenate([board.run.params[f"W{l}"].ravel() for l in range(1, L + 2)])
    assert len(network.lines.get_segments()) == D * H + (L - 1) * H * H + H * M == weights.size
    assert len(network.nodes.get_offsets()) == D + L * H + M
    widths = network.lines.get_linewidths()
    assert np.argmax(widths) == np.argmax(np.abs(weights))  # each line is its weight, in the same order
    if board.settings.two_d():
        maps = board.panels.panel("maps")
        drawn = np.isfinite(maps.mosaic).sum()
        assert drawn == L * H * maps.side ** 2  # one map per unit of every layer
        assert [text.get_text() for text in maps.labels][H] == "2.0"  # layer 2's first unit
    else:
        bars = board.panels.panel("bars")
        assert len(bars.bars.get_segments()) == len(board.run.X) * L * H


def test_unit_maps_put_the_activations_range_on_the_colour_scale():
    board = Dashboard(dataset="moons", activation="tanh", layers=2, epochs=100)
    maps = board.panels.panel("maps")
    assert [tick.get_text() for tick in maps.bar.get_yticklabels()] == ["-1", "1"]
    assert np.nanmin(maps.mosaic) >= 0 and np.nanmax(maps.mosaic) <= 1
    board.controls["activation"].value = "relu"
    assert [tick.get_text() for tick in maps.bar.get_yticklabels()] == ["min", "max"]
    assert np.nanmax(maps.mosaic) == pytest.approx(1) or np.nanmax(maps.mosaic) == 0


def test_the_sweep_trains_deep_networks_of_any_activation():
    board = Dashboard(dataset="moons", layers=2, hidden_size=4, activation="relu", epochs=100, sweep=True)
    X, y, _, _ = board.settings.data()
    expected = train_many(X, y, board.sweep.rates, hidden_size=[4, 4], epochs=100, activation="relu")
    np.testing.assert_allclose(board.sweep.finals, expected[:, -1], rtol=1e-10)


@pytest.mark.parametrize("settings", [
    {"dataset": "spirals", "layers": 3, "hidden_size": 6, "activation": "leaky_relu", "classes": 3, "loss": "cce",
     "epochs": 300, "learning_rate": 1.0},
    {"dataset": "xor", "layers": 2, "activation": "tanh", "epochs": 300, "points": [(0.5, 0.5, 1), (0.2, 0.9, 0)]},
])
def test_copy_as_code_covers_layers_activation_classes_and_clicked_points(settings):
    test_copy_as_code_reproduces_the_pictures_numbers_exactly(settings)
    reset_and_step_code_prints_the_same_numbers(settings)


def reset_and_step_code_prints_the_same_numbers(settings):
    """Reset, then one step: the code run prints the dashboard's numbers, and trains its losses."""
    board = Dashboard(**{**settings, "points": tuple(settings.get("points", ()))})
    board.buttons["reset"].click()
    printed, namespace = run_code(board.code.value)
    assert printed.strip().replace("\n", ", ") == board.numbers()
    board.buttons["step"].click()
    printed, namespace = run_code(board.code.value)
    np.testing.assert_array_equal(namespace["result"].losses, board.run.losses)


def test_dashboard_of_its_state_restores_layers_activation_classes_and_points():
    board = Dashboard(dataset="moons", classes=3, layers=2, hidden_size=5, activation="tanh", epochs=200,
                      points=((0.1, 0.2, 2),))
    again = board_module.dashboard(**board.settings.state()).board
    assert again.settings == board.settings and again.summary() == board.summary()
    np.testing.assert_array_equal(again.run.losses, board.run.losses)


def test_a_list_of_equal_widths_is_layers_of_that_width():
    board = board_module.dashboard(hidden_size=[6, 6, 6], epochs=100).board
    assert (board.settings.layers, board.settings.hidden_size) == (3, 6)
    with pytest.raises(ValueError, match=r"hidden_size must give every hidden layer the same width .*got \[8, 4\]"):
        board_module.dashboard(hidden_size=[8, 4])
    with pytest.raises(ValueError, match=r"layers is 2 but hidden_size lists 3 hidden layers"):
        board_module.dashboard(hidden_size=[8, 8, 8], layers=2)


# -- data of one's own ------------------------------------------------------------

def own_points():
    """60 points on the plane in three clusters, and their labels."""
    rng = np.random.default_rng(1)
    labels = np.arange(60) % 3  # (60,)
    X = rng.normal(scale=0.3, size=(60, 2)) + np.array([[0, 0], [2, 0], [1, 2]])[labels]  # (60, 2)
    return X, labels


def test_own_data_with_labels_or_one_hot_trains_the_same_network():
    X, labels = own_points()
    by_labels = board_module.dashboard(X=X, y=labels, epochs=300, learning_rate=2.0).board
    by_one_hot = board_module.dashboard(X=X, y=nnlib.one_hot(labels, classes=3), epochs=300, learning_rate=2.0).board
    np.testing.assert_array_equal(by_labels.run.losses, by_one_hot.run.losses)
    expected = nnlib.train(X, nnlib.one_hot(labels, classes=3), hidden_size=4, learning_rate=2.0, epochs=300)
    np.testing.assert_array_equal(by_labels.run.losses, expected.losses)
    assert [row[1] for row in by_labels.panels.rows] == [by_labels.panels.panel("boundary"),
                                                         by_labels.panels.panel("maps")]  # 2-D: on the plane
    assert by_labels.controls["dataset"].value == "own" and "your data" in by_labels.controls["dataset"].options
    printed, _ = run_code(by_labels.code.value, X=X, y=labels)
    assert printed.strip() == by_labels.numbers()
    by_labels.controls["dataset"].value = "moons"  # another dataset, and back to one's own
    by_labels.controls["dataset"].value = "own"
    np.testing.assert_array_equal(by_labels.run.X, X)


def test_own_data_with_more_inputs_is_shown_as_a_table():
    rng = np.random.default_rng(2)
    X = rng.normal(size=(30, 5))  # (30, 5)
    y = (X[:, 0] > 0).astype(int)  # (30,)
    board = board_module.dashboard(X=X, y=y, epochs=200).board
    assert board.panels.rows[0][1] is board.panels.panel("outputs")
    table = board.panels.panel("outputs")
    assert len(table.texts) == 12 and "the first 12 of 30 samples" in table.ax.get_title()
    assert board.clicking["box"].layout.display == "none"  # nothing to click on
    again = board_module.dashboard(**board.settings.state()).board
    np.testing.assert_array_equal(again.run.losses, board.run.losses)


@pytest.mark.parametrize("X, y, message", [
    (np.zeros(10), np.arange(10) % 2, r"X must be a 2-D array .* got shape \(10,\)"),
    ([[0.0, 1.0], [np.nan, 0.0], [1.0, 1.0]], [0, 1, 0], r"X must hold finite numbers; X\[1, 0\] is nan"),
    (np.zeros((4, 2)), [0, 0, 0, 0], r"y holds a single class \(every sample is class 0\)"),
    (np.zeros((4, 2)), [0, 1, 1], r"X and y must have one row per sample; X has 4 rows .* y has 3"),
    (np.zeros((4, 2)), [0, 1, 1.5, 0], r"y must be whole numbers from 0 to 1 .* y\[2\] is 1.5"),
    (np.zeros((4, 2)), [[1, 0], [0.5, 0.5], [0, 1], [1, 0]], r"y must be class labels .* one-hot .*row 1 is \[0.5, 0.5\]"),
    (np.zeros((4, 2)), [0, 1, 2, 12], r"y must be whole numbers from 0 to 9 .* y\[3\] is 12.0"),
    (np.zeros((1001, 2)), np.arange(1001) % 2, r"X has 1,001 samples; the live picture redraws at most 1,000"),
    (np.zeros((4, 2)), "abcd", r"y must hold numbers; got 'abcd'"),
])
def test_bad_data_of_ones_own_is_named_with_what_is_wrong(X, y, message):
    with pytest.raises((TypeError, ValueError), match=message):
        board_module.dashboard(X=X, y=y)


def test_own_data_needs_both_arrays_and_no_dataset():
    X, labels = own_points()
    with pytest.raises(ValueError, match="your own data needs both X and y; got only X"):
        board_module.dashboard(X=X)
    with pytest.raises(ValueError, match="give either dataset or your own X and y, not both; got dataset='moons'"):
        board_module.dashboard(X=X, y=labels, dataset="moons")
    with pytest.raises(ValueError, match="dataset='own' goes with data of your own"):
        board_module.dashboard(dataset="own")


# -- clicking points onto the plane ------------------------------------------------

def pixel_of(board, x0, x1):
    """Where the point (x0, x1) of the plane lies in the dashboard's picture, in its pixels from the top left."""
    panel = board.panels.panel("boundary")
    left, top = board.panels.placed[panel]
    x, y = panel.ax.transData.transform((x0, x1))
    return left + x, top + panel.figure.bbox.height - y


def test_a_click_on_the_map_adds_a_point_of_the_chosen_class_and_retrains():
    board = Dashboard(dataset="moons", epochs=200)
    N = len(board.run.X)
    board.clicking["class"].value = 1
    x, y = pixel_of(board, 0.5, 0.25)
    board.on_click({"type": "click", "dataX": round(x), "dataY": round(y)})
    assert len(board.run.X) == N + 1 and board.run.y[-1].tolist() == [0, 1]
    np.testing.assert_allclose(board.run.X[-1], [0.5, 0.25], atol=0.03)  # to the pixel
    X, y_, _, _ = board.settings.data()
    np.testing.assert_array_equal(board.run.losses, nnlib.train(X, y_, epochs=200).losses)
    assert board.run.epoch == 200 and "1 clicked point" in board.summary()
    printed, namespace = run_code(board.code.value)
    np.testing.assert_array_equal(namespace["result"].losses, board.run.losses)
    board.clicking["remove"].click()
    assert len(board.run.X) == N and board.settings.points == ()


def test_a_click_off_the_map_adds_nothing_and_says_where_to_click():
    board = Dashboard(dataset="moons", epochs=200)
    board.on_click({"type": "click", "dataX": 5, "dataY": 5})  # the loss panel's corner
    assert board.settings.points == () and "only inside the decision boundary's map" in board.status.value


def test_clicks_past_the_limit_are_refused_in_the_status_line_and_the_board_goes_on():
    board = Dashboard(dataset="moons", epochs=100, points=[(0.0, 0.0, 0)] * 200)
    x, y = pixel_of(board, 0.5, 0.25)
    board.on_click({"type": "click", "dataX": x, "dataY": y})
    assert "Error" in board.status.value and "at most 200 clicked points" in board.status.value
    assert len(board.settings.points) == 200
    board.controls["seed"].value = 3  # still answers
    assert board.run.settings.seed == 3 and "final loss" in board.status.value


def test_a_new_dataset_or_number_of_classes_drops_the_clicked_points():
    board = Dashboard(dataset="moons", epochs=100, points=[(0.0, 0.0, 1)])
    board.controls["classes"].value = 3
    assert board.settings.points == ()
    assert [option for option, _ in board.clicking["class"].options] == ["class 0", "class 1", "class 2"]


# -- what is shown, and bad values ----------------------------------------------

def test_controls_given_as_one_name_is_that_control_not_its_letters():
    widget = board_module.dashboard(epochs=200, controls="learning_rate")
    shown = [child.description for column in widget.children[0].children for child in column.children]
    assert shown == ["learning rate"]
    with pytest.raises(TypeError, match=r"controls must be a list of control names.*got 5 \(an int\)"):
        board_module.dashboard(controls=5)
    with pytest.raises(ValueError, match=r"controls must name some of .*got \['learning rate'\]"):
        board_module.dashboard(controls="learning rate")


@pytest.mark.parametrize("arguments, error, message", [
    ({"layers": 0}, ValueError, r"layers must be at least 1; got 0"),
    ({"layers": 5}, ValueError, r"layers must be from 1 to 4 in the dashboard; got 5"),
    ({"layers": 11}, ValueError, r"layers must be at most 10 in this course; got 11"),
    ({"layers": 2.5}, TypeError, r"layers must be a whole number; got 2.5 \(a float\)"),
    ({"layers": "2"}, TypeError, r"layers must be a whole number; got '2' \(a str\)"),
    ({"activation": "softplus"}, ValueError, r"activation must be one of \{'sigmoid', 'tanh', 'relu', 'leaky_relu'\}; got 'softplus'"),
    ({"activation": None}, ValueError, r"activation must be one of .*; got None"),
    ({"classes": 4, "dataset": "moons"}, ValueError, r"classes must be 2 or 3 in the dashboard .*; got 4"),
    ({"classes": 2.5, "dataset": "moons"}, TypeError, r"classes must be a whole number; got 2.5"),
    ({"classes": 3}, ValueError, r"classes=3 is for moons and spirals; got classes=3 with dataset='seed'"),
    ({"hidden_size": [8, 0]}, ValueError, r"hidden_size\[1\] must be at least 1; got 0"),
    ({"hidden_size": []}, ValueError, r"hidden_size must hold at least one hidden layer's width"),
    ({"points": [(0.0, 0.0, 1)]}, ValueError, r"points are clicked on the plane, for data with 2 inputs; this data has 3"),
    ({"points": "abc", "dataset": "moons"}, TypeError, r"points must be a list of \(x0, x1, class\) triples; got 'abc'"),
    ({"points": [(0.0, 0.0)], "dataset": "moons"}, ValueError, r"points\[0\] must be \(x0, x1, class\); got \(0.0, 0.0\)"),
    ({"points": [(0.0, np.nan, 0)], "dataset": "moons"}, ValueError, r"points\[0\]\[1\]"),
    ({"points": [(0.0, 0.0, 2)], "dataset": "moons"}, ValueError, r"points\[0\]\[2\] must be a class from 0 to 1; got 2"),
])
def test_bad_new_arguments_are_named_with_their_value(arguments, error, message):
    with pytest.raises(error, match=message):
        board_module.dashboard(**arguments)


def test_bad_values_never_reach_numpy_as_a_traceback():
    """Every new argument with hostile values: a TypeError or ValueError naming it, nothing else."""
    hostile = [None, -1, 0, 1e300, float("nan"), float("inf"), "x", [1], {"a": 1}, np.array([[1, 2]]), True]
    for name in ("layers", "activation", "classes", "points", "hidden_size", "controls"):
        for value in hostile:
            try:
                board_module.dashboard(**{name: value, "dataset": "moons", "epochs": 100})
            except (TypeError, ValueError) as error:
                assert name in str(error), (name, value, error)
    X, labels = own_points()
    for value in hostile + [np.full((3, 2), np.inf), np.zeros((0, 2)), np.zeros((2, 2, 2))]:
        for arguments, name in (({"X": value, "y": labels}, "X"), ({"X": X, "y": value}, "y")):
            with pytest.raises((TypeError, ValueError)) as raised:
                board_module.dashboard(epochs=100, **arguments)
            assert name in str(raised.value), (name, value, raised.value)


class TitledPanel(Panel):
    """A panel whose background is its title, and whose one moving artist is a line."""

    def __init__(self):
        super().__init__(2.0)
        self.ax = self.figure.add_axes((0.2, 0.2, 0.7, 0.6))
        (self.line,) = self.ax.plot([0, 1], [0, 1])
        self.draws = 0
        canvas_draw = self.canvas.draw

        def counted():
            self.draws += 1
            canvas_draw()

        self.canvas.draw = counted

    def moving(self):
        return [self.line]


def test_a_panel_going_back_to_a_background_it_drew_shows_the_same_pixels_without_drawing_it_again():
    panel = TitledPanel()
    pictures = {}
    for title in ("a", "b", "a", "b"):
        panel.ax.set_title(f"loss up to {title}")
        pixels = panel.render().copy()
        assert np.array_equal(pixels, pictures.setdefault(title, pixels)), title
    assert panel.draws == 2  # "a" and "b" once each
    fresh = TitledPanel()
    fresh.ax.set_title("loss up to a")
    panel.ax.set_title("loss up to a")
    assert np.array_equal(panel.render(), fresh.render())


def test_a_panel_keeps_only_its_last_few_backgrounds():
    panel = TitledPanel()
    for k in range(BACKGROUNDS + 1):
        panel.ax.set_title(f"title {k}")
        panel.render()
    assert len(panel.backgrounds) == BACKGROUNDS
    panel.ax.set_title("title 0")  # the one used longest ago is gone: drawn again
    panel.render()
    assert panel.draws == BACKGROUNDS + 2
