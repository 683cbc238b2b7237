"""The math typeset at build time (tools/site_math.py) on small hand-made pages, no browser.

Needs Node and the MathJax that `make vendor` puts in tools/vendor/mathjax (`make book`
and `make test` fetch it first); skipped, saying so, where either is missing.
"""
import re
import shutil
from pathlib import Path

import pytest
from docutils import nodes

from tools import site_math

pytestmark = pytest.mark.skipif(
    not (site_math.MATHJAX / "node-main.js").exists() or shutil.which("node") is None,
    reason="needs node and tools/vendor/mathjax: run `make vendor`")

PAGE = r"""Title
=====

Inline :math:`\boldsymbol{\beta} < 1`.

.. math::

   \begin{aligned} a &= b\\ c &= d \end{aligned}
   \tag{1.11}

.. math::

   x \\ y

.. raw:: html

   <details><summary>Solution</summary>

:math:`x_i`

.. raw:: html

   </details>
"""
CONF = f"""import sys
sys.path.insert(0, {str(site_math.ROOT / "tools")!r})
extensions = ["site_math"]
html_math_renderer = "site_math"
"""


def build(folder: Path, pages: dict) -> Path:
    """A Sphinx site of `pages` (name: reST) built with the site's math renderer; its folder."""
    from sphinx.cmd.build import build_main
    source = folder / "source"
    source.mkdir()
    (source / "conf.py").write_text(CONF)
    for name, text in pages.items():
        (source / f"{name}.rst").write_text(text)
    toctree = "\n".join(f"   {name}" for name in pages)
    (source / "index.rst").write_text(f"Index\n=====\n\n.. toctree::\n\n{toctree}\n")
    status = build_main(["-q", "-W", "-b", "html", str(source), str(folder / "html")])
    if status:
        raise RuntimeError(f"sphinx-build exited with {status}")
    return folder / "html"


def test_a_tex_error_fails_naming_the_page_and_the_formula():
    with pytest.raises(site_math.TeXError,
                       match=r"b\.html: \\frac\{1\}\{  \(Missing close brace\)"):
        site_math.typeset([("x", False), ("\\frac{1}{", True)], "fonts", ["a.html", "b.html"])
    with pytest.raises(site_math.TeXError, match=r"Undefined control sequence \\nosuchmacro"):
        site_math.typeset([("\\nosuchmacro x", False)], "fonts", ["a.html"])


def test_a_tex_error_on_a_page_fails_the_site(tmp_path, capsys):
    with pytest.raises((site_math.TeXError, RuntimeError, SystemExit)):
        build(tmp_path, {"page": PAGE.replace("\\beta}", "\\beta")})
    assert re.search(r"MathJax cannot typeset, on page: .*boldsymbol", capsys.readouterr().err)


def test_sphinx_math_becomes_chtml_with_mathml_and_a_shared_stylesheet(tmp_path):
    site = build(tmp_path, {"one": PAGE, "plain": "Plain\n=====\n\nno math\n"})
    html = (site / "one.html").read_text()
    assert "\\(" not in html and "\\[" not in html and "\\tag" not in html
    assert html.count('<mjx-container class="MathJax" jax="CHTML"') == 4
    assert html.count("<mjx-assistive-mml") == 4
    assert '<mi mathvariant="bold-italic">β</mi>' in html  # \boldsymbol, autoloaded
    assert '<mjx-mtd id="mjx-eqn:1.11">' in html  # the equation keeps its number
    assert "NaN" not in html
    assert html.count('href="_static/mathjax-chtml.css') == 1
    assert "mathjax-chtml.css" not in (site / "plain.html").read_text()
    css = (site / "_static" / "mathjax-chtml.css").read_text()
    assert 'url("vendor/mathjax/output/chtml/fonts/woff-v2/MathJax_Main-Regular.woff")' in css
    assert "mjx-c.mjx-c1D737.TEX-BI::before" in css  # the bold beta's glyph
    # sized by the reader's text, as MathJax did in the browser: 1 ex of the text is the
    # x-height of MathJax's font (0.442 em in its TeX font data)
    assert 'mjx-container[jax="CHTML"] {\n  font-size: calc(1ex / 0.442);' in css


def test_display_math_is_handed_over_as_sphinx_does_but_a_tag_stays_unsplit():
    """Sphinx wraps display math with line breaks in split, where MathJax refuses \\tag."""
    tagged = "\\begin{aligned} a &= b\\\\ c &= d \\end{aligned}\n\\tag{1.11}"
    assert site_math.display_tex(nodes.math_block(tagged, tagged)) == tagged
    assert site_math.display_tex(nodes.math_block("a \\\\ b", "a \\\\ b")) == \
        "\\begin{split}a \\\\ b\\end{split}"
    assert site_math.display_tex(nodes.math_block("a\n\nb", "a\n\nb")) == \
        "\\begin{align}\\begin{aligned}a\\\\b\\end{aligned}\\end{align}"


def test_math_sizes_come_from_mathjax_font_data():
    """On a hidden slide MathJax took an ex to be half an em: 0.5 / 0.442 = 113.1 %."""
    assert site_math.math_size(0.442, 0.5, measured=False) == "113.1%"
    assert site_math.math_size(0.442, 0.5, measured=True) == "calc(1ex / 0.442)"


def test_tex_in_a_decks_text_is_typeset_but_not_in_code():
    deck = ("<html><head></head><body><p>Let $x &lt; 1$ cost \\$5, and</p>\n<p>$$\ny = 2\n$$</p>"
            "<pre>$a$</pre><code>$b$</code><script>let s = '$c$';</script></body></html>")
    spans = site_math.text_formulas(deck)
    assert [(tex, display) for *_, tex, display in spans] == [
        ("x < 1", False), ("$", None), ("\ny = 2\n", True)]
    pages, css = site_math.typeset_html({"deck": deck}, "../fonts")
    typeset = pages["deck"]
    assert typeset.count("<mjx-container") == 2 and "cost $5" in typeset
    assert "<pre>$a$</pre><code>$b$</code><script>let s = '$c$';</script>" in typeset
    assert 'url("../fonts/MathJax_Zero.woff")' in css
    assert "font-size: 113.1%;" in css  # the decks are laid out for MathJax's unmeasured size
