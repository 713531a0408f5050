"""Solution markers: the lines `### BEGIN SOLUTION` and `### END SOLUTION`, and lines that only look like them.

A solution sits between the two markers, each alone on its line (indented
like the code around it). A line that looks like a marker but is not
exactly one (`### begin solution`, `###BEGIN SOLUTION`, `### BEGIN SOLUTON`,
`### END SOLUTION # x`) is an error for every tool that blanks solutions
(the student edition, the nbgrader course, the decks and the website), since
such a solution would reach the students.
"""

import functools
import re
import unicodedata

from tools import ToolError

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
PLACEHOLDER = "# YOUR CODE HERE"


class SolutionError(ToolError):
    """A solution region or marker that the tool cannot blank safely."""


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


def is_exercise(cell):
    """Whether a cell holds a solution region."""
    return cell.cell_type == "code" and any(marker(line) == BEGIN for line in split_lines(cell.source)[0])
