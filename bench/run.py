"""The book's benchmark: `make bench` runs it and writes bench/results.md.

Not a test (timings depend on the machine and its load). It measures, in one run:

1. the section-4 training run (scratch model, lr 0.03, 3 epochs, w = [2, -3.4],
   b = 4.2, batch size 32, 1000 training and 1000 validation examples) in a
   Jupyter kernel, timed from the client as a reader waits for the cell:
   lib with its live board, lib with the board switched off, d2l 1.0.3 with its
   own board, and a bare PyTorch loop with no plotting (the floor);
2. the response of every slider in the book: each chapter is executed live
   (no LIB_BOARD=final), every FigureSlider left in its kernel is moved to
   values it has not drawn, 20 times, timing value change -> new figure; and each
   cell that makes a slider is timed, with a cell `pass` sent right after it (how
   long the kernel stays busy once the slider's cell has ended);
3. each chapter's execution time (headless, as `make book` runs it), the total,
   and each kernel's peak resident memory.

    .venv/bin/python bench/run.py [--repeats N] [--site]

d2l 1.0.3 is installed for the benchmark only, into _build/bench/d2l-1.0.3
(`pip install --no-deps`); the packages it imports but never uses here are
stood in for by bench/d2l_stubs.
"""
import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Dict, List

import nbformat
from jupyter_client.manager import start_new_kernel
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
D2L_DIR = ROOT / "_build" / "bench" / "d2l-1.0.3"
STUBS = ROOT / "bench" / "d2l_stubs"
RESULTS = ROOT / "bench" / "results.md"
SLIDER_CHANGES = 20

# --- the section-4 run, four ways -----------------------------------------------
LIB_SETUP = """
import torch
import lib as d2l
d2l.set_seed(0)
data = d2l.SyntheticRegressionData(w=torch.tensor([2, -3.4]), b=4.2)
"""
D2L_SETUP = f"""
import sys
sys.path.insert(0, {str(D2L_DIR)!r})
sys.path.append({str(STUBS)!r})
import torch
from d2l import torch as d2l
torch.manual_seed(0)
data = d2l.SyntheticRegressionData(w=torch.tensor([2, -3.4]), b=4.2)
"""
BARE_SETUP = """
import torch
torch.manual_seed(0)
true_w, true_b = torch.tensor([[2.0], [-3.4]]), 4.2
X = torch.randn(2000, 2)
y = X @ true_w + true_b + 0.01 * torch.randn(2000, 1)
X_train, y_train, X_val, y_val = X[:1000], y[:1000], X[1000:], y[1000:]

def squared_loss(y_hat, y):
    return ((y_hat - y) ** 2 / 2).mean()
"""
TRAIN = """
model = d2l.LinearRegressionScratch(2, lr=0.03)
trainer = d2l.Trainer(max_epochs=3)
trainer.fit(model, data)
"""
TRAIN_BOARD_OFF = """
model = d2l.LinearRegressionScratch(2, lr=0.03)
model.board.display = False  # the board's off switch: draw() returns at once
trainer = d2l.Trainer(max_epochs=3)
trainer.fit(model, data)
"""
TRAIN_BARE = """
w = torch.normal(0, 0.01, (2, 1), requires_grad=True)
b = torch.zeros(1, requires_grad=True)
for epoch in range(3):
    order = torch.randperm(1000)
    for start in range(0, 1000, 32):
        batch = order[start:start + 32]
        loss = squared_loss(X_train[batch] @ w + b, y_train[batch])
        loss.backward()
        with torch.no_grad():
            for param in (w, b):
                param -= 0.03 * param.grad
                param.grad.zero_()
    with torch.no_grad():
        val_losses = [float(squared_loss(X_val[i:i + 32] @ w + b, y_val[i:i + 32]))
                      for i in range(0, 1000, 32)]
"""
# lib's loader before 2026-11-25: torch's DataLoader over a TensorDataset. Measured
# beside the current loader (lib.TensorLoader, plain indexing) as the "before" of that fix.
DATALOADER_LOADER = """
from torch.utils.data import BatchSampler, DataLoader, RandomSampler, SequentialSampler
from torch.utils.data import TensorDataset

@d2l.add_to_class(d2l.DataModule)
def get_tensorloader(self, tensors, train, indices=slice(0, None)):
    dataset = TensorDataset(*(tensor[indices] for tensor in tensors))
    order = RandomSampler(dataset) if train and len(dataset) else SequentialSampler(dataset)
    batches = BatchSampler(order, self.batch_size, drop_last=False)
    return DataLoader(dataset, sampler=batches, batch_size=None)
"""
VARIANTS = {  # name: (setup code, timed cell)
    "lib, live board": (LIB_SETUP, TRAIN),
    "lib, board off": (LIB_SETUP, TRAIN_BOARD_OFF),
    "d2l 1.0.3, its board": (D2L_SETUP, TRAIN),
    "bare PyTorch loop, no plot": (BARE_SETUP, TRAIN_BARE),
    "before: lib, board off, torch DataLoader": (LIB_SETUP + DATALOADER_LOADER, TRAIN_BOARD_OFF),
}
PEAK_RSS_MB = ("import resource\n"
               "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)")


class Kernel:
    """A python3 Jupyter kernel in the repository root, driven as a notebook front end."""

    def __init__(self, env: Dict[str, str]):
        self.manager, self.client = start_new_kernel(kernel_name="python3", cwd=str(ROOT),
                                                     env=env)

    def run(self, code: str) -> tuple:
        """Execute `code`; return (client-side seconds, text printed to stdout)."""
        printed: List[str] = []

        def collect(message):
            if message["msg_type"] == "stream" and message["content"]["name"] == "stdout":
                printed.append(message["content"]["text"])
            elif message["msg_type"] == "error":
                printed.append("\n".join(message["content"]["traceback"]))

        start = time.perf_counter()
        reply = self.client.execute_interactive(code, output_hook=collect, timeout=600)
        seconds = time.perf_counter() - start
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"the kernel failed to run:\n{code}\n{''.join(printed)}")
        return seconds, "".join(printed)

    def shutdown(self) -> None:
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)


def kernel_env(board: str) -> Dict[str, str]:
    env = dict(os.environ)
    env.pop("MPLBACKEND", None)  # the kernel's own inline backend, as in JupyterLab
    env["LIB_BOARD"] = board
    return env


def ensure_d2l() -> None:
    """Install d2l 1.0.3 (no dependencies) into _build/bench for the benchmark only."""
    if (D2L_DIR / "d2l" / "torch.py").exists():
        return
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--target", str(D2L_DIR), "d2l==1.0.3"], check=True)


def profile_board_off(runs: int = 20) -> List[str]:
    """Where lib's board-off training run spends its time (cProfile, in this process)."""
    import cProfile
    import pstats
    import torch
    sys.path.insert(0, str(ROOT))
    import lib as d2l
    d2l.set_seed(0)
    data = d2l.SyntheticRegressionData(w=torch.tensor([2, -3.4]), b=4.2)

    def train():
        model = d2l.LinearRegressionScratch(2, lr=0.03)
        model.board.display = False
        d2l.Trainer(max_epochs=3).fit(model, data)

    train()
    profiler = cProfile.Profile()
    profiler.runcall(lambda: [train() for _ in range(runs)])
    stats = pstats.Stats(profiler).stats  # (file, line, name) -> (cc, nc, tottime, cumtime, callers)
    total = sum(entry[2] for entry in stats.values())

    def cumulative(file_part: str, function: str) -> float:
        """Seconds in `function` of a file whose path holds `file_part`; an error if it never ran
        (the table publishes only what was measured)."""
        entries = [entry for (file, _, name), entry in stats.items()
                   if file_part in file and name == function]
        if not entries:
            raise RuntimeError(f"the profile holds no call of {function} in {file_part}")
        return sum(entry[3] for entry in entries)

    parts = {
        "next batch from lib's TensorLoader": cumulative("tensor_loader.py", "__iter__"),
        "backward pass": cumulative("torch/_tensor.py", "backward"),
        "forward pass (LinearRegressionScratch.forward)": cumulative("lib/models.py", "forward"),
        "loss": cumulative("lib/models.py", "loss"),
        "Module.plot (board off: returns early)": cumulative("lib/base.py", "plot"),
        "SGD step and zero_grad": (cumulative("lib/models.py", "step")
                                   + cumulative("lib/models.py", "zero_grad")),
    }
    return [f"| {name} | {seconds / runs * 1000:.1f} | {100 * seconds / total:.0f}% |"
            for name, seconds in parts.items()] + [
        f"| whole run (profiled, so slower than unprofiled) | {total / runs * 1000:.1f} | 100% |"]


def bench_training(repeats: int) -> Dict[str, dict]:
    """Median and spread of the client-side seconds of each variant's training cell.

    One kernel per variant; after one warm-up run each, the variants take turns
    run by run, so a change in the machine's load hits all of them alike.
    """
    ensure_d2l()
    kernels = {name: Kernel(kernel_env("live")) for name in VARIANTS}
    try:
        for name, (setup, train) in VARIANTS.items():
            kernels[name].run(setup)
            kernels[name].run(train)  # warm-up: first imports, first figure
        seconds = {name: [] for name in VARIANTS}
        for _ in range(repeats):
            for name, (_, train) in VARIANTS.items():
                seconds[name].append(kernels[name].run(train)[0])
        peaks = {name: float(kernel.run(PEAK_RSS_MB)[1]) for name, kernel in kernels.items()}
    finally:
        for kernel in kernels.values():
            kernel.shutdown()
    return {name: {"median": statistics.median(s), "min": min(s), "max": max(s),
                   "runs": len(s), "peak_mb": peaks[name]} for name, s in seconds.items()}


# --- the chapters -----------------------------------------------------------------
@contextmanager
def started(client: NotebookClient):
    """A fresh kernel for `client`, shut down afterwards."""
    client.reset_execution_trackers()
    with client.setup_kernel():
        yield client


def makes_a_slider(cell) -> bool:
    return cell.cell_type == "code" and "_slider(" in cell.source


def run_notebook(path: Path, board: str, extra_cells: List[str],
                 slider_cells: List[dict] = None) -> tuple:
    """Execute a copy of `path` in a fresh kernel, then `extra_cells`.

    Returns (seconds for the notebook's own cells, stdout of each extra cell). With a list
    `slider_cells`, each cell that makes a slider is timed, and so is a cell `pass` sent
    right after it (how long the kernel stays busy after the slider's cell); both are
    appended to the list.
    """
    notebook = nbformat.read(path, as_version=4)
    chapter_cells = len(notebook.cells)
    notebook.cells += [nbformat.v4.new_code_cell(code) for code in extra_cells]
    os.environ["LIB_BOARD"] = board
    client = NotebookClient(notebook, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    with started(client):
        start = time.perf_counter()
        for index, cell in enumerate(notebook.cells[:chapter_cells]):
            cell_start = time.perf_counter()
            client.execute_cell(cell, index)
            if slider_cells is not None and makes_a_slider(cell):
                cell_seconds = time.perf_counter() - cell_start
                probe_start = time.perf_counter()
                client.execute_cell(nbformat.v4.new_code_cell("pass"), index)
                slider_cells.append({"chapter": path.name, "cell": index,
                                     "cell_seconds": cell_seconds,
                                     "next_cell_waits": time.perf_counter() - probe_start})
        seconds = time.perf_counter() - start
        printed = []
        for index, cell in enumerate(notebook.cells[chapter_cells:], start=chapter_cells):
            client.execute_cell(cell, index)
            printed.append("".join(o.get("text", "") for o in cell.outputs
                                   if o.get("name") == "stdout"))
    return seconds, printed


# Runs in a chapter's kernel after the chapter: times every FigureSlider it made.
SLIDER_PROBE = f"""
import gc as _gc, json as _json, statistics as _statistics, time as _time
from lib.notebook.widgets import FigureSlider as _FigureSlider

def _sliders():
    found = {{}}
    candidates = list(globals().values()) + list(Out.values()) + _gc.get_objects()
    for thing in candidates:
        if isinstance(thing, _FigureSlider):
            found[id(thing)] = thing
    return list(found.values())

def _time_slider(slider, redraw, changes={SLIDER_CHANGES}):
    seconds = []
    for step in range(changes):
        current = slider.values.index(slider.value)
        target = (current + 1 + step % (len(slider.values) - 1)) % len(slider.values)
        if redraw:
            slider.pngs.pop(target, None)  # forget it, so the change redraws
        start = _time.perf_counter()
        slider.value = slider.values[target]
        seconds.append(_time.perf_counter() - start)
    return seconds

# The figures a live slider draws after its cell come one per turn of the kernel's loop:
# wait for them (awaiting, so that the loop runs) before timing the moves.
import asyncio as _asyncio
_waited = _time.perf_counter()
for _ in range(1200):
    if all(len(_s.pngs) == len(_s.values) for _s in _sliders()):
        break
    await _asyncio.sleep(0.05)
_waited = _time.perf_counter() - _waited

_report = []
for _slider in _sliders():
    if len(_slider.values) < 2:
        continue
    _after_cell = sum(_slider.seconds[1:])  # drawn right after the slider's cell
    _drawn_after_cell = len(_slider.pngs) == len(_slider.values)
    _s = _time_slider(_slider, redraw=False)
    _r = _time_slider(_slider, redraw=True)
    _report.append({{"description": _slider.slider.description, "values": len(_slider.values),
                     "first": _slider.seconds[0], "after_cell": _after_cell,
                     "waited_at_the_end": _waited,
                     "all_drawn": _drawn_after_cell,
                     "median": _statistics.median(_s), "worst": max(_s), "changes": len(_s),
                     "redraw_median": _statistics.median(_r), "redraw_worst": max(_r)}})
print(_json.dumps(_report))
"""


def has_slider(path: Path) -> bool:
    """Whether any code cell of the chapter mentions a slider."""
    notebook = nbformat.read(path, as_version=4)
    return any("slider" in cell.source.lower() for cell in notebook.cells
               if cell.cell_type == "code")


def bench_chapters(paths: List[Path]) -> tuple:
    """Per chapter: headless seconds and peak MB; then every slider, timed live."""
    import json
    timings, sliders = [], []
    slider_cells: List[dict] = []
    for path in paths:
        seconds, (peak,) = run_notebook(path, "final", [PEAK_RSS_MB])
        timings.append({"chapter": path.name, "seconds": seconds, "peak_mb": float(peak)})
        print(f"  {path.name}: {seconds:.1f} s, peak {float(peak):.0f} MB", flush=True)
        if has_slider(path):
            _, (report,) = run_notebook(path, "live", [SLIDER_PROBE], slider_cells)
            for entry in json.loads(report):
                sliders.append({"chapter": path.name, **entry})
    return timings, sliders, slider_cells


def helper_slider_scripts() -> List[str]:
    """The stdout of bench/slider_timing*.py (sliders timed outside a kernel)."""
    outputs = []
    for script in sorted((ROOT / "bench").glob("slider_timing*.py")):
        result = subprocess.run([sys.executable, str(script)], cwd=ROOT, capture_output=True,
                                text=True, env={**os.environ, "LIB_BOARD": "live"})
        outputs.append(f"`bench/{script.name}`:\n\n{result.stdout.strip()}"
                       + (f"\n\n(stderr: {result.stderr.strip()[-500:]})"
                          if result.returncode else ""))
    return outputs


def site_build_seconds() -> str:
    """Seconds for a full `jupyter-book build` (into _build/bench/site), as report text."""
    output = ROOT / "_build" / "bench" / "site"
    start = time.perf_counter()
    result = subprocess.run([str(Path(sys.executable).parent / "jupyter-book"), "build",
                             str(ROOT), "--all", "--path-output", str(output)],
                            env={**os.environ, "LIB_BOARD": "final"}, capture_output=True)
    seconds = time.perf_counter() - start
    if result.returncode:
        return f"the build failed after {seconds:.1f} s (exit status {result.returncode})"
    pages = len(list((output / "_build" / "html" / "chapters").glob("*.html")))
    return (f"{seconds:.1f} s (`jupyter-book build --all`, executing the {pages} chapters "
            "listed in _toc.yml)")


# --- the report -------------------------------------------------------------------
def machine() -> List[str]:
    import matplotlib
    import numpy
    import torch
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    versions = {"python": platform.python_version(), "torch": torch.__version__,
                "numpy": numpy.__version__, "matplotlib": matplotlib.__version__}
    for package in ("ipykernel", "ipywidgets", "nbclient", "jupyter_client"):
        versions[package] = __import__(package).__version__
    versions["d2l"] = "1.0.3 (benchmark only)"
    return [f"- machine: {platform.platform()}, {cpu}, {len(os.sched_getaffinity(0))} cores "
            f"usable, torch threads {torch.get_num_threads()}",
            f"- load average at the start: {', '.join(f'{x:.1f}' for x in os.getloadavg())} "
            "(other jobs share the cores; timings are inflated by the load)",
            "- versions: " + ", ".join(f"{k} {v}" for k, v in versions.items())]


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def report(training, profile, timings, sliders, slider_cells, scripts, site_seconds) -> str:
    lines = ["# Benchmark results", "", "Written by `make bench` (bench/run.py) on "
             + time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()) + ".", ""]
    lines += machine() + [""]
    lines += ["## 1. The section-4 training run in a Jupyter kernel", "",
              "Scratch model, lr 0.03, 3 epochs, w = [2, -3.4], b = 4.2, batch size 32, "
              "1000 + 1000 examples. Seconds from sending the cell to the kernel going idle, "
              "as a reader waits for it (live board, no LIB_BOARD=final), after one warm-up "
              "run per kernel.", "",
              "| variant | median s | min s | max s | runs | kernel peak MB |",
              "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for name, t in training.items():
        lines.append(f"| {name} | {t['median']:.3f} | {t['min']:.3f} | {t['max']:.3f} "
                     f"| {t['runs']} | {t['peak_mb']:.0f} |")
    lib_live = training["lib, live board"]["median"]
    lib_off = training["lib, board off"]["median"]
    d2l = training["d2l 1.0.3, its board"]["median"]
    bare = training["bare PyTorch loop, no plot"]["median"]
    lines += ["", f"- lib is {d2l / lib_live:.1f}x faster than d2l 1.0.3 "
              f"(target >= 4x: {verdict(d2l / lib_live >= 4)})",
              f"- lib with the board off takes {lib_off / bare:.2f}x the bare loop "
              f"(target <= 1.3x: {verdict(lib_off / bare <= 1.3)})"]
    before = training.get("before: lib, board off, torch DataLoader")
    if before:
        lines.append(f"- before: with torch's DataLoader (lib's loader until 2026-11-25), lib "
                     f"with the board off took {before['median'] / bare:.2f}x the bare loop")
    lines += ["", "Where lib's board-off run spends its time (cProfile, in-process, "
              "cumulative per run; parts overlap where one calls another):", "",
              "| part | ms per run | share |", "| --- | ---: | ---: |"] + profile + [""]
    lines += ["## 2. Slider response", "",
              "Each chapter executed live. A slider draws its first figure before it is "
              "shown and every other one right after its cell (the kernel is busy for the "
              "'after the cell' seconds). Then every slider it leaves in its kernel is moved "
              f"{SLIDER_CHANGES} times (seconds from the value change to the new figure, in "
              "the kernel: what a reader waits for), and moved again "
              f"{SLIDER_CHANGES} times with the figure forgotten first, so that it is drawn "
              "again (what one figure costs).", "",
              "| chapter | slider | values | first figure s | after the cell s | all drawn "
              "| move: median s | move: worst s | redraw: median s | redraw: worst s "
              "| target |",
              "| --- | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | --- |"]
    for s in sliders:
        ok = s["median"] < 0.05 and s["worst"] < 0.1 and s["all_drawn"]
        lines.append(f"| {s['chapter']} | {s['description']} | {s['values']} | "
                     f"{s['first']:.3f} | {s['after_cell']:.2f} | {s['all_drawn']} | "
                     f"{s['median']:.3f} | {s['worst']:.3f} | {s['redraw_median']:.3f} | "
                     f"{s['redraw_worst']:.3f} | {verdict(ok)} |")
    if not sliders:
        lines.append("| (no chapter has a slider yet) | | | | | | | | | | |")
    lines += ["", "Target for a move: median under 0.050 s, worst under 0.100 s, with every "
              "figure drawn after the cell.", ""]
    lines += ["The kernel after a slider's cell (live): seconds for the cell itself (its first "
              "figure), and for a cell `pass` sent as soon as it has ended: the other figures "
              "are drawn one per turn of the kernel's event loop, so the next cell waits for at "
              "most the figure being drawn.", "",
              "| chapter | cell | slider cell s | next cell waits s | target |",
              "| --- | ---: | ---: | ---: | --- |"]
    for c in slider_cells:
        lines.append(f"| {c['chapter']} | {c['cell']} | {c['cell_seconds']:.2f} | "
                     f"{c['next_cell_waits']:.2f} | {verdict(c['next_cell_waits'] <= 0.5)} |")
    lines += ["", "Target: the next cell waits at most 0.5 s.", ""]
    if scripts:
        lines += ["Helper scripts (sliders built outside a notebook):", ""]
        lines += [text + "\n" for text in scripts]
    lines += ["## 3. The book", "",
              "Each chapter in a fresh kernel, headless (LIB_BOARD=final, as `make book` "
              "runs it); seconds for the chapter's cells, kernel start excluded.", "",
              "| chapter | seconds | kernel peak MB |", "| --- | ---: | ---: |"]
    for t in timings:
        lines.append(f"| {t['chapter']} | {t['seconds']:.1f} | {t['peak_mb']:.0f} |")
    total = sum(t["seconds"] for t in timings)
    peak = max((t["peak_mb"] for t in timings), default=0.0)
    lines += [f"| **all {len(timings)} chapters** | **{total:.1f}** | **{peak:.0f}** (max) |",
              "", f"- whole book {total:.1f} s (target < 60 s: {verdict(total < 60)})",
              f"- peak kernel memory {peak:.0f} MB (target < 700 MB: {verdict(peak < 700)})",
              "- site build: " + (site_seconds if site_seconds is not None else
                                  "not measured in this run (`bench/run.py --site`)"), ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15, help="timed runs per variant")
    parser.add_argument("--site", action="store_true", help="also time a site build")
    parser.add_argument("--chapters", nargs="*", help="chapter notebooks (default: all)")
    args = parser.parse_args()
    paths = ([Path(p).resolve() for p in args.chapters] if args.chapters
             else sorted((ROOT / "chapters").glob("*.ipynb")))
    print("training run, four ways ...", flush=True)
    training = bench_training(args.repeats)
    profile = profile_board_off()
    print("chapters and sliders ...", flush=True)
    timings, sliders, slider_cells = bench_chapters(paths)
    scripts = helper_slider_scripts()
    site_seconds = site_build_seconds() if args.site else None
    RESULTS.write_text(report(training, profile, timings, sliders, slider_cells, scripts,
                               site_seconds))
    print(RESULTS.read_text())


if __name__ == "__main__":
    main()
