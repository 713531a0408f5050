"""The checks of notebook 10's loops over layers: the notebook's own solutions pass, the usual slips do not.

Each slip is the notebook's solution with one line changed (generated from
a table of replacements), so that what is judged is what a student would
write; every "Not yet" must point to the line that differs.
"""

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nnlib
from nnlib.course import checks
from tests.helpers import NOTEBOOK_DIR

NOTEBOOK = "10_deeper"


def solution(name):
    """The source of the notebook's exercise cell that defines `name` (its solution included)."""
    cells = json.loads((NOTEBOOK_DIR / f"{NOTEBOOK}.ipynb").read_text(encoding="utf-8"))["cells"]  # as committed
    sources = ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "code"]
    (source,) = [source for source in sources if f"def {name}(" in source and "### BEGIN SOLUTION" in source]
    return source


def defined(source, name):
    """The function `name` that `source` defines, run in a namespace of its own with the notebook's imports."""
    namespace = {}
    exec("import nnlib\nimport nnlib.activations\n" + source.replace("### BEGIN SOLUTION", "").replace("### END SOLUTION", ""), namespace)
    return namespace[name]


def slipped(name, old, new):
    """The notebook's solution of `name` with `old` replaced by `new` (exactly once)."""
    source = solution(name)
    assert source.count(old) == 1, (old, source)
    return defined(source.replace(old, new), name)


def passes(result):
    assert result.passed, result.message


def fails(result, *phrases):
    assert not result.passed, result.message
    assert result.problem and result.hint, result.message
    for phrase in phrases:
        assert phrase in result.message, result.message


def right_forward():
    return defined(solution("deep_forward"), "deep_forward")


def right_backward():
    return defined(solution("deep_backward"), "deep_backward")


@pytest.mark.parametrize("seed", [None, 0, 1, 2, 3, 4, 5])
def test_the_notebooks_solutions_pass_on_the_fixed_and_on_fresh_networks(seed):
    passes(checks.EXERCISES["deep_forward"].judge({"deep_forward": right_forward()}, seed=seed))
    passes(checks.EXERCISES["deep_backward"].judge({"deep_backward": right_backward()}, seed=seed))


FORWARD_SLIPS = [  # (the line as the solution has it, as the slip has it, what the hint must name)
    ("for l in range(1, L + 2):", "for l in range(1, L + 1):", "stops one layer early"),
    ("for l in range(1, L + 2):", "for l in range(2, L + 2):", "starts at layer 2"),
    ("A = f(Z) if l <= L else nnlib.sigmoid(Z)", "A = f(Z)", "the output layer uses tanh"),
    ("A = f(Z) if l <= L else nnlib.sigmoid(Z)", "A = nnlib.sigmoid(Z)", "the hidden layers use the sigmoid"),
    ("A = f(Z) if l <= L else nnlib.sigmoid(Z)", "A = f(Z) if l < L else nnlib.sigmoid(Z)",
     "the last hidden layer, uses the sigmoid"),
    ('Z = A @ params[f"W{l}"] + params[f"b{l}"]', 'Z = A @ params[f"W{l}"]', "the biases are missing"),
]


@pytest.mark.parametrize("old, new, named", FORWARD_SLIPS, ids=[slip[2] for slip in FORWARD_SLIPS])
def test_a_forward_slip_is_named_with_its_line(old, new, named):
    fails(checks.check_deep_forward(slipped("deep_forward", old, new)), named)


BACKWARD_SLIPS = [  # (the line as the solution has it, as the slip has it, what the message must name)
    ('dW = A[l - 1].T @ dZ', 'dW = A[l].T @ dZ', "dW3 is A3.T @ dZ3"),
    ('dW = A[l - 1].T @ dZ', 'dW = dZ.T @ A[l - 1]', "the transpose of the right gradient"),
    ('dZ = (dZ @ params[f"W{l}"].T) * f_prime(A[l - 1])', 'dZ = (dZ @ params[f"W{l - 1}"].T) * f_prime(A[l - 1])',
     "dZ2 is computed with W2, one layer too far down"),
    ('dZ = (dZ @ params[f"W{l}"].T) * f_prime(A[l - 1])', 'dZ = (dZ @ params[f"W{l}"]) * f_prime(A[l - 1])',
     "dZ2 is computed with W3, not W3.T"),
    ('dZ = (dZ @ params[f"W{l}"].T) * f_prime(A[l - 1])', 'dZ = (dZ @ params[f"W{l}"].T) * f_prime(A[l])',
     "at A3, one layer too far up"),
    ('dZ = (dZ @ params[f"W{l}"].T) * f_prime(A[l - 1])',
     'dZ = (dZ @ params[f"W{l}"].T) * A[l - 1] * (1 - A[l - 1])', "uses the sigmoid's derivative; use 1 - A[l-1] ** 2"),
    ('dZ = (dZ @ params[f"W{l}"].T) * f_prime(A[l - 1])',
     'dZ = (dZ @ params[f"W{l}"].T) * nnlib.sigmoid_derivative(A[l - 1])', "the derivative of the activation asked for"),
    ('dZ = (dZ @ params[f"W{l}"].T) * f_prime(A[l - 1])', 'dZ = (dZ @ params[f"W{l}"].T) * f_prime(cache[f"Z{l - 1}"])',
     "pass A[l-1], not Z, to the derivative"),
    ('dZ = (dZ @ params[f"W{l}"].T) * f_prime(A[l - 1])', 'dZ = dZ @ params[f"W{l}"].T', "derivative is missing"),
    ("for l in range(L + 1, 0, -1):", "for l in range(L + 1, 1, -1):", "stops before layer 1"),
    ('db = dZ.sum(axis=0, keepdims=True)', 'db = dZ.sum(axis=0)', "keepdims=True"),
]


@pytest.mark.parametrize("old, new, named", BACKWARD_SLIPS, ids=[slip[2] for slip in BACKWARD_SLIPS])
def test_a_backward_slip_is_named_with_its_line(old, new, named):
    for phrase in named.split("; use "):  # the mistake, then (if given) the formula the hint must show
        fails(checks.check_deep_backward(slipped("deep_backward", old, new)), phrase)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), slip=st.sampled_from(BACKWARD_SLIPS + FORWARD_SLIPS))
def test_fresh_networks_still_tell_every_slip_from_the_solution(seed, slip):
    name = "deep_backward" if slip in BACKWARD_SLIPS else "deep_forward"
    exercise = checks.EXERCISES[name]
    passes(exercise.judge({name: defined(solution(name), name)}, seed=seed))
    fails(exercise.judge({name: slipped(name, *slip[:2])}, seed=seed))


def test_other_right_forms_pass():
    forward = right_forward()
    passes(checks.check_deep_forward(lambda params, X, activation="tanh": forward(params, X, activation)[0]))  # A alone
    passes(checks.check_deep_forward(lambda params, X, activation="tanh":
                                     forward(params, X, activation)[0].astype(np.float32)))
    backward = right_backward()
    passes(checks.check_deep_backward(lambda params, cache, y, activation="tanh":
                                      {k: v.astype(np.float32) for k, v in backward(params, cache, y, activation).items()}))


def test_calling_nnlib_or_changing_the_inputs_is_not_yet():
    fails(checks.check_deep_forward(lambda params, X, activation="tanh": nnlib.forward(params, X, activation=activation)),
          "calls nnlib.forward")
    fails(checks.check_deep_backward(lambda params, cache, y, activation="tanh":
                                     nnlib.backward(params, cache, y, loss="bce", activation=activation)),
          "calls nnlib.backward")
    backward = right_backward()

    def scaling(params, cache, y, activation="tanh"):
        params["W1"] *= 2  # changes the check's copy in place
        return backward(params, cache, y, activation)
    fails(checks.check_deep_backward(scaling), "changed its input")


def test_a_blank_or_unfinished_exercise_says_not_yet():
    fails(checks.check_deep_forward(...), "`...`")
    fails(checks.check_deep_backward(...), "`...`")
    unfinished = solution("deep_backward")
    body = unfinished[unfinished.index("### BEGIN SOLUTION"):unfinished.index("### END SOLUTION")]
    blank = unfinished.replace(body, "# YOUR CODE HERE\n        ")  # what the student edition leaves
    fails(checks.check_deep_backward(defined(blank, "deep_backward")), "NameError")


def test_the_notebook_gradient_checks_its_solution_at_every_depth():
    X, y = nnlib.spirals(40, noise=0.05, seed=1)
    backward = right_backward()
    for widths in ([3], [4, 3], [5, 4, 3, 2]):
        for activation in ("sigmoid", "tanh", "leaky_relu"):
            params = nnlib.init_params(2, widths, 2, seed=3, activation=activation)
            assert nnlib.gradient_check(params, X, y, loss="bce", backward=backward, activation=activation) < 1e-7
