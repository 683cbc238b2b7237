"""`import lib` in a plain Python script: no notebook machinery, and a fit prints nothing."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = """
import sys
import lib as d2l
after_import = sorted(sys.modules)
data = d2l.SyntheticRegressionData(w=[2, -3.4], b=4.2, num_train=64, num_val=32)
d2l.Trainer(max_epochs=1).fit(d2l.LinearRegressionScratch(2, lr=0.03), data)
heavy = [name for name in sys.modules
         if name.split(".")[0] in ("IPython", "ipywidgets", "ipykernel", "matplotlib_inline")
         or name.startswith("lib.notebook")]
print(len(after_import), "modules;", "heavy:", heavy)
"""


def test_a_script_imports_no_notebook_machinery_and_a_fit_prints_nothing():
    result = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1, f"the fit printed something: {result.stdout!r}"
    count, heavy = lines[0].split(" modules; heavy: ")
    assert int(count) > 100  # torch and matplotlib were imported: the script ran
    assert heavy == "[]"
    assert result.stderr == ""


def test_the_slider_names_are_exported_lazily():
    import lib
    assert "degree_slider" in dir(lib) and "degree_slider" in lib.__all__
    assert callable(lib.degree_slider) and callable(lib.learning_rate_slider)
