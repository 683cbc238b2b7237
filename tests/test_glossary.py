"""The glossary (chapters/glossary.md) and the chapters' links to it (tools/link_glossary.py).

Every entry has a Korean term, a one-line definition and a link to the section that
introduces it; every term occurs in the chapters, in the chapter its entry links to; each
chapter links the first use of every term it uses; every link reaches a heading (the
site's -W build checks the same). In Chromium, the glossary's Korean is drawn with a
Korean font (no missing-glyph boxes); its screenshot is _build/screenshots/glossary_ko.png.
"""
import re
import sys
from pathlib import Path

import nbformat
import pytest
from myst_parser.mdit_to_docutils.base import default_slugify

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import link_glossary  # noqa: E402

GLOSSARY = ROOT / "chapters" / "glossary.md"
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
HANGUL = re.compile(r"[\uac00-\ud7a3]")
ENTRY = re.compile(r"^### +(?P<term>.+)\n<span lang=\"ko\">(?P<korean>[^<]+)</span> — "
                   r"(?P<definition>[^\n]+?) \[[^\]]+\]\((?P<target>[^)#]+)#(?P<anchor>[^)]+)\)$",
                   re.MULTILINE)


def markdown_of(path: Path) -> str:
    return "\n".join(cell.source for cell in nbformat.read(path, as_version=4).cells
                     if cell.cell_type == "markdown")


def headings_of(path: Path) -> set:
    return {default_slugify(title.strip()) for title in
            re.findall(r"^#{1,6} +(.+)$", markdown_of(path), re.MULTILINE)}


ENTRIES = [match.groupdict() for match in ENTRY.finditer(GLOSSARY.read_text())]


def test_every_entry_is_complete():
    headings = re.findall(r"^### +(.+)$", GLOSSARY.read_text(), re.MULTILINE)
    assert [entry["term"] for entry in ENTRIES] == headings, (
        "an entry lacks its Korean term, one-line definition or link")
    assert len(ENTRIES) >= 50
    assert len(set(headings)) == len(headings), "a term is listed twice"
    for entry in ENTRIES:
        assert HANGUL.search(entry["korean"]), f"{entry['term']}: no Korean term"
        assert len(entry["definition"].split()) >= 5, f"{entry['term']}: no definition"


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda entry: entry["term"])
def test_term_occurs_where_its_entry_links(entry):
    chapter = ROOT / "chapters" / entry["target"]
    assert chapter.exists(), f"{entry['term']}: links to missing {entry['target']}"
    assert entry["anchor"] in headings_of(chapter), (
        f"{entry['term']}: {entry['target']} has no heading #{entry['anchor']}")
    assert link_glossary.term_pattern(entry["term"]).search(markdown_of(chapter)), (
        f"{entry['term']} does not occur in {entry['target']}")


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda path: path.stem)
def test_first_uses_are_linked(path):
    assert link_glossary.link_notebook(path, check=True) == [], (
        f"run: python tools/link_glossary.py {path.relative_to(ROOT)}")


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda path: path.stem)
def test_links_reach_entries_and_stay_out_of_headings_math_and_code(path):
    anchors = {default_slugify(entry["term"]) for entry in ENTRIES}
    text = markdown_of(path)
    for anchor in re.findall(r"\]\(glossary\.md#([^)]+)\)", text):
        assert anchor in anchors, f"link to glossary.md#{anchor}, which has no entry"
    for span in re.findall(r"```.*?```|\$\$.*?\$\$|\$[^$\n]+\$|`[^`\n]+`|(?m:^#[^\n]*$)", text,
                           re.DOTALL):
        assert "glossary.md" not in span, f"a glossary link inside {span[:60]!r}"


def test_linking_is_idempotent_and_skips_protected_text():
    text = "## Linear regression\n\n$linear regression$ and `linear regression`, then linear regression."
    once, found = link_glossary.link_first_use(text, "linear regression", "linear-regression")
    assert found and once.endswith("then [linear regression](glossary.md#linear-regression).")
    assert once.startswith("## Linear regression\n\n$linear regression$ and `linear regression`")


def test_a_bold_term_broken_across_a_line_is_linked_whole_and_never_split():
    text = "a second remedy, **weight\ndecay**: make large weights expensive."
    whole, found = link_glossary.link_first_use(text, "weight decay", "weight-decay")
    assert found and "**[weight\ndecay](glossary.md#weight-decay)**:" in whole
    part, found = link_glossary.link_first_use(text, "weight", "weight")
    assert found and part == ("a second remedy, **weight\ndecay**: make large "
                              "[weights](glossary.md#weight) expensive.")
    # The longer term first, as link_notebook does: then "weight" goes to its next use.
    both, _ = link_glossary.link_first_use(whole, "weight", "weight")
    assert "**[weight\ndecay](glossary.md#weight-decay)**" in both
    assert "large [weights](glossary.md#weight) expensive" in both


def test_emphasis_is_linked_only_as_a_whole_phrase():
    text = "*The bias stays.* Then **bias** and *linear in the weights*; weights, bias."
    once, _ = link_glossary.link_first_use(text, "bias", "bias")
    assert once.startswith("*The bias stays.* Then **[bias](glossary.md#bias)** and")
    once, _ = link_glossary.link_first_use(text, "weight", "weight")
    assert once.endswith("*linear in the weights*; [weights](glossary.md#weight), bias.")
    # Math and code that contain asterisks are no emphasis, and a list bullet is none either.
    text = "$a * b$ then `x*y` and\n* a weight in a list, *italics*"
    once, _ = link_glossary.link_first_use(text, "weight", "weight")
    assert "* a [weight](glossary.md#weight) in a list" in once


# ---- in the browser -------------------------------------------------------------------------

@pytest.mark.slow
def test_korean_is_drawn_with_a_korean_font(browser, site_url):
    if not (ROOT / "_build" / "html" / "chapters" / "glossary.html").exists():
        pytest.fail("no built glossary: run `make book`")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{site_url}/chapters/glossary.html")
    page.evaluate("() => document.fonts.ready")
    shots = ROOT / "_build" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "glossary_ko.png"), full_page=True)
    # Which fonts Chromium drew each Korean span with, and how many glyphs each gave.
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    spans = cdp.send("DOM.querySelectorAll",
                     {"nodeId": root, "selector": 'span[lang="ko"]'})["nodeIds"]
    assert len(spans) >= 50
    missing = []
    for node in spans:
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        korean = [font for font in fonts if "CJK" in font["familyName"]
                  or "Nanum" in font["familyName"] or "Korean" in font["familyName"]]
        if not korean:
            missing.append(fonts)
    page.close()
    assert not missing, f"{len(missing)} Korean spans drawn without a Korean font: {missing[:2]}"
