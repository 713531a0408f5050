"""The sandbox a handed-in notebook's kernel runs in: bubblewrap, and what it binds.

Every kernel runs inside `bwrap` (bubblewrap, Debian's `bubblewrap` package),
which gives it namespaces of its own:

- user: the kernel is uid 0 of its own user namespace with every capability
  dropped (`setpriv`), which on the host is the grader's unprivileged user
  (`nobody` when grading as root: the grader drops to it before starting
  bwrap), so it owns nothing outside;
- network: only its own loopback, so no TCP, UDP, MPTCP or raw packet leaves
  it, and it reaches no port or abstract socket of the host;
- IPC: shared memory and semaphores it makes vanish with it;
- PID: it sees only its own processes, and all of them end with it;
- mount: only the Python environment and `nnlib`, read-only, a private /dev
  and /proc, the folder of its connection file (Unix sockets to the grader),
  and a size- and inode-capped tmpfs at /scratch where it may write (its home,
  its TMPDIR). No host /tmp, /home, /root, /etc/shadow or socket file exists
  inside.

Within it, `prlimit` caps each process (address space, file size, processes,
open files, no core dumps). The tmpfs's caps are set by `mount` inside the
sandbox, before the capabilities are dropped: bwrap itself can cap a tmpfs's
size but not its number of files.
"""

import os
import pwd
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

SCRATCH = "/scratch"  # the only place inside where the kernel may write


@dataclass(frozen=True)
class Limits:
    """What one notebook's kernel may use."""

    scratch_bytes: int = 256 * 2**20  # everything it writes, together
    scratch_files: int = 2000  # files and folders it may create
    file_bytes: int = 64 * 2**20  # one file
    memory_bytes: int = 3 * 2**30  # address space of each process
    processes: int = 64  # processes and threads inside the sandbox
    open_files: int = 256


# Runs inside bwrap as uid 0 of the sandbox's user namespace, which still holds
# CAP_SYS_ADMIN there: mount the capped tmpfs, then drop every capability for
# good and become the kernel.
INNER = r"""
set -e
mount -t tmpfs -o "size=$1,nr_inodes=$2,mode=0700" tmpfs /scratch
mkdir /scratch/home /scratch/tmp /scratch/shm
mount --bind /scratch/tmp /tmp
mount --bind /scratch/shm /dev/shm
cd /scratch
shift 2
exec "$@"
"""

SECUREBITS = "+noroot,+noroot_locked,+no_setuid_fixup,+no_setuid_fixup_locked,+keep_caps_locked"


def bwrap_path():
    """Path of the bwrap program, or None."""
    return shutil.which("bwrap")


def sandbox_user():
    """(uid, gid) the sandbox runs as on the host: nobody when grading as root, else the grader's own."""
    if os.geteuid() != 0:
        return os.geteuid(), os.getegid()
    account = pwd.getpwnam("nobody")
    return account.pw_uid, account.pw_gid


def drop_prefix():
    """Command prefix that starts a program as the sandbox's host user ([] when not root)."""
    if os.geteuid() != 0:
        return []
    uid, gid = sandbox_user()
    return ["setpriv", f"--reuid={uid}", f"--regid={gid}", "--clear-groups", "--inh-caps=-all",
            "--bounding-set=-all", "--"]


def python_binds():
    """Folders the kernel needs, read-only: the Python installation, the environment, nnlib."""
    import nnlib

    folders = {Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve(),
               Path(nnlib.__file__).resolve().parent}
    # Keep only the outermost of nested folders.
    return sorted(folder for folder in folders if not any(other in folder.parents for other in folders))


def system_binds():
    """bwrap arguments for the system's programs and libraries, read-only."""
    args = ["--ro-bind", "/usr", "/usr"]
    for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        path = Path("/") / name
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            args += ["--ro-bind", str(path), str(path)]
    for name in ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "fonts", "localtime"):
        path = Path("/etc") / name
        if path.exists():
            args += ["--ro-bind", str(path), str(path)]
    return args


def command(argv, limits, environment, extra=()):
    """The command that runs `argv` (the kernel) in a sandbox of its own.

    Parameters
    ----------
    argv : list of str
        The program to run inside, e.g. python -m ipykernel_launcher -f FILE.
    limits : Limits
    environment : dict
        The whole environment inside (nothing else is inherited).
    extra : list of str, optional
        More bwrap arguments (a file bound read-only, --info-fd).

    Everything outside /scratch (and /tmp and /dev/shm, which are bound to
    folders in it) is read-only: the sandbox's own root and /dev too.
    """
    args = [bwrap_path() or "bwrap", "--unshare-all", "--die-with-parent", "--new-session",
            "--uid", "0", "--gid", "0", "--hostname", "sandbox", "--clearenv"]
    for name, value in environment.items():
        args += ["--setenv", name, value]
    args += system_binds()
    for folder in python_binds():
        args += ["--ro-bind", str(folder), str(folder)]
    args += ["--proc", "/proc", "--dev", "/dev", "--dir", SCRATCH, "--dir", "/tmp", *extra,
             "--remount-ro", "/dev", "--remount-ro", "/", "--chdir", "/",
             "--cap-add", "CAP_SYS_ADMIN", "--cap-add", "CAP_SETPCAP", "--",
             "/bin/sh", "-c", INNER, "sh", str(limits.scratch_bytes), str(limits.scratch_files),
             "prlimit", f"--as={limits.memory_bytes}", f"--fsize={limits.file_bytes}",
             f"--nproc={limits.processes}", f"--nofile={limits.open_files}", "--core=0", "--",
             "setpriv", "--bounding-set=-all", "--inh-caps=-all", "--ambient-caps=-all",
             f"--securebits={SECUREBITS}", "--no-new-privs", "--"]
    return drop_prefix() + args + list(argv)


def kernel_environment():
    """The kernel's whole environment: its home and temporary folder on the scratch tmpfs."""
    return {
        "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "LANG": "C.UTF-8",
        "HOME": f"{SCRATCH}/home", "TMPDIR": f"{SCRATCH}/tmp", "USER": "student",
        "IPYTHONDIR": f"{SCRATCH}/home/.ipython", "MPLCONFIGDIR": f"{SCRATCH}/home/.matplotlib",
        "PYTHONDONTWRITEBYTECODE": "1", "PYTHONNOUSERSITE": "1",
        "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
    }


def problem():
    """Why notebooks cannot be sandboxed here (a sentence that says how to fix it), or ''."""
    if not sys.platform.startswith("linux"):
        return ("grading runs each notebook in a bubblewrap sandbox, which needs Linux. Grade on a Linux "
                "machine, or inside a throwaway virtual machine with --unconfined.")
    if bwrap_path() is None:
        return ("bubblewrap is not installed. Install it (Debian, Ubuntu: sudo apt-get install bubblewrap; "
                "Fedora: sudo dnf install bubblewrap) and run again.")
    for tool in ("setpriv", "prlimit", "mount"):
        if shutil.which(tool) is None:
            return f"the command {tool} (util-linux) is missing; install util-linux and run again."
    try:
        with_limits = command([sys.executable, "-c", "import nnlib, numpy"], Limits(), kernel_environment())
        result = subprocess.run(with_limits, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"bubblewrap could not start a sandbox ({error})."
    if result.returncode != 0:
        said = result.stderr.strip().splitlines()[-1:] or ["no message"]
        uid = sandbox_user()[0]
        hint = ""
        if "Permission denied" in said[0] and os.geteuid() == 0:
            hint = (f" Grading as root runs every notebook as the unprivileged user {pwd.getpwuid(uid).pw_name}, "
                    f"who must be able to read the Python environment ({sys.prefix}, installed from "
                    f"{sys.base_prefix}) and nnlib; use an environment every user can read, such as the "
                    "course hub's (hub/grade.sh), or grade as a normal user.")
        elif "namespace" in said[0].lower() or "Operation not permitted" in said[0]:
            hint = (" This system does not let unprivileged users create user namespaces "
                    "(sysctl kernel.unprivileged_userns_clone, or an AppArmor rule for bwrap).")
        return f"bubblewrap could not start a sandbox: {said[0]}.{hint}"
    runner = drop_prefix() + [sys.executable, "-c", "import tools.grading.runner"]
    result = subprocess.run(runner, capture_output=True, text=True, timeout=60, cwd="/")
    if result.returncode != 0:
        user = pwd.getpwuid(sandbox_user()[0]).pw_name
        return (f"the grader's runner cannot start as the user {user} "
                f"({(result.stderr.strip().splitlines() or ['no message'])[-1]}): that user must be able to "
                f"read the Python environment ({sys.prefix}) and this repository's tools/ and nnlib/.")
    return ""
