"""How fast the degree slider (ch. 6) and the lambda slider (ch. 7) answer.

The method of bench/slider_timing.py: median and worst seconds over 20 changes
of `.value`, each slider built in live mode (precompute=False) so that every
change to a value not drawn yet fits the model and renders the figure, as when
a reader moves the slider in JupyterLab. It also gives the median CPU seconds
of this process per change (fit, figure and PNG), which depend much less on
what else the machine runs than the wall-clock seconds. Not a test; run it by hand:
    .venv/bin/python bench/slider_timing_complexity.py
"""
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import lib as d2l  # noqa: E402
from lib.notebook.complexity_sliders import degree_slider, weight_decay_slider  # noqa: E402
from slider_timing import CHANGES, time_changes  # noqa: E402


def with_cpu_clock(make_slider, cpu_seconds: list):
    """`make_slider`, but each slider adds the CPU seconds of every figure it renders to `cpu_seconds`."""
    def make():
        slider = make_slider()
        render = slider.png

        def timed_render(index: int, strict: bool = False) -> bytes:
            start = time.process_time()
            png = render(index, strict)
            cpu_seconds.append(time.process_time() - start)
            return png
        slider.png = timed_render
        return slider
    return make


def main() -> None:
    d2l.set_seed(0)
    polynomial_data = d2l.PolynomialData(degree=3)
    high_dimensional_data = d2l.HighDimensionalData()
    sliders = {
        "degree, exact fit (ch. 6)": lambda: degree_slider(polynomial_data, precompute=False),
        "lambda, scratch model, 10 epochs (ch. 7)": lambda: weight_decay_slider(
            lambda lambd: d2l.WeightDecayScratch(200, lambd, lr=0.01), high_dimensional_data,
            precompute=False),
    }
    print(f"{CHANGES} changes per slider, live mode; seconds per change")
    print("| slider | median draw | worst draw | median .value= | worst .value= | median CPU |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, make_slider in sliders.items():
        cpu_seconds: list = []
        drawn, assigned = time_changes(with_cpu_clock(make_slider, cpu_seconds))
        print(f"| {name} | {statistics.median(drawn):.3f} | {max(drawn):.3f} "
              f"| {statistics.median(assigned):.3f} | {max(assigned):.3f} "
              f"| {statistics.median(cpu_seconds):.3f} |")


if __name__ == "__main__":
    main()
