"""A Sphinx extension for the teachers' page (teachers.md): the ``teaching-kit`` directive
lists, per chapter, its lecture deck, the deck as PDF (one slide per page) and as a
handout with the speaker notes, the chapter's PDF, its exercise sheet and its solution
sheet. Every file is made after the site: the decks by tools/slides.py (`make book`), the
PDFs by tools/print_pdf.py (`make pdf`); tests/test_pdf.py checks that each link reaches one.
"""
from html import escape
from pathlib import PurePosixPath
from typing import List, Tuple

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

CHAPTERS = "chapters/"


def kit(stem: str) -> List[Tuple[str, str]]:
    """(what, path from the site's root) of the files for chapter `stem`."""
    return [("slides", f"slides/{stem}.html"),
            ("slides PDF", f"slides/{stem}.pdf"),
            ("handout", f"slides/{stem}-handout.pdf"),
            ("chapter PDF", f"teachers/{stem}.pdf"),
            ("exercises", f"teachers/{stem}-exercises.pdf"),
            ("solutions", f"teachers/{stem}-solutions.pdf")]


class kit_table(nodes.General, nodes.Element):
    """Placeholder for the table, filled in once every chapter's title is known."""


class TeachingKit(SphinxDirective):
    def run(self) -> list:
        return [kit_table()]


def fill_kit_tables(app, doctree, docname) -> None:
    chapters = sorted(name for name in app.env.found_docs if name.startswith(CHAPTERS)
                      and str(app.env.doc2path(name)).endswith(".ipynb"))
    up = "../" * (len(PurePosixPath(docname).parts) - 1)
    for placeholder in doctree.findall(kit_table):
        head = "".join(f'<th scope="col">{what}</th>' for what, _ in kit("x"))
        rows = []
        for name in chapters:
            stem = PurePosixPath(name).name
            title = escape(app.env.titles[name].astext())
            cells = "".join(f'<td><a href="{up}{path}" aria-label="{title}: {what}">{what}</a></td>'
                            for what, path in kit(stem))
            rows.append(f"<tr><th scope=\"row\">{title}</th>{cells}</tr>")
        html = (f'<div class="pst-scrollable-table-container"><table class="table teaching-kit">'
                f'<thead><tr><th scope="col">chapter</th>{head}</tr></thead>'
                f"<tbody>{''.join(rows)}</tbody></table></div>")
        placeholder.replace_self(nodes.raw("", html, format="html"))


def setup(app):
    app.add_node(kit_table)
    app.add_directive("teaching-kit", TeachingKit)
    app.connect("doctree-resolved", fill_kit_tables)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
