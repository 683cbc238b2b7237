"""A contact sheet of one lecture deck: every slide, three to a row, in one PNG.

    .venv/bin/python tools/contact_sheet.py 07_weight_decay [--dark] [--out FILE]

Reads the built deck (`make book` first) in Chromium at 1280x720; writes
_build/contact-<chapter>.png unless --out says otherwise.
"""
import argparse
import io
from pathlib import Path

from PIL import Image

from deck_metrics import go_to_slide, open_deck
from site_audit import SITE, chromium, serve

COLUMNS, WIDTH, HEIGHT, GAP = 3, 640, 360, 10


def slide_pictures(deck: str, dark: bool = False) -> list:
    """A screenshot of every slide of `deck`, in order."""
    pictures = []
    with serve(SITE, compress=False) as base, chromium() as browser:
        page = open_deck(browser, f"{base}/slides/{deck}.html", dark=dark)
        for number in range(page.evaluate("() => Reveal.getTotalSlides()")):
            go_to_slide(page, number)
            page.wait_for_timeout(150)
            pictures.append(Image.open(io.BytesIO(page.screenshot())))
    return pictures


def contact_sheet(pictures: list) -> Image.Image:
    rows = -(-len(pictures) // COLUMNS)
    sheet = Image.new("RGB", (COLUMNS * (WIDTH + GAP) + GAP, rows * (HEIGHT + GAP) + GAP), "gray")
    for index, picture in enumerate(pictures):
        sheet.paste(picture.resize((WIDTH, HEIGHT)),
                    (GAP + index % COLUMNS * (WIDTH + GAP), GAP + index // COLUMNS * (HEIGHT + GAP)))
    return sheet


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("deck")
    parser.add_argument("--dark", action="store_true")
    parser.add_argument("--out", type=Path)
    arguments = parser.parse_args()
    pictures = slide_pictures(arguments.deck, arguments.dark)
    if not pictures:
        raise SystemExit(f"{arguments.deck}: the deck has no slides")
    out = arguments.out or SITE.parent / f"contact-{arguments.deck}.png"
    contact_sheet(pictures).save(out)
    print(f"{len(pictures)} slides -> {out}")


if __name__ == "__main__":
    main()
