"""The series' notebooks as the tools read them: checked, with cell ids that depend on the file alone.

`read_notebook` reads one notebook (version 4) or raises a `ToolError`
saying why it cannot: not there, not a file, not UTF-8, not a notebook, not
valid. Each cell keeps the id its file gives it when that id is valid and
not repeated; any other cell gets `cell-<its number>`, so the same file
always reads the same (nbformat would invent random ids). The student
edition, the nbgrader course, the decks, the website and the grader read
the series' notebooks through it.
"""

import json
import os
import re
import stat
import warnings
from pathlib import Path

import nbformat

from tools import ToolError


def as_text(nb):
    """The notebook as the tools write it."""
    return nbformat.writes(nb) + "\n"


def same_notebook(text_a, text_b):
    """Whether two texts hold the same notebook (formatting aside)."""
    try:
        return nbformat.reads(text_a, as_version=4) == nbformat.reads(text_b, as_version=4)
    except Exception:  # not a readable notebook: certainly not the same
        return False


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
    """The notebook at `path` (version 4), or ToolError saying why it cannot be read."""
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            raise ToolError(f"{path}: a symbolic link to {os.readlink(path)}, which does not exist") from None
        raise ToolError(f"{path}: does not exist") from None
    except OSError as error:
        raise ToolError(f"{path}: cannot be read ({error.strerror})") from None
    if not stat.S_ISREG(info.st_mode):
        raise ToolError(f"{path}: is {describe_kind(info.st_mode)}, not a notebook")
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as error:
        raise ToolError(f"{path}: cannot be read ({error.strerror})") from None
    except UnicodeDecodeError:
        raise ToolError(f"{path}: is not UTF-8 text, so not a notebook") from None
    invalid = {}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            nb = nbformat.reads(text, as_version=4, capture_validation_error=invalid)
    except Exception as error:  # nbformat raises many kinds for a file that is not a notebook
        raise ToolError(f"{path}: is not a notebook ({first_line(error)})") from None
    if invalid:
        raise ToolError(f"{path}: is not a valid notebook ({first_line(invalid['ValidationError'])})")
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
    """The `*.ipynb` entries of the source folder, sorted (ToolError if none or no folder)."""
    source_dir = Path(source_dir)
    if not source_dir.is_dir():
        reason = "does not exist" if not os.path.lexists(source_dir) else "is not a folder"
        raise ToolError(f"{source_dir}: the source folder {reason}")
    notebooks = sorted(source_dir.glob("*.ipynb"))
    if not notebooks:
        raise ToolError(f"{source_dir}: no notebooks (*.ipynb) in the source folder")
    return notebooks
