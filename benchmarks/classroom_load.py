"""A class on the course hub: N simulated students, and what one server pays for them.

For each class size N it starts the hub (hub/start.sh, on 127.0.0.1) with N
new students (hub/students.py) and lets them arrive over `--arrival` seconds,
as a class does. Each student, in a thread of this process, does over HTTP
and the kernel's websocket what their browser would: logs in, opens the
nbgitpuller link (which starts their server and pulls the series), opens
notebook 04 and runs all its cells, then moves one of the dashboard's
sliders (hidden size or learning rate, alternately, always to a new value)
every 5 to 10 seconds. Once the last student has run notebook 04, the class
plays for `--minutes` more.

Printed per N:
- server start: from opening the link to the server answering;
- notebook 04: running all its cells (most students run it while others are
  still arriving and starting);
- change: from sending a slider's message until the first new picture has
  arrived (the dashboard trains live and sends frames while it trains) and
  until the final one (the PNG a run ends on; frames are JPEG), median and
  95th percentile, counted once every student has run notebook 04;
- CPU to start: CPU time a student's server and kernel used from the
  server's start until notebook 04 had run (starting JupyterLab's server,
  the pull, the kernel, the notebook);
- CPU per change: CPU time the students' servers and kernels used while
  the class played, divided by the changes they made (unlike the times
  above, these two CPU figures change little with what else the machine
  runs, so they size a server even when measured on a busy one);
- memory per student: RSS of their server and kernel summed (shared library
  pages counted in each process), and USS (memory only they use, what one
  more student costs), median over students at the end;
- CPU, in percent of one core, while the class plays: the hub, the proxy,
  this script (the students' browsers, which a real class runs elsewhere),
  and the whole machine (both cores = 200 %).

Run it as root on a quiet machine (other work skews every figure; the load
average before each run is printed):

    sudo .venv/bin/python -m benchmarks.classroom_load --students 10 20 30

Every student, process and file it made is removed at the end of each run,
even after an error. With the defaults each N takes 5 to 8 minutes.
"""

import argparse
import os
import random
import statistics
import sys
import threading
import time
import traceback
from pathlib import Path

import psutil

from tests.helpers import ROOT
from tests.hub_harness import TrialHub, nbgitpuller_link

NOTEBOOK = "notebooks/04_hyperparameters.ipynb"
FOLDER = "nn-from-scratch-numpy"
HIDDEN_SIZES = [2, 3, 4, 5, 6, 8]
PNG = b"\x89PNG"  # the picture a dashboard's run ends on
LEARNING_RATES = [0.1, 0.31622776601683794, 1.0, 3.1622776601683795]  # steps of the log slider


def percentile(values, q):
    """The q-th percentile (0-100), linear between the two nearest ranks."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


class Class:
    """What the simulated students share: the clock, the results, the moment everyone is ready."""

    def __init__(self, count, minutes):
        self.count = count
        self.minutes = minutes
        self.lock = threading.Lock()
        self.ready = 0
        self.all_ready_at = None  # time.monotonic() when the last student had run notebook 04
        self.end_at = float("inf")
        self.starts, self.notebook_runs, self.changes = [], [], []  # seconds; changes: (at, first, final)
        self.errors = []
        self.failed_early = 0  # students who failed before they were ready
        self.start_cpu = []  # CPU seconds a student's server and kernel used to start, pull and run notebook 04
        self.student_cpu = []  # (CPU seconds of a student's server and kernel while playing, changes made)

    def student_ready(self):
        with self.lock:
            self.ready += 1
            self.settle()

    def student_failed(self, name, was_ready):
        with self.lock:
            self.errors.append(f"{name}: {traceback.format_exc(limit=3)}")
            if not was_ready:
                self.failed_early += 1  # the others need not wait for this one
                self.settle()

    def settle(self):
        if self.all_ready_at is None and self.ready + self.failed_early == self.count:
            self.all_ready_at = time.monotonic()
            self.end_at = self.all_ready_at + 60 * self.minutes


def play(trial, name, arrive_after, pace, link, notebook_cells, room, seed):
    """One student: arrive, log in, open the link, run notebook 04, then move sliders until the end."""
    rng = random.Random(seed)
    time.sleep(arrive_after)
    student = trial.student(name)
    kernel = None
    ready = False
    try:
        student.log_in()
        start = time.monotonic()
        student.open_link(link)
        room.starts.append(time.monotonic() - start)
        events = student.pull(trial.repo)
        if events[-1].get("phase") != "finished":
            raise RuntimeError(f"pull failed: {events[-1]}")
        kernel = student.open_notebook(f"{FOLDER}/{NOTEBOOK}")
        start = time.monotonic()
        for source in notebook_cells:
            reply, outputs = kernel.execute(source)
            if reply["status"] != "ok":
                raise RuntimeError(f"notebook 04 failed: {reply.get('ename')}: {reply.get('evalue')}")
        room.notebook_runs.append(time.monotonic() - start)
        sliders = [(kernel.find_widget("IntSliderModel", description="hidden size"), HIDDEN_SIZES),
                   (kernel.find_widget("FloatLogSliderModel", description="learning rate"), LEARNING_RATES)]
        room.student_ready()
        ready = True
        cpu_at_ready = sum(cpu_seconds(process) for process in trial.processes(name))
        room.start_cpu.append(cpu_at_ready)
        made = 0
        turn = 0
        while True:
            time.sleep(rng.uniform(*pace))
            if time.monotonic() >= room.end_at:
                break
            slider, values = sliders[turn % 2]
            turn += 1
            value = rng.choice([v for v in values if v != kernel.widgets[slider]["value"]])
            before = dict(kernel.images)
            sent = time.monotonic()
            kernel.set_widget(slider, value=value)
            kernel.wait_until(lambda: any(kernel.images[key] != picture for key, picture in before.items()),
                              timeout=120)  # the first frame of the new run has arrived
            first = time.monotonic() - sent
            kernel.wait_until(lambda: any(kernel.images[key] != picture and kernel.images[key].startswith(PNG)
                                          for key, picture in before.items()),
                              timeout=120)  # the final picture (frames while training are JPEG)
            room.changes.append((sent, first, time.monotonic() - sent))
            made += 1
        cpu_used = sum(cpu_seconds(process) for process in trial.processes(name)) - cpu_at_ready
        room.student_cpu.append((cpu_used, made))
    except Exception:
        room.student_failed(name, ready)
    finally:
        if kernel is not None:
            kernel.close()
        student.close()


def memory(trial, names):
    """(RSS, USS) in MB of each student's processes, summed per student."""
    rss, uss = [], []
    for name in names:
        processes = trial.processes(name)
        if not processes:
            continue
        totals = [0, 0]
        for process in processes:
            try:
                info = process.memory_full_info()
            except psutil.NoSuchProcess:
                continue
            totals[0] += info.rss
            totals[1] += info.uss
        rss.append(totals[0] / 2**20)
        uss.append(totals[1] / 2**20)
    return rss, uss


def cpu_seconds(process):
    try:
        times = process.cpu_times()
        return times.user + times.system + times.children_user + times.children_system
    except psutil.NoSuchProcess:
        return 0.0


def busy_seconds():
    """CPU seconds every core has spent busy since boot."""
    times = psutil.cpu_times()
    return sum(times) - times.idle - getattr(times, "iowait", 0.0)


def run_class(count, args, notebook_cells):
    load_before = os.getloadavg()
    print(f"\n{count} students: load average before {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}",
          flush=True)
    room = Class(count, args.minutes)
    args.logs.mkdir(parents=True, exist_ok=True)
    log = args.logs / f"hub-{count}.log"
    print(f"  the hub's log: {log}")
    with TrialHub(count, log_path=log) as trial:
        hub = psutil.Process(trial.process.pid)
        proxy = next(child for child in hub.children(recursive=True)
                     if "configurable-http-proxy" in " ".join(child.cmdline()))
        me = psutil.Process()
        link = nbgitpuller_link(trial.base, trial.repo, NOTEBOOK)
        rng = random.Random(args.seed)
        arrivals = sorted(rng.uniform(0, args.arrival) for _ in trial.names)
        threads = [threading.Thread(target=play, daemon=True,
                                    args=(trial, name, arrive, args.pace, link, notebook_cells, room,
                                          args.seed * 1000 + i))
                   for i, (name, arrive) in enumerate(zip(trial.names, arrivals))]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        # Wait for the whole class to be ready, then measure while it plays.
        while room.all_ready_at is None:
            if not any(thread.is_alive() for thread in threads):
                break
            time.sleep(1)
        if room.all_ready_at is None:
            print("no student got ready:\n" + "\n".join(room.errors) + "\n" + trial.log_tail())
            return None
        print(f"  {room.ready} of {count} students ready {room.all_ready_at - started:.0f} s after the first "
              f"arrived; playing for {args.minutes:g} min", flush=True)
        marks = {"hub": cpu_seconds(hub), "proxy": cpu_seconds(proxy), "client": cpu_seconds(me),
                 "machine": busy_seconds(), "at": time.monotonic()}
        time.sleep(max(0.0, room.end_at - time.monotonic() - 5))
        rss, uss = memory(trial, trial.names)  # while everyone is still connected
        elapsed = time.monotonic() - marks["at"]
        cpu = {key: 100 * (value() - marks[key]) / elapsed for key, value in
               (("hub", lambda: cpu_seconds(hub)), ("proxy", lambda: cpu_seconds(proxy)),
                ("client", lambda: cpu_seconds(me)), ("machine", busy_seconds))}
        for thread in threads:
            thread.join(timeout=60)
        load_during = os.getloadavg()
    steady = [final for at, first, final in room.changes if at >= room.all_ready_at]
    firsts = [first for at, first, final in room.changes if at >= room.all_ready_at]
    result = {
        "students": count, "ready": room.ready, "errors": room.errors, "load_before": load_before[0],
        "load_during": load_during[0],
        "start_median": statistics.median(room.starts), "start_p95": percentile(room.starts, 95),
        "notebook_median": statistics.median(room.notebook_runs), "notebook_p95": percentile(room.notebook_runs, 95),
        "changes": len(steady), "change_median": statistics.median(steady) if steady else float("nan"),
        "change_p95": percentile(steady, 95), "change_max": max(steady, default=float("nan")),
        "first_median": statistics.median(firsts) if firsts else float("nan"), "first_p95": percentile(firsts, 95),
        "start_cpu": statistics.median(room.start_cpu),
        "cpu_per_change": sum(c for c, _ in room.student_cpu) / max(1, sum(n for _, n in room.student_cpu)),
        "rss_median": statistics.median(rss), "uss_median": statistics.median(uss), "rss_max": max(rss),
        "cpu": cpu,
    }
    report(result)
    return result


def report(r):
    print(f"  server start (link opened -> server up): median {r['start_median']:.1f} s, 95th percentile {r['start_p95']:.1f} s")
    print(f"  notebook 04, all cells:                  median {r['notebook_median']:.1f} s, 95th percentile {r['notebook_p95']:.1f} s")
    print(f"  slider change ({r['changes']} while the class played), to the first frame: median "
          f"{1000 * r['first_median']:.0f} ms, 95th percentile {1000 * r['first_p95']:.0f} ms")
    print(f"  slider change, to the final picture: median {1000 * r['change_median']:.0f} ms, "
          f"95th percentile {1000 * r['change_p95']:.0f} ms, slowest {1000 * r['change_max']:.0f} ms")
    print(f"  CPU to start, pull and run notebook 04:  {r['start_cpu']:.1f} s per student (median; server + kernel)")
    print(f"  CPU per change (server + kernel):        {1000 * r['cpu_per_change']:.0f} ms")
    print(f"  memory per student (server + kernel):    RSS median {r['rss_median']:.0f} MB (largest {r['rss_max']:.0f}), "
          f"USS median {r['uss_median']:.0f} MB")
    cpu = r["cpu"]
    print(f"  CPU while playing (% of one core):       hub {cpu['hub']:.1f}, proxy {cpu['proxy']:.1f}, "
          f"this script {cpu['client']:.1f}, whole machine {cpu['machine']:.0f} of {100 * psutil.cpu_count()}")
    print(f"  load average: {r['load_before']:.2f} before, {r['load_during']:.2f} at the end")
    if r["errors"]:
        print(f"  {len(r['errors'])} students failed:")
        for error in r["errors"]:
            print("   ", error.replace("\n", "\n    "))


def table(results):
    print("\n| students | server start, median / p95 | notebook 04, median / p95 | CPU to start + run 04 "
          "| change to first frame, median / p95 | change to final picture, median / p95 "
          "| CPU per change | memory per student, RSS / USS | hub CPU | proxy CPU | machine CPU (of 200 %) | load before |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        cpu = r["cpu"]
        print(f"| {r['students']} | {r['start_median']:.1f} / {r['start_p95']:.1f} s "
              f"| {r['notebook_median']:.1f} / {r['notebook_p95']:.1f} s | {r['start_cpu']:.1f} s "
              f"| {1000 * r['first_median']:.0f} / {1000 * r['first_p95']:.0f} ms "
              f"| {1000 * r['change_median']:.0f} / {1000 * r['change_p95']:.0f} ms | {1000 * r['cpu_per_change']:.0f} ms | {r['rss_median']:.0f} / {r['uss_median']:.0f} MB "
              f"| {cpu['hub']:.1f} % | {cpu['proxy']:.1f} % | {cpu['machine']:.0f} % | {r['load_before']:.2f} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, nargs="+", default=[10, 20, 30], help="class sizes to run")
    parser.add_argument("--minutes", type=float, default=3.0, help="minutes of play after everyone is ready")
    parser.add_argument("--arrival", type=float, default=60.0, help="seconds over which the students arrive")
    parser.add_argument("--pace", type=float, nargs=2, default=[5.0, 10.0],
                        help="seconds between one student's changes, drawn uniformly")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--logs", type=Path, default=Path("/tmp/classroom_load"),
                        help="folder for the hub's log of each run [/tmp/classroom_load]")
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("run it as root: it creates a system user for every simulated student")
    import nbformat
    notebook = nbformat.read(ROOT / NOTEBOOK, as_version=4)
    cells = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
    print(f"{psutil.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.1f} GB; "
          f"students arrive over {args.arrival:.0f} s, change a slider every {args.pace[0]:g}-{args.pace[1]:g} s, "
          f"play {args.minutes:g} min")
    results = [result for count in args.students if (result := run_class(count, args, cells))]
    table(results)


if __name__ == "__main__":
    main()
