"""The theme's, myst-nb's and Jupyter Book's markup made accessible, and the site light
(a Sphinx extension).

- **Markup that axe-core reports** (label-content-name-mismatch,
  aria-required-children) is fixed where it is written: the theme's search button by a
  template override in ``_templates/``, myst-nb's hidden-cell toggle and docutils'
  bibliography entries by the HTML visitors here. tests/test_site_access.py fails when
  the theme's, myst-nb's or docutils' own markup changes, so an upgrade cannot undo a
  fix silently.
- **Console errors.** Jupyter Book 1 registers sphinx-thebe's inline configuration
  script twice, so each page declared `const THEBE_JS_URL` twice (a SyntaxError): each
  page's script list keeps one copy of each inline script.
- **Phones.** ``assets/site_access.css`` keeps figures and long headings within the
  screen's width (and lays out the native sliders of tools/site_sliders.py).
- **Weight.** ``_templates/layout.html`` leaves out the theme's Font Awesome script
  (1.5 MB; the theme's stylesheet and web fonts draw the same icons). The web fonts
  (270 kB on a first visit) are cut by fontTools to the icons the site shows and declared
  again, later, in ``_static/icon-fonts.css``, so that browsers load the cut copies
  (`subset_icon_fonts`). Source maps, the theme's translation catalogues and the Font
  Awesome script are not shipped.

tools/site_audit.py and tests/test_accessibility.py measure the result.
"""
import html
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Set, Tuple

from docutils import nodes



def drop_repeated_scripts(app, pagename, templatename, context, doctree) -> None:
    """Keep the first copy of each identical inline <script> body on a page."""
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, kept = set(), []
    for script in scripts:
        body = getattr(script, "attributes", {}).get("body")
        if body:
            if body in seen:
                continue
            seen.add(body)
        kept.append(script)
    scripts[:] = kept


def visit_hidden_cell(self, node) -> None:
    """myst-nb's toggle of a hidden cell (myst_nb.sphinx_.visit_HideCellInput) without its
    aria-label "Toggle hidden content": its visible text ("Show code cell source") names it."""
    self.body.append(f'<details class="admonition hide {" ".join(node["classes"])}">\n'
                     '<summary>\n'
                     f'<p class="collapsed admonition-title">{html.escape(node["prompt_show"])}</p>\n'
                     f'<p class="expanded admonition-title">{html.escape(node["prompt_hide"])}</p>\n'
                     '</summary>\n')


def visit_citation(self, node) -> None:
    """docutils' bibliography entry (HTMLTranslator.visit_citation) as a listitem of its
    role="list": docutils gives it the deprecated role doc-biblioentry."""
    if not isinstance(node.previous_sibling(), type(node)):
        self.body.append('<div role="list" class="citation-list">\n')
    self.body.append(self.starttag(node, "div", classes=[node.tagname], role="listitem"))


def lighten(app, exception) -> None:
    """Drop source maps, the theme's translation catalogues and its Font Awesome script, and
    cut its icon fonts."""
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    for source_map in outdir.rglob("*.map"):
        source_map.unlink()
    # The book theme copies its catalogues (.po/.mo) as static files; no page loads them (the
    # build has already translated the theme's words).
    shutil.rmtree(outdir / "_static" / "locales", ignore_errors=True)
    for name in ("fontawesome.js", "fontawesome.js.LICENSE.txt"):
        (outdir / "_static" / "scripts" / name).unlink(missing_ok=True)
    subset_icon_fonts(outdir)


ICON_FONTS = "vendor/fontawesome/webfonts"  # under _static/, as the theme ships them
ICON_CSS = "icon-fonts.css"  # under _static/
PRIVATE_USE = range(0xE000, 0xF900)  # where icon fonts put their glyphs


class IconClasses(HTMLParser):
    """The Font Awesome icon names (fa-NAME) in the class attributes of a page."""

    def __init__(self):
        super().__init__()
        self.names: Set[str] = set()

    def handle_starttag(self, tag, attrs) -> None:
        for name, value in attrs:
            if name == "class" and value:
                self.names |= {word[3:] for word in value.split() if word.startswith("fa-")}


def icon_class(selector: str) -> str:
    """NAME for a selector that draws one icon by its class (.fa-NAME, .fa-NAME:before)."""
    found = re.fullmatch(r"\.fa-([a-z0-9-]+)(?::{1,2}before)?", selector.strip())
    return found.group(1) if found else ""


def icons_shown(outdir: Path, theme_css: list) -> Tuple[Set[str], Set[str]]:
    """What the site can show in an icon font: the icons its pages and scripts name by class
    (NAME of fa-NAME), and the characters the stylesheet writes itself (admonitions, links)."""
    import tinycss2
    names: Set[str] = set()
    for page in outdir.rglob("*.html"):
        parser = IconClasses()
        parser.feed(page.read_text(encoding="utf-8"))
        names |= parser.names
    static = outdir / "_static"  # icons the theme's scripts insert (not vendor/: not theirs)
    for script in [*static.glob("*.js"), *static.glob("scripts/*.js")]:
        names |= set(re.findall(r"\bfa-([a-z0-9-]+)", script.read_text(errors="ignore")))
    characters: Set[str] = set()
    for rule in theme_css:
        if rule.type != "qualified-rule":
            continue
        selectors = tinycss2.serialize(rule.prelude).split(",")
        classes = {icon_class(selector) for selector in selectors}
        if "" not in classes and not classes & names:
            continue  # an icon class that no page uses
        for token in tinycss2.parse_component_value_list(tinycss2.serialize(rule.content)):
            if token.type == "string":
                characters |= {char for char in token.value if ord(char) in PRIVATE_USE}
    return names, characters


def subset_icon_fonts(outdir: Path) -> None:
    """Cut the theme's Font Awesome web fonts to the icons the site shows (WOFF; fontTools),
    declared in _static/icon-fonts.css after the theme's @font-face rules, which they replace."""
    import tinycss2
    from fontTools import subset
    static = outdir / "_static"
    stylesheet = static / "styles" / "pydata-sphinx-theme.css"
    theme_css = tinycss2.parse_stylesheet(stylesheet.read_text(encoding="utf-8"),
                                          skip_comments=True, skip_whitespace=True)
    names, characters = icons_shown(outdir, theme_css)
    faces = []
    for rule in theme_css:
        if rule.type != "at-rule" or rule.lower_at_keyword != "font-face":
            continue
        descriptors = {d.lower_name: tinycss2.serialize(d.value).strip()
                       for d in tinycss2.parse_declaration_list(rule.content, True, True)
                       if d.type == "declaration"}
        truetype = next((token.value for token in tinycss2.parse_component_value_list(
            descriptors.pop("src")) if token.type == "url" and token.value.endswith(".ttf")), None)
        font_path = stylesheet.parent / truetype if truetype else None
        if font_path is None or not font_path.exists():
            continue
        options = subset.Options()
        options.flavor = "woff"
        options.layout_features = []  # no ligatures: they would keep every icon
        font = subset.load_font(str(font_path), options)
        unicodes = {code for code, glyph in font.getBestCmap().items()
                    if glyph in names or chr(code) in characters}
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=unicodes)
        subsetter.subset(font)
        subset.save_font(font, str(font_path.with_suffix(".woff")), options)
        declared = "".join(f"{name}:{value};" for name, value in descriptors.items())
        faces.append(f'@font-face{{{declared}src:url({ICON_FONTS}/{font_path.stem}.woff) '
                     f'format("woff")}}\n')
    (static / ICON_CSS).write_text("".join(faces), encoding="utf-8")
    for original in [*(static / ICON_FONTS).glob("*.woff2"), *(static / ICON_FONTS).glob("*.ttf")]:
        original.unlink()


def setup(app):
    from myst_nb.sphinx_ import HideCodeCellNode, depart_HideCellInput
    from sphinx.writers.html5 import HTML5Translator
    app.add_css_file("site_access.css")  # assets/site_access.css, served from _static/
    app.add_css_file(ICON_CSS)  # written when the build finishes (subset_icon_fonts)
    app.add_node(HideCodeCellNode, override=True, html=(visit_hidden_cell, depart_HideCellInput))
    app.add_node(nodes.citation, override=True,
                 html=(visit_citation, HTML5Translator.depart_citation))
    app.connect("html-page-context", drop_repeated_scripts, priority=900)
    app.connect("build-finished", lighten)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
