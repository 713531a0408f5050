"""The datasets of nnlib.data: the spirals' turns and the train/test split."""

import numpy as np
import pytest

import nnlib


def test_each_spiral_arm_winds_one_and_a_half_turns():
    X, y = nnlib.spirals(2000, noise=0.0, seed=1)
    for cls in (0, 1):
        points = X[y[:, 1] == cls]  # (1000, 2)
        radius = np.hypot(*points.T)
        order = np.argsort(radius)
        angle = np.unwrap(np.arctan2(points[order, 1], points[order, 0]))  # winds out as the radius grows
        assert abs(angle[-1] - angle[0]) / (2 * np.pi) > 1.45  # 1.5 turns, less the ends the sample missed
        assert 0.2 <= radius.min() and radius.max() <= 1.0


def test_the_two_arms_never_touch_without_noise():
    X, y = nnlib.spirals(1000, noise=0.0, seed=2)
    zero, one = X[y[:, 1] == 0], X[y[:, 1] == 1]
    gaps = np.linalg.norm(zero[:, None, :] - one[None, :, :], axis=2)  # (500, 500)
    assert gaps.min() > 0.2  # neighbouring arms are 0.4 / turns = 0.27 apart


def test_more_turns_make_a_harder_problem():
    """With few hidden units, 1.5 turns cannot be learned where half a turn can."""
    settings = {"hidden_size": 4, "learning_rate": 10.0, "epochs": 3000, "seed": 0, "loss": "bce"}
    right = {}
    for turns in (0.5, 1.5):
        X, y = nnlib.spirals(200, noise=0.0, turns=turns, seed=0)
        params = nnlib.train(X, y, **settings).params
        right[turns] = nnlib.accuracy(nnlib.predict(params, X), y)
    assert right[0.5] == 1 and right[1.5] < 0.85


def test_train_test_split_holds_out_the_share_asked_for():
    X, y = nnlib.moons(10, seed=3)
    X_train, y_train, X_test, y_test = nnlib.train_test_split(X, y, test_fraction=0.3, seed=4)
    assert X_train.shape == (7, 2) and y_train.shape == (7, 2) and X_test.shape == (3, 2) and y_test.shape == (3, 2)
    together = np.vstack([X_train, X_test])
    assert sorted(map(tuple, together)) == sorted(map(tuple, X))  # every sample once
    rows = {tuple(x): tuple(t) for x, t in zip(X, y)}
    assert all(rows[tuple(x)] == tuple(t) for x, t in zip(together, np.vstack([y_train, y_test])))
    again = nnlib.train_test_split(X, y, test_fraction=0.3, seed=4)
    assert all(np.array_equal(a, b) for a, b in zip(again, (X_train, y_train, X_test, y_test)))
    other = nnlib.train_test_split(X, y, test_fraction=0.3, seed=5)
    assert not np.array_equal(other[2], X_test)


def test_train_test_split_without_a_test_set_and_leaves_the_input_alone():
    X, y = nnlib.moons(8)
    before = X.copy()
    X_train, y_train, X_test, y_test = nnlib.train_test_split(X, y, test_fraction=0)
    assert X_train.shape == (8, 2) and X_test.shape == (0, 2) and y_test.shape == (0, 2)
    X_train[0, 0] = 99.0
    np.testing.assert_array_equal(X, before)


@pytest.mark.parametrize("fraction,error,message", [
    (1.0, ValueError, r"test_fraction 1 of 10 samples leaves none for training; it must be below 0.95"),
    (0.96, ValueError, r"leaves none for training"),
    (-0.1, ValueError, r"test_fraction must be a finite number at least 0 and at most 1; got -0.1"),
    ("half", TypeError, r"test_fraction must be a number; got 'half'"),
])
def test_train_test_split_names_a_bad_fraction(fraction, error, message):
    X, y = nnlib.moons(10)
    with pytest.raises(error, match=message):
        nnlib.train_test_split(X, y, test_fraction=fraction)


def test_train_test_split_names_mismatched_rows():
    X, y = nnlib.moons(10)
    with pytest.raises(ValueError, match="X and y must have one row per sample"):
        nnlib.train_test_split(X, y[:9])


@pytest.mark.parametrize("make", [nnlib.moons, nnlib.spirals])
@pytest.mark.parametrize("classes", [2, 3, 5, 10])
@pytest.mark.parametrize("n_samples", [10, 99])
def test_more_classes_give_one_hot_targets_with_every_class_present(make, classes, n_samples):
    X, y = make(n_samples, seed=1, classes=classes)
    assert X.shape == (n_samples, 2) and y.shape == (n_samples, classes)
    assert set(np.unique(y)) == {0.0, 1.0} and (y.sum(axis=1) == 1).all()  # one-hot rows
    counts = y.sum(axis=0)  # (classes,) the classes take turns
    assert counts.min() >= 1 and counts.max() - counts.min() <= 1
    assert np.isfinite(X).all()


def test_three_moons_go_on_to_the_right_upper_and_lower_arcs_in_turn():
    X, y = nnlib.moons(300, noise=0.0, seed=2, classes=3)
    labels = y.argmax(axis=1)
    for c, (shift, upper) in enumerate([(0, True), (1, False), (2, True)]):
        points = X[labels == c]
        centre = np.array([shift, 0.0 if upper else 0.5])  # the docstring's arcs: (c + cos t, sin t), ...
        np.testing.assert_allclose(np.hypot(*(points - centre).T), 1.0, rtol=1e-12)
        assert ((points[:, 1] >= 0) if upper else (points[:, 1] <= 0.5)).all()


def test_three_spiral_arms_are_each_turned_by_a_third_of_a_circle():
    X, y = nnlib.spirals(3000, noise=0.0, seed=3, classes=3)
    labels = y.argmax(axis=1)
    radius = np.hypot(*X.T)  # 0.2 + 0.8 s: how far along its arm a point lies
    s = (radius - 0.2) / 0.8
    turned = np.arctan2(X[:, 1], X[:, 0]) - 2 * np.pi * 1.5 * s  # the angle less the winding
    offset = np.mod(turned, 2 * np.pi)  # class c: 2 pi c / 3
    np.testing.assert_allclose(np.mod(offset - 2 * np.pi * labels / 3 + 1, 2 * np.pi) - 1, 0.0, atol=1e-9)


@pytest.mark.parametrize("make", [nnlib.moons, nnlib.spirals])
@pytest.mark.parametrize("classes,error,message", [
    (1, ValueError, "classes must be from 2 to 10 in this course; got 1"),
    (11, ValueError, "classes must be from 2 to 10 in this course; got 11"),
    (0, ValueError, "classes must be from 2 to 10 in this course; got 0"),
    (-3, ValueError, "classes must be from 2 to 10 in this course; got -3"),
    (2.5, TypeError, "classes must be a whole number; got 2.5"),
    ("3", TypeError, "classes must be a whole number; got '3'"),
    (True, TypeError, "classes must be a whole number; got True"),
    (None, TypeError, "classes must be a whole number; got None"),
])
def test_a_number_of_classes_outside_2_to_10_is_named(make, classes, error, message):
    with pytest.raises(error) as raised:
        make(20, classes=classes)
    assert str(raised.value).startswith(message)
