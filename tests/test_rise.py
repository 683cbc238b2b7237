"""Live teaching: the chapters present as slides in JupyterLab through jupyterlab-rise.

The slide marks the decks use (tools/mark_slides.py) are the ones RISE reads, so a
teacher can present a chapter live from `make lab` (the RISE button, or the URL
/rise/<notebook>). This starts the JupyterLab that `make lab` installs, opens one
chapter in RISE in headless Chromium and checks that reveal.js shows its slides.
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
CHAPTER = ROOT / "chapters" / "04_from_scratch.ipynb"
pytestmark = pytest.mark.slow
playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is pinned in "
                                     "requirements.txt; run `make install`")
pytest.importorskip("jupyterlab_rise", reason="jupyterlab-rise is pinned in requirements.txt")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def slide_count(notebook) -> int:
    """How many top-level slides the notebook's marks ask for."""
    return sum(cell.metadata.get("slideshow", {}).get("slide_type") == "slide"
               for cell in notebook.cells)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab on a copy of chapters/, with a token; yields its base URL."""
    root = tmp_path_factory.mktemp("rise")
    shutil.copytree(ROOT / "chapters", root / "chapters")
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if k not in ("LIB_BOARD", "MPLBACKEND")}
    environment["JUPYTER_RUNTIME_DIR"] = str(root / "runtime")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", f"--port={port}",
         "--IdentityProvider.token=rise", f"--ServerApp.root_dir={root}"],
        env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{url}/api/status?token=rise", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not start within 60 s")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_chapter_presents_as_slides_in_jupyterlab(lab, chromium_path):
    expected = slide_count(nbformat.read(CHAPTER, as_version=4))
    assert expected > 5
    errors = []
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium_path), headless=True,
                                             args=["--no-sandbox", "--disable-gpu",
                                                   "--disable-background-networking"])
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{lab}/rise/chapters/{CHAPTER.name}?token=rise")
        page.wait_for_selector(".reveal .slides > section", timeout=60_000)
        page.wait_for_function("() => window.MathJax === undefined || true")
        shown = page.locator(".reveal .slides > section").count()
        title = page.locator(".reveal .slides > section").first.inner_text()
        browser.close()
    assert shown == expected, f"RISE shows {shown} slides, the marks ask for {expected}"
    assert "Linear regression from scratch" in title
    assert not errors, "\n".join(errors)
