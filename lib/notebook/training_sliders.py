"""Sliders that retrain a linear-regression model and redraw its loss curves.

`learning_rate_slider` and `batch_size_slider` serve every chapter that trains
a model on data with a known ground truth (`data.w`, `data.b`): each slider
value trains a fresh model, and the figure shows the train and validation loss
curves with the final errors in w and b above them, or says in words that
training diverged.
"""
from typing import Callable, Sequence

from matplotlib.figure import Figure

from ..base import DataModule, Module
from ..checks import check_make_model, check_positive, check_positive_int
from ..runs import train_and_describe, with_batch_size
from .slider_figures import loss_curves_figure, with_fixed_margins
from .widgets import FigureSlider, slider_of_figures

# Half-decade steps from far too small to far too large. The grid reaches past 1
# because a model whose loss carries a factor 1/2 stays stable up to about 2.
LEARNING_RATES = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
# Powers of two up to the whole training set (1000 examples: one step per epoch).
BATCH_SIZES = (16, 32, 64, 128, 256, 512, 1000)


def training_figure(model: Module, data: DataModule, max_epochs: int, setting: str) -> Figure:
    """Train `model` on `data` and draw its loss curves, captioned with the outcome.

    A diverging run is drawn on a log scale, where a growing loss stays visible.
    """
    outcome = train_and_describe(model, data, max_epochs, setting)
    figure = loss_curves_figure(model, outcome.trainer)
    axes = figure.axes[0]
    # y=1: the title's place is fixed, which spares matplotlib a search for room above
    # the axes (a tenth of the drawing time).
    axes.set_title(outcome.caption, fontsize="small", y=1.0)
    with_fixed_margins(figure, left=0.13, top=0.8)
    if outcome.diverging:
        axes.set_yscale("log")
    else:
        # One scale for every slider value, from 0 to above the starting loss, so a
        # loss that barely moves looks flat instead of being zoomed in on.
        axes.set_ylim(0, 1.2 * outcome.start_loss)
    return figure


def _check_ground_truth(data) -> None:
    if not (hasattr(data, "w") and hasattr(data, "b")):
        raise TypeError("data must know its true w and b (e.g. SyntheticRegressionData), "
                        f"got {type(data).__name__}")


def learning_rate_slider(make_model: Callable[[float], Module], data: DataModule,
                         max_epochs: int = 3, values: Sequence[float] = LEARNING_RATES,
                         value: float = 0.03, seed: int = 0, **slider_options) -> FigureSlider:
    """A slider over learning rates; each one trains `make_model(lr)` on `data` afresh."""
    check_make_model(make_model)
    _check_ground_truth(data)
    check_positive_int("max_epochs", max_epochs)
    return slider_of_figures(
        values, value, "learning rate",
        lambda lr: check_positive("learning rate in values", lr),
        lambda lr: training_figure(make_model(lr), data, max_epochs, f"lr = {lr:g}"),
        seed, **slider_options)


def batch_size_slider(make_model: Callable[[], Module], data: DataModule,
                      max_epochs: int = 3, values: Sequence[int] = BATCH_SIZES,
                      value: int = 32, seed: int = 0, **slider_options) -> FigureSlider:
    """A slider over batch sizes; each one trains `make_model()` on `data` afresh."""
    check_make_model(make_model)
    _check_ground_truth(data)
    check_positive_int("max_epochs", max_epochs)
    return slider_of_figures(
        values, value, "batch size",
        lambda batch_size: check_positive_int("batch size in values", batch_size),
        lambda batch_size: training_figure(make_model(), with_batch_size(data, batch_size),
                                           max_epochs, f"batch size {batch_size}"),
        seed, **slider_options)
