"""The series' tools: grading, the student edition, slides, the website, an nbgrader course.

`pip install -e .` installs this package beside nnlib (pyproject.toml), so a
tool runs as a script or as a module from anywhere in the repository:
`python tools/grade.py ...` or `python -m tools.grade ...`.
"""
