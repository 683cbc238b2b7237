"""Measure the lecture decks in Chromium, slide by slide, on the 1280x720 canvas.

For each slide: its title, whether it shows only a heading, how much of its height is
filled, the smallest text and code font sizes, code lines and columns, the height of its
figure, and what sticks out. tests/test_slides.py asserts on these; run alone it prints
the issue's table for every deck in a folder of the built site:

    python tools/deck_metrics.py                 # _build/html/slides
    python tools/deck_metrics.py --slides slides_old
"""
import argparse
import json
import sys
from pathlib import Path
from typing import Dict, List

sys.path.insert(0, str(Path(__file__).parent))
from site_audit import FONTS_LOADED, SITE, axe_violations, chromium, serve  # noqa: E402

WIDTH, HEIGHT = 1280, 720

# One slide, measured in canvas pixels (the screen's pixels divided by reveal's scale).
SLIDE = """() => {
  const slide = Reveal.getCurrentSlide(), scale = Reveal.getScale();
  const top = slide.getBoundingClientRect().top, box = document.querySelector('.reveal .slides')
      .getBoundingClientRect();
  const visible = e => { const r = e.getBoundingClientRect(); const s = getComputedStyle(e);
      return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && !e.closest('aside.notes, mjx-assistive-mml'); };
  const all = [...slide.querySelectorAll('*')].filter(visible);
  const headings = all.filter(e => /^H[1-3]$/.test(e.tagName));
  const title = headings.find(h => h.tagName === 'H1' || (h.getBoundingClientRect().top - top) / scale < 0.3 * 720);
  const content = all.filter(e => e.matches('p, li, pre, img, table, mjx-container[display=true], input'));
  const nonHeading = content.filter(e => !e.closest('h1, h2, h3'));
  const bottom = Math.max(0, ...all.filter(e => e.matches('h1, h2, h3, p, li, pre, img, table, mjx-container, input'))
      .map(e => e.getBoundingClientRect().bottom));
  const textSizes = all.filter(e => e.matches('p, li') && !e.closest('pre') && e.innerText.trim())
      .map(e => parseFloat(getComputedStyle(e).fontSize));
  const code = all.filter(e => e.matches('pre') && !e.matches('.output')
      && !e.closest('.jp-OutputArea, .output'));
  const codeSizes = all.filter(e => e.matches('pre')).map(e => parseFloat(getComputedStyle(e).fontSize));
  const lines = code.map(e => e.innerText.replace(/\\n$/, '').split('\\n'));
  const figures = all.filter(e => e.tagName === 'IMG' && e.naturalWidth > 0).map(image => {
    const r = image.getBoundingClientRect();
    const ratio = image.naturalHeight / image.naturalWidth;
    return Math.min(r.height, r.width * ratio) / scale / 720;   // object-fit: contain
  });
  const outside = all.filter(e => { const r = e.getBoundingClientRect();
      return r.right > box.right + 2 || r.bottom > box.bottom + 2 || r.left < box.left - 2; }).length;
  const hidden = all.filter(e => e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0
      && !['visible', 'clip'].includes(getComputedStyle(e).overflowX) && !e.matches('.deck-slide')).length;
  const links = [...slide.querySelectorAll('a[href]')].map(a => a.href);
  return {title: title ? title.innerText.trim() : '', headingOnly: nonHeading.length === 0,
          fill: (bottom - top) / scale / 720, text: textSizes.length ? Math.min(...textSizes) : null,
          code: codeSizes.length ? Math.min(...codeSizes) : null,
          codeLines: lines.reduce((n, l) => n + l.length, 0),
          columns: Math.max(0, ...lines.flat().map(l => l.length)),
          figures, outside, hidden, links, scale};
}"""


def open_deck(browser, url: str, dark: bool = False):
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT},
                                  color_scheme="dark" if dark else "light")
    page = context.new_page()
    page.goto(url, wait_until="load")
    page.wait_for_function("() => window.Reveal && Reveal.isReady()")
    page.evaluate(FONTS_LOADED)
    return page


def go_to_slide(page, number: int) -> None:
    """Show the open deck's slide `number` (0-based, counting vertical slides too)."""
    page.evaluate("n => { const i = Reveal.getIndices(Reveal.getSlides()[n]);"
                  " Reveal.slide(i.h, i.v); }", number)


def measure(page) -> List[Dict]:
    """Every slide of the open deck, measured (SLIDE)."""
    found = []
    for number in range(page.evaluate("() => Reveal.getTotalSlides()")):
        go_to_slide(page, number)
        page.wait_for_function("() => [...Reveal.getCurrentSlide().querySelectorAll('img')]"
                               ".every(i => i.complete)")
        found.append(page.evaluate(SLIDE))
    return found


def dead_links(page, links: List[str]) -> List[str]:
    """The links (absolute URLs on the local server) whose page or anchor is missing."""
    dead, seen = [], {}
    origin = "/".join(page.url.split("/")[:3]) + "/"
    for link in sorted(set(links)):
        address, _, anchor = link.partition("#")
        if not link.startswith(origin):
            dead.append(link)  # leaves the site: not there offline
            continue
        if address not in seen:
            response = page.request.get(address)
            seen[address] = response.text() if response.ok else None
        body = seen[address]
        if body is None or (anchor and f'id="{anchor}"' not in body):
            dead.append(link)
    return dead


def table(slides_dir: str = "slides") -> Dict:
    """The issue's figures for every deck in _build/html/<slides_dir>."""
    decks = sorted(p.stem for p in (SITE / slides_dir).glob("*.html")
                   if not p.stem.endswith("-handout"))
    rows = {"slides": 0, "untitled": 0, "heading_only": 0, "below_40": 0, "text_px": [],
            "code_px": [], "over_15_lines": 0, "over_80_columns": 0, "figure_below_45": 0,
            "dead_links": 0, "axe_light": 0, "axe_dark": 0}
    with serve(SITE, compress=False) as base, chromium() as browser:
        for deck in decks:
            url = f"{base}/{slides_dir}/{deck}.html"
            page = open_deck(browser, url)
            slides = measure(page)
            notes = page.evaluate("() => [...document.querySelectorAll('.reveal .slides a[href]')]"
                                  ".map(a => a.href)")
            rows["dead_links"] += len(dead_links(page, notes))
            rows["axe_light"] += sum(len(v["nodes"]) for v in axe_violations(page)
                                     if v["impact"] in ("serious", "critical"))
            page.context.close()
            page = open_deck(browser, url, dark=True)
            rows["axe_dark"] += sum(len(v["nodes"]) for v in axe_violations(page)
                                    if v["impact"] in ("serious", "critical"))
            page.context.close()
            for slide in slides:
                rows["slides"] += 1
                rows["untitled"] += not slide["title"]
                rows["heading_only"] += slide["headingOnly"]
                rows["below_40"] += slide["fill"] < 0.4
                rows["text_px"] += [slide["text"]] if slide["text"] else []
                rows["code_px"] += [slide["code"]] if slide["code"] else []
                rows["over_15_lines"] += slide["codeLines"] > 15
                rows["over_80_columns"] += slide["columns"] > 80
                rows["figure_below_45"] += any(f < 0.45 for f in slide["figures"])
    rows["text_px"] = min(rows["text_px"], default=None)
    rows["code_px"] = min(rows["code_px"], default=None)
    return rows


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slides", default="slides", help="folder of decks in _build/html")
    print(json.dumps(table(parser.parse_args().slides), indent=1))
