"""The printed book, chapters and sheets (`make pdf`: tools/print_pdf.py), read with pypdf
(tools/pdf_facts.py), and the teachers' page and bundle that offer them.

Reads ``_build/html/book.pdf``, ``_build/html/teachers/*.pdf``, ``linreg-teachers.zip``
(``make test`` makes them first) and the built site they were printed from.
"""
import html as html_text
import re
import sys
import unicodedata
import zipfile
from pathlib import Path

import nbformat
import pytest

from tools.site_audit import ROOT, SITE, toc_pages

sys.path.insert(0, str(ROOT / "tools"))
import pdf_facts  # noqa: E402
import print_pdf  # noqa: E402
import site_teachers  # noqa: E402

pypdf = pytest.importorskip("pypdf", reason="pypdf is pinned in requirements.txt; run `make install`")
PDF = SITE / "book.pdf"
TEACHERS = SITE / "teachers"
CHAPTERS = print_pdf.chapters()
STEMS = [Path(name).name for name in CHAPTERS]
# The decks' own PDFs (slides/<stem>.pdf and -handout.pdf) are made by the decks' build;
# until that is merged they may be missing. Set to True once it is.
DECK_PDFS_REQUIRED = False
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


def read(path: Path):
    if not path.exists():
        pytest.fail(f"{path} is missing: run `make pdf` (make test does it first)")
    assert path.stat().st_mtime >= (SITE / "index.html").stat().st_mtime, (
        f"{path.name} is older than the site: run `make pdf`")
    reader = pypdf.PdfReader(path)
    assert len(reader.pages) > 0
    return reader, [normal(pdf_facts.page_text(page)) for page in reader.pages]


@pytest.fixture(scope="module")
def book():
    return read(PDF)


def all_pdfs():
    return [PDF] + [TEACHERS / f"{stem}{suffix}.pdf" for stem in STEMS
                    for suffix in ("", "-exercises", "-solutions")]


@pytest.fixture(scope="module")
def every_pdf():
    """(path, reader) of the book and every chapter's three PDFs."""
    return [(path, read_unextracted(path)) for path in all_pdfs()]


def read_unextracted(path: Path):
    if not path.exists():
        pytest.fail(f"{path} is missing: run `make pdf` (make test does it first)")
    return pypdf.PdfReader(path)


@pytest.fixture(scope="module")
def printed(book, every_pdf):
    """(path, reader, page texts) of each document Chromium printed: the book and the
    sheets (each chapter's PDF is a run of the book's pages, checked there)."""
    return [(PDF, *book)] + [(path, *read(path)) for path, _ in every_pdf
                             if path.stem.endswith(("-exercises", "-solutions"))]


def test_every_chapter_has_its_pdf_and_two_sheets(book, every_pdf):
    assert len(every_pdf) == 1 + 3 * len(STEMS) and len(STEMS) >= 7
    for path, reader in every_pdf:
        assert len(reader.pages) >= 1, path.name
    starts = chapter_starts(book[0])
    pages = len(book[0].pages)
    for path, reader in every_pdf:  # a chapter's PDF: its pages of the book, and bookmarks
        if path.parent == TEACHERS and "-" not in path.stem:
            first = starts[path.stem]
            later = [start for start in starts.values() if start > first] + [pages + 1]
            assert len(reader.pages) == min(later) - first, path.name
            assert pdf_facts.bookmarks(reader)[0][0] == 0, path.name


def chapter_starts(reader) -> dict:
    """Chapter stem -> the book's page on which it starts."""
    titles = {page_title(name): Path(name).name for name in toc_pages()}
    return {titles[title]: page for depth, mark, page in pdf_facts.bookmarks(reader)
            if depth == 0 for title in titles if normal(mark).endswith(title)}


def test_nothing_is_faded(every_pdf):
    assert sum(len(reader.pages) for _, reader in every_pdf) >= 200
    for path, reader in every_pdf:
        assert not pdf_facts.faded_pages(reader), f"{path.name}: faded pages"


def test_links_stay_inside_the_pdf_or_go_to_the_web(book, every_pdf):
    reader, _ = book
    kinds = [kind for _, kind, _ in pdf_facts.links(reader)]
    assert kinds.count("internal") >= 200, f"only {kinds.count('internal')} internal links"
    assert kinds.count("external") >= 1
    for path, reader in every_pdf:
        local = [target for _, kind, target in pdf_facts.links(reader) if kind == "print server"]
        assert not local, f"{path.name}: {len(local)} links to the print server: {local[:3]}"


def test_internal_links_land_on_a_page(every_pdf):
    checked = 0
    for path, reader in every_pdf:
        names = {name.lstrip("/") for name in reader.named_destinations}
        for number, _, target in pdf_facts.links(reader):
            if target.startswith("/") or target in names:  # a named destination
                checked += 1
                assert target.lstrip("/") in names, f"{path.name} p. {number}: dead link {target}"
    assert checked >= 200


def test_every_page_has_its_number(printed):
    for path, reader, _ in printed:
        numbered = pdf_facts.numbered_pages(reader)
        assert len(numbered) == len(reader.pages), (
            f"{path.name}: pages without their number: "
            f"{sorted(set(range(1, len(reader.pages) + 1)) - set(numbered))[:10]}")


def test_running_heads_name_the_chapter(book):
    reader, _ = book
    marks = [mark for mark in pdf_facts.bookmarks(reader) if mark[0] == 0]
    assert len(marks) == len(toc_pages())
    ends = [page for _, _, page in marks[1:]] + [len(reader.pages) + 1]
    for (_, title, first), end in zip(marks, ends):
        for number in range(first + 1, end):
            runs, _ = pdf_facts.runs_and_boxes(reader.pages[number - 1])
            height = float(reader.pages[number - 1].mediabox.height)
            head = normal(" ".join(run.text for run in runs if run.y > height - pdf_facts.MARGIN_PT))
            assert normal(title) in head, f"page {number}: running head {head!r}, not {title!r}"


def test_one_clean_bookmark_per_section(book):
    reader, texts = book
    marks = pdf_facts.bookmarks(reader)
    expected = []
    for name in toc_pages():
        page = (SITE / f"{name}.html").read_text(encoding="utf-8")
        expected += re.findall(r"<h([1-6])[ >]", page.split('<article', 1)[1].split('</article>')[0])
    assert len(marks) == len(expected) >= 80, (len(marks), len(expected))
    broken = [title for _, title, _ in marks if pdf_facts.broken_bookmark(title)]
    assert not broken, f"broken bookmarks: {broken}"
    for (_, title, page), name in zip([mark for mark in marks if mark[0] == 0], toc_pages()):
        assert normal(title).endswith(page_title(name)), (title, page_title(name))
        assert page_title(name) in texts[page - 1], f"{name}: title not on page {page}"
    for _, title, page in marks:  # each section's heading is on the page its bookmark opens
        words = normal(title).split(". ", 1)[-1][:25]
        assert words.split()[0] in texts[page - 1], f"{title!r} not on page {page}"


def test_the_table_of_contents_gives_each_sections_page(book):
    reader, texts = book
    marks = pdf_facts.bookmarks(reader)
    contents = " ".join(texts[1:marks[0][2] - 1])
    assert contents.startswith("2 Contents")  # the page's number, then the title
    for _, title, page in marks:
        assert f"{normal(title)} {page}" in contents, f"contents lack {title!r} on page {page}"


def test_no_toggle_labels_and_math_is_typeset(printed):
    for path, _, texts in printed:
        for number, text in enumerate(texts, 1):
            for label in ("Hide code cell", "Show code cell", "Click to show"):
                assert label not in text, f"{path.name} p. {number}: {label!r}"
            for raw in (r"\frac", "$$", r"\begin{", r"\mathbf", r"\tag{"):
                assert raw not in text, f"{path.name} p. {number} shows raw TeX {raw!r}"


def test_code_lines_fit_the_page(printed):
    code = sum(1 for _, reader, _ in printed for page in reader.pages
               for run in pdf_facts.runs_and_boxes(page)[0] if "Mono" in run.font)
    assert code >= 1000, f"only {code} runs of code"
    for path, reader, _ in printed:
        wide = pdf_facts.code_past_the_edge(reader)
        assert not wide, f"{path.name}: code past the right edge: {wide[:3]}"


def test_the_print_document_has_every_stylesheet_of_the_site():
    """Display math falls apart without the math's stylesheet, which only pages with math link."""
    document = (ROOT / "_build" / "print" / "book.html").read_text(encoding="utf-8")
    sheets = set()
    for name in toc_pages():
        page = (SITE / f"{name}.html").read_text(encoding="utf-8").split("</head>")[0]
        sheets |= {re.search(r'href="(?:\.\./)*([^"]+)"', link).group(1)
                   for link in re.findall(r"<link[^>]+>", page) if 'rel="stylesheet"' in link}
    assert any("mathjax" in sheet for sheet in sheets)
    missing = [sheet for sheet in sheets if sheet not in document]
    assert not missing, f"the book's print document lacks {missing}"


def test_only_solutions_keep_a_label():
    """A <details> without a summary would print "Details": only solutions keep theirs."""
    documents = sorted((ROOT / "_build" / "print").glob("*.html"))
    assert len(documents) >= 1 + 2 * len(STEMS)
    for document in documents:
        text = document.read_text(encoding="utf-8")
        summaries = re.findall(r"<details[^>]*>\s*<summary[^>]*>(.*?)</summary>", text, re.S)
        assert text.count("<details") == len(summaries), f"{document.name}: unlabeled <details>"
        assert set(summaries) <= {"Solution"}, f"{document.name}: {set(summaries)}"


def test_code_is_in_the_book_and_some_of_it_is_monospace(book):
    reader, _ = book
    mono = sum(1 for page in reader.pages[10:20] for run in pdf_facts.runs_and_boxes(page)[0]
               if "Mono" in run.font)
    assert mono > 50, f"only {mono} runs of code on pages 11-20"


def test_no_page_is_nearly_empty_except_before_a_chapter(book):
    reader, _ = book
    marks = [mark for mark in pdf_facts.bookmarks(reader) if mark[0] == 0]
    exempt = {page - 1 for _, _, page in marks} | {len(reader.pages)}
    checked = 0
    for number, page in enumerate(reader.pages, 1):
        if number in exempt or number < marks[0][2]:
            continue
        checked += 1
        assert pdf_facts.filled(page) >= 0.25, (
            f"page {number} is {1 - pdf_facts.filled(page):.0%} empty")
    assert checked >= 80


def solution_texts(path: Path) -> list:
    """The first words of each solution of a chapter, from its notebook: the prose of each
    <details> Solution block, and each hidden solution cell's first line of code."""
    found = []
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "markdown":
            for body in re.findall(r"<summary>Solution</summary>(.*?)</details>", cell.source, re.S):
                words = re.sub(r"\$[^$]*\$|<!--.*?-->|<[^>]+>|[`*_\[\]]|\(glossary[^)]*\)", " ", body)
                match = re.search(r"[A-Za-z][A-Za-z ,'-]{20,}", normal(words))
                if match:
                    found.append(" ".join(match.group(0).split()[:4]))
        elif "hide-cell" in cell.metadata.get("tags", []):
            line = next((line.strip() for line in cell.source.splitlines()
                         if line.strip() and not line.lstrip().startswith("#")), "")
            if len(line) >= 12:
                found.append(normal(line)[:30])
    return found


@pytest.mark.parametrize("stem", STEMS)
def test_exercise_sheet_has_no_solution_and_solution_sheet_has_them(stem):
    _, exercises = read(TEACHERS / f"{stem}-exercises.pdf")
    _, solutions = read(TEACHERS / f"{stem}-solutions.pdf")
    notebook = ROOT / "chapters" / f"{stem}.ipynb"
    openings = solution_texts(notebook)
    assert len(openings) >= 3, f"{stem}: only {len(openings)} solutions found in the notebook"
    sheet, answers = " ".join(exercises), " ".join(solutions)
    assert re.search(r"\b1\. ", sheet) and "exercises" in sheet
    leaked = [words for words in openings if words in sheet]
    assert not leaked, f"{stem}: solutions in the exercise sheet: {leaked}"
    assert "Solution" not in sheet
    missing = [words for words in openings if words not in answers]
    assert len(missing) <= len(openings) // 4, f"{stem}: solutions missing: {missing}"


def test_solutions_are_printed_open_in_the_book(book):
    _, texts = book
    whole = " ".join(texts)
    openings = [words for path in sorted((ROOT / "chapters").glob("*.ipynb"))
                for words in solution_texts(path)]
    assert len(openings) >= 30
    missing = [words for words in openings if words not in whole]
    assert len(missing) <= len(openings) // 10, f"solutions missing from the book: {missing}"


def test_figures_are_in_place(book):
    reader, _ = book
    figures = sum(len(re.findall(r'<img[^>]*src="[^"]*_images/', (SITE / f"{name}.html")
                                 .read_text(encoding="utf-8"))) for name in toc_pages())
    printed = sum(len(boxes) for page in reader.pages for boxes in [pdf_facts.runs_and_boxes(page)[1]])
    assert figures > 0 and printed >= figures, f"{figures} figures on the site, {printed} in the PDF"


def test_the_teachers_page_links_every_file_of_the_kit():
    page = (SITE / "teachers.html").read_text(encoding="utf-8")
    hrefs = re.findall(r'<a[^>]+href="([^"#?]+)"', page)
    for stem in STEMS:
        for what, path in site_teachers.kit(stem):
            assert path in hrefs, f"the teachers' page lacks {what} of {stem}"
            if path.startswith("slides/") and path.endswith(".pdf") and not DECK_PDFS_REQUIRED:
                continue  # made by the decks' build (see DECK_PDFS_REQUIRED)
            assert (SITE / path).is_file(), f"{path} is missing"
    for path in ("book.pdf", "linreg-teachers.zip"):
        assert path in hrefs and (SITE / path).is_file(), path
    intro = (SITE / "intro.html").read_text(encoding="utf-8")
    assert 'href="teachers.html"' in intro


def test_the_teachers_bundle_runs_the_decks_offline(browser, tmp_path):
    bundle = SITE / "linreg-teachers.zip"
    assert bundle.is_file(), "run `make pdf`"
    with zipfile.ZipFile(bundle) as archive:
        names = archive.namelist()
        archive.extractall(tmp_path)
    folder = tmp_path / "linreg-teachers"
    for stem in STEMS:
        for suffix in ("", "-exercises", "-solutions"):
            assert f"linreg-teachers/teachers/{stem}{suffix}.pdf" in names
        assert f"linreg-teachers/slides/{stem}.html" in names
    assert "linreg-teachers/book.pdf" in names
    page = browser.new_page()
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.on("response", lambda response: failed.append(response.url)
            if response.status >= 400 else None)
    page.goto((folder / "slides" / f"{STEMS[0]}.html").as_uri(), wait_until="load")
    page.wait_for_function("() => window.Reveal && Reveal.isReady && Reveal.isReady()")
    slides = page.evaluate("() => Reveal.getTotalSlides()")
    page.close()
    assert slides > 0
    outside = [url for url in failed if not url.endswith(".ipynb")]
    assert not outside, f"the unpacked deck misses {outside[:5]}"
