"""Compose the printable HTML documents from the built site (tools/print_pdf.py prints them).

Each document takes the article of one or more pages of _build/html (their math typeset,
their figures in place) and makes it fit for paper, without scripts:

- the book: a title page, a table of contents, then every page of `_toc.yml`, each chapter
  on its own named page (assets/print.css gives it the chapter's running head);
- a chapter's exercise sheet: its "Exercises" section without any solution;
- a chapter's solution sheet: the same section with every solution, code and output.

Every solution and hidden cell is open and the toggles' labels are gone; ids get the
page's name as a prefix, so that a link inside the document stays inside it, a link to
the web stays as it is, and a link to another file of the site (which paper cannot follow)
becomes plain text. Code too wide for the page is set in a smaller font, never wrapped.
"""
import copy
from pathlib import Path, PurePosixPath
from typing import Dict, Iterable, List, Optional, Tuple
from urllib.parse import urldefrag, urljoin, urlparse

from bs4 import BeautifulSoup, NavigableString, Tag

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "_build" / "html"
SITE_URL = "/html/"  # where the site lies for the print server, which serves _build/
PRINT_CSS = "/html/_static/print.css"  # assets/print.css, copied there by the site's build
# Width of the page's text in points (A4, assets/print.css's margins), less the code
# blocks' padding; a monospace character is 0.6 em wide.
CODE_WIDTH_PT = (210 - 2 * 16) * 72 / 25.4 - 16
CODE_SIZE_PT = 8.5
SOLUTION = "Solution"


def key_of(name: str) -> str:
    """The id prefix of a page of the site ('chapters/03_synthetic_data' -> '03_synthetic_data')."""
    return PurePosixPath(name).name


def page_soup(name: str) -> BeautifulSoup:
    return BeautifulSoup((SITE / f"{name}.html").read_text(encoding="utf-8"), "html.parser")


def heading_text(heading: Tag) -> str:
    """A heading's words as a reader sees them (math by its MathML text, no '#' link)."""
    heading = copy.copy(heading)
    for hidden in heading.find_all("a", class_="headerlink") + heading.find_all(["mjx-c", "svg"]):
        hidden.decompose()
    return " ".join(heading.get_text(" ").replace("\u00a0", " ").split()).replace(" .", ".")


def clean_article(soup: BeautifulSoup, name: str, inside: Dict[str, str]) -> Tag:
    """The page's article, ready for paper. `inside` maps each page in the document to its
    id prefix; links to those stay in the document."""
    article = soup.find("article")
    key = key_of(name)
    for element in article.find_all(["script", "button", "input", "noscript"]):
        element.decompose()
    for element in article.find_all("a", class_="headerlink"):
        element.decompose()
    for details in article.find_all("details"):
        summary = details.find("summary", recursive=False)
        if summary and summary.get_text(" ", strip=True) == SOLUTION:
            details["open"] = ""
        else:  # a hidden cell: its code, without "Show code cell content" or "Details"
            if summary:
                summary.decompose()
            details.unwrap()
    for element in article.find_all(True):
        for attribute in ("id", "for", "aria-labelledby", "aria-describedby"):
            values = element.get(attribute)
            if values:
                values = values if isinstance(values, list) else values.split()
                element[attribute] = " ".join(f"{key}--{value}" for value in values)
        for attribute in ("src", "poster"):
            if element.get(attribute):
                element[attribute] = site_path(name, element[attribute])
    for link in article.find_all("a", href=True):
        target = link_target(name, link["href"], inside)
        if target is None:
            link.unwrap()
        else:
            link["href"] = target
    for pre in article.find_all("pre"):
        fit_code(pre)
    return article


def site_path(name: str, url: str) -> str:
    """A URL relative to the page `name`, as a path from the print server's root."""
    if urlparse(url).scheme:
        return url
    return urljoin(f"{SITE_URL}{name}.html", url)


def link_target(name: str, href: str, inside: Dict[str, str]) -> Optional[str]:
    """Where a link of page `name` points in the document: an anchor inside it, an address
    on the web, or None for a file of the site that is not in the document."""
    if urlparse(href).scheme in ("http", "https", "mailto"):
        return href
    path, fragment = urldefrag(urljoin(f"{SITE_URL}{name}.html", href))
    page = path[len(SITE_URL):].removesuffix(".html") if path.startswith(SITE_URL) else None
    if page == "index":
        page = "intro"
    if page not in inside:
        return None
    return f"#{inside[page]}--{fragment}" if fragment else f"#{inside[page]}"


def fit_code(pre: Tag) -> None:
    """Set a code block whose longest line would pass the page's edge in a smaller font."""
    longest = max(len(line.expandtabs()) for line in pre.get_text().split("\n"))
    if longest * 0.6 * CODE_SIZE_PT > CODE_WIDTH_PT:
        pre["style"] = f"font-size: {CODE_WIDTH_PT / (0.6 * longest):.2f}pt"


def head(soup: BeautifulSoup, name: str) -> List[str]:
    """The stylesheets of a page of the site (as paths from the print server's root); a page
    without math has no math stylesheet."""
    links = [f'<link rel="stylesheet" href="{site_path(name, link["href"])}">'
             for link in soup.head.find_all("link", rel="stylesheet")]
    return links + [str(style) for style in soup.head.find_all("style")]


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def document(stylesheets: str, title: str, body: str, extra_css: str = "") -> str:
    """A printable document: the site's stylesheets, then the print one, and `body`."""
    return (f'<!DOCTYPE html><html lang="en" data-theme="light"><head><meta charset="utf-8">'
            f"<title>{escape(title)}</title>{stylesheets}"
            f'<link rel="stylesheet" href="{PRINT_CSS}"><style>{extra_css}</style></head>'
            f'<body class="print">{body}</body></html>')


def chapter_section(name: str, inside: Dict[str, str]) -> Tuple[BeautifulSoup, Tag, str]:
    """(page soup, its cleaned article wrapped in a section, its title)."""
    soup = page_soup(name)
    article = clean_article(soup, name, inside)
    title = heading_text(article.find("h1"))
    wrapper = soup.new_tag("section", attrs={"class": "print-part", "id": key_of(name),
                                            "data-part": key_of(name)})
    for child in list(article.children):
        wrapper.append(child.extract())
    return soup, wrapper, title


class Part:
    """One page of the site, cleaned for paper once: its section's HTML and its title."""

    def __init__(self, name: str, inside: Dict[str, str]):
        soup, section, self.title = chapter_section(name, inside)
        self.name, self.key, self.html = name, key_of(name), str(section)
        self.head = head(soup, name)
        self.toc = toc_entries(section, self.key)


def keep_links_inside(body: Tag) -> None:
    """Turn each link to an anchor that the document lacks into plain text."""
    ids = {element["id"] for element in body.find_all(id=True)}
    for link in body.find_all("a", href=True):
        if link["href"].startswith("#") and link["href"][1:] not in ids:
            link.unwrap()


def running_heads(parts: Iterable[Tuple[str, str]]) -> str:
    """Each part on its own named page, whose top margin shows the part's title."""
    return "".join(f'section[data-part="{key}"] {{ page: part-{key}; }}\n'
                   f"@page part-{key} {{ @top-left {{ content: {css_string(title)}; }} }}\n"
                   for key, title in parts)


def toc_entries(section: Tag, key: str) -> List[Tuple[int, str, str]]:
    """(level, title, id) of the part's h1 to h3 headings, for the table of contents."""
    entries = []
    for heading in section.find_all(["h1", "h2", "h3"]):
        parent = heading.find_parent("section")
        anchor = parent["id"] if parent is not None and parent.get("id") else key
        entries.append((int(heading.name[1]), heading_text(heading), anchor))
    return entries


def book_html(parts: List[Part], title: str, author: str,
              page_numbers: Optional[Dict[str, int]] = None) -> str:
    """The whole book: title page, contents (with `page_numbers` of each entry's id when
    known, from a first printing; the same width of digits before), and every part."""
    rows = "".join(
        f'<li class="toc-{level}"><a href="#{anchor}"><span>{escape(text)}</span>'
        f'<span class="toc-page">{(page_numbers or {}).get(anchor, "000")}</span></a></li>'
        for part in parts for level, text, anchor in part.toc)
    front = (f'<section class="print-title"><p class="book-title">{escape(title)}</p>'
             f'<p class="book-author">{escape(author)}</p></section>'
             f'<nav class="print-toc"><p class="toc-title">Contents</p><ol>{rows}</ol></nav>')
    stylesheets = "".join(dict.fromkeys(sheet for part in parts for sheet in part.head))
    return document(stylesheets, title, front + "".join(part.html for part in parts),
                    running_heads((part.key, part.title) for part in parts))


def exercises_section(section: Tag) -> Tag:
    """The chapter's "Exercises" section (the last section whose id ends in 'exercises')."""
    found = [part for part in section.find_all("section")
             if part.get("id", "").endswith("--exercises")]
    if not found:
        raise ValueError(f"{section.get('id')}: no section 'Exercises'")
    return found[-1]


def is_solution(element: Tag) -> bool:
    """Whether an element of the Exercises section starts a solution: a "Solution"
    <details>, a hidden code cell, or the line that introduces a solution's code."""
    if element.name == "details" or "cell" in (element.get("class") or []):
        return True
    return element.name == "p" and element.get_text(" ", strip=True).startswith("Solution code")


def strip_solutions(exercises: Tag) -> int:
    """Remove every solution from the section, in place; returns how many it removed.

    The exercises are numbered lists; what follows an exercise, from the first solution
    (a "Solution" <details>, hidden code, "Solution code for ...") up to the next numbered
    list, is its solution, prose included."""
    removed, in_solution = 0, False
    for element in [child for child in exercises.children if isinstance(child, Tag)]:
        if element.name == "ol":
            in_solution = False
            for details in element.find_all("details"):  # a solution inside a list item
                details.decompose()
                removed += 1
        elif in_solution or is_solution(element):
            removed += not in_solution
            in_solution = True
            element.decompose()
    return removed


def sheet_html(part: Part, solutions: bool) -> Tuple[str, int]:
    """A chapter's exercise sheet (`solutions` False) or solution sheet, and how many
    solutions it holds (True) or left out (False)."""
    soup = BeautifulSoup(part.html, "html.parser")
    exercises = exercises_section(soup.section)
    count = (len(exercises.find_all("details", recursive=False)) if solutions
             else strip_solutions(exercises))
    title = f"{part.title}: {'solutions' if solutions else 'exercises'}"
    heading = exercises.find("h2")
    heading.clear()
    heading.append(NavigableString(title))
    heading.name = "h1"
    body = soup.new_tag("section", attrs={"class": "print-part print-sheet",
                                         "data-part": part.key})
    body.append(exercises.extract())
    keep_links_inside(body)
    return document("".join(part.head), title, str(body),
                    running_heads([(part.key, title)])), count
