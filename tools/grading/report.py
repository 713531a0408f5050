"""The grading report: the class's table, every message, an LMS import, a page per student.

    grades.csv      one row per student, one column per exercise (its status), points and total
    details.csv     one row per student and exercise, with the check's message
    lms.csv         student id, total, one column per exercise (points earned): what a
                    learning-management system's grade import reads
    grades.html     the table to read, each message under its cell's symbol
    feedback/<student>.html   one student's results and messages, to hand to that student

Student names are shown as text: HTML-escaped, and control characters (an
escape sequence in a folder's name) written as visible escapes, so neither a
page nor a terminal can be made to run or hide anything.
"""

import csv
import html
import io
import re

from nnlib.course.palette import REPORT

PASSED, NOT_YET, ERROR, TIMED_OUT, MISSING, NOT_HANDED_IN = (
    "passed", "not yet", "error", "timed out", "missing", "not handed in")
SYMBOLS = {PASSED: "✅", NOT_YET: "❌", ERROR: "⚠️", TIMED_OUT: "⏱️", MISSING: "➖", NOT_HANDED_IN: "·"}
MEANINGS = {
    PASSED: "the answer is right, as the grader judged it on test inputs the notebook never saw",
    NOT_YET: "the answer is not right yet; the message says what differs",
    ERROR: "the check cell could not be judged: it raised, showed a result of its own, or the kernel died",
    TIMED_OUT: "the exercise or its check ran past a time limit",
    MISSING: "the notebook is there, its check cell is not (deleted or edited)",
    NOT_HANDED_IN: "no copy of that notebook was handed in",
}


def shown(text):
    """`text` with every control character written as a visible escape (\\x1b, \\n, ...)."""
    return "".join(ch if ch.isprintable() or ch == " " else ch.encode("unicode_escape").decode("ascii")
                   for ch in str(text))


def spreadsheet_safe(text):
    """Text a spreadsheet will not run as a formula, with control characters escaped."""
    text = shown(text)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def csv_text(rows):
    """`rows` as CSV text, every value spreadsheet-safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        writer.writerow([spreadsheet_safe(value) for value in row])
    return buffer.getvalue()


def file_names(students):
    """{student: a file name for their feedback page}: letters, digits, _ . - only, unique."""
    names, used = {}, set()
    for student in students:
        base = re.sub(r"[^A-Za-z0-9_.-]", "_", student).strip(".") or "student"
        name, n = base, 2
        while name.lower() in used:
            name, n = f"{base}_{n}", n + 1
        used.add(name.lower())
        names[student] = f"{name}.html"
    return names


def points_text(value):
    """Points as the report writes them: 1, 0.5, 2.25."""
    return f"{value:g}"


STYLE = """
body {{ font-family: system-ui, sans-serif; margin: 1.5rem; color: {text}; }}
table {{ border-collapse: collapse; font-size: 0.9rem; }}
caption {{ text-align: left; font-weight: bold; margin-bottom: 0.5rem; }}
th, td {{ border: 1px solid {border}; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }}
thead th {{ background: {heading}; }}
td {{ white-space: nowrap; }} td.not-handed-in {{ font-size: 0.8rem; }}
td.passed {{ background: {passed}; }} td.not-yet {{ background: {not yet}; }}
td.error, td.timed-out {{ background: {error}; }}
td.missing, td.not-handed-in {{ background: {missing}; color: {quiet text}; }}
details {{ margin: 0.4rem 0; }} summary {{ cursor: pointer; }}
""".format_map(REPORT)  # the colours: nnlib's palette


def page(title, body):
    """A whole HTML page: `title`, the report's style, and `body`."""
    e = html.escape
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>{e(title)}</title>\n'
            f"<style>{STYLE}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n")


def legend():
    """What each status means, as an HTML list with its symbol."""
    e = html.escape
    return "<ul>" + "".join(f'<li><span aria-hidden="true">{SYMBOLS[s]}</span> <strong>{e(s)}</strong>: '
                            f"{e(text)}</li>" for s, text in MEANINGS.items()) + "</ul>"


def build(students, exercises, table, notes, title, when, limits_text):
    """{relative file name: text} of every report file.

    Parameters
    ----------
    students : list of str
        In the order of the table (the roster's, then anyone else who handed in).
    exercises : list of Exercise
    table : dict
        {(student, column): (status, message)}
    notes : dict
        {student: [note, ...]}
    """
    e = html.escape
    columns = [exercise.column for exercise in exercises]
    most = sum(exercise.points for exercise in exercises)
    earned = {student: sum(ex.points for ex in exercises if table[(student, ex.column)][0] == PASSED)
              for student in students}

    wide = [["student", "passed", "exercises", "points", "out of"] + columns]
    long = [["student", "notebook", "exercise", "status", "points", "message"]]
    lms = [["student_id", "total"] + [f"{ex.notebook[:2]}_{ex.label}" for ex in exercises]]
    for student in students:
        statuses = [table[(student, column)] for column in columns]
        wide.append([student, sum(s == PASSED for s, _ in statuses), len(columns),
                     points_text(earned[student]), points_text(most)] + [s for s, _ in statuses])
        lms.append([student, points_text(earned[student])]
                   + [points_text(ex.points if status == PASSED else 0) for ex, (status, _) in zip(exercises, statuses)])
        for exercise, (status, message) in zip(exercises, statuses):
            long.append([student, exercise.notebook, exercise.column, status,
                         points_text(exercise.points if status == PASSED else 0), message])

    head = "".join(f'<th scope="col">{e(column)} <small>({points_text(ex.points)})</small></th>'
                   for column, ex in zip(columns, exercises))
    rows, details = [], []
    for student in students:
        name = e(shown(student))
        cells = []
        for column in columns:
            status, message = table[(student, column)]
            cells.append(f'<td class="{status.replace(" ", "-")}" title="{e(shown(message))}">'
                         f'<span aria-hidden="true">{SYMBOLS[status]}</span> {e(status)}</td>')
        passed = sum(table[(student, column)][0] == PASSED for column in columns)
        rows.append(f'<tr><th scope="row">{name}</th><td class="count">{passed} / {len(columns)}</td>'
                    f'<td class="count">{points_text(earned[student])} / {points_text(most)}</td>'
                    + "".join(cells) + "</tr>")
        details.append(f"<details><summary>{name}: {passed} of {len(columns)} passed, "
                       f"{points_text(earned[student])} of {points_text(most)} points</summary>"
                       + student_items(student, exercises, table, notes.get(student, [])) + "</details>")
    class_page = page(f"Grades: {title}", f"""<h1>Grades: {e(shown(title))}</h1>
<p>Graded {e(when)} by <code>tools/grade.py</code>: {e(limits_text)} Hover over a cell, or open a
student's details below, for each check's message.</p>
{legend()}
<table>
<caption>Student by exercise ({len(students)} students, {len(columns)} exercises, {points_text(most)} points)</caption>
<thead><tr><th scope="col">student</th><th scope="col">passed</th><th scope="col">points</th>{head}</tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
<h2>Messages</h2>
{chr(10).join(details)}""")
    files = {"grades.csv": csv_text(wide), "details.csv": csv_text(long), "lms.csv": csv_text(lms),
             "grades.html": class_page}
    for student, name in file_names(students).items():
        files[f"feedback/{name}"] = page(f"Your results: {title}", f"""<h1>{e(shown(student))}: {e(shown(title))}</h1>
<p>{points_text(earned[student])} of {points_text(most)} points. Each exercise's check ran in your notebook
as you handed it in; the message says what it found, and what to look at when an answer is not right yet.</p>
{legend()}
{student_items(student, exercises, table, notes.get(student, []))}""")
    return files


def student_items(student, exercises, table, notes):
    """One student's results as an HTML list, with their notes."""
    e = html.escape
    items = "".join(f"<li><strong>{e(ex.column)}</strong> ({points_text(ex.points)} "
                    f"{'point' if ex.points == 1 else 'points'}): {SYMBOLS[table[(student, ex.column)][0]]} "
                    f"{e(table[(student, ex.column)][0])}. {e(shown(table[(student, ex.column)][1]))}</li>"
                    for ex in exercises if table[(student, ex.column)][0] != NOT_HANDED_IN)
    text = f"<ul>{items or '<li>no notebook of the series handed in</li>'}</ul>"
    if notes:
        text += "<p>Notes:</p><ul>" + "".join(f"<li>{e(shown(note))}</li>" for note in notes) + "</ul>"
    return text
