"""The dashboard in words: what its picture shows, made from the run's numbers.

A student who cannot see the picture reads (or hears) this instead; so
does anyone who wants the numbers. Every function here is a pure function
of numbers and returns a sentence; `describe_run` puts them together:

    Loss fell from 0.250 to 0.000512 in 2,000 epochs. All 4 samples right.
    Learning rate 1 is in the good range of the sweep: 0.0562 to 17.8,
    the rates whose loss ended below 1% of its start.

Numbers are printed with fixed digits (3 significant, `numbers.number`), so
the same run always reads the same; `warning` judges a loss curve (the status line shows
it). Shape letters: E epochs, K sweep rates, N samples, M outputs.
"""

import numpy as np

from ..numbers import number

GOOD_SHARE = 0.01  # a sweep rate is good when its loss ends below this share of where it started


def rate_text(rate):
    """A learning rate as the slider shows it (3 significant digits, no trailing zeros): 0.1, 1, 17.8."""
    return f"{rate:.3g}"


def loss_sentence(losses, epochs):
    """How the loss moved over a run.

    Parameters
    ----------
    losses : (E,) ndarray
        The loss at each epoch trained so far (E may be 0).
    epochs : int
        The epochs the run is set to train.

    Returns
    -------
    str
        For example "Loss fell from 0.250 to 0.000512 in 2,000 epochs."
    """
    losses = np.asarray(losses, dtype=float)
    if len(losses) == 0:
        return f"Not trained yet: 0 of {epochs:,} epochs."
    first, last = losses[0], losses[-1]
    where = f"in {len(losses):,} epochs" + (f" (of {epochs:,})" if len(losses) < epochs else "")
    if not np.isfinite(last):
        return f"Loss started at {number(first)} and became {number(last)} {where}."
    if last < 0.9 * first:
        verb = "fell"
    elif last > first:
        verb = "rose"
    else:
        verb = "barely moved"
    return f"Loss {verb} from {number(first)} to {number(last)} {where}."


def right_sentence(right, total, what="samples"):
    """How many points the network classifies right: "All 4 samples right.", "3 of 4 samples right."."""
    if total == 0:
        return ""
    if right == total:
        return f"All {total:,} {what} right."
    if right == 0:
        return f"None of the {total:,} {what} right."
    return f"{right:,} of {total:,} {what} right."


def test_sentence(test_loss, right, total):
    """The held-out points: "Test set: 90 of 100 points right, test loss 0.183."."""
    return f"Test set: {right_sentence(right, total, 'points')[:-1].lower()}, test loss {number(test_loss)}."


def outputs_sentence(outputs, targets):
    """Each sample's outputs beside its targets: "Outputs (targets): sample 0: 0.98, 0.02 (1, 0); ..."."""
    parts = [f"sample {n}: " + ", ".join(f"{a:.2f}" for a in row) + " (" + ", ".join(f"{t:g}" for t in target) + ")"
             for n, (row, target) in enumerate(zip(outputs, targets))]
    return "Outputs (targets): " + "; ".join(parts) + "."


def ties_sentence(tied, total, what="samples"):
    """Samples whose largest outputs read the same: "The outputs are tied on all 4 samples (...)", or ""."""
    if tied == 0:
        return ""
    which = f"all {total:,} {what}" if tied == total else f"{tied:,} of {total:,} {what}"
    return f"The outputs are tied on {which} (equal to 2 decimals): a tie is not counted right."


def good_range(rates, finals, start, share=GOOD_SHARE):
    """The lowest and highest rate of a sweep whose loss ended below `share` of its start: (low, high), or None.

    Every network of the sweep starts from the same weights, so from the
    same loss `start`. Rates in between that did worse are not left out:
    the range says where good rates lie, not that each one in it is good.

    Parameters
    ----------
    rates : (K,) ndarray
        The sweep's learning rates, ascending.
    finals : (K,) ndarray
        Each rate's loss at the sweep's last epoch so far.
    start : float
        The loss at the starting weights.
    share : float
        A rate is good when its final loss is below share * start.
    """
    finals = np.asarray(finals, dtype=float)
    good = np.isfinite(finals) & (finals < share * start)  # (K,)
    if not good.any():
        return None
    chosen = np.asarray(rates)[good]
    return float(chosen.min()), float(chosen.max())


def sweep_sentence(rate, rates, finals, epoch, epochs, start):
    """Where the slider's learning rate sits in the sweep.

    Parameters
    ----------
    rate : float
        The slider's learning rate.
    rates, finals : (K,) ndarray or None
        The sweep's rates and their losses so far (None before it trains).
    epoch, epochs : int
        Epochs the sweep has trained, and the epochs it is set to.
    start : float
        The loss at the starting weights (the same for every rate).

    Returns
    -------
    str
        For example "Learning rate 1 is in the good range of the sweep (0.0562 to 17.8)."
    """
    if finals is None:
        return f"Learning rate {rate_text(rate)}. The sweep of {len(rates)} learning rates trains when the run is done."
    when = "" if epoch >= epochs else f" after {epoch:,} of {epochs:,} epochs"
    span = good_range(rates, finals, start)
    if span is None:
        return (f"Learning rate {rate_text(rate)}. In the sweep{when}, no learning rate brought the loss "
                f"below {GOOD_SHARE:.0%} of its start.")
    low, high = span
    place = ("in" if low <= rate <= high else "below" if rate < low else "above")
    return (f"Learning rate {rate_text(rate)} is {place} the good range of the sweep{when}: "
            f"{rate_text(low)} to {rate_text(high)}, the rates whose loss ended below {GOOD_SHARE:.0%} of its start.")


def weights_sentence(weights):
    """The network panel in words: how many weights are positive, and the largest.

    Parameters
    ----------
    weights : dict
        Name -> (rows, columns) ndarray: W1, W2, ... (the lines of the diagram).
    """
    values = np.concatenate([weights[name].ravel() for name in weights])
    positive = int((values > 0).sum())
    name, index = max(((name, np.unravel_index(np.abs(w).argmax(), w.shape)) for name, w in weights.items()),
                      key=lambda pair: abs(weights[pair[0]][pair[1]]))
    value = weights[name][index]
    return (f"Weights: {positive} of {len(values)} positive; the largest in size is "
            f"{name}[{index[0]}, {index[1]}] = {number(value)}.")


def warning(losses):
    """A plain-language warning about a finished run's loss curve, or '' if it looks healthy.

    The rules look at the whole run, not at its first epochs:

    - not finite: some loss is infinite or not a number;
    - too large a learning rate: the loss ended above where it started, or
      in the second half of the run it climbed more than 10 % above the
      lowest loss reached before. A rise early on that training recovers
      from (common at a good, large rate) does not count;
    - too small (or saturated units): the loss ended above 90 % of where it started.

    Parameters
    ----------
    losses : (epochs,) ndarray
        The loss at each epoch of the run.

    Returns
    -------
    str
        The warning, or '' when none applies.
    """
    if not np.all(np.isfinite(losses)):
        return "The loss is not a finite number."
    lowest = np.minimum.accumulate(losses)  # (epochs,) the lowest loss up to each epoch
    late = np.arange(1, len(losses)) >= len(losses) // 2  # (epochs - 1,) epochs 1, 2, ... in the second half
    rose_late = np.any(late & (losses[1:] > 1.1 * lowest[:-1]))
    if losses[-1] > losses[0] or rose_late:
        return "The loss went up late in training or ended above its start: the learning rate is probably too large."
    if losses[-1] > 0.9 * losses[0]:
        return ("The loss barely moved: the learning rate may be too small, "
                "or the units are saturated (stuck at 0 or 1).")
    return ""


def describe_run(losses, epochs, right, total, rate, *, what="samples", warning="", test=None, outputs=None,
                 targets=None, weights=None, sweep=None, tied=(0, 0), network=None):
    """The dashboard's picture in words, from a run's numbers.

    Parameters
    ----------
    losses : (E,) ndarray
        The training loss per epoch so far.
    epochs : int
        The epochs the run is set to train.
    right, total : int
        Training points classified right, and how many there are.
    rate : float
        The learning rate.
    what : str
        What the training points are called ('samples', 'points').
    warning : str
        A plain-language warning about the run ('' for none).
    test : (float, int, int), optional
        Test loss, test points right, test points (moons and spirals).
    outputs, targets : (N, M) ndarray, optional
        The outputs and targets of each sample (the seed data's table).
    weights : dict, optional
        W1, W2, ... (every layer's), for the network panel.
    sweep : (rates, finals, epoch, epochs), optional
        The learning-rate sweep, when it is on (its networks start where
        this run started, at `losses[0]`).
    tied : (int, int)
        Training and test points whose outputs tie (see `ties_sentence`).
    network : str, optional
        The network in words, "3 hidden layers of 16 ReLU units".

    Returns
    -------
    str
        Sentences in the order of the panels: loss, data, network, sweep.
    """
    parts = [loss_sentence(losses, epochs), right_sentence(right, total, what), ties_sentence(tied[0], total, what)]
    if test is not None:
        parts += [test_sentence(*test), ties_sentence(tied[1], test[2], "test points")]
    if outputs is not None:
        parts.append(outputs_sentence(outputs, targets))
    if warning:
        parts.append(warning)
    if network is not None:
        parts.append(f"The network: {network}.")
    if weights is not None:
        parts.append(weights_sentence(weights))
    if sweep is not None and len(losses):
        parts.append(sweep_sentence(rate, *sweep, start=losses[0]))
    else:
        parts.append(f"Learning rate {rate_text(rate)}.")
    return " ".join(part for part in parts if part)
