"""The numbers a chapter's prose quotes, checked against (and refreshed from) printed outputs.

The prose writes a computed number between two invisible markers,
``<!--quote:name-->0.0123<!--/quote-->``, which every notebook client hides.
The code cell that prints the number says where it stands in its output, in
the cell's metadata, which no reader sees::

    "quotes": {"name": "standard deviation of the noise: {}"}

``{}`` stands for the number; the rest of the template is matched literally
(any run of spaces matches any run of white space). Each template must match
exactly once in the cell's printed output. So every number in the prose is a
number the reader can see printed by the code above it.

`problems` lists every quoted number that differs from its printed value,
has none, or cannot be found; `refresh` rewrites the quoted numbers from the
stored outputs (tools/execute.py calls it after executing a notebook, so
`make execute` keeps the prose current). nbval checks the outputs themselves
against a fresh run.
"""
import re
import sys
from pathlib import Path
from typing import Dict, List, Tuple

import nbformat

MARKED = re.compile(r"<!--quote:(\w+)-->(.*?)<!--/quote-->")
# A number as Python formats one: 12, -0.5, 1,234, 3.2e-04, 12%.
NUMBER = r"([-+]?(?:\d[\d,]*(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?%?)"


def template_pattern(template: str) -> re.Pattern:
    """The regular expression of a quote template with exactly one ``{}``."""
    parts = template.split("{}")
    if len(parts) != 2:
        raise ValueError(f"a quote template needs exactly one {{}}, got {template!r}")
    before, after = (literal_pattern(part) for part in parts)
    return re.compile(before + NUMBER + after)


def literal_pattern(text: str) -> str:
    """`text` matched literally, except that a run of spaces matches any white space."""
    return "".join(r"\s+" if piece.isspace() else re.escape(piece)
                   for piece in re.split(r"(\s+)", text) if piece)


def printed_text(cell) -> str:
    """Everything a code cell printed or showed as plain text."""
    texts = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            texts.append(output.get("text", ""))
        else:
            texts.append(output.get("data", {}).get("text/plain", ""))
    return "".join("".join(text) if isinstance(text, list) else text for text in texts)


def stored_numbers(notebook) -> Tuple[Dict[str, str], List[str]]:
    """name -> printed text of every quoted value, and one line per template that fails."""
    numbers: Dict[str, str] = {}
    found: List[str] = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        text = printed_text(cell)
        for name, template in cell.metadata.get("quotes", {}).items():
            matches = template_pattern(template).findall(text)
            if len(matches) != 1:
                found.append(f"cell {index}: the quote {name!r} ({template!r}) matches "
                             f"{len(matches)} times in the printed output, not once")
            elif name in numbers:
                found.append(f"cell {index}: the quote {name!r} is defined twice")
            else:
                numbers[name] = matches[0]
    return numbers, found


def problems(notebook) -> List[str]:
    """One line for each quoted number that has no printed value or differs from it."""
    numbers, found = stored_numbers(notebook)
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "markdown":
            continue
        for name, text in MARKED.findall(cell.source):
            if name not in numbers:
                found.append(f"cell {index}: {name!r} is quoted but no cell prints it "
                             "under a template in its \"quotes\" metadata")
            elif numbers[name] != text:
                found.append(f"cell {index}: {name!r} reads {text!r} in the prose, "
                             f"but the run printed {numbers[name]!r}")
    return found


def refresh(notebook) -> int:
    """Rewrite every quoted number from the printed values; return how many changed."""
    numbers, _ = stored_numbers(notebook)
    changed = 0

    def replace(match: re.Match) -> str:
        nonlocal changed
        name, text = match.groups()
        new = numbers.get(name, text)
        changed += new != text
        return f"<!--quote:{name}-->{new}<!--/quote-->"

    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = MARKED.sub(replace, cell.source)
    return changed


def main(paths: List[str]) -> int:
    """Refresh the quoted numbers of the notebooks at `paths` in place (stored outputs only)."""
    for path in paths:
        notebook = nbformat.read(path, as_version=4)
        changed = refresh(notebook)
        nbformat.write(notebook, path)
        print(f"{changed:3d} numbers changed in {Path(path).name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
