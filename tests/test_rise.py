"""Live teaching: the chapters present as slides in JupyterLab through jupyterlab-rise.

The slide marks RISE reads are derived from the decks' marks (tools/slides.py), so a
teacher can present a chapter live from `make lab` (the RISE button, or the URL
/rise/<notebook>). This starts the JupyterLab that `make lab` installs, opens one
chapter in RISE in headless Chromium and checks that reveal.js shows its slides.
"""
from pathlib import Path

import nbformat
import pytest

from browser_helpers import jupyterlab

ROOT = Path(__file__).resolve().parent.parent
CHAPTER = ROOT / "chapters" / "04_from_scratch.ipynb"
pytestmark = [pytest.mark.slow, pytest.mark.browser]
pytest.importorskip("jupyterlab_rise", reason="jupyterlab-rise is pinned in requirements.txt")


def slide_count(notebook) -> int:
    """How many top-level slides the notebook's marks ask for."""
    return sum(cell.metadata.get("slideshow", {}).get("slide_type") == "slide"
               for cell in notebook.cells)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab on a copy of chapters/; yields (base URL, token)."""
    with jupyterlab(tmp_path_factory.mktemp("rise")) as (url, token, _):
        yield url, token


def test_a_chapter_presents_as_slides_in_jupyterlab(lab, browser):
    url, token = lab
    expected = slide_count(nbformat.read(CHAPTER, as_version=4))
    assert expected > 5
    errors = []
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    try:
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{url}/rise/chapters/{CHAPTER.name}?token={token}")
        page.wait_for_selector(".reveal .slides > section", timeout=60_000)
        shown = page.locator(".reveal .slides > section").count()
        title = page.locator(".reveal .slides > section").first.inner_text()
    finally:
        page.close()
    assert shown == expected, f"RISE shows {shown} slides, the marks ask for {expected}"
    assert "Linear regression from scratch" in title
    assert not errors, "\n".join(errors)
