"""Pytest set-up shared by the unit tests, nbval and the browser tests.

With --nbval, every chapter runs once in a fresh kernel (nbval compares each cell with
the stored outputs), then once more in the same kernel, as a reader who presses
"Run All" twice: the second pass must give the stored outputs too. That second pass is
the only re-execution in `make test`; `-k "not rerun"` leaves it out.
"""
import copy
import os
import sys
from pathlib import Path

# nbformat imports jsonschema, which imports rfc3987_syntax where it is installed (JupyterLab
# needs it) and compiles some 40 grammars: 1.6 s of CPU in every test process, for IRI
# format checks that no test makes. Hidden from the test processes only.
sys.modules.setdefault("rfc3987_syntax", None)

# Kernels started by nbval inherit this: each training run stores one final
# figure instead of live frames, so stored outputs can be compared.
os.environ.setdefault("LIB_BOARD", "final")
# ... and every figure lib draws or shows must tell its curves apart without color.
os.environ.setdefault("LIB_CHECK_FIGURES", "1")
# Draw off-screen in this process only: an MPLBACKEND variable would be inherited by the
# nbval kernels and replace their inline backend, so plt.show() would output nothing.
import matplotlib  # noqa: E402
import pytest  # noqa: E402

matplotlib.use("Agg")

CHROMIUM = Path("/usr/bin/chromium")
RERUN = "rerun"  # suffix of the second pass's test names


def pytest_collection_modifyitems(config, items) -> None:
    """Mark nbval's cells `notebook`; after each notebook's cells, queue its cells again, to
    run in the same kernel."""
    if not config.getoption("nbval", False):
        return
    from nbval.plugin import IPyNbCell

    class SecondRun(IPyNbCell):
        """A cell of the second "Run All", compared with the stored outputs as nbval does."""

        def reportinfo(self):
            path, line, description = super().reportinfo()
            return path, line, f"{description} ({RERUN}: second Run All in the same kernel)"

    queued = []
    for index, item in enumerate(items):
        queued.append(item)
        last_of_notebook = isinstance(item, IPyNbCell) and (
            index + 1 == len(items) or items[index + 1].parent is not item.parent)
        if last_of_notebook:
            cells = [cell for cell in items
                     if isinstance(cell, IPyNbCell) and cell.parent is item.parent]
            # A copy of each cell: nbval merges a cell's stored streams in place.
            queued += [SecondRun.from_parent(item.parent, name=f"{cell.name} {RERUN}",
                                             cell_num=cell.cell_num,
                                             cell=copy.deepcopy(cell.cell),
                                             options=cell.options) for cell in cells]
    items[:] = queued
    for item in items:  # nbval's cells execute the chapters
        if isinstance(item, IPyNbCell):
            item.add_marker(pytest.mark.notebook)


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    """Debian's Chromium for the browser tests: skipped where it is missing, except
    under `make test` (REQUIRE_BROWSER=1), which installs it first and must run them."""
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: `make chromium` installs it (`make test` does)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return CHROMIUM


@pytest.fixture(scope="module")
def browser(chromium_path):
    """Headless Debian Chromium driven by Playwright, shared by the browser tests."""
    api = pytest.importorskip("playwright.sync_api", reason="playwright is pinned in "
                              "requirements.txt; run `make install`")
    with api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium_path), headless=True,
                                             args=["--no-sandbox"])
        yield browser
        browser.close()


class FakeKernelShell:
    """Just enough of an IPython kernel's shell for lib: its events, and a kernel."""
    kernel = object()

    def __init__(self):
        from IPython.core.events import EventManager, available_events
        self.events = EventManager(self, available_events)


@pytest.fixture
def fake_shell() -> FakeKernelShell:
    """A stand-in kernel shell; `shell.events.trigger("post_run_cell", None)` ends a cell."""
    return FakeKernelShell()


@pytest.fixture(scope="module")
def site_url() -> str:
    """The built site served as plain files on an ephemeral localhost port (its base URL)."""
    from tools.site_audit import SITE, serve
    if not (SITE / "index.html").exists():
        pytest.fail(f"{SITE} holds no built site: run `make book` (make test does it first)")
    with serve(SITE, compress=False) as base:
        yield base
