"""The outputs stored in the chapters, which the website shows, are one clean run of each.

The site renders the stored outputs (nothing runs during its build). In `make test`, nbval
runs every chapter once in a fresh kernel and compares each cell with them, then runs the
chapter again in the same kernel, as a reader who presses "Run All" twice, and compares
again (conftest.py queues that second pass). So each chapter is executed once from scratch
per `make test`, plus the re-run that the property needs.

nbval skips a cell that is stored unrun, so a chapter saved half-run would pass it and
show a page with outputs missing. The checks here need no kernel: every code cell ran
once, top to bottom in one kernel (execution counts 1, 2, 3, ...), as tools/execute.py
runs them, and no stored output is an error. The last test shows that the second pass
fails a notebook whose re-run gives other outputs.
"""
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
REFRESH = "run `make execute NB={}` to store a fresh run"


def code_cells(path: Path) -> list:
    notebook = nbformat.read(path, as_version=4)
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_every_cell_is_stored_from_one_run_top_to_bottom(path: Path):
    counts = [cell.execution_count for cell in code_cells(path)]
    assert counts == list(range(1, len(counts) + 1)), (
        f"execution counts {counts} are not one run of every cell in order; "
        + REFRESH.format(path.relative_to(ROOT)))


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_no_stored_output_is_an_error(path: Path):
    errors = [f"cell {index}: {output.ename}: {output.evalue}"
              for index, cell in enumerate(code_cells(path))
              if "raises-exception" not in cell.metadata.get("tags", [])
              for output in cell.outputs if output.output_type == "error"]
    assert not errors, "\n".join(errors)


def stored_run(source: str, text: str):
    """A one-cell notebook stored as if run once: `source` printed `text`."""
    cell = nbformat.v4.new_code_cell(source, execution_count=1, outputs=[
        nbformat.v4.new_output("stream", name="stdout", text=text)])
    return nbformat.v4.new_notebook(cells=[cell], metadata={"kernelspec": {
        "name": "python3", "display_name": "Python 3", "language": "python"}})


@pytest.mark.slow  # starts pytest and a kernel
@pytest.mark.notebook
def test_second_run_all_catches_a_notebook_that_counts_its_runs():
    (ROOT / "_build").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(dir=ROOT / "_build") as folder:
        path = Path(folder) / "counts_runs.ipynb"
        nbformat.write(stored_run('runs = globals().get("runs", 0) + 1\nprint(runs)', "1\n"),
                       path)
        report = subprocess.run(
            [sys.executable, "-m", "pytest", "-p", "no:xdist", "-rA", "--nbval",
             "--nbval-current-env", str(path.relative_to(ROOT))],
            cwd=ROOT, capture_output=True, text=True, timeout=120)
    lines = report.stdout.splitlines()
    assert any(line.startswith("PASSED") and line.endswith("::Cell 0") for line in lines), (
        report.stdout)
    assert any(line.startswith("FAILED") and "::Cell 0 rerun" in line for line in lines), (
        report.stdout)
