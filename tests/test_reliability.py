"""Every chapter runs on its own in a fresh kernel, and again in the same kernel, alike.

For each notebook in chapters/ this test starts a fresh kernel, runs every cell,
then runs every cell a second time in the same kernel (a restart-free re-run,
as a reader who presses "Run All" twice). The text outputs of both runs must
equal each other and the outputs stored in the notebook. Together with nbval's
own run this executes every chapter three times with identical text outputs.

Cells tagged `nbval-ignore-output` (wall-clock timings, sliders) are skipped,
as nbval skips them. Images are not compared, as nbval does not compare them.
"""
import os
from pathlib import Path
from typing import List, Tuple

import nbformat
import pytest
from nbclient import NotebookClient

CHAPTERS = sorted((Path(__file__).resolve().parent.parent / "chapters").glob("*.ipynb"))
IGNORED = "nbval-ignore-output"
pytestmark = pytest.mark.slow  # each notebook runs twice in a kernel

CellText = Tuple[int, str]  # (cell index, its text outputs joined)


def cell_text(cell) -> str:
    """A code cell's text outputs: each stream joined, then text/plain results, then errors."""
    streams = {"stdout": "", "stderr": ""}
    results = []
    for output in cell.get("outputs", []):
        if output["output_type"] == "stream":
            streams[output["name"]] += output["text"]
        elif output["output_type"] in ("execute_result", "display_data"):
            results.append(output.get("data", {}).get("text/plain", ""))
        elif output["output_type"] == "error":
            results.append(f"{output['ename']}: {output['evalue']}")
    return "\n".join([f"[stdout]\n{streams['stdout']}", f"[stderr]\n{streams['stderr']}"]
                     + results)


def compared_cells(notebook) -> List[int]:
    return [index for index, cell in enumerate(notebook.cells)
            if cell.cell_type == "code" and IGNORED not in cell.metadata.get("tags", [])]


def texts(notebook, indices: List[int]) -> List[CellText]:
    return [(index, cell_text(notebook.cells[index])) for index in indices]


def run_twice(path: Path) -> Tuple[List[CellText], List[CellText], List[CellText]]:
    """Stored text, text of a fresh run, text of a second run in the same kernel."""
    stored = nbformat.read(path, as_version=4)
    indices = compared_cells(stored)
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    runs = []
    client.reset_execution_trackers()
    with client.setup_kernel():
        for _ in range(2):
            for index, cell in enumerate(notebook.cells):
                client.execute_cell(cell, index)
            runs.append(texts(notebook, indices))
    return texts(stored, indices), runs[0], runs[1]


def first_difference(expected: List[CellText], actual: List[CellText]) -> str:
    for (index, want), (_, got) in zip(expected, actual):
        if want != got:
            return f"cell {index}:\n--- expected\n{want}\n--- got\n{got}"
    return "no difference"


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_fresh_run_and_rerun_give_the_stored_text(path: Path):
    assert os.environ.get("LIB_BOARD") == "final", "conftest sets LIB_BOARD=final"
    stored, first, second = run_twice(path)
    assert first == stored, "a fresh run differs from the stored outputs: " + \
        first_difference(stored, first)
    assert second == first, "re-running in the same kernel changes the outputs: " + \
        first_difference(first, second)
