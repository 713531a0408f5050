#!/usr/bin/env bash
# Build (or reuse) what the course hub runs, then print the environment's path.
#
#   sudo hub/setup.sh
#
# - A Python environment under $NNLIB_HUB_PREFIX (default /opt/nnlib-hub),
#   made from Debian's /usr/bin/python3 and readable by every user, holding
#   binder/requirements.txt (the series' pins, as on Binder), jupyterhub and
#   nbgitpuller (hub/requirements.txt) and this repository's package (nnlib,
#   and the tools that grade: hub/grade.sh runs them from here). It is named
#   by a hash of those requirement files, so it is rebuilt only when they
#   change; the package is reinstalled whenever its source changes.
# - configurable-http-proxy from npm, into hub/node_modules (npm ci, from
#   hub/package-lock.json).
# hub/start.sh runs this itself; run it alone to prepare a server in advance.
set -euo pipefail
umask 022  # everything here must stay readable by the students
HUB=$(cd "$(dirname "$0")" && pwd)
REPO=$(dirname "$HUB")
PREFIX=${NNLIB_HUB_PREFIX:-/opt/nnlib-hub}
PYTHON=${NNLIB_HUB_PYTHON:-/usr/bin/python3}
say() { echo "hub/setup.sh: $*" >&2; }

[ -x "$PYTHON" ] || { say "no Python at $PYTHON (apt-get install python3 python3-venv, or set NNLIB_HUB_PYTHON)"; exit 1; }
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' ||
  { say "$PYTHON is older than 3.11, which the pinned NumPy needs (Binder uses 3.11)"; exit 1; }

# The environment, named by what goes into it.
key=$( { "$PYTHON" --version; cat "$REPO/binder/requirements.txt" "$HUB/requirements.txt"; } 2>&1 | sha256sum | cut -c1-12)
env="$PREFIX/env-$key"
mkdir -p "$PREFIX"
chmod 755 "$PREFIX"
exec 9>"$PREFIX/.lock"
flock 9  # one build at a time
if [ ! -e "$env/.complete" ]; then
  say "building $env (a minute or two; pip's cache makes later builds faster)"
  rm -rf "$env"
  "$PYTHON" -m venv "$env" ||
    { say "python3 -m venv failed: on Debian or Ubuntu, apt-get install python3-venv"; exit 1; }
  # binder/requirements.txt without its `-e .` line: nnlib is installed below
  # as a copy inside the environment, never as a link into this checkout
  # (which students may not be allowed to read).
  grep -v '^-e' "$REPO/binder/requirements.txt" > "$env/binder-requirements.txt"
  "$env/bin/python" -m pip install -q --disable-pip-version-check \
    -r "$env/binder-requirements.txt" -r "$HUB/requirements.txt" >&2
  "$env/bin/python" -m pip check >&2
  touch "$env/.complete"  # last: a build cut short is redone next time
fi

# Every kernel listens on one TCP port on 127.0.0.1 (ipykernel's pipe for the
# output of processes it forks), which any user may connect to; it drops a
# message without its random key but prints it to its stderr. With fd capture
# off that goes to the hub's log, never into the student's notebook.
mkdir -p "$env/etc/ipython"
printf '%s\n' '# Written by hub/setup.sh: see the comment there.' \
  'c.IPKernelApp.capture_fd_output = False' > "$env/etc/ipython/ipython_kernel_config.py"

# nnlib and tools, reinstalled when their source changes.
stamp=$(cd "$REPO" && find nnlib tools pyproject.toml -name '*.py' -o -name pyproject.toml | LC_ALL=C sort | xargs cat | sha256sum | cut -c1-12)
if [ "$(cat "$env/.nnlib" 2>/dev/null)" != "$stamp" ]; then
  say "installing nnlib and the grading tools into $env"
  src=$(mktemp -d)
  cp -r "$REPO/nnlib" "$REPO/pyproject.toml" "$REPO/README.md" "$src/"
  (cd "$REPO" && find tools -name '*.py' -not -path '*/node_modules/*' -exec cp --parents {} "$src/" \;)
  find "$src" -name __pycache__ -prune -exec rm -rf {} +
  "$env/bin/python" -m pip install -q --disable-pip-version-check --no-deps --force-reinstall "$src" >&2
  rm -rf "$src"
  echo "$stamp" > "$env/.nnlib"
fi

# The proxy.
command -v npm >/dev/null || { say "npm not found: apt-get install nodejs npm (Node.js 20.19 or newer)"; exit 1; }
proxy="$HUB/node_modules/.bin/configurable-http-proxy"
if [ ! -x "$proxy" ] || [ "$HUB/package-lock.json" -nt "$HUB/node_modules/.package-lock.json" ]; then
  say "installing configurable-http-proxy (npm ci)"
  (cd "$HUB" && npm ci --omit=dev --no-audit --no-fund --loglevel=error >&2)
fi
"$proxy" --version >/dev/null 2>&1 ||
  { say "configurable-http-proxy does not run: it needs Node.js 20.19 or newer (node --version: $(node --version))"; exit 1; }

echo "$env"
