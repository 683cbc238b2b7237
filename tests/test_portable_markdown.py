"""Every chapter's markdown uses only forms that every notebook client renders.

JupyterLab, Notebook 7, VS Code, Colab and GitHub render CommonMark with HTML
and dollar math, but not MyST's roles (``{eq}`x` ``), directive fences
(``:::{admonition}``, ```` ```{note} ````), labelled display math
(``$$ ... $$ (label)``) or targets (``(label)=``): those show as raw text
everywhere but the website. The portable forms are listed in README.md
("Writing a chapter").
"""
import re
from pathlib import Path

import nbformat
import pytest

CHAPTERS = sorted((Path(__file__).resolve().parent.parent / "chapters").glob("*.ipynb"))

SITE_ONLY = {
    "role": re.compile(r"\{[\w:-]+\}`"),
    "directive fence": re.compile(r"^ *(?::{3,}|`{3,}|~{3,}) *\{[\w-]+\}", re.M),
    "labelled display math": re.compile(r"\$\$ *\([\w-]+\) *$", re.M),
    "target": re.compile(r"^\([\w-]+\)= *$", re.M),
    "directive option": re.compile(r"^:(class|name|label|dropdown):", re.M),
}
# Constructs allowed to stay despite matching, each with its reason: (chapter, text) -> reason.
ALLOWED: dict = {}


def markdown_cells(path: Path):
    """(index, source) of each markdown cell of the notebook at `path`."""
    notebook = nbformat.read(path, as_version=4)
    return [(index, cell.source) for index, cell in enumerate(notebook.cells)
            if cell.cell_type == "markdown"]


def site_only_constructs(markdown: str) -> list:
    """(kind, text) for each piece of site-only MyST syntax in `markdown`."""
    found = []
    for kind, pattern in SITE_ONLY.items():
        found += [(kind, match.group(0).strip()) for match in pattern.finditer(markdown)]
    return found


def test_the_check_finds_each_kind_of_site_only_syntax():
    sample = ("See {eq}`eq-x` and {doc}`04_from_scratch`.\n:::{admonition} Solution\n"
              ":class: dropdown\n:::\n```{note}\nhi\n```\n$$\nx\n$$ (eq-x)\n(sec-x)=\n")
    kinds = {kind for kind, _ in site_only_constructs(sample)}
    assert kinds == set(SITE_ONLY)
    assert site_only_constructs("Plain $x$, $$\nx \\tag{1.2}\n$$ and [a link](a.ipynb).\n") == []


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda path: path.stem)
def test_markdown_has_no_site_only_syntax(path):
    found = []
    for index, source in markdown_cells(path):
        found += [f"cell {index}: {kind}: {text}" for kind, text in site_only_constructs(source)
                  if (path.stem, text) not in ALLOWED]
    assert not found, "site-only MyST syntax shows raw in notebook clients:\n" + "\n".join(found)


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda path: path.stem)
def test_solutions_are_collapsed_details(path):
    """Each solution is a <details> block whose markdown is separated by blank lines."""
    for index, source in markdown_cells(path):
        opened = source.count("<details>")
        assert opened == source.count("</details>"), f"cell {index}: unbalanced <details>"
        for block in re.findall(r"<details>(.*?)</details>", source, re.S):
            assert re.match(r"\n<summary>[^<]+</summary>\n\n", block), \
                f"cell {index}: <details> must open with <summary>...</summary> and a blank line"
            assert block.endswith("\n\n"), f"cell {index}: a blank line must precede </details>"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda path: path.stem)
def test_solution_code_is_hidden_everywhere(path):
    """Code cells after the Exercises heading are hidden on the site and in Jupyter."""
    notebook = nbformat.read(path, as_version=4)
    in_exercises = False
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "markdown" and re.search(r"^## Exercises", cell.source, re.M):
            in_exercises = True
        if in_exercises and cell.cell_type == "code":
            assert cell.metadata.get("jupyter", {}).get("source_hidden") is True, f"cell {index}"
            assert {"hide-cell", "hide-input"} & set(cell.metadata.get("tags", [])), f"cell {index}"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda path: path.stem)
def test_equation_numbers_are_unique_and_in_order(path):
    """\\tag{N.k} numbers run 1, 2, ... within chapter N, and every (N.k) cited exists."""
    markdown = "\n".join(source for _, source in markdown_cells(path))
    chapter = int(path.name[:2])
    tags = re.findall(r"\\tag\{(\d+)\.(\d+)\}", markdown)
    assert [(int(c), int(k)) for c, k in tags] == [(chapter, k) for k in range(1, len(tags) + 1)]
    defined = {f"{c}.{k}" for c, k in tags}
    for cited in re.findall(rf"\(({chapter}\.\d+)\)", markdown):
        assert cited in defined, f"equation ({cited}) is cited but not defined"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda path: path.stem)
def test_links_between_chapters_point_at_notebooks_that_exist(path):
    for _, source in markdown_cells(path):
        for target in re.findall(r"\]\(([^)#\s]+\.ipynb)(?:#[^)]*)?\)", source):
            assert (path.parent / target).exists(), f"link to missing {target}"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda path: path.stem)
def test_lesson_code_says_nothing_about_the_tests(path):
    """Why an output is not compared is told in the cell's metadata, not to the student."""
    notebook = nbformat.read(path, as_version=4)
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        assert not re.search(r"\bnbval\b|\btests?/|\bthe tests\b|pytest", cell.source), f"cell {index}"
        if "nbval-ignore-output" in cell.metadata.get("tags", []):
            assert cell.metadata.get("nbval-ignore-output-reason"), \
                f"cell {index} is not compared: say why in its metadata (nbval-ignore-output-reason)"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda path: path.stem)
def test_no_line_of_prose_starts_with_an_html_comment(path):
    """A line that starts with `<!--` opens an HTML block in CommonMark: it cuts the paragraph
    and leaves the markdown (math, emphasis) of that line raw in every client."""
    for index, source in markdown_cells(path):
        assert not re.search(r"(?m)^\s*<!--", source), f"cell {index}"
