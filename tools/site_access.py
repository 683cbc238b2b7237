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
  (1.5 MB; the theme's stylesheet and web fonts draw the same icons), and source maps,
  the theme's translation catalogues and that script are not shipped.

tools/site_audit.py and tests/test_accessibility.py measure the result.
"""
import html
import shutil
from pathlib import Path

from docutils import nodes

# tools/slides.py imports replace_sliders from here; when it names site_sliders, this goes.
from site_sliders import replace_sliders  # noqa: E402,F401


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


def drop_unused_files(app, exception) -> None:
    """Source maps, the theme's translation catalogues and its Font Awesome script."""
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


def setup(app):
    from myst_nb.sphinx_ import HideCodeCellNode, depart_HideCellInput
    from sphinx.writers.html5 import HTML5Translator
    app.add_css_file("site_access.css")  # assets/site_access.css, served from _static/
    app.add_node(HideCodeCellNode, override=True, html=(visit_hidden_cell, depart_HideCellInput))
    app.add_node(nodes.citation, override=True,
                 html=(visit_citation, HTML5Translator.depart_citation))
    app.connect("html-page-context", drop_repeated_scripts, priority=900)
    app.connect("build-finished", drop_unused_files)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
