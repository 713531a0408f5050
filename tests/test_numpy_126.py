"""nnlib also works with NumPy 1.26, the oldest version it supports.

Builds a fresh virtual environment with numpy==1.26.4, installs nnlib into
it and runs nnlib's unit tests and doctests there. Takes 10-60 s, mostly
pip (fast when its cache already holds the wheel).
"""

import sys

from tests.helpers import ROOT, run


# What this environment leaves out: the course's figures and dashboard need them.
NOT_INSTALLED = {"ipywidgets", "ipyevents", "matplotlib", "PIL", "IPython"}
# Run in the environment: the course modules that cannot be imported there for
# want of one of NOT_INSTALLED, as paths (any other import error is printed and fails).
FIND_WIDGETS_AND_FIGURES = f"""
import importlib, pathlib
root = pathlib.Path({str(ROOT)!r})
for path in sorted((root / "nnlib" / "course").rglob("*.py")):
    parts = path.relative_to(root).with_suffix("").parts
    try:
        importlib.import_module(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    except ModuleNotFoundError as error:
        if error.name.split(".")[0] not in {NOT_INSTALLED!r}:
            raise
        print(path.relative_to(root).as_posix())
"""
UNIT_TESTS = ["test_gradients.py", "test_training.py", "test_bad_input.py", "test_sweep.py", "test_depth.py",
              "test_seed_reproduction.py", "test_checks.py"]


def test_nnlib_passes_its_tests_with_numpy_1_26(tmp_path):
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", str(venv)])
    python = str(venv / "bin" / "python")
    run([python, "-m", "pip", "install", "-q", "numpy==1.26.4", "pytest==9.0.3", "hypothesis==6.155.2"])
    run([python, "-m", "pip", "install", "-q", "--no-deps", "-e", str(ROOT)])
    assert run([python, "-c", "import numpy; print(numpy.__version__)"]).strip() == "1.26.4"
    widgets_and_figures = run([python, "-c", FIND_WIDGETS_AND_FIGURES], cwd=ROOT).split()
    # The dashboard and the figures are left out; the checks, the sweep and the lesson are tested.
    assert {"nnlib/course/dashboard/board.py", "nnlib/course/plots.py"} <= set(widgets_and_figures)
    assert not [path for path in widgets_and_figures if path.startswith("nnlib/course/exercises/")
                or path in ("nnlib/course/checks.py", "nnlib/course/sweep.py", "nnlib/course/palette.py")]
    out = run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=--doctest-modules",
               "nnlib", *[f"tests/{name}" for name in UNIT_TESTS],
               *[f"--ignore={path}" for path in widgets_and_figures]], cwd=ROOT)
    assert " passed" in out and "failed" not in out
