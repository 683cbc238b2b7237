"""Build one reveal.js lecture deck per chapter, and its handout, from the chapter notebook.

What goes on each slide is the author's choice, kept in the chapter notebook itself: the
cell where a slide's topic begins carries ``metadata.slides``::

    "slides": {
      "title": "Minibatch SGD",                 # or "continues": true: "<previous> (cont.)"
      "points": ["One step per minibatch ..."],  # 1-4 short lines (markdown, $math$)
      "equations": ["1.10"],                    # the chapter's display equations, by \\tag
      "code": ["6694a9c8", {"cell": "ddadf86c", "lines": "5-9", "source": true,
                            "output": true}]    # code cells shown, with their stored outputs
    }

The slide's speaker notes are the chapter's own prose: the markdown cells from that cell up
to the next slide's (nothing from the exercises on), or else its figure's caption. Code, outputs, figures and sliders come
from the notebook's stored outputs and widget state, so a changed chapter changes its deck
and the deck needs no kernel. A deck opens with a title slide (the book, the chapter's
number and title), and a glossary term is glossed "English (한국어)" at its first use on
the deck's slides (tools/glossary_terms.py).

The build fails, naming the chapter and the cell, on a slide mark that selects nothing or
a slide over the limits (LIMITS), on a glossary term without Korean, and on a link in a
slide or its notes that does not resolve inside the site.

reveal.js is the site's vendored copy, the math is typeset here with MathJax in Node
(tools/site_math.py), and sliders are the site's native ones (tools/site_sliders.py).

    python tools/slides.py                  # every chapter into _build/html/slides/
    python tools/slides.py --out DIR chapters/04_from_scratch.ipynb
"""
import argparse
import base64
import hashlib
import html
import json
import re
import textwrap
import time
from pathlib import Path, PurePosixPath
from typing import Dict, List, Optional, Tuple

import nbformat
import yaml
from markdown_it import MarkdownIt
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer

import glossary_terms
from link_glossary import term_pattern
from site_sliders import replace_sliders
from site_math import FONTS, TYPESETTER, typeset_html

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).with_name("slides_template")
WIDTH, HEIGHT = 1280, 720
KEY = "slides"
DECK_CSS = "deck.css"  # the decks' and handouts' stylesheet, written next to them
LIMITS = {"points": (1, 4), "point_chars": 110, "code_lines": 15, "columns": 80,
          "figure_share": 0.45}
# Estimated heights (px on the 1280x720 canvas) for the build's check that a figure keeps
# its share of the slide; the browser test measures the real ones.
ROW = {"frame": 56 + 84, "point": 48, "point_wrap": 40, "equation": 80, "code": 29,
       "output": 27, "block": 24, "slider": 56}
FIGURE_TYPES = ("image/png", "application/vnd.jupyter.widget-view+json")
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
MARKDOWN = MarkdownIt("commonmark", {"html": True}).enable("table")
MATH = re.compile(r"\$\$.+?\$\$|\$(?:\\.|[^$\\\n])+?\$", re.S)
TAGGED = re.compile(r"\$\$((?:(?!\$\$).)*?\\tag\{([^}]+)\}(?:(?!\$\$).)*?)\$\$", re.S)


class DeckError(ValueError):
    """A slide mark that cannot be built; the message names the chapter and the cell."""


# ---- reading the author's marks ------------------------------------------------------------

def parse_lines(spec: str, total: int, where: str) -> List[int]:
    """The 0-based indices of a 1-based line selection such as "3-8" or "1,4-6"."""
    chosen = []
    for part in str(spec).split(","):
        match = re.fullmatch(r"(\d+)(?:-(\d+))?", part.strip())
        if not match:
            raise DeckError(f"{where}: lines {spec!r} is not a list of 'first-last' ranges")
        first, last = int(match.group(1)), int(match.group(2) or match.group(1))
        if not 1 <= first <= last <= total:
            raise DeckError(f"{where}: lines {spec!r} select nothing of the cell's "
                            f"{total} lines")
        chosen += range(first - 1, last)
    return chosen


def shown_code(source: str) -> List[str]:
    """The lines of a code cell as a slide shows them: a trailing comment that would make a
    line wider than the limit is left off (the notebook keeps it)."""
    lines = []
    for line in source.splitlines():
        if len(line) > LIMITS["columns"]:
            line = re.sub(r"\s+#[^\"']*$", "", line)
        lines.append(line)
    return lines


def equation(notebook, tag: str, where: str) -> str:
    """The display equation numbered `tag` in the chapter's markdown."""
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for match in TAGGED.finditer(cell.source):
                if match.group(2).strip() == tag:
                    return match.group(0)
    raise DeckError(f"{where}: equation ({tag}) is not in the chapter")


def notes_markdown(cells: list) -> str:
    """The prose of markdown `cells` for the speaker notes, up to an Exercises heading,
    without solutions."""
    parts = []
    for cell in cells:
        if cell.cell_type != "markdown":
            continue
        text = re.split(r"^#{1,3} +Exercises\s*$", cell.source, maxsplit=1, flags=re.M)[0]
        text = re.sub(r"<details>.*?</details>", "", text, flags=re.S)
        parts.append(text.strip())
        if text != cell.source and "Exercises" in cell.source[len(text):len(text) + 20]:
            break
    return "\n\n".join(part for part in parts if part)


def exercises_start(notebook) -> int:
    """Index of the cell holding the Exercises heading (len(cells) when there is none)."""
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "markdown" and re.search(r"^#{1,3} +Exercises\s*$", cell.source,
                                                      re.M):
            return index
    return len(notebook.cells)


def read_slides(notebook, chapter: str) -> List[Dict]:
    """The deck's slides as the notebook's marks describe them, checked against LIMITS."""
    cells = {cell.id: cell for cell in notebook.cells}
    openers = [index for index, cell in enumerate(notebook.cells) if KEY in cell.metadata]
    if not openers:
        raise DeckError(f"{chapter}: no cell carries a '{KEY}' mark, so the deck would be empty")
    last_notes = exercises_start(notebook) + 1
    found, previous_title = [], None
    for number, index in enumerate(openers):
        cell = notebook.cells[index]
        mark, where = cell.metadata[KEY], f"{chapter}, cell {cell.id}"
        unknown = set(mark) - {"title", "continues", "points", "equations", "code", "layout"}
        if unknown:
            raise DeckError(f"{where}: unknown keys {sorted(unknown)} in its '{KEY}' mark")
        if mark.get("continues"):
            if previous_title is None:
                raise DeckError(f"{where}: the first slide cannot continue another")
            title = f"{previous_title} (cont.)"
        else:
            title = str(mark.get("title", "")).strip()
            if not title:
                raise DeckError(f"{where}: the slide has no title")
            previous_title = title
        points = [str(point).strip() for point in mark.get("points", [])]
        low, high = LIMITS["points"]
        if not low <= len(points) <= high or not all(points):
            raise DeckError(f"{where}: a slide carries {low}-{high} key points, not {len(points)}")
        for point in points:
            if len(point) > LIMITS["point_chars"]:
                raise DeckError(f"{where}: the point {point[:40]!r}... is longer than "
                                f"{LIMITS['point_chars']} characters")
        equations = [equation(notebook, str(tag), where) for tag in mark.get("equations", [])]
        shown = []
        for item in mark.get("code", []):
            item = {"cell": item} if isinstance(item, str) else dict(item)
            target = cells.get(item.get("cell"))
            if target is None or target.cell_type != "code":
                raise DeckError(f"{where}: code cell {item.get('cell')!r} selects nothing "
                                "(no code cell has that id)")
            lines = shown_code(target.source) if item.get("source", True) else []
            if "lines" in item and lines:
                lines = [lines[i] for i in parse_lines(item["lines"], len(lines), where)]
                lines = textwrap.dedent("\n".join(lines)).splitlines()  # a method's body
            outputs = target.get("outputs", []) if item.get("output", True) else []
            if not lines and not outputs:
                raise DeckError(f"{where}: code cell {target.id} selects nothing (no source "
                                "shown and no stored output)")
            shown.append({"cell": target, "lines": lines, "outputs": outputs})
        code_lines = sum(len(item["lines"]) for item in shown)
        if code_lines > LIMITS["code_lines"]:
            raise DeckError(f"{where}: {code_lines} lines of code on one slide (at most "
                            f"{LIMITS['code_lines']})")
        for item in shown:
            wide = [line for line in item["lines"] if len(line) > LIMITS["columns"]]
            if wide:
                raise DeckError(f"{where}: code cell {item['cell'].id} shows a line of "
                                f"{len(wide[0])} columns (at most {LIMITS['columns']}): "
                                f"{wide[0].strip()[:50]!r}")
        end = openers[number + 1] if number + 1 < len(openers) else len(notebook.cells)
        notes_cells = notebook.cells[index:min(end, last_notes)] if index < last_notes else []
        notes = notes_markdown(notes_cells) or "\n\n".join(  # else the figures' captions
            item["cell"].metadata.get("mystnb", {}).get("figure", {}).get("caption", "")
            for item in shown).strip()
        slide = {"id": cell.id, "where": where, "title": title, "points": points,
                 "equations": equations, "code": shown, "layout": mark.get("layout"),
                 "notes": notes}
        check_figure_room(slide)
        found.append(slide)
    return found


def figure_outputs(slide: Dict) -> int:
    return sum(any(kind in output.get("data", {}) for kind in FIGURE_TYPES)
               for item in slide["code"] for output in item["outputs"])


def text_output_lines(outputs: list) -> int:
    lines = 0
    for output in outputs:
        if output.get("output_type") == "stream":
            lines += len(output.get("text", "").rstrip("\n").splitlines())
        elif not any(kind in output.get("data", {}) for kind in FIGURE_TYPES):
            lines += len(output.get("data", {}).get("text/plain", "").splitlines())
    return lines


def side_by_side(slide: Dict) -> bool:
    """Whether the points stand beside the figure (a figure shown without code)."""
    if slide["layout"] in ("side", "stack"):
        return slide["layout"] == "side"
    return figure_outputs(slide) > 0 and not any(item["lines"] for item in slide["code"])


def check_figure_room(slide: Dict) -> None:
    """Fail when a figure would get less than its share of the slide's height (estimated)."""
    figures = figure_outputs(slide)
    if figures == 0:
        return
    if figures > 1:
        raise DeckError(f"{slide['where']}: one figure per slide, not {figures}")
    used = ROW["frame"]
    if not side_by_side(slide):
        used += sum(ROW["point"] + ROW["point_wrap"] * (len(point) > 60)
                    for point in slide["points"])
    used += ROW["equation"] * len(slide["equations"])
    for item in slide["code"]:
        used += ROW["code"] * len(item["lines"]) + ROW["block"] * bool(item["lines"])
        used += ROW["output"] * text_output_lines(item["outputs"])
        used += ROW["slider"] * any("application/vnd.jupyter.widget-view+json"
                                    in output.get("data", {}) for output in item["outputs"])
    if HEIGHT - used < LIMITS["figure_share"] * HEIGHT:
        raise DeckError(f"{slide['where']}: its figure would fill less than "
                        f"{LIMITS['figure_share']:.0%} of the slide's height; show fewer "
                        "lines with it")


def rise_marks(notebook) -> List[Dict]:
    """The `slideshow` mark each cell should carry for presenting live with RISE, derived
    from the deck's marks: a slide opens where a deck slide opens, the exercises are
    skipped, and so are the cells hidden from the site."""
    start, marks = exercises_start(notebook), []
    for index, cell in enumerate(notebook.cells):
        if index >= start or "remove-cell" in cell.metadata.get("tags", []):
            marks.append({"slide_type": "skip"})
        elif KEY in cell.metadata or index == 0:
            marks.append({"slide_type": "slide"})
        else:
            marks.append({"slide_type": "-"})
    return marks


def write_rise_marks(notebook) -> bool:
    """Set every cell's `slideshow` mark (rise_marks); return whether one changed."""
    changed = False
    for cell, mark in zip(notebook.cells, rise_marks(notebook)):
        if cell.metadata.get("slideshow") != mark:
            cell.metadata["slideshow"], changed = mark, True
    return changed


# ---- glossing terms ------------------------------------------------------------------------

def gloss(text: str, terms: Dict[str, str], used: set, where: str) -> str:
    """`text` (markdown) with each glossary term not yet in `used` glossed at its first
    use as "term (한국어)"; math and code are left alone, and longer terms win (a use of
    "gradient descent" is not a use of "gradient")."""
    segments = [(piece, number % 2 == 1)  # (text, protected)
                for number, piece in enumerate(re.split(r"(\$[^$]*\$|`[^`]*`)", text))]
    for term in sorted(terms, key=len, reverse=True):
        pattern, split = term_pattern(term), []
        for piece, protected in segments:
            if protected:
                split.append((piece, True))
                continue
            last = 0
            for match in pattern.finditer(piece):
                split.append((piece[last:match.start()], False))
                shown = match.group(1)
                if term not in used:
                    if not terms[term]:
                        raise DeckError(f"{where}: the glossary term {term!r} has no Korean "
                                        "entry in chapters/glossary.md")
                    used.add(term)
                    shown += f' <span lang="ko">({terms[term]})</span>'
                split.append((shown, True))
                last = match.end()
            split.append((piece[last:], False))
        segments = split
    return "".join(piece for piece, _ in segments)


# ---- rendering -----------------------------------------------------------------------------

def markdown_html(text: str, inline: bool = False) -> str:
    """Markdown as HTML, its TeX kept as TeX (for tools/site_math.py) and escaped."""
    formulas = []

    def hide(match: re.Match) -> str:
        formulas.append(match.group(0))
        return f"MATH{len(formulas) - 1}X"

    rendered = (MARKDOWN.renderInline if inline else MARKDOWN.render)(MATH.sub(hide, text))
    return re.sub(r"MATH(\d+)X", lambda m: html.escape(formulas[int(m.group(1))], quote=False),
                  rendered)


def code_html(lines: List[str]) -> str:
    code = highlight("\n".join(lines), PythonLexer(), HtmlFormatter(nowrap=True))
    return f'<pre class="code"><code>{code.rstrip()}</code></pre>'


def output_html(output, cell) -> str:
    """One stored output: text, a figure (with the chapter's alt text) or a widget view."""
    data = output.get("data", {})
    if output.get("output_type") == "stream":
        return f'<pre class="output">{html.escape(output.get("text", "").rstrip())}</pre>'
    if output.get("output_type") == "error":
        return ""
    if "application/vnd.jupyter.widget-view+json" in data:
        view = json.dumps(data["application/vnd.jupyter.widget-view+json"])
        return (f'<div class="figure"><script type="application/vnd.jupyter.widget-view+json">'
                f'{view}</script></div>')
    if "image/png" in data:
        alt = cell.metadata.get("mystnb", {}).get("image", {}).get("alt")
        if not alt:
            raise DeckError(f"cell {cell.id}: its figure has no alt text "
                            "(metadata.mystnb.image.alt)")
        src = f"data:image/png;base64,{data['image/png'].strip()}"
        return f'<div class="figure"><img src="{src}" alt="{html.escape(alt)}"></div>'
    if "text/plain" in data and "text/html" not in data:
        return f'<pre class="output">{html.escape(data["text/plain"].rstrip())}</pre>'
    return ""


def slide_body(slide: Dict, terms: Dict[str, str], used: set) -> str:
    """The inner HTML of one slide (title, points, equations, code with its output)."""
    title = slide["title"]  # glossed in the points: a title stays short
    points = "".join(f"<li>{markdown_html(gloss(point, terms, used, slide['where']), True)}</li>"
                     for point in slide["points"])
    parts = [f'<ul class="points">{points}</ul>']
    parts += [f'<div class="equation">{html.escape(eq, quote=False)}</div>'
              for eq in slide["equations"]]
    shown = []
    for item in slide["code"]:
        block = code_html(item["lines"]) if item["lines"] else ""
        block += "".join(output_html(output, item["cell"]) for output in item["outputs"])
        shown.append(f'<div class="cell">{block}</div>')
    side = side_by_side(slide)
    layout = "side" if side else "stack"
    figure = " has-figure" if figure_outputs(slide) else ""
    if not slide["code"] and not slide["equations"]:
        figure = " text-only"  # the key points alone: larger, spaced out
    if side:
        body = f'<div class="text">{"".join(parts)}</div><div class="shown">{"".join(shown)}</div>'
    else:
        body = "".join(parts) + "".join(shown)
    return (f'<div class="deck-slide {layout}{figure}" data-cell="{slide["id"]}">'
            f'<h2 class="slide-title">{markdown_html(title, True)}</h2>'
            f'<div class="slide-body">{body}</div></div>')


def title_slide(book: str, number: int, chapter_title: str) -> str:
    return (f'<div class="deck-slide title-slide"><p class="book">{html.escape(book)}</p>'
            f'<h1 class="slide-title">Chapter {number}<br>{markdown_html(chapter_title, True)}'
            f'</h1></div>')


def chapter_title(notebook) -> str:
    """The chapter's title: its first H1."""
    for cell in notebook.cells:
        match = re.search(r"^# +(.+)$", cell.source, re.MULTILINE)
        if cell.cell_type == "markdown" and match:
            return match.group(1).strip()
    raise DeckError("the notebook has no H1 title")


def book_title() -> str:
    return yaml.safe_load((ROOT / "_config.yml").read_text())["title"]


def chapter_number(path: Path) -> int:
    match = re.match(r"(\d+)_", path.stem)
    if not match:
        raise DeckError(f"{path.name}: a chapter's file name starts with its number")
    return int(match.group(1))


def notes_html(markdown: str) -> str:
    return markdown_html(markdown) if markdown else ""


def deck_parts(path: Path) -> Tuple[str, List[Tuple[str, str]], Dict]:
    """(deck title, [(slide HTML, notes HTML)], widget state) of one chapter."""
    notebook = nbformat.read(path, as_version=4)
    terms = glossary_terms.load()
    slides = read_slides(notebook, path.name)
    name = chapter_title(notebook)
    first = next(index for index, cell in enumerate(notebook.cells) if KEY in cell.metadata)
    intro = notes_html(notes_markdown(notebook.cells[:first]))
    parts, used = [(title_slide(book_title(), chapter_number(path), name), intro)], set()
    for slide in slides:
        parts.append((slide_body(slide, terms, used), notes_html(slide["notes"])))
    state = notebook.metadata.get("widgets", {}).get(WIDGET_STATE)
    return name, parts, state


# ---- pages ---------------------------------------------------------------------------------

def code_styles() -> str:
    light = HtmlFormatter(style="a11y-light").get_style_defs(".deck-slide pre.code")
    dark = HtmlFormatter(style="a11y-dark").get_style_defs(".deck-slide pre.code")
    plain = re.compile(r"^\.deck-slide pre\.code\s*\{[^}]*\}\s*$", re.M)  # keep our ground
    return (plain.sub("", light) + "\n@media (prefers-color-scheme: dark) {\n"
            + plain.sub("", dark) + "\n}\n")


def page_html(kind: str, title: str, parts: List[Tuple[str, str]], state: Optional[Dict],
              static: str) -> str:
    """The deck (kind "deck") or its handout (kind "handout") as one HTML page."""
    vendor = f"{static}/vendor"
    widgets = ""
    if state:
        widgets = (f'<script type="{WIDGET_STATE}">{json.dumps(state)}</script>')
    if kind == "deck":
        sections = "\n".join(
            f'<section>{slide}<aside class="notes">{notes}</aside></section>'
            for slide, notes in parts)
        head = (f'<link rel="stylesheet" href="{vendor}/reveal/dist/reveal.css">\n'
                f'<link rel="stylesheet" href="{vendor}/reveal/dist/theme/white.css">')
        body = (f'<div class="reveal"><div class="slides">\n{sections}\n</div></div>\n{widgets}\n'
                f'<script src="{vendor}/reveal/dist/reveal.js"></script>\n'
                f'<script src="{vendor}/reveal/plugin/notes/notes.js"></script>\n'
                + (TEMPLATE / "init.html").read_text()
                .replace("{{WIDTH}}", str(WIDTH)).replace("{{HEIGHT}}", str(HEIGHT)))
        heading = f"{title} (slides)"
    else:
        pages = "\n".join(
            f'<article class="handout-page"><div class="slide-box">{slide}</div>'
            f'<div class="handout-notes"><h2 class="notes-heading">Notes to slide {number}</h2>'
            f'{notes or "<p>(no notes)</p>"}</div></article>'
            for number, (slide, notes) in enumerate(parts, start=1))
        head = ""
        body = f'<main class="handout">\n{pages}\n</main>\n{widgets}'
        heading = f"{title} (handout)"
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1.0">\n'
            f'<meta name="color-scheme" content="light dark">\n'
            f"<title>{html.escape(heading)}</title>\n{head}\n"
            f'<link rel="stylesheet" href="{DECK_CSS}">\n</head>\n'
            f'<body class="{kind}-page">\n{body}\n</body>\n</html>\n')


def shared_figures(page: str, images: Path, prefix: str) -> str:
    """`page` with each inline PNG figure replaced by a file in `images`, named as the site
    names it (the SHA-256 of its bytes), so that decks and pages share one copy."""
    def to_file(match: re.Match) -> str:
        data = base64.b64decode(match.group(1))
        name = f"{hashlib.sha256(data).hexdigest()}.png"
        if not (images / name).exists():
            (images / name).write_bytes(data)
        return f'src="{prefix}_images/{name}"'

    return re.sub(r'src="data:image/png;base64,([A-Za-z0-9+/=\s]+)"', to_file, page)


# ---- links ---------------------------------------------------------------------------------

LINK = re.compile(r'<a\s+href="([^"]*)"([^>]*)>(.*?)</a>', re.S)


def site_links(page: str, chapter: str) -> str:
    """Links written for the notebooks (``glossary.md#x``, ``04_from_scratch.ipynb``) made
    links into the built site; a link that leaves the site becomes its text and address."""
    def fix(match: re.Match) -> str:
        target, rest, text = match.groups()
        if re.match(r"[a-z]+:", target):
            return f'{text} (<span class="url">{html.escape(target)}</span>)'
        if target.startswith("#"):
            target = f"{chapter}.ipynb{target}"
        file, _, anchor = target.partition("#")
        stem = PurePosixPath(file).stem
        if file.endswith((".ipynb", ".md")) and "/" not in file:
            target = f"../chapters/{stem}.html" + (f"#{anchor}" if anchor else "")
        return f'<a href="{target}"{rest}>{text}</a>'

    return LINK.sub(fix, page)


def dead_links(page: str, page_path: Path, site: Path) -> List[str]:
    """The links of `page` (a file in `site`) whose file or anchor is missing from the site."""
    dead, ids = [], {}
    for target in re.findall(r'<a\s+href="([^"]*)"', page):
        if re.match(r"[a-z]+:", target):
            dead.append(f"{target} (leaves the site)")
            continue
        file, _, anchor = target.partition("#")
        path = (page_path.parent / file).resolve() if file else page_path
        if not path.is_file() or not path.is_relative_to(site.resolve()):
            dead.append(target)
            continue
        if anchor:
            if path not in ids:
                ids[path] = set(re.findall(r'\bid="([^"]+)"', path.read_text(encoding="utf-8")))
            if anchor not in ids[path]:
                dead.append(target)
    return dead


# ---- the build -----------------------------------------------------------------------------

def build(paths: List[Path], out: Path, static: str = "../_static") -> List[Path]:
    """Write the decks and handouts of the chapter notebooks `paths` into `out`."""
    pages = {}
    for path in paths:
        title, parts, state = deck_parts(path)
        for kind in ("deck", "handout"):
            name = f"{path.stem}.html" if kind == "deck" else f"{path.stem}-handout.html"
            page = site_links(page_html(kind, title, parts, state, static), path.stem)
            pages[name] = page
    start = time.perf_counter()
    pages, css = typeset_html(pages, f"{static}/{FONTS}")
    print(f"math: {len(pages)} deck pages typeset in {time.perf_counter() - start:.1f} s")
    out.mkdir(parents=True, exist_ok=True)
    images = out.parent / "_images"
    images.mkdir(parents=True, exist_ok=True)
    site = out.parent
    targets = []
    (out / DECK_CSS).write_text((TEMPLATE / "slides.css").read_text() + code_styles())
    math_css = f"math-{hashlib.sha256(css.encode()).hexdigest()[:16]}.css"
    (out / math_css).write_text(css)
    for name, page in pages.items():
        page = page.replace("</head>", f'<link rel="stylesheet" href="{math_css}">\n</head>', 1)
        page = shared_figures(replace_sliders(page, images, "../"), images, "../")
        if re.search(r"""(\bsrc=|<link[^>]*\bhref=)["']https?://""", page):
            raise DeckError(f"{name}: the deck would load something from the network")
        target = out / name
        dead = dead_links(page, target, site)
        if dead:
            raise DeckError(f"{name}: links that do not resolve in the site: {dead[:5]}")
        target.write_text(page, encoding="utf-8")
        targets.append(target)
    return targets


def is_current(path: Path, out: Path) -> bool:
    """Whether the deck of `path` in `out` is newer than the notebook and all that builds it."""
    targets = [out / f"{path.stem}.html", out / f"{path.stem}-handout.html"]
    if not all(target.exists() for target in targets):
        return False
    here = Path(__file__).parent
    sources = [path, Path(__file__), here / "site_sliders.py", here / "site_math.py",
               here / "glossary_terms.py", here / "link_glossary.py", glossary_terms.GLOSSARY, ROOT / "_config.yml",
               TYPESETTER, *TEMPLATE.rglob("*")]
    newest = max(source.stat().st_mtime for source in sources)
    return min(target.stat().st_mtime for target in targets) > newest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "html" / "slides")
    arguments = parser.parse_args()
    paths = arguments.notebooks or sorted((ROOT / "chapters").glob("*.ipynb"))
    stale = [path for path in paths if not is_current(path, arguments.out)]
    try:
        for target in build(stale, arguments.out) if stale else []:
            print(f"deck {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")
    except DeckError as error:
        raise SystemExit(f"slides: {error}") from None
    linked = " ".join(page.read_text() for page in arguments.out.glob("*.html"))
    for css in [*arguments.out.glob("style-*.css"), *arguments.out.glob("math-*.css")]:
        if f'href="{css.name}"' not in linked:  # left by an earlier build
            css.unlink()


if __name__ == "__main__":
    main()
