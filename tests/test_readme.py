"""The README stays true: CI runs its test command, and what it lists exists."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def command_after(heading):
    """The first fenced command block after a README heading."""
    section = README.split(heading, 1)[1]
    return re.search(r"```bash\n(.+?)\n```", section, re.S).group(1).strip()


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert command_after("## Set up and test") in ci.splitlines()


def test_setup_commands_share_the_install_step():
    open_command = command_after("## Set up and open")
    test_command = command_after("## Set up and test")
    install = test_command.rsplit("&&", 1)[0]
    assert open_command.startswith(install)
    notebook = open_command.rsplit(" ", 1)[1]
    assert (ROOT / notebook).is_file(), notebook


def test_every_notebook_is_listed_and_every_listed_file_exists():
    linked = set(re.findall(r"\((notebooks/[\w.-]+\.ipynb)\)", README))
    on_disk = {f"notebooks/{path.name}" for path in (ROOT / "notebooks").glob("*.ipynb")}
    assert on_disk, "no notebooks found"
    assert on_disk <= linked, f"not in README: {sorted(on_disk - linked)}"
    for path in linked:
        assert (ROOT / path).is_file(), path


def test_benchmarks_named_in_the_readme_exist():
    for script in re.findall(r"python (benchmarks/\S+\.py)", README):
        assert (ROOT / script).is_file(), script
