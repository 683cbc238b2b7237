"""Write the book's download, one zip with everything a student needs to run it.

    python tools/build_archive.py [OUTPUT]     # default _build/html/linreg-book.zip

The archive holds one folder, linreg-book/, with every chapter notebook, the
library lib/, requirements.txt, pyproject.toml and a README that says how to
install and start it. tools/build_book.sh calls this after building the site,
and the front page links to it. Entries carry a fixed date, so the same files
give the same archive.
"""
import sys
import zipfile
from pathlib import Path
from typing import Dict, Optional

ROOT = Path(__file__).resolve().parent.parent
ARCHIVE_NAME = "linreg-book.zip"
FOLDER = "linreg-book"
FIXED_DATE = (2026, 1, 1, 0, 0, 0)

README = """\
# Linear Neural Networks for Regression: the notebooks

Every chapter of the book as a Jupyter notebook (chapters/), and the small
library they import (lib/, `import lib as d2l`). With Python 3.11:

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
    return files


def write_archive(output: Path, root: Path = ROOT) -> Path:
    """Write the archive to `output` and return it."""
    output.parent.mkdir(parents=True, exist_ok=True)
    entries = {name: path.read_bytes() for name, path in archive_files(root).items()}
    entries["README.md"] = README.encode()
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(f"{FOLDER}/{name}", date_time=FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, entries[name])
    return output


def main(arguments) -> int:
    output: Optional[Path] = Path(arguments[0]) if arguments else ROOT / "_build/html" / ARCHIVE_NAME
    path = write_archive(output)
    print(f"archive: {path} ({path.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
