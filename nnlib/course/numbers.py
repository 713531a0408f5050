"""How the course writes a number a student reads: a loss, a count of units.

One rule for every place a loss is shown (a check's message, the
dashboard's status and copied code): four decimals, or powers of ten once
four decimals would show 0.0000 for a loss that is not zero.
"""


def loss_text(value):
    """A loss with 4 decimals, or in powers of ten below 0.001: '0.2497', '3.2e-05'."""
    return f"{value:.4f}" if value >= 1e-3 else f"{value:.1e}"


# The same rule, as code that "copy as code" pastes into a notebook (`loss` is its variable).
LOSS_TEXT_CODE = 'f"{{{name}:.4f}}" if {name} >= 1e-3 else f"{{{name}:.1e}}"'


def units(count):
    """'1 hidden unit', '3 hidden units'."""
    return f"{count} hidden unit{'' if count == 1 else 's'}"
