"""Shared pytest settings.

Warnings are errors (pyproject.toml), so a RuntimeWarning fails a test.

MPLBACKEND=Agg is what many servers and CI images set, and it used to make
the notebooks' figures vanish. Every test, nbval's kernels included (they
inherit this environment), runs under it, so the notebooks must choose their
backend themselves (`%matplotlib inline`) to pass.
"""

import os

import hypothesis

os.environ["MPLBACKEND"] = "Agg"

hypothesis.settings.register_profile("nnlib", deadline=None, derandomize=True, max_examples=60)
hypothesis.settings.load_profile("nnlib")
