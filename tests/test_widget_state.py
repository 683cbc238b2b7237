"""Every chapter that makes a widget stores the widget's state in the notebook.

A notebook saved from JupyterLab keeps the slider's output (a reference to a
widget model) but, unless asked, not the widget state; the website then shows
nothing where the slider should be, and no build step complains. Notebooks
executed by tools/execute.py or by the book build store the state; this test
fails for a chapter whose code makes a widget but whose stored state is missing
or does not hold every model its outputs and their children refer to.
"""
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
VIEW = "application/vnd.jupyter.widget-view+json"
STATE = "application/vnd.jupyter.widget-state+json"
# Code that makes a widget: lib's sliders (FigureSlider, learning_rate_slider, ...)
# or ipywidgets used directly.
MAKES_WIDGET = re.compile(r"\w*[Ss]lider\s*\(|\bipywidgets\b|\binteract(ive)?\s*\(")
MODEL_REFERENCE = re.compile(r"IPY_MODEL_([0-9a-f]+)")


def widget_views(notebook: dict) -> list:
    """The model ids of the widgets displayed in the notebook's outputs."""
    return [output["data"][VIEW]["model_id"]
            for cell in notebook["cells"] if cell["cell_type"] == "code"
            for output in cell.get("outputs", []) if VIEW in output.get("data", {})]


def missing_models(state: dict, model_ids: list) -> set:
    """The models reachable from `model_ids` (through IPY_MODEL_ references) not in `state`."""
    missing, seen, todo = set(), set(), list(model_ids)
    while todo:
        model_id = todo.pop()
        if model_id in seen:
            continue
        seen.add(model_id)
        if model_id not in state:
            missing.add(model_id)
            continue
        todo += MODEL_REFERENCE.findall(json.dumps(state[model_id]["state"]))
    return missing


@pytest.mark.parametrize("path", CHAPTERS, ids=[path.name for path in CHAPTERS])
def test_widgets_have_stored_state(path):
    notebook = json.loads(path.read_text())
    code = "\n".join("".join(cell["source"]) for cell in notebook["cells"]
                     if cell["cell_type"] == "code")
    views = widget_views(notebook)
    if not MAKES_WIDGET.search(code) and not views:
        return  # this chapter makes no widget
    assert views, (f"{path.name} makes a widget but shows none: execute it with "
                   "tools/execute.py so its outputs are stored")
    state = notebook["metadata"].get("widgets", {}).get(STATE, {}).get("state", {})
    assert state, (f"{path.name} shows widgets but stores no widget state: execute it "
                   "with tools/execute.py, not from an interactive session")
    missing = missing_models(state, views)
    assert not missing, f"{path.name}: widget models {sorted(missing)} are not in the stored state"


def test_the_check_catches_a_notebook_saved_without_state():
    """The same check on a copy of a widget chapter with its state removed fails."""
    with_widgets = [path for path in CHAPTERS if widget_views(json.loads(path.read_text()))]
    if not with_widgets:
        pytest.skip("no chapter shows a widget yet")
    notebook = json.loads(with_widgets[0].read_text())
    state = notebook["metadata"]["widgets"][STATE]["state"]
    assert not missing_models(state, widget_views(notebook))
    assert missing_models({}, widget_views(notebook))
    first_child = next(iter(MODEL_REFERENCE.findall(json.dumps(state))), None)
    if first_child is not None:  # a box without one of its children is caught too
        del state[first_child]
        assert missing_models(state, widget_views(notebook))
