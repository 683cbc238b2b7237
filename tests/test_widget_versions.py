"""Every slider of the book works in a live kernel under ipywidgets 7.7 (Colab's) and 8.

Each of lib's slider builders is built in live mode in a fresh Python process,
moved to another value, and must show a new PNG in its one image. ipywidgets
7.7 is laid over the environment's packages from _build/ipywidgets7 (installed
there with pip on first use); without network access that test is skipped.
"""
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from test_slider_ranges import SLIDER_FUNCTIONS

ROOT = Path(__file__).resolve().parent.parent
OVERLAY = ROOT / "_build" / "ipywidgets7"
IPYWIDGETS_7 = ["ipywidgets==7.7.5", "ipython_genutils==0.2.0"]

SCRIPT = textwrap.dedent("""
    import sys
    import ipywidgets
    import torch
    import lib as d2l
    from lib.notebook.complexity_sliders import degree_slider, weight_decay_slider

    PNG = b"\\x89PNG\\r\\n\\x1a\\n"
    VIEW = "application/vnd.jupyter.widget-view+json"
    assert ipywidgets.__version__.split(".")[0] == sys.argv[1], ipywidgets.__version__
    d2l.set_seed(0)
    data = d2l.SyntheticRegressionData(w=torch.tensor([2, -3.4]), b=4.2, num_train=100,
                                       num_val=50)
    sliders = {
        "learning_rate_slider": d2l.learning_rate_slider(
            lambda lr: d2l.LinearRegressionScratch(2, lr=lr), data, max_epochs=1,
            values=[0.01, 0.1], value=0.01, precompute=False),
        "batch_size_slider": d2l.batch_size_slider(
            lambda: d2l.LinearRegressionScratch(2, lr=0.03), data, max_epochs=1,
            values=[10, 50], value=10, precompute=False),
        "degree_slider": degree_slider(d2l.PolynomialData(degree=3), values=[1, 3], value=1,
                                       precompute=False),
        "weight_decay_slider": weight_decay_slider(
            lambda lambd: d2l.WeightDecayScratch(200, lambd, lr=0.01), d2l.HighDimensionalData(),
            max_epochs=1, values=[0, 3], value=0, precompute=False),
    }
    for name, slider in sliders.items():
        before = bytes(slider.image.value)
        slider.value = slider.values[-1]
        after = bytes(slider.image.value)
        assert before.startswith(PNG) and after.startswith(PNG), name
        assert before != after, f"{name}: moving the slider left its image as it was"
        assert VIEW in slider._repr_mimebundle_(), name
    print(" ".join(sorted(sliders)))
""")


def run_sliders(major: str, pythonpath: str = "") -> set:
    env = {"PYTHONPATH": pythonpath, "PATH": "/usr/bin:/bin", "MPLBACKEND": "Agg",
           "HOME": str(Path.home())}
    result = subprocess.run([sys.executable, "-c", SCRIPT, major], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return set(result.stdout.split())


def ipywidgets_7_overlay() -> Path:
    """The folder holding ipywidgets 7.7, installed there now if it is missing."""
    if not (OVERLAY / "ipywidgets").is_dir():
        install = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                                  "--target", str(OVERLAY), *IPYWIDGETS_7],
                                 capture_output=True, text=True, timeout=300)
        if install.returncode != 0:
            pytest.skip("ipywidgets 7.7 could not be installed into _build/ipywidgets7 "
                        f"(offline?): {install.stderr.strip()[-300:]}")
    return OVERLAY


@pytest.mark.slow
def test_every_slider_moves_live_under_ipywidgets_7():
    shown = run_sliders("7", str(ipywidgets_7_overlay()))
    assert shown == set(SLIDER_FUNCTIONS)


def test_every_slider_moves_live_under_ipywidgets_8(capsys, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["-c", "8"])
    exec(compile(SCRIPT, "slider-script", "exec"), {"__name__": "slider_script"})
    assert set(capsys.readouterr().out.split()) == set(SLIDER_FUNCTIONS)
