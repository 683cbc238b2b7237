"""Write the site's Korean web font: Noto Sans CJK KR cut down to the Hangul the book uses.

A reader's browser may have no font that draws Hangul (many Linux and some Windows
set-ups lack one), so the site ships its own, small enough to cost little: only the
Hangul syllables of chapters/glossary.md (where the slides' Korean terms come from too).
assets/korean.css applies it to Hangul only (its unicode-range), so pages without
Korean never load it. Needs fonts-noto-cjk (`make chromium` installs it) and fontTools
(a dependency of matplotlib):

    python tools/korean_font.py     # writes assets/fonts/noto-sans-kr-subset.woff

tests/test_glossary.py fails when the glossary uses a syllable the font lacks.
"""
import re
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

ROOT = Path(__file__).resolve().parent.parent
SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
FONT = ROOT / "assets" / "fonts" / "noto-sans-kr-subset.woff"
SOURCES = [ROOT / "chapters" / "glossary.md"]
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def hangul_used() -> str:
    """Every Hangul syllable of the pages with Korean, sorted."""
    return "".join(sorted({char for path in SOURCES for char in HANGUL.findall(path.read_text())}))


def write_font(output: Path = FONT) -> Path:
    """Subset Noto Sans CJK KR (from the system's collection) to `hangul_used()` as WOFF."""
    if not SOURCE.exists():
        raise FileNotFoundError(f"{SOURCE} is missing: install fonts-noto-cjk (`make chromium`)")
    collection = TTCollection(str(SOURCE))
    korean = [font for font in collection.fonts
              if font["name"].getDebugName(1) == "Noto Sans CJK KR"]
    if not korean:
        raise ValueError(f"{SOURCE} holds no 'Noto Sans CJK KR'")
    font = korean[0]
    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = ["kern"]
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # copyright, names, license
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=hangul_used() + " ")
    subsetter.subset(font)
    output.parent.mkdir(parents=True, exist_ok=True)
    font.flavor = "woff"
    font.save(str(output))
    return output


if __name__ == "__main__":
    path = write_font()
    print(f"{path.relative_to(ROOT)}: {len(hangul_used())} syllables, {path.stat().st_size / 1e3:.0f} kB")
