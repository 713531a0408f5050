"""Copy the students' notebooks off the course hub into a folder for grading.

    sudo python3 hub/collect.py class.txt submissions-week3/

For each student in the list file (the one hub/students.py read), copies the
notebooks in `/home/<student>/nn-from-scratch-numpy/notebooks/` (what the
nbgitpuller link made; --folder names another) to `submissions-week3/<student>/`,
the layout `hub/grade.sh submissions-week3/` reads.

A student's files are read by a process running as that student, so a
student can hand in only what they themselves can read: a link planted in
their folder to another student's work or to a system file is skipped and
reported, never followed. What is read is bounded: regular `.ipynb` files
only, at most --max-files of them, each at most --max-mb long (a sparse
file counts by its length, not its disk use), at most --max-total-mb per
student, within --timeout seconds, by a reader whose memory is capped. A
student whose folder breaks any of that, or whose reader fails, gets a note
and nothing copied past the limit; the rest of the class is collected as
usual.

The target folder must not exist yet (nothing is ever overwritten). Every
student's files are gathered in a hidden folder beside it, readable by root
only, which becomes the target when all are read. Standard library only.
"""

import argparse
import base64
import json
import os
import pwd
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from students import read_names  # the same list file, the same rules (hub/ is this script's folder)

# Runs as the student: one JSON line per regular .ipynb file (never following
# a link), then a last line with what was skipped. Sizes come from fstat before
# reading, so a sparse file is refused by its length without being read.
READER = r"""
import base64, json, os, stat, sys
folder, per_file, total, most = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
skipped, used, count = [], 0, 0
try:
    entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
except FileNotFoundError:
    print(json.dumps({"missing": True})); sys.exit()
except (PermissionError, NotADirectoryError) as error:
    print(json.dumps({"missing": True, "error": error.strerror})); sys.exit()
for entry in entries:
    if not entry.name.endswith(".ipynb") or entry.name.startswith("."):
        continue
    if not entry.is_file(follow_symlinks=False):
        skipped.append(f"{entry.name}: not a regular file (a link or a folder)")
        continue
    if count >= most:
        skipped.append(f"{entry.name}: more than {most} notebooks")
        continue
    try:
        descriptor = os.open(entry.path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as error:
        skipped.append(f"{entry.name}: {error.strerror}"); continue
    with os.fdopen(descriptor, "rb") as file:
        info = os.fstat(file.fileno())
        if not stat.S_ISREG(info.st_mode):
            skipped.append(f"{entry.name}: not a regular file"); continue
        if info.st_size > per_file:
            skipped.append(f"{entry.name}: {info.st_size} bytes, larger than the limit of {per_file}"); continue
        if used + info.st_size > total:
            skipped.append(f"{entry.name}: the notebooks together would pass the limit of {total} bytes"); continue
        data = file.read(per_file + 1)
    if len(data) > per_file:
        skipped.append(f"{entry.name}: larger than the limit"); continue
    used += len(data)
    count += 1
    print(json.dumps({"name": entry.name, "data": base64.b64encode(data).decode("ascii")}), flush=True)
print(json.dumps({"skipped": skipped}))
"""
READER_MEMORY = 1 * 2**30  # address space of each reader


def shown(text):
    """`text` with control characters written as visible escapes (a file name cannot retitle the terminal)."""
    return "".join(ch if ch.isprintable() or ch == " " else ch.encode("unicode_escape").decode("ascii")
                   for ch in str(text))


def read_as(name, folder, staging, limits):
    """Copy student `name`'s notebooks from `folder` into `staging`, reading as them; (count, notes)."""
    account = pwd.getpwnam(name)
    per_file, total, most, timeout = limits

    def confine():
        resource.setrlimit(resource.RLIMIT_AS, (READER_MEMORY, READER_MEMORY))

    notes, count = [], 0
    with tempfile.TemporaryFile() as output:
        try:
            result = subprocess.run(
                ["/usr/bin/python3", "-I", "-c", READER, str(folder), str(per_file), str(total), str(most)],
                user=account.pw_uid, group=account.pw_gid, extra_groups=[], cwd="/", preexec_fn=confine,
                env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}, stdout=output, stderr=subprocess.PIPE,
                timeout=timeout)
        except subprocess.TimeoutExpired:
            return 0, [f"reading the folder took longer than {timeout} s; nothing was copied"]
        if result.returncode:
            last = (result.stderr.decode("utf-8", "replace").strip().splitlines() or ["no message"])[-1]
            return 0, [f"reading the folder failed ({shown(last[:300])}); nothing was copied"]
        output.seek(0)
        (staging / name).mkdir(mode=0o700)
        for line in output:
            record = json.loads(line)
            if record.get("missing"):
                return None, [record.get("error", "")]
            if "skipped" in record:
                notes += [f"skipped {shown(reason)}" for reason in record["skipped"]]
                continue
            filename = record["name"]
            if "/" in filename or filename in (".", ".."):
                notes.append(f"skipped {shown(filename)}: not a plain file name")
                continue
            data = base64.b64decode(record["data"])
            descriptor = os.open(staging / name / filename, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW,
                                 0o600)
            with os.fdopen(descriptor, "wb") as file:
                file.write(data)
            count += 1
    return count, notes


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("list", help="the class list file (one user name a line)")
    parser.add_argument("target", type=Path, help="a new folder for the submissions")
    parser.add_argument("--folder", default="nn-from-scratch-numpy/notebooks",
                        help="the notebooks' folder inside each home [nn-from-scratch-numpy/notebooks]")
    parser.add_argument("--max-mb", type=float, default=20, help="largest notebook copied, in MB [20]")
    parser.add_argument("--max-files", type=int, default=50, help="most notebooks copied per student [50]")
    parser.add_argument("--max-total-mb", type=float, default=100, help="most MB copied per student [100]")
    parser.add_argument("--timeout", type=int, default=120, help="seconds to read one student's folder [120]")
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        sys.exit("run it as root (sudo): it reads every student's home folder")
    if args.target.exists() or args.target.is_symlink():
        sys.exit(f"{args.target} exists already; give a new folder (nothing is ever overwritten)")
    if Path(args.folder).is_absolute() or ".." in Path(args.folder).parts:
        sys.exit(f"--folder must be a path inside the home folder, not {args.folder!r}")
    names = read_names(args.list)
    for name in names:
        try:
            pwd.getpwnam(name)
        except KeyError:
            sys.exit(f"{name} (in {args.list}) is not a user on this server; nothing was copied")
    limits = (int(args.max_mb * 2**20), int(args.max_total_mb * 2**20), args.max_files, args.timeout)

    parent = args.target.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{args.target.name}.collecting-", dir=parent))  # mode 700
    try:
        lines = []
        for name in names:
            try:
                count, notes = read_as(name, Path(pwd.getpwnam(name).pw_dir) / args.folder, staging, limits)
            except Exception as error:  # this student's folder, not the class's collection
                count, notes = 0, [f"could not be collected ({type(error).__name__}: {shown(str(error)[:200])})"]
            if count is None:
                lines.append(f"{name}: no {args.folder} folder (the link was never opened?)")
                continue
            lines.append(f"{name}: {count} notebooks")
            lines += [f"{name}: {note}" for note in notes]
        os.rename(staging, args.target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    for line in lines:
        print(line)
    print(f"next: sudo hub/grade.sh {args.target} --roster {args.list}")


if __name__ == "__main__":
    main()
