r"""The book's math, typeset when the site is built: no MathJax in the reader's browser.

A Sphinx extension (in ``sphinx.local_extensions``), the math renderer that
``html_math_renderer`` in ``_config.yml`` names. Where Sphinx would write a formula's TeX
for MathJax to find in the browser, its visitors write what MathJax wrote there: CommonHTML
with hidden assistive MathML, from one Node process (tools/typeset_math.js, MathJax 3.2.2
pinned by tools/vendor_assets.py) that typesets every formula of the build in turn. When
the build finishes, the stylesheet for all of them goes to ``_static/mathjax-chtml.css``,
which the pages with math link; the site ships only the MathJax fonts it names.

A TeX error fails the build with the page and the formula. tools/slides.py typesets
the lecture decks with `typeset_html`.
"""
import html
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

from docutils import nodes

ROOT = Path(__file__).resolve().parent.parent
MATHJAX = ROOT / "tools" / "vendor" / "mathjax"  # the build-time copy (tools/vendor_assets.py)
TYPESETTER = Path(__file__).with_name("typeset_math.js")
STYLESHEET = "mathjax-chtml.css"  # under _static/
FONTS = "vendor/mathjax/output/chtml/fonts/woff-v2"  # under _static/, as assets/ ships them

Formula = Tuple[str, bool]  # (TeX, display)


class TeXError(ValueError):
    """A formula that MathJax cannot typeset."""


class MathJax:
    """MathJax in one Node process: formulas typeset one by one, then the stylesheet for all.

    `font_url` is where the stylesheet finds MathJax's fonts (relative to the stylesheet).
    """

    def __init__(self, font_url: str):
        if not (MATHJAX / "node-main.js").exists():
            raise FileNotFoundError(f"{MATHJAX} is missing: run `make vendor`")
        if shutil.which("node") is None:
            raise FileNotFoundError("node is needed to typeset the math (apt-get install nodejs)")
        self.process = subprocess.Popen(["node", str(TYPESETTER), str(MATHJAX), font_url],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True)

    def _ask(self, request) -> dict:
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        reply = self.process.stdout.readline()
        if not reply:
            raise RuntimeError(f"{TYPESETTER.name} failed:\n{self.process.stderr.read()}")
        return json.loads(reply)

    def typeset(self, tex: str, display: bool) -> str:
        """The formula as CommonHTML; a TeXError says why MathJax cannot typeset it."""
        reply = self._ask([tex, display])
        if "error" in reply:
            raise TeXError(reply["error"])
        return reply["html"]

    def stylesheet(self, measured: bool) -> str:
        """The CSS for every formula typeset so far, the math sized as `math_size` says."""
        reply = self._ask("css")
        size = math_size(reply["xHeight"], reply["exFactor"], measured)
        return reply["css"] + f'\nmjx-container[jax="CHTML"] {{\n  font-size: {size};\n}}\n'

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait()


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


def typeset(formulas: Sequence[Formula], font_url: str, sources: Sequence[str] = (),
            measured: bool = True) -> Tuple[List[str], str]:
    """Each formula as MathJax CommonHTML, and the stylesheet they need, from one Node process.

    `sources` names the page of each formula for the error message, which lists every
    formula MathJax cannot typeset.
    """
    if not formulas:
        return [], ""
    mathjax, typeset_html, errors = MathJax(font_url), [], []
    try:
        for index, (tex, display) in enumerate(formulas):
            try:
                typeset_html.append(mathjax.typeset(tex, display))
            except TeXError as error:
                where = sources[index] if sources else f"formula {index}"
                errors.append(f"  {where}: {' '.join(tex.split())}  ({error})")
        if errors:
            raise TeXError("MathJax cannot typeset:\n" + "\n".join(errors))
        return typeset_html, mathjax.stylesheet(measured)
    finally:
        mathjax.close()


# ---- the site: a math renderer for Sphinx ---------------------------------------------------

def display_tex(node: nodes.math_block) -> str:
    r"""A display formula's TeX as Sphinx's MathJax renderer hands it over, except that a
    formula with a \tag stays as written (Sphinx's split environment refuses \tag)."""
    latex = node.astext()
    if node.get("nowrap") or "\\tag{" in latex:
        return latex
    parts = [part if "\\\\" not in part else f"\\begin{{split}}{part}\\end{{split}}"
             for part in latex.split("\n\n") if part.strip()]
    if len(parts) == 1:
        return parts[0]
    return "\\begin{align}\\begin{aligned}" + "\\\\".join(parts) + "\\end{aligned}\\end{align}"


class SiteMath:
    """The visitors of the math renderer, sharing one MathJax for the whole build."""

    def __init__(self):
        self.mathjax = None

    def _typeset(self, translator, tex: str, display: bool) -> str:
        if self.mathjax is None:
            self.mathjax = MathJax(FONTS)
        try:
            return self.mathjax.typeset(tex, display)
        except TeXError as error:
            page = translator.builder.current_docname
            raise TeXError(f"MathJax cannot typeset, on {page}: {' '.join(tex.split())}"
                           f"  ({error})") from None

    def visit_math(self, translator, node: nodes.math) -> None:
        translator.body.append(translator.starttag(node, "span", "",
                                                   CLASS="math notranslate nohighlight"))
        translator.body.append(self._typeset(translator, node.astext(), False) + "</span>")
        raise nodes.SkipNode

    def visit_displaymath(self, translator, node: nodes.math_block) -> None:
        from sphinx.locale import _
        from sphinx.util.math import get_node_equation_number
        translator.body.append(translator.starttag(node, "div",
                                                   CLASS="math notranslate nohighlight"))
        if node["number"]:  # as Sphinx numbers a labelled equation
            translator.body.append(f'<span class="eqno">({get_node_equation_number(translator, node)})')
            translator.add_permalink_ref(node, _("Link to this equation"))
            translator.body.append("</span>")
        translator.body.append(self._typeset(translator, display_tex(node), True) + "</div>\n")
        raise nodes.SkipNode

    def page_context(self, app, pagename: str, templatename, context, doctree) -> None:
        """Pages that show math link MathJax's stylesheet."""
        math = (nodes.math, nodes.math_block)
        if doctree is not None and next(doctree.findall(lambda node: isinstance(node, math)),
                                        None) is not None:
            app.add_css_file(STYLESHEET)

    def build_finished(self, app, exception) -> None:
        if self.mathjax is None:
            return
        try:
            if exception is None and app.builder.format == "html":
                static = Path(app.outdir) / "_static"
                css = self.mathjax.stylesheet(measured=True)
                (static / STYLESHEET).write_text(css, encoding="utf-8")
                drop_unnamed_fonts(static, css)
        finally:
            self.mathjax.close()
            self.mathjax = None


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


def setup(app):
    math = SiteMath()
    app.add_html_math_renderer(
        "site_math", (lambda self, node: math.visit_math(self, node), None),
        (lambda self, node: math.visit_displaymath(self, node), None))
    app.connect("html-page-context", math.page_context)
    app.connect("build-finished", math.build_finished)
    return {"parallel_read_safe": True, "parallel_write_safe": False}
