"""The lecture decks (tools/slides.py), in Debian's headless Chromium via Playwright.

Each chapter's deck is served from ``_build/html/slides/`` on localhost and walked
slide by slide on a 1280x720 screen: nothing may overflow the slide (or hide in a
scrolled box), the math must be typeset, nothing may come from another host, and
every slider must change its figure. A screenshot of each slide goes to
``_build/screenshots/slides/<deck>/``, a PDF of the deck's print view (the handout)
next to them, and each deck's slide count to ``_build/screenshots/slides/counts.json``.
The unit tests at the top need no browser.
"""
import json
import re
import sys
from pathlib import Path
from urllib.parse import urlparse

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import mark_slides  # noqa: E402
import slides  # noqa: E402
from site_audit import FONTS_LOADED  # noqa: E402

SITE = ROOT / "_build" / "html"
SHOTS = ROOT / "_build" / "screenshots" / "slides"
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))


def test_digest_keeps_headings_math_and_lists_and_moves_prose_to_notes():
    source = ("## The loss\n\nA loss measures error:\n\n$$\nl = \\frac{1}{2}(y - t)^2\n"
              "\\tag{1.4}\n$$\n\nwhere $t$ is the truth.\n- one\n- two\n\n## Exercises\n\n1. Try.")
    shown, notes = slides.digest(source)
    assert shown == "## The loss\n\n$$\nl = \\frac{1}{2}(y - t)^2\n\\tag{1.4}\n$$\n\n- one\n- two"
    assert notes == "A loss measures error:\n\nwhere $t$ is the truth."


def test_digest_keeps_math_with_blank_lines_whole():
    shown, _ = slides.digest("$$\na\n\nb\n$$\n\ntext")
    assert shown == "$$\na\n\nb\n$$"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda path: path.stem)
def test_slide_marks_are_current(path):
    """The marks in the notebook are what tools/slides.yml's rules give
    (run tools/mark_slides.py after changing a chapter)."""
    assert not mark_slides.mark(path, mark_slides.load_rules(), check=True), (
        f"run: python tools/mark_slides.py {path.relative_to(ROOT)}")


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda path: path.stem)
def test_deck_carries_equations_code_and_figures(path):
    deck = slides.deck_notebook(nbformat.read(path, as_version=4))
    shown = [cell for cell in deck.cells
             if cell.metadata.get("slideshow", {}).get("slide_type") != "notes"]
    source = nbformat.read(path, as_version=4)
    tagged = sum(cell.source.count("\\tag{") for cell in source.cells
                 if cell.cell_type == "markdown" and "\\tag{" in cell.source)
    on_slides = sum(cell.source.count("\\tag{") for cell in shown if cell.cell_type == "markdown")
    assert on_slides >= min(tagged, 1), "the deck shows none of the chapter's numbered equations"
    assert any(cell.cell_type == "code" and "slides-hide-input" not in cell.metadata.get("tags", [])
               for cell in shown), "the deck shows no code"
    assert any(mark_slides.draws_figure(cell) for cell in shown), "the deck shows no figure"


# ---- in the browser -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def server(site_url):
    """The site's URL, once the decks are known to be built."""
    if not (SITE / "slides").is_dir():
        pytest.fail(f"{SITE / 'slides'} holds no decks: run `make slides` (make book does it)")
    return site_url


@pytest.fixture(scope="module")
def counts():
    found = {}
    yield found
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / "counts.json").write_text(json.dumps(found, indent=1) + "\n")


def open_deck(browser, url: str, problems: list):
    """A deck opened at 1280x720, ready (reveal initialised, math typeset, widgets drawn)."""
    page = browser.new_page(viewport={"width": slides.WIDTH, "height": slides.HEIGHT})
    local = urlparse(url).netloc

    def route(route) -> None:
        target = urlparse(route.request.url)
        if target.scheme in ("http", "https") and target.netloc != local:
            problems.append(f"request to another host: {route.request.url}")
            route.abort()
        else:
            route.continue_()

    page.route("**/*", route)
    page.on("console", lambda message: message.type == "error" and problems.append(
        f"console error: {message.text}"))
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("response", lambda response: response.status >= 400 and problems.append(
        f"HTTP {response.status}: {response.url}"))
    page.goto(url, wait_until="load")
    page.wait_for_function("() => window.Reveal && Reveal.isReady()")
    page.evaluate(FONTS_LOADED)
    expected = page.locator('script[type="application/vnd.jupyter.widget-view+json"]').count()
    if expected:
        page.wait_for_selector(".widget-slider", state="attached", timeout=15_000)
    return page


# What on the current slide lies outside the 1280x720 slide, or is cut off inside a
# scrolling box (a code line too long, an output too tall).
OVERFLOW = """() => {
  const box = document.querySelector('.reveal .slides').getBoundingClientRect();
  const scale = Reveal.getScale(), slide = Reveal.getCurrentSlide(), found = [];
  const name = element => element.tagName.toLowerCase() + (element.className && typeof
      element.className === 'string' ? '.' + element.className.split(' ')[0] : '');
  for (const element of slide.querySelectorAll('*')) {
    if (element.closest('aside.notes, script, style, mjx-assistive-mml')) continue;
    const rect = element.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) continue;
    const past = Math.max(rect.right - box.right, rect.bottom - box.bottom,
                          box.left - rect.left, box.top - rect.top) / scale;
    if (past > 1) found.push(`${name(element)} sticks out by ${Math.round(past)} px`);
    if (element.scrollWidth > element.clientWidth + 1 && element.clientWidth > 0
        && getComputedStyle(element).overflowX !== 'visible')
      found.push(`${name(element)} hides ${element.scrollWidth - element.clientWidth} px`);
  }
  return [...new Set(found)].slice(0, 5);
}"""

# How the current slide is shown: reveal's scale, and how many of its elements the browser
# paints inside the viewport (0 when the deck is not laid out).
SHOWN = """() => {
  const slide = Reveal.getCurrentSlide();
  const ink = [...slide.querySelectorAll('h1, h2, h3, p, li, pre, img, mjx-container')].filter(e => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight
      && document.elementsFromPoint(r.left + r.width / 2, r.top + r.height / 2).includes(e);
  }).length;
  return {scale: Reveal.getScale(), ink};
}"""

# The deck's math: typeset when the deck was built, with MathML for screen readers and
# glyphs that MathJax's stylesheet draws; no MathJax script.
DECK_MATH = """() => ({
  formulas: document.querySelectorAll('mjx-container[jax=CHTML]').length,
  spoken: document.querySelectorAll('mjx-container > mjx-assistive-mml > math').length,
  drawn: [...document.querySelectorAll('.slides mjx-c')].slice(0, 50).filter(
    glyph => getComputedStyle(glyph, '::before').content.startsWith('"')).length,
  glyphs: Math.min(50, document.querySelectorAll('.slides mjx-c').length),
  mathjax: window.MathJax !== undefined || !!document.querySelector('script[src*=mathjax i]'),
})"""


def math_in_deck(path: Path) -> int:
    """How many display formulas the deck shows ($$ ... $$ in its markdown cells)."""
    deck = slides.deck_notebook(nbformat.read(path, as_version=4))
    return sum(cell.source.count("$$") // 2 for cell in deck.cells if cell.cell_type == "markdown")


# A hash-free fingerprint of the figure a widget box shows now.
SHOWN_FIGURE = """box => {
  const shown = [...box.querySelectorAll('img')].filter(image => image.offsetParent !== null);
  return shown.length === 1 ? shown[0].src.length + ':' + shown[0].src.slice(-64)
                            : `${shown.length} figures shown`;
}"""


@pytest.mark.slow
@pytest.mark.parametrize("path", CHAPTERS, ids=lambda path: path.stem)
def test_every_slide_fits_1280x720(browser, server, counts, path):
    problems, overflowing = [], []
    page = open_deck(browser, f"{server}/slides/{path.stem}.html", problems)
    folder = SHOTS / path.stem
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    try:
        total = page.evaluate("() => Reveal.getTotalSlides()")
        counts[path.stem] = total
        for number in range(total):
            page.evaluate("n => { const s = Reveal.getSlides()[n]; const i = Reveal.getIndices(s);"
                          " Reveal.slide(i.h, i.v); }", number)
            page.wait_for_timeout(50)
            page.screenshot(path=str(folder / f"{number + 1:02d}.png"))
            shown = page.evaluate(SHOWN)
            assert shown["scale"] > 0.8 and shown["ink"] > 0, f"slide {number + 1} is not shown: {shown}"
            found = page.evaluate(OVERFLOW)
            if found:
                overflowing.append(f"slide {number + 1}: {'; '.join(found)}")
            raw = page.evaluate("() => [...Reveal.getCurrentSlide().querySelectorAll("
                                "'p, li, h1, h2, h3')].map(e => e.innerText)"
                                ".filter(t => /\\$\\$|\\\\(frac|mathbf|tag)/.test(t))")
            assert raw == [], f"slide {number + 1}: untypeset math {raw}"
        assert page.locator("mjx-merror").count() == 0, "MathJax reported a TeX error"
        math = page.evaluate(DECK_MATH)
        assert not math["mathjax"], "the deck loads MathJax"
        assert math["formulas"] >= math_in_deck(path), "formulas missing from the deck"
        assert math["formulas"] == math["spoken"], "formulas without assistive MathML"
        assert math["drawn"] == math["glyphs"], "MathJax's stylesheet does not draw the glyphs"
    finally:
        page.close()
    assert not overflowing, "content overflows 1280x720:\n" + "\n".join(overflowing)
    assert not problems, "\n".join(problems)


@pytest.mark.slow
@pytest.mark.parametrize("path", CHAPTERS, ids=lambda path: path.stem)
def test_sliders_work_in_the_deck(browser, server, path):
    problems = []
    page = open_deck(browser, f"{server}/slides/{path.stem}.html", problems)
    try:
        sliders = page.locator(".widget-slider")
        for index in range(sliders.count()):
            slider = sliders.nth(index)
            section = slider.locator("xpath=ancestor::section[1]")
            page.evaluate("s => { const i = Reveal.getIndices(s); Reveal.slide(i.h, i.v); }",
                          section.element_handle())
            box = slider.locator("xpath=ancestor::*[contains(@class, 'widget-vbox')][1]")
            before = box.evaluate(SHOWN_FIGURE)
            assert not before.endswith("figures shown"), f"slider {index}: {before}"
            handle = slider.locator(".noUi-handle")
            at_end = handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax")
            slide_before = page.evaluate("() => Reveal.getIndices().h")
            handle.focus()
            handle.press("ArrowLeft" if at_end else "ArrowRight")
            page.wait_for_timeout(300)
            assert page.evaluate("() => Reveal.getIndices().h") == slide_before, (
                "the arrow key moved the deck instead of the slider")
            assert box.evaluate(SHOWN_FIGURE) != before, f"slider {index}: the figure did not change"
    finally:
        page.close()
    assert not problems, "\n".join(problems)


@pytest.mark.slow
@pytest.mark.parametrize("path", CHAPTERS, ids=lambda path: path.stem)
def test_print_view_makes_a_handout(browser, server, path):
    """reveal's print view (?print-pdf) puts every slide on its own page; saved as a PDF."""
    problems = []
    page = open_deck(browser, f"{server}/slides/{path.stem}.html?print-pdf", problems)
    try:
        page.wait_for_selector(".pdf-page", state="attached", timeout=15_000)
        pages = page.locator(".pdf-page").count()
        total = page.evaluate("() => Reveal.getTotalSlides()")
        assert pages >= total, f"{pages} printed pages for {total} slides"
        SHOTS.mkdir(parents=True, exist_ok=True)
        pdf = SHOTS / f"{path.stem}.pdf"
        page.pdf(path=str(pdf), width=f"{slides.WIDTH}px", height=f"{slides.HEIGHT}px",
                 print_background=True)
        assert pdf.read_bytes().count(b"/Type /Page\n") + pdf.read_bytes().count(
            b"/Type /Page/") + len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes())) > 0
    finally:
        page.close()
    assert not problems, "\n".join(problems)
