"""Every colour the course uses, in one place: figures, the dashboard, the page around it, the grading report.

Colours are the Okabe-Ito palette, which stays distinguishable under the
common forms of colour blindness and on a washed-out projector, with
orange, sky blue and vermillion darkened (same hue, less lightness) until
they meet WCAG 2.1's contrast on white: 3:1 for lines and markers, 4.5:1
for vermillion, which also colours text. `contrast_ratio` computes it;
the tests check every colour in use against it. Values from 0 to 1 (a
network's outputs, a hidden unit's output, a gradient's error) are drawn
with the colour map `VALUES`, which reads the same with any colour vision.

Change a colour here and every figure, panel, page and report follows.
This module needs only NumPy (and matplotlib to read a colour given by
name), so the grading tools can use it too.
"""

import numpy as np

# Okabe & Ito (2008), "Color Universal Design"; orange (#E69F00, 2.2:1 on
# white), sky (#56B4E9, 2.3:1) and vermillion (#D55E00, 3.9:1) darkened.
COLORS = {
    "blue": "#0072B2",
    "orange": "#A87300",
    "green": "#009E73",
    "vermillion": "#BE5400",
    "sky": "#1C95D9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}
BLACK = COLORS["black"]
WHITE = "#ffffff"
GRID = "#b0b0b0"  # grid lines, faint (drawn at 30 % opacity): a guide for the eye, never read
CLASS_COLORS = (COLORS["blue"], COLORS["orange"])  # class 0, class 1
# The network's belief in class 1, from pale blue (class 0) through white
# (undecided) to pale orange (class 1): pale enough that every point, its
# edge in its class's colour, stands out 3:1 on every part of it.
BELIEF = ("#cfe6f5", WHITE, "#faeac0")
VALUES = "cividis"  # matplotlib's colour map for values from 0 (dark blue) to 1 (light yellow)
NO_ANSWER = "#d4d4d4"  # the grey of a gradient map's entries with nothing to compare
FOCUS = COLORS["blue"]  # the ring around whatever has the keyboard's focus in the dashboard
# The grading report's page (tools/grading/report.py): its text, lines and each verdict's background.
REPORT = {
    "text": "#111111",
    "quiet text": "#444444",  # on the backgrounds of "missing" and "not handed in"
    "border": "#999999",
    "heading": "#eeeeee",
    "passed": "#e6f4ea",
    "not yet": "#fdecea",
    "error": "#fff4d6",
    "missing": "#f4f4f4",
}


def rgb(color):
    """A colour as (red, green, blue), each from 0 to 1: from '#rrggbb', a tuple, or a matplotlib name."""
    if isinstance(color, str) and color.startswith("#") and len(color) in (7, 9):
        return tuple(int(color[i:i + 2], 16) / 255 for i in (1, 3, 5))
    if not isinstance(color, str):
        return tuple(float(channel) for channel in tuple(color)[:3])
    from matplotlib.colors import to_rgb  # a colour given by name: matplotlib knows them all

    return to_rgb(color)


def relative_luminance(color):
    """WCAG 2.1's relative luminance of a colour, from 0 (black) to 1 (white)."""
    channels = np.array(rgb(color))  # (3,) sRGB in [0, 1]
    linear = np.where(channels <= 0.04045, channels / 12.92, ((channels + 0.055) / 1.055) ** 2.4)
    return float(linear @ [0.2126, 0.7152, 0.0722])


def contrast_ratio(foreground, background=WHITE):
    """WCAG 2.1's contrast ratio (L1 + 0.05) / (L2 + 0.05), from 1 to 21.

    Text needs 4.5 (3 when large), lines and other graphical objects 3.
    """
    light, dark = sorted([relative_luminance(foreground), relative_luminance(background)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def named_colors():
    """Every colour this module names, as lower-case '#rrggbb' (the colour maps are named, not listed)."""
    found = {*COLORS.values(), BLACK, WHITE, GRID, *CLASS_COLORS, *BELIEF, NO_ANSWER, FOCUS, *REPORT.values()}
    return {color.lower() for color in found}
