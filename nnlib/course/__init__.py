"""The course's machinery: what the notebooks use but a student need not read.

    checks     the exercise checks, in notebook order: "✅ Correct" or what
               differs and a hint; EXERCISES and check("sigmoid"), what
               every check cell calls
    cases      the checks' own test data, fixed or drawn from a seed
    gradient_maps  the map check_backward shows: where a backward pass's
               gradients differ from finite differences, in a picture and words
    feedback   Feedback, the result a check returns, and calling a student's
               function safely
    answers    turning answers into numbers and judging them, dtype-aware
    errors     NumPy's error messages put into words for a student
    cells      stale answers: which names a cell that raised left behind
    plots      figures shared by the notebooks, in colour-blind-safe colours
    sweep      train_many: one network per learning rate, trained together;
               SweepRun does it a chunk of epochs at a time
    dashboard  the live dashboard (needs ipywidgets), in small parts:
      settings        the settings as one object: checks, loads, prints as code
      controls        its widgets, one per setting, and the run's buttons
      live            training in chunks on the kernel's event loop
      kernel_loop     every change and press handled on that loop, whatever
                      thread a kernel subshell delivers it in
      picture         what every panel shares: blitting, the one picture
      panels          loss, outputs or decision boundary, sweep
      network_panels  the weights as a diagram, the hidden units' outputs

The lesson itself, the network from scratch, is in the modules one folder up.
Importing this package imports none of its modules: `plots` and `dashboard`
need matplotlib and ipywidgets, which `nnlib` itself does not.
"""
