"""The glossary (chapters/glossary.md) and the chapters' links to it (tools/link_glossary.py).

The glossary is one table, English | 한국어 | definition | first section, and an index from
Korean to English. Every entry has a Korean term and a one-line definition; its section
is the first section of the book that uses the term; each chapter links the first use of
every term it uses; every link reaches an entry. The site ships its own Korean font
(tools/korean_font.py), which draws every Hangul syllable of the glossary, and in Chromium
the glossary's Korean is drawn with it (not with whatever the machine has installed); its
screenshot is _build/screenshots/glossary_ko.png.
"""
import re
import sys
from pathlib import Path

import nbformat
import pytest
from myst_parser.mdit_to_docutils.base import default_slugify

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import korean_font  # noqa: E402
import link_glossary  # noqa: E402
import site_glossary  # noqa: E402

GLOSSARY = ROOT / "chapters" / "glossary.md"
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
HANGUL = re.compile(r"[\uac00-\ud7a3]")
ENTRIES = link_glossary.entries()
BY_TERM = {entry["term"]: entry for entry in ENTRIES}


def markdown_of(path: Path) -> str:
    return "\n".join(cell.source for cell in nbformat.read(path, as_version=4).cells
                     if cell.cell_type == "markdown")


def test_every_entry_is_complete():
    rows = [line for line in GLOSSARY.read_text().splitlines()
            if line.startswith("| ") and "---" not in line]
    table = [row for row in rows if row.count("|") == 5 and not row.startswith("| English |")]
    assert len(ENTRIES) >= 70 and len(ENTRIES) == len(table), (
        "a row of the table lacks its Korean term, definition or first section")
    terms = [entry["term"] for entry in ENTRIES]
    assert len(set(terms)) == len(terms), "a term is listed twice"
    assert terms == sorted(terms, key=str.lower), "the table is not in alphabetical order"
    for entry in ENTRIES:
        assert HANGUL.search(entry["korean"]), f"{entry['term']}: no Korean term"
        assert len(entry["definition"].split()) >= 5, f"{entry['term']}: no definition"


def test_the_terms_the_chapters_use_often_are_there():
    for term in ("least squares", "ridge regression", "residual", "target", "tensor",
                 "minimum-norm solution", "hidden unit", "mean squared error", "IID",
                 "intercept", "data loader", "backpropagation"):
        assert term in BY_TERM, f"no entry for {term!r}"


def test_definitions_and_korean_terms_say_what_the_book_means():
    definition = {term: entry["definition"] for term, entry in BY_TERM.items()}
    assert "Adam" in definition["weight decay"] and "not" in definition["weight decay"]
    assert "convention" in definition["squared error"]
    assert "up to a positive scale and an additive constant" in definition["negative log-likelihood"]
    assert "`Module`" in definition["module"] and "book's" in definition["module"]
    assert "density" in definition["likelihood"]
    assert "정규화" in definition["regularization"] and "normalization" in definition["regularization"]
    korean = {term: entry["korean"] for term, entry in BY_TERM.items()}
    assert korean["closed form"] == "닫힌 형태 (해석적 해)"
    assert korean["maximum likelihood"] == "최대 가능도 추정 (최대우도추정, MLE)"
    assert korean["test set"] == "테스트 데이터 (시험 데이터)"
    assert korean["optimizer"] == "옵티마이저 (최적화 알고리즘)"
    assert "경사" in korean["gradient"] and "특징" in korean["feature"]
    assert korean["regularization"].startswith("규제")


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda entry: entry["term"])
def test_first_section_is_the_first_use(entry):
    first = link_glossary.first_use(entry["term"], SECTIONS)
    assert first, f"{entry['term']} does not occur in the chapters"
    assert (entry["section"], entry["target"], entry["anchor"]) == first, (
        f"{entry['term']}: first used in section {first[0]} ({first[1]}#{first[2]})")


SECTIONS = link_glossary.sections()


def test_the_korean_index_leads_to_every_entry():
    index = re.findall(r"^\| ([^|]+?) \| \[([^\]]+)\]\(glossary\.md#([^)]+)\) \|$",
                       GLOSSARY.read_text().split("## Korean index")[1], re.MULTILINE)
    assert len(index) >= len(ENTRIES)
    assert [korean for korean, _, _ in index] == sorted(korean for korean, _, _ in index)
    expected = set()
    for entry in ENTRIES:
        main, _, others = entry["korean"].partition(" (")
        for word in [main] + others.rstrip(")").split(", "):
            if HANGUL.search(word):
                expected.add((word.strip(), entry["term"], default_slugify(entry["term"])))
    assert set(index) == expected


def test_a_term_without_korean_fails_the_build():
    from docutils.core import publish_doctree
    table = """
+---------+--------+------------------+---------------+
| English | 한국어 | definition       | first section |
+=========+========+==================+===============+
| tensor  | 텐서   | An array.        | 1.6           |
+---------+--------+------------------+---------------+
| epoch   |        | One pass.        | 1.4           |
+---------+--------+------------------+---------------+
"""
    rows = site_glossary.glossary_rows(publish_doctree(table))
    assert [row.children[0].astext() for row in rows] == ["tensor", "epoch"]
    assert site_glossary.terms_without_korean(rows) == ["epoch"]


def test_the_shipped_korean_font_draws_every_syllable_of_the_glossary():
    from fontTools.ttLib import TTFont
    font = TTFont(str(korean_font.FONT))
    drawn = set(map(chr, font.getBestCmap()))
    used = set(korean_font.hangul_used())
    assert len(used) >= 100
    missing = "".join(sorted(used - drawn))
    assert not missing, f"{korean_font.FONT.name} lacks {missing}: run tools/korean_font.py"
    css = (ROOT / "assets" / "korean.css").read_text()
    assert korean_font.FONT.name in css and ":lang(ko)" in css


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda path: path.stem)
def test_first_uses_are_linked(path):
    assert link_glossary.link_notebook(path, check=True) == [], (
        f"run: python tools/link_glossary.py {path.relative_to(ROOT)}")


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda path: path.stem)
def test_links_reach_entries_and_stay_out_of_headings_math_and_code(path):
    anchors = {default_slugify(entry["term"]) for entry in ENTRIES}
    assert anchors
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
def test_korean_is_drawn_with_the_sites_own_font(browser, site_url):
    """What a reader's browser gets: Chromium draws every Korean span of the glossary with
    the site's web font (a custom font, downloaded from the site), not a system font."""
    if not (ROOT / "_build" / "html" / "chapters" / "glossary.html").exists():
        pytest.fail("no built glossary: run `make book`")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    fonts_loaded = []
    page.on("response", lambda response: fonts_loaded.append(response.status)
            if response.url.endswith(korean_font.FONT.name) else None)
    page.goto(f"{site_url}/chapters/glossary.html")
    page.evaluate("() => document.fonts.ready")
    shots = ROOT / "_build" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "glossary_ko.png"), full_page=True)
    assert fonts_loaded == [200], f"the Korean font was fetched with status {fonts_loaded}"
    # Which fonts Chromium drew each Korean span with.
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    spans = cdp.send("DOM.querySelectorAll",
                     {"nodeId": root, "selector": 'span[lang="ko"]'})["nodeIds"]
    assert len(spans) >= 2 * len(ENTRIES)
    texts = page.locator('span[lang="ko"]').all_inner_texts()
    assert len(texts) == len(spans)
    wrong = []
    for node, text in zip(spans, texts):
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        ours = sum(font["glyphCount"] for font in fonts if font["isCustomFont"]
                   and font["familyName"] == "Noto Sans CJK KR")
        if ours != len(HANGUL.findall(text)):  # the spaces between words may come from others
            wrong.append((text, fonts))
    page.close()
    assert not wrong, f"{len(wrong)} Korean spans drawn with a system font: {wrong[:2]}"
