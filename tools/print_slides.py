"""Print every lecture deck as a PDF, one slide per page, and its handout (each slide with
its speaker notes), with Debian's Chromium from the built site (tools/slides.py):

    _build/html/slides/<chapter>.pdf            reveal.js's print view (?print-pdf)
    _build/html/slides/<chapter>-handout.pdf    <chapter>-handout.html, A4

    python tools/print_slides.py
"""
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from site_audit import FONTS_LOADED, SITE, chromium, serve  # noqa: E402

WIDTH, HEIGHT = 1280, 720


def print_decks(site: Path = SITE) -> list:
    """Write the PDFs of every deck in site/slides; return their paths."""
    decks = sorted(p.stem for p in (site / "slides").glob("*.html")
                   if not p.stem.endswith("-handout"))
    if not decks:
        raise SystemExit(f"{site / 'slides'} holds no decks: run `make book`")
    written = []
    with serve(site, compress=False) as base, chromium() as browser:
        page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
        for deck in decks:
            page.goto(f"{base}/slides/{deck}.html?print-pdf", wait_until="load")
            page.wait_for_function("() => window.Reveal && Reveal.isReady()"
                                   " && document.querySelector('.pdf-page')")
            page.evaluate(FONTS_LOADED)
            page.wait_for_function("() => [...document.images].every(i => i.complete)")
            target = site / "slides" / f"{deck}.pdf"
            page.pdf(path=str(target), width=f"{WIDTH}px", height=f"{HEIGHT}px",
                     print_background=True, margin={"top": "0", "bottom": "0", "left": "0",
                                                    "right": "0"})
            written.append(target)
            page.goto(f"{base}/slides/{deck}-handout.html", wait_until="load")
            page.evaluate(FONTS_LOADED)
            page.wait_for_function("() => [...document.images].every(i => i.complete)")
            target = site / "slides" / f"{deck}-handout.pdf"
            page.pdf(path=str(target), format="A4", print_background=True,
                     prefer_css_page_size=True)
            written.append(target)
    return written


if __name__ == "__main__":
    start = time.perf_counter()
    paths = print_decks()
    print(f"slides: {len(paths)} PDFs printed in {time.perf_counter() - start:.1f} s")
