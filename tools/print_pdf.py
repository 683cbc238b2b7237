"""Print the whole book as one PDF with Chromium, from the built site (no LaTeX).

Each page of `_toc.yml`, in order, is opened in headless Chromium with every
solution and hidden cell expanded, its fonts and figures loaded
(sliders show their default value, which is the figure their page opens with),
printed, and the pages are joined into one PDF with pypdf:

    python tools/print_pdf.py            # writes _build/html/book.pdf (the intro links to it)

tests/test_pdf.py checks the result.
"""
import io
import sys
from pathlib import Path

from pypdf import PdfWriter

sys.path.insert(0, str(Path(__file__).resolve().parent))
import site_audit  # noqa: E402  (serve, chromium, toc_pages, settle, FONTS_LOADED)

PDF = site_audit.SITE / "book.pdf"

# Open what the reader would click open: <details> (solutions, hidden cells) and
# sphinx-togglebutton's toggles; then wait for lazy images.
EXPAND = """async () => {
  document.querySelectorAll('details').forEach(details => { details.open = true; });
  document.querySelectorAll('.toggle-hidden').forEach(element =>
    element.classList.remove('toggle-hidden'));
  document.querySelectorAll('img[loading=lazy]').forEach(image => { image.loading = 'eager'; });
  await Promise.all([...document.images].map(image => image.decode().catch(() => null)));
}"""

# The site's chrome has no place on paper: header, sidebars, launch and download buttons.
PRINT_CSS = """
@media print {
  .bd-header, .bd-header-article, .bd-sidebar-primary, .bd-sidebar-secondary,
  .prev-next-area, .bd-footer, .bd-footer-article, .bd-footer-content, .header-article-items,
  .skip-link, #pst-back-to-top, .headerlink, button.copybtn { display: none !important; }
  .bd-main .bd-content .bd-article-container { max-width: 100% !important; }
  .cell_output img, .figure-slider img { max-width: 100% !important; height: auto; }
  .figure-slider input[type=range] { display: none; }
  details > summary { list-style: none; }
  pre { white-space: pre-wrap !important; overflow-wrap: anywhere; }
  .highlight, .cell_output, .output { overflow: visible !important; }
}
"""


def print_book(pdf: Path = PDF) -> int:
    """Print every page of the book into `pdf`; returns its number of pages."""
    writer = PdfWriter()
    with site_audit.serve() as base, site_audit.chromium() as browser:
        for name in site_audit.toc_pages():
            context = browser.new_context(viewport={"width": 1000, "height": 1400})
            page = context.new_page()
            page.goto(f"{base}/{name}.html", wait_until="load")
            site_audit.settle(page)
            page.emulate_media(media="print")
            page.add_style_tag(content=PRINT_CSS)
            page.evaluate(EXPAND)
            page.wait_for_load_state("networkidle")
            # the math is typeset already (tools/site_math.py); that in opened solutions
            # may need more of MathJax's fonts
            page.evaluate(site_audit.FONTS_LOADED)
            printed = page.pdf(format="A4", print_background=True, outline=True, tagged=True,
                               margin={"top": "16mm", "bottom": "16mm", "left": "14mm",
                                       "right": "14mm"})
            writer.append(io.BytesIO(printed), outline_item=page.title().split(" — ")[0])
            context.close()
    pdf.parent.mkdir(parents=True, exist_ok=True)
    writer.add_metadata({"/Title": "Linear Neural Networks for Regression"})
    # Each page was printed on its own, so fonts and images repeat: keep one copy of each.
    writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)
    with pdf.open("wb") as handle:
        writer.write(handle)
    return len(writer.pages)


if __name__ == "__main__":
    pages = print_book()
    print(f"wrote {PDF.relative_to(site_audit.ROOT)}: {pages} pages, "
          f"{PDF.stat().st_size / 1e6:.1f} MB")
