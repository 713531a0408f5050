"""Every notebook is stored as a student should meet it: executed in order, clean, small, as slides."""

import pytest

from tests.helpers import NOTEBOOK_DIR, NOTEBOOKS
from tests.notebook_code import SLIDE_TYPES, read

NAMES = [path.stem for path in NOTEBOOKS]


def test_the_series_is_numbered_from_00_without_gaps():
    assert NAMES, "no notebooks in notebooks/"
    numbers = [name.split("_", 1)[0] for name in NAMES]
    assert numbers == [f"{i:02d}" for i in range(len(NAMES))], NAMES


@pytest.mark.parametrize("name", NAMES)
def test_notebook_is_stored_executed_small_and_as_slides(name):
    path = NOTEBOOK_DIR / f"{name}.ipynb"
    assert path.stat().st_size < 500_000
    nb = read(name)
    counts = [cell.execution_count for cell in nb.cells if cell.cell_type == "code"]
    assert counts == list(range(1, len(counts) + 1))
    for cell in nb.cells:
        assert cell.metadata["slideshow"]["slide_type"] in SLIDE_TYPES
        for output in cell.get("outputs", []):
            assert output.output_type != "error"
            assert not (output.output_type == "stream" and output.name == "stderr")
    assert nb.cells[0].metadata["slideshow"]["slide_type"] == "slide"
