"""The exercise engine: the checks that judge a student's answers, and what they share.

    checks         one check function per exercise, in notebook order, the
                   registry EXERCISES and check("sigmoid"), what every check
                   cell calls (through nnlib.course.checks)
    cases          the checks' own test data, fixed or drawn from a seed
    answers        answers turned into numbers and judged, dtype-aware
    feedback       Feedback, what a check returns, and calling a student's
                   function safely
    errors         NumPy's error messages put into words for a student
    cells          stale answers: which names a cell that raised left behind
    bindings       the names a piece of code binds: the one visitor, which
                   cells.py and the student edition (tools/) both use
    gradient_maps  the map check_backward shows: where a backward pass's
                   gradients differ from finite differences

Importing this package imports none of its modules; none of them needs
matplotlib or ipywidgets to be imported (the map draws with matplotlib
when it is shown).
"""
