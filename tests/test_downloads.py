"""What the site offers for download: each chapter's notebook, and one archive of the book.

The archive (tools/build_archive.py, written by tools/build_book.sh) holds
every chapter, lib/, requirements.txt, pyproject.toml and a README, exactly as
they are in the repository. Each chapter page's download button gives the
chapter's own notebook, byte for byte. BOOK_SITE names the built site
(default _build/html).
"""
import os
import re
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SITE = Path(os.environ.get("BOOK_SITE", ROOT / "_build" / "html"))
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
sys.path.insert(0, str(ROOT / "tools"))
from build_archive import ARCHIVE_NAME, FOLDER, archive_files, write_archive  # noqa: E402


def archive_contents(path: Path) -> dict:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def expected_files() -> set:
    names = {f"chapters/{path.name}" for path in CHAPTERS}
    names |= {path.relative_to(ROOT).as_posix() for path in (ROOT / "lib").rglob("*.py")}
    assert "lib/notebook/widgets.py" in names  # the subpackage travels too
    names |= {f"homework/{path.name}" for path in (ROOT / "_build/assignments").glob("*/student/*.ipynb")}
    return names | {"requirements.txt", "pyproject.toml", "README.md"}


def test_the_archive_holds_the_books_files_as_they_are(tmp_path):
    contents = archive_contents(write_archive(tmp_path / ARCHIVE_NAME))
    assert {name.removeprefix(f"{FOLDER}/") for name in contents} == expected_files()
    for name, path in archive_files().items():
        assert contents[f"{FOLDER}/{name}"] == path.read_bytes(), f"{name} differs"


def test_the_archives_readme_gives_the_install_commands(tmp_path):
    readme = archive_contents(write_archive(tmp_path / ARCHIVE_NAME))[f"{FOLDER}/README.md"].decode()
    for command in ('pip install -e ".[notebook]"', "pip install -r requirements.txt",
                    "pip install --no-deps -e .",
                    "jupyter labextension disable --level=sys_prefix @jupyterlab/mathjax3-extension",
                    "jupyter lab chapters"):
        assert command in readme


def test_the_same_files_give_the_same_archive(tmp_path):
    first = write_archive(tmp_path / "first.zip").read_bytes()
    assert write_archive(tmp_path / "second.zip").read_bytes() == first


@pytest.fixture(scope="module")
def site() -> Path:
    if not (SITE / "index.html").exists():
        pytest.fail(f"{SITE} holds no built site: run `make book` (make test does it first)")
    return SITE


@pytest.mark.slow
def test_the_site_offers_the_current_archive(site, tmp_path):
    offered = site / ARCHIVE_NAME
    assert offered.exists(), f"{offered} is missing: tools/build_book.sh writes it"
    assert archive_contents(offered) == archive_contents(write_archive(tmp_path / ARCHIVE_NAME)), \
        "the site's archive is stale: rebuild the site (make book)"
    front_page = yaml.safe_load((ROOT / "_toc.yml").read_text())["root"]
    links = re.findall(r'<a [^>]*href="([^"]+)"', (site / f"{front_page}.html").read_text())
    assert ARCHIVE_NAME in links, "the front page does not link the archive"


@pytest.mark.slow
@pytest.mark.parametrize("path", CHAPTERS, ids=lambda path: path.stem)
def test_each_chapter_downloads_as_its_notebook(site, path):
    page = (site / "chapters" / f"{path.stem}.html").read_text()
    assert f'href="../_sources/chapters/{path.name}"' in page, "no download link for the .ipynb"
    assert (site / "_sources" / "chapters" / path.name).read_bytes() == path.read_bytes(), \
        "the downloadable notebook differs from the chapter's"
