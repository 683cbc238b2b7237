"""Every number the prose quotes equals the value its notebook computed.

The prose marks each computed number, ``<!--glue:name-->0.0123<!--/glue-->``;
the cell that computes it records the same text with ``glue`` (lib/glue.py).
nbval checks the recorded outputs against a fresh run; this test checks the
prose against the recorded outputs, so a stale number fails one of the two.
"""
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from prose_numbers import problems, refresh, stored_numbers  # noqa: E402

CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda path: path.stem)
def test_prose_numbers_equal_the_computed_values(path):
    notebook = nbformat.read(path, as_version=4)
    assert not problems(notebook), "\n".join(problems(notebook)) + \
        "\n(run `make execute` to refresh the outputs and the numbers)"


def small_notebook(prose_number: str):
    notebook = nbformat.v4.new_notebook()
    code = nbformat.v4.new_code_cell("glue('loss', 0.01234, '.3f')")
    code.outputs = [nbformat.v4.new_output("display_data",
                                           data={"text/html": "<!-- glue loss = 0.012 -->"})]
    notebook.cells = [code, nbformat.v4.new_markdown_cell(
        f"The loss is <!--glue:loss-->{prose_number}<!--/glue-->.")]
    return notebook


def test_a_stale_number_is_found_and_refreshed():
    notebook = small_notebook("0.013")
    assert stored_numbers(notebook) == {"loss": "0.012"}
    assert problems(notebook) == ["cell 1: 'loss' reads '0.013' in the prose, but the run computed '0.012'"]
    assert refresh(notebook) == 1
    assert notebook.cells[1].source == "The loss is <!--glue:loss-->0.012<!--/glue-->."
    assert problems(notebook) == []


def test_a_number_nobody_glues_is_found():
    notebook = small_notebook("0.012")
    notebook.cells[0].outputs = []
    assert problems(notebook) == ["cell 1: 'loss' is quoted but no cell glues it"]
