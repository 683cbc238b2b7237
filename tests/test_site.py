"""The built website, tested in a real browser (Debian's headless Chromium via Playwright).

`make test` builds the site first (`make book`), then these tests serve
``_build/html`` on localhost and open every page listed in ``_toc.yml``:
each must load with no console error and no failed request (and nothing is
fetched from anywhere but the local server), show all its math typeset (at build
time, with no MathJax script) and every
image, answer every slider with a new figure and open every collapsed solution
(``<details>``) on click. Each chapter must show math and figures, and each test first
counts what it checks (the sliders and solutions its notebook stores). A page that
loads with problems leaves a full-page screenshot in ``_build/screenshots/``. The
pages' weight is tools/site_audit.py's (tests/test_accessibility.py).
Where Chromium is missing they are skipped (conftest.py's ``chromium_path``), except under
`make test`, which installs it first.
"""
import json
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest

from browser_helpers import move_slider, stored_sliders
from tools.site_audit import FONTS_LOADED, toc_pages

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "_build" / "screenshots"

pytestmark = [pytest.mark.slow, pytest.mark.browser]
pytest.importorskip("playwright.sync_api", reason="playwright is pinned in "
                    "requirements.txt; run `make install`")

PAGES = toc_pages()
# The chapter notebooks among them (not the intro, not the glossary page).
CHAPTERS = [page for page in PAGES if (ROOT / f"{page}.ipynb").exists()]
SLIDER_PAGES = [page for page in PAGES if stored_sliders(ROOT / f"{page}.ipynb")]


class LoadedPage:
    """A page opened in a fresh browser tab, with every problem it reported."""

    def __init__(self, browser, url: str):
        self.problems = []
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        local_host = urlparse(url).netloc
        self.page.route("**/*", lambda route: self._route(route, local_host))
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        self.page.on("requestfailed", lambda request: self.problems.append(
            f"request failed: {request.url} ({request.failure})"))
        self.page.on("response", self._response)
        self.page.goto(url, wait_until="load")
        self.page.wait_for_load_state("networkidle")

    def _route(self, route, local_host: str) -> None:
        """Serve only local files: the site must not need the network."""
        url = urlparse(route.request.url)
        if url.scheme in ("http", "https") and url.netloc != local_host:
            self.problems.append(f"request to another host: {route.request.url}")
            route.abort()
        else:
            route.continue_()

    def _console(self, message) -> None:
        if message.type == "error":
            self.problems.append(f"console error: {message.text} at {message.location}")

    def _response(self, response) -> None:
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status}: {response.url}")


@pytest.fixture(scope="module")
def opened(browser, site_url):
    """Open each page once and share it between the tests of that page."""
    pages = {}

    def open_page(name: str) -> LoadedPage:
        if name not in pages:
            pages[name] = LoadedPage(browser, f"{site_url}/{name}.html")
            pages[name].page.evaluate(FONTS_LOADED)  # the math's fonts
        return pages[name]

    yield open_page
    for loaded in pages.values():
        loaded.page.close()


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_cleanly(opened, name):
    loaded = opened(name)
    assert loaded.page.locator("h1").count() >= 1, "the page has no title"
    if loaded.problems:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / (name.replace("/", "__") + ".png")
        loaded.page.screenshot(path=str(path), full_page=True)
        pytest.fail("\n".join(loaded.problems) + f"\n(screenshot: {path})")


# Text anywhere on the page (outside code and typeset math) that still looks like TeX.
RAW_TEX = r"""() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const raw = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest('pre, code, mjx-container, script, style, .highlight')) continue;
    const match = node.textContent.match(/\\[a-zA-Z]{2,}|\\\(|\\\[|\$\$/);
    if (match) raw.push(node.textContent.trim().slice(0, 80));
  }
  return raw;
}"""


# How the page's math looks: each formula Sphinx marked and what it holds, and whether
# MathJax's stylesheet and fonts reached it.
MATH = """() => ({
  formulas: [...document.querySelectorAll('main .math')].map(math => ({
    typeset: math.querySelectorAll(':scope > mjx-container[jax=CHTML]').length,
    spoken: math.querySelectorAll(':scope > mjx-container > mjx-assistive-mml > math').length,
    text: math.textContent.slice(0, 80)})),
  drawn: [...document.querySelectorAll('main mjx-c')].slice(0, 50).filter(
    glyph => getComputedStyle(glyph, '::before').content.startsWith('"')).length,
  glyphs: Math.min(50, document.querySelectorAll('main mjx-c').length),
  fonts: [...document.fonts].filter(font => font.family.startsWith('MJX')
                                   && font.status === 'loaded').length,
  mathjax: window.MathJax !== undefined || !!document.querySelector('script[src*=mathjax i]'),
})"""


@pytest.mark.parametrize("name", PAGES)
def test_math_is_typeset(opened, name):
    """Every formula was typeset when the site was built, with MathML for screen readers;
    the page loads no MathJax, and MathJax's stylesheet and fonts draw the glyphs."""
    page = opened(name).page
    math = page.evaluate(MATH)
    assert math["formulas"] or name not in CHAPTERS, "a chapter shows no formula"
    assert not math["mathjax"], "the page loads MathJax"
    untypeset = [f["text"] for f in math["formulas"] if f["typeset"] != 1 or f["spoken"] != 1]
    assert untypeset == [], "formulas not typeset once with assistive MathML"
    assert math["drawn"] == math["glyphs"], "MathJax's stylesheet does not draw the glyphs"
    if math["formulas"]:
        assert math["fonts"] > 0, "no MathJax font loaded"
    assert page.locator("mjx-merror").count() == 0, "MathJax reported a TeX error"
    assert page.evaluate(RAW_TEX) == []


@pytest.mark.parametrize("name", PAGES)
def test_every_image_loads(opened, name):
    page = opened(name).page
    page.wait_for_function("() => [...document.images].every(image => image.complete)")
    assert page.evaluate("() => document.images.length") or name not in CHAPTERS, \
        "a chapter shows no figure"
    broken = page.evaluate("() => [...document.images].filter(image => image.naturalWidth === 0"
                           " || image.naturalHeight === 0).map(image => image.src.slice(0, 80))")
    assert broken == []


@pytest.mark.parametrize("name", SLIDER_PAGES)
def test_every_slider_changes_the_figure(opened, name):
    """Each slider the notebook stores is a native one whose arrow keys switch the figure,
    its alt text and the value it shows and announces."""
    page = opened(name).page
    sliders = page.get_by_role("slider")
    assert sliders.count() == stored_sliders(ROOT / f"{name}.ipynb") > 0
    for index in range(sliders.count()):
        slider = sliders.nth(index)
        label = slider.get_attribute("aria-valuetext")
        before, after = move_slider(page, slider)
        assert after["alt"] != before["alt"], f"slider {index}: the alt text did not change"
        assert slider.get_attribute("aria-valuetext") != label, f"slider {index}: same value"
        shown = slider.locator("xpath=following-sibling::output").inner_text()
        assert shown == slider.get_attribute("aria-valuetext"), f"slider {index}: shows {shown}"


def solutions_in_source(name: str) -> int:
    """How many <details> solutions the page's notebook writes in its markdown."""
    path = ROOT / f"{name}.ipynb"
    if not path.exists():
        return 0
    notebook = json.loads(path.read_text())
    return sum("".join(cell["source"]).count("<details>") for cell in notebook["cells"]
               if cell["cell_type"] == "markdown")


@pytest.mark.parametrize("name", PAGES)
def test_collapsed_solutions_open_on_click(opened, name):
    page = opened(name).page
    solutions = page.locator("main details:not(.hide)")
    assert solutions.count() == solutions_in_source(name)
    for index in range(solutions.count()):
        solution = solutions.nth(index)
        assert solution.locator("> summary").inner_text().strip() == "Solution"
        assert solution.get_attribute("open") is None, f"solution {index} is open at load"
        body = solution.locator("> :not(summary)").first
        assert not body.is_visible(), f"solution {index} shows its body at load"
        solution.locator("> summary").click()
        body.wait_for(state="visible", timeout=3_000)
        assert solution.get_attribute("open") is not None, f"solution {index} did not open"
    hidden_cells = page.locator("main details.hide")
    for index in range(hidden_cells.count()):
        details = hidden_cells.nth(index)
        assert details.get_attribute("open") is None, f"hidden cell {index} is open"
        details.locator("summary").click()
        details.locator(".cell_input").first.wait_for(state="visible", timeout=3_000)


@pytest.mark.parametrize("name", CHAPTERS)
def test_chapter_title_is_numbered_once(opened, name):
    """The book numbers its chapters itself; a number typed into the title doubles it."""
    title = opened(name).page.locator("article h1").first.inner_text()
    assert not re.match(r"\s*\d+(\.\d+)*\.?\s+\d+\.\s", title), (
        f"title {title!r}: remove the typed number from the notebook's H1")


@pytest.mark.parametrize("name", CHAPTERS)
def test_chapter_offers_download_launch_and_copy(opened, name, site_url):
    page = opened(name).page
    notebook = page.locator(f'a[href$="_sources/{name}.ipynb"]')
    assert notebook.count() == 1, "no download link for the .ipynb"
    response = page.request.get(notebook.first.evaluate("link => link.href"))
    assert response.ok and json.loads(response.body())["cells"], "the .ipynb does not download"
    for host in ("mybinder.org", "colab.research.google.com"):
        assert page.locator(f'a[href*="{host}"][href*="{name}.ipynb"]').count() == 1, (
            f"no launch button for {host}")
    code_cells = page.locator("main .cell_input pre").count()
    assert page.locator("main .cell_input button.copybtn").count() == code_cells


def test_search_finds_a_chapter(browser, site_url):
    """The search page (a local index, no server) finds a chapter by a word of its title."""
    name = CHAPTERS[-1]
    page = browser.new_page()
    try:
        page.goto(f"{site_url}/{name}.html")
        word = max(re.findall(r"[A-Za-z]{5,}", page.locator("article h1").first.inner_text()),
                   key=len)
        page.goto(f"{site_url}/search.html?q={word}")
        page.wait_for_selector("#search-results ul.search li", timeout=15_000)
        hrefs = page.locator("#search-results ul.search li a").evaluate_all(
            "links => links.map(link => link.getAttribute('href'))")
        assert any(name in href for href in hrefs), f"searching {word!r} found {hrefs}"
    finally:
        page.close()
