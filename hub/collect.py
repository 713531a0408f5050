"""Copy the students' notebooks off the course hub into a folder for tools/grade.py.

    sudo python3 hub/collect.py students.txt submissions-week3/

For each student in the list file (the one hub/students.py read), copies the
notebooks in `/home/<student>/nn-from-scratch-numpy/notebooks/` (what the
nbgitpuller link made; --folder names another) to `submissions-week3/<student>/`,
the layout `python tools/grade.py submissions-week3/` reads.

A student's files are read by a process running as that student, so a
student can hand in only what they themselves can read: a link planted in
their folder to another student's work or to a system file is skipped and
reported, never followed. Only regular `.ipynb` files are copied, at most
--max-mb each. The target folder must not exist yet (nothing is ever
overwritten); it is made readable by root only. Everything is read and
checked before anything is written. Standard library only.
"""

import argparse
import base64
import json
import os
import pwd
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from students import read_names  # noqa: E402  (the same list file, the same rules)

# Runs as the student: list the folder's regular .ipynb files without following links.
READER = r"""
import base64, json, os, stat, sys
folder, limit = sys.argv[1], int(sys.argv[2])
found, skipped = {}, []
try:
    entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
except FileNotFoundError:
    print(json.dumps({"missing": True})); sys.exit()
except PermissionError as error:
    print(json.dumps({"missing": True, "error": str(error)})); sys.exit()
for entry in entries:
    if not entry.name.endswith(".ipynb") or entry.name.startswith("."):
        continue
    if not entry.is_file(follow_symlinks=False):
        skipped.append(f"{entry.name}: not a regular file (a link or a folder)")
        continue
    try:
        descriptor = os.open(entry.path, os.O_RDONLY | os.O_NOFOLLOW)
        with os.fdopen(descriptor, "rb") as file:
            if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
                skipped.append(f"{entry.name}: not a regular file"); continue
            data = file.read(limit + 1)
    except OSError as error:
        skipped.append(f"{entry.name}: {error.strerror}"); continue
    if len(data) > limit:
        skipped.append(f"{entry.name}: larger than the limit"); continue
    found[entry.name] = base64.b64encode(data).decode("ascii")
print(json.dumps({"files": found, "skipped": skipped}))
"""


def read_as(name, folder, limit):
    """The notebooks in `folder` as student `name` can read them."""
    account = pwd.getpwnam(name)
    result = subprocess.run(
        ["/usr/bin/python3", "-I", "-c", READER, str(folder), str(limit)],
        user=account.pw_uid, group=account.pw_gid, extra_groups=[], cwd="/",
        env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}, capture_output=True, text=True, timeout=300)
    if result.returncode:
        raise RuntimeError(f"reading {name}'s folder failed: {result.stderr.strip()[-500:]}")
    return json.loads(result.stdout)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("list", help="the class list file (one user name a line)")
    parser.add_argument("target", type=Path, help="a new folder for the submissions")
    parser.add_argument("--folder", default="nn-from-scratch-numpy/notebooks",
                        help="the notebooks' folder inside each home [nn-from-scratch-numpy/notebooks]")
    parser.add_argument("--max-mb", type=float, default=50, help="largest notebook copied, in MB [50]")
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

    # Read everything first.
    limit = int(args.max_mb * 2**20)
    collected = {name: read_as(name, Path(pwd.getpwnam(name).pw_dir) / args.folder, limit) for name in names}

    # Then write, into a folder that did not exist.
    args.target.mkdir(mode=0o700, parents=True)
    os.chmod(args.target, 0o700)
    for name, found in collected.items():
        if found.get("missing"):
            print(f"{name}: no {args.folder} folder (the link was never opened?)")
            continue
        folder = args.target / name
        folder.mkdir(mode=0o700)
        for filename, data in found["files"].items():
            descriptor = os.open(folder / filename, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
            with os.fdopen(descriptor, "wb") as file:
                file.write(base64.b64decode(data))
        print(f"{name}: {len(found['files'])} notebooks")
        for reason in found["skipped"]:
            print(f"{name}: skipped {reason}")
    print(f"next: python tools/grade.py {args.target}")


if __name__ == "__main__":
    main()
