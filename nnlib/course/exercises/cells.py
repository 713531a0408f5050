"""Which of a notebook's answers are stale: set by a cell that raised an error.

When an answer cell raises (a SyntaxError, a ValueError halfway through),
its name keeps the value an earlier run gave it, and a check would grade that
older answer, even say "✅ Correct" to it. In a notebook (an IPython kernel),
importing the checks starts a `CellWatcher`: after every cell it notes the
names that a failed cell would have set, and forgets them when a later cell
that sets them runs without error. A check then asks `stale_argument` whether
one of the names it was called with is among them, or `stale_name` whether
one of the answers its exercise reads is (`checks.check("sigmoid")`).

Outside IPython (plain Python, pytest) nothing is watched and nothing is stale.
"""

import ast
import re
import sys

from .bindings import bindings

# Top-level `def name`, `class name` and `name = ...` (also `a, b = ...`), for cells that do not parse.
DEFINITIONS = re.compile(r"^(?:async\s+def|def|class)\s+(\w+)|^(\w+(?:\s*,\s*\w+)*)\s*(?::[^=\n]*)?=(?!=)", re.M)


def bound_names(source):
    """The names a cell's code sets (or deletes) at top level (`bindings.Bindings`); by pattern if it does not parse."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return {name.strip() for found in DEFINITIONS.findall(source) for group in found if group
                for name in group.split(",")}
    found = bindings(tree)
    return {*found.names, *found.deleted}


def argument_names(source, function):
    """Names read in the arguments of each call to `function` in the code (not inside lambdas)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return set()
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == function:
            for argument in [*node.args, *(keyword.value for keyword in node.keywords)]:
                names |= _reads(argument)
    return names


def _reads(node):
    """Names read in an expression, outside the lambdas and comprehensions in it."""
    if isinstance(node, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
        return set()
    if isinstance(node, ast.Name):
        return {node.id} if isinstance(node.ctx, ast.Load) else set()
    return set().union(*(_reads(child) for child in ast.iter_child_nodes(node)))


class CellWatcher:
    """Remembers the names that cells which raised would have set.

    Register `pre_run_cell` and `post_run_cell` as IPython's callbacks of
    those names; `stale` maps each such name to what its cell raised.
    """

    def __init__(self, to_python=lambda source: source):
        self.to_python = to_python  # IPython's own: turns %magics into Python
        self.stale = {}
        self.cell = ""

    def code(self, source):
        """A cell's source as Python, or as it is if it cannot be translated."""
        try:
            return self.to_python(source)
        except Exception:
            return source

    def pre_run_cell(self, info):
        """Note the cell about to run: the check inside it reads its arguments from it."""
        self.cell = getattr(info, "raw_cell", "") or ""

    def post_run_cell(self, result):
        """After a cell: its names are stale if it raised, fresh if it did not."""
        try:
            error = result.error_before_exec or result.error_in_exec
            names = bound_names(self.code(result.info.raw_cell or ""))
        except Exception:  # a callback that raises would print a traceback after every cell
            return
        for name in names:
            if error is None:
                self.stale.pop(name, None)
            else:
                self.stale[name] = type(error).__name__

    def stale_argument(self, function):
        """(name, error) for a stale name among the arguments of `function` in the running cell, or None."""
        return self.stale_among(sorted(argument_names(self.code(self.cell), function)))

    def stale_among(self, names):
        """(name, error) for the first of `names` that is stale, or None.

        A name the running cell sets itself, before its check runs, is fresh.
        """
        fresh = bound_names(self.code(self.cell))
        for name in names:
            if name in self.stale and name not in fresh:
                return name, self.stale[name]
        return None


def watch():
    """Start the kernel's CellWatcher (once per kernel) and return it; None outside IPython."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython else None
    if shell is None:
        return None
    for callback in shell.events.callbacks.get("post_run_cell", []):
        if type(getattr(callback, "__self__", None)).__name__ == "CellWatcher":
            return callback.__self__  # registered by an earlier import of this module
    watcher = CellWatcher(shell.transform_cell)
    shell.events.register("pre_run_cell", watcher.pre_run_cell)
    shell.events.register("post_run_cell", watcher.post_run_cell)
    return watcher


WATCHER = None  # set by `start`, replaced by tests


def start():
    """Watch the cells if this runs in a notebook: called when the checks are imported."""
    global WATCHER
    WATCHER = watch()


def stale_argument(function):
    """(name, error) if `function` was called with an answer from a cell that raised, else None."""
    try:
        return WATCHER.stale_argument(function) if WATCHER is not None else None
    except Exception:  # never let the watcher stop a check
        return None


def stale_name(names):
    """(name, error) if one of `names` (the answers an exercise reads) was left by a cell that raised, else None."""
    try:
        return WATCHER.stale_among(names) if WATCHER is not None else None
    except Exception:  # never let the watcher stop a check
        return None
