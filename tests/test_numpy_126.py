"""nnlib also works with NumPy 1.26, the oldest version it supports.

Builds a fresh virtual environment with numpy==1.26.4, installs nnlib into
it and runs nnlib's unit tests and doctests there. Takes 10-60 s, mostly
pip (fast when its cache already holds the wheel).
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Modules that need ipywidgets or matplotlib, which this environment does not install.
WIDGETS_AND_FIGURES = ["dashboard", "controls", "picture", "panels", "network_panels", "plots"]
UNIT_TESTS = ["test_gradients.py", "test_training.py", "test_bad_input.py", "test_sweep.py",
              "test_seed_reproduction.py", "test_checks.py"]


def run(command, **kwargs):
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    assert result.returncode == 0, f"{' '.join(map(str, command))}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def test_nnlib_passes_its_tests_with_numpy_1_26(tmp_path):
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", str(venv)])
    python = str(venv / "bin" / "python")
    run([python, "-m", "pip", "install", "-q", "numpy==1.26.4", "pytest==9.0.3", "hypothesis==6.155.2"])
    run([python, "-m", "pip", "install", "-q", "--no-deps", "-e", str(ROOT)])
    assert run([python, "-c", "import numpy; print(numpy.__version__)"]).strip() == "1.26.4"
    out = run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=--doctest-modules",
               "nnlib", *[f"tests/{name}" for name in UNIT_TESTS],
               *[f"--ignore=nnlib/course/{name}.py" for name in WIDGETS_AND_FIGURES]], cwd=ROOT)
    assert " passed" in out and "failed" not in out
