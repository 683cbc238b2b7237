"""The numbers a chapter's prose quotes, checked against (and refreshed from) its outputs.

The prose writes a computed number as ``<!--glue:name-->0.0123<!--/glue-->``;
the code cell that computes it calls ``glue("name", value, ".4f")`` (lib/glue.py),
which stores the formatted text in the cell's output. `problems` lists every
marked number that differs from its stored value or has none; `refresh`
rewrites the marked numbers from the stored values (tools/execute.py calls it
after executing a notebook, so `make execute` keeps the prose current).
"""
import re
import sys
from pathlib import Path
from typing import Dict, List

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from lib.glue import GLUE_OUTPUT  # noqa: E402

MARKED = re.compile(r"<!--glue:(\w+)-->(.*?)<!--/glue-->")


def stored_numbers(notebook) -> Dict[str, str]:
    """name -> text of every value the notebook's stored outputs record with glue."""
    numbers: Dict[str, str] = {}
    for cell in notebook.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            html = output.get("data", {}).get("text/html", "")
            for name, text in GLUE_OUTPUT.findall("".join(html)):
                numbers[name] = text
    return numbers


def problems(notebook) -> List[str]:
    """One line for each marked number that has no stored value or differs from it."""
    numbers = stored_numbers(notebook)
    found = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "markdown":
            continue
        for name, text in MARKED.findall(cell.source):
            if name not in numbers:
                found.append(f"cell {index}: {name!r} is quoted but no cell glues it")
            elif numbers[name] != text:
                found.append(f"cell {index}: {name!r} reads {text!r} in the prose, "
                             f"but the run computed {numbers[name]!r}")
    return found


def refresh(notebook) -> int:
    """Rewrite every marked number from the stored values; return how many changed."""
    numbers = stored_numbers(notebook)
    changed = 0

    def replace(match: re.Match) -> str:
        nonlocal changed
        name, text = match.groups()
        new = numbers.get(name, text)
        changed += new != text
        return f"<!--glue:{name}-->{new}<!--/glue-->"

    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = MARKED.sub(replace, cell.source)
    return changed


def main(paths: List[str]) -> int:
    """Refresh the marked numbers of the notebooks at `paths` in place (stored outputs only)."""
    for path in paths:
        notebook = nbformat.read(path, as_version=4)
        changed = refresh(notebook)
        nbformat.write(notebook, path)
        print(f"{changed:3d} numbers changed in {Path(path).name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
