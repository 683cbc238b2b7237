"""Link the first use of each glossary term in each chapter to its glossary entry (idempotent).

The terms are the rows of the table in chapters/glossary.md (``entries``, which the decks'
glosses read too). In each chapter the first use of a term in the prose becomes a plain
relative link, ``[term](glossary.md#term)``: the site turns it into a link to the term's row,
JupyterLab opens the glossary. Headings, math, code, HTML and existing links are never
touched; a term that a chapter already links is left alone, so running this again changes
nothing. A term may be broken across a line. Emphasis is never split: inside ``*...*`` or ``**...**`` a term is linked
only if it is the whole emphasized phrase, so ``**weight decay**`` links "weight decay", never
"weight" alone.

    python tools/link_glossary.py                      # every chapter
    python tools/link_glossary.py chapters/04*.ipynb   # some
    python tools/link_glossary.py --check              # exit 1 if a link is missing
    python tools/link_glossary.py --sections           # the glossary's "first section" column
"""
import re
import sys
from pathlib import Path

import nbformat
from myst_parser.mdit_to_docutils.base import default_slugify

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "chapters" / "glossary.md"

# Spans of markdown where a link must not go: fenced code, display and inline math, inline
# code, links and images, HTML tags and comments (the prose numbers' markers), headings.
PROTECTED = re.compile(
    r"```.*?```|\$\$.*?\$\$|\$[^$\n]+\$|`[^`\n]+`|!?\[[^\]]*\]\([^)]*\)|<!--.*?-->|<[^>\n]+>"
    r"|^#{1,6} [^\n]*$|<summary>.*?</summary>",
    re.DOTALL | re.MULTILINE)


# A row of the glossary's table: | English | 한국어 | definition | [N.M](chapter.ipynb#anchor) |
ROW = re.compile(r"^\| *(?P<term>[^|]+?) *\| *(?P<korean>[^|]*?) *\| *(?P<definition>[^|]*?) *"
                 r"\| *\[(?P<section>[\d.]+)\]\((?P<target>[^)#]+)#(?P<anchor>[^)]+)\) *\|$",
                 re.MULTILINE)

# Words the chapters use for a term in another form than the term and its plural.
FORMS = {"backpropagation": ["back-propagates", "back-propagate", "backpropagate"]}


def entries(text: str = None) -> list:
    """The glossary's rows, in order, each a dict of term, korean, definition, section,
    target and anchor (the link of the section of the term's first use)."""
    text = GLOSSARY.read_text() if text is None else text
    return [match.groupdict() for match in ROW.finditer(text)]


def terms() -> list:
    """(term, anchor) of every glossary entry, longest term first."""
    found = [(entry["term"], default_slugify(entry["term"])) for entry in entries()]
    return sorted(found, key=lambda entry: -len(entry[0]))


# Emphasis and bold, found in text whose protected spans are masked: an opening run of * or _
# not followed by a space, and the same run closing it, not preceded by one, in one paragraph.
EMPHASIS = re.compile(
    r"(?<![*\w])(\*\*|\*|__|_)(?![\s*_])((?:(?!\n[ \t]*\n).)+?)(?<![\s*_])\1(?![*\w])", re.DOTALL)
MASK = "\0"


def term_pattern(term: str) -> re.Pattern:
    """A use of `term` as a word, in any case, singular or plural, its words split by spaces
    or a line break."""
    space = r"(?:[ \t]+|[ \t]*\n[ \t]*)"
    forms = [space.join(re.escape(word) for word in form.split()) + r"(?:s|es)?"
             for form in [term] + FORMS.get(term, [])]
    return re.compile(r"(?<![\w-])(" + "|".join(forms) + r")(?![\w-])", re.IGNORECASE)


def free_spans(text: str) -> list:
    """(start, end) of the parts of `text` where a link may go."""
    spans, start = [], 0
    for match in PROTECTED.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return spans


def emphasis_spans(text: str) -> list:
    """(start, end) of the inner text of each emphasized or bold phrase in `text`."""
    masked = list(text)
    for match in PROTECTED.finditer(text):
        masked[match.start():match.end()] = MASK * (match.end() - match.start())
    return [match.span(2) for match in EMPHASIS.finditer("".join(masked))]


def splits_emphasis(text: str, start: int, end: int, emphasized: list) -> bool:
    """Whether text[start:end] lies inside an emphasized phrase without being all of it."""
    return any(inner_start <= start and end <= inner_end
               and text[inner_start:inner_end].strip() != text[start:end]
               for inner_start, inner_end in emphasized)


def sections(chapters: list = None) -> list:
    """Every section of the chapters in reading order, as (number, chapter file name, anchor,
    title, markdown): "1" for chapter 1's opening, "1.7.1" for a level-3 heading in it."""
    chapters = chapters or sorted((ROOT / "chapters").glob("*.ipynb"))
    found = []
    for number, path in enumerate(chapters, 1):
        counts = [0, 0]
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "markdown":
                continue
            fenced = False
            for line in cell.source.split("\n"):
                fenced ^= line.lstrip().startswith("```")
                heading = None if fenced else re.match(r"^(#{1,3}) +(.+)$", line)
                if not heading:
                    if found:
                        found[-1][4].append(line)
                    continue
                level, title = len(heading.group(1)), heading.group(2).strip()
                if level == 2:
                    counts = [counts[0] + 1, 0]
                elif level == 3:
                    counts[1] += 1
                label = ".".join(str(n) for n in [number] + counts[:level - 1])
                found.append((label, path.name, default_slugify(title), title, [title]))
    return [(label, name, anchor, title, "\n".join(lines))
            for label, name, anchor, title, lines in found]


def first_use(term: str, all_sections: list) -> tuple:
    """(number, chapter file name, anchor) of the first section that uses `term` in its
    heading or prose (linked or not), or None."""
    pattern = term_pattern(term)
    for label, name, anchor, _, text in all_sections:
        text = re.sub(r"(?<!!)\[([^\]]*)\]\([^)]*\)", r"\1", text)  # a link counts by its text
        if any(pattern.search(text, start, end) for start, end in free_spans(text)):
            return label, name, anchor
    return None


def link_first_use(text: str, term: str, anchor: str) -> tuple:
    """`text` with the first free use of `term` linked, and whether one was found."""
    pattern = term_pattern(term)
    emphasized = emphasis_spans(text)
    for start, end in free_spans(text):
        for match in pattern.finditer(text, start, end):
            if splits_emphasis(text, match.start(), match.end(), emphasized):
                continue
            link = f"[{match.group(1)}](glossary.md#{anchor})"
            return text[:match.start()] + link + text[match.end():], True
    return text, False


def link_notebook(path: Path, check: bool = False) -> list:
    """Link the terms in one chapter; return (term, cell id) of each link newly made."""
    notebook = nbformat.read(path, as_version=4)
    markdown = [cell for cell in notebook.cells if cell.cell_type == "markdown"]
    linked = []
    for term, anchor in terms():
        if any(f"(glossary.md#{anchor})" in cell.source for cell in markdown):
            continue
        for cell in markdown:
            cell.source, found = link_first_use(cell.source, term, anchor)
            if found:
                linked.append((term, cell.get("id")))
                break
    if linked and not check:
        nbformat.write(notebook, path)
    return linked


def write_first_sections() -> list:
    """Rewrite each glossary row's last column with the section of the term's first use;
    return the terms whose section changed."""
    text, changed, all_sections = GLOSSARY.read_text(), [], sections()

    def refresh(match: re.Match) -> str:
        entry = match.groupdict()
        number, target, anchor = first_use(entry["term"], all_sections) or (
            entry["section"], entry["target"], entry["anchor"])
        if (number, target, anchor) == (entry["section"], entry["target"], entry["anchor"]):
            return match.group(0)
        changed.append(entry["term"])
        old = f"[{entry['section']}]({entry['target']}#{entry['anchor']})"
        return match.group(0).replace(old, f"[{number}]({target}#{anchor})")

    GLOSSARY.write_text(ROW.sub(refresh, text))
    return changed


def main(arguments: list) -> None:
    if "--sections" in arguments:
        print("first sections changed:", ", ".join(write_first_sections()) or "none")
        return
    check = "--check" in arguments
    paths = [Path(a) for a in arguments if a != "--check"]
    paths = paths or sorted((ROOT / "chapters").glob("*.ipynb"))
    missing = {}
    for path in paths:
        linked = link_notebook(path, check)
        if linked:
            missing[path.name] = linked
            print(f"{path.name}: {'would link' if check else 'linked'} "
                  + ", ".join(f"{term!r} in cell {cell}" for term, cell in linked))
    if check and missing:
        sys.exit(f"glossary links missing: run tools/link_glossary.py ({missing})")


if __name__ == "__main__":
    main(sys.argv[1:])
