"""Grade handed-in notebooks: each student's run in a sandbox, each exercise judged outside it.

    python tools/grade.py SUBMISSIONS/                       # report in ./grades/
    python tools/grade.py SUBMISSIONS/ --roster class.txt    # a row for every student on the list
    python tools/grade.py SUBMISSIONS/ --points points.txt   # points per exercise (default 1 each)
    python tools/grade.py SUBMISSIONS/ --output DIR --force  # replace an earlier report in DIR

SUBMISSIONS holds one entry per student: a folder named for the student with
their notebooks in it (at any depth), or one notebook named for the student.
A notebook counts as the series' notebook whose file name it has
(`05_forward_pass.ipynb`, or one starting `05`), else as the one whose check
cells it holds.

Every notebook is hostile code. Each student's notebooks run in a process of
their own (tools/grading/runner.py; as the unprivileged user `nobody` when
this runs as root), each notebook's kernel inside a bubblewrap sandbox of its
own (tools/grading/sandbox.py): no network, no other process, no file of the
host's but the Python environment and nnlib (read-only), a small capped
scratch space, capped processes, memory and file sizes, and time limits per
cell (--cell-timeout) and per notebook (--notebook-timeout). Where bubblewrap
cannot run, the tool stops and says how to install it; --unconfined runs the
notebooks as plain processes, for a throwaway virtual machine only.

Each exercise's verdict is the grader's own: right after its check cell has
run, the student's answer is read out of the kernel and judged, in the
grader's process, by the exercise's judge from nnlib.course.checks, on test
inputs drawn from a seed the notebook never saw. What a notebook displays is
never a grade. A cell of the table reads:

    passed         the answer is right (the grader's judgement)
    not yet        it is not right yet; the message says what differs
    error          the check cell showed a result of its own, the answer could
                   not be read, or the kernel died
    timed out      the exercise or its check ran past a time limit
    missing        the notebook is there, the check cell is not
    not handed in  the student has no copy of that notebook

The report (see tools/grading/report.py) goes to the output folder, which
must not be inside SUBMISSIONS; the folder is made readable by its owner only
(mode 700, files 600), wherever it is. An existing report is replaced only
with --force. Nothing is ever written into SUBMISSIONS, and nothing is
written at all until every check has passed.
"""

import argparse
import concurrent.futures
import datetime
import json
import os
import secrets
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from tools import ROOT

from . import report, sandbox
from .exercises import read_points, series_exercises
from .report import ERROR, NOT_HANDED_IN, TIMED_OUT, shown

REPORT_FILES = ("grades.csv", "details.csv", "lms.csv", "grades.html", "feedback")
MAX_STUDENTS = 5000  # entries in SUBMISSIONS
MAX_FILES = 50  # notebooks read per student
MAX_ENTRIES = 10_000  # files and folders looked at per student
MAX_NOTEBOOK_BYTES = 20 * 2**20  # a notebook larger than this (by its length, sparse or not) is not run
MAX_STUDENT_BYTES = 100 * 2**20  # all of one student's notebooks together
LISTING_SECONDS = 60  # time to find and read one student's notebooks
RESULT_LIMIT = 100 * 2**20  # the largest result file read back from a runner


@dataclass
class Student:
    """One student on the report: their handed-in files, notes about them, and how they were found."""
    name: str
    files: list = field(default_factory=list)  # [(relative path, bytes)]
    notes: list = field(default_factory=list)
    single_file: bool = False
    on_roster: bool = True


def read_file(path, relative, student):
    """The bytes of one handed-in notebook, or None with a note: never a link, a FIFO or an oversized file."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as error:
        student.notes.append(f"{relative}: not read ({error.strerror})")
        return None
    with os.fdopen(fd, "rb") as file:
        info = os.fstat(file.fileno())
        if not stat.S_ISREG(info.st_mode):
            student.notes.append(f"{relative}: not a regular file; not read")
            return None
        if info.st_size > MAX_NOTEBOOK_BYTES:
            student.notes.append(f"{relative} is {info.st_size / 2**20:.0f} MB, more than a notebook of this "
                                 f"series can be ({MAX_NOTEBOOK_BYTES // 2**20} MB); not run")
            return None
        used = sum(len(data) for _, data in student.files)
        if used + info.st_size > MAX_STUDENT_BYTES:
            student.notes.append(f"{relative}: not read, the notebooks handed in reach "
                                 f"{MAX_STUDENT_BYTES // 2**20} MB together")
            return None
        return file.read(MAX_NOTEBOOK_BYTES + 1)[:MAX_NOTEBOOK_BYTES]


def gather(entry, submissions, student):
    """Fill student.files from a folder (any depth) or a single notebook; no link is followed."""
    started = time.monotonic()
    if student.single_file:
        data = read_file(entry, Path(entry.name), student)
        if data is not None:
            student.files.append((Path(entry.name), data))
        return
    seen = 0
    for folder, dirs, names in os.walk(entry, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))  # .ipynb_checkpoints too
        for name in sorted(names):
            seen += 1
            if seen > MAX_ENTRIES or time.monotonic() - started > LISTING_SECONDS:
                student.notes.append(f"{shown(student.name)}: stopped looking after {MAX_ENTRIES} files "
                                     f"or {LISTING_SECONDS} s; the rest was not read")
                return
            if not name.endswith(".ipynb") or name.startswith("."):
                continue
            if len(student.files) >= MAX_FILES:
                student.notes.append(f"more than {MAX_FILES} notebooks; the rest were not read")
                return
            path = Path(folder) / name
            relative = path.relative_to(submissions)
            data = read_file(path, relative, student)
            if data is not None:
                student.files.append((relative, data))


def collect(submissions, roster):
    """[Student], roster order first (with rows for those who handed in nothing), then the rest."""
    found = {}
    entries = []
    with os.scandir(submissions) as listing:
        for count, entry in enumerate(listing):
            if count >= MAX_STUDENTS:
                raise SystemExit(f"Stopped: {submissions} holds more than {MAX_STUDENTS} entries.")
            entries.append(Path(entry.path))
    for entry in sorted(entries, key=lambda p: p.name.lower()):
        if entry.name.startswith(".") or entry.is_symlink():
            continue
        if entry.is_file() and entry.suffix == ".ipynb":
            student = Student(entry.stem, single_file=True)
        elif entry.is_dir():
            student = Student(entry.name)
        else:
            continue
        if student.name in found:  # "alice/" and "alice.ipynb"
            student.name = entry.name
        gather(entry, submissions, student)
        found[student.name] = student
    students = []
    for name in roster or []:
        students.append(found.pop(name, None) or Student(name))
    for student in found.values():
        if roster is not None:
            student.on_roster = False
            student.notes.append("not on the roster")
        students.append(student)
    return students


def read_roster(path):
    """Student names from a roster file: one a line, blank lines and text after # ignored."""
    names = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        name = line.split("#", 1)[0].strip()
        if name and name not in names:
            names.append(name)
    if not names:
        raise ValueError(f"{path} lists no students")
    return names


class Grader:
    """Runs one runner process per student, --jobs at a time, and reads back what each found."""

    def __init__(self, exercises, lessons, args):
        self.exercises, self.lessons, self.args = exercises, lessons, args
        self.seed = secrets.randbelow(2**31)  # the judge's test inputs: no notebook can know them
        self.work = Path(tempfile.mkdtemp(prefix="nnlib-grade-"))
        self.work.chmod(0o711)  # each student's folder in it belongs to the runner's user alone
        self.processes, self.lock, self.stopping = set(), threading.Lock(), threading.Event()

    def job(self, student):
        """Write `student`'s files and the job description into a folder of their own; return it."""
        folder = Path(tempfile.mkdtemp(prefix="student-", dir=self.work))
        files = []
        for index, (relative, data) in enumerate(student.files):
            (folder / f"{index}.ipynb").write_bytes(data)
            files.append({"path": str(relative), "data": f"{index}.ipynb"})
        runs = min(len(files), len(self.lessons))
        job = {"files": files, "lessons": self.lessons, "single_file": student.single_file,
               "exercises": [{"notebook": e.notebook, "check_source": e.check_source, "label": e.label,
                              "column": e.column} for e in self.exercises],
               "cell_timeout": self.args.cell_timeout, "notebook_timeout": self.args.notebook_timeout,
               "confined": not self.args.unconfined, "seed": self.seed, "keep_executed": self.args.keep_executed,
               "lifetime": runs * (self.args.notebook_timeout + 60) + 120}
        (folder / "job.json").write_text(json.dumps(job), encoding="utf-8")
        if os.geteuid() == 0:
            uid, gid = sandbox.sandbox_user()
            for path in [folder, *folder.iterdir()]:
                os.chown(path, uid, gid)
        return folder, job

    def run(self, student):
        """{column: [status, message]} and notes for one student; a failure costs this student's row only."""
        if not student.files:
            return {"exercises": {}, "notes": [], "executed": {}}
        folder, job = self.job(student)
        command = sandbox.drop_prefix() + [sys.executable, "-m", "tools.grading.runner", str(folder)]
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", "HOME": str(folder),
               "PYTHONDONTWRITEBYTECODE": "1", "PYTHONNOUSERSITE": "1", "OPENBLAS_NUM_THREADS": "1",
               "JUPYTER_PLATFORM_DIRS": "1", "JUPYTER_CONFIG_DIR": str(folder / "jupyter"),
               "JUPYTER_DATA_DIR": str(folder / "jupyter"), "JUPYTER_RUNTIME_DIR": str(folder / "jupyter"),
               "IPYTHONDIR": str(folder / "ipython"), "MPLCONFIGDIR": str(folder / "matplotlib")}
        with self.lock:
            if self.stopping.is_set():
                raise KeyboardInterrupt
            process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.PIPE, cwd=folder, env=env, start_new_session=True)
            self.processes.add(process)
        try:
            _, errors = process.communicate(timeout=job["lifetime"] + 30)
        except subprocess.TimeoutExpired:
            stop(process)
            errors = b"the student's runner ran past its time limit"
        finally:
            stop(process)
            with self.lock:
                self.processes.discard(process)
        try:
            path = folder / "result.json"
            if path.is_symlink() or not path.is_file() or path.stat().st_size > RESULT_LIMIT:
                raise ValueError("no result")
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            tail = (errors or b"")[-800:].decode("utf-8", "replace").strip()
            return {"failed": f"grading stopped for this student (exit code {process.returncode}): {tail}",
                    "exercises": {}, "notes": [], "executed": {}}

    def stop_all(self):
        """Stop every grading process still running (Ctrl-C, or the time is up)."""
        with self.lock:
            self.stopping.set()
            for process in list(self.processes):
                stop(process)

    def close(self):
        """Remove the grader's working folder."""
        shutil.rmtree(self.work, ignore_errors=True)


def stop(process):
    """Kill a process started in its own session, with its process group."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            process.kill()
    process.wait()


def tabulate(students, exercises, results):
    """{(student, column): (status, message)} and {student: notes}."""
    table, notes = {}, {}
    for student in students:
        result = results.get(student.name, {})
        notes[student.name] = list(student.notes) + [str(note) for note in result.get("notes", [])]
        for exercise in exercises:
            found = result.get("exercises", {}).get(exercise.column)
            if "failed" in result:
                table[(student.name, exercise.column)] = (ERROR, result["failed"])
            elif isinstance(found, list) and len(found) == 2 and found[0] in report.SYMBOLS:
                table[(student.name, exercise.column)] = (found[0], str(found[1]))
            else:
                table[(student.name, exercise.column)] = (NOT_HANDED_IN, f"no {exercise.notebook} handed in")
    return table, notes


def inside(path, folder):
    """Whether `path` is `folder` or inside it (after resolving links)."""
    path, folder = path.resolve(), folder.resolve()
    return path == folder or folder in path.parents


def write_report(output, files):
    """Write every report file into `output` (made mode 700; files 600), replacing links, never following them."""
    output.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(output, 0o700)
    for name, text in files.items():
        target = output / name
        for folder in reversed(target.parents):
            if inside(folder, output) and folder != output.resolve() and not folder.exists():
                folder.mkdir(mode=0o700)
        partial = target.parent / f".{target.name}.part"
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(partial, target)  # replaces a link itself, never what it points to


def arguments(argv):
    """(parser, parsed arguments) of the command line `argv`."""
    parser = argparse.ArgumentParser(prog="tools/grade.py", description=__doc__.split("\n", 1)[0],
                                     epilog="See tools/grading/cli.py for what the statuses mean.")
    parser.add_argument("submissions", type=Path, help="folder with one folder or notebook per student (only read)")
    parser.add_argument("--output", type=Path, default=Path("grades"),
                        help="folder for the report (default: ./grades); made readable by you only")
    parser.add_argument("--notebooks", type=Path, default=ROOT / "notebooks",
                        help="the series' notebooks, which define the exercises (default: notebooks/)")
    parser.add_argument("--roster", type=Path, help="the class list, one student a line: everyone on it gets a row")
    parser.add_argument("--points", type=Path,
                        help="points per exercise, one `<exercise> <points>` a line (default: 1 each)")
    parser.add_argument("--cell-timeout", type=int, default=60, help="seconds a cell may run (default: 60)")
    parser.add_argument("--notebook-timeout", type=int, default=300,
                        help="seconds a whole notebook may run (default: 300)")
    parser.add_argument("--jobs", type=int, default=max(1, min(4, (os.cpu_count() or 2))),
                        help="students graded at once (default: the number of CPUs, at most 4)")
    parser.add_argument("--force", action="store_true", help="replace an existing report in the output folder")
    parser.add_argument("--keep-executed", action="store_true",
                        help="also write each notebook as the grader ran it to OUTPUT/executed/<student>/")
    parser.add_argument("--unconfined", action="store_true",
                        help="run the notebooks without a sandbox (only inside a throwaway virtual machine)")
    return parser, parser.parse_args(argv)


def main(argv=None):
    """Grade a folder of hand-ins (the command line, see the module's docstring); returns the exit status."""
    parser, args = arguments(sys.argv[1:] if argv is None else argv)
    submissions = args.submissions
    try:
        if not submissions.is_dir():
            parser.error(f"{submissions} is not a folder")
        os.listdir(submissions)
    except PermissionError:
        print(f"Stopped: you may not read {submissions}. hub/collect.py makes its submissions readable by root "
              "only: grade them with sudo (on the course hub: sudo hub/grade.sh ...). Nothing was written.",
              file=sys.stderr)
        return 2
    if inside(args.output, submissions):
        parser.error(f"the output folder {args.output} is inside the submissions {submissions}: "
                     "choose another with --output (nothing is written into the submissions)")
    names = REPORT_FILES + (("executed",) if args.keep_executed else ())
    existing = [name for name in names if (args.output / name).exists() or (args.output / name).is_symlink()]
    if existing and not args.force:
        print(f"Stopped: {args.output} already holds a report ({', '.join(existing)}). Nothing was run or "
              "written. Choose another --output, or run again with --force to replace it.", file=sys.stderr)
        return 2
    if args.output.exists() and not args.output.is_dir():
        parser.error(f"the output {args.output} is a file, not a folder")
    if args.cell_timeout < 1 or args.notebook_timeout < 1 or args.jobs < 1:
        parser.error("timeouts and --jobs must be at least 1")
    try:
        exercises = series_exercises(args.notebooks)
        if args.points:
            exercises = read_points(args.points, exercises)
        roster = read_roster(args.roster) if args.roster else None
    except (OSError, ValueError) as error:
        parser.error(str(error))
    if not exercises:
        parser.error(f"no exercises found in {args.notebooks}/*.ipynb")
    lessons = [path.stem for path in sorted(args.notebooks.glob("*.ipynb"))]

    if args.unconfined:
        print("Warning: --unconfined runs every notebook as a plain process with your rights: use it only "
              "inside a throwaway virtual machine.", file=sys.stderr)
    else:
        problem = sandbox.problem()
        if problem:
            print(f"Stopped: {problem} Nothing was run or written.", file=sys.stderr)
            return 3

    students = collect(submissions, roster)
    if not students:
        parser.error(f"no student folders or notebooks in {submissions}")
    grader = Grader(exercises, lessons, args)
    signal.signal(signal.SIGTERM, interrupted)
    results = {}
    try:
        pool = concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs)
        futures = {pool.submit(grader.run, student): student for student in students}
        for done, future in enumerate(concurrent.futures.as_completed(futures), start=1):
            student = futures[future]
            results[student.name] = future.result()
            print(f"[{done}/{len(students)}] {shown(student.name)}: {len(student.files)} notebook(s)",
                  file=sys.stderr)
        pool.shutdown()
    except KeyboardInterrupt:
        grader.stop_all()
        pool.shutdown(wait=False, cancel_futures=True)
        grader.close()
        print("Stopped: grading was interrupted; every notebook's process was ended and no report "
              "was written.", file=sys.stderr)
        return 130
    grader.close()

    table, notes = tabulate(students, exercises, results)
    limits_text = (f"every student's notebooks in a sandbox, at most {args.cell_timeout} s a cell and "
                   f"{args.notebook_timeout} s a notebook, each exercise judged on unseen test inputs.")
    files = report.build([s.name for s in students], exercises, table, notes, submissions.resolve().name,
                         datetime.datetime.now().strftime("%Y-%m-%d %H:%M"), limits_text)
    if args.keep_executed:
        names = report.file_names([s.name for s in students])
        for student in students:
            for lesson, text in results.get(student.name, {}).get("executed", {}).items():
                if text:
                    files[f"executed/{names[student.name][:-5]}/{lesson}.ipynb"] = text
    write_report(args.output, files)
    counts = {}
    for status, _ in table.values():
        counts[status] = counts.get(status, 0) + 1
    summary = ", ".join(f"{counts[s]} {s}" for s in report.SYMBOLS if s in counts)
    print(f"{len(students)} students, {len(exercises)} exercises: {summary}.", file=sys.stderr)
    for name in ("grades.html", "grades.csv", "lms.csv", "feedback/"):
        print(args.output / name)
    return 0


def interrupted(signum, frame):
    """SIGTERM: stop as Ctrl+C does."""
    raise KeyboardInterrupt
