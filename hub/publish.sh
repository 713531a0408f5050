#!/usr/bin/env bash
# Publish the student edition of this checkout into the repository students
# pull from (a bare repository of its own, branch `student`), with the
# course hub's environment:
#
#   sudo hub/publish.sh /srv/git/nn-from-scratch-numpy --init   # the first time
#   sudo hub/publish.sh /srv/git/nn-from-scratch-numpy          # after every update
#
# Options are tools/publish_student.py's. Nothing of this checkout's
# solutions enters that repository: it holds student-edition commits only.
set -euo pipefail
HUB=$(cd "$(dirname "$0")" && pwd)
REPO=$(dirname "$HUB")
ENV=$("$HUB/setup.sh")
umask 022  # the published repository is read by every student
exec "$ENV/bin/python" -I -m tools.publish_student --source "$REPO" "$@"
