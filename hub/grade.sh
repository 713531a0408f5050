#!/usr/bin/env bash
# Grade the notebooks hub/collect.py gathered, with the course hub's own
# environment (the one hub/setup.sh builds, readable by every user):
#
#   sudo hub/grade.sh submissions-week1/ --roster class.txt --output grades-week1/
#
# Options are tools/grade.py's (python -m tools.grade --help). Every notebook
# runs in a bubblewrap sandbox as the unprivileged user nobody, never as root;
# the report folder is readable by root only.
set -euo pipefail
HUB=$(cd "$(dirname "$0")" && pwd)
REPO=$(dirname "$HUB")
if [ "$(id -u)" != 0 ]; then
  echo "hub/grade.sh: run it as root (sudo hub/grade.sh ...): the submissions hub/collect.py gathers are root's" >&2
  exit 1
fi
if ! command -v bwrap >/dev/null; then
  echo "hub/grade.sh: bubblewrap is missing; install it (sudo apt-get install bubblewrap) and run again" >&2
  exit 1
fi
ENV=$("$HUB/setup.sh")
# -I: the package installed in the environment, never this checkout (which nobody, the
# sandbox's user, may not read) from the current folder.
exec "$ENV/bin/python" -I -m tools.grade --notebooks "$REPO/notebooks" "$@"
