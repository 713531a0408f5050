"""Grade handed-in notebooks: python tools/grade.py SUBMISSIONS/ (see tools/grading/cli.py)."""

import sys

from tools.grading.cli import main

if __name__ == "__main__":
    sys.exit(main())
