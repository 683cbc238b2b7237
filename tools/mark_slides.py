"""Mark which cells of each chapter go on its lecture slides (idempotent).

Writes Jupyter's slideshow mark, ``cell.metadata.slideshow.slide_type`` ("slide",
"-" to continue the slide, "notes", "skip"), into every cell, following the rules
and the per-chapter cell lists in ``tools/slides.yml``. RISE (jupyterlab-rise) and
tools/slides.py read that mark. A code cell whose figure is drawn by long code also
gets ``slideshow.show = "output"``: its deck slide shows the figure without the code.

    python tools/mark_slides.py                      # every chapter
    python tools/mark_slides.py chapters/04*.ipynb   # some
    python tools/mark_slides.py --check              # exit 1 if any mark would change

Run each chapter under its lock when others edit the notebooks
(``flock /tmp/nb-04.lock .venv/bin/python tools/mark_slides.py chapters/04_from_scratch.ipynb``).
"""
import re
import sys
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent
RULES = Path(__file__).with_name("slides.yml")
HEADING = re.compile(r"^#{1,3} +(.+)$", re.MULTILINE)
FIGURE_TYPES = ("image/png", "image/svg+xml", "application/vnd.jupyter.widget-view+json")


def load_rules() -> dict:
    """The rules file, parsed."""
    return yaml.safe_load(RULES.read_text())


def draws_figure(cell) -> bool:
    """Whether a code cell's stored outputs hold a figure or a widget."""
    return any(kind in output.get("data", {}) for output in cell.get("outputs", [])
               for kind in FIGURE_TYPES)


def code_lines(cell) -> int:
    return len([line for line in cell.source.splitlines() if line.strip()])


def slide_marks(notebook, listed_code: set, max_figure_code_lines: int) -> list:
    """The slideshow metadata each cell should carry, in order."""
    marks, in_exercises = [], False
    for cell in notebook.cells:
        mark = {"slide_type": "skip"}
        if cell.cell_type == "markdown":
            headings = HEADING.findall(cell.source)
            if headings and headings[0].strip() == "Exercises":
                in_exercises = True
            if in_exercises:
                pass
            elif headings:
                mark = {"slide_type": "slide"}
                in_exercises = "Exercises" in (h.strip() for h in headings)
            elif "$$" in cell.source:
                mark = {"slide_type": "-"}
            elif cell.source.strip():
                mark = {"slide_type": "notes"}
        elif cell.cell_type == "code" and not in_exercises:
            tags = cell.metadata.get("tags", [])
            if "remove-cell" in tags:
                pass
            elif cell.id in listed_code:
                mark = {"slide_type": "-"}
            elif "lib-source" in tags:
                mark = {"slide_type": "slide"}
            elif draws_figure(cell):
                mark = {"slide_type": "slide"}
                if code_lines(cell) > max_figure_code_lines:
                    mark["show"] = "output"
        marks.append(mark)
    return marks


def mark(path: Path, rules: dict, check: bool = False) -> bool:
    """Write the marks into one notebook; return whether anything changed."""
    chapter = rules["chapters"].get(path.stem)
    if chapter is None:
        raise SystemExit(f"{path.stem} has no entry in {RULES.name}")
    notebook = nbformat.read(path, as_version=4)
    listed = set(chapter.get("code") or [])
    missing = listed - {cell.id for cell in notebook.cells}
    if missing:
        raise SystemExit(f"{path.name}: cells {sorted(missing)} listed in {RULES.name} are gone")
    changed = False
    for cell, wanted in zip(notebook.cells,
                            slide_marks(notebook, listed, rules["max_figure_code_lines"])):
        if cell.metadata.get("slideshow") != wanted:
            changed = True
            cell.metadata["slideshow"] = wanted
    if changed and not check:
        nbformat.write(notebook, path)
    return changed


def main(arguments: list) -> None:
    check = "--check" in arguments
    paths = [Path(a) for a in arguments if a != "--check"]
    paths = paths or sorted((ROOT / "chapters").glob("*.ipynb"))
    rules = load_rules()
    stale = [path.name for path in paths if mark(path, rules, check)]
    if check and stale:
        sys.exit(f"slide marks out of date in {stale}: run tools/mark_slides.py")
    for name in stale:
        print(f"marked {name}")


if __name__ == "__main__":
    main(sys.argv[1:])
