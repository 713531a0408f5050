"""tools/publish_student.py: the student edition as a git branch that students clone and pull.

The branch must hold no solution in any object, only what a student needs,
one commit per change; the source and the target's working tree are never
written; and a student's clone takes an erratum while keeping its own edits.
"""

import shutil
import subprocess

import nbformat
import pytest

from tests.helpers import ROOT
from tools import publish_student


def git(repo, *args):
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True).stdout.strip()


def copy_of_series(folder):
    """A git repository holding this working tree's tracked files, as a teacher's checkout would."""
    for name in git(ROOT, "ls-files", "--cached", "--others", "--exclude-standard").splitlines():
        if (ROOT / name).is_file():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, folder / name)
    git(folder.parent, "init", "-q", "-b", "main", str(folder))
    git(folder, "add", "-A")
    git(folder, "-c", "user.name=t", "-c", "user.email=t@localhost", "commit", "-q", "-m", "series")
    return folder


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    return copy_of_series(tmp_path_factory.mktemp("source") / "series")


def blobs(repo, branch="student"):
    """{path: text} of every file in every commit of `branch`."""
    found = {}
    for commit in git(repo, "rev-list", branch).splitlines():
        for line in git(repo, "ls-tree", "-r", commit).splitlines():
            _, _, sha, path = line.split(maxsplit=3)
            found[f"{commit[:7]}:{path}"] = subprocess.run(["git", "-C", str(repo), "cat-file", "-p", sha],
                                                           capture_output=True, check=True).stdout
    return found


def test_the_branch_holds_the_blank_edition_and_nothing_of_the_instructors(source, tmp_path):
    target = tmp_path / "edition"
    commit, new = publish_student.publish(source, target, "student", init=True)
    assert new and git(target, "rev-parse", "student") == commit
    paths = git(target, "ls-tree", "-r", "--name-only", "student").splitlines()
    assert {path.split("/")[0] for path in paths} == {"README.md", "binder", "nnlib", "notebooks", "pyproject.toml",
                                                      "requirements.txt"} | ({"LICENSE"} & set(paths))
    notebooks = sorted(path for path in paths if path.startswith("notebooks/"))
    assert notebooks == sorted(f"notebooks/{p.name}" for p in (ROOT / "notebooks").glob("*.ipynb"))
    for where, data in blobs(target).items():
        if where.endswith(".ipynb"):
            text = data.decode("utf-8")
            assert "### BEGIN SOLUTION" not in text, where
            nb = nbformat.reads(text, as_version=4)
            assert all(not cell.get("outputs") for cell in nb.cells if cell.cell_type == "code"), where
    assert git(target, "for-each-ref", "--format=%(refname)") == "refs/heads/student", "one branch, nothing else"


def test_publishing_again_adds_a_commit_only_when_something_changed(source, tmp_path):
    target = tmp_path / "edition"
    first, _ = publish_student.publish(source, target, "student", init=True)
    again, new = publish_student.publish(source, target, "student")
    assert (again, new) == (first, False)
    notebook = source / "notebooks" / "02_data.ipynb"
    before = notebook.read_bytes()
    try:
        nb = nbformat.read(notebook, as_version=4)
        nb.cells[0].source += "\n\nErratum."
        nbformat.write(nb, notebook)
        second, new = publish_student.publish(source, target, "student")
    finally:
        notebook.write_bytes(before)
    assert new and git(target, "rev-parse", f"{second}^") == first, "one commit on top of the last"
    assert "Erratum." in git(target, "show", f"{second}:notebooks/02_data.ipynb")


def test_a_students_clone_takes_the_erratum_and_keeps_its_own_edit(source, tmp_path):
    target = tmp_path / "edition"
    publish_student.publish(source, target, "student", init=True)
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "-b", "student", str(target), str(clone))
    mine = clone / "notebooks" / "03_architecture.ipynb"
    mine.write_text(mine.read_text(encoding="utf-8").replace('"cells": [', '"cells": [\n  ', 1), encoding="utf-8")
    edited = mine.read_text(encoding="utf-8")
    notebook = source / "notebooks" / "02_data.ipynb"
    before = notebook.read_bytes()
    try:
        nb = nbformat.read(notebook, as_version=4)
        nb.cells[0].source += "\n\nErratum."
        nbformat.write(nb, notebook)
        publish_student.publish(source, target, "student")
    finally:
        notebook.write_bytes(before)
    git(clone, "pull", "-q", "--ff-only")
    assert mine.read_text(encoding="utf-8") == edited
    assert "Erratum." in (clone / "notebooks" / "02_data.ipynb").read_text(encoding="utf-8")


def test_the_source_and_a_targets_working_tree_are_never_written(source, tmp_path):
    before = git(source, "status", "--porcelain"), git(source, "rev-parse", "HEAD")
    target = copy_of_series(tmp_path / "checkout")  # a non-bare repository on `main`
    tree_before = git(target, "status", "--porcelain"), git(target, "rev-parse", "HEAD")
    publish_student.publish(source, target, "student")
    assert (git(target, "status", "--porcelain"), git(target, "rev-parse", "HEAD")) == tree_before
    assert git(target, "rev-parse", "--verify", "student")
    assert (git(source, "status", "--porcelain"), git(source, "rev-parse", "HEAD")) == before


def test_the_checked_out_branch_is_refused(source, tmp_path):
    target = copy_of_series(tmp_path / "checkout")
    with pytest.raises(SystemExit, match="checked out"):
        publish_student.publish(source, target, "main")


def test_a_solution_marker_problem_publishes_nothing(source, tmp_path):
    broken = copy_of_series(tmp_path / "broken")
    notebook = broken / "notebooks" / "01_sigmoid.ipynb"
    notebook.write_text(notebook.read_text(encoding="utf-8").replace("### BEGIN SOLUTION", "### begin solution", 1),
                        encoding="utf-8")
    target = tmp_path / "edition"
    with pytest.raises(SystemExit, match="nothing was published"):
        publish_student.publish(broken, target, "student", init=True)
    assert not target.exists()


def test_a_missing_repository_is_made_only_with_init(source, tmp_path):
    with pytest.raises(SystemExit, match="--init"):
        publish_student.publish(source, tmp_path / "nowhere", "student")
    assert not (tmp_path / "nowhere").exists()
