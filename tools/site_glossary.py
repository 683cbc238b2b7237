"""A Sphinx extension for the glossary page (chapters/glossary.md), a table of
English | 한국어 | definition | first section.

- Each row of the table gets the id of its English term (``glossary.md#weight-decay``), and
  MyST learns these ids, so the chapters' links to a term are checked by the -W build as
  links to a heading are.
- A row without a Korean term (no Hangul in its second column) fails the build, naming it.
- Every run of Hangul on the page is marked ``lang="ko"``, which screen readers need and
  which assets/korean.css gives the site's own Korean font (tools/korean_font.py).
"""
import re

from docutils import nodes
from myst_parser.mdit_to_docutils.base import default_slugify
from sphinx.util import logging

GLOSSARY = "chapters/glossary"
HEADER = ["English", "한국어", "definition", "first section"]
HANGUL = re.compile(r"[\uac00-\ud7a3]+(?:[ \uac00-\ud7a3]*[\uac00-\ud7a3])?")
logger = logging.getLogger(__name__)


def glossary_rows(doctree) -> list:
    """The body rows of the glossary's table (the one whose header is HEADER)."""
    for table in doctree.findall(nodes.table):
        head = next(table.findall(nodes.thead), None)
        if head and [entry.astext().strip() for entry in head.findall(nodes.entry)] == HEADER:
            return [row for body in table.findall(nodes.tbody) for row in body.children]
    return []


def terms_without_korean(rows: list) -> list:
    """The English terms of the rows whose second column holds no Hangul."""
    return [row.children[0].astext().strip() for row in rows
            if not HANGUL.search(row.children[1].astext())]


def mark_terms(app, doctree) -> None:
    """Give each row its term's id, make MyST know it, and refuse a row with no Korean."""
    if app.env.docname != GLOSSARY:
        return
    rows = glossary_rows(doctree)
    if not rows:
        logger.warning(f"{GLOSSARY}: no table with the columns {' | '.join(HEADER)}",
                       location=GLOSSARY)
    for term in terms_without_korean(rows):
        logger.warning(f"glossary term {term!r} has no Korean term (column 한국어)",
                       location=GLOSSARY)
    slugs = app.env.metadata[GLOSSARY].setdefault("myst_slugs", {})
    for row in rows:
        term = row.children[0].astext().strip()
        slug = default_slugify(term)
        row["ids"].append(slug)
        slugs[slug] = (row.line or 0, slug, term)
    for text in list(doctree.findall(nodes.Text)):
        if HANGUL.search(text) and not isinstance(text.parent, (nodes.literal, nodes.raw)):
            text.parent.replace(text, hangul_marked(text.astext()))


def hangul_marked(text: str) -> list:
    """`text` as nodes, each run of Hangul in a <span lang="ko">."""
    parts, start = [], 0
    for match in HANGUL.finditer(text):
        parts.append(nodes.Text(text[start:match.start()]))
        parts.append(nodes.raw("", f'<span lang="ko">{match.group(0)}</span>', format="html"))
        start = match.end()
    parts.append(nodes.Text(text[start:]))
    return [part for part in parts if part.astext()]


def setup(app):
    app.connect("doctree-read", mark_terms)
    app.add_css_file("korean.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
