"""The tutorial's network, one hidden layer of sigmoid units, computes what it computed before networks grew deeper.

The reference is the library itself as it stood before (REFERENCE, the
commit of main that the depth work started from), taken out of this
repository's history with `git archive` and imported in a separate Python
process; the same script then runs on today's nnlib, and every number must
be equal to the last bit: the forward and backward passes, training, the
learning-rate sweep, the gradient maps, the datasets of two classes.
"""

import subprocess
import sys

import numpy as np
import pytest

from tests.helpers import ROOT

REFERENCE = "d4b01eaeacfe603720cbf3381a79f80c6b130270"  # main before depth: nnlib of one hidden layer

SCRIPT = r'''
import sys
import numpy as np
import nnlib
from nnlib.course.sweep import SweepRun, train_many

found = {"nnlib": np.array(nnlib.__file__)}
datasets = {
    "seed": (nnlib.seed_data(), 4),
    "xor": (nnlib.xor_data(), 3),
    "moons": (nnlib.moons(100, noise=0.2, seed=1), 8),
    "spirals": (nnlib.spirals(60, seed=2), 16),
}
for name, ((X, y), H) in datasets.items():
    params = nnlib.init_params(X.shape[1], H, y.shape[1], seed=7)
    found.update({f"{name} init {key}": value for key, value in params.items()})
    A2, cache = nnlib.forward(params, X)
    found.update({f"{name} cache {key}": value for key, value in cache.items()})
    found[f"{name} predict"] = nnlib.predict(params, X)
    found[f"{name} accuracy"] = np.array(nnlib.accuracy(A2, y))
    for loss in ("mse", "bce"):
        grads = nnlib.backward(params, cache, y, loss=loss)
        found.update({f"{name} {loss} backward {key}": value for key, value in grads.items()})
        result = nnlib.train(X, y, hidden_size=H, learning_rate=0.7, epochs=300, seed=3, loss=loss)
        found[f"{name} {loss} train losses"] = result.losses
        found.update({f"{name} {loss} train {key}": value for key, value in result.params.items()})
        rates = [0.01, 0.3, 3.0, 30.0]
        found[f"{name} {loss} train_many"] = train_many(X, y, rates, hidden_size=H, epochs=200, seed=3, loss=loss)
        run = SweepRun(X, y, rates, hidden_size=H, seed=3, loss=loss)
        found[f"{name} {loss} sweep chunks"] = np.hstack([run.train(70), run.train(130)])
        for k in range(len(rates)):
            found.update({f"{name} {loss} sweep params {k} {key}": value for key, value in run.params(k).items()})
        few = slice(0, 30)  # finite differences on 30 samples at most
        errors = nnlib.gradient_errors(params, X[few], y[few], loss=loss)
        for key, comparison in errors.items():
            for part in ("analytic", "numerical", "relative"):
                found[f"{name} {loss} gradient_errors {key} {part}"] = getattr(comparison, part)
        found[f"{name} {loss} gradient_check"] = np.array(nnlib.gradient_check(params, X[few], y[few], loss=loss))
for n in (7, 50, 101):
    for seed in (0, 3):
        for noise in (0.0, 0.2):
            found[f"moons {n} {seed} {noise}"] = np.hstack(nnlib.moons(n, noise=noise, seed=seed))
            for turns in (0.5, 1.5):
                found[f"spirals {n} {seed} {noise} {turns}"] = np.hstack(
                    nnlib.spirals(n, noise=noise, turns=turns, seed=seed))
np.savez(sys.argv[1], **found)
'''


def computed(folder, out):
    """Run SCRIPT with the nnlib found in `folder` first on the path; return its numbers by name."""
    env = {"PYTHONPATH": str(folder), "PATH": "/usr/bin:/bin", "MPLBACKEND": "Agg"}
    result = subprocess.run([sys.executable, "-W", "error", "-c", SCRIPT, str(out)], capture_output=True,
                            text=True, env=env, cwd=out.parent, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    with np.load(out) as saved:
        return {key: saved[key] for key in saved.files}


@pytest.fixture(scope="module")
def before_and_now(tmp_path_factory):
    folder = tmp_path_factory.mktemp("reference")
    results = tmp_path_factory.mktemp("results")  # the scripts run here: `python -c` puts its folder on the path
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", REFERENCE, "nnlib"], capture_output=True)
    assert archive.returncode == 0, (
        f"the reference commit {REFERENCE} is not in this repository's history ({archive.stderr.decode()}): "
        "clone with the history (not --depth 1) to run this test")
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    before = computed(folder, results / "before.npz")
    now = computed(ROOT, results / "now.npz")
    return before, now


def test_the_two_runs_used_the_two_libraries(before_and_now):
    before, now = before_and_now
    assert "reference" in str(before["nnlib"])  # the folder the archive was unpacked into
    assert str(now["nnlib"]) == str(ROOT / "nnlib" / "__init__.py")


def test_every_number_of_the_one_hidden_layer_network_is_unchanged_to_the_last_bit(before_and_now):
    before, now = before_and_now
    assert sorted(before) == sorted(now)
    changed = [key for key in before if key != "nnlib" and not np.array_equal(before[key], now[key])]
    assert not changed, f"{len(changed)} results differ from {REFERENCE[:7]}'s, first {changed[:10]}"
    assert len(before) > 300  # every part of the script ran
