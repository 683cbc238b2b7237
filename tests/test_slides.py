"""The lecture decks (tools/slides.py), their handouts and PDFs (tools/print_slides.py).

The unit tests at the top need no browser: the glossary parser, the checks that refuse a
bad slide mark, and each chapter's marks. The browser tests serve the built site on
localhost and measure every slide of every deck in Debian's headless Chromium at
1280x720 (tools/deck_metrics.py): title, content, font sizes, code lines and columns,
figure height, overflow, links, axe-core in light and dark mode, live sliders. The PDFs
are read with pypdf. A screenshot is taken only of a slide that fails, into
``_build/screenshots/slides/``.
"""
import copy
import re
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import deck_metrics  # noqa: E402
import glossary_terms  # noqa: E402
import slides  # noqa: E402
from browser_helpers import move_slider  # noqa: E402
from site_audit import axe_violations  # noqa: E402

SITE = ROOT / "_build" / "html"
SHOTS = ROOT / "_build" / "screenshots" / "slides"
CHAPTERS = sorted((ROOT / "chapters").glob("[0-9]*.ipynb"))
SLIDER = "application/vnd.jupyter.widget-view+json"


def test_chapters_are_found():
    assert len(CHAPTERS) >= 7


# ---- the glossary ----------------------------------------------------------------------------

def test_glossary_parser_takes_the_main_korean_term_of_the_table():
    table = ("| English | 한국어 | definition | first section |\n|---|---|---|---|\n"
             "| weight decay | 가중치 감쇠 | Shrinking. | [7](07_weight_decay.ipynb#x) |\n"
             "| feature | 특성 (특징, 피처) | An input. | [1.1](01_linear_regression.ipynb#y) |\n"
             "| norm |  | Length. | [7.2](07_weight_decay.ipynb#z) |\n\n"
             "## Korean index\n\n| 한국어 | English |\n|---|---|\n"
             "| 피처 | [feature](glossary.md#feature) |\n")
    assert glossary_terms.parse(table) == {"weight decay": "가중치 감쇠", "feature": "특성",
                                           "norm": ""}


def test_the_book_glossary_has_korean_terms():
    terms = glossary_terms.load()
    assert len(terms) > 30
    assert terms["weight decay"] == "가중치 감쇠" and terms["feature"] == "특성"


def test_gloss_marks_only_the_first_use_and_prefers_longer_terms():
    terms = {"gradient": "기울기", "gradient descent": "경사 하강법", "weight": "가중치"}
    used = set()
    first = slides.gloss("Gradient descent moves each weight", terms, used, "here")
    assert first == ('Gradient descent <span lang="ko">(경사 하강법)</span> moves each weight '
                     '<span lang="ko">(가중치)</span>')
    again = slides.gloss("the gradient of $weight$ and weights", terms, used, "here")
    assert again == 'the gradient <span lang="ko">(기울기)</span> of $weight$ and weights'


def test_gloss_knows_the_other_forms_the_chapters_use():
    glossed = slides.gloss("The loss back-propagates", {"backpropagation": "역전파"}, set(), "here")
    assert glossed == 'The loss back-propagates <span lang="ko">(역전파)</span>'


def test_a_term_without_korean_fails_naming_it():
    with pytest.raises(slides.DeckError, match="'norm' has no Korean"):
        slides.gloss("the norm", {"norm": ""}, set(), "chapter, cell x")


# ---- bad marks fail the build ----------------------------------------------------------------

def small_notebook(mark: dict, source: str = "x = 1\nx") -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook()
    opener = nbformat.v4.new_markdown_cell("# Title\n\nProse.", metadata={"slides": mark})
    code = nbformat.v4.new_code_cell(source)
    code.id, opener.id = "code1", "open1"
    code.outputs = [nbformat.v4.new_output("stream", text="1\n")]
    notebook.cells = [opener, code]
    return notebook


GOOD = {"title": "A slide", "points": ["One point"], "code": ["code1"]}


def test_a_good_mark_builds_with_its_notes():
    [slide] = slides.read_slides(small_notebook(GOOD), "ch.ipynb")
    assert slide["title"] == "A slide" and slide["code"][0]["lines"] == ["x = 1", "x"]
    assert "Prose." in slide["notes"]


@pytest.mark.parametrize("change, message", [
    ({"code": ["nope"]}, "code cell 'nope' selects nothing"),
    ({"code": [{"cell": "code1", "lines": "3-4"}]}, "select nothing"),
    ({"code": [{"cell": "code1", "source": False, "output": False}]}, "selects nothing"),
    ({"points": []}, "1-4 key points"),
    ({"points": ["a", "b", "c", "d", "e"]}, "1-4 key points"),
    ({"title": ""}, "no title"),
    ({"equations": ["9.9"]}, r"equation \(9.9\) is not in the chapter"),
    ({"colour": "red"}, "unknown keys"),
])
def test_a_bad_mark_fails_naming_chapter_and_cell(change, message):
    with pytest.raises(slides.DeckError, match=message) as error:
        slides.read_slides(small_notebook({**GOOD, **change}), "ch.ipynb")
    assert "ch.ipynb, cell open1" in str(error.value)


def test_too_much_code_fails():
    long = "\n".join(f"x{i} = {i}" for i in range(16))
    with pytest.raises(slides.DeckError, match="16 lines of code"):
        slides.read_slides(small_notebook(GOOD, long), "ch.ipynb")
    wide = "y = " + "1 + " * 25 + "1"
    with pytest.raises(slides.DeckError, match="columns"):
        slides.read_slides(small_notebook(GOOD, wide), "ch.ipynb")


def test_a_long_trailing_comment_is_left_off_a_slide_only():
    line = "total = 1  # " + "a comment that makes the line far too wide for a slide " * 2
    assert slides.shown_code(line) == ["total = 1"]


def test_a_wrapped_year_stays_in_its_paragraph():
    rendered = slides.markdown_html("learning them came with the perceptron in\n1958. So it is old.")
    assert "<ol" not in rendered and "1958. So" in rendered


def test_notebook_links_become_site_links():
    page = ('<a href="glossary.md#weight-decay">w</a> <a href="04_from_scratch.ipynb">4</a> '
            '<a href="#the-model">m</a> <a href="https://d2l.ai">d2l</a>')
    assert slides.site_links(page, "01_linear_regression") == (
        '<a href="../chapters/glossary.html#weight-decay">w</a> '
        '<a href="../chapters/04_from_scratch.html">4</a> '
        '<a href="../chapters/01_linear_regression.html#the-model">m</a> '
        'd2l (<span class="url">https://d2l.ai</span>)')


# ---- each chapter's marks ----------------------------------------------------------------------

@pytest.mark.parametrize("path", CHAPTERS, ids=lambda path: path.stem)
def test_chapter_marks_build_a_deck(path):
    notebook = nbformat.read(path, as_version=4)
    found = slides.read_slides(notebook, path.name)
    assert len(found) >= 5, "a deck of fewer than 5 slides"
    assert any(item["lines"] for slide in found for item in slide["code"]), "no code shown"
    assert sum(slides.figure_outputs(slide) for slide in found) >= 1, "no figure shown"
    assert all(slide["notes"] for slide in found[1:]), "a slide without speaker notes"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda path: path.stem)
def test_rise_marks_follow_the_deck_marks(path):
    """The `slideshow` marks JupyterLab's RISE reads are derived from the deck's marks
    (run slides.write_rise_marks after moving a mark)."""
    notebook = nbformat.read(path, as_version=4)
    assert not slides.write_rise_marks(copy.deepcopy(notebook))


# ---- in the browser ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def server(site_url):
    """The site's URL, once the decks are known to be built."""
    if not list((SITE / "slides").glob("*-handout.html")):
        pytest.fail(f"{SITE / 'slides'} holds no decks: run `make book`")
    return site_url


def expected_sliders(path: Path) -> int:
    notebook = nbformat.read(path, as_version=4)
    return sum(SLIDER in output.get("data", {}) for slide in slides.read_slides(
        notebook, path.name) for item in slide["code"] for output in item["outputs"])


def slide_problems(slide: dict) -> list:
    limits = slides.LIMITS
    problems = []
    if not slide["title"]:
        problems.append("no title")
    if slide["headingOnly"]:
        problems.append("only a heading")
    if slide["text"] is not None and slide["text"] < 28:
        problems.append(f"text {slide['text']} px")
    if slide["code"] is not None and slide["code"] < 20:
        problems.append(f"code {slide['code']} px")
    if slide["codeLines"] > limits["code_lines"] or slide["columns"] > limits["columns"]:
        problems.append(f"{slide['codeLines']} code lines, {slide['columns']} columns")
    small = [f for f in slide["figures"] if f < limits["figure_share"]]
    if small:
        problems.append(f"figure fills {small[0]:.0%} of the height")
    if slide["outside"] or slide["hidden"]:
        problems.append(f"{slide['outside']} elements outside, {slide['hidden']} cut off")
    return problems


@pytest.mark.slow
@pytest.mark.parametrize("path", CHAPTERS, ids=lambda path: path.stem)
def test_every_slide_reads_from_the_back_of_the_room(browser, server, path):
    page = deck_metrics.open_deck(browser, f"{server}/slides/{path.stem}.html")
    try:
        measured = deck_metrics.measure(page)
        assert len(measured) >= 6, f"{len(measured)} slides"
        failing = {number: slide_problems(slide) for number, slide in enumerate(measured)}
        failing = {number: found for number, found in failing.items() if found}
        if failing:
            SHOTS.mkdir(parents=True, exist_ok=True)
            for number in failing:
                deck_metrics.go_to_slide(page, number)
                page.screenshot(path=str(SHOTS / f"{path.stem}-{number + 1:02d}.png"))
        assert not failing, "\n".join(f"slide {n + 1}: {'; '.join(p)}" for n, p in failing.items())
        sizes = [slide["text"] for slide in measured if slide["text"]]
        assert sizes and min(sizes) >= 28
        assert sum(slide["codeLines"] > 0 for slide in measured) >= 1, "no code on any slide"
        sparse = [n + 1 for n, slide in enumerate(measured) if slide["fill"] < 0.4]
        assert len(sparse) <= 0.15 * len(measured), f"slides below 40 % filled: {sparse}"
        first = page.evaluate("() => Reveal.getSlides()[0].innerText")
        number = int(path.stem[:2])
        assert slides.book_title() in first and f"Chapter {number}" in first
        equations = sum(len(slide["equations"]) for slide in slides.read_slides(
            nbformat.read(path, as_version=4), path.name))
        assert page.locator(".slides mjx-container[display=true]").count() >= equations
        raw = page.evaluate("() => [...document.querySelectorAll('.slides li, .slides p')]"
                            ".map(e => e.innerText).filter(t => /\\$|\\\\(frac|mathbf)/.test(t))")
        assert raw == [], f"untypeset math: {raw[:3]}"
    finally:
        page.context.close()


@pytest.mark.slow
@pytest.mark.parametrize("path", CHAPTERS, ids=lambda path: path.stem)
def test_links_in_slides_and_notes_resolve_in_the_site(browser, server, path):
    page = deck_metrics.open_deck(browser, f"{server}/slides/{path.stem}.html")
    try:
        links = page.evaluate("() => [...document.querySelectorAll('.slides a[href]')]"
                              ".map(a => a.href)")
        assert len(links) > 0, "the deck's notes hold no link"
        assert all(link.startswith(server) for link in links), "a link leaves the site"
        assert deck_metrics.dead_links(page, links) == []
    finally:
        page.context.close()


@pytest.mark.slow
@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("path", CHAPTERS, ids=lambda path: path.stem)
def test_axe_finds_nothing_serious(browser, server, path, dark):
    page = deck_metrics.open_deck(browser, f"{server}/slides/{path.stem}.html", dark=dark)
    try:
        assert page.locator(".slides section").count() > 0
        severe = [(v["id"], v["nodes"][:3]) for v in axe_violations(page)
                  if v["impact"] in ("serious", "critical")]
        assert severe == []
    finally:
        page.context.close()


@pytest.mark.slow
@pytest.mark.parametrize("path", CHAPTERS, ids=lambda path: path.stem)
def test_sliders_stay_live_in_the_deck(browser, server, path):
    expected = expected_sliders(path)
    if expected == 0:
        pytest.skip(f"{path.stem}'s deck shows no slider")
    page = deck_metrics.open_deck(browser, f"{server}/slides/{path.stem}.html")
    try:
        boxes = page.locator(".slides .figure-slider")
        assert boxes.count() == expected
        for index in range(expected):
            box = boxes.nth(index)
            page.evaluate("s => { const i = Reveal.getIndices(s); Reveal.slide(i.h, i.v); }",
                          box.locator("xpath=ancestor::section[1]").element_handle())
            slide_before = page.evaluate("() => Reveal.getIndices().h")
            move_slider(page, box.locator("input[type=range]"))
            assert page.evaluate("() => Reveal.getIndices().h") == slide_before, (
                "the arrow key moved the deck instead of the slider")
    finally:
        page.context.close()


def test_the_decks_show_sliders():
    """Slider figures go on the decks (the chapters with sliders select them)."""
    assert sum(map(expected_sliders, CHAPTERS)) >= 4


def deck_slide_count(path: Path) -> int:
    return 1 + len(slides.read_slides(nbformat.read(path, as_version=4), path.name))


@pytest.mark.slow
@pytest.mark.parametrize("path", CHAPTERS, ids=lambda path: path.stem)
def test_printed_deck_and_handout(path):
    """tools/print_slides.py's PDFs: one page per slide; the handout holds every slide's
    notes."""
    pypdf = pytest.importorskip("pypdf")
    deck, handout = SITE / "slides" / f"{path.stem}.pdf", SITE / "slides" / f"{path.stem}-handout.pdf"
    for pdf in (deck, handout):
        if not pdf.exists():
            pytest.fail(f"{pdf} is missing: run `make slides-pdf` (make test does)")
    count = deck_slide_count(path)
    assert count > 1
    printed = pypdf.PdfReader(deck)
    assert len(printed.pages) == count
    box = printed.pages[0].mediabox
    assert abs(float(box.width) / float(box.height) - 16 / 9) < 0.01
    assert slides.book_title() in printed.pages[0].extract_text()
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(handout).pages)
    text = re.sub(r"\s+", " ", text)
    for number in range(1, count + 1):
        assert f"Notes to slide {number}" in text
    notebook = nbformat.read(path, as_version=4)
    checked = 0
    for slide in slides.read_slides(notebook, path.name):
        phrase = plain_phrase(slide["notes"])
        if phrase:
            checked += 1
            assert phrase in text, f"{slide['where']}: {phrase!r} missing from the handout"
    assert checked >= count // 2, "too few slides' notes could be looked for"


def plain_phrase(markdown: str, length: int = 4):
    """The first `length` consecutive plain words of `markdown` outside math, code and markup."""
    for fragment in re.split(r"\$[^$]*\$|`[^`]*`|<[^>]*>|\]\([^)]*\)|[\[\]*_\n#()]", markdown):
        words = fragment.split()
        for start in range(len(words) - length + 1):
            chosen = words[start:start + length]
            if all(re.fullmatch(r"[A-Za-z]+,?", word) for word in chosen):
                return " ".join(chosen)
    return None
