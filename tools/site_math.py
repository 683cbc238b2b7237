r"""The book's math, typeset when the site is built: no MathJax in the reader's browser.

A Sphinx extension (loaded by tools/site_fixes.py, named by ``html_math_renderer``
in ``_config.yml``). Sphinx writes each formula as TeX, ``\(...\)`` in a
``<span class="math">`` or ``\[...\]`` in a ``<div class="math">``, and adds no
MathJax script to the page. When the build finishes, every formula of every page
goes to one Node process (tools/typeset_math.js, MathJax 3.2.2 pinned by
tools/vendor_assets.py), which returns MathJax's CommonHTML with its hidden
assistive MathML, the markup MathJax used to write in the browser. The pages then
need only one stylesheet, ``_static/mathjax-chtml.css``, and MathJax's web fonts.

A TeX error fails the build with the page and the formula. tools/slides.py typesets
the lecture decks with `typeset_html`.
"""
import html
import json
import re
import shutil
import subprocess
import time
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

ROOT = Path(__file__).resolve().parent.parent
MATHJAX = ROOT / "tools" / "vendor" / "mathjax"  # the build-time copy (tools/vendor_assets.py)
TYPESETTER = Path(__file__).with_name("typeset_math.js")
STYLESHEET = "mathjax-chtml.css"  # under _static/
FONTS = "vendor/mathjax/output/chtml/fonts/woff-v2"  # under _static/, as assets/ ships them
Formula = Tuple[str, bool]  # (TeX, display)

# Sphinx's markup for a formula (sphinx.ext.mathjax's visitors).
SPHINX_MATH = re.compile(r'(<(span|div) class="math notranslate nohighlight"[^>]*>)(.*?)(</\2>)',
                         re.S)
SPHINX_TEX = {"span": re.compile(r"\\\((.*)\\\)", re.S), "div": re.compile(r"\\\[(.*)\\\]", re.S)}


class TeXError(ValueError):
    """A formula that MathJax cannot typeset."""


def typeset(formulas: Sequence[Formula], font_url: str, sources: Sequence[str] = (),
            measured: bool = True) -> Tuple[List[str], str]:
    """Each formula as MathJax CommonHTML, and the stylesheet they need, from one Node process.

    `font_url` is where the stylesheet finds MathJax's fonts (relative to the stylesheet),
    `measured` how the stylesheet sizes the math (see `math_size`). `sources` names the
    page of each formula for the error message.
    """
    if not formulas:
        return [], ""
    if not (MATHJAX / "node-main.js").exists():
        raise FileNotFoundError(f"{MATHJAX} is missing: run `make vendor`")
    if shutil.which("node") is None:
        raise FileNotFoundError("node is needed to typeset the math (apt-get install nodejs)")
    request = json.dumps({"fontURL": font_url, "formulas": [list(f) for f in formulas]})
    done = subprocess.run(["node", str(TYPESETTER), str(MATHJAX)], input=request,
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{TYPESETTER.name} failed:\n{done.stderr}")
    reply = json.loads(done.stdout)
    if reply["errors"]:
        raise TeXError("MathJax cannot typeset:\n" + "\n".join(
            f"  {sources[index] if sources else f'formula {index}'}: "
            f"{' '.join(formulas[index][0].split())}  ({message})"
            for index, message in reply["errors"]))
    size = math_size(reply["xHeight"], reply["exFactor"], measured)
    return reply["html"], reply["css"] + f'\nmjx-container[jax="CHTML"] {{\n  font-size: {size};\n}}\n'


def math_size(x_height: float, ex_factor: float, measured: bool) -> str:
    """The math's CSS font size, as MathJax scaled it in a browser, from its own font data.

    In a browser MathJax matched the x-height of its font (`x_height` em) to that of the
    text around the formula (`measured`): the math's em is the text's ex / x_height, which
    CSS computes for every reader's font, in headings too. Where it could not measure (a
    hidden slide of a deck) it took the text's ex to be `ex_factor` em: a fixed percentage.
    """
    if measured:
        return f"calc(1ex / {x_height})"
    return f"{100 * ex_factor / x_height:.1f}%"


def sphinx_formulas(page: str) -> List[Formula]:
    """The formulas in Sphinx's markup on a page, in order."""
    found = []
    for match in SPHINX_MATH.finditer(page):
        tex = SPHINX_TEX[match.group(2)].search(match.group(3))
        if tex is None:
            raise TeXError(f"math markup without its delimiters: {match.group(0)[:200]!r}")
        found.append((html.unescape(tex.group(1)), match.group(2) == "div"))
    return found


def replace_sphinx_math(page: str, typeset_html: List[str], stylesheet: str) -> str:
    """`page` with its formulas replaced by `typeset_html` (in order) and the stylesheet linked."""
    typeset_html = iter(typeset_html)

    def replace(match: re.Match) -> str:
        tex = SPHINX_TEX[match.group(2)].search(match.group(3))
        # what Sphinx writes before the TeX (an equation number's <span>) stays
        before = match.group(3)[:tex.start()].strip()
        return match.group(1) + before + next(typeset_html) + match.group(4)

    page = SPHINX_MATH.sub(replace, page)
    link = f'<link rel="stylesheet" type="text/css" href="{stylesheet}" />\n'
    return page.replace("</head>", link + "</head>", 1)


def typeset_site(outdir: Path) -> Dict[str, int]:
    """Typeset every formula of every page of the built site in place; {page: formulas}."""
    pages = {path: path.read_text(encoding="utf-8") for path in sorted(outdir.rglob("*.html"))
             if path.relative_to(outdir).parts[0] != "slides"}  # the decks are tools/slides.py's
    found = {path: sphinx_formulas(page) for path, page in pages.items()}
    formulas = [formula for path in pages for formula in found[path]]
    sources = [str(path.relative_to(outdir)) for path in pages for _ in found[path]]
    typeset_html, css = typeset(formulas, FONTS, sources)
    (outdir / "_static" / STYLESHEET).write_text(css, encoding="utf-8")
    drop_unnamed_fonts(outdir / "_static", css)
    start = 0
    for path, page in pages.items():
        count = len(found[path])
        if count:
            prefix = "../" * (len(path.relative_to(outdir).parts) - 1)
            page = replace_sphinx_math(page, typeset_html[start:start + count],
                                       f"{prefix}_static/{STYLESHEET}")
            path.write_text(page, encoding="utf-8")
        start += count
    return {str(path.relative_to(outdir)): len(found[path]) for path in pages}


def drop_unnamed_fonts(static: Path, css: str) -> None:
    """Remove the MathJax fonts in `static` that the stylesheet `css` does not name."""
    named = set(re.findall(r'url\("?([^")]+?)"?\)', css))
    for font in (static / FONTS).glob("*"):
        if f"{FONTS}/{font.name}" not in named:
            font.unlink()


# ---- pages whose math is TeX in the text (nbconvert's lecture decks) ----------------------

# Elements whose text MathJax leaves alone (its skipHtmlTags).
SKIPPED = re.compile(r"<(script|style|pre|code|textarea|noscript)\b.*?</\1>", re.S | re.I)
# MathJax's delimiters as the decks configured them: $$, \[ and $, \( (\$ is a dollar sign).
TEX_IN_TEXT = re.compile(r"\$\$(?P<d1>.+?)\$\$|\\\[(?P<d2>.+?)\\\]|\\\((?P<i1>.+?)\\\)"
                         r"|(?P<dollar>\\\$)|\$(?P<i2>(?:\\.|[^$\\])+?)\$", re.S)
TAG = re.compile(r"<[^>]*>")


def text_formulas(page: str) -> List[Tuple[int, int, str, bool]]:
    """(start, end, TeX, display) of each formula in the text of the body of `page`, outside
    tags, code, scripts and styles; an escaped dollar is (start, end, "$", None)."""
    live, position = [], max(page.find("<body"), 0)
    for match in SKIPPED.finditer(page, position):
        live.append((position, match.start()))
        position = match.end()
    live.append((position, len(page)))
    found = []
    for start, end in live:
        for run in _text_runs(page, start, end):
            for match in TEX_IN_TEXT.finditer(page, *run):
                if match.group("dollar"):
                    found.append((*match.span(), "$", None))
                    continue
                display = match.group("d1") or match.group("d2")
                tex = display if display is not None else (match.group("i1") or match.group("i2"))
                found.append((*match.span(), html.unescape(tex), display is not None))
    return found


def _text_runs(page: str, start: int, end: int):
    """(start, end) of each stretch of text between tags in page[start:end]."""
    for match in TAG.finditer(page, start, end):
        if match.start() > start:
            yield start, match.start()
        start = match.end()
    if end > start:
        yield start, end


def typeset_html(pages: Dict[str, str], font_url: str,
                 measured: bool = False) -> Tuple[Dict[str, str], str]:
    """Pages (name: HTML) with the TeX in their text typeset, and the stylesheet they share
    (sized as on hidden slides unless `measured`: see `math_size`)."""
    spans = {name: text_formulas(page) for name, page in pages.items()}
    formulas = [(tex, display) for name in pages for _, _, tex, display in spans[name]
                if display is not None]
    sources = [name for name in pages for *_, display in spans[name] if display is not None]
    typeset_list, css = typeset(formulas, font_url, sources, measured)
    typeset_formulas = iter(typeset_list)
    done = {}
    for name, page in pages.items():
        pieces, last = [], 0
        for start, end, tex, display in spans[name]:
            pieces += [page[last:start], "$" if display is None else next(typeset_formulas)]
            last = end
        done[name] = "".join(pieces) + page[last:]
    return done, css


def build_finished(app, exception) -> None:
    if exception is None and app.builder.format == "html":
        start = time.perf_counter()
        counts = typeset_site(Path(app.outdir))
        print(f"math: {sum(counts.values())} formulas on {sum(map(bool, counts.values()))} pages"
              f" typeset in {time.perf_counter() - start:.1f} s")


def setup(app):
    from sphinx.ext import mathjax
    # Sphinx's own markup for math, without the MathJax script.
    app.add_html_math_renderer("site_math", (mathjax.html_visit_math, None),
                               (mathjax.html_visit_displaymath, None))
    app.connect("build-finished", build_finished)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
