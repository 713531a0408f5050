"""One student's grading, in a process of its own: read their notebooks, run each, judge each exercise.

    python -m tools.grading.runner JOB_FOLDER

The grader starts this once per student (as an unprivileged user when it
runs as root), with JOB_FOLDER holding `job.json` (the exercises, the time
limits, the judge's seed) and the bytes of each notebook the student handed
in. It writes `result.json` there: a status and a message for each exercise
of each notebook it recognised, and notes. Every kernel runs in a bubblewrap sandbox
(sandbox.py, kernel.py); this process only drives it, caps what it keeps of
the kernel's output, and judges the answers (judge.py).
"""

import asyncio
import atexit
import concurrent.futures
import json
import os
import re
import resource
import signal
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError

from . import judge, sandbox
from .exercises import normalized
from .kernel import SandboxKernel

FEEDBACK_MIME = "application/vnd.nnlib.feedback+json"
PASSED, NOT_YET, ERROR, TIMED_OUT, MISSING = "passed", "not yet", "error", "timed out", "missing"
CELL_OUTPUT_LIMIT = 200_000  # characters of output kept per cell, of every kind
NOTEBOOK_OUTPUT_LIMIT = 100_000_000  # characters of messages a notebook may send in all; past it, it is stopped
EXECUTED_LIMIT = 20_000_000  # the largest executed notebook kept for --keep-executed
RUNNER_MEMORY = 4 * 2**30  # address space of this process


class CappedClient(NotebookClient):
    """nbclient, keeping at most CELL_OUTPUT_LIMIT characters of each cell's messages, of every kind.

    Status messages always get through (they tell that a cell is done). A
    notebook that sends more than NOTEBOOK_OUTPUT_LIMIT in all is stopped.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kept, self.total, self.truncated, self.flooded = {}, 0, [], False

    def process_message(self, msg, cell, cell_index):
        """Keep an output only while the cell's and the notebook's output stay under their limits."""
        if msg.get("msg_type") == "status":
            return super().process_message(msg, cell, cell_index)
        size = len(json.dumps(msg.get("content", {}), default=str))
        self.total += size
        if self.total > NOTEBOOK_OUTPUT_LIMIT and not self.flooded:
            self.flooded = True
            self.km.kill()  # nbclient then finds the kernel dead
        used = self.kept.get(cell_index, 0)
        if used + size > CELL_OUTPUT_LIMIT:
            if cell_index not in self.truncated:
                self.truncated.append(cell_index)
            return None
        self.kept[cell_index] = used + size
        return super().process_message(msg, cell, cell_index)


def read_handed(data, relative):
    """(notebook node, problem) from the bytes of a handed-in file."""
    try:
        return nbformat.reads(data.decode("utf-8"), as_version=4), ""
    except Exception as error:  # anything a broken file can raise: report it, grade the rest
        return None, f"{relative} could not be read as a notebook ({type(error).__name__}: {str(error)[:200]})"


def lesson_of(relative, nb, exercises, lessons, by_content_first=False):
    """The series notebook (stem) that a handed-in notebook is, or None."""
    stem = Path(relative).stem

    def by_name():
        if stem in lessons:
            return stem
        number = re.match(r"(\d\d)(?!\d)", stem)
        matches = [lesson for lesson in lessons if number and lesson.startswith(number.group(1))]
        return matches[0] if len(matches) == 1 else None

    def by_content():
        if nb is None:
            return None
        sources = {normalized(cell.source) for cell in nb.cells if cell.cell_type == "code"}
        counts = {}
        for exercise in exercises:
            if exercise["check_source"] in sources:
                counts[exercise["notebook"]] = counts.get(exercise["notebook"], 0) + 1
        return max(counts, key=counts.get) if counts else None

    for find in ((by_content, by_name) if by_content_first else (by_name, by_content)):
        found = find()
        if found:
            return found
    return None


def displayed_feedback(cell):
    """The check results a cell displayed (each a dict with 'passed'), however many."""
    found = []
    for output in cell.get("outputs", []):
        data = output.get("data", {}).get(FEEDBACK_MIME)
        if data is not None:
            found.append({"passed": isinstance(data, dict) and data.get("passed") is True})
    return found


class NotebookRun:
    """One notebook run in its sandbox, with every check judged as soon as its cell has run."""

    def __init__(self, nb, exercises, job, folder, log):
        self.nb, self.job, self.folder, self.log = nb, job, folder, log
        self.checks = {}  # cell index -> exercise
        for exercise in exercises:
            for index, cell in enumerate(nb.cells):
                if cell.cell_type == "code" and normalized(cell.source) == exercise["check_source"]:
                    self.checks.setdefault(index, exercise)
                    break
        self.cells, self.verdicts = {}, {}
        self.running, self.stopped = None, None
        self.kernel = SandboxKernel(folder, sandbox.Limits(), confined=job["confined"])
        self.judge_thread = concurrent.futures.ThreadPoolExecutor(max_workers=1)
        self.link, self.judge_client = None, None
        self.deadline_hit = []  # not empty once the notebook's time is up

    def on_execute(self, cell, cell_index, **_):
        """Before a cell runs: note which one, and connect the judge before the first."""
        self.running = cell_index
        if self.judge_client is None:
            # Connected before the notebook's first cell runs, so that no cell can keep the judge
            # out (by deleting the kernel's socket files, say).
            self.judge_client = self.kernel.blocking_client()

    async def on_executed(self, cell, cell_index, execute_reply, **_):
        """After a cell ran: record how it ended, and judge the exercise if it was a check cell."""
        reply = (execute_reply or {}).get("content", {})
        record = {"status": "ok", "error": ""}
        if reply.get("status") == "error":
            if reply.get("ename") == "GraderCellTimeout":
                record = {"status": TIMED_OUT, "error": reply.get("evalue", "")}
            else:
                record = {"status": ERROR, "error": f"{reply.get('ename', 'Error')}: {reply.get('evalue', '')}"[:500]}
        self.cells[cell_index] = record
        self.running = None
        if cell_index in self.checks:
            loop = asyncio.get_running_loop()
            self.verdicts[cell_index] = await loop.run_in_executor(self.judge_thread, self.judge, cell_index)

    def judge(self, cell_index):
        """{"passed": bool, "message": str} or {"status": ..., "message": ...} for one check cell."""
        exercise = self.checks[cell_index]
        try:
            deadline = time.monotonic() + self.job["cell_timeout"]
            if self.link is None:
                self.link = judge.KernelLink(self.judge_client, self.kernel.interrupt, deadline)
            self.link.deadline = deadline
            self.link.define()
            passed, message = judge.verdict(self.link, exercise["label"], self.job["seed"])
            return {"passed": passed, "message": message}
        except judge.UnknownExercise as error:
            return {"status": ERROR, "message": str(error)}
        except judge.Timeout:
            return {"status": TIMED_OUT, "message": f"the answer ran past the {self.job['cell_timeout']} s limit "
                                                    "when the grader called it, and was stopped"}
        except Exception as error:  # an answer that cannot be read is this exercise's error, not the grader's
            if self.deadline_hit:
                return {"status": TIMED_OUT,
                        "message": f"the notebook ran past its {self.job['notebook_timeout']} s limit"}
            return {"status": ERROR, "message": f"the grader could not read the answer from the notebook "
                                                f"({type(error).__name__}: {str(error)[:200]})"}

    async def execute(self):
        """Run the whole notebook in the sandbox's kernel, under the time limits."""
        timeout = self.job["cell_timeout"]
        client = CappedClient(
            self.nb, km=self.kernel, timeout=timeout, startup_timeout=120, allow_errors=True,
            interrupt_on_timeout=True, record_timing=False, iopub_timeout=10, store_widget_state=False,
            error_on_timeout={"ename": "GraderCellTimeout", "traceback": [],
                              "evalue": f"the cell ran past the {timeout} s limit and was stopped"},
            resources={"metadata": {"path": sandbox.SCRATCH}})
        client.on_cell_execute = self.on_execute
        client.on_cell_executed = self.on_executed
        self.client = client
        self.kernel.start(self.log)
        # At the notebook's deadline the sandbox is ended: whatever nbclient then raises, it ran out of time.
        watchdog = asyncio.get_running_loop().call_later(
            self.job["notebook_timeout"], lambda: (self.deadline_hit.append(True), self.kernel.kill()))
        try:
            await client.async_execute()
        except Exception as error:  # the kernel died, failed to start, flooded, or nbclient failed: report it
            if self.deadline_hit:
                detail, reason = f"the notebook ran past its {self.job['notebook_timeout']} s limit", TIMED_OUT
            elif client.flooded:
                detail = f"the notebook sent more than {NOTEBOOK_OUTPUT_LIMIT // 1_000_000} MB of output"
                reason = ERROR
            elif isinstance(error, DeadKernelError):
                detail, reason = "the kernel died (the notebook's code ended its process)", ERROR
            else:
                detail = f"the notebook could not be run: {type(error).__name__}: {str(error)[:300]}"
                reason = ERROR
            self.stopped = {"reason": reason, "cell": self.running, "detail": detail}
        finally:
            watchdog.cancel()
            self.kernel.kill()
            self.judge_thread.shutdown(wait=False, cancel_futures=True)
            atexit.unregister(client._cleanup_kernel)  # nbclient's: the kernel is ours, and gone
            # Close both clients' sockets now: a zmq context left to the garbage collector with
            # sockets open blocks forever in its __del__ (seen: the next notebook's run hung there).
            for kernel_client in (client.kc, self.judge_client):
                if kernel_client is not None:
                    kernel_client.stop_channels()
                    kernel_client.context.destroy(linger=0)

    def statuses(self, exercises, check_sources):
        """{column: [status, message]} for the exercises of this notebook."""
        table = {}
        for exercise in exercises:
            table[exercise["column"]] = self.status(exercise, check_sources)
        return table

    def status(self, exercise, check_sources):
        """[status, message] of `exercise` in this notebook, from how its cells ran."""
        index = next((i for i, e in self.checks.items() if e is exercise), None)
        if index is None:
            return [MISSING, "the check cell is not in the notebook (deleted or edited)"]
        cell_timeout = self.job["cell_timeout"]
        # The exercise's cells: the code cells after the previous check cell.
        before = []
        for i in range(index - 1, -1, -1):
            if self.nb.cells[i].cell_type == "code" and normalized(self.nb.cells[i].source) in check_sources:
                break
            before.append(i)
        stuck = [i for i in sorted(before) if self.cells.get(i, {}).get("status") == TIMED_OUT]
        stuck_text = f"cell {stuck[0] + 1} ran past the {cell_timeout} s limit and was stopped" if stuck else ""
        record, verdict = self.cells.get(index), self.verdicts.get(index)
        if record is None or verdict is None:
            stopped = self.stopped or {}
            detail = stopped.get("detail", "the notebook stopped before this check")
            if isinstance(stopped.get("cell"), int):
                detail += f" (in cell {stopped['cell'] + 1})"
            status = TIMED_OUT if stopped.get("reason") == TIMED_OUT or stuck else ERROR
            return [status, "; ".join(filter(None, [stuck_text, detail, "this check did not run"]))]
        if record["status"] == TIMED_OUT:
            return [TIMED_OUT, f"the check cell ran past the {cell_timeout} s limit and was stopped"]
        if "status" in verdict:
            status, message = verdict["status"], verdict["message"]
        else:
            status, message = (PASSED if verdict["passed"] else NOT_YET), verdict["message"]
            shown = displayed_feedback(self.nb.cells[index])
            if len(shown) > 1:
                status, message = ERROR, (f"the check cell showed {len(shown)} check results; only the check's own "
                                          "can count, so this cell cannot be graded (read the notebook)")
            elif len(shown) == 1 and shown[0]["passed"] != verdict["passed"]:
                said = "✅ Correct" if shown[0]["passed"] else "❌ Not yet"
                message += (f" (In the notebook, the check said {said}; the grader judged the answer again "
                            "on test inputs the notebook had not seen.)")
        if stuck:
            return [TIMED_OUT, f"{stuck_text}; then the check said: {message}"]
        return [status, message]

    def executed(self):
        """The notebook as the grader ran it (outputs included), if not too large."""
        self.nb.metadata.pop("widgets", None)
        text = nbformat.writes(self.nb)
        return text if len(text) <= EXECUTED_LIMIT else None


def grade_student(job, folder, log):
    """The result dict for one student (see the module docstring)."""
    exercises, lessons = job["exercises"], job["lessons"]
    check_sources = {exercise["check_source"] for exercise in exercises}
    result = {"exercises": {}, "notes": [], "executed": {}, "seconds": {}}
    chosen = {}
    for handed in job["files"]:
        data = (folder / handed["data"]).read_bytes()
        nb, problem = read_handed(data, handed["path"])
        lesson = lesson_of(handed["path"], nb, exercises, lessons, by_content_first=job["single_file"])
        if lesson is None:
            result["notes"].append(f"{handed['path']}: not one of the series' notebooks"
                                   + (f" ({problem})" if problem else ""))
        elif lesson in chosen:
            result["notes"].append(f"{handed['path']}: a second copy of {lesson}; graded "
                                   f"{chosen[lesson][0]} instead")
        else:
            chosen[lesson] = (handed["path"], nb, problem)
    for lesson in lessons:
        mine = [exercise for exercise in exercises if exercise["notebook"] == lesson]
        if lesson not in chosen:
            continue
        path, nb, problem = chosen[lesson]
        if problem:
            for exercise in mine:
                result["exercises"][exercise["column"]] = [ERROR, problem]
            continue
        started = time.monotonic()
        run_folder = folder / f"run-{lesson}"
        run_folder.mkdir()
        run = NotebookRun(nb, mine, job, run_folder, log)
        asyncio.run(run.execute())
        result["seconds"][lesson] = round(time.monotonic() - started, 1)
        result["exercises"].update(run.statuses(mine, check_sources))
        if run.stopped:
            result["notes"].append(f"{path}: {run.stopped['detail']}")
        truncated = run.client.truncated
        if truncated:
            result["notes"].append(f"{path}: long output cut short in cell(s) "
                                   + ", ".join(str(i + 1) for i in sorted(truncated)))
        if job["keep_executed"]:
            result["executed"][lesson] = run.executed()
        print(f"{lesson}: {result['seconds'][lesson]} s", file=log, flush=True)
    return result


def main(argv=None):
    """Run the notebooks of one job folder (`argv[0]`) and write what was found there."""
    argv = sys.argv[1:] if argv is None else argv
    folder = Path(argv[0])
    job = json.loads((folder / "job.json").read_text(encoding="utf-8"))
    resource.setrlimit(resource.RLIMIT_AS, (RUNNER_MEMORY, RUNNER_MEMORY))
    signal.signal(signal.SIGALRM, lambda *_: os._exit(3))  # past its lifetime, this process ends itself
    signal.alarm(int(job["lifetime"]))
    with open(folder / "runner.log", "a", encoding="utf-8") as log:
        result = grade_student(job, folder, log)
    partial = folder / "result.part"
    partial.write_text(json.dumps(result), encoding="utf-8")
    os.replace(partial, folder / "result.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
