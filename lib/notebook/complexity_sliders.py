"""Sliders over a model's complexity: the degree of a polynomial, the weight decay lambda.

`degree_slider` (chapter 6) fits each degree exactly and draws the curve over
the data; `weight_decay_slider` (chapter 7) retrains a model for each lambda
and draws its loss curves with the norm of w. Both store their figures as
64-color PNGs, which keeps a notebook with every figure precomputed small.
"""
import math
from typing import Callable, Optional, Sequence, Tuple

import torch
from matplotlib.figure import Figure
from matplotlib.ticker import NullLocator

from ..base import DataModule, Module
from ..checks import (check_make_model, check_non_negative, check_non_negative_int,
                      check_positive_int)
from ..measures import squared_loss, weight_norm
from ..polynomial import PolynomialData, exact_polynomial, polynomial_features
from ..runs import fit_quietly, growing_loss_message
from .slider_figures import loss_curves_figure, with_fixed_margins
from .widgets import FigureSlider, slider_of_figures

# Every degree up to 12, then two that show wild interpolation (19 = 20 points - 1).
DEGREES = tuple(range(13)) + (15, 19)
# 0 (no decay) to 100, past the best lambda of chapter 7's experiment (10), so that the
# slider shows too little, about the right amount and too much weight decay.
LAMBDAS = (0, 1, 3, 10, 30, 100)
PNG_COLORS = 64


def polynomial_fit_figure(data: PolynomialData, degree: int, ylim=(-5, 2.5)) -> Figure:
    """The exact polynomial of `degree` over the data, its losses in the title."""
    coefficients, train_loss, val_loss = exact_polynomial(data, degree)
    x_grid = torch.linspace(-1, 1, 200, dtype=torch.float64)
    n = data.num_train
    figure = Figure(figsize=(4.5, 3))
    axes = figure.add_subplot()
    axes.plot(data.x[n:], data.y[n:], ".", color="C1", markersize=4, label="validation")
    axes.plot(data.x[:n], data.y[:n], "o", color="C0", markersize=4, label="training")
    axes.plot(x_grid, data.true_curve(x_grid), "k:", label="true curve")
    axes.plot(x_grid, polynomial_features(x_grid, degree) @ coefficients, color="C2",
              label=f"degree {degree}")
    axes.set_ylim(*ylim)
    axes.set_xlabel("x")
    axes.legend(fontsize="x-small", loc="lower right")
    axes.set_title(f"degree {degree}: training loss {train_loss:.3g}, "
                   f"validation loss {val_loss:.3g}", fontsize="small")
    figure.subplots_adjust(left=0.12, right=0.97, bottom=0.15, top=0.9)
    return figure


def degree_slider(data: PolynomialData, values: Sequence[int] = DEGREES, value: int = 3,
                  **slider_options) -> FigureSlider:
    """A slider over polynomial degrees; each shows the exact fit to `data`'s training points."""
    if not all(hasattr(data, name) for name in ("x", "y", "num_train", "true_curve")):
        raise TypeError("data must be polynomial data (x, y, num_train and true_curve, "
                        f"like PolynomialData), got {type(data).__name__}")
    slider_options.setdefault("png_colors", PNG_COLORS)
    return slider_of_figures(
        values, value, "degree",
        lambda degree: check_non_negative_int("degree in values", degree, upper=50),
        lambda degree: polynomial_fit_figure(data, degree), **slider_options)


def weight_decay_figure(model: Module, data: DataModule, max_epochs: int, setting: str,
                        ylim: Optional[Tuple[float, float]] = (1e-6, 1.0)) -> Figure:
    """Train `model` and draw its loss curves on a log scale, with the norm of w above them.

    The title gives the validation loss without the penalty, which is comparable
    from one lambda to the next (the curves show the loss the model minimized).
    """
    start_loss = squared_loss(model, data.val_dataloader())
    trainer = fit_quietly(model, data, max_epochs)
    figure = loss_curves_figure(model, trainer)
    axes = figure.axes[0]
    axes.set_yscale("log")
    # Minor ticks on a log axis (2e-3, 3e-3, ...) would double the rendering time.
    axes.yaxis.set_minor_locator(NullLocator())
    if trainer.diverged:
        return with_fixed_margins(figure, left=0.15, top=0.82)  # loss_curves_figure has said so in its title
    val_loss = squared_loss(model, data.val_dataloader())
    if not math.isfinite(val_loss) or val_loss > start_loss:
        # Each step multiplies w by 1 - lr * lambda: beyond 2 in size, w grows without overflowing yet.
        message = growing_loss_message(start_loss, val_loss, "lr * lambda must stay below 2")
        axes.set_title(f"{setting}: {message}", fontsize="small")
        return with_fixed_margins(figure, left=0.15, top=0.82)
    axes.set_title(f"{setting}: norm of w {weight_norm(model):.3f}\n"
                   f"validation loss without the penalty {val_loss:.4f}", fontsize="small")
    if ylim is not None:
        axes.set_ylim(*ylim)
    return with_fixed_margins(figure, left=0.15, top=0.82)


def weight_decay_slider(make_model: Callable[[float], Module], data: DataModule,
                        max_epochs: int = 10, values: Sequence[float] = LAMBDAS,
                        value: float = 3, seed: int = 0, **slider_options) -> FigureSlider:
    """A slider over lambda; each value trains `make_model(lambd)` on `data` afresh."""
    check_make_model(make_model)
    check_positive_int("max_epochs", max_epochs)
    slider_options.setdefault("png_colors", PNG_COLORS)
    return slider_of_figures(
        values, value, "lambda",
        lambda lambd: check_non_negative("lambda in values", lambd),
        lambda lambd: weight_decay_figure(make_model(lambd), data, max_epochs,
                                          f"lambda = {lambd:g}"),
        seed, **slider_options)
