"""Launch buttons lead somewhere that works: Colab installs lib from the book's repository."""
import os
import re
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
REPOSITORY = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]


def first_code_cell(path: Path):
    notebook = nbformat.read(path, as_version=4)
    return next(cell for cell in notebook.cells if cell.cell_type == "code")


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda path: path.stem)
def test_on_colab_a_chapter_first_installs_lib_from_the_repository(path):
    cell = first_code_cell(path)
    assert 'if "google.colab" in sys.modules:' in cell.source
    assert f'%pip install --quiet "linreg-book-lib @ git+{REPOSITORY}"' in cell.source
    assert "remove-cell" in cell.metadata.get("tags", []), "the site should not show it"


def test_binder_installs_the_pinned_requirements_and_lib():
    assert "-r ../requirements.txt" in (ROOT / "binder" / "requirements.txt").read_text()
    assert "pip install --no-deps -e ." in (ROOT / "binder" / "postBuild").read_text()


def test_the_package_name_colab_installs_is_the_projects():
    assert 'name = "linreg-book-lib"' in (ROOT / "pyproject.toml").read_text()


@pytest.mark.slow
@pytest.mark.parametrize("path", CHAPTERS, ids=lambda path: path.stem)
def test_the_sites_launch_buttons_open_the_chapter_from_the_repository(path):
    """Colab and Binder get the repository, branch and path of this chapter's notebook."""
    site = Path(os.environ.get("BOOK_SITE", ROOT / "_build" / "html"))
    page = site / "chapters" / f"{path.stem}.html"
    if not page.exists():
        pytest.fail(f"{page} is missing: run `make book` (make test does it first)")
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    repository = config["repository"]["url"].removeprefix("https://github.com/")
    branch = config["repository"]["branch"]
    links = set(re.findall(r'href="([^"]+)"', page.read_text()))
    assert (f"https://colab.research.google.com/github/{repository}/blob/{branch}/"
            f"chapters/{path.name}") in links
    assert (f"https://mybinder.org/v2/gh/{repository}/{branch}?urlpath=lab/tree/"
            f"chapters/{path.name}") in links
