"""The dashboard, driven from Python: set a control, check what it draws and says."""

import base64
import itertools

import matplotlib.pyplot as plt
import numpy as np
import pytest

import nnlib
from nnlib.course import dashboard as board_module
from nnlib.course.sweep import train_many


@pytest.fixture
def board():
    return board_module.Dashboard(epochs=2000)


def drawn_losses(board):
    return board.loss_line.get_ydata()


def test_first_draw_shows_the_training_run(board):
    X, y = nnlib.seed_data()
    expected = nnlib.train(X, y, epochs=2000)
    np.testing.assert_array_equal(drawn_losses(board), expected.losses)
    outputs = nnlib.predict(expected.params, X)
    texts = [[text.get_text() for text in row] for row in board.table_texts]
    assert texts == [[f"{v:.2f}" for v in np.hstack([outputs[i], y[i]])] for i in range(4)]
    assert f"{expected.losses[-1]:.4g}" in board.status.value
    assert "accuracy <b>100%</b>" in board.status.value
    assert bytes(board.image.value).startswith(b"\x89PNG")


def test_hidden_size_five_retrains_where_the_original_crashed(board):
    before = board.image.value
    board.controls["hidden_size"].value = 5
    X, y = nnlib.seed_data()
    np.testing.assert_array_equal(drawn_losses(board), nnlib.train(X, y, hidden_size=5, epochs=2000).losses)
    assert board.image.value != before
    assert "Error" not in board.status.value


def test_previous_run_is_drawn_faintly(board):
    first = drawn_losses(board).copy()
    board.controls["learning_rate"].value = 1.0
    np.testing.assert_array_equal(board.previous_line.get_ydata(), first)
    assert board.previous_line.get_alpha() < 1 and board.loss_line.get_alpha() is None  # None: opaque


def test_every_control_retrains(board):
    X, y = nnlib.xor_data()
    board.controls["dataset"].value = "xor"
    board.controls["loss"].value = "bce"
    board.controls["seed"].value = 7
    board.controls["epochs"].value = 300
    board.controls["learning_rate"].value = 10.0
    expected = nnlib.train(X, y, learning_rate=10.0, epochs=300, seed=7, loss="bce")
    np.testing.assert_array_equal(drawn_losses(board), expected.losses)
    assert board.ax_data.get_title() == "Decision boundary"
    assert board.ax_loss.get_ylabel() == "cross-entropy (log scale)"


def test_sweep_is_trained_together_and_marks_the_slider(board):
    board.sweep_button.value = True
    X, y = nnlib.seed_data()
    rates, finals = board.sweep_line.get_data()
    assert len(rates) == 64
    np.testing.assert_allclose(finals, train_many(X, y, rates, epochs=2000)[:, -1], rtol=1e-10)
    board.controls["learning_rate"].value = 3.1622776601683795
    assert board.rate_marker.get_xdata()[0] == pytest.approx(10 ** 0.5)
    np.testing.assert_array_equal(board.sweep_line.get_data()[1], finals)  # rate change: no new sweep


def test_plain_language_warnings():
    too_large = board_module.Dashboard(learning_rate=100.0, epochs=2000)
    assert "learning rate is probably too large" in too_large.status.value
    too_small = board_module.Dashboard(learning_rate=0.001, epochs=500)
    assert "barely moved" in too_small.status.value
    healthy = board_module.Dashboard(learning_rate=10.0, epochs=2000)
    assert "⚠" not in healthy.status.value


def test_an_error_in_a_callback_shows_in_the_status_line(board, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("out of paper")

    monkeypatch.setattr(board_module, "train", broken)
    board.controls["hidden_size"].value = 6
    assert "RuntimeError: out of paper" in board.status.value


def test_widget_output_is_one_widget_with_a_png_fallback():
    box = board_module.dashboard(epochs=500)
    bundle = box._repr_mimebundle_()
    assert bundle["text/plain"].startswith("Dashboard(dataset='seed', learning_rate=0.1, hidden_size=4, epochs=500")
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert base64.b64decode(bundle["image/png"]) == bytes(box.image.value)
    assert plt.get_fignums() == []  # nothing drawn through pyplot, so nothing printed below the widget


def test_controls_have_readable_descriptions(board):
    for name, control in board.controls.items():
        assert control.description == name.replace("_", " ")
        assert control.style.description_width == "initial"
    for name in ("learning_rate", "hidden_size", "epochs", "seed"):
        assert board.controls[name].continuous_update is False


@pytest.mark.parametrize("dataset", ["seed", "xor", "moons", "spirals"])
def test_slider_extremes_train_and_draw_cleanly(dataset):
    """Warnings are errors in this test suite, so a RuntimeWarning fails here."""
    board = board_module.Dashboard(dataset=dataset, epochs=200)
    for loss, rate, hidden in itertools.product(["mse", "bce"], [1e-3, 1e2], [1, 64]):
        board.controls["loss"].value = loss
        board.controls["learning_rate"].value = rate
        board.controls["hidden_size"].value = hidden
        assert "Error" not in board.status.value, (loss, rate, hidden, board.status.value)
        assert np.all(np.isfinite(drawn_losses(board)))
        assert board.settings() == {"learning_rate": rate, "hidden_size": hidden, "epochs": 200,
                                    "seed": 42, "loss": loss}
        if dataset != "seed":
            assert np.all(np.isfinite(board.contours[0].get_array()))


def test_largest_network_at_full_length_with_the_sweep():
    board = board_module.Dashboard(dataset="spirals", hidden_size=64, learning_rate=100.0, loss="bce")
    board.sweep_button.value = True
    assert "Error" not in board.status.value
    assert np.all(np.isfinite(board.sweep_line.get_data()[1]))
    assert len(drawn_losses(board)) == 10000


def test_bad_starting_values_are_named():
    with pytest.raises(ValueError, match="dataset must be one of"):
        board_module.dashboard(dataset="iris")
    with pytest.raises(ValueError, match="loss must be one of"):
        board_module.dashboard(loss="hinge")


def test_sweep_can_start_switched_on():
    board = board_module.Dashboard(epochs=300, sweep=True)
    rates, finals = board.sweep_line.get_data()
    assert board.sweep_button.value is True and len(rates) == 64
    assert board.ax_sweep.get_title() == "Sweep: loss after 300 epochs"
    assert not board.sweep_hint.get_visible()


def test_executed_notebook_shows_a_static_png_and_keeps_widget_state():
    """tests/fixtures/dashboard.ipynb, executed by `jupyter nbconvert --execute`, reads on GitHub."""
    import nbformat
    from pathlib import Path

    notebook = nbformat.read(Path(__file__).parent / "fixtures" / "dashboard.ipynb", as_version=4)
    state = notebook.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    (output,) = notebook.cells[-1].outputs
    model_id = output.data["application/vnd.jupyter.widget-view+json"]["model_id"]
    assert state[model_id]["model_name"] == "VBoxModel"
    assert base64.b64decode(output.data["image/png"]).startswith(b"\x89PNG")
    assert output.data["text/plain"].startswith("Dashboard(dataset='seed'")


def test_the_image_shows_the_figure_pixel_for_pixel(board):
    import io

    import PIL.Image

    board.controls["hidden_size"].value = 8
    shown = np.asarray(PIL.Image.open(io.BytesIO(board.image.value)))  # (height, width, 4)
    np.testing.assert_array_equal(shown, np.asarray(board.canvas.buffer_rgba()))


def test_table_colours_follow_the_outputs_after_a_trip_through_2d_data(board):
    board.controls["dataset"].value = "moons"
    assert board.ax_data.get_title() == "Decision boundary"
    board.controls["dataset"].value = "seed"
    X, y = nnlib.seed_data()
    outputs = nnlib.predict(nnlib.train(X, y, epochs=2000).params, X)  # (4, 2)
    assert board.ax_data.get_title() == "Outputs against targets"
    np.testing.assert_array_equal(board.table_image.get_array(), outputs)
    assert [[text.get_text() for text in row[2:]] for row in board.table_texts] == \
        [[f"{v:.2f}" for v in row] for row in y]
