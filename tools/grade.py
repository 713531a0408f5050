"""Grade handed-in notebooks: run each one confined, and tabulate what its checks say.

    python tools/grade.py SUBMISSIONS/                  # report in ./grades/
    python tools/grade.py SUBMISSIONS/ --output DIR     # report elsewhere
    python tools/grade.py SUBMISSIONS/ --force          # replace an earlier report

SUBMISSIONS holds one entry per student: a folder named for the student with
their notebooks in it (at any depth), or one notebook named for the student.
A notebook counts as the series' notebook whose file name it has
(`05_forward_pass.ipynb`, or one starting `05`), else as the one whose check
cells it holds.

Every notebook is untrusted code. The tool reads it once, runs a copy of it
alone in a fresh temporary folder, in its own kernel, with a time limit per
cell (--cell-timeout) and per notebook (--notebook-timeout), and keeps only
so much of what a cell prints. On Linux the kernel is confined with Landlock:
it can write nowhere but that temporary folder (so it cannot change the
submissions, the series or your home folder), cannot signal the grader or
open network connections; it runs without root's capabilities, with a cap on
file size and memory; and it runs in a PID namespace (`unshare`), so every
process it starts dies when the notebook is done. Where Landlock is missing
(macOS, Windows, old kernels), the tool refuses to run unless given
--unconfined, for use inside a throwaway container or virtual machine. The
confinement stops damage, not cheating: code can still read files, and a
student who rebinds a check in their own kernel fools it; read the code
behind a surprising pass.

The checks' results are read as data: each check displays, besides its
printed line, a JSON bundle (`application/vnd.nnlib.feedback+json`) with
`passed`, `problem`, `hint` and `message`; printed text is never parsed.
There is one column per exercise of the series' notebooks (`notebooks/`, or
--notebooks), so a deleted or edited check cell shows as "missing" rather
than shifting a column. A cell of the table reads:

    passed         the check said ✅ Correct
    not yet        the check said ❌ Not yet (its message says why)
    error          the check cell raised, showed no result, or the kernel died
    timed out      the exercise or its check ran past a time limit
    missing        the notebook is there, the check cell is not
    not handed in  the student has no copy of that notebook

The report is written to the output folder, which must not be inside
SUBMISSIONS: grades.csv (one row per student, one column per exercise),
details.csv (one row per student and exercise, with the check's message) and
grades.html (the table to read, each message under its cell's symbol and in
a details list). An existing report is replaced only with --force. Nothing
is ever written into SUBMISSIONS.
"""

import argparse
import ast
import concurrent.futures
import csv
import ctypes
import ctypes.util
import datetime
import html
import io
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from student_edition import is_exercise  # noqa: E402

FEEDBACK_MIME = "application/vnd.nnlib.feedback+json"
KERNEL_NAME = "nnlib-grader"
REPORT_FILES = ("grades.csv", "details.csv", "grades.html")
MAX_NOTEBOOK_BYTES = 20_000_000  # a handed-in notebook larger than this is not run
CELL_OUTPUT_LIMIT = 200_000  # characters of output kept per cell
FEEDBACK_LIMIT = 20_000  # characters of one check's result
FILE_SIZE_LIMIT = 64 * 2**20  # bytes: no file the kernel writes grows larger
MEMORY_LIMIT = 4 * 2**30  # bytes of address space for the kernel

PASSED, NOT_YET, ERROR, TIMED_OUT, MISSING, NOT_HANDED_IN = (
    "passed", "not yet", "error", "timed out", "missing", "not handed in")
SYMBOLS = {PASSED: "✅", NOT_YET: "❌", ERROR: "⚠️", TIMED_OUT: "⏱️", MISSING: "➖", NOT_HANDED_IN: "·"}


# --- the exercises: one column per check cell of the instructor's notebooks ---

@dataclass
class Exercise:
    """One exercise of the series: its notebook, check cell, and column name."""

    notebook: str  # stem, e.g. "05_forward_pass"
    check_source: str  # the check cell's code, as the instructor wrote it
    label: str  # the answer's name, e.g. "forward"
    cell: int  # the check cell's number in the instructor's notebook (from 1)

    @property
    def column(self):
        return f"{self.notebook[:2]} · {self.label}"


def normalized(source):
    """Source without trailing spaces or blank lines: what makes two check cells the same."""
    return "\n".join(line.rstrip() for line in source.strip().splitlines() if line.strip())


def check_label(source):
    """The answer a check cell judges: its first string argument, else its first name."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return normalized(source)[:40]
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                return first.value
            if isinstance(first, ast.Name):
                return first.id
    return normalized(source)[:40]


def series_exercises(notebooks_dir):
    """[Exercise] for every exercise cell of every notebook, in the series' order.

    An exercise's check is the first code cell after it.
    """
    exercises = []
    for path in sorted(Path(notebooks_dir).glob("*.ipynb")):
        cells = nbformat.read(path, as_version=4).cells
        for index, cell in enumerate(cells):
            if not is_exercise(cell):
                continue
            following = [i for i in range(index + 1, len(cells)) if cells[i].cell_type == "code"]
            if following:
                source = cells[following[0]].source
                exercises.append(Exercise(path.stem, normalized(source), check_label(source), following[0] + 1))
    columns = [exercise.column for exercise in exercises]
    for exercise in exercises:  # two checks of the same answer in one notebook: name their cells
        if columns.count(exercise.column) > 1:
            exercise.label += f" (cell {exercise.cell})"
    return exercises


# --- the submissions: read once, never written --------------------------------

@dataclass
class Handed:
    """One notebook a student handed in, as read from SUBMISSIONS."""

    path: Path  # relative to SUBMISSIONS, for the report
    text: str = ""  # the notebook, re-serialised (what the copy holds)
    problem: str = ""  # why it cannot be run, if it cannot


@dataclass
class Student:
    name: str
    notebooks: dict = field(default_factory=dict)  # lesson stem -> Handed
    notes: list = field(default_factory=list)


def read_notebook(path, relative):
    """A Handed for the file at `path`: read once, in binary, never opened for writing."""
    handed = Handed(relative)
    try:
        size = path.lstat().st_size
        if size > MAX_NOTEBOOK_BYTES:
            handed.problem = f"{relative} is {size / 1e6:.0f} MB, more than a notebook of this series can be; not run"
            return handed, None
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))  # a link swapped in is not followed
        with os.fdopen(fd, "rb") as file:
            data = file.read(MAX_NOTEBOOK_BYTES + 1)
        nb = nbformat.reads(data.decode("utf-8"), as_version=4)
        handed.text = nbformat.writes(nb)
        return handed, nb
    except Exception as error:  # anything a broken file can raise: report it, grade the rest
        handed.problem = f"{relative} could not be read as a notebook ({type(error).__name__}: {str(error)[:200]})"
        return handed, None


def lesson_of(path, nb, exercises, lessons, by_content_first=False):
    """The series notebook (stem) that a handed-in notebook is, or None."""
    def by_name():
        if path.stem in lessons:
            return path.stem
        number = re.match(r"(\d\d)(?!\d)", path.stem)
        matches = [lesson for lesson in lessons if number and lesson.startswith(number.group(1))]
        return matches[0] if len(matches) == 1 else None

    def by_content():
        if nb is None:
            return None
        sources = {normalized(cell.source) for cell in nb.cells if cell.cell_type == "code"}
        counts = {}
        for exercise in exercises:
            if exercise.check_source in sources:
                counts[exercise.notebook] = counts.get(exercise.notebook, 0) + 1
        return max(counts, key=counts.get) if counts else None

    order = (by_content, by_name) if by_content_first else (by_name, by_content)
    for find in order:
        found = find()
        if found:
            return found
    return None


def collect(submissions, exercises, lessons):
    """[Student] from the SUBMISSIONS folder: folders and notebooks, no symlinks followed."""
    students = []
    for entry in sorted(submissions.iterdir(), key=lambda p: p.name.lower()):
        if entry.name.startswith(".") or entry.is_symlink():
            continue
        if entry.is_file() and entry.suffix == ".ipynb":
            student = Student(entry.stem)
            files = [(entry, Path(entry.name))]
        elif entry.is_dir():
            student = Student(entry.name)
            files = []
            for folder, dirs, names in os.walk(entry, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))  # .ipynb_checkpoints too
                for name in sorted(names):
                    path = Path(folder) / name
                    if name.endswith(".ipynb") and not path.is_symlink() and path.is_file():
                        files.append((path, path.relative_to(submissions)))
        else:
            continue
        if student.name in {other.name for other in students}:  # "alice/" and "alice.ipynb"
            student.name = entry.name
        for path, relative in files:
            handed, nb = read_notebook(path, relative)
            lesson = lesson_of(relative, nb, exercises, lessons, by_content_first=entry.is_file())
            if lesson is None:
                student.notes.append(f"{relative}: not one of the series' notebooks"
                                     + (f" ({handed.problem})" if handed.problem else ""))
            elif lesson in student.notebooks:
                student.notes.append(f"{relative}: a second copy of {lesson}; graded "
                                     f"{student.notebooks[lesson].path} instead")
            else:
                student.notebooks[lesson] = handed
        students.append(student)
    return students


# --- running one notebook, confined -----------------------------------------------

def landlock_abi():
    """The Landlock ABI version this kernel offers (0: none)."""
    if not sys.platform.startswith("linux"):
        return 0
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        version = libc.syscall(444, None, ctypes.c_size_t(0), ctypes.c_uint32(1))  # landlock_create_ruleset
    except (OSError, AttributeError):
        return 0
    return max(int(version), 0)


def pid_namespace_prefix():
    """`unshare` arguments that give each notebook its own PID namespace, or [] if unavailable."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return []
    prefix = [unshare] + ([] if os.geteuid() == 0 else ["--user", "--map-root-user"])
    prefix += ["--pid", "--fork", "--kill-child", "--"]
    try:
        ok = subprocess.run(prefix + ["true"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            timeout=20).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        ok = False
    return prefix if ok else []


@dataclass
class Settings:
    cell_timeout: int
    notebook_timeout: int
    confine: bool
    namespace: list  # the `unshare` prefix, or []


def run_notebook(handed, settings):
    """Run a copy of one notebook confined; return the worker's result (dict)."""
    work = Path(tempfile.mkdtemp(prefix="nnlib-grade-"))
    try:
        sandbox = work / "sandbox"  # the only place the kernel may write
        for sub in ("home", "tmp", "ipython", "matplotlib"):
            (sandbox / sub).mkdir(parents=True)
        (sandbox / "notebook.ipynb").write_text(handed.text, encoding="utf-8")
        kernels = work / "share" / "jupyter" / "kernels" / KERNEL_NAME
        kernels.mkdir(parents=True)
        kernel_argv = [sys.executable, str(Path(__file__).resolve()), "--kernel", str(sandbox), "{connection_file}"]
        if not settings.confine:
            kernel_argv.insert(3, "--unconfined")
        (kernels / "kernel.json").write_text(json.dumps(
            {"argv": kernel_argv, "display_name": "Python (grader)", "language": "python"}), encoding="utf-8")
        result_path = work / "result.json"
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8",
            "HOME": str(sandbox / "home"), "TMPDIR": str(sandbox / "tmp"),
            "IPYTHONDIR": str(sandbox / "ipython"), "MPLCONFIGDIR": str(sandbox / "matplotlib"),
            "JUPYTER_PATH": str(work / "share" / "jupyter"), "JUPYTER_DATA_DIR": str(work / "data"),
            "JUPYTER_CONFIG_DIR": str(work / "config"), "JUPYTER_RUNTIME_DIR": str(work / "runtime"),
            "PYTHONDONTWRITEBYTECODE": "1", "PYTHONNOUSERSITE": "1",
            "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
        }
        command = settings.namespace + [sys.executable, str(Path(__file__).resolve()), "--worker",
                                        str(sandbox), str(result_path), str(settings.cell_timeout),
                                        str(settings.notebook_timeout + 30)]
        started = time.monotonic()
        with open(work / "worker.log", "wb") as log:
            with WORKERS_LOCK:
                if STOPPING.is_set():
                    raise KeyboardInterrupt
                worker = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                          cwd=work, env=env, start_new_session=True)
                WORKERS.add(worker)
            try:
                worker.wait(timeout=settings.notebook_timeout)
                timed_out = False
            except subprocess.TimeoutExpired:
                timed_out = True
            finally:
                stop_group(worker)
                with WORKERS_LOCK:
                    WORKERS.discard(worker)
        result = read_result(result_path)
        executed = work / "executed.ipynb"
        if executed.is_file() and not executed.is_symlink() and executed.stat().st_size < MAX_NOTEBOOK_BYTES:
            result["executed"] = executed.read_text(encoding="utf-8", errors="replace")
        result["seconds"] = round(time.monotonic() - started, 1)
        if timed_out:
            result["stopped"] = {"reason": TIMED_OUT, "cell": result.get("running"),
                                 "detail": f"the notebook ran past its {settings.notebook_timeout} s limit"}
        elif not result.get("done") and not result.get("stopped"):
            tail = (work / "worker.log").read_bytes()[-1500:].decode("utf-8", "replace").strip()
            result["stopped"] = {"reason": ERROR, "cell": result.get("running"),
                                 "detail": f"the grader's runner stopped (exit code {worker.returncode}): {tail}"}
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)


WORKERS = set()  # the runners alive now, killed if the grader is stopped
WORKERS_LOCK = threading.Lock()
STOPPING = threading.Event()


def stop_all_workers():
    """Kill every runner (and so its PID namespace, kernel and children): Ctrl+C, SIGTERM."""
    with WORKERS_LOCK:
        STOPPING.set()
        for worker in list(WORKERS):
            stop_group(worker)


def stop_group(process):
    """Kill a process started in its own session, with its process group."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            process.kill()
    process.wait()


def read_result(path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"cells": {}, "running": None, "stopped": None, "done": False}


# --- the worker: nbclient in its own process (and PID namespace) ----------------

def worker_main(sandbox, result_path, cell_timeout, lifetime):
    """Execute sandbox/notebook.ipynb; after every cell write what happened to result_path.

    The runner ends itself after `lifetime` seconds, so that a runner whose
    grader was killed does not run on (as the PID namespace's first process,
    its end ends every process of the notebook).
    """
    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError

    signal.signal(signal.SIGALRM, lambda *_: os._exit(3))
    signal.alarm(lifetime)

    sandbox, result_path = Path(sandbox), Path(result_path)
    state = {"cells": {}, "running": None, "stopped": None, "done": False, "truncated": []}

    def save():
        partial = result_path.with_suffix(".part")
        partial.write_text(json.dumps(state), encoding="utf-8")
        os.replace(partial, result_path)

    class CappedClient(NotebookClient):
        """nbclient, keeping at most CELL_OUTPUT_LIMIT characters of each cell's output."""

        kept = {}

        def output(self, outs, msg, display_id, cell_index):
            content = msg.get("content", {})
            size = len(json.dumps(content, default=str))
            is_feedback = FEEDBACK_MIME in content.get("data", {})
            if is_feedback and size <= FEEDBACK_LIMIT:
                return super().output(outs, msg, display_id, cell_index)
            used = self.kept.get(cell_index, 0)
            if used + size > CELL_OUTPUT_LIMIT:
                if cell_index not in state["truncated"]:
                    state["truncated"].append(cell_index)
                return None
            self.kept[cell_index] = used + size
            return super().output(outs, msg, display_id, cell_index)

    def on_execute(cell, cell_index, **_):
        state["running"] = cell_index
        save()

    def on_executed(cell, cell_index, execute_reply, **_):
        reply = (execute_reply or {}).get("content", {})
        record = {"status": "ok", "error": "", "feedback": []}
        if reply.get("status") == "error":
            if reply.get("ename") == "GraderCellTimeout":
                record["status"] = TIMED_OUT
                record["error"] = reply.get("evalue", "")
            else:
                record["status"] = ERROR
                record["error"] = f"{reply.get('ename', 'Error')}: {reply.get('evalue', '')}"[:500]
        for output in cell.get("outputs", []):
            data = output.get("data", {}).get(FEEDBACK_MIME)
            if isinstance(data, dict):
                record["feedback"].append({key: str(data.get(key, ""))[:FEEDBACK_LIMIT // 4]
                                           for key in ("check", "label", "problem", "hint", "message")}
                                          | {"passed": data.get("passed") is True})
            elif output.get("output_type") == "error" and record["status"] == "ok":
                record["status"] = ERROR
                record["error"] = f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"[:500]
        state["cells"][str(cell_index)] = record
        state["running"] = None
        save()

    nb = nbformat.read(sandbox / "notebook.ipynb", as_version=4)
    client = CappedClient(
        nb, timeout=cell_timeout, startup_timeout=60, kernel_name=KERNEL_NAME, allow_errors=True,
        interrupt_on_timeout=True, record_timing=False, iopub_timeout=10,
        error_on_timeout={"ename": "GraderCellTimeout", "traceback": [],
                          "evalue": f"the cell ran past the {cell_timeout} s limit and was stopped"},
        resources={"metadata": {"path": str(sandbox)}})
    client.on_cell_execute = on_execute
    client.on_cell_executed = on_executed
    save()
    try:
        client.execute()
        state["done"] = True
    except DeadKernelError:
        state["stopped"] = {"reason": ERROR, "cell": state["running"],
                            "detail": "the kernel died (the notebook's code ended its process)"}
    except Exception as error:  # the kernel failed to start, or nbclient failed: report, do not crash
        state["stopped"] = {"reason": ERROR, "cell": state["running"],
                            "detail": f"the notebook could not be run: {type(error).__name__}: {str(error)[:300]}"}
    nb.metadata.pop("widgets", None)
    (result_path.parent / "executed.ipynb").write_text(nbformat.writes(nb), encoding="utf-8")
    save()
    return 0


# --- the kernel launcher: confine, then become the IPython kernel ----------------

LANDLOCK_WRITE_RIGHTS = {  # access rights (bits) that change the file system, by the ABI that added them
    1: (1 << 1) | (1 << 4) | (1 << 5) | (1 << 6) | (1 << 7) | (1 << 8) | (1 << 9) | (1 << 10) | (1 << 11) | (1 << 12),
    2: 1 << 13,  # refer (move or link files between folders)
    3: 1 << 14,  # truncate
}
LANDLOCK_WRITE_FILE, LANDLOCK_TRUNCATE = 1 << 1, 1 << 14
LANDLOCK_NET_BIND_TCP, LANDLOCK_NET_CONNECT_TCP = 1 << 0, 1 << 1
LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET, LANDLOCK_SCOPE_SIGNAL = 1 << 0, 1 << 1
PR_SET_NO_NEW_PRIVS, PR_CAPBSET_DROP = 38, 24


class RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64),
                ("scoped", ctypes.c_uint64)]


class PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


class NetPortAttr(ctypes.Structure):
    _fields_ = [("allowed_access", ctypes.c_uint64), ("port", ctypes.c_uint64)]


def confine(sandbox, ports):
    """Landlock this process: write only under `sandbox` (and to /dev/null), bind only `ports`,
    connect nowhere, signal no process outside; no capabilities, no new privileges."""
    libc = ctypes.CDLL(None, use_errno=True)

    def check(value, what):
        if value < 0:
            raise OSError(ctypes.get_errno(), f"{what}: {os.strerror(ctypes.get_errno())}")
        return value

    abi = landlock_abi()
    if abi < 1:
        raise OSError("Landlock is not available in this kernel")
    handled = 0
    for version, rights in LANDLOCK_WRITE_RIGHTS.items():
        if abi >= version:
            handled |= rights
    attr = RulesetAttr(handled, LANDLOCK_NET_BIND_TCP | LANDLOCK_NET_CONNECT_TCP if abi >= 4 else 0,
                       LANDLOCK_SCOPE_SIGNAL | LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET if abi >= 6 else 0)
    size = 24 if abi >= 6 else 16 if abi >= 4 else 8
    ruleset = check(libc.syscall(444, ctypes.byref(attr), ctypes.c_size_t(size), ctypes.c_uint32(0)),
                    "landlock_create_ruleset")
    for path, rights in ((sandbox, handled), ("/dev/null", handled & (LANDLOCK_WRITE_FILE | LANDLOCK_TRUNCATE))):
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
        rule = PathBeneathAttr(rights, fd)
        check(libc.syscall(445, ruleset, 1, ctypes.byref(rule), ctypes.c_uint32(0)), f"landlock_add_rule {path}")
        os.close(fd)
    if abi >= 4:
        for port in ports:
            rule = NetPortAttr(LANDLOCK_NET_BIND_TCP, port)
            check(libc.syscall(445, ruleset, 2, ctypes.byref(rule), ctypes.c_uint32(0)), f"landlock port {port}")
    check(libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")
    if os.geteuid() == 0:  # root's capabilities would outlive exec: empty the bounding set
        last = int(Path("/proc/sys/kernel/cap_last_cap").read_text())
        for cap in range(last + 1):
            check(libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0), f"dropping capability {cap}")
    check(libc.syscall(446, ruleset, ctypes.c_uint32(0)), "landlock_restrict_self")
    os.close(ruleset)


def kernel_main(sandbox, connection_file, unconfined=False):
    """Become the notebook's IPython kernel: limits, Landlock, then exec ipykernel."""
    os.chdir(sandbox)
    for limit, value in ((resource.RLIMIT_FSIZE, FILE_SIZE_LIMIT), (resource.RLIMIT_CORE, 0),
                         (resource.RLIMIT_AS, MEMORY_LIMIT), (resource.RLIMIT_NPROC, 256)):
        soft, hard = resource.getrlimit(limit)
        value = value if hard == resource.RLIM_INFINITY else min(value, hard)
        resource.setrlimit(limit, (value, value))
    if not unconfined:
        info = json.loads(Path(connection_file).read_text(encoding="utf-8"))
        ports = [info[key] for key in ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")]
        confine(sandbox, ports)
    # What the kernel writes to its own stdout and stderr (not the notebook's) goes nowhere.
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.execv(sys.executable, [sys.executable, "-m", "ipykernel_launcher", "-f", connection_file])


# --- the table ---------------------------------------------------------------------

def cell_status(exercise, nb_cells, result, check_sources, cell_timeout):
    """(status, message) of one exercise in one student's executed notebook."""
    index = next((i for i, cell in enumerate(nb_cells)
                  if cell.cell_type == "code" and normalized(cell.source) == exercise.check_source), None)
    if index is None:
        return MISSING, "the check cell is not in the notebook (deleted or edited)"
    cells = result.get("cells", {})
    stopped = result.get("stopped") or {}
    # The exercise's cells: the code cells after the previous check cell.
    before = []
    for i in range(index - 1, -1, -1):
        if nb_cells[i].cell_type == "code" and normalized(nb_cells[i].source) in check_sources:
            break
        before.append(i)
    stuck = [i for i in sorted(before) if cells.get(str(i), {}).get("status") == TIMED_OUT]
    stuck_text = f"cell {stuck[0] + 1} ran past the {cell_timeout} s limit and was stopped" if stuck else ""

    record = cells.get(str(index))
    if record is None:
        detail = stopped.get("detail", "the notebook stopped before this check")
        if isinstance(stopped.get("cell"), int):
            detail += f" (in cell {stopped['cell'] + 1})"
        status = TIMED_OUT if stopped.get("reason") == TIMED_OUT or stuck else ERROR
        return status, "; ".join(filter(None, [stuck_text, detail, "this check did not run"]))
    if record["status"] == TIMED_OUT:
        return TIMED_OUT, f"the check cell ran past the {cell_timeout} s limit and was stopped"
    if record["feedback"]:
        feedback = record["feedback"][0]
        status, message = (PASSED if feedback["passed"] else NOT_YET), feedback["message"]
    elif record["status"] == ERROR:
        status, message = ERROR, f"the check cell raised {record['error']}"
    else:
        status, message = ERROR, "the check cell ran but showed no check result"
    if stuck:
        return TIMED_OUT, f"{stuck_text}; then the check said: {message}"
    return status, message


def grade(students, exercises, settings, jobs, log=sys.stderr):
    """{(student, column): (status, message)} and each student's notes, running every notebook."""
    tasks = [(student, lesson, handed) for student in students
             for lesson, handed in student.notebooks.items() if not handed.problem]
    results = {}

    def run(task):
        student, lesson, handed = task
        return task, run_notebook(handed, settings)

    pool = concurrent.futures.ThreadPoolExecutor(max_workers=max(1, jobs))
    try:
        for done, (task, result) in enumerate(pool.map(run, tasks), start=1):
            student, lesson, handed = task
            results[(student.name, lesson)] = result
            print(f"[{done}/{len(tasks)}] {student.name}: {handed.path} ({result['seconds']} s)", file=log)
    except BaseException:  # Ctrl+C: end the running notebooks now, start no more
        stop_all_workers()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()

    check_sources = {exercise.check_source for exercise in exercises}
    table = {}
    for student in students:
        for lesson, handed in student.notebooks.items():
            result = results.get((student.name, lesson))
            if handed.problem:
                continue
            stopped = result.get("stopped")
            if stopped:
                student.notes.append(f"{handed.path}: {stopped['detail']}")
            if result.get("truncated"):
                student.notes.append(f"{handed.path}: long output cut short in cell(s) "
                                     + ", ".join(str(i + 1) for i in result["truncated"]))
        for exercise in exercises:
            handed = student.notebooks.get(exercise.notebook)
            if handed is None:
                table[(student.name, exercise.column)] = (NOT_HANDED_IN, f"no {exercise.notebook} handed in")
            elif handed.problem:
                table[(student.name, exercise.column)] = (ERROR, handed.problem)
            else:
                nb_cells = nbformat.reads(handed.text, as_version=4).cells
                table[(student.name, exercise.column)] = cell_status(
                    exercise, nb_cells, results[(student.name, exercise.notebook)], check_sources,
                    settings.cell_timeout)
    return table, results


def spreadsheet_safe(text):
    """Text a spreadsheet will not run as a formula."""
    text = str(text)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_text(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        writer.writerow([spreadsheet_safe(value) for value in row])
    return buffer.getvalue()


def report(students, exercises, table, settings, submissions):
    """{file name: text} of the three report files."""
    columns = [exercise.column for exercise in exercises]
    wide = [["student", "passed", "exercises"] + columns]
    long = [["student", "notebook", "exercise", "status", "message"]]
    for student in students:
        statuses = [table[(student.name, column)] for column in columns]
        wide.append([student.name, sum(s == PASSED for s, _ in statuses), len(columns)] + [s for s, _ in statuses])
        for exercise, (status, message) in zip(exercises, statuses):
            long.append([student.name, exercise.notebook, exercise.column, status, message])

    e = html.escape
    when = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    head = "".join(f'<th scope="col">{e(column)}</th>' for column in columns)
    rows, details = [], []
    for student in students:
        cells = []
        passed = 0
        for column in columns:
            status, message = table[(student.name, column)]
            passed += status == PASSED
            cells.append(f'<td class="{status.replace(" ", "-")}" title="{e(message)}">'
                         f'<span aria-hidden="true">{SYMBOLS[status]}</span> {e(status)}</td>')
        rows.append(f'<tr><th scope="row">{e(student.name)}</th><td class="count">{passed} / {len(columns)}</td>'
                    + "".join(cells) + "</tr>")
        items = "".join(f"<li><strong>{e(column)}</strong>: {SYMBOLS[table[(student.name, column)][0]]} "
                        f"{e(table[(student.name, column)][0])}. {e(table[(student.name, column)][1])}</li>"
                        for column in columns if table[(student.name, column)][0] != NOT_HANDED_IN)
        notes = "".join(f"<li>{e(note)}</li>" for note in student.notes)
        details.append(f"<details><summary>{e(student.name)}: {passed} of {len(columns)} passed</summary>"
                       f"<ul>{items or '<li>no notebook of the series handed in</li>'}</ul>"
                       + (f"<p>Notes:</p><ul>{notes}</ul>" if notes else "") + "</details>")
    legend = "".join(f"<li><span aria-hidden=\"true\">{SYMBOLS[s]}</span> <strong>{e(s)}</strong>: {e(text)}</li>"
                     for s, text in ((PASSED, "the check said ✅ Correct"),
                                     (NOT_YET, "the check said ❌ Not yet; its message says why"),
                                     (ERROR, "the check cell raised, showed no result, or the kernel died"),
                                     (TIMED_OUT, "the exercise or its check ran past a time limit"),
                                     (MISSING, "the notebook is there, its check cell is not"),
                                     (NOT_HANDED_IN, "no copy of that notebook was handed in")))
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Grades: {e(submissions.name)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 1.5rem; color: #111; }}
table {{ border-collapse: collapse; font-size: 0.9rem; }}
caption {{ text-align: left; font-weight: bold; margin-bottom: 0.5rem; }}
th, td {{ border: 1px solid #999; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }}
thead th {{ background: #eee; }}
td {{ white-space: nowrap; }} td.not-handed-in {{ font-size: 0.8rem; }}
td.passed {{ background: #e6f4ea; }} td.not-yet {{ background: #fdecea; }}
td.error, td.timed-out {{ background: #fff4d6; }} td.missing, td.not-handed-in {{ background: #f4f4f4; color: #444; }}
details {{ margin: 0.4rem 0; }} summary {{ cursor: pointer; }}
</style>
</head>
<body>
<h1>Grades: {e(submissions.name)}</h1>
<p>Graded {e(when)} by <code>tools/grade.py</code>: every notebook run in its own kernel, at most
{settings.cell_timeout} s a cell and {settings.notebook_timeout} s a notebook. Hover over a cell, or open a
student's details below, for each check's message.</p>
<ul>{legend}</ul>
<table>
<caption>Student by exercise ({len(students)} students, {len(columns)} exercises)</caption>
<thead><tr><th scope="col">student</th><th scope="col">passed</th>{head}</tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
<h2>Messages</h2>
{chr(10).join(details)}
</body>
</html>
"""
    return {"grades.csv": csv_text(wide), "details.csv": csv_text(long), "grades.html": page}


# --- command line ---------------------------------------------------------------------

def interrupted(signum, frame):
    """SIGTERM: stop as Ctrl+C does."""
    raise KeyboardInterrupt


def inside(path, folder):
    """Whether `path` is `folder` or inside it (after resolving links)."""
    path, folder = path.resolve(), folder.resolve()
    return path == folder or folder in path.parents


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--worker"]:
        return worker_main(argv[1], argv[2], int(argv[3]), int(argv[4]))
    if argv[:1] == ["--kernel"]:
        unconfined = argv[1] == "--unconfined"
        rest = argv[2:] if unconfined else argv[1:]
        return kernel_main(rest[0], rest[1], unconfined)

    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0],
                                     epilog="See the top of tools/grade.py for what the statuses mean.")
    parser.add_argument("submissions", type=Path, help="folder with one folder or notebook per student (only read)")
    parser.add_argument("--output", type=Path, default=Path("grades"),
                        help="folder for grades.csv, details.csv and grades.html (default: ./grades)")
    parser.add_argument("--notebooks", type=Path, default=ROOT / "notebooks",
                        help="the series' notebooks, which define the exercises (default: notebooks/)")
    parser.add_argument("--cell-timeout", type=int, default=60, help="seconds a cell may run (default: 60)")
    parser.add_argument("--notebook-timeout", type=int, default=300,
                        help="seconds a whole notebook may run (default: 300)")
    parser.add_argument("--jobs", type=int, default=max(1, min(4, (os.cpu_count() or 2))),
                        help="notebooks run at once (default: the number of CPUs, at most 4)")
    parser.add_argument("--force", action="store_true", help="replace an existing report in the output folder")
    parser.add_argument("--keep-executed", action="store_true",
                        help="also write each notebook as the grader ran it, outputs included, to "
                             "OUTPUT/executed/<student>/ (to see what went wrong)")
    parser.add_argument("--unconfined", action="store_true",
                        help="run even where the notebooks cannot be confined (only inside a throwaway "
                             "container or virtual machine)")
    args = parser.parse_args(argv)

    submissions = args.submissions
    if not submissions.is_dir():
        parser.error(f"{submissions} is not a folder")
    if inside(args.output, submissions):
        parser.error(f"the output folder {args.output} is inside the submissions {submissions}: "
                     "choose another with --output (nothing is written into the submissions)")
    names = REPORT_FILES + (("executed",) if args.keep_executed else ())
    existing = [name for name in names if (args.output / name).exists() or (args.output / name).is_symlink()]
    if existing and not args.force:
        print(f"Stopped: {args.output} already holds a report ({', '.join(existing)}). Nothing was run or "
              "written. Choose another --output, or run again with --force to replace it.", file=sys.stderr)
        return 2
    if args.cell_timeout < 1 or args.notebook_timeout < 1:
        parser.error("timeouts must be at least 1 second")
    exercises = series_exercises(args.notebooks)
    if not exercises:
        parser.error(f"no exercises found in {args.notebooks}/*.ipynb")
    lessons = [path.stem for path in sorted(args.notebooks.glob("*.ipynb"))]

    confined = landlock_abi() >= 1
    if not confined and not args.unconfined:
        print("Stopped: this system cannot confine the notebooks' code (it needs Linux with Landlock, "
              "kernel 5.13 or newer), and a handed-in notebook could then delete any file you can. "
              "Grade on such a Linux machine, or inside a throwaway container or virtual machine "
              "with --unconfined.", file=sys.stderr)
        return 3
    namespace = pid_namespace_prefix()
    settings = Settings(args.cell_timeout, args.notebook_timeout, confined, namespace)
    if not namespace:
        print("Note: no PID namespace available (`unshare`); processes a notebook leaves behind "
              "are killed by process group only.", file=sys.stderr)

    signal.signal(signal.SIGTERM, interrupted)
    try:
        students = collect(submissions, exercises, lessons)
        if not students:
            parser.error(f"no student folders or notebooks in {submissions}")
        table, results = grade(students, exercises, settings, args.jobs)
    except KeyboardInterrupt:
        stop_all_workers()
        print("Stopped: grading was interrupted; every notebook's process was ended and no report "
              "was written.", file=sys.stderr)
        return 130
    files = report(students, exercises, table, settings, submissions)
    if args.keep_executed:
        for (name, lesson), result in results.items():
            if "executed" in result:
                files[f"executed/{name}/{lesson}.ipynb"] = result["executed"]

    args.output.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        target = args.output / name
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.parent / f".{target.name}.part"
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, target)  # replaces a link itself, never what it points to
    counts = {}
    for status, _ in table.values():
        counts[status] = counts.get(status, 0) + 1
    summary = ", ".join(f"{counts[s]} {s}" for s in SYMBOLS if s in counts)
    print(f"{len(students)} students, {len(exercises)} exercises: {summary}.", file=sys.stderr)
    for name in REPORT_FILES:
        print(args.output / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
