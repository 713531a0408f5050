"""Export every notebook of the series to a reveal.js slide deck.

    python tools/build_slides.py                  # notebooks/*.ipynb -> build/slides/*.slides.html
    python tools/build_slides.py --output DIR     # somewhere else
    python tools/build_slides.py notebooks/06_backward_pass.ipynb   # one deck

Each deck is one self-contained HTML file (figures embedded) made by
`jupyter nbconvert --to slides` from the cells' slideshow metadata, with the
outputs as committed: nothing is re-executed. Open it in a browser and use
the arrow keys; `s` opens the speaker view, `f` full screen. The page loads
reveal.js and MathJax from CDNs (unpkg.com, cdnjs.cloudflare.com), so it
needs internet when shown; without internet present live in JupyterLab.
"""

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def export_command(notebooks, output):
    """The nbconvert command line that writes the decks."""
    command = [sys.executable, "-m", "nbconvert", "--to", "slides", "--output-dir", str(output),
               # Black on white, headings as written, no transitions: readable on a projector.
               "--SlidesExporter.reveal_theme=simple", "--SlidesExporter.reveal_transition=none",
               "--SlidesExporter.reveal_scroll=True"]
    return command + [str(path) for path in notebooks]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks to export (default: every notebooks/*.ipynb)")
    parser.add_argument("--output", type=Path, default=ROOT / "build" / "slides",
                        help="folder for the decks (default: build/slides)")
    args = parser.parse_args(argv)

    notebooks = args.notebooks or sorted((ROOT / "notebooks").glob("*.ipynb"))
    if not notebooks:
        parser.error("no notebooks to export")
    args.output.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(export_command(notebooks, args.output))
    if result.returncode != 0:
        return result.returncode
    for path in notebooks:
        print(args.output / f"{path.stem}.slides.html")
    return 0


if __name__ == "__main__":
    sys.exit(main())
