"""nnlib's modules form layers that only point down, read from their import statements.

The graph is built from the source with `ast`, every `import` counted,
those inside functions too (an import inside a function is how a cycle
hides). The layers, from the bottom:

    nnlib._validate        the argument checks: they know nothing else of nnlib
    nnlib.*                the lesson: never the course's machinery
    nnlib.course.*         what the notebooks, the checks and the dashboard share
    nnlib.course.exercises the exercise engine     } neither imports the other
    nnlib.course.dashboard the live dashboard      }

and nothing in nnlib imports `tools` (the student edition holds nnlib but not tools/).
"""

import ast
import subprocess
import sys

import pytest

from tests.helpers import ROOT

NNLIB = ROOT / "nnlib"


def module_name(path):
    """nnlib.course.plots for nnlib/course/plots.py; nnlib.course for nnlib/course/__init__.py."""
    parts = path.relative_to(NNLIB.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(NNLIB.rglob("*.py"))}


def imported(name, path):
    """Every module `name` (at `path`) imports, anywhere in its source, as dotted names."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:  # `from . import _validate` imports a module, `from .x import f` a name
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base)
    return found


GRAPH = {name: {target for target in imported(name, path) if target in MODULES or target.split(".")[0] == "tools"}
         for name, path in MODULES.items()}


def cycle(graph):
    """One import cycle of `graph` as a list of modules, or None."""
    state = {}

    def visit(node, trail):
        state[node] = "open"
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "open":
                return trail[trail.index(target):] + [target]
            if target not in state:
                found = visit(target, trail + [target])
                if found:
                    return found
        state[node] = "done"
        return None

    for start in sorted(graph):
        if start not in state:
            found = visit(start, [start])
            if found:
                return found
    return None


def test_the_graph_is_read_from_every_module():
    assert {"nnlib", "nnlib._validate", "nnlib.losses", "nnlib.course.sweep"} <= set(GRAPH)
    assert "nnlib._validate" in GRAPH["nnlib.network"]
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle({"a": {"b"}, "b": set()}) is None


def test_nnlib_has_no_import_cycle():
    assert cycle(GRAPH) is None


def test_the_argument_checks_import_nothing_of_nnlib():
    assert GRAPH["nnlib._validate"] == set()


def test_the_lesson_never_imports_the_course():
    lesson = [name for name in GRAPH if not name.startswith("nnlib.course")]
    for name in lesson:
        assert not [target for target in GRAPH[name] if target.startswith("nnlib.course")], name


@pytest.mark.parametrize("part, other", [("nnlib.course.exercises", "nnlib.course.dashboard"),
                                         ("nnlib.course.dashboard", "nnlib.course.exercises")])
def test_the_exercises_and_the_dashboard_do_not_import_each_other(part, other):
    members = [name for name in GRAPH if name == part or name.startswith(part + ".")]
    assert members, part
    for name in members:
        assert not [target for target in GRAPH[name] if target == other or target.startswith(other + ".")], name


def test_what_the_course_shares_imports_neither_the_exercises_nor_the_dashboard():
    shared = [name for name in GRAPH if name.startswith("nnlib.course.") and name.count(".") == 2
              and name not in ("nnlib.course.exercises", "nnlib.course.dashboard", "nnlib.course.checks")]
    assert "nnlib.course.plots" in shared
    for name in shared:
        assert not [target for target in GRAPH[name]
                    if target.startswith(("nnlib.course.exercises", "nnlib.course.dashboard"))], name


def test_the_exercise_engine_does_not_check_arguments_the_lessons_way():
    """A check never raises because of an answer: nnlib._validate raises, so no check calls it."""
    engine = [name for name in GRAPH if name.startswith("nnlib.course.exercises")]
    assert not [name for name in engine if "nnlib._validate" in GRAPH[name]]


def test_nothing_in_nnlib_imports_the_check_cells_entry_point():
    """nnlib.course.checks is the top: what a check cell imports, importing the engine, imported by nothing here."""
    assert not [name for name, targets in GRAPH.items() if "nnlib.course.checks" in targets]


def test_nothing_in_nnlib_imports_tools():
    assert not [name for name, targets in GRAPH.items() if any(t.split(".")[0] == "tools" for t in targets)]


def test_import_nnlib_loads_neither_matplotlib_nor_ipywidgets():
    loaded = subprocess.run([sys.executable, "-c", "import sys, nnlib; print(sorted(sys.modules))"],
                            capture_output=True, text=True, check=True, cwd=NNLIB.parent).stdout.split()
    assert "'nnlib'," in loaded  # what was imported is what this reads
    assert not [name for name in loaded if name.strip("',[]").split(".")[0] in ("matplotlib", "ipywidgets")]
