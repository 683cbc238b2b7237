"""Print the book, each chapter and each chapter's exercise and solution sheets as PDFs, with
Chromium, from the built site (no LaTeX):

    python tools/print_pdf.py     # _build/html/book.pdf, _build/html/teachers/*.pdf and
                                  # the teacher's bundle, _build/html/linreg-teachers.zip

Each chapter's own PDF is cut out of the book. tools/print_html.py composes each document (solutions open, links kept inside it, code
that fits the page); assets/print.css lays it out (A4, page numbers, running heads).
Chromium prints it with one bookmark per heading, whose titles are then set to the
headings' words (Chromium's own lose the math and repeat some). The book is printed twice:
the first printing tells on which page each section starts, for the table of contents.

    teachers/03_synthetic_data.pdf             the chapter
    teachers/03_synthetic_data-exercises.pdf   its exercises, no solution
    teachers/03_synthetic_data-solutions.pdf   its exercises with their worked solutions

tests/test_pdf.py checks the result.
"""
import io
import shutil
import sys
import time
from pathlib import Path
from typing import Dict, List, Tuple

import yaml
from bs4 import BeautifulSoup
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, FloatObject, NameObject, NumberObject, TextStringObject

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build_archive  # noqa: E402
import print_html  # noqa: E402
import site_audit  # noqa: E402  (serve, chromium, toc_pages, FONTS_LOADED)

ROOT = site_audit.ROOT
PDF = site_audit.SITE / "book.pdf"
TEACHERS = site_audit.SITE / "teachers"
WORK = ROOT / "_build" / "print"  # the composed HTML documents (not part of the site)


def chapters() -> List[str]:
    """The numbered chapters of `_toc.yml` (pages such as 'chapters/03_synthetic_data')."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    return [entry["file"] for part in toc.get("parts", []) if part.get("numbered")
            for entry in part.get("chapters", [])]


def headings(html: str) -> List[Tuple[str, str]]:
    """(words, id of the enclosing section) of every heading of a document, in order."""
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for heading in soup.body.find_all(["h1", "h2", "h3", "h4", "h5", "h6"]):
        section = heading.find_parent("section")
        found.append((print_html.heading_text(heading), section.get("id", "") if section else ""))
    return found


def outline_items(writer: PdfWriter) -> list:
    """The bookmarks of a PDF in reading order (depth first)."""
    items, stack = [], []
    root = writer._root_object.get("/Outlines")
    item = root.get_object().get("/First") if root else None
    while item is not None or stack:
        if item is None:
            item = stack.pop()
            continue
        item = item.get_object()
        items.append(item)
        if "/Next" in item:
            stack.append(item["/Next"])
        item = item.get("/First")
    return items


def render(browser, base: str, name: str, html: str) -> bytes:
    """Chromium's PDF of one composed document."""
    path = WORK / f"{name}.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    page = browser.new_page()
    try:
        page.goto(f"{base}/print/{name}.html", wait_until="load")
        page.emulate_media(media="print")
        page.evaluate(site_audit.FONTS_LOADED)
        page.wait_for_function("() => [...document.images].every(image => image.complete)")
        return page.pdf(prefer_css_page_size=True, print_background=True, outline=True,
                        tagged=True)
    finally:
        page.close()


def finish(printed: bytes, html: str, title: str, output: Path) -> Dict[str, int]:
    """Give the PDF's bookmarks the headings' words and write it to `output`; returns the
    page number (from 1) on which each heading's section starts.

    A bookmark goes where the link to its section goes (the table of contents links every
    section): Chromium puts some bookmarks one page early, before a heading that moved to
    the next page to stay with its text."""
    reader = PdfReader(io.BytesIO(printed))
    targets = {name.lstrip("/"): (reader.get_destination_page_number(destination),
                                  destination.top)
               for name, destination in reader.named_destinations.items()}
    writer = PdfWriter(clone_from=reader)
    items, words = outline_items(writer), headings(html)
    if len(items) != len(words):
        raise RuntimeError(f"{output.name}: {len(items)} bookmarks for {len(words)} headings")
    numbers = {page.indirect_reference.idnum: number
               for number, page in enumerate(writer.pages, 1)}
    pages = {}
    for item, (text, section) in zip(items, words):
        item[NameObject("/Title")] = TextStringObject(text)
        if section in targets:
            index, top = targets[section]
            item[NameObject("/Dest")] = ArrayObject([
                writer.pages[index].indirect_reference, NameObject("/XYZ"), NumberObject(0),
                FloatObject(top or 0), NumberObject(0)])
            if "/A" in item:
                del item["/A"]
        destination = item.get("/Dest") or item["/A"]["/D"]
        pages.setdefault(section, numbers[destination[0].idnum])
    writer.add_metadata({"/Title": title})
    writer.page_mode = "/UseOutlines"
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("wb") as handle:
        writer.write(handle)
    return pages


def split_chapter(book: Path, first: int, last: int, title: str, output: Path) -> None:
    """Pages `first` to `last` (from 1) of the book as a PDF of their own: the chapter keeps
    the book's page numbers, its bookmarks and the links that stay inside it."""
    writer = PdfWriter()
    writer.append(str(book), pages=(first - 1, last), import_outline=True)
    writer.add_metadata({"/Title": title})
    writer.page_mode = "/UseOutlines"
    with output.open("wb") as handle:
        writer.write(handle)


def print_all() -> List[Path]:
    """Print the book and every chapter's two sheets, and cut each chapter out of the book;
    returns the files written."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    title, author = config["title"], config["author"]
    names = site_audit.toc_pages()
    inside = {name: print_html.key_of(name) for name in names}
    parts = [print_html.Part(name, inside) for name in names]
    written = [PDF]
    shutil.rmtree(WORK, ignore_errors=True)  # no document of an earlier run lingers
    TEACHERS.mkdir(parents=True, exist_ok=True)
    with site_audit.serve(ROOT / "_build", compress=False) as base, \
            site_audit.chromium() as browser:
        html = print_html.book_html(parts, title, author)
        starts = finish(render(browser, base, "book", html), html, title, PDF)
        html = print_html.book_html(parts, title, author, starts)
        finish(render(browser, base, "book", html), html, title, PDF)
        for part in parts:
            if part.name not in chapters():
                continue
            for solutions, suffix in ((False, "exercises"), (True, "solutions")):
                html, _ = print_html.sheet_html(part, solutions)
                output = TEACHERS / f"{part.key}-{suffix}.pdf"
                finish(render(browser, base, f"{part.key}-{suffix}", html), html,
                       headings(html)[0][0], output)
                written.append(output)
    firsts = [starts[part.toc[0][2]] for part in parts] + [len(PdfReader(PDF).pages) + 1]
    for index, part in enumerate(parts):
        if part.name in chapters():
            output = TEACHERS / f"{part.key}.pdf"
            split_chapter(PDF, firsts[index], firsts[index + 1] - 1, part.title, output)
            written.append(output)
    return written


if __name__ == "__main__":
    start = time.perf_counter()
    for path in print_all():
        pages = len(PdfReader(path).pages)
        print(f"wrote {path.relative_to(ROOT)}: {pages} pages, {path.stat().st_size / 1e6:.1f} MB")
    print(f"printed in {time.perf_counter() - start:.0f} s")
    bundle = build_archive.write_teacher_bundle()  # the decks and every PDF, for offline use
    print(f"wrote {bundle.relative_to(ROOT)}: {bundle.stat().st_size / 1e6:.1f} MB")
