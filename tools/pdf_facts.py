"""Facts about a printed PDF, read with pypdf: what tests/test_pdf.py checks, and what the
issue's table measures.

    python tools/pdf_facts.py _build/html/book.pdf     # prints the table's PDF rows

- faded pages: pages drawn with a graphics state whose opacity (/ca, /CA) is between 0 and 1
  (Chromium paints a transparent background with opacity 0: that fades nothing);
- links: internal (to a place in the PDF), to the temporary print server (127.0.0.1,
  localhost), or out to the web;
- bookmarks: (depth, title, page), and the broken ones (a title doubled, a formula lost,
  a bare "Contents");
- page numbers: pages whose foot or head carries their own number;
- text runs with their place on the page, code lines past the text's right edge, and
  how much of each page's height is filled.
"""
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Dict, List, NamedTuple, Tuple

from pypdf import PdfReader

MARGIN_PT = 18 * 72 / 25.4  # assets/print.css: 18 mm at the head and foot
SIDE_PT = 16 * 72 / 25.4  # 16 mm at the sides
MONO_ADVANCE = 0.602  # DejaVu Sans Mono's advance, in em
LOCAL = re.compile(r"^https?://(127\.0\.0\.1|localhost)[:/]")


class Run(NamedTuple):
    """A run of text: its start (x, y from the page's foot), size and font, and its text."""
    x: float
    y: float
    size: float
    font: str
    text: str


def transform(point: Tuple[float, float], matrix: List[float]) -> Tuple[float, float]:
    x, y = point
    return (x * matrix[0] + y * matrix[2] + matrix[4], x * matrix[1] + y * matrix[3] + matrix[5])


_READ: Dict[int, tuple] = {}  # id of a page -> (page, its runs and boxes): read once


def runs_and_boxes(page) -> Tuple[List[Run], List[Tuple[float, float]]]:
    """The page's text runs, and the vertical extent (low, high) of each image or form it
    draws."""
    if id(page) in _READ and _READ[id(page)][0] is page:
        return _READ[id(page)][1]
    runs, boxes = [], []

    def text(content, cm, tm, font, size):
        if content.strip():
            x, y = transform((tm[4], tm[5]), cm)
            scale = (abs(tm[3] * cm[3]) or abs(tm[1] * cm[2])) or 1
            runs.append(Run(x, y, size * scale, str((font or {}).get("/BaseFont", "")),
                            content))

    def operator(op, operands, cm, tm):
        if op == b"Do":
            corners = [transform(corner, cm) for corner in ((0, 0), (1, 1))]
            boxes.append((min(y for _, y in corners), max(y for _, y in corners)))

    words = page.extract_text(visitor_text=text, visitor_operand_before=operator) or ""
    _READ[id(page)] = (page, (runs, boxes), words)
    return runs, boxes


def page_text(page) -> str:
    """The page's text, as pypdf extracts it (read once, with its runs)."""
    runs_and_boxes(page)
    return _READ[id(page)][2]


def faded_pages(reader: PdfReader) -> List[int]:
    """Pages (from 1) with a graphics state whose opacity is between 0 and 1, in forms too."""
    def faded(resources, seen) -> bool:
        if not resources or id(resources) in seen:
            return False
        seen.add(id(resources))
        for state in (resources.get("/ExtGState") or {}).values():
            state = state.get_object()
            alphas = [float(state.get(key, 1)) for key in ("/ca", "/CA")]
            if any(0 < alpha < 0.999 for alpha in alphas):  # 0: an invisible background
                return True
        for xobject in (resources.get("/XObject") or {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form" and faded(xobject.get("/Resources"), seen):
                return True
        return False
    return [number for number, page in enumerate(reader.pages, 1)
            if faded(page.get("/Resources"), set())]


def links(reader: PdfReader) -> List[Tuple[int, str, str]]:
    """(page, kind, target) of every link: kind is 'internal', 'print server' or 'external'."""
    found = []
    for number, page in enumerate(reader.pages, 1):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") != "/Link":
                continue
            action = annotation.get("/A")
            action = action.get_object() if action else {}
            if "/Dest" in annotation or action.get("/S") == "/GoTo":
                found.append((number, "internal", str(annotation.get("/Dest") or action.get("/D"))))
            else:
                uri = str(action.get("/URI", ""))
                found.append((number, "print server" if LOCAL.match(uri) else "external", uri))
    return found


def bookmarks(reader: PdfReader) -> List[Tuple[int, str, int]]:
    """(depth, title, page from 1) of every bookmark, in reading order."""
    found = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title, reader.get_destination_page_number(item) + 1))
    walk(reader.outline, 0)
    return found


def broken_bookmark(title: str) -> bool:
    """A title doubled ("4.8. 4.8. SummarySummary"), with a formula lost (two spaces, or
    nothing after a colon), or a bare "Contents"."""
    words = title.split()
    doubled = re.match(r"^(\d+(?:\.\d+)*\.) \1 ", title) or re.search(r"\b(\w{4,})\1\b", title)
    half = len(title) // 2
    return bool(doubled or "  " in title or title.rstrip().endswith(":")
                or title.strip() == "Contents" or not words
                or (len(title) % 2 == 0 and title[:half] == title[half:]))


def numbered_pages(reader: PdfReader, label_offset: int = 0) -> List[int]:
    """Pages (from 1) whose foot or head margin shows their number (plus `label_offset`, for
    a chapter cut out of the book)."""
    found = []
    for number, page in enumerate(reader.pages, 1):
        height = float(page.mediabox.height)
        runs, _ = runs_and_boxes(page)
        if any(run.text.strip() == str(number + label_offset)
               and (run.y < MARGIN_PT or run.y > height - MARGIN_PT) for run in runs):
            found.append(number)
    return found


def code_past_the_edge(reader: PdfReader) -> List[Tuple[int, str]]:
    """(page, text) of each run of monospace text that ends past the text's right edge."""
    found = []
    for number, page in enumerate(reader.pages, 1):
        edge = float(page.mediabox.width) - SIDE_PT + 2
        runs, _ = runs_and_boxes(page)
        for run in runs:
            if "Mono" in run.font and run.x + MONO_ADVANCE * run.size * len(run.text) > edge:
                found.append((number, run.text))
    return found


def filled(page) -> float:
    """The fraction of the page's text height (between the margins) that its content spans,
    from the top margin down to the lowest text or figure."""
    height = float(page.mediabox.height)
    runs, boxes = runs_and_boxes(page)
    lows = [run.y for run in runs if MARGIN_PT <= run.y <= height - MARGIN_PT]
    lows += [low for low, high in boxes if high > MARGIN_PT]
    if not lows:
        return 0.0
    return min(1.0, (height - MARGIN_PT - max(min(lows), MARGIN_PT)) / (height - 2 * MARGIN_PT))


def table(path: Path) -> Dict[str, object]:
    """The issue's rows for one PDF."""
    reader = PdfReader(path)
    kinds = Counter(kind for _, kind, _ in links(reader))
    marks = bookmarks(reader)
    return {"pages": len(reader.pages), "faded pages": len(faded_pages(reader)),
            "links": sum(kinds.values()), "links to the print server": kinds["print server"],
            "internal links": kinds["internal"], "external links": kinds["external"],
            "pages with a page number": len(numbered_pages(reader)),
            "bookmarks": len(marks),
            "broken bookmarks": sum(broken_bookmark(title) for _, title, _ in marks),
            "monospace runs past the edge": len(code_past_the_edge(reader))}


if __name__ == "__main__":
    for argument in sys.argv[1:]:
        print(argument)
        for key, value in table(Path(argument)).items():
            print(f"  {key}: {value}")
