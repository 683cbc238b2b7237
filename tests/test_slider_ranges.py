"""Every slider of lib, driven live through its whole grid and past both ends.

Each `*_slider` function of lib's modules is built in live mode (precompute=False, as in
JupyterLab), with its own grid of values plus extremes beyond it, and moved to
every value in turn. For each change: no exception escapes, the drawing itself
does not fail (a failed draw would only show a "Could not draw" message), a new
PNG is shown, and a run that cannot converge says so in words in the figure's
text. After the extremes the slider is moved back and must answer again.
"""
import importlib
import inspect
import pkgutil

import pytest
import torch

import lib as d2l

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def lib_sliders() -> dict:
    """Every function named *_slider defined in a module of lib or its subpackages."""
    found = {}
    for info in pkgutil.walk_packages(d2l.__path__, "lib."):
        module = importlib.import_module(info.name)
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.endswith("_slider") and function.__module__ == module.__name__:
                found[name] = function
    return found


SLIDER_FUNCTIONS = lib_sliders()


def regression_data():
    d2l.set_seed(0)
    return d2l.SyntheticRegressionData(w=torch.tensor([2, -3.4]), b=4.2)


def polynomial_data():
    d2l.set_seed(0)
    return d2l.PolynomialData(degree=3)


def high_dimensional_data():
    d2l.set_seed(0)
    return d2l.HighDimensionalData()


def default_values(function) -> list:
    return list(inspect.signature(function).parameters["values"].default)


# How to build each slider of lib (its arguments before `values`), the extremes to add
# beyond its default grid, which values must be said to diverge and which must not
# ("converging" ones must show `words`). A gradient step of size lr on these squared
# losses multiplies the error by about |1 - lr| per step, so lr = 1000 must blow up and
# lr = 1e-6 cannot; weight decay lambda adds lr * lambda to that factor.
RECIPES = {
    "learning_rate_slider": [
        dict(arguments=lambda: (lambda lr: d2l.LinearRegressionScratch(2, lr=lr),
                                regression_data()),
             extremes=[1e-6, 1000.0], diverging=[1000.0], converging=[1e-6],
             words="validation loss"),
        dict(arguments=lambda: (lambda lr: d2l.LinearRegression(lr=lr), regression_data()),
             extremes=[1e-6, 1000.0], diverging=[1000.0], converging=[1e-6],
             words="validation loss"),
    ],
    "batch_size_slider": [
        dict(arguments=lambda: (lambda: d2l.LinearRegressionScratch(2, lr=0.03),
                                regression_data()),
             extremes=[1, 999, 1000, 5000], diverging=[], converging=[1, 1000],
             words="validation loss"),
    ],
    "degree_slider": [
        dict(arguments=lambda: (polynomial_data(),), extremes=[0, 50], diverging=[],
             converging=[0, 3, 50], words="validation loss"),
    ],
    "weight_decay_slider": [
        dict(arguments=lambda: (lambda lambd: d2l.WeightDecayScratch(200, lambd, lr=0.01),
                                high_dimensional_data()),
             extremes=[0, 1e6], diverging=[1e6], converging=[0], words="norm of w"),
    ],
}


def test_every_slider_of_lib_has_a_recipe():
    assert len(SLIDER_FUNCTIONS) == 4, sorted(SLIDER_FUNCTIONS)  # found where they live
    missing = sorted(set(SLIDER_FUNCTIONS) - set(RECIPES))
    assert not missing, f"add a recipe to RECIPES in this file for: {missing}"


def figure_text(figure) -> str:
    return " ".join([axes.get_title() for axes in figure.axes]
                    + [text.get_text() for text in figure.texts])


class RecordingDraw:
    """Wraps a slider's draw function: keeps each figure's text, lets errors through."""

    def __init__(self, draw):
        self.draw = draw
        self.texts = {}
        self.errors = {}

    def __call__(self, value):
        try:
            figure = self.draw(value)
        except Exception as error:
            self.errors[value] = repr(error)
            raise
        self.texts[value] = figure_text(figure)
        return figure


def move(slider, value) -> None:
    """Move to `value` and make it redraw even if it was drawn before."""
    index = slider.values.index(value)
    slider.pngs.pop(index, None)
    if slider.value == value:  # no change event: ask for the figure directly
        slider.png(index)
    else:
        slider.value = value
    assert slider.pngs[index].startswith(PNG_SIGNATURE)
    assert bytes(slider.image.value) == slider.pngs[index]


@pytest.mark.slow  # a sweep of several seconds: `make unit` leaves it out
@pytest.mark.parametrize("name, recipe", [(name, recipe) for name, recipes in RECIPES.items()
                                          for recipe in recipes],
                         ids=lambda x: x if isinstance(x, str) else "")
def test_slider_answers_over_its_whole_range(name, recipe):
    make = SLIDER_FUNCTIONS[name]
    grid = default_values(make)
    values = sorted(set(grid) | set(recipe["extremes"]))
    start = grid[len(grid) // 2]
    slider = make(*recipe["arguments"](), values=values, value=start, precompute=False)
    draw = slider.draw = RecordingDraw(slider.draw)
    for value in values + [start]:  # every value, then back: it still answers
        move(slider, value)
    assert not draw.errors, f"drawing failed for {draw.errors}"
    assert set(draw.texts) == set(values)
    for value in recipe["diverging"]:
        assert "diverg" in draw.texts[value], f"{value}: {draw.texts[value]!r}"
    for value in recipe["converging"]:
        assert "diverg" not in draw.texts[value] and recipe["words"] in draw.texts[value], \
            f"{value}: {draw.texts[value]!r}"
    for value, text in draw.texts.items():
        assert "nan" not in text.lower().split(), f"{value}: NaN shown as a number: {text!r}"
