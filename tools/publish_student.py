"""Publish the student edition as a branch of a git repository: what students clone, pull and launch.

    python tools/publish_student.py .                                  # branch `student` of this repository
    sudo python3 tools/publish_student.py /srv/git/nn-from-scratch-numpy --init   # a repository of its own (hub)

The branch holds what a student needs and no solution: the notebooks as
tools/student_edition.py blanks them (exercises empty, outputs cleared),
`nnlib`, `pyproject.toml`, `requirements.txt`, `binder/`, the licence and a
short README for students. Never the instructor's notebooks, tests, tools,
docs or hub files. Each run adds one commit on top of the branch's last one
(none if nothing changed), so students who pull (nbgitpuller, `git pull`)
get errata merged and keep their own edits.

The content comes from this repository's working tree (its tracked files),
so an erratum is published as soon as it is saved. The target's working
tree, index and other branches are never touched: the commit is written
with git's plumbing commands. A repository of its own (for a course hub: it
must hold nothing else, since students can read every object in it) is made
with --init; it is readable by everyone and holds only student-edition
commits.
"""

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from tools import ROOT, ToolError
from tools.student_edition import plan

PUBLISHED = ("nnlib/", "binder/", "pyproject.toml", "requirements.txt", "LICENSE")
IDENTITY = {"GIT_AUTHOR_NAME": "Student edition", "GIT_AUTHOR_EMAIL": "student-edition@localhost",
            "GIT_COMMITTER_NAME": "Student edition", "GIT_COMMITTER_EMAIL": "student-edition@localhost"}

README = """# A neural network from scratch in NumPy: student edition

The notebooks in `notebooks/` build, train and test a small neural network
with NumPy, one step each. In every exercise, write the code where it says
`# YOUR CODE HERE` and run the check below it: it answers "✅ Correct", or
says what differs and where to look.

Set up and open (Python 3.11 or newer):

```bash
python3 -m venv .venv && . .venv/bin/activate && pip install -r requirements.txt && jupyter lab notebooks/00_the_original.ipynb
```

Start with [notebooks/00_the_original.ipynb](notebooks/00_the_original.ipynb).

{notebooks}

This is the student edition of the series, published from the instructor's
repository; exercises are blank and no solution is included. The code is
under the MIT licence and the notebooks' text and figures under CC BY 4.0
(see LICENSE, where present).
"""


def git(repo, *args, env=None, data=None):
    """Run git in `repo`; its output (stripped), or SystemExit with git's message."""
    result = subprocess.run(["git", "-C", str(repo), *args], input=data, capture_output=True,
                            env={**os.environ, **(env or {})})
    if result.returncode:
        raise SystemExit(f"Stopped: git {' '.join(args[:2])} failed in {repo}: "
                         f"{result.stderr.decode('utf-8', 'replace').strip()}")
    return result.stdout.decode("utf-8", "replace").strip()


def tracked_files(source):
    """Paths (relative, posix) of this repository's tracked files that the branch publishes."""
    listing = git(source, "ls-files", "-z", *PUBLISHED).split("\0")
    return [path for path in listing if path and (source / path).is_file()
            and "__pycache__" not in path and ".ipynb_checkpoints" not in path]


def student_readme(notebook_names):
    """The README the student edition's branch holds, listing `notebook_names`."""
    rows = "\n".join(f"- [{name}](notebooks/{name})" for name in notebook_names)
    return README.format(notebooks=f"The notebooks:\n\n{rows}")


def edition(source):
    """{path in the branch: bytes}: everything the branch holds, made in memory."""
    files = {}
    try:
        for target, text in plan(source / "notebooks", Path("notebooks")):
            files[target.as_posix()] = text.encode("utf-8")
    except ToolError as error:
        raise SystemExit("Stopped: the student edition cannot be made; nothing was published.\n"
                         + "\n".join(f"  {problem}" for problem in error.problems)) from None
    for path in tracked_files(source):
        files[path] = (source / path).read_bytes()
    files["README.md"] = student_readme(sorted(name.split("/", 1)[1] for name in files
                                               if name.startswith("notebooks/"))).encode("utf-8")
    return files


def publish(source, target, branch, init=False):
    """Commit the edition on `branch` of `target`; (commit, whether it is new)."""
    files = edition(source)  # everything is made and checked before git writes anything
    if not (target / "HEAD").is_file() and not (target / ".git").exists():
        if not init:
            raise SystemExit(f"Stopped: {target} is not a git repository; add --init to make one "
                             "(a bare repository readable by everyone). Nothing was published.")
        target.mkdir(parents=True, exist_ok=True)
        git(target, "init", "-q", "--bare", "--shared=0644", f"--initial-branch={branch}")
    if git(target, "rev-parse", "--is-bare-repository") != "true":
        checked_out = subprocess.run(["git", "-C", str(target), "symbolic-ref", "-q", "HEAD"],
                                     capture_output=True, text=True).stdout.strip()
        if checked_out == f"refs/heads/{branch}":
            raise SystemExit(f"Stopped: {branch} is the branch checked out in {target}; publishing would leave "
                             "its working tree behind. Check out another branch first. Nothing was published.")
    with tempfile.TemporaryDirectory() as scratch:
        index = {"GIT_INDEX_FILE": str(Path(scratch) / "index")}
        for path, data in sorted(files.items()):
            blob = git(target, "hash-object", "-w", "--stdin", data=data)
            git(target, "update-index", "--add", "--cacheinfo", f"100644,{blob},{path}", env=index)
        tree = git(target, "write-tree", env=index)
    parent = subprocess.run(["git", "-C", str(target), "rev-parse", "-q", "--verify", f"refs/heads/{branch}"],
                            capture_output=True, text=True).stdout.strip()
    if parent and git(target, "rev-parse", f"{parent}^{{tree}}") == tree:
        return parent, False
    head = subprocess.run(["git", "-C", str(source), "rev-parse", "--short", "HEAD"],
                          capture_output=True, text=True).stdout.strip() or "an unknown commit"
    dirty = subprocess.run(["git", "-C", str(source), "status", "--porcelain", "--", "notebooks", *PUBLISHED],
                           capture_output=True, text=True).stdout.strip()
    message = f"Student edition of {head}" + (" with uncommitted changes" if dirty else "")
    commit = git(target, "commit-tree", tree, *(["-p", parent] if parent else []), "-m", message,
                 env={**IDENTITY, **{k: v for k, v in os.environ.items() if k in IDENTITY}})
    git(target, "update-ref", f"refs/heads/{branch}", commit, parent or "0" * 40)
    return commit, True


def main(argv=None):
    """Publish the student edition (the command line, see the module's docstring); returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target", type=Path, help="the git repository to publish into (`.` for this one)")
    parser.add_argument("--branch", default="student", help="the branch to publish [student]")
    parser.add_argument("--source", type=Path, default=ROOT, help="the series' repository [this one]")
    parser.add_argument("--init", action="store_true", help="make TARGET a new bare repository if it is none")
    args = parser.parse_args(argv)
    commit, new = publish(args.source.resolve(), args.target.absolute(), args.branch, args.init)
    if new:
        print(f"published {commit[:12]} on {args.branch} in {args.target}")
    else:
        print(f"nothing changed: {args.branch} in {args.target} already holds this edition ({commit[:12]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
