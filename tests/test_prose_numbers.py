"""Every number the prose quotes equals the number its notebook printed.

The prose marks each computed number, ``<!--quote:name-->0.0123<!--/quote-->``;
the code cell that prints it says where, in its ``quotes`` metadata
(tools/prose_numbers.py). nbval checks the printed outputs against a fresh
run; this test checks the prose against the printed outputs, so a stale
number fails one of the two.
"""
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from prose_numbers import MARKED, problems, refresh, stored_numbers, template_pattern  # noqa: E402

CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))


def quoted_names(notebook) -> list:
    return [name for cell in notebook.cells if cell.cell_type == "markdown"
            for name, _ in MARKED.findall(cell.source)]


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda path: path.stem)
def test_prose_numbers_equal_the_printed_values(path):
    notebook = nbformat.read(path, as_version=4)
    assert quoted_names(notebook), f"{path.name} quotes no computed number"
    assert not problems(notebook), "\n".join(problems(notebook)) + \
        "\n(run `make execute` to refresh the outputs and the numbers)"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda path: path.stem)
def test_no_code_cell_calls_glue(path):
    notebook = nbformat.read(path, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code, f"{path.name} has no code cell"
    assert not [cell.id for cell in code if "glue(" in cell.source]


def small_notebook(prose_number: str, printed: str = "loss after training: 0.012\n"):
    notebook = nbformat.v4.new_notebook()
    code = nbformat.v4.new_code_cell("print(f'loss after training: {loss:.3f}')")
    code.metadata["quotes"] = {"loss": "loss after training: {}"}
    code.outputs = [nbformat.v4.new_output("stream", name="stdout", text=printed)]
    notebook.cells = [code, nbformat.v4.new_markdown_cell(
        f"The loss is <!--quote:loss-->{prose_number}<!--/quote-->.")]
    return notebook


def test_a_stale_number_is_found_and_refreshed():
    notebook = small_notebook("0.013")
    assert stored_numbers(notebook) == ({"loss": "0.012"}, [])
    assert problems(notebook) == ["cell 1: 'loss' reads '0.013' in the prose, but the run printed '0.012'"]
    assert refresh(notebook) == 1
    assert notebook.cells[1].source == "The loss is <!--quote:loss-->0.012<!--/quote-->."
    assert problems(notebook) == []


def test_a_number_nobody_prints_is_found():
    notebook = small_notebook("0.012")
    notebook.cells[0].outputs = []
    assert problems(notebook) == [
        "cell 0: the quote 'loss' ('loss after training: {}') matches 0 times in the printed output, not once",
        "cell 1: 'loss' is quoted but no cell prints it under a template in its \"quotes\" metadata"]


def test_an_ambiguous_template_is_refused():
    notebook = small_notebook("0.012", "loss after training: 0.012\nloss after training: 0.5\n")
    assert "matches 2 times" in problems(notebook)[0]


@pytest.mark.parametrize("template, text, number", [
    ("noise: {}", "the noise: 0.0101\n", "0.0101"),
    ("{} ms per step", "took 1,234.5 ms  per\nstep", "1,234.5"),
    ("lambda = {}:", "lambda = 3.2e-04: best", "3.2e-04"),
    ("gap {} of", "gap -12% of it", "-12%"),
])
def test_templates_find_the_number(template, text, number):
    assert template_pattern(template).findall(text) == [number]


def test_a_template_needs_one_placeholder():
    with pytest.raises(ValueError, match="exactly one"):
        template_pattern("no placeholder")
