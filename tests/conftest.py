"""Shared pytest settings: warnings are errors, so a RuntimeWarning fails a test."""

import hypothesis

hypothesis.settings.register_profile("nnlib", deadline=None, derandomize=True, max_examples=60)
hypothesis.settings.load_profile("nnlib")
