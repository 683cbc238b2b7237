"""Build one reveal.js lecture deck per chapter from the chapter notebook itself.

The cells that go on the slides carry Jupyter's slideshow mark
(``metadata.slideshow.slide_type``, written by tools/mark_slides.py): "slide" starts
a slide, "-" continues it, "notes" becomes speaker notes (key S), "skip" stays off.
On a slide a markdown cell shows its headings, display equations, lists and tables;
its paragraphs become the slide's speaker notes. A code cell marked
``slideshow.show = "output"`` shows its figure without its code. Figures and the
sliders' precomputed figures come from the outputs and widget state stored in the
notebook, so the decks need no kernel.

reveal.js is the site's vendored copy (tools/vendor_assets.py), the math is typeset
here, with MathJax in Node, as on the site (tools/site_math.py), and the sliders are
the site's native ones (tools/site_access.py); nothing is loaded from a CDN.

    python tools/slides.py                  # every chapter into _build/html/slides/
    python tools/slides.py --out DIR chapters/04_from_scratch.ipynb
"""
import argparse
import base64
import copy
import hashlib
import re
import time
from pathlib import Path
from typing import List

import nbformat
from nbconvert import SlidesExporter
from nbconvert.preprocessors import TagRemovePreprocessor

from site_access import replace_sliders
from site_math import FONTS, TYPESETTER, typeset_html

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).with_name("slides_template")
WIDTH, HEIGHT = 1280, 720
HIDE_INPUT_TAG = "slides-hide-input"
BLOCK_START = re.compile(r"^(#{1,6} |\$\$|```|<details|[-*+] |\d+\. |\|)")


def blocks(markdown: str) -> list:
    """Split markdown into (kind, text) blocks: heading, math, code, details, list, table,
    paragraph. Display math and fences stay whole even when they hold blank lines."""
    found, lines, index = [], markdown.splitlines(), 0
    while index < len(lines):
        line = lines[index]
        if not line.strip():
            index += 1
            continue
        closers = {"$$": "$$", "```": "```", "<details": "</details>"}
        opener = next((key for key in closers if line.lstrip().startswith(key)), None)
        if opener:
            end = index
            single = opener == "$$" and line.strip() != "$$" and line.strip().endswith("$$")
            while not single and end + 1 < len(lines):
                end += 1
                if lines[end].strip().startswith(closers[opener]):
                    break
            kind = {"$$": "math", "```": "code", "<details": "details"}[opener]
            found.append((kind, "\n".join(lines[index:end + 1])))
            index = end + 1
            continue
        if line.startswith("#"):
            found.append(("heading", line))
            index += 1
            continue
        kind = ("list" if re.match(r"^([-*+] |\d+\. )", line)
                else "table" if line.startswith("|") else "paragraph")
        end = index + 1
        while end < len(lines) and lines[end].strip():
            if kind == "paragraph" and BLOCK_START.match(lines[end].lstrip()):
                break
            end += 1
        found.append((kind, "\n".join(lines[index:end])))
        index = end
    return found


def digest(markdown: str) -> tuple:
    """(what the slide shows, what goes to the speaker notes) of one markdown cell.
    Everything from an "Exercises" heading on is left out."""
    shown, notes = [], []
    for kind, text in blocks(markdown):
        if kind == "heading" and text.lstrip("#").strip() == "Exercises":
            break
        if kind in ("heading", "math", "list", "table"):
            shown.append(text)
        elif kind in ("paragraph", "code"):
            notes.append(text)
    return "\n\n".join(shown), "\n\n".join(notes)


def deck_notebook(notebook):
    """A copy of the notebook holding only what the deck shows, each cell marked for
    nbconvert's reveal exporter."""
    deck = copy.deepcopy(notebook)
    cells = []
    for cell in deck.cells:
        slideshow = cell.metadata.get("slideshow", {})
        slide_type = slideshow.get("slide_type", "-")
        if slide_type == "skip":
            continue
        if cell.cell_type == "markdown" and slide_type != "notes":
            shown, notes = digest(cell.source)
            if shown:
                cell.source = shown
                cells.append(cell)
            elif slide_type != "-":
                raise ValueError(f"cell {cell.id} starts a slide but has nothing to show")
            if notes:
                cells.append(nbformat.v4.new_markdown_cell(
                    notes, metadata={"slideshow": {"slide_type": "notes"}}))
            continue
        if cell.cell_type == "code" and slideshow.get("show") == "output":
            cell.metadata.setdefault("tags", []).append(HIDE_INPUT_TAG)
        cells.append(cell)
    deck.cells = cells
    return deck


def title(notebook) -> str:
    """The chapter's title: its first H1."""
    for cell in notebook.cells:
        match = re.search(r"^# +(.+)$", cell.source, re.MULTILINE)
        if cell.cell_type == "markdown" and match:
            return match.group(1).strip()
    raise ValueError("the notebook has no H1 title")


def shared_styles(html: str, out: Path, least: int = 20_000) -> str:
    """`html` with each large inline <style> moved to a file in `out` that every deck shares.

    nbconvert inlines JupyterLab's stylesheets (some 260 kB) into every deck; one copy,
    named by its content, is enough.
    """
    def to_file(match: re.Match) -> str:
        css = match.group(1)
        if len(css) < least:
            return match.group(0)
        name = f"style-{hashlib.sha256(css.encode()).hexdigest()[:16]}.css"
        (out / name).write_text(css)
        return f'<link rel="stylesheet" href="{name}">'

    return re.sub(r"<style[^>]*>(.*?)</style>", to_file, html, flags=re.S)


def shared_figures(html: str, images: Path, prefix: str) -> str:
    """`html` with each inline PNG figure replaced by a file in `images`, named as the site
    names it (the SHA-256 of its bytes), so that decks and pages share one copy."""
    def to_file(match: re.Match) -> str:
        data = base64.b64decode(match.group(1))
        name = f"{hashlib.sha256(data).hexdigest()}.png"
        if not (images / name).exists():
            (images / name).write_bytes(data)
        return f'src="{prefix}_images/{name}"'

    return re.sub(r'src="data:image/png;base64,([A-Za-z0-9+/=\s]+)"', to_file, html)


def render(path: Path, out: Path, static: str) -> str:
    """The deck of one chapter notebook as HTML, its math still TeX; its figures are
    written to the site's _images/ next to `out`."""
    notebook = nbformat.read(path, as_version=4)
    exporter = SlidesExporter(extra_template_basedirs=[str(TEMPLATE.parent)],
                              template_name=TEMPLATE.name,
                              exclude_input_prompt=True, exclude_output_prompt=True)
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_input_tags={HIDE_INPUT_TAG}, enabled=True), enabled=True)
    resources = {"static": static, "deck_title": title(notebook),
                 "deck_css": (TEMPLATE / "slides.css").read_text(),
                 "deck_width": WIDTH, "deck_height": HEIGHT}
    html, _ = exporter.from_notebook_node(deck_notebook(notebook), resources=resources)
    if re.search(r"""(\bsrc=|<link[^>]*\bhref=)["']https?://""", html):
        raise ValueError(f"{path.name}: the deck would load something from the network")
    # Sliders become the site's native ones (tools/site_access.py), their figures in
    # the site's _images/: the deck then needs neither widget state nor the embedder.
    images = out.parent / "_images"
    images.mkdir(parents=True, exist_ok=True)
    html = replace_sliders(html, images, "../")
    return shared_figures(html, images, "../")


def build(paths: List[Path], out: Path, static: str = "../_static") -> List[Path]:
    """Write the decks of the chapter notebooks `paths` into `out`; return their paths.

    Their math is typeset in one go (tools/site_math.py): the decks load no MathJax, only
    its stylesheet, which decks built together share.
    """
    decks = {str(path): render(path, out, static) for path in paths}
    start = time.perf_counter()
    decks, css = typeset_html(decks, f"{static}/{FONTS}")
    print(f"math: {len(decks)} decks typeset in {time.perf_counter() - start:.1f} s")
    out.mkdir(parents=True, exist_ok=True)
    targets = []
    for path in paths:
        html = decks[str(path)]
        if css:
            html = html.replace("</head>", f"<style>{css}</style>\n</head>", 1)
        target = out / f"{path.stem}.html"
        target.write_text(shared_styles(html, out))
        targets.append(target)
    return targets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "html" / "slides")
    arguments = parser.parse_args()
    paths = arguments.notebooks or sorted((ROOT / "chapters").glob("*.ipynb"))
    # after a one-chapter edit only that chapter's deck is built again
    stale = [path for path in paths if not is_current(path, arguments.out)]
    for target in build(stale, arguments.out) if stale else []:
        print(f"deck {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")
    drop_unused_styles(arguments.out)


def drop_unused_styles(out: Path) -> None:
    """Remove the shared stylesheets (shared_styles) that no deck in `out` links any more."""
    linked = " ".join(deck.read_text() for deck in out.glob("*.html"))
    for css in out.glob("style-*.css"):
        if f'href="{css.name}"' not in linked:
            css.unlink()


def is_current(path: Path, out: Path) -> bool:
    """Whether the deck of `path` in `out` is newer than the notebook and all that builds it."""
    target = out / f"{path.stem}.html"
    if not target.exists():
        return False
    sources = [path, Path(__file__), Path(__file__).with_name("site_access.py"),
               Path(__file__).with_name("site_math.py"), TYPESETTER, *TEMPLATE.rglob("*")]
    return target.stat().st_mtime > max(source.stat().st_mtime for source in sources)


if __name__ == "__main__":
    main()
