"""Audit the built site in headless Chromium: accessibility, first-visit weight, phone width.

For every page of the book (in `_toc.yml` order) it opens a fresh browser
context (an empty cache, as a first visit), waits until its fonts and figures
are loaded, and records:

- the serious and critical violations axe-core reports (every rule, the
  experimental ones included; axe-core is pinned from npm by tools/vendor_assets.py);
- the bytes the browser loaded for the page: on opening it, and after scrolling
  through it (lazy images included), served gzip-compressed as static hosts serve
  text files (and, for comparison, the uncompressed size of the same files);
- how wide the page is on a 390 px phone screen;
- its figures (alt text, pixels, size, ground in dark mode) and whether each slider is named.

    python tools/site_audit.py [--json out.json]   # prints a table per page

tests/test_accessibility.py asserts on the same measurements.
"""
import argparse
import contextlib
import functools
import gzip
import http.server
import json
import sys
import threading
from pathlib import Path
from typing import Dict, Iterator, List, Tuple

import yaml

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "_build" / "html"
AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
CHROMIUM = Path("/usr/bin/chromium")
PHONE_WIDTH = 390
SEVERE = ("serious", "critical")


def toc_pages() -> List[str]:
    """The pages of the book in reading order, as paths without suffix ('intro', 'chapters/..')."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    pages = [toc["root"]]
    for part in toc.get("parts", [toc]):
        pages += [entry["file"] for entry in part.get("chapters", [])]
    return pages


COMPRESSED = {".html", ".js", ".css", ".json", ".svg", ".txt", ".ipynb"}


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files as a static host (GitHub Pages, Netlify) does: text gzip-compressed."""
    compress = True

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if (self.compress and path.suffix in COMPRESSED and path.is_file()
                and "gzip" in self.headers.get("Accept-Encoding", "")):
            body = gzip.compress(path.read_bytes(), compresslevel=6)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            super().do_GET()

    def log_message(self, *args) -> None:
        pass


@contextlib.contextmanager
def serve(directory: Path = SITE, compress: bool = True) -> Iterator[str]:
    """Serve `directory` on an ephemeral localhost port, its text gzip-compressed if `compress`
    (as static hosts do); yields the base URL."""
    handler_class = type("Handler", (QuietHandler,), {"compress": compress})
    handler = functools.partial(handler_class, directory=str(directory))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@contextlib.contextmanager
def chromium() -> Iterator:
    """Debian's Chromium, headless, driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright
    if not CHROMIUM.exists():
        raise FileNotFoundError(f"{CHROMIUM} is missing: run `make chromium`")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=["--no-sandbox"])
        try:
            yield browser
        finally:
            browser.close()


# Bytes the browser received for the page and everything it loaded (compressed, as
# sent), and the same files' sizes once decompressed.
LOADED_BYTES = ("() => performance.getEntriesByType('navigation')"
                ".concat(performance.getEntriesByType('resource'))"
                ".reduce((total, entry) => total + entry.encodedBodySize, 0)")
RAW_BYTES = LOADED_BYTES.replace("encodedBodySize", "decodedBodySize")


# Lays the page out (so that it asks for the fonts it shows), then waits for them.
FONTS_LOADED = "() => { document.body.offsetHeight; return document.fonts.ready.then(() => null); }"


def settle(page) -> None:
    """Wait until the page's fonts (the math's too), widgets and images are loaded.

    The math is typeset when the site is built (tools/site_math.py): nothing to wait for
    but MathJax's web fonts.
    """
    page.wait_for_load_state("networkidle")
    page.evaluate(FONTS_LOADED)
    if page.locator('script[type="application/vnd.jupyter.widget-view+json"]').count():
        page.wait_for_selector(".widget-slider", timeout=15_000)
    page.wait_for_function("() => [...document.images].every(image => image.complete"
                           " || image.loading === 'lazy')")


def scroll_through(page) -> None:
    """Scroll to the bottom step by step, so that lazy images load."""
    page.evaluate("""async () => {
      for (let y = 0; y < document.body.scrollHeight; y += innerHeight / 2) {
        scrollTo(0, y); await new Promise(done => setTimeout(done, 30));
      }
      scrollTo(0, 0);
    }""")
    page.wait_for_load_state("networkidle")
    page.wait_for_function("() => [...document.images].every(image => image.complete)")


def axe_violations(page) -> List[dict]:
    """axe-core's violations on the page (every rule, experimental ones included)."""
    page.add_script_tag(path=str(AXE))
    return page.evaluate("""async () => {
      axe.configure({rules: axe.getRules(['experimental'])
                                .map(rule => ({id: rule.ruleId, enabled: true}))});
      const results = await axe.run(document, {resultTypes: ['violations']});
      return results.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 400)}));
    }""")


FIGURES = "main .cell_output img, main .figure-slider img"


def figure_facts(page) -> List[Dict]:
    """Each figure's alt text, its pixels and displayed size, and its ground in dark mode."""
    facts = page.locator(FIGURES).evaluate_all("""images => images.map(image => ({
        alt: image.getAttribute('alt') || '', natural: image.naturalWidth,
        shown: image.getBoundingClientRect().width}))""")
    theme = page.evaluate("() => document.documentElement.dataset.theme")
    page.evaluate("() => document.documentElement.dataset.theme = 'dark'")
    grounds = page.locator(FIGURES).evaluate_all(
        "images => images.map(image => getComputedStyle(image).backgroundColor)")
    page.evaluate("theme => document.documentElement.dataset.theme = theme", theme)
    for fact, ground in zip(facts, grounds):
        fact["dark_ground"] = ground
    return facts


def slider_problems(page) -> List[str]:
    """Each slider that its label does not name (tests/test_site.py moves them)."""
    problems = []
    labels = page.locator(".figure-slider label").all_inner_texts()
    for label in labels:
        if page.get_by_role("slider", name=label.strip(), exact=True).count() != 1:
            problems.append(f"no slider named {label.strip()!r}")
    return problems


def open_page(browser, base: str, name: str, dark: bool):
    """A page opened in a fresh context (empty cache) and settled, in the theme's dark
    mode if `dark`; close its context when done."""
    context = browser.new_context(viewport={"width": 1280, "height": 900},
                                  color_scheme="dark" if dark else "light")
    page = context.new_page()
    page.goto(f"{base}/{name}.html", wait_until="load")
    settle(page)
    if dark:  # the theme's own switch (the book opens in light mode whatever the system)
        page.evaluate("() => { document.documentElement.dataset.mode = 'dark';"
                      " document.documentElement.dataset.theme = 'dark'; }")
        page.wait_for_timeout(300)  # the theme's colour transitions
    return page


def violations_by_impact(violations: List[dict]) -> Dict:
    """axe-core's violations, counted by rule: serious and critical ones, then the others."""
    severe = [v for v in violations if v["impact"] in SEVERE]
    return {"severe": sum(len(v["nodes"]) for v in severe),
            "severe_by_rule": {v["id"]: len(v["nodes"]) for v in severe},
            "severe_nodes": {v["id"]: v["nodes"][:5] for v in severe},
            "other_by_rule": {v["id"]: len(v["nodes"]) for v in violations
                              if v["impact"] not in SEVERE}}


def dark_audit(browser, base: str, name: str) -> Dict:
    """axe-core's verdict on one page in the theme's dark mode."""
    page = open_page(browser, base, name, dark=True)
    try:
        return {"page": name, **violations_by_impact(axe_violations(page))}
    finally:
        page.context.close()


def audit_page(browser, base: str, name: str, dark: bool = False) -> Dict:
    """The measurements of one page, opened in a fresh context (empty cache)."""
    result: Dict = {"page": name}
    page = open_page(browser, base, name, dark)
    try:
        result["bytes_on_open"] = page.evaluate(LOADED_BYTES)
        scroll_through(page)
        result["bytes_scrolled"] = page.evaluate(LOADED_BYTES)
        result["raw_bytes_scrolled"] = page.evaluate(RAW_BYTES)
        result.update(violations_by_impact(axe_violations(page)))
        result["figures"] = figure_facts(page)
        result["sliders"] = page.locator(".figure-slider").count()
        result["slider_problems"] = slider_problems(page)
        page.set_viewport_size({"width": PHONE_WIDTH, "height": 844})
        page.wait_for_timeout(200)
        result["phone_width"] = page.evaluate(
            "() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")
        result["phone_figure_shapes"] = page.locator(FIGURES).evaluate_all(
            """images => images.map(image => {
                const box = image.getBoundingClientRect();
                return {natural: image.naturalWidth / image.naturalHeight,
                        shown: box.width / box.height, width: box.width};
            })""")
    finally:
        page.context.close()
    return result


def site_bytes(directory: Path = SITE, suffixes: Tuple[str, ...] = ()) -> int:
    """Bytes of the built site's files; only those ending in `suffixes` when given."""
    return sum(path.stat().st_size for path in directory.rglob("*")
               if path.is_file() and (not suffixes or path.suffix in suffixes))


def audit(pages: List[str] = None, dark: bool = False, site: Path = SITE) -> List[Dict]:
    pages = pages or toc_pages()
    with serve(site) as base, chromium() as browser:
        return [audit_page(browser, base, name, dark) for name in pages]


def table(results: List[Dict]) -> str:
    lines = ["| page | serious+critical | by rule | KB on open | KB scrolled | KB uncompressed"
             " | width at 390 px |", "| --- | ---: | --- | ---: | ---: | ---: | ---: |"]
    for r in results:
        rules = ", ".join(f"{k} {v}" for k, v in r["severe_by_rule"].items()) or "-"
        lines.append(f"| {r['page']} | {r['severe']} | {rules} | {r['bytes_on_open'] / 1e3:.0f}"
                     f" | {r['bytes_scrolled'] / 1e3:.0f} | {r.get('raw_bytes_scrolled', 0) / 1e3:.0f}"
                     f" | {r['phone_width']} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the measurements here")
    parser.add_argument("--dark", action="store_true", help="audit in the dark colour scheme")
    parser.add_argument("--site", type=Path, default=SITE, help="the built site (_build/html)")
    parser.add_argument("pages", nargs="*", help="pages to audit (default: the whole book)")
    args = parser.parse_args()
    if not AXE.exists():
        sys.exit(f"{AXE} is missing: run `make vendor`")
    results = audit(args.pages, args.dark, args.site)
    print(table(results))
    print(f"\nsite on disk: {site_bytes(args.site) / 1e6:.1f} MB")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
