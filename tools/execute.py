"""Re-execute chapter notebooks in place, storing outputs and widget state.

This is how authors refresh the stored outputs that nbval checks:
    python tools/execute.py                 # every chapter
    python tools/execute.py chapters/03*.ipynb
The board runs in headless mode (LIB_BOARD=final), so each training run
stores exactly one final figure, and every figure must tell its curves apart
without color (LIB_CHECK_FIGURES=1, lib/notebook/figure_lint.py). The numbers the prose quotes are then
rewritten from the new outputs (tools/prose_numbers.py).
"""
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from prose_numbers import refresh

ROOT = Path(__file__).resolve().parent.parent


def execute(path: Path) -> float:
    """Execute one notebook in its own folder, save it, return the seconds taken."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}},
                            store_widget_state=True, record_timing=False)
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    refresh(notebook)
    nbformat.write(notebook, path)
    return seconds


def main(arguments) -> None:
    os.environ["LIB_BOARD"] = "final"
    os.environ["LIB_CHECK_FIGURES"] = "1"  # curves told apart without color (lib.notebook.figure_lint)
    paths = [Path(a) for a in arguments] or sorted((ROOT / "chapters").glob("*.ipynb"))
    total = 0.0
    for path in paths:
        seconds = execute(path)
        total += seconds
        print(f"{seconds:6.1f} s  {path.name}", flush=True)
    print(f"{total:6.1f} s  in all")


if __name__ == "__main__":
    main(sys.argv[1:])
