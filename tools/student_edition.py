"""Write the student edition of the series: exercises blanked, outputs cleared.

    python tools/student_edition.py notebooks/ student/
    python tools/student_edition.py notebooks/ student/ --force

Every notebook in the source folder is copied to the target folder with:

- the solution in each exercise cell replaced. A solution sits between the
  lines `### BEGIN SOLUTION` and `### END SOLUTION`. In its place the student
  sees `# YOUR CODE HERE`, then every name the solution assigns (at the
  region's own indentation) assigned `...`, and `return ...` if the solution
  returns. Anything else in the region is dropped. So a blanked exercise
  yields Ellipsis, and the check cell below it answers "Not yet" with a hint;
  it does not raise.
- every output and execution count cleared, and the saved widget state
  removed, so the student runs the notebook from the top.
- everything else (markdown, checks, slideshow metadata) left as it is.

The tool never overwrites a student's work: if the target folder already
holds a notebook that differs from what it would write, it stops, names the
files and writes nothing, unless given --force. The source folder is only
read.
"""

import argparse
import ast
import copy
import sys
from pathlib import Path

import nbformat

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
PLACEHOLDER = "# YOUR CODE HERE"


class SolutionError(ValueError):
    """A solution region that the tool cannot blank safely."""


def blank_region(lines, indent, where):
    """Replace the solution `lines` (all starting with `indent`) by their placeholder.

    Returns the new lines: `# YOUR CODE HERE`, then `name = ...` for every
    name assigned at the region's own indentation (first assignment order),
    then `return ...` if the region returns there.
    """
    body = []
    for line in lines:
        if line.strip() and not line.startswith(indent):
            raise SolutionError(f"{where}: a line in the solution is indented less than its "
                                f"`{BEGIN}` marker: {line.strip()!r}")
        body.append(line[len(indent):])
    try:
        tree = ast.parse("\n".join(body))
    except SyntaxError as error:
        raise SolutionError(f"{where}: the solution is not valid Python on its own "
                            f"({error.msg}, line {error.lineno} of the region)") from None

    names, returns = [], False
    for statement in tree.body:
        if isinstance(statement, ast.Return):
            returns = True
        for target in assigned_targets(statement):
            if target not in names:
                names.append(target)

    out = [indent + PLACEHOLDER]
    out += [f"{indent}{name} = ..." for name in names]
    if returns:
        out.append(indent + "return ...")
    if not names and not returns:
        out.append(indent + "pass")
    return out


def assigned_targets(statement):
    """Names a top-level statement assigns: `a = ...`, `a, b = ...`, `a: int = ...`."""
    if isinstance(statement, ast.Assign):
        targets = statement.targets
    elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
        targets = [statement.target]
    else:
        return []
    names = []
    for target in targets:
        parts = target.elts if isinstance(target, (ast.Tuple, ast.List)) else [target]
        names += [part.id for part in parts if isinstance(part, ast.Name)]
    return names


def blank_source(source, where="cell"):
    """The source of an exercise cell with every solution region blanked."""
    lines = source.split("\n")
    out, region, indent = [], None, ""
    for number, line in enumerate(lines, start=1):
        marker = line.strip()
        if marker == BEGIN:
            if region is not None:
                raise SolutionError(f"{where}: `{BEGIN}` on line {number} inside another solution")
            region, indent = [], line[: len(line) - len(line.lstrip())]
        elif marker == END:
            if region is None:
                raise SolutionError(f"{where}: `{END}` on line {number} without `{BEGIN}` before it")
            out += blank_region(region, indent, where)
            region = None
        elif region is not None:
            region.append(line)
        else:
            out.append(line)
    if region is not None:
        raise SolutionError(f"{where}: `{BEGIN}` without `{END}`")
    return "\n".join(out)


def is_exercise(cell):
    """Whether a cell holds a solution region."""
    return cell.cell_type == "code" and any(line.strip() == BEGIN for line in cell.source.split("\n"))


def student_notebook(nb, name="notebook"):
    """A student copy of a notebook node: solutions blanked, outputs cleared."""
    nb = copy.deepcopy(nb)
    nb.metadata.pop("widgets", None)
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            if is_exercise(cell):
                cell.source = blank_source(cell.source, where=f"{name}, cell {index}")
            cell.outputs = []
            cell.execution_count = None
            cell.metadata.pop("execution", None)
    return nb


def as_text(nb):
    """The notebook as the tool writes it."""
    return nbformat.writes(nb) + "\n"


def plan(source_dir, target_dir):
    """[(target path, text to write)] for every notebook in `source_dir`."""
    notebooks = sorted(Path(source_dir).glob("*.ipynb"))
    if not notebooks:
        raise SystemExit(f"error: no notebooks (*.ipynb) in {source_dir}")
    writes = []
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        writes.append((Path(target_dir) / path.name, as_text(student_notebook(nb, path.name))))
    return writes


def conflicts(writes):
    """Target notebooks that exist and hold something other than what would be written."""
    clashes = []
    for target, text in writes:
        if not target.exists():
            continue
        try:
            same = nbformat.reads(target.read_text(encoding="utf-8"), as_version=4) == nbformat.reads(text, as_version=4)
        except Exception:  # not a readable notebook: certainly not ours to replace
            same = False
        if not same:
            clashes.append(target)
    return clashes


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("source", type=Path, help="folder of instructor notebooks (read only)")
    parser.add_argument("target", type=Path, help="folder to write the student edition into")
    parser.add_argument("--force", action="store_true",
                        help="replace notebooks in the target folder even if they were edited")
    args = parser.parse_args(argv)

    if args.source.resolve() == args.target.resolve():
        parser.error("the target folder must differ from the source folder")
    try:
        writes = plan(args.source, args.target)
    except SolutionError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1

    clashes = conflicts(writes)
    if clashes and not args.force:
        print(f"Stopped: {args.target} already holds notebooks that differ from the student "
              "edition, perhaps a student's work. Nothing was written. Differing:", file=sys.stderr)
        for path in clashes:
            print(f"  {path}", file=sys.stderr)
        print("Move them somewhere safe, or run again with --force to replace them.", file=sys.stderr)
        return 2

    args.target.mkdir(parents=True, exist_ok=True)
    for target, text in writes:
        target.write_text(text, encoding="utf-8")
    replaced = f" ({len(clashes)} edited notebooks replaced: --force)" if clashes else ""
    print(f"Wrote {len(writes)} notebooks to {args.target}{replaced}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
