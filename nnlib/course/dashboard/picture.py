"""What every dashboard panel shares: its own figure redrawn by blitting, and the one picture.

    Panel         a small matplotlib figure that draws its axes once and
                  then, frame after frame, only what moves
    compose       the panels' pixels put together into one picture
    png_bytes     that picture as PNG in 256 colours (the picture a run
                  stops on, and the static copy a saved notebook shows)
    jpeg_bytes    as JPEG, ten times faster (frames while training runs)

and small helpers for the panels' axes and texts. A panel has three
methods: `prepare(run)` fits it to a run's data and network size,
`show(run, previous, sweep, settled)` moves its artists to the current state, and
`render()` returns its pixels. Drawing axes, ticks and titles is most of
matplotlib's work, so a panel draws them once into a background image and,
frame after frame, pastes that background and draws only its moving
artists on top (blitting); when what the background shows changes
(`key`), it draws it again, and keeps the last few backgrounds it drew
(a new run's loss axis often goes back to the one before the last).
"""

import io

import numpy as np
import PIL.Image
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

from ..palette import WHITE

DPI = 80  # 10 pt text is 11 pixels: the picture is shown at its own size
HEIGHT = 3.3  # inches, every panel
TABLE_ROWS = 12  # samples a table or the bars show (the first ones)
BACKGROUNDS = 4  # backgrounds a panel keeps: going back to an axis it showed a moment ago costs no redraw
CURVE_POINTS = 300  # a loss curve is drawn through at most 2 * CURVE_POINTS points (the panel is 260 px wide)


class Panel:
    """One picture of the dashboard; subclasses fill in `prepare`, `show` and `moving`.

    Parameters
    ----------
    width : float
        In inches; the height is HEIGHT.
    """

    def __init__(self, width):
        self.figure = Figure(figsize=(width, HEIGHT), dpi=DPI)
        self.canvas = FigureCanvasAgg(self.figure)
        self.backgrounds = {}  # what a background shows (`key`) -> its pixels, the latest used last

    def prepare(self, run):
        """Fit the panel to a run's data and network size (subclasses)."""

    def show(self, run, previous, sweep, settled=True):
        """Move the artists to show this state (subclasses).

        Parameters
        ----------
        run : live.Run
            The run shown.
        previous : live.Run or None
            The previous run, when it is comparable.
        sweep : live.Sweep or None
            The learning-rate sweep, when it is on.
        settled : bool
            False for a frame while training goes on: numbers that change
            every frame (the costliest thing to draw) may be left out.
        """

    def moving(self):
        """The artists that change from frame to frame; everything else is background."""
        return []

    def key(self):
        """What the background shows: it is drawn again when this changes."""
        return tuple((ax.get_xlim(), ax.get_ylim(), ax.get_title(), ax.get_xlabel(), ax.get_ylabel(),
                      tuple(text.get_text() for text in ax.texts if not text.get_animated()))
                     for ax in self.figure.axes)

    def render(self):
        """The panel's pixels, (height, width, 4) RGBA, redrawing only what moved."""
        parts = self.moving()
        for artist in parts:
            artist.set_animated(True)  # left out of the background
        key = self.key()
        background = self.backgrounds.pop(key, None)
        if background is None:
            self.canvas.draw()
            background = self.canvas.copy_from_bbox(self.figure.bbox)
        else:
            self.canvas.restore_region(background)
        self.backgrounds[key] = background
        if len(self.backgrounds) > BACKGROUNDS:
            del self.backgrounds[next(iter(self.backgrounds))]  # the one used longest ago
        for artist in parts:
            self.figure.draw_artist(artist)
        return np.asarray(self.canvas.buffer_rgba())


def compose(rows):
    """One RGB picture of rows of panels' pixels, left-aligned on white.

    Parameters
    ----------
    rows : list of list of (h, w, 4) ndarray
        Each row's panels' RGBA pixels, left to right.

    Returns
    -------
    (height, width, 3) ndarray
        The picture (the panels are opaque, so alpha is dropped).
    """
    height = sum(max(p.shape[0] for p in row) for row in rows)
    width = max(sum(p.shape[1] for p in row) for row in rows)
    picture = np.full((height, width, 3), 255, dtype=np.uint8)
    top = 0
    for row in rows:
        left = 0
        for pixels in row:
            picture[top:top + pixels.shape[0], left:left + pixels.shape[1]] = pixels[:, :, :3]
            left += pixels.shape[1]
        top += max(p.shape[0] for p in row)
    return picture


def png_bytes(rgb, level=1):
    """PNG bytes of an (height, width, 3) RGB image in at most 256 colours: the picture a run stops on.

    A plot's flat colours fit a palette of 256 (Pillow's fast octree picks
    it, without dithering); one byte a pixel instead of three makes the file
    a third of the size, as fast as saving all colours. The saved notebooks
    carry this picture twice (the widget's state and the static copy), and
    every byte of it travels to the browser. `level` is zlib's: 1 is fast,
    9 a sixth smaller, for a picture made once.
    """
    palette = PIL.Image.fromarray(rgb).quantize(256, method=PIL.Image.Quantize.FASTOCTREE,
                                                dither=PIL.Image.Dither.NONE)
    buffer = io.BytesIO()
    palette.save(buffer, format="png", compress_level=level)
    return buffer.getvalue()


def jpeg_bytes(rgb):
    """JPEG bytes of an (height, width, 3) RGB image: for frames while training runs.

    Ten times faster than PNG; at quality 90 without colour subsampling the
    text and lines stay sharp enough for a picture on screen for 0.1 s.
    """
    buffer = io.BytesIO()
    PIL.Image.fromarray(rgb).save(buffer, format="jpeg", quality=90, subsampling=0)
    return buffer.getvalue()


def plain_log_axis(axis):
    """Label a log axis 0.001, 0.01, ... in plain text, without minor ticks.

    The default labels are typeset as 10 to a power with matplotlib's
    mathtext, which costs more than the rest of a redraw together.
    """
    axis.set_major_locator(LogLocator(numticks=6))
    axis.set_major_formatter(FuncFormatter(lambda value, position: f"{value:g}"))
    axis.set_minor_locator(NullLocator())


def decade_limits(values, least=(1.0, 1.0)):
    """Limits for a log axis: the powers of ten around the finite, positive values.

    The limits cover at least `least`. Snapping to whole decades keeps the
    axis, and so the background, the same from frame to frame unless the
    values move a lot.
    """
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values) & (values > 0)]
    low, high = least
    if values.size:
        low, high = min(low, max(values.min(), 1e-12)), max(high, values.max())
    low, high = 10.0 ** np.floor(np.log10(low)), 10.0 ** np.ceil(np.log10(high) - 1e-9)
    return min(low, high / 10), high  # at least one decade


def envelope(values, points=CURVE_POINTS):
    """A long curve thinned for drawing: each block's lowest and highest value, where they are.

    Parameters
    ----------
    values : (E,) ndarray
        One value per epoch.
    points : int
        At most this many blocks.

    Returns
    -------
    x, y : ndarray
        Epochs and values to draw: all of them for a short curve; else two
        per block, its minimum and maximum in the order they came, so that
        no spike is lost.
    """
    if len(values) <= 2 * points:
        return np.arange(len(values)), values
    size = -(-len(values) // points)  # epochs per block, rounded up
    blocks = len(values) // size
    shaped = values[:blocks * size].reshape(blocks, size)  # (blocks, size)
    starts = np.arange(blocks)[:, None] * size  # (blocks, 1)
    where = np.sort(np.column_stack([shaped.argmin(axis=1), shaped.argmax(axis=1)]), axis=1) + starts
    x = np.append(where.ravel(), np.arange(blocks * size, len(values)))  # (2 blocks + rest,)
    return x, values[x]


def corner_text(ax, x=0.03, y=0.97, va="top"):
    """An empty text in a corner of `ax`, on a white box, for a number that changes."""
    return ax.text(x, y, "", transform=ax.transAxes, ha="left", va=va, fontsize=10, zorder=5, animated=True,
                   bbox={"facecolor": WHITE, "edgecolor": "none", "alpha": 0.85, "pad": 2})
