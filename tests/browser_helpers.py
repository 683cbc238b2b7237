"""What the browser tests share: moving a slider and seeing its figure change, counting the
sliders a notebook stores, and starting JupyterLab on a copy of the chapters.

    from browser_helpers import move_slider, stored_sliders, jupyterlab

The names and signatures here are kept stable for every test file that imports them
(tests/test_site.py, test_accessibility.py, test_lab.py, test_rise.py, test_slides.py).
"""
import contextlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Dict, Iterator, Tuple

import pytest

ROOT = Path(__file__).resolve().parent.parent
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

# The figure a slider's box shows: the one visible image's address, alt text and pixels.
SHOWN_FIGURE = """box => {
  const shown = [...box.querySelectorAll('img')].filter(image => image.offsetParent !== null);
  if (shown.length !== 1) return {problem: `${shown.length} figures shown`};
  const image = shown[0];
  if (!image.complete || image.naturalWidth === 0) return {problem: 'its figure is not loaded'};
  const canvas = document.createElement('canvas');
  canvas.width = image.naturalWidth; canvas.height = image.naturalHeight;
  canvas.getContext('2d').drawImage(image, 0, 0);
  return {src: image.src, alt: image.alt, pixels: canvas.toDataURL()};
}"""

# True once the box shows one loaded image whose address is not `src`.
ANOTHER_FIGURE = """([box, src]) => {
  const shown = [...box.querySelectorAll('img')].filter(image => image.offsetParent !== null);
  return shown.length === 1 && shown[0].src !== src && shown[0].complete
         && shown[0].naturalWidth > 0;
}"""


def move_slider(page, handle, timeout_ms: int = 3_000) -> Tuple[Dict, Dict]:
    """Press an arrow key on a slider and see its figure change; (figure before, after).

    `handle` is a Playwright locator of the element that takes the keys (role slider: the
    site's native range, or ipywidgets' `.noUi-handle`); its box is the nearest
    `.widget-vbox` around it. The key is ArrowRight, or ArrowLeft at the last value. Each
    figure is {"src", "alt", "pixels"}. Fails unless the box shows one loaded image before,
    another one within `timeout_ms`, and other pixels.
    """
    box = handle.locator("xpath=ancestor::*[contains(@class, 'widget-vbox')][1]")
    before = box.evaluate(SHOWN_FIGURE)
    assert "problem" not in before, f"before the move: {before['problem']}"
    at_end = handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax")
    handle.focus()
    handle.press("ArrowLeft" if at_end else "ArrowRight")
    page.wait_for_function(ANOTHER_FIGURE, arg=[box.element_handle(), before["src"]],
                           timeout=timeout_ms, polling=100)
    after = box.evaluate(SHOWN_FIGURE)
    assert "problem" not in after, f"after the move: {after['problem']}"
    assert after["pixels"] != before["pixels"], "the slider moved, its figure did not change"
    return before, after


def stored_sliders(notebook: Path) -> int:
    """How many widget outputs (the sliders) a notebook stores; 0 for a missing file."""
    if not notebook.exists():
        return 0
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return sum(WIDGET_VIEW in output.get("data", {})
               for cell in cells for output in cell.get("outputs", []))


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def jupyterlab(folder: Path, settings: Dict[str, dict] = None,
               timeout_s: float = 120) -> Iterator[Tuple[str, str, Path]]:
    """JupyterLab, as `make lab` starts it, on a copy of chapters/; yields (url, token, root).

    The copy lies in `folder`/book (so nothing is saved over the repository's notebooks),
    with Jupyter's config, data and runtime folders and the user `settings` (name of a
    settings file: its values) in `folder` too. The kernel runs without LIB_BOARD and
    MPLBACKEND, as in `make lab`. Skips when JupyterLab is not installed; fails, with its
    log, when it does not answer within `timeout_s`.
    """
    lab = Path(sys.executable).parent / "jupyter-lab"
    if not lab.exists():
        pytest.skip(f"{lab} is missing: jupyterlab is pinned in requirements.txt (`make install`)")
    root = folder / "book"
    shutil.copytree(ROOT / "chapters", root / "chapters",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    for name, values in (settings or {}).items():
        (folder / "settings" / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / "settings" / name).write_text(json.dumps(values))
    env = {key: value for key, value in os.environ.items()
           if key not in ("LIB_BOARD", "MPLBACKEND")}
    for kind in ("CONFIG", "DATA", "RUNTIME"):
        env[f"JUPYTER_{kind}_DIR"] = str(folder / kind.lower())
    port, token = free_port(), secrets.token_hex(16)
    log_path = folder / "lab.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [str(lab), "--no-browser", "--allow-root", "--ip=127.0.0.1", f"--port={port}",
             f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
             "--expose-app-in-browser", f"--LabApp.user_settings_dir={folder / 'settings'}",
             f"--LabApp.workspaces_dir={folder / 'workspaces'}"],
            env=env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + timeout_s
            while True:
                if process.poll() is not None:
                    pytest.fail("JupyterLab exited:\n" + log_path.read_text()[-3000:])
                try:
                    urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=5)
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        pytest.fail(f"JupyterLab did not answer within {timeout_s:.0f} s:\n"
                                    + log_path.read_text()[-3000:])
                    time.sleep(0.3)
            yield url, token, root
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
