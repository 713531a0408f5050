"""The test suite, a package so that its shared helpers import by name (`from tests import browser`).

Shared helpers, each written once:

    helpers       the repository's folders, a plain training loop, running a command
    browser       JupyterLab on 127.0.0.1 and headless Chromium (Playwright)
    notebook_code running a notebook's cells in this process, recording its figures
    hub_harness   a course hub on 127.0.0.1 with throwaway students (tests/test_hub.py,
                  benchmarks/classroom_load.py)

and `conftest.py`, the settings every test runs under.
"""
