"""How fast the live dashboard answers a change, against the training it has to do.

In this process (default), inside an asyncio event loop as a Jupyter kernel
runs the dashboard, interleaved with `nnlib.train` alone on the same data:

- the seed data, 10,000 epochs: a hidden-size change, from setting the
  control to the final picture, against `nnlib.train` alone (target: at
  most 1.2x);
- moons and spirals, 64 hidden units, 10,000 epochs: the first picture
  after the change (target: within 100 ms) and the whole run against
  `nnlib.train` alone (target: at most 1.3x);
- spirals with 3 hidden layers of 16 units (sigmoid; ReLU; tanh with three
  classes and the categorical cross-entropy): the same two targets;
- the learning-rate sweep (64 rates, the seed data, 10,000 epochs), in
  microseconds per network-epoch (target: at most 0.5); and on spirals
  with 3 hidden layers of 16 units (1,000 epochs), what it costs.

With --browser, the same as a student meets it: JupyterLab in headless
Chromium (tests/browser.py), notebook 09's dashboard (3,000 epochs,
learning rate 2, cross-entropy, seed 0), the hidden-size slider moved with
the arrow key, from the key press to the first new picture and to the
final one, for each dataset and hidden size 8, 32, 64 (median of 4).

    python -m benchmarks.dashboard_latency [--repeats 7]
    python -m benchmarks.dashboard_latency --browser [--repeats 4]

The machine's load is printed first: the ratios are measured in one
process, interleaved, but a busy machine still adds noise.
"""

import argparse
import asyncio
import os
import statistics
import time
from pathlib import Path

import nnlib
from nnlib.course.dashboard import Dashboard


async def live_change(board, name, value):
    """Set a control as the kernel would; return (seconds to the first picture, seconds to the last)."""
    pictures = []
    draw = board.player.draw

    def timed(settled=True):
        draw(settled)
        pictures.append(time.perf_counter())

    board.player.draw = timed
    start = time.perf_counter()
    board.controls[name].value = value
    while board.player.playing():
        await asyncio.sleep(0.001)
    board.player.draw = draw
    return pictures[0] - start, pictures[-1] - start


def train_alone(board):
    """Seconds `nnlib.train` alone takes for the board's current settings."""
    X, y, _, _ = board.settings.data()
    start = time.perf_counter()
    nnlib.train(X, y, epochs=board.settings.epochs, **board.settings.train_args())
    return time.perf_counter() - start


async def in_process(repeats):
    print("In this process, live (an asyncio loop, as in the kernel), medians of", repeats)
    cases = [("seed", 4, 10000, 0.1, "mse", 1.2, {}), ("moons", 64, 10000, 2.0, "bce", 1.3, {}),
             ("spirals", 64, 10000, 10.0, "bce", 1.3, {}),
             ("spirals", 16, 10000, 1.0, "bce", 1.3, {"layers": 3}),
             ("spirals", 16, 10000, 0.3, "bce", 1.3, {"layers": 3, "activation": "relu"}),
             ("spirals", 16, 10000, 1.0, "cce", 1.3, {"layers": 3, "activation": "tanh", "classes": 3})]
    for dataset, hidden, epochs, rate, loss, target, deep in cases:
        board = Dashboard(dataset=dataset, hidden_size=hidden, epochs=epochs, learning_rate=rate, loss=loss, seed=0,
                          **deep)
        firsts, wholes, alones = [], [], []
        for i in range(repeats):
            size = hidden - 1 + (i % 2)  # every set is a change: 63, 64, 63, ...
            first, whole = await live_change(board, "hidden_size", size if size != board.settings.hidden_size else hidden - 1)
            firsts.append(first)
            wholes.append(whole)
            alones.append(train_alone(board))
        first, whole, alone = (statistics.median(v) * 1000 for v in (firsts, wholes, alones))
        shape = f"{deep.get('layers', 1)}x{hidden:<2} {deep.get('activation', 'sigmoid'):7} {deep.get('classes', 2)} classes"
        print(f"  {dataset:8} {shape}, {epochs} epochs: first picture {first:5.0f} ms, final picture "
              f"{whole:6.0f} ms, nnlib.train alone {alone:6.0f} ms, ratio {whole / alone:.2f} (target at most {target})")

    board = Dashboard(dataset="seed", epochs=10000, learning_rate=1.0, seed=0)
    seconds = []
    for i in range(max(3, repeats // 2)):
        board.controls["sweep"].value = False
        await live_change(board, "seed", i % 2 + 1)  # a new network, trained to its end: a new sweep each time
        _, whole = await live_change(board, "sweep", True)
        seconds.append(whole)
    per = statistics.median(seconds) / (64 * 10000) * 1e6
    print(f"  sweep on the seed data, 64 rates x 10000 epochs, switched on to its last picture: "
          f"{statistics.median(seconds):.2f} s, {per:.2f} us per network-epoch (target at most 0.5)")

    for activation in ("sigmoid", "relu"):  # the sweep for a deeper network: it works, and what it costs
        board = Dashboard(dataset="spirals", layers=3, hidden_size=16, activation=activation, epochs=1000,
                          learning_rate=1.0, seed=0, loss="bce")
        _, whole = await live_change(board, "sweep", True)
        per = whole / (64 * 1000) * 1e6
        print(f"  sweep on spirals, 3 hidden layers of 16 {activation} units, 64 rates x 1000 epochs: "
              f"{whole:.2f} s, {per:.1f} us per network-epoch")


WATCH = """() => {
    const img = document.querySelector('.jp-OutputArea-output img.widget-image');
    const status = () => document.querySelector('.jp-OutputArea-output .nnlib-status').innerText;
    window.latency = {times: [], done: false, start: null};
    document.addEventListener('keydown', () => { window.latency.start = performance.now(); },
                              {capture: true, once: true});
    const observer = new MutationObserver(() => {
        window.latency.times.push(performance.now() - window.latency.start);
        if (status().includes('final loss')) { observer.disconnect(); window.latency.done = true; }
    });
    observer.observe(img, {attributes: true, attributeFilter: ['src']});
}"""


def in_browser(repeats):
    """Key press to first and to final picture in JupyterLab + Chromium, per dataset and hidden size."""
    import tempfile

    import nbformat

    from tests import browser

    print(f"In JupyterLab + Chromium: key press to first / final picture, ms, median of {repeats}")
    print("  (notebook 09's dashboard: 3000 epochs, learning rate 2, cross-entropy, seed 0)")
    print(f"  {'dataset':12} {'H=8':>15} {'H=32':>15} {'H=64':>15}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "root").mkdir()
        notebook = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "language": "python",
                                                                     "display_name": "Python 3"}})
        notebook.cells = [nbformat.v4.new_code_cell(
            "from nnlib.course.dashboard import dashboard\n"
            "dashboard(dataset='moons', loss='bce', learning_rate=2.0, epochs=3000, seed=0)")]
        nbformat.write(notebook, tmp / "root" / "latency.ipynb")
        with browser.jupyterlab(tmp / "root", tmp) as (base, token, _), browser.chromium(tmp) as chromium:
            page = chromium.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(120_000)
            browser.open_notebook(page, base, token, "latency.ipynb")
            browser.run_all_cells(page)
            settle(page)
            for dataset in ("moons", "spirals", "seed"):
                page.locator(".widget-dropdown", has=page.locator(".widget-label", has_text="dataset")) \
                    .locator("select").select_option(label={"moons": "moons", "spirals": "spirals",
                                                            "seed": "the seed's 4 samples"}[dataset])
                settle(page)
                row = []
                for hidden in (8, 32, 64):
                    slider = page.locator(".widget-slider", has=page.locator(".widget-label", has_text="hidden size"))
                    type_into(page, slider.locator(".widget-readout"), str(hidden - 1))
                    settle(page)
                    firsts, finals = [], []
                    for i in range(repeats):
                        page.evaluate(WATCH)
                        slider.locator(".noUi-handle").focus()
                        page.keyboard.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")  # H, H - 1, H, ...
                        page.wait_for_function("() => window.latency.done")
                        times = page.evaluate("() => window.latency.times")
                        firsts.append(times[0])
                        finals.append(times[-1])
                        settle(page)
                    row.append(f"{statistics.median(firsts):6.0f} / {statistics.median(finals):6.0f}")
                print(f"  {dataset:12} " + " ".join(f"{cell:>15}" for cell in row), flush=True)


def type_into(page, readout, text):
    """Type a value into a slider's readout, as a student can."""
    readout.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)
    page.keyboard.press("Enter")


def settle(page):
    """Wait until the dashboard shows a finished run and sends no picture for a second."""
    page.locator(".jp-OutputArea-output .nnlib-status", has_text="final loss").wait_for()
    page.wait_for_timeout(1000)
    page.locator(".jp-OutputArea-output .nnlib-status", has_text="final loss").wait_for()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=None)
    parser.add_argument("--browser", action="store_true", help="measure in JupyterLab + Chromium")
    args = parser.parse_args()
    print(f"load average (1, 5, 15 min): {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    if args.browser:
        in_browser(args.repeats or 4)
    else:
        asyncio.run(in_process(args.repeats or 7))


if __name__ == "__main__":
    main()
