"""The checks' own test data: the fixed cases the notebooks' checks use, or fresh ones drawn from a seed.

Every check computes its right answer from these, never from a notebook's
variables. With `seed=None` each function gives the same cases on every
run (the feedback a notebook prints stays the same); with an int seed it
draws new ones of the same kinds, so that a grader can judge a function on
inputs no notebook has shown. Either way the cases keep what catches the
usual slips: network sizes with H = N (the seed's coincidence) and H = N + 1
(where code that only works when H = N fails), sizes that are not the
seed's N M = 8, accuracies that differ from case to case.

Shape letters: N samples, D inputs, H hidden units, M outputs.
"""

import numpy as np

from ...activations import sigmoid
from ...data import seed_data
from ...params import init_params

# The fixed network sizes (N, D, H, M): the seed's own, then ones that break code
# which only works when two sizes happen to be equal (H = N = 4 in the seed).
SIZES = ((4, 3, 4, 2), (4, 3, 5, 2), (6, 2, 3, 3))
SEED_NM = 8  # N M of the seed data: a number students hard-code


def generator(seed, salt):
    """A generator for one kind of case: from `seed` (None: the fixed cases) and a number per kind."""
    return np.random.default_rng(salt if seed is None else [seed, salt])


def sigmoid_inputs(seed=None):
    """z for the sigmoid: a (3, 11) grid from -8 to 8, or a 2-D array of random size and values."""
    if seed is None:
        return np.linspace(-8, 8, 33).reshape(3, 11)  # (3, 11)
    rng = generator(seed, 1)
    return rng.uniform(-8, 8, size=(rng.integers(2, 5), rng.integers(5, 13)))  # (r, c)


def activations(seed=None):
    """a = sigmoid(z) for the sigmoid's derivative: z from -5 to 5, 21 of them or a random number."""
    if seed is None:
        return sigmoid(np.linspace(-5, 5, 21))  # (21,)
    rng = generator(seed, 2)
    return sigmoid(rng.uniform(-5, 5, size=rng.integers(15, 31)))  # (n,)


def sizes(seed=None):
    """Three network sizes (N, D, H, M): one with H = N, one with H = N + 1, one with no two sizes equal."""
    if seed is None:
        return SIZES
    rng = generator(seed, 3)
    N, D, M = (int(n) for n in rng.integers((3, 2, 2), (8, 5, 4)))
    other = [int(n) for n in rng.permutation(np.arange(2, 10))[:4]]  # four different sizes
    return (N, D, N, M), (N, D, N + 1, M), tuple(other)


def network(N, D, H, M, seed):
    """Parameters, inputs X (N, D) and targets y (N, M) in [0, 1], drawn from `seed`."""
    rng = np.random.default_rng(seed)
    return init_params(D, H, M, seed=seed), rng.normal(size=(N, D)), rng.uniform(size=(N, M))


def networks(seed=None):
    """(N, D, H, M, params, X, y) at each of the three sizes of `sizes(seed)`."""
    seeds = range(3) if seed is None else generator(seed, 4).integers(0, 2**31, size=3)
    return [(N, D, H, M, *network(N, D, H, M, int(s))) for (N, D, H, M), s in zip(sizes(seed), seeds)]


def loss_cases(seed=None):
    """Two (A2, y): outputs in (0, 1) and 0/1 targets, (5, 2) and (3, 4), or two random sizes, none with N M = 8."""
    fixed = ((0, 5, 2), (1, 3, 4))
    rng = generator(seed, 5)
    cases = []
    for k in range(2):
        if seed is None:
            case_seed, N, M = fixed[k]
        else:
            case_seed, N, M = int(rng.integers(0, 2**31)), 0, 0
            while N * M in (0, SEED_NM) or any(A2.shape == (N, M) for A2, _ in cases):
                N, M = int(rng.integers(2, 8)), int(rng.integers(2, 6))
        draw = np.random.default_rng(case_seed)
        cases.append((draw.uniform(size=(N, M)), draw.uniform(size=(N, M)).round()))  # (N, M) each
    return cases


def accuracy_cases(seed=None):
    """Three (A2, y) with one-hot y: (10, 2), (8, 3) and (6, 4), or random sizes with three different accuracies.

    Drawn accuracies are none of 0, 1/2 and 1, where a slip (the fraction of
    wrong rows, a count) could give the right number.
    """
    if seed is None:
        draws = ((2, 10, 2), (3, 8, 3), (5, 6, 4))
    else:
        rng = generator(seed, 6)
        draws = [(int(rng.integers(0, 2**31)), int(rng.integers(5, 13)), int(rng.integers(2, 5))) for _ in range(40)]
    cases, seen = [], set()
    for case_seed, N, M in draws:
        rng = np.random.default_rng(case_seed)
        A2, y = rng.uniform(size=(N, M)), np.eye(M)[rng.integers(0, M, size=N)]  # (N, M) each
        right = float(np.mean(A2.argmax(axis=1) == y.argmax(axis=1)))
        if seed is None or (right not in (0.0, 0.5, 1.0) and right not in seen):
            cases.append((A2, y))
            seen.add(right)
        if len(cases) == 3:
            return cases
    raise RuntimeError(f"no three accuracy cases from seed {seed}")  # not reached: 40 draws suffice


def update_problem(seed=None):
    """(params, grads, two learning rates): the seed's sizes and rates 0.5 and 0.1, or random ones."""
    if seed is None:
        params, rng, rates = init_params(3, 4, 2, seed=1), np.random.default_rng(1), (0.5, 0.1)
    else:
        rng = generator(seed, 7)
        D, H, M = (int(n) for n in rng.integers(2, 7, size=3))
        params = init_params(D, H, M, seed=int(rng.integers(0, 2**31)))
        rates = tuple(float(rate) for rate in rng.choice([0.03, 0.1, 0.2, 0.3, 0.5, 0.7, 2.0], 2, replace=False))
    grads = {"d" + key: rng.normal(size=value.shape) for key, value in params.items()}
    return params, grads, rates


def seed_point():
    """Notebook 06's point: the seed data and the tutorial's starting weights, params, X (4, 3), y (4, 2)."""
    X, y = seed_data()
    return init_params(3, 4, 2, seed=42), X, y


def deep_networks(seed=None):
    """Two deep networks to test a loop over layers: (activation, widths, params, X, y) each.

    The first is square: every width (inputs, hidden layers, outputs) the
    same and N different from it, so that a slip of one layer's index
    (A[l] for A[l-1], W[l-1] for W[l]) or a missing transpose of a square
    matrix still runs, and its numbers show which slip it was. Its hidden
    layers are tanh, whose derivative is neither the sigmoid's nor 1. The
    second has every width different (a ReLU network), so code that works
    only when two widths are equal fails there. Every bias is drawn, not 0,
    so that a missing one shows. A seed draws fresh widths, depths and
    numbers of the same kinds (the second network's hidden layers ReLU or
    leaky ReLU).
    """
    if seed is None:
        shapes = (("tanh", 5, (3, 3, 3, 3)), ("relu", 6, (2, 4, 5, 3, 1)))  # N, then (D, H1, ..., M)
        seeds = (0, 1)
    else:
        rng = generator(seed, 8)
        side, depth = int(rng.integers(2, 6)), int(rng.integers(2, 4))
        N = int(rng.choice([n for n in range(4, 9) if n != side]))
        distinct = [int(n) for n in rng.permutation(np.arange(1, 9))[:int(rng.integers(4, 6))]]
        if distinct[0] == 1:  # at least 2 inputs
            distinct[0] = 9
        shapes = (("tanh", N, (side,) * (depth + 2)), (str(rng.choice(["relu", "leaky_relu"])),
                                                       int(rng.integers(4, 9)), tuple(distinct)))
        seeds = tuple(int(s) for s in rng.integers(0, 2**31, size=2))
    cases = []
    for (activation, N, widths), case_seed in zip(shapes, seeds):
        draw = np.random.default_rng(case_seed)
        params = init_params(widths[0], list(widths[1:-1]), widths[-1], seed=case_seed, activation=activation)
        for l in range(1, len(widths)):  # biases not 0, so that a missing one shows
            params[f"b{l}"] = draw.uniform(-0.5, 0.5, size=(1, widths[l]))  # (1, H_l)
        X = draw.normal(size=(N, widths[0]))  # (N, D)
        y = draw.integers(0, 2, size=(N, widths[-1])).astype(float)  # (N, M) of 0s and 1s
        cases.append((activation, widths, params, X, y))
    return cases
