"""Launch buttons lead to files that exist: what Colab and Binder fetch is in the repository.

A chapter's Colab button opens `chapters/<name>.ipynb` from the repository and branch in
`_config.yml`, and its first (hidden) cell installs lib from that repository with pip; the
Binder button starts JupyterLab on the same file after binder/ installed the requirements
and lib. Offline, these tests check what those services would find: the paths the built
site's buttons name are files git tracks at those paths, the package pip builds from the
committed tree is the one the install cell names and holds all of lib, and what binder/
refers to is there.
"""
import os
import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path
from urllib.parse import urlparse

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
REPOSITORY, BRANCH = CONFIG["repository"]["url"], CONFIG["repository"]["branch"]
SITE = Path(os.environ.get("BOOK_SITE", ROOT / "_build" / "html"))


def git(*args: str) -> str:
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: what the repository holds is unknown")
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout


def tracked(path: str) -> bool:
    """Whether git tracks `path` (a file the repository serves at that path)."""
    return git("ls-files", "--", path).strip() == path


def install_cell(path: Path) -> str:
    notebook = nbformat.read(path, as_version=4)
    cell = next(cell for cell in notebook.cells if cell.cell_type == "code")
    assert "remove-cell" in cell.metadata.get("tags", []), "the site should not show it"
    return cell.source


def test_the_book_has_chapters_to_launch():
    assert len(CHAPTERS) >= 7


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda path: path.stem)
def test_on_colab_a_chapter_first_installs_lib_from_the_repository(path):
    source = install_cell(path)
    assert 'if "google.colab" in sys.modules:' in source
    assert f'%pip install --quiet "linreg-book-lib @ git+{REPOSITORY}"' in source


@pytest.mark.slow  # builds a wheel
def test_pip_builds_the_named_package_with_all_of_lib_from_the_committed_tree(tmp_path):
    """What `pip install "linreg-book-lib @ git+URL"` builds from a clone of the repository."""
    archive = tmp_path / "head.tar"
    git("archive", "--format=tar", f"--output={archive}", "HEAD")
    with tarfile.open(archive) as tar:
        tar.extractall(tmp_path / "clone", filter="data")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--no-build-isolation", "--wheel-dir", str(tmp_path / "wheel"),
                    str(tmp_path / "clone")], check=True, capture_output=True, timeout=300)
    wheels = list((tmp_path / "wheel").glob("*.whl"))
    assert [wheel.name.split("-")[0] for wheel in wheels] == ["linreg_book_lib"]
    modules = {name for name in git("ls-files", "lib").split() if name.endswith(".py")}
    assert modules, "git tracks no lib/*.py"
    with zipfile.ZipFile(wheels[0]) as wheel:
        assert modules <= set(wheel.namelist()), sorted(modules - set(wheel.namelist()))


def test_binder_installs_the_pinned_requirements_and_lib():
    requirements = (ROOT / "binder" / "requirements.txt").read_text()
    included = re.findall(r"^-r\s+(\S+)", requirements, re.M)
    assert included and all(tracked(os.path.normpath(f"binder/{name}")) for name in included)
    assert "pip install --no-deps -e ." in (ROOT / "binder" / "postBuild").read_text()
    assert git("ls-files", "-s", "binder/postBuild").startswith("100755"), \
        "binder/postBuild must be executable, or Binder does not run it"


def launch_links(path: Path) -> dict:
    """The built page's launch links by host: {"colab...": url, "mybinder.org": url}."""
    page = SITE / "chapters" / f"{path.stem}.html"
    if not page.exists():
        pytest.fail(f"{page} is missing: run `make book` (make test does it first)")
    links = set(re.findall(r'href="([^"]+)"', page.read_text()))
    return {host: [link for link in links if urlparse(link).netloc == host]
            for host in ("colab.research.google.com", "mybinder.org")}


@pytest.mark.slow
@pytest.mark.parametrize("path", CHAPTERS, ids=lambda path: path.stem)
def test_the_sites_launch_buttons_open_a_tracked_notebook(path):
    """Each button names the repository, the branch and a path that git tracks: this chapter."""
    repository = REPOSITORY.removeprefix("https://github.com/")
    links = launch_links(path)
    assert [len(found) for found in links.values()] == [1, 1], links
    colab = re.fullmatch(rf"https://colab\.research\.google\.com/github/{re.escape(repository)}"
                         rf"/blob/{re.escape(BRANCH)}/(.+)", links["colab.research.google.com"][0])
    binder = re.fullmatch(rf"https://mybinder\.org/v2/gh/{re.escape(repository)}/"
                          rf"{re.escape(BRANCH)}\?urlpath=lab/tree/(.+)", links["mybinder.org"][0])
    assert colab and binder, links
    expected = path.relative_to(ROOT).as_posix()
    assert colab.group(1) == binder.group(1) == expected
    assert tracked(expected), f"git does not track {expected}: the buttons would open nothing"
