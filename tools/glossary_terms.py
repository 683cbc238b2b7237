"""The glossary's terms and their Korean names, read from chapters/glossary.md.

Two layouts are understood:

- one section per term: a ``### term`` heading, then a line that opens with
  ``<span lang="ko">한국어</span> — definition``;
- a markdown table whose header names the columns ``English`` and ``한국어`` (any other
  columns, such as the definition and the first section, are ignored).

The decks (tools/slides.py) gloss a term at its first use as "English (한국어)".
"""
import re
from pathlib import Path
from typing import Dict

GLOSSARY = Path(__file__).resolve().parent.parent / "chapters" / "glossary.md"
KOREAN_SPAN = re.compile(r'<span lang="ko">(.*?)</span>')
TAGS = re.compile(r"<[^>]+>")


def _cells(row: str) -> list:
    return [cell.strip() for cell in row.strip().strip("|").split("|")]


def _plain(text: str) -> str:
    """Markdown table cell text without links, emphasis or tags."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return TAGS.sub("", text).replace("*", "").strip()


def parse(markdown: str) -> Dict[str, str]:
    """{English term: Korean term} of a glossary in either layout; "" where the Korean is missing."""
    terms: Dict[str, str] = {}
    lines = markdown.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("### "):
            body = next((later for later in lines[index + 1:] if later.strip()), "")
            found = KOREAN_SPAN.search(body) if not body.startswith("#") else None
            terms[line[4:].strip()] = found.group(1).strip() if found else ""
        elif line.lstrip().startswith("|") and index + 1 < len(lines) and re.match(
                r"^\s*\|?\s*:?-{3,}", lines[index + 1]):
            header = [_plain(cell).lower() for cell in _cells(line)]
            if "english" not in header or "한국어" not in header:
                continue
            english, korean = header.index("english"), header.index("한국어")
            for row in lines[index + 2:]:
                if not row.lstrip().startswith("|"):
                    break
                cells = _cells(row)
                if len(cells) > max(english, korean) and _plain(cells[english]):
                    terms[_plain(cells[english])] = _plain(cells[korean])
    return terms


def load(path: Path = GLOSSARY) -> Dict[str, str]:
    """The glossary's terms; fails when it holds none."""
    terms = parse(path.read_text(encoding="utf-8"))
    if not terms:
        raise ValueError(f"{path}: no glossary terms found (neither ### headings nor an "
                         "English | 한국어 table)")
    return terms
