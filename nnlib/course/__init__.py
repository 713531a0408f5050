"""The course's machinery: what the notebooks use but a student need not read.

    checks     the exercise checks, in notebook order: "✅ Correct" or what
               differs and a hint
    feedback   Feedback, the result a check returns, and calling a student's
               function safely
    answers    turning answers into numbers and judging them, dtype-aware
    errors     NumPy's error messages put into words for a student
    cells      stale answers: which names a cell that raised left behind
    plots      figures shared by the notebooks, in colour-blind-safe colours
    sweep      train_many: one network per learning rate, trained together
    dashboard  sliders that retrain the network and redraw it (needs ipywidgets)

The lesson itself, the network from scratch, is in the modules one folder up.
Importing this package imports none of its modules: `plots` and `dashboard`
need matplotlib and ipywidgets, which `nnlib` itself does not.
"""
