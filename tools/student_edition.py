"""Write the student edition of the series: exercises blanked, outputs cleared.

    python tools/student_edition.py notebooks/ student/
    python tools/student_edition.py notebooks/ student/ --force

Every notebook in the source folder is copied to the target folder with:

- the solution in each exercise cell replaced. A solution sits between the
  lines `### BEGIN SOLUTION` and `### END SOLUTION` (each alone on its line,
  indented like the code around it). In its place the student sees
  `# YOUR CODE HERE`, then every name the solution binds in its own scope
  (by `=`, `+=`, `for`, `with ... as`, `:=`, `import`, `def`, `class`, inside
  loops, branches and `try` too) set to `...`, its `global`/`nonlocal` lines,
  and `return ...` if the solution returns. Nothing else of the solution is
  kept. So a blanked exercise yields Ellipsis, and the check cell below it
  answers "Not yet" with a hint; it does not raise. A name the solution only
  imports again (`import numpy as np` when an earlier cell imports it) keeps
  the earlier import rather than becoming `...`.
- every output and execution count cleared, and the saved widget state
  removed, so the student runs the notebook from the top.
- everything else (markdown, checks, slideshow metadata, cell ids) left as
  it is. A cell whose id nbformat would replace by a random one (a repeated
  id, a missing one, a notebook of format 3) gets `cell-<its number>`
  instead, so the same source always gives the same edition.

A line that looks like a marker but is not exactly one (`### begin solution`,
`###BEGIN SOLUTION`, `### BEGIN SOLUTON`, `### END SOLUTION # x`) is an
error, and so is a marker in a markdown or raw cell: the tool only blanks
code cells, so such a solution would reach the students.

The tool checks everything before it writes anything: every source notebook
is read and blanked in memory, every target path inspected. Any problem (an
unreadable or invalid notebook, a marker problem, a target that is a file, a
folder, read-only, or the source folder itself by another path) is reported
one line each, naming the file (and cell), and nothing is written.

The tool never changes the source folder: it refuses a target folder that is
the source or lies inside it, and it writes each notebook to a temporary file
in the target folder and renames it into place, so a symbolic or hard link
in the target is replaced, never written through. A link to a source
notebook is replaced without --force (nothing is lost: the source keeps its
text). Files in the target that are not part of the edition are left alone.

The tool never overwrites a student's work: if the target folder already
holds a notebook that differs from what it would write, it stops, names the
files and writes nothing, unless given --force.
"""

import argparse
import ast
import copy
import functools
import sys
from pathlib import Path

from nnlib.course.exercises.bindings import bindings
from tools import ToolError
from tools.markers import BEGIN, END, PLACEHOLDER, SolutionError, looks_like_marker, marker, marker_problems, split_lines
from tools.notebooks import as_text, read_notebook, source_notebooks
from tools.writing import folder_problems, inspect, source_files, write_all


@functools.lru_cache(maxsize=1)
def ipython_transformer():
    """IPython's own translator of cell source to Python, or None without IPython."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager
    except ImportError:
        return None
    return TransformerManager()


def as_python(source):
    """Cell source as plain Python: IPython's `%magic` and `!shell` lines turned into calls."""
    transformer = ipython_transformer()
    return transformer.transform_cell(source) if transformer else source


def compiles(source):
    """Whether a cell's source compiles as IPython would run it."""
    try:
        compile(as_python(source), "<cell>", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    except (SyntaxError, ValueError):
        return False
    return True


def imported_names(source):
    """Names a cell binds at module level by `import` (and nothing else)."""
    try:
        tree = ast.parse(as_python(source))
    except (SyntaxError, ValueError):
        return set()
    return bindings(tree).only_imported


# Blanking.

def blank_region(lines, indent, where, imported=frozenset()):
    """Replace the solution `lines` (all starting with `indent`) by their placeholder.

    Returns the new lines: `# YOUR CODE HERE`, the region's `global` and
    `nonlocal` lines, `name = ...` for every name the region binds in its
    own scope (first binding order; `_` and names it only imports again that
    are in `imported` left out), then `return ...` if the region returns.
    """
    body = []
    for line in lines:
        if line.strip() and not line.startswith(indent):
            raise SolutionError(f"{where}: a line in the solution is indented less than its "
                                f"`{BEGIN}` marker: {line.strip()!r}")
        body.append(line[len(indent):])
    try:
        tree = ast.parse(as_python("\n".join(body)))
    except (SyntaxError, ValueError) as error:
        detail = f"{error.msg}, line {error.lineno} of the region" if isinstance(error, SyntaxError) else error
        raise SolutionError(f"{where}: the solution is not valid Python on its own ({detail})") from None

    bound = bindings(tree)  # nnlib.course.exercises.bindings: the visitor the checks use too
    if bound.star_import:
        raise SolutionError(f"{where}: the solution does `from {bound.star_import} import *`, so the tool "
                            "cannot tell which names to leave for the checks; import the names one by one")
    names = [name for name in bound.names if name != "_" and not (name in bound.only_imported and name in imported)]

    out = [indent + PLACEHOLDER]
    out += [indent + line for line in bound.declared]
    out += [f"{indent}{name} = ..." for name in names]
    if bound.returns:
        out.append(indent + "return ...")
    if len(out) == 1:
        out.append(indent + "pass")
    return out


def blank_source(source, where="cell", imported=frozenset()):
    """The source of an exercise cell with every solution region blanked.

    Parameters
    ----------
    source : str
        The cell's source.
    where : str
        Where the cell is, for error messages ("01_sigmoid.ipynb, cell 23").
    imported : set of str
        Names earlier cells import; a solution importing them again does not rebind them.
    """
    problems = marker_problems(source, where)
    if problems:
        raise SolutionError(problems)
    lines, endings = split_lines(source)
    out, region = [], None
    for number, (line, ending) in enumerate(zip(lines, endings), start=1):
        kind = marker(line)
        if kind == BEGIN:
            if region is not None:
                raise SolutionError(f"{where}: `{BEGIN}` on line {number} inside another solution")
            region, indent, first_ending = [], line[: len(line) - len(line.lstrip())], ending
        elif kind == END:
            if region is None:
                raise SolutionError(f"{where}: `{END}` on line {number} without `{BEGIN}` before it")
            blanked = blank_region(region, indent, where, imported)
            out += [(text, first_ending) for text in blanked[:-1]] + [(blanked[-1], ending)]
            region = None
        elif region is not None:
            region.append(line)
        else:
            out.append((line, ending))
    if region is not None:
        raise SolutionError(f"{where}: `{BEGIN}` without `{END}`")
    blanked = "".join(line + ending for line, ending in out)
    if blanked != source and compiles(source) and not compiles(blanked):
        raise SolutionError(f"{where}: the cell would not be valid Python once blanked; "
                            "put each solution region around whole statements")
    return blanked


def student_notebook(nb, name="notebook"):
    """A student copy of a notebook node: solutions blanked, outputs cleared.

    Raises SolutionError listing every cell with a marker problem (cells are
    numbered from 1, as they appear from the top).
    """
    nb = copy.deepcopy(nb)
    nb.metadata.pop("widgets", None)
    problems, imported = [], set()
    for index, cell in enumerate(nb.cells):
        where = f"{name}, cell {index + 1}"
        if cell.cell_type != "code":
            problems += [f"{where} ({cell.cell_type}), line {number}: a solution marker outside a code cell "
                         f"({line.strip()!r}); the tool blanks only code cells, so this text would reach "
                         "the students: move the solution into a code cell or remove the marker"
                         for number, line in enumerate(split_lines(cell.source)[0], start=1)
                         if looks_like_marker(line)]
            continue
        try:
            cell.source = blank_source(cell.source, where=where, imported=imported)
        except SolutionError as error:
            problems += error.problems
        imported |= imported_names(cell.source)
        cell.outputs = []
        cell.execution_count = None
        cell.metadata.pop("execution", None)
    if problems:
        raise SolutionError(problems)
    return nb


def plan(source_dir, target_dir):
    """[(target path, text to write)] for every notebook in `source_dir`, made in memory.

    Raises ToolError listing every source notebook that cannot be read
    or blanked (one line each), so nothing is written if any is wrong.
    """
    writes, problems = [], []
    for path in source_notebooks(source_dir):
        try:
            nb = read_notebook(path)
            writes.append((Path(target_dir) / path.name, as_text(student_notebook(nb, str(path)))))
        except ToolError as error:
            problems += error.problems
    if problems:
        raise ToolError(problems)
    return writes


def main(argv=None):
    """Write the student edition (the command line, see the module's docstring); returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("source", type=Path, help="folder of instructor notebooks (read only)")
    parser.add_argument("target", type=Path, help="folder to write the student edition into")
    parser.add_argument("--force", action="store_true",
                        help="replace notebooks in the target folder even if they were edited")
    args = parser.parse_args(argv)

    problems = folder_problems(args.source, args.target)
    try:
        writes = plan(args.source, args.target)
    except ToolError as error:
        problems, writes = problems + error.problems, []

    todo, clashes, notes = [], [], []
    if not problems and args.target.is_dir():
        sources = source_files(args.source)
        for path, text in writes:
            action, note = inspect(path, text, sources)
            if action == "problem":
                problems.append(note)
            elif action == "clash":
                clashes.append(note)
                todo.append((path, text))
            elif action == "write":
                todo.append((path, text))
                if note:
                    notes.append(note)
    elif not problems:
        todo = writes

    if problems:
        for problem in problems:
            print(f"error: {problem}", file=sys.stderr)
        print("Nothing was written.", file=sys.stderr)
        return 1
    if clashes and not args.force:
        print(f"Stopped: {args.target} already holds notebooks that differ from the student "
              "edition, perhaps a student's work. Nothing was written. Differing:", file=sys.stderr)
        for clash in clashes:
            print(f"  {clash}", file=sys.stderr)
        print("Move them somewhere safe, or run again with --force to replace them.", file=sys.stderr)
        return 2

    failures = write_all(args.target, todo)
    if failures:
        for failure in failures:
            print(f"error: {failure}", file=sys.stderr)
        return 1
    for note in notes:
        print(note)
    replaced = f"; {len(clashes)} edited notebooks replaced (--force)" if clashes else ""
    unchanged = len(writes) - len(todo)
    same = f"; {unchanged} already up to date" if unchanged else ""
    print(f"Wrote {len(todo)} notebooks to {args.target}{same}{replaced}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
