#!/usr/bin/env bash
# Start the course hub on this server, in the foreground (Ctrl+C stops it and
# every student's server):
#
#   sudo hub/start.sh
#
# Students log in at http://<this server>:8000 with the accounts that
# hub/students.py made. Settings are environment variables, listed at the top
# of hub/jupyterhub_config.py; docs/course_hub.md explains them.
set -euo pipefail
HUB=$(cd "$(dirname "$0")" && pwd)
if [ "$(id -u)" != 0 ]; then
  echo "hub/start.sh: run it as root (sudo hub/start.sh): the hub starts each student's server as that student" >&2
  exit 1
fi
NNLIB_HUB_ENV=$("$HUB/setup.sh")
export NNLIB_HUB_ENV
export NNLIB_HUB_STATE=${NNLIB_HUB_STATE:-/var/lib/nnlib-hub}
mkdir -p "$NNLIB_HUB_STATE"
chmod 700 "$NNLIB_HUB_STATE"  # the database and cookie secret: root only
# Members of these groups may log in (hub/students.py adds them); the hub
# fails at the first login if a group is missing, so make both.
for group in "${NNLIB_HUB_STUDENTS:-students}" "${NNLIB_HUB_TEACHERS:-teachers}"; do
  getent group "$group" >/dev/null || groupadd "$group"
done
# The instructor's checkout (notebooks with their solutions, the tools, grades
# kept beside it) is for teachers only: root and the teachers' group may enter
# it, students may not. Students get the student edition from its own
# repository (tools/publish_student.py), never from here.
REPO=$(dirname "$HUB")
chgrp "${NNLIB_HUB_TEACHERS:-teachers}" "$REPO"
chmod 750 "$REPO"
cd "$NNLIB_HUB_STATE"
exec "$NNLIB_HUB_ENV/bin/jupyterhub" -f "$HUB/jupyterhub_config.py" "$@"
