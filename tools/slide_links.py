"""A Sphinx extension that links the site to the chapters' lecture decks (tools/slides.py).

- Every chapter page gets a "Slides" group in its header: the deck, and its handout
  (each slide with its speaker notes, a page to print; tools/print_slides.py prints it
  and the deck as PDFs).
- The ``slide-decks`` directive (used on the intro page) lists every chapter's deck.

The decks live in ``slides/<chapter>.html`` of the built site; ``make slides`` writes
them, and tests/test_slides.py checks that every link reaches one.
"""
from pathlib import PurePosixPath

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

CHAPTERS = "chapters/"


def deck_url(pagename: str, from_page: str) -> str:
    """The deck of chapter page `pagename`, relative to page `from_page`."""
    depth = len(PurePosixPath(from_page).parts) - 1
    return "../" * depth + f"slides/{PurePosixPath(pagename).name}.html"


def handout_url(deck: str) -> str:
    """The handout page of the deck at URL `deck` (tools/slides.py writes both)."""
    return deck.removesuffix(".html") + "-handout.html"


def is_chapter(app, pagename: str) -> bool:
    return pagename.startswith(CHAPTERS) and str(app.env.doc2path(pagename)).endswith(".ipynb")


def add_slides_button(app, pagename, templatename, context, doctree) -> None:
    """A header button group with the chapter's deck and its print view."""
    if not is_chapter(app, pagename) or "header_buttons" not in context:
        return
    url = deck_url(pagename, pagename)
    context["header_buttons"].append({
        "type": "group", "tooltip": "Lecture slides", "icon": "fas fa-person-chalkboard",
        "label": "slides-buttons",
        "buttons": [
            {"type": "link", "url": url, "text": "Slides", "icon": "fas fa-person-chalkboard",
             "tooltip": "This chapter as lecture slides", "label": "slides-button"},
            {"type": "link", "url": handout_url(url), "text": "Handout",
             "icon": "fas fa-print", "tooltip": "Each slide with its speaker notes, to print",
             "label": "slides-handout-button"},
        ],
    })


class deck_list(nodes.General, nodes.Element):
    """Placeholder for the list of decks, filled in once every title is known."""


class SlideDecks(SphinxDirective):
    def run(self) -> list:
        return [deck_list()]


def fill_deck_lists(app, doctree, docname) -> None:
    chapters = [name for name in app.env.found_docs if is_chapter(app, name)]
    for placeholder in doctree.findall(deck_list):
        items = nodes.bullet_list()
        for name in sorted(chapters):
            url = deck_url(name, docname)
            title = app.env.titles[name].astext()
            html = (f'<a href="{url}">{title}</a> '
                    f'(<a href="{handout_url(url)}">handout</a>)')
            items += nodes.list_item("", nodes.raw("", html, format="html"))
        placeholder.replace_self(items)


def setup(app):
    app.add_node(deck_list)
    app.add_directive("slide-decks", SlideDecks)
    app.connect("doctree-resolved", fill_deck_lists)
    app.connect("html-page-context", add_slides_button, priority=502)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
