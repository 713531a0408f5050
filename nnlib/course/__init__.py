"""The course's machinery: what the notebooks use but a student need not read.

Three parts, each in its own place:

    exercises/   the exercise engine: the checks that judge an answer, their
                 test data, the feedback and its words (change a check here)
    dashboard/   the live dashboard: settings, controls, live training, the
                 panels of its picture and the picture in words (change a
                 panel here)
    what both share, and the notebooks use directly, in modules here:
      palette    every colour, and WCAG contrast (change a colour here)
      plots      the shared figures, each with its description
      sweep      train_many: one network per learning rate, trained together
      numbers    how a loss or another number is written for a student
      checks     what a check cell imports: `from nnlib.course.checks import check`

The parts only point down: the lesson (`nnlib/*.py`) imports nothing of the
course; what is shared imports neither part; the exercises and the
dashboard do not import each other (tests/test_layers.py).
Importing this package imports none of its modules: `plots` and
`dashboard` need matplotlib and ipywidgets, which `nnlib` itself does not.
"""
