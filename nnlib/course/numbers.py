"""How the course writes a number a student reads: a loss, a count of units, any other number in words.

One rule for every place a loss is shown (a check's message, the
dashboard's status and copied code): four decimals, or powers of ten once
four decimals would show 0.0000 for a loss that is not zero. Numbers in a
description (the dashboard's picture in words, a gradient map's alt text)
have three significant digits, so the same numbers always read the same.
"""

import numpy as np


def loss_text(value):
    """A loss with 4 decimals, or in powers of ten below 0.001: '0.2497', '3.2e-05'."""
    return f"{value:.4f}" if value >= 1e-3 else f"{value:.1e}"


# The same rule, as code that "copy as code" pastes into a notebook (`loss` is its variable).
LOSS_TEXT_CODE = 'f"{{{name}:.4f}}" if {name} >= 1e-3 else f"{{{name}:.1e}}"'


def units(count):
    """'1 hidden unit', '3 hidden units'."""
    return f"{count} hidden unit{'' if count == 1 else 's'}"


def number(value):
    """A float in 3 significant digits, as the descriptions print it: 0.250, 0.000512, 1.20e-05, 1,234."""
    if not np.isfinite(value):
        return "not a number" if np.isnan(value) else "infinite"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if value != 0 and abs(value) < 1e-4:
        return f"{value:.2e}"
    return f"{value:#.3g}".rstrip(".")
