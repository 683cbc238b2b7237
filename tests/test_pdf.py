"""The book as one PDF (`make pdf`, tools/print_pdf.py): every chapter, in order, typeset.

Reads ``_build/html/book.pdf`` (``make test`` prints it first) and the built
site it was printed from.
"""
import html as html_text
import re
import unicodedata
from pathlib import Path

import pytest

from tools.site_audit import SITE, toc_pages

pypdf = pytest.importorskip("pypdf", reason="pypdf is pinned in requirements.txt; run `make install`")
PDF = SITE / "book.pdf"
pytestmark = pytest.mark.slow


def normal(text: str) -> str:
    """Text with ligatures unfolded (ﬁ -> fi) and runs of white space made one space."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def page_title(name: str) -> str:
    """The title a page of the site shows in its <h1> (without the "#" link)."""
    page = (SITE / f"{name}.html").read_text(encoding="utf-8")
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1)
    heading = re.sub(r'<a class="headerlink".*?</a>', "", heading, flags=re.S)
    return normal(html_text.unescape(re.sub(r"<[^>]+>", "", heading)))


@pytest.fixture(scope="module")
def book():
    if not PDF.exists():
        pytest.fail(f"{PDF} is missing: run `make pdf` (make test does it first)")
    assert PDF.stat().st_mtime >= (SITE / "index.html").stat().st_mtime, (
        "the PDF is older than the site: run `make pdf`")
    reader = pypdf.PdfReader(PDF)
    texts = [normal(page.extract_text() or "") for page in reader.pages]
    return reader, texts


def image_names(page) -> list:
    """The images a PDF page draws, also inside its form XObjects, without decoding them."""
    def images_in(resources) -> list:
        found = []
        objects = resources.get("/XObject", {}) if resources else {}
        for key, value in objects.items():
            value = value.get_object()
            if value.get("/Subtype") == "/Image":
                found.append(key)
            elif value.get("/Subtype") == "/Form":
                found += images_in(value.get("/Resources"))
        return found
    return images_in(page.get("/Resources"))


def test_one_part_per_page_of_the_book_in_order(book):
    reader, texts = book
    names = toc_pages()
    outline = [item for item in reader.outline if not isinstance(item, list)]
    titles = [page_title(name) for name in names]
    assert len(outline) == len(names), [item.title for item in outline]
    for item, title in zip(outline, titles):  # the outline adds the chapter's number
        assert normal(item.title).endswith(title), (item.title, title)
    starts = [reader.get_destination_page_number(item) for item in outline]
    assert starts == sorted(starts) and len(set(starts)) == len(starts), starts
    # every chapter takes at least two pages (text, code and figures), and the book
    # is not padded with blank pages
    assert 2 * len(names) <= len(reader.pages) <= 400, len(reader.pages)
    blank = [number for number, (page, text) in enumerate(zip(reader.pages, texts), 1)
             if not text and not image_names(page)]
    assert not blank, f"blank pages: {blank}"


def test_each_chapter_title_opens_its_part(book):
    reader, texts = book
    outline = [item for item in reader.outline if not isinstance(item, list)]
    for name, item in zip(toc_pages(), outline):
        start = reader.get_destination_page_number(item)
        assert page_title(name) in texts[start], f"{name}: title not on page {start + 1}"


def test_math_is_typeset_not_raw_tex(book):
    _, texts = book
    for number, text in enumerate(texts, 1):
        for raw in (r"\frac", "$$", r"\begin{", r"\mathbf", r"\tag{", r"\("):
            assert raw not in text, f"page {number} shows raw TeX {raw!r}: {text[:200]}"


def solution_openings():
    """The first words of every solution on the site, as (page, words)."""
    for name in toc_pages():
        page = (SITE / f"{name}.html").read_text(encoding="utf-8")
        for body in re.findall(r"<details[^>]*>\s*<summary[^>]*>\s*Solution\s*</summary>(.*?)"
                               r"</details>", page, re.S):
            paragraph = re.search(r"<p>(.*?)</p>", body, re.S)
            if not paragraph:
                continue
            # the words before the first formula (whose glyphs the PDF's text spells otherwise)
            words = re.sub(r"<mjx-container.*?</mjx-container>", "|", paragraph.group(1),
                           flags=re.S)
            text = normal(html_text.unescape(re.sub(r"<[^>]+>", "", words)))
            words = re.match(r"[A-Za-z][A-Za-z ,'’-]{15,}", text)
            if words:
                yield name, " ".join(words.group(0).split()[:4])


def test_solutions_are_printed_open(book):
    _, texts = book
    whole = " ".join(texts)
    openings = list(solution_openings())
    assert openings, "the site has no solutions to look for"
    missing = [(name, words) for name, words in openings if words not in whole]
    assert not missing, f"solutions missing from the PDF: {missing}"


def test_figures_are_in_place(book):
    reader, _ = book
    figures = sum(len(re.findall(r'<img[^>]*src="[^"]*_images/', (SITE / f"{name}.html")
                                 .read_text(encoding="utf-8"))) for name in toc_pages())
    printed = sum(len(image_names(page)) for page in reader.pages)
    assert printed >= figures, f"{figures} figures on the site, {printed} images in the PDF"
