"""Each activation is one record in activations.ACTIVATIONS, and every path that computes it reads that record."""

import numpy as np
import pytest

import nnlib
from nnlib.activations import ACTIVATIONS, Activation
from nnlib.course.sweep import train_many
from tests.helpers import plain_loop


Z = np.linspace(-40, 40, 801)  # (801,) far into both tails


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_each_activation_agrees_with_itself(name):
    """Its function, derivative, range, formula in words and fast forms describe one function."""
    f = ACTIVATIONS[name]
    assert f.name == name and f.display_name
    a = f.function(Z)  # (801,)
    assert np.all((a >= f.low) & (a <= f.high))
    h = 1e-6
    inside = np.abs(Z) < 8  # away from the tails, where f' is too small for a finite difference to mean much
    inside &= Z != 0  # and off ReLU's kink, where a finite difference averages the slopes on either side
    numeric = (f.function(Z[inside] + h) - f.function(Z[inside] - h)) / (2 * h)
    np.testing.assert_allclose(f.derivative(a[inside]), numeric, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(eval(f.derivative_of("a"), {"a": a}), f.derivative(a), rtol=1e-15)  # the hints' words
    assert np.array_equal(f.into(Z.copy(), np.empty_like(Z)), a)  # train's form: the same numbers
    assert np.array_equal(f.slope_into(a, np.empty_like(a)), f.derivative(a))
    fold = f.fold()  # the sweep's form, on numbers scaled by powers of two
    scaled = fold.into(fold.inner * Z, np.empty_like(Z))
    np.testing.assert_allclose(scaled / fold.outer, a, rtol=1e-15, atol=1e-16)
    np.testing.assert_allclose(fold.slope_into(fold.outer * a, np.empty_like(a)) / fold.outer**2, f.derivative(a),
                               rtol=1e-15, atol=1e-16)


def tanh_activation():
    """An activation nnlib does not have yet, as a record: what adding one takes."""
    def slope_into(a, out):
        np.multiply(a, a, out=out)
        return np.subtract(1.0, out, out=out)  # 1 - a^2

    return Activation("tanh", "tanh", lambda z: np.tanh(np.asarray(z, dtype=float)),
                      lambda a: 1 - np.asarray(a, dtype=float) ** 2, -1.0, 1.0, "1 - {a} ** 2",
                      lambda z, out: np.tanh(z, out=out), slope_into)


def test_a_hidden_layer_of_another_activation_is_read_from_its_record_by_every_path(monkeypatch):
    """forward, backward, train, the sweep and the gradient check all compute tanh once network.HIDDEN is tanh."""
    monkeypatch.setattr(nnlib.network, "HIDDEN", tanh_activation())
    X, y = nnlib.moons(40, seed=3)
    params = nnlib.init_params(2, 5, 2, seed=1)
    _, cache = nnlib.forward(params, X)
    np.testing.assert_array_equal(cache["A1"], np.tanh(X @ params["W1"] + params["b1"]))
    assert cache["A1"].min() < 0  # outputs the sigmoid cannot give, accepted back by backward
    assert nnlib.gradient_check(params, X, y, loss="bce") < 1e-7
    _, losses = plain_loop(X, y, 5, 0.5, 200, 7, "bce")
    trained = nnlib.train(X, y, hidden_size=5, learning_rate=0.5, epochs=200, seed=7, loss="bce")
    np.testing.assert_allclose(trained.losses, losses, rtol=1e-12)
    swept = train_many(X, y, [0.5, 2.0], hidden_size=5, epochs=200, seed=7, loss="bce")
    np.testing.assert_allclose(swept[0], trained.losses, rtol=1e-12)
