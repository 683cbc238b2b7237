"""How fast the training sliders answer: median and worst seconds over 20 changes.

Not a test (timings depend on the machine and its load); run it by hand:
    .venv/bin/python bench/slider_timing.py
Each slider is built in live mode (precompute=False) outside a kernel, so every
change of `.value` to a value not drawn yet retrains the model and renders the
figure: what one figure costs. In a notebook kernel a slider draws all its
figures right after its cell, and a move only swaps the image; `make bench`
(bench/run.py) times that too.
"""
import statistics
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import lib as d2l  # noqa: E402

CHANGES = 20


def time_changes(make_slider, changes: int = CHANGES):
    """Seconds per change: (drawn figure, whole `.value` assignment), `changes` of each."""
    drawn, assigned = [], []
    while len(assigned) < changes:
        slider = make_slider()  # a fresh slider, so no value below is drawn yet
        for index, value in enumerate(slider.values):
            if index in slider.pngs or len(assigned) == changes:
                continue  # drawn already: the slider would show the stored figure
            start = time.perf_counter()
            slider.value = value
            assigned.append(time.perf_counter() - start)
            drawn.append(slider.seconds[-1])
    return drawn, assigned


def main() -> None:
    d2l.set_seed(0)
    data = d2l.SyntheticRegressionData(w=torch.tensor([2, -3.4]), b=4.2)
    sliders = {
        "learning rate, scratch model (ch. 4)": lambda: d2l.learning_rate_slider(
            lambda lr: d2l.LinearRegressionScratch(2, lr=lr), data, precompute=False),
        "learning rate, concise model (ch. 5)": lambda: d2l.learning_rate_slider(
            lambda lr: d2l.LinearRegression(lr=lr), data, precompute=False),
        "batch size, scratch model (ch. 4)": lambda: d2l.batch_size_slider(
            lambda: d2l.LinearRegressionScratch(2, lr=0.03), data, precompute=False),
    }
    print(f"{CHANGES} changes per slider, live mode; seconds per change")
    print("| slider | median draw | worst draw | median .value= | worst .value= |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, make_slider in sliders.items():
        drawn, assigned = time_changes(make_slider)
        print(f"| {name} | {statistics.median(drawn):.3f} | {max(drawn):.3f} "
              f"| {statistics.median(assigned):.3f} | {max(assigned):.3f} |")


if __name__ == "__main__":
    main()
