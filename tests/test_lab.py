"""Every chapter as a student sees it in JupyterLab: opened, run all, read.

The JupyterLab that `make lab` installs runs on a temporary copy of chapters/
(so nothing is saved over the repository's notebooks), with a throw-away
settings folder that turns notebook windowing off, so every cell is in the
page. Headless Chromium (Debian's, through Playwright) opens each chapter,
runs all its cells in a live kernel and waits for the kernel to go idle.
Then, in the rendered page:

* the prose shows no site-only markup ({eq}, {glue, :::, $$, \\tag, (eq-, {doc}) and no quote marker
  and no raw TeX: MathJax typeset every formula;
* every <details> solution is there and closed;
* every equation shows its number, e.g. (1.3), in the typeset math;
* every number the prose quotes is shown as text, and the live run computed
  the same numbers as the stored outputs (except timings, which nbval does not
  compare either);
* no cell wrote an error or anything to stderr;
* every slider, moved one step with the keyboard, changes its figure.

The kernel runs as `make lab` starts it: without LIB_BOARD, so the training
boards animate and each slider retrains and redraws its one image when it
moves (precomputed figures are for the static site only).
Skipped where Chromium, Playwright or JupyterLab is missing.
"""
import re
import sys
import time
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
RUN_TIMEOUT_MS = 600_000  # one chapter's Run All, on a loaded 2-core machine
SLIDER_TIMEOUT_MS = 60_000  # a slider retrains before it redraws

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.notebook]
playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is pinned in "
                                     "requirements.txt; run `make install`")
sys.path.insert(0, str(ROOT / "tools"))
from prose_numbers import MARKED, stored_numbers  # noqa: E402

from browser_helpers import jupyterlab, move_slider, stored_sliders  # noqa: E402

# Settings a student could set in Settings > Settings Editor; here in a temporary folder.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        {"checkForUpdates": False, "fetchNews": "false"},
}
# Site-only markup that must not reach the rendered prose.
RAW_MARKUP = ["{eq}", "{glue", ":::", "$$", "\\tag", "(eq-", "{doc}", "{cite}"]


@pytest.fixture(scope="module")
def lab_server(tmp_path_factory):
    """JupyterLab on a copy of chapters/, with windowing off; yields (url, root)."""
    with jupyterlab(tmp_path_factory.mktemp("lab"), LAB_SETTINGS) as (url, token, root):
        yield f"{url}/lab?token={token}", root


@pytest.fixture(scope="module")
def lab(chromium_path, lab_server):
    """One headless Chromium tab with JupyterLab started in it; yields (page, root)."""
    url, root = lab_server
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(chromium_path), headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                  "--disable-background-networking", "--disable-extensions"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.route(re.compile(r"^https?://(?!127\.0\.0\.1[:/])"), lambda route: route.abort())
        page.goto(url)
        page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell",
                               timeout=120_000)
        page.evaluate("() => window.jupyterapp.started")
        yield page, root
        browser.close()


class RanChapter:
    """A chapter opened in JupyterLab and run all, its kernel idle."""

    def __init__(self, page, root: Path, path: Path):
        self.page, self.path = page, path
        self.copy = root / "chapters" / path.name
        self.source = nbformat.read(self.copy, as_version=4)  # as copied, before the run
        start = time.perf_counter()
        page.evaluate("""async path => {
          const panel = await window.jupyterapp.commands.execute('docmanager:open', {path});
          await panel.context.ready;
          await panel.sessionContext.ready;
          await panel.revealed;
        }""", f"chapters/{path.name}")
        self.windowing = page.evaluate(
            "() => window.jupyterapp.shell.currentWidget.content.notebookConfig.windowingMode")
        page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        page.wait_for_function("""() => {
          const panel = window.jupyterapp.shell.currentWidget;
          return panel.sessionContext.session.kernel.status === 'idle'
              && panel.content.widgets.every(cell => cell.model.type !== 'code'
                                             || cell.model.executionCount !== null);
        }""", timeout=RUN_TIMEOUT_MS, polling=500)
        self.seconds = time.perf_counter() - start
        # Wait until MathJax has typeset every formula it is going to.
        try:
            page.wait_for_function(f"() => ({RAW_TEXT})().every(text => !text.includes('$'))",
                                   timeout=30_000, polling=500)
        except playwright_api.Error:
            pass  # test_prose_shows_no_raw_markup reports what is left
        page.evaluate("() => window.jupyterapp.shell.currentWidget.context.save()")
        self.saved = nbformat.read(self.copy, as_version=4)

    def close(self) -> None:
        self.page.evaluate("""async () => {
          const panel = window.jupyterapp.shell.currentWidget;
          await panel.sessionContext.shutdown();
          panel.dispose();
        }""")

    def markdown_cells(self) -> dict:
        """index -> rendered text (typeset math left out) of each markdown cell."""
        texts = self.page.evaluate("""() => window.jupyterapp.shell.currentWidget.content.widgets
          .map(cell => {
            const output = cell.model.type === 'markdown'
                           && cell.node.querySelector('.jp-MarkdownOutput');
            if (!output) return null;
            const copy = output.cloneNode(true);
            copy.querySelectorAll('mjx-container').forEach(math => math.remove());
            return copy.textContent;
          })""")
        return {index: text for index, text in enumerate(texts) if text is not None}


# The text nodes of the rendered prose outside code and typeset math.
RAW_TEXT = r"""() => {
  const texts = [];
  for (const output of document.querySelectorAll('.jp-NotebookPanel .jp-MarkdownOutput')) {
    const walker = document.createTreeWalker(output, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest('pre, code, mjx-container, script, style')) continue;
      texts.push(node.textContent);
    }
  }
  return texts;
}"""


@pytest.fixture(scope="module", params=CHAPTERS, ids=lambda path: path.stem)
def ran(request, lab):
    """Each chapter is opened and run once; its tests then read the same page."""
    page, root = lab
    chapter = RanChapter(page, root, request.param)
    print(f"\n{request.param.stem}: Run All took {chapter.seconds:.1f} s in JupyterLab")
    yield chapter
    chapter.close()


def test_every_cell_is_in_the_page(ran):
    assert ran.windowing == "none"
    cells = ran.page.evaluate("() => window.jupyterapp.shell.currentWidget.content.widgets.length")
    assert cells == len(ran.source.cells)
    assert ran.page.locator(".jp-NotebookPanel .jp-Cell").count() == cells


def test_no_cell_wrote_an_error(ran):
    written = [f"cell {index}: {output.get('ename') or output.get('name')}: "
               f"{(output.get('evalue') or output.get('text', ''))[:300]}"
               for index, cell in enumerate(ran.saved.cells) if cell.cell_type == "code"
               for output in cell.outputs
               if output.output_type == "error" or output.get("name") == "stderr"]
    assert not written, "\n".join(written)


def test_prose_shows_no_raw_markup(ran):
    texts = ran.page.evaluate(RAW_TEXT)
    raw = [text.strip()[:100] for text in texts
           if "$" in text or any(markup in text for markup in RAW_MARKUP)]
    assert not raw, "raw markup or untypeset math in the rendered prose:\n" + "\n".join(raw)
    assert ran.page.locator(".jp-NotebookPanel .jp-MarkdownOutput mjx-merror").count() == 0


def test_every_solution_is_closed(ran):
    expected = sum(cell.source.count("<details>") for cell in ran.source.cells
                   if cell.cell_type == "markdown")
    details = ran.page.locator(".jp-NotebookPanel .jp-MarkdownOutput details")
    assert details.count() == expected
    for index in range(expected):
        solution = details.nth(index)
        assert solution.get_attribute("open") is None, f"solution {index} is open"
        assert solution.locator("> summary").inner_text().strip() == "Solution"
        body = solution.locator("> :not(summary)")
        assert body.count() > 0, f"solution {index} is empty"
        assert not body.first.is_visible(), f"solution {index} shows its body"


def test_equations_show_their_numbers(ran):
    markdown = "\n".join(cell.source for cell in ran.source.cells if cell.cell_type == "markdown")
    expected = [f"({number})" for number in re.findall(r"\\tag\{([\d.]+)\}", markdown)]
    shown = ran.page.evaluate("""() => [...document.querySelectorAll(
        '.jp-NotebookPanel .jp-MarkdownOutput mjx-container[display="true"]')]
        .filter(math => math.querySelector('mjx-labels'))
        .map(math => math.querySelector('mjx-assistive-mml mlabeledtr mtd').textContent)""")
    assert shown == expected


def test_prose_numbers_are_shown_and_equal_the_live_run(ran):
    rendered = ran.markdown_cells()
    quoted = 0
    for index, cell in enumerate(ran.source.cells):
        if cell.cell_type == "markdown":
            for name, text in MARKED.findall(cell.source):
                assert text in rendered[index], f"cell {index}: {name} = {text} is not shown"
                quoted += 1
            assert "quote:" not in rendered[index], f"cell {index}: a quote marker shows"
    assert quoted, "the chapter quotes no computed number"
    # The live run computed the stored numbers again, except those that vary from run to
    # run (timings: their cells are not compared by nbval either).
    varying, _ = stored_numbers(nbformat.v4.new_notebook(cells=[
        cell for cell in ran.source.cells if cell.cell_type == "code"
        and "nbval-ignore-output" in cell.metadata.get("tags", [])]))
    (stored, problems), (live, _) = stored_numbers(ran.source), stored_numbers(ran.saved)
    assert stored and not problems, problems
    assert {name: live.get(name) for name in stored if name not in varying} == \
        {name: text for name, text in stored.items() if name not in varying}


def test_every_slider_changes_its_figure(ran):
    """Each slider the run displayed, moved one step with the keyboard, retrains and shows
    another figure (chapters without sliders check that none is shown)."""
    sliders = ran.page.locator(".jp-NotebookPanel .jp-OutputArea .widget-slider .noUi-handle")
    views = stored_sliders(ran.copy)
    assert views == stored_sliders(ran.path), "the run displayed other widgets than stored"
    assert sliders.count() == views, f"{views} widgets displayed, {sliders.count()} sliders shown"
    for index in range(views):
        move_slider(ran.page, sliders.nth(index), timeout_ms=SLIDER_TIMEOUT_MS)


def test_the_book_has_sliders_to_move():
    assert sum(map(stored_sliders, CHAPTERS)) > 0
