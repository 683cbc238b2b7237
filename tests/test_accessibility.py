"""The built site for every reader: axe-core, first-visit weight, phone width, sliders, dark mode.

Every page of the book is opened once in a fresh Chromium context (an empty
cache) by tools/site_audit.py, which runs axe-core 4.14 (pinned from npm,
``make vendor``) with every rule, counts the bytes a first visit loads (served
gzip-compressed, as static hosts serve text) and measures the page on a
390 px screen. Each page is opened once more in the theme's dark mode for
axe-core alone. The measurements are written to ``_build/audit.json``.
"""
import json
import re
import sys
from pathlib import Path

import pydata_sphinx_theme
import pytest

from browser_helpers import stored_sliders
from tools.site_audit import (AXE, CHROMIUM, PHONE_WIDTH, ROOT, SITE, audit_page, chromium,
                              dark_audit, serve, site_bytes, table, toc_pages)

pytest.importorskip("playwright.sync_api", reason="playwright is pinned; run `make install`")
pytestmark = [pytest.mark.slow, pytest.mark.browser]
PAGES = toc_pages()
CHAPTERS = [name for name in PAGES if name.startswith("chapters/0")]
SLIDER_PAGES = [name for name in PAGES if stored_sliders(ROOT / f"{name}.ipynb")]
SLIDER_PAGE_BYTES = 2_000_000
TEXT_PAGE_BYTES = 1_000_000
SITE_BYTES = 15_000_000  # the pages and what they load
DOWNLOAD_BYTES = 40_000_000  # the PDFs, the archives and the homework notebooks
DOWNLOADS = (".pdf", ".zip", ".ipynb")


def has_sliders(name: str) -> bool:
    return 'class="widget-vbox figure-slider"' in (SITE / f"{name}.html").read_text(
        encoding="utf-8")


@pytest.fixture(scope="module")
def site():
    for needed, how in ((SITE / "index.html", "make book"), (AXE, "make vendor"),
                        (CHROMIUM, "make chromium")):
        if not needed.exists():
            pytest.fail(f"{needed} is missing: run `{how}` (make test does it first)")
    with serve() as base, chromium() as browser:
        yield base, browser


@pytest.fixture(scope="module")
def audits(site):
    base, browser = site
    results = {}

    def audited(name: str) -> dict:
        if name not in results:
            results[name] = audit_page(browser, base, name)
        return results[name]

    yield audited
    if results:
        (ROOT / "_build" / "audit.json").write_text(json.dumps(list(results.values()), indent=1))
        print("\n" + table(list(results.values())))


@pytest.mark.parametrize("name", PAGES)
def test_no_serious_or_critical_violations(audits, name):
    result = audits(name)
    assert result["severe"] == 0, json.dumps(result["severe_nodes"], indent=1)


@pytest.mark.parametrize("name", PAGES)
def test_first_visit_is_light(audits, name):
    budget = SLIDER_PAGE_BYTES if has_sliders(name) else TEXT_PAGE_BYTES
    loaded = audits(name)["bytes_scrolled"]
    assert loaded < budget, f"{name}: a first visit loads {loaded} bytes (budget {budget})"


@pytest.mark.parametrize("name", PAGES)
def test_page_fits_a_phone(audits, name):
    width = audits(name)["phone_width"]
    assert width <= PHONE_WIDTH, f"{name} is {width} px wide on a {PHONE_WIDTH} px screen"


@pytest.mark.parametrize("name", PAGES)
def test_figures_keep_their_shape_on_a_phone(audits, name):
    """A figure narrowed to a 390 px screen is scaled, not squeezed."""
    assert audits(name)["phone_figure_shapes"] or name not in CHAPTERS, "no figure to check"
    for shape in audits(name)["phone_figure_shapes"]:
        assert shape["width"] <= PHONE_WIDTH and abs(shape["shown"] / shape["natural"] - 1) < 0.02, shape


def test_site_is_small_on_disk():
    downloads = site_bytes(SITE, DOWNLOADS)
    assert downloads > 0, "the site offers nothing to download"
    pages = site_bytes() - downloads
    assert pages < SITE_BYTES, f"the site's pages and assets take {pages} bytes"
    assert downloads < DOWNLOAD_BYTES, f"the downloads take {downloads} bytes"


def font_urls(css: Path) -> set:
    """The MathJax font files a stylesheet's url(...)s name, as paths."""
    return {(css.parent / url).resolve()
            for url in re.findall(r'url\("?([^")]+?)"?\)', css.read_text(encoding="utf-8"))
            if "MathJax_" in url}


def test_mathjax_ships_no_script_only_the_fonts_its_stylesheet_names():
    """The math is typeset when the site is built: no page or deck loads MathJax's
    JavaScript, and of MathJax the site ships only the fonts its stylesheets name."""
    mathjax = SITE / "_static" / "vendor" / "mathjax"
    shipped = {path.resolve() for path in mathjax.rglob("*") if path.is_file()} - {
        (mathjax / "LICENSE").resolve()}
    named = font_urls(SITE / "_static" / "mathjax-chtml.css")
    assert shipped and shipped == named, (sorted(shipped ^ named))
    for deck_css in (SITE / "slides").glob("*.css"):  # the decks' copies of the stylesheet
        assert font_urls(deck_css) <= shipped, deck_css
    assert not [path for path in SITE.rglob("*.js") if "mathjax" in str(path).lower()]
    loads_mathjax = re.compile(r"<script[^>]*mathjax|window\.MathJax", re.I)
    loading = [str(path.relative_to(SITE)) for path in SITE.rglob("*.html")
               if loads_mathjax.search(path.read_text(encoding="utf-8"))]
    assert loading == [], "pages that load MathJax"


def test_the_cut_icon_fonts_draw_every_icon_the_pages_name():
    """tools/site_access.py cuts Font Awesome's fonts to the icons the site shows: each
    fa-NAME on a page that is an icon of the theme's fonts is in the shipped copy."""
    from fontTools.ttLib import TTFont
    sys.path.insert(0, str(ROOT / "tools"))
    from site_access import ICON_FONTS, IconClasses
    theme = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static"
    codepoints = {}  # icon: the characters that draw it in the theme's fonts
    for font in (theme / ICON_FONTS).glob("*.ttf"):
        for code, glyph in TTFont(font).getBestCmap().items():
            codepoints.setdefault(glyph, set()).add(code)
    shipped = {code for font in (SITE / "_static" / ICON_FONTS).glob("*.woff")
               for code in TTFont(font).getBestCmap()}
    named = set()
    for page in SITE.rglob("*.html"):
        parser = IconClasses()
        parser.feed(page.read_text(encoding="utf-8"))
        named |= parser.names & set(codepoints)
    assert len(named) > 5, named
    assert sorted(name for name in named if not codepoints[name] & shipped) == []
    assert not list((SITE / "_static" / ICON_FONTS).glob("*.woff2")), "the uncut fonts ship"


@pytest.mark.parametrize("name", PAGES)
def test_no_serious_or_critical_violations_in_dark_mode(site, name):
    """The same audit with the theme switched to dark mode (data-theme="dark" on <html>)."""
    base, browser = site
    result = dark_audit(browser, base, name)
    assert result["severe"] == 0, json.dumps(result["severe_nodes"], indent=1)


@pytest.mark.parametrize("name", PAGES)
def test_every_figure_says_what_it_shows(audits, name):
    assert audits(name)["figures"] or name not in CHAPTERS, "a chapter shows no figure"
    for figure in audits(name)["figures"]:
        alt = figure["alt"]
        words = re.findall(r"[A-Za-z]+", alt)
        assert len(words) >= 5 and not re.search(r"\.(png|svg|jpe?g)\b", alt, re.I), (
            f"alt text {alt!r} does not say what the figure shows")


@pytest.mark.parametrize("name", SLIDER_PAGES)
def test_sliders_are_named(audits, name):
    result = audits(name)
    assert result["sliders"] == stored_sliders(ROOT / f"{name}.ipynb") > 0, \
        "every stored slider becomes a native one"
    assert result["slider_problems"] == []


def test_the_book_has_chapters_with_figures_and_sliders():
    """What the tests here check is there to check: figures on every chapter, sliders."""
    assert len(CHAPTERS) >= 7 and SLIDER_PAGES


def luminance(css_colour: str) -> float:
    red, green, blue = (int(part) / 255 for part in re.findall(r"\d+", css_colour)[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


@pytest.mark.parametrize("name", PAGES)
def test_figures_are_readable_in_dark_mode(audits, name):
    """Matplotlib's black axes and labels need a light ground in the theme's dark mode too."""
    assert audits(name)["figures"] or name not in CHAPTERS, "a chapter shows no figure"
    for figure in audits(name)["figures"]:
        assert luminance(figure["dark_ground"]) > 0.6, figure


@pytest.mark.parametrize("name", CHAPTERS)
def test_figures_are_sharp_on_high_density_screens(audits, name):
    """Each figure has about two pixels per CSS pixel: sharp on a phone, not oversized."""
    assert audits(name)["figures"], "the chapter shows no figure"
    for figure in audits(name)["figures"]:
        assert 1.8 <= figure["natural"] / figure["shown"] <= 2.5, figure
