"""Virtual environments for tools whose packages the series' own environment does not hold.

    from tools.environments import cached_venv
    python = cached_venv("site", ["jupyter-book==1.0.4.post1", ...])

The site builder (Jupyter Book) and the nbgrader test need packages that
requirements.txt leaves out. Each gets a virtual environment of its own,
made once with pip from the given requirement lines and reused: it lives in
a cache folder (`$NNLIB_CACHE`, else `$XDG_CACHE_HOME/nnlib`, else
`~/.cache/nnlib`), under a name that holds a hash of the lines and of the
Python version, so changing a pin makes a new one. An environment is used
only once pip has finished in it (a file `.complete` says so); a half-made
one, left by an interrupted install, is removed and made again. A lock file
keeps two processes from making the same one at once.
"""

import contextlib
import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

try:
    import fcntl  # Linux and macOS
except ImportError:
    fcntl = None

COMPLETE = ".complete"


class VenvError(RuntimeError):
    """pip could not make the environment; the message holds the end of its output."""


def cache_root():
    """The folder that holds the environments."""
    if os.environ.get("NNLIB_CACHE"):
        return Path(os.environ["NNLIB_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "nnlib"


def requirement_lines(path):
    """The requirement lines of a requirements file: comments and blank lines left out."""
    lines = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            lines.append(line)
    return lines


def folder_for(name, requirements):
    """Where the environment for these requirement lines lives (it may not exist yet)."""
    key = "\n".join([f"python {sys.version_info.major}.{sys.version_info.minor}", *requirements])
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]
    return cache_root() / f"{name}-{digest}"


def python_of(folder):
    """The interpreter of the environment in `folder`."""
    return folder / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


@contextlib.contextmanager
def locked(path):
    """Hold an exclusive lock on the file `path` (no lock where fcntl is missing)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(handle, fcntl.LOCK_UN)


def cached_venv(name, requirements, log=sys.stderr):
    """The Python of an environment with `requirements` installed, made the first time.

    Parameters
    ----------
    name : str
        The start of the folder's name ("site", "nbgrader").
    requirements : list of str
        pip requirement lines, pinned with `==`.
    log : file
        Where to say that an environment is being made (it takes a minute or two).

    Returns
    -------
    Path
        The environment's python executable.
    """
    folder = folder_for(name, requirements)
    with locked(folder.with_name(folder.name + ".lock")):
        if (folder / COMPLETE).is_file():
            return python_of(folder)
        if folder.exists():
            shutil.rmtree(folder)  # an install that never finished
        print(f"Making the {name} environment in {folder} (once; later runs reuse it) ...", file=log)
        venv.EnvBuilder(with_pip=True).create(folder)
        result = subprocess.run([str(python_of(folder)), "-m", "pip", "install", "-q", "--no-compile",
                                 "--disable-pip-version-check", *requirements],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if result.returncode != 0:
            shutil.rmtree(folder, ignore_errors=True)
            raise VenvError(f"pip could not install the {name} environment "
                                    f"({' '.join(requirements)}):\n{result.stdout[-3000:]}")
        (folder / COMPLETE).write_text("\n".join(requirements) + "\n", encoding="utf-8")
    return python_of(folder)
