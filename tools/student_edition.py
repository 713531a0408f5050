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
import array
import ast
import copy
import functools
import json
import os
import re
import secrets
import stat
import sys
import unicodedata
import warnings
from pathlib import Path

import nbformat

try:
    import fcntl  # Linux and macOS; not on Windows, where no file is immutable in this sense
except ImportError:
    fcntl = None

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
PLACEHOLDER = "# YOUR CODE HERE"


class EditionError(ValueError):
    """Problems found before writing anything, one line each naming the file (and cell).

    Parameters
    ----------
    problems : str or list of str
        One problem, or several.
    """

    def __init__(self, problems):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


class SolutionError(EditionError):
    """A solution region or marker that the tool cannot blank safely."""


# Markers.

EXACT_MARKER = re.compile(r"[ \t]*(### BEGIN SOLUTION|### END SOLUTION)[ \t\f\v]*")
EDGE_WORDS = {"BEGIN", "BEGINS", "BEGINNING", "START", "STARTS", "END", "ENDS", "ENDING", "EDN", "STOP"}
FILLER_WORDS = {"OF", "THE", "A"}
MARKER_GAP = re.compile(r"[^.,;:!?()\[\]{}'\"`]*")  # no sentence punctuation between the words


def marker(line):
    """`BEGIN` or `END` if `line` is exactly a solution marker (indentation and trailing blanks allowed), else None."""
    found = EXACT_MARKER.fullmatch(line)
    return found.group(1) if found else None


def split_lines(source):
    """([lines], [line endings]) of a cell's source, breaking lines where Python does (\\n, \\r\\n, \\r)."""
    parts = re.split(r"(\r\n|\r|\n)", source)
    return parts[0::2], parts[1::2] + [""]


def typo_distance(word, model):
    """Edits (insert, delete, replace, swap two neighbours) between two words."""
    if abs(len(word) - len(model)) > 2:
        return 3  # at least that many: too far to be a typo
    previous, row = None, list(range(len(model) + 1))
    for i, a in enumerate(word, start=1):
        before, row = row, [i] + [0] * len(model)
        for j, b in enumerate(model, start=1):
            row[j] = min(before[j] + 1, row[j - 1] + 1, before[j - 1] + (a != b))
            if previous and i > 1 and j > 1 and a == model[j - 2] and word[i - 2] == b:
                row[j] = min(row[j], previous[j - 2] + 1)
        previous = before
    return row[-1]


@functools.lru_cache(maxsize=4096)
def is_solution_word(word):
    """SOLUTION, SOLUTIONS, SOLN, or a typo of them (SOLUTON, SOULTION)."""
    return word == "SOLN" or min(typo_distance(word, "SOLUTION"), typo_distance(word, "SOLUTIONS")) <= 2


@functools.lru_cache(maxsize=4096)
def is_edge_word(word):
    """BEGIN, END, START, STOP (and a few forms), or a one-letter typo of BEGIN."""
    return word in EDGE_WORDS or typo_distance(word, "BEGIN") <= 1


def is_glued_marker(word):
    """BEGINSOLUTION, ENDSOLUTON, SOLUTIONEND: a marker written as one word."""
    for edge in ("BEGIN", "START", "END", "STOP"):
        if word.startswith(edge) and is_solution_word(word[len(edge):]):
            return True
        if word.endswith(edge) and is_solution_word(word[: -len(edge)]):
            return True
    return False


def looks_like_marker(line):
    """Whether `line` resembles a solution marker (it may also be one exactly).

    A BEGIN/END-like word followed by a SOLUTION-like word, with no sentence
    punctuation (`.,;:!?`, brackets, quotes) between them: `###begin_solution`,
    `### BEGIN SOLUTON`, `x = 1  ### END SOLUTION`; the other way round only
    as the line's first words (`## Solution starts`, not "your solution
    starts"); or both glued into one word (`BEGINSOLUTION`). On
    a comment or heading line (starting with `#`, `//` or `<!--`) the words
    OF, THE and A may stand between them (`# END OF THE SOLUTION`). Prose
    such as "at the end, the solution is" does not match.
    """
    text = unicodedata.normalize("NFKC", line).upper()
    pieces = re.split(r"([A-Z]+)", text)
    words, gaps = pieces[1::2], pieces[2::2]  # gaps[i] follows words[i]
    if any(is_glued_marker(word) for word in words):
        return True
    kinds = ["edge" if is_edge_word(word) else "solution" if is_solution_word(word) else None for word in words]
    fillers = FILLER_WORDS if text.lstrip().startswith(("#", "//", "<!--")) else set()
    for i, kind in enumerate(kinds):
        if kind is None or (kind == "solution" and i > 0):  # "your solution starts" is prose
            continue
        j = i
        while j + 1 < len(words) and MARKER_GAP.fullmatch(gaps[j]):
            j += 1
            if kinds[j] not in (None, kind):
                return True
            if words[j] not in fillers:
                break
    return False


def marker_problems(source, where):
    """One problem for every line of `source` that looks like a marker but is not exactly one."""
    lines, _ = split_lines(source)
    return [f"{where}, line {number}: {line.strip()!r} looks like a solution marker but is not exactly "
            f"`{BEGIN}` or `{END}` alone on its line; write the marker exactly (or reword the line)"
            for number, line in enumerate(lines, start=1)
            if marker(line) is None and looks_like_marker(line)]


# What a solution binds.

class Bindings(ast.NodeVisitor):
    """What the statements of one scope bind: visit them, then read the attributes.

    Attributes
    ----------
    names : list of str
        Every name bound in the scope, in order of first binding.
    only_imported : set of str
        Names bound by nothing but an `import`.
    declared : list of str
        `global ...` and `nonlocal ...` lines, as written.
    returns : bool
        Whether the scope returns (or yields).
    """

    def __init__(self):
        self.names, self.only_imported, self.declared, self.returns = [], set(), [], False
        self.star_import = None

    def bind(self, name, by_import=False):
        if name not in self.names:
            self.names.append(name)
            if by_import:
                self.only_imported.add(name)
        elif not by_import:
            self.only_imported.discard(name)

    def bind_target(self, node):
        """`a`, `a, *b`, `[a, b]` bind names; `x[i]` and `x.a` bind none (but may hold a `:=`)."""
        if isinstance(node, ast.Name):
            self.bind(node.id)
        elif isinstance(node, (ast.Tuple, ast.List)):
            for element in node.elts:
                self.bind_target(element)
        elif isinstance(node, ast.Starred):
            self.bind_target(node.value)
        else:
            self.visit(node)

    def visit_Assign(self, node):
        for target in node.targets:
            self.bind_target(target)
        self.visit(node.value)

    def visit_AugAssign(self, node):
        self.bind_target(node.target)
        self.visit(node.value)

    def visit_AnnAssign(self, node):
        if node.value is not None:
            self.bind_target(node.target)
            self.visit(node.value)

    def visit_NamedExpr(self, node):
        self.bind_target(node.target)
        self.visit(node.value)

    def visit_For(self, node):
        self.bind_target(node.target)
        for child in [node.iter, *node.body, *node.orelse]:
            self.visit(child)

    visit_AsyncFor = visit_For

    def visit_With(self, node):
        for item in node.items:
            self.visit(item.context_expr)
            if item.optional_vars is not None:
                self.bind_target(item.optional_vars)
        for child in node.body:
            self.visit(child)

    visit_AsyncWith = visit_With

    def visit_Import(self, node):
        for alias in node.names:
            self.bind(alias.asname or alias.name.partition(".")[0], by_import=True)

    def visit_ImportFrom(self, node):
        for alias in node.names:
            if alias.name == "*":
                self.star_import = node.module or "."
            else:
                self.bind(alias.asname or alias.name, by_import=True)

    def visit_FunctionDef(self, node):
        """The name is bound here; the body is another scope (only defaults and decorators run here)."""
        self.bind(node.name)
        for child in [*node.decorator_list, node.args]:
            self.visit(child)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node):
        self.bind(node.name)
        for child in [*node.decorator_list, *node.bases, *node.keywords]:
            self.visit(child)

    def visit_Lambda(self, node):
        self.visit(node.args)

    def visit_Global(self, node):
        self.declared.append("global " + ", ".join(node.names))

    def visit_Nonlocal(self, node):
        self.declared.append("nonlocal " + ", ".join(node.names))

    def visit_Return(self, node):
        self.returns = True
        self.generic_visit(node)

    visit_Yield = visit_YieldFrom = visit_Return

    def visit_MatchAs(self, node):
        if node.name:
            self.bind(node.name)
        self.generic_visit(node)

    def visit_MatchStar(self, node):
        if node.name:
            self.bind(node.name)

    def visit_MatchMapping(self, node):
        if node.rest:
            self.bind(node.rest)
        self.generic_visit(node)

    def visit_TypeAlias(self, node):
        self.bind(node.name.id)


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
    bindings = Bindings()
    for statement in tree.body:
        bindings.visit(statement)
    return bindings.only_imported


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

    bindings = Bindings()
    for statement in tree.body:
        bindings.visit(statement)
    if bindings.star_import:
        raise SolutionError(f"{where}: the solution does `from {bindings.star_import} import *`, so the tool "
                            "cannot tell which names to leave for the checks; import the names one by one")
    names = [name for name in bindings.names
             if name != "_" and not (name in bindings.only_imported and name in imported)]

    out = [indent + PLACEHOLDER]
    out += [indent + line for line in bindings.declared]
    out += [f"{indent}{name} = ..." for name in names]
    if bindings.returns:
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


def is_exercise(cell):
    """Whether a cell holds a solution region."""
    return cell.cell_type == "code" and any(marker(line) == BEGIN for line in split_lines(cell.source)[0])


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


def as_text(nb):
    """The notebook as the tool writes it."""
    return nbformat.writes(nb) + "\n"


# Reading the source.

def describe_kind(mode):
    """'a folder', 'a pipe', ... for a file that is not a regular file."""
    for test, kind in [(stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a pipe"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device")]:
        if test(mode):
            return kind
    return "not a regular file"


def first_line(error):
    """The first line of an exception's message (nbformat's can run to pages)."""
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def read_notebook(path):
    """The notebook at `path` (version 4), or EditionError saying why it cannot be read."""
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            raise EditionError(f"{path}: a symbolic link to {os.readlink(path)}, which does not exist") from None
        raise EditionError(f"{path}: does not exist") from None
    except OSError as error:
        raise EditionError(f"{path}: cannot be read ({error.strerror})") from None
    if not stat.S_ISREG(info.st_mode):
        raise EditionError(f"{path}: is {describe_kind(info.st_mode)}, not a notebook")
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as error:
        raise EditionError(f"{path}: cannot be read ({error.strerror})") from None
    except UnicodeDecodeError:
        raise EditionError(f"{path}: is not UTF-8 text, so not a notebook") from None
    invalid = {}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            nb = nbformat.reads(text, as_version=4, capture_validation_error=invalid)
    except Exception as error:  # nbformat raises many kinds for a file that is not a notebook
        raise EditionError(f"{path}: is not a notebook ({first_line(error)})") from None
    if invalid:
        raise EditionError(f"{path}: is not a valid notebook ({first_line(invalid['ValidationError'])})")
    return stable_ids(nb, text)


CELL_ID = re.compile(r"[a-zA-Z0-9_-]{1,64}")  # what nbformat 4.5 allows as a cell id


def written_ids(text, count):
    """The `id` of each of `count` cells as the file writes it (None where it has none or is not read)."""
    try:
        cells = json.loads(text).get("cells")
    except (ValueError, AttributeError):
        cells = None
    if not isinstance(cells, list) or len(cells) != count:  # nbformat 3: worksheets, no ids
        return [None] * count
    return [cell.get("id") if isinstance(cell, dict) else None for cell in cells]


def stable_ids(nb, text):
    """Give every cell of `nb`, read from `text`, an id that depends on the file alone.

    nbformat invents a random id for a cell that repeats an earlier cell's
    id, has none, or comes from format 3, so each run would write another
    edition and then take its own last one for a student's work. Each cell
    keeps the id the file gives it when that id is valid and not taken by
    an earlier cell; any other cell gets `cell-<its number>`. Notebooks of
    format 4.0 to 4.4 have no ids and keep none.
    """
    if (nb.nbformat, nb.nbformat_minor) < (4, 5):
        return nb
    chosen, taken = [], set()
    for written in written_ids(text, len(nb.cells)):
        valid = isinstance(written, str) and CELL_ID.fullmatch(written) and written not in taken
        chosen.append(written if valid else None)
        taken.add(written if valid else None)
    for index, cell_id in enumerate(chosen):
        if cell_id is None:
            candidate, suffix = f"cell-{index + 1}", 1
            while candidate in taken:
                suffix += 1
                candidate = f"cell-{index + 1}-{suffix}"
            taken.add(candidate)
            chosen[index] = candidate
    for cell, cell_id in zip(nb.cells, chosen):
        cell.id = cell_id
    return nb


def source_notebooks(source_dir):
    """The `*.ipynb` entries of the source folder, sorted (EditionError if none or no folder)."""
    source_dir = Path(source_dir)
    if not source_dir.is_dir():
        reason = "does not exist" if not os.path.lexists(source_dir) else "is not a folder"
        raise EditionError(f"{source_dir}: the source folder {reason}")
    notebooks = sorted(source_dir.glob("*.ipynb"))
    if not notebooks:
        raise EditionError(f"{source_dir}: no notebooks (*.ipynb) in the source folder")
    return notebooks


def plan(source_dir, target_dir):
    """[(target path, text to write)] for every notebook in `source_dir`, made in memory.

    Raises EditionError listing every source notebook that cannot be read
    or blanked (one line each), so nothing is written if any is wrong.
    """
    writes, problems = [], []
    for path in source_notebooks(source_dir):
        try:
            nb = read_notebook(path)
            writes.append((Path(target_dir) / path.name, as_text(student_notebook(nb, str(path)))))
        except EditionError as error:
            problems += error.problems
    if problems:
        raise EditionError(problems)
    return writes


# Inspecting the target.

FS_IOC_GETFLAGS, IMMUTABLE, APPEND_ONLY = 0x80086601, 0x10, 0x20


def locked(path):
    """Whether Linux marks `path` immutable or append-only (`chattr +i`/`+a`): it cannot be replaced."""
    if fcntl is None:
        return False
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return False
    try:
        flags = array.array("l", [0])
        fcntl.ioctl(descriptor, FS_IOC_GETFLAGS, flags, True)
        return bool(flags[0] & (IMMUTABLE | APPEND_ONLY))
    except OSError:  # a file system (or system) without these flags
        return False
    finally:
        os.close(descriptor)


def writable_folder(folder):
    """None if new files can be made and renamed in `folder`, else the reason."""
    if not os.access(folder, os.W_OK | os.X_OK):
        return "is not writable"
    if locked(os.path.realpath(folder)):
        return "is immutable or append-only (chattr)"
    return None


def folder_problems(source_dir, target_dir):
    """Why the target folder cannot receive the edition (it is the source, inside it, a file...)."""
    source_dir, target_dir = Path(source_dir), Path(target_dir)
    try:
        source = os.stat(source_dir)
    except OSError:
        return []  # reported with the source notebooks
    real = Path(os.path.realpath(target_dir))
    for folder in [real, *real.parents]:
        try:
            if os.path.samestat(os.stat(folder), source):
                where = "is the source folder" if folder == real else "is inside the source folder"
                path = "" if target_dir.absolute() == source_dir.absolute() else f" (it leads to {real})"
                return [f"{target_dir}: the target folder {where} {source_dir}{path}; "
                        "it must differ from the source folder and lie outside it"]
        except OSError:
            continue
    if os.path.lexists(target_dir):
        if target_dir.is_symlink() and not target_dir.exists():
            return [f"{target_dir}: the target folder is a symbolic link to {os.readlink(target_dir)}, "
                    "which does not exist"]
        if not target_dir.is_dir():
            return [f"{target_dir}: the target is a file, not a folder"]
        reason = writable_folder(target_dir)
        return [f"{target_dir}: the target folder {reason}"] if reason else []
    existing = target_dir.absolute()
    while not os.path.lexists(existing):
        existing = existing.parent
    if not existing.is_dir():
        kind = "a symbolic link to nothing" if existing.is_symlink() and not existing.exists() else "a file"
        return [f"{target_dir}: cannot create the target folder: {existing} is {kind}, not a folder"]
    reason = writable_folder(existing)
    return [f"{target_dir}: cannot create the target folder: {existing} {reason}"] if reason else []


def source_files(source_dir):
    """{(device, inode): path} of every file in the source folder (links followed)."""
    found = {}
    for entry in os.scandir(source_dir):
        try:
            info = os.stat(entry.path)
        except OSError:
            continue
        found[(info.st_dev, info.st_ino)] = Path(entry.path)
    return found


def same_notebook(text_a, text_b):
    """Whether two texts hold the same notebook (formatting aside)."""
    try:
        return nbformat.reads(text_a, as_version=4) == nbformat.reads(text_b, as_version=4)
    except Exception:  # not a readable notebook: certainly not the same
        return False


def inspect(target, text, sources):
    """What to do with one target path: ("skip" | "write" | "clash" | "problem", note).

    "write" replaces whatever is there by renaming a new file onto it; a
    "clash" is a file with other content (perhaps a student's work) that only
    --force may replace; "problem" cannot be written at all.
    """
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        return "write", None
    except OSError as error:
        return "problem", f"{target}: cannot be inspected ({error.strerror})"
    if stat.S_ISLNK(info.st_mode):
        link = os.readlink(target)
        try:
            pointed = os.stat(target)
        except OSError:
            return "clash", f"{target} (a symbolic link to {link}, which does not exist)"
        source = sources.get((pointed.st_dev, pointed.st_ino))
        if source is not None:
            return "write", f"{target}: was a symbolic link to {source} in the source folder; " \
                            "replaced by the student copy, the source notebook untouched"
        if stat.S_ISREG(pointed.st_mode) and same_notebook(Path(target).read_text("utf-8", "replace"), text):
            return "write", f"{target}: was a symbolic link to {link}; replaced by the student copy, {link} untouched"
        return "clash", f"{target} (a symbolic link to {link}: --force replaces the link, never what it points to)"
    if not stat.S_ISREG(info.st_mode):
        return "problem", f"{target}: is {describe_kind(info.st_mode)}, not a notebook; move it away"
    if not os.access(target, os.W_OK) or locked(target):
        return "problem", f"{target}: is read-only or immutable, so it cannot be replaced"
    source = sources.get((info.st_dev, info.st_ino))
    if source is not None:
        return "write", f"{target}: was a hard link to {source} in the source folder; " \
                        "replaced by the student copy, the source notebook untouched"
    try:
        current = Path(target).read_bytes()
    except OSError as error:
        return "problem", f"{target}: cannot be read ({error.strerror})"
    if current == text.encode("utf-8"):
        return "skip", None
    if same_notebook(current.decode("utf-8", errors="replace"), text):
        return "write", None
    return "clash", str(target)


# Writing.

def write_temporary(final, text):
    """Write `text` to a new hidden file beside `final` (never following a link); return its path."""
    for _ in range(100):
        temporary = final.parent / f".{final.name}.{secrets.token_hex(4)}.tmp"
        try:
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)
        except FileExistsError:
            continue
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
        return temporary
    raise FileExistsError(f"no free temporary name beside {final}")


def make_folder(folder):
    """Create `folder` and missing parents; return the ones created, deepest first."""
    created, folder = [], Path(folder).absolute()
    while not os.path.lexists(folder):
        created.append(folder)
        folder = folder.parent
    for path in reversed(created):
        path.mkdir()
    return created


def write_all(target_dir, paths_and_texts):
    """Write every (path, text) atomically; return the error lines (empty if all were written).

    All the new files are first written beside their targets; only if every
    one of them was written are they renamed into place. A failure before
    that point removes them (and any folder made), so nothing has changed.
    """
    created, temporaries, current = [], [], target_dir
    try:
        created = make_folder(target_dir)
        for current, text in paths_and_texts:
            temporaries.append((write_temporary(current, text), current))
    except OSError as error:
        for temporary, _ in temporaries:
            temporary.unlink(missing_ok=True)
        for folder in created:
            try:
                folder.rmdir()
            except OSError:
                pass
        return [f"{current}: cannot be written ({error.strerror or error}); nothing was written"]
    written, problems = [], []
    for temporary, path in temporaries:
        try:
            os.replace(temporary, path)
            written.append(path)
        except OSError as error:
            temporary.unlink(missing_ok=True)
            problems.append(f"{path}: cannot be replaced ({error.strerror}); it was not written")
    if problems and written:
        problems.append("written anyway: " + ", ".join(str(path) for path in written))
    return problems


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("source", type=Path, help="folder of instructor notebooks (read only)")
    parser.add_argument("target", type=Path, help="folder to write the student edition into")
    parser.add_argument("--force", action="store_true",
                        help="replace notebooks in the target folder even if they were edited")
    args = parser.parse_args(argv)

    problems = folder_problems(args.source, args.target)
    try:
        writes = plan(args.source, args.target)
    except EditionError as error:
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
