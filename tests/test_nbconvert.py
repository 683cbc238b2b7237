"""Every chapter through `jupyter nbconvert --to html` (nothing executed) reads right.

nbconvert is what GitHub-like viewers and `File > Save and Export As > HTML`
use. Its page keeps the TeX for MathJax to typeset in the browser, so dollars
and \\tag stay; the site-only MyST markup must not appear, each solution must be
a closed <details> whose markdown was rendered (lists, paragraphs), and each
number the prose quotes must be there as text.
"""
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
NBCONVERT = Path(sys.executable).parent / "jupyter-nbconvert"
RAW_MARKUP = ["{eq}", "{glue", ":::", "(eq-", "{doc}", "{cite}", "quote:"]
MARKED = re.compile(r"<!--quote:(\w+)-->(.*?)<!--/quote-->")

pytestmark = pytest.mark.slow
bs4 = pytest.importorskip("bs4", reason="beautifulsoup4 comes with nbconvert (jupyterlab's)")


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> Path:
    """The folder holding every chapter converted to HTML by one nbconvert run."""
    if not NBCONVERT.exists():
        pytest.skip(f"{NBCONVERT} is missing: nbconvert comes with jupyterlab (`make install`)")
    output = tmp_path_factory.mktemp("nbconvert")
    # The outputs are left out: only the prose is checked, and the figures make it slow.
    subprocess.run([str(NBCONVERT), "--to", "html", "--TemplateExporter.exclude_output=True",
                    "--output-dir", str(output),
                    *map(str, CHAPTERS)], check=True, capture_output=True, timeout=300)
    return output


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda path: path.stem)
def test_nbconvert_html_reads_right(converted, path):
    page = bs4.BeautifulSoup((converted / f"{path.stem}.html").read_text(), "html.parser")
    prose = page.select(".jp-MarkdownOutput")
    for code in page.select(".jp-MarkdownOutput code, .jp-MarkdownOutput pre"):
        code.decompose()
    text = "\n".join(block.get_text() for block in prose)
    assert [markup for markup in RAW_MARKUP if markup in text] == []

    source = nbformat.read(path, as_version=4)
    markdown = "\n".join(cell.source for cell in source.cells if cell.cell_type == "markdown")
    solutions = page.select(".jp-MarkdownOutput details")
    assert len(solutions) == markdown.count("<details>")
    for index, solution in enumerate(solutions):
        assert solution.get("open") is None, f"solution {index} is open"
        assert solution.summary and solution.summary.get_text().strip() == "Solution"
        blocks = [child.name for child in solution.children if getattr(child, "name", None)]
        assert set(blocks) & {"p", "ol", "ul", "div"}, \
            f"solution {index}: its markdown was not rendered ({blocks})"
    quoted = MARKED.findall(markdown)
    assert quoted, "the chapter quotes no computed number"
    for name, number in quoted:
        assert number in text, f"{name} = {number} is not in the page"
