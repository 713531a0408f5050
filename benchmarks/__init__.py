"""Speed, measured by hand and never asserted in tests: run each as `python -m benchmarks.NAME` from the repository."""
