"""Write the book's downloads: one zip with everything a student needs to run it, and the
teacher's bundle.

    python tools/build_archive.py [OUTPUT]     # default _build/html/linreg-book.zip
    python tools/build_archive.py --teachers   # _build/html/linreg-teachers.zip

The archive holds one folder, linreg-book/, with every chapter notebook, the
homework notebooks (when built), the library lib/, requirements.txt, pyproject.toml and a README that says how to
install and start it. tools/build_book.sh calls this after building the site,
and the front page links to it. Entries carry a fixed date, so the same files
give the same archive.
"""
import re
import sys
import zipfile
from pathlib import Path
from typing import Dict, Optional, Set

ROOT = Path(__file__).resolve().parent.parent
ARCHIVE_NAME = "linreg-book.zip"
FOLDER = "linreg-book"
FIXED_DATE = (2026, 1, 1, 0, 0, 0)

README = """\
# Linear Neural Networks for Regression: the notebooks

Every chapter of the book as a Jupyter notebook (chapters/), its exercises as
homework (homework/, each checked with `grader.check`), and the small library they
import (lib/, `import lib as d2l`). With Python 3.11:

```bash
cd linreg-book
python3 -m venv .venv
.venv/bin/pip install -e ".[notebook]"   # lib, and what the chapters need: torch, matplotlib, JupyterLab, ipywidgets
.venv/bin/jupyter lab chapters
```

On Windows the programs are in `.venv\\Scripts\\` instead of `.venv/bin/`.
On Linux without an NVIDIA GPU, add
`--extra-index-url https://download.pytorch.org/whl/cpu` to the
`pip install` to get torch's small CPU build instead of the CUDA one.

requirements.txt pins every package at the version the book was built and
tested with, its build and test tools included. To run the chapters with
exactly those versions (and the slides in JupyterLab):

```bash
.venv/bin/pip install -r requirements.txt
.venv/bin/pip install --no-deps -e .
.venv/bin/jupyter labextension disable --level=sys_prefix @jupyterlab/mathjax3-extension  # keep Lab's own math
```

lib must be installed (`-e .`): a notebook runs in chapters/, so the folder lib/
next to it is not found otherwise. Run the chapters in order;
each one starts from a fresh kernel and needs no other chapter's state.
"""


def archive_files(root: Path = ROOT) -> Dict[str, Path]:
    """Name inside the archive (below the top folder) -> the repository file it holds."""
    files = {f"chapters/{path.name}": path for path in sorted((root / "chapters").glob("*.ipynb"))}
    files.update({path.relative_to(root).as_posix(): path
                  for path in sorted((root / "lib").rglob("*.py"))})
    for name in ("requirements.txt", "pyproject.toml"):
        files[name] = root / name
    for path in sorted((root / "_build" / "assignments").glob("*/student/*.ipynb")):
        files[f"homework/{path.name}"] = path  # the homework, built by tools/build_assignments.py
    return files


def write_archive(output: Path, root: Path = ROOT) -> Path:
    """Write the archive to `output` and return it."""
    entries = {name: path.read_bytes() for name, path in archive_files(root).items()}
    entries["README.md"] = README.encode()
    return write_zip(output, FOLDER, entries)


TEACHERS_NAME = "linreg-teachers.zip"
TEACHERS_FOLDER = "linreg-teachers"
TEACHERS_README = """\
# Linear Neural Networks for Regression: the teacher's bundle

Everything here works offline, from this folder.

- `book.pdf`: the whole book, with a table of contents.
- `teachers/`: per chapter, its PDF (`03_synthetic_data.pdf`), its exercise sheet without
  solutions (`03_synthetic_data-exercises.pdf`) and its solution sheet
  (`03_synthetic_data-solutions.pdf`).
- `slides/`: per chapter, the lecture deck (`03_synthetic_data.html`: open it in a browser,
  press `S` for the speaker notes), and, where made, the deck as PDF and the handout with the
  speaker notes (`03_synthetic_data.pdf`, `03_synthetic_data-handout.pdf`).
- `_static/`, `_images/`: what the decks show and run (reveal.js, fonts, figures).
"""
# A relative reference to a file in an HTML or CSS file of the site (attributes, url(), and
# the figure lists of the decks' sliders).
REFERENCE = re.compile(r"""(?:["'(]|&quot;)([\w./-]+\.(?:png|jpe?g|svg|gif|css|js|woff2?|ttf|otf|json))""")


def needed_files(page: Path, site: Path) -> Set[Path]:
    """`page` and every file of the site it needs, followed through its stylesheets."""
    found, todo = set(), [page]
    while todo:
        path = todo.pop()
        if path in found:
            continue
        found.add(path)
        if path.suffix in (".html", ".css"):
            for reference in REFERENCE.findall(path.read_text(encoding="utf-8", errors="replace")):
                target = (path.parent / reference).resolve()
                if target.is_file() and site in target.parents and target not in found:
                    todo.append(target)
    return found


def teacher_files(site: Path = ROOT / "_build/html") -> Dict[str, Path]:
    """Name inside the bundle -> file of the built site: the book, the chapters' PDFs and
    sheets, the decks (with what they load) and the decks' PDFs."""
    site = site.resolve()
    pages = [site / "book.pdf", *sorted((site / "teachers").glob("*.pdf")),
             *sorted((site / "slides").glob("*.pdf"))]
    for deck in sorted((site / "slides").glob("*.html")):
        pages += sorted(needed_files(deck, site))
    return {path.relative_to(site).as_posix(): path for path in pages}


def write_zip(output: Path, folder: str, entries: Dict[str, bytes]) -> Path:
    """A zip of `entries` under `folder`/, with fixed dates (same files, same archive)."""
    output.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(f"{folder}/{name}", date_time=FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, entries[name])
    return output


def write_teacher_bundle(output: Path = ROOT / "_build/html" / TEACHERS_NAME) -> Path:
    """The teacher's bundle; the decks and PDFs must be made first (`make pdf`)."""
    files = teacher_files(output.parent)
    missing = [name for name in ("book.pdf",) if name not in files]
    if missing or not any(name.startswith("slides/") and name.endswith(".html") for name in files):
        raise FileNotFoundError(f"no book.pdf or no decks in {output.parent}: run `make pdf`")
    entries = {name: path.read_bytes() for name, path in files.items()}
    entries["README.md"] = TEACHERS_README.encode()
    return write_zip(output, TEACHERS_FOLDER, entries)


def main(arguments) -> int:
    if arguments == ["--teachers"]:
        path = write_teacher_bundle()
        print(f"teacher's bundle: {path} ({path.stat().st_size / 1e6:.1f} MB)")
        return 0
    output: Optional[Path] = Path(arguments[0]) if arguments else ROOT / "_build/html" / ARCHIVE_NAME
    path = write_archive(output)
    print(f"archive: {path} ({path.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
