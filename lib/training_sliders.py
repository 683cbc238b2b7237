"""Sliders that retrain a linear-regression model and redraw its loss curves.

`learning_rate_slider` and `batch_size_slider` serve every chapter that trains
a model on data with a known ground truth (`data.w`, `data.b`): each slider
value trains a fresh model, and the figure shows the train and validation loss
curves with the final errors in w and b above them, or says in words that
training diverged.
"""
import copy
import gc
import math
from dataclasses import dataclass
from typing import Callable, Sequence, Tuple

import torch
from matplotlib.figure import Figure

from .base import DataModule, Module, Trainer
from .checks import check_positive, check_positive_int
from .polynomial import mean_loss
from .utils import set_seed
from .widgets import FigureSlider, fit_quietly, loss_curves_figure, value_list

# Half-decade steps from far too small to far too large. The grid reaches past 1
# because a model whose loss carries a factor 1/2 stays stable up to about 2.
LEARNING_RATES = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
# Powers of two up to the whole training set (1000 examples: one step per epoch).
BATCH_SIZES = (16, 32, 64, 128, 256, 512, 1000)


def learned_w_b(model: Module) -> Tuple[torch.Tensor, torch.Tensor]:
    """The model's weight as a 1-D tensor and its bias as a number-like 1-element tensor."""
    w, b = model.get_w_b() if hasattr(model, "get_w_b") else (model.w, model.b)
    return w.detach().reshape(-1), b.detach().reshape(-1)


def estimation_errors(model: Module, data: DataModule) -> Tuple[torch.Tensor, float]:
    """The errors true minus learned: a tensor for w and a float for b."""
    w, b = learned_w_b(model)
    return data.w.reshape(-1) - w, float(data.b - b[0])


def _numbers(values: torch.Tensor) -> str:
    return "[" + ", ".join(f"{float(v):.2g}" for v in values) + "]"


def _loss_loader(data: DataModule):
    """The validation loader, or the training loader when there is no validation data."""
    loader = data.val_dataloader()
    return loader if loader is not None and len(loader) > 0 else data.train_dataloader()


@dataclass
class TrainingOutcome:
    """What one training run did, in numbers and in words (`caption`)."""
    trainer: Trainer
    start_loss: float
    end_loss: float
    diverging: bool
    caption: str


def train_and_describe(model: Module, data: DataModule, max_epochs: int,
                       setting: str) -> TrainingOutcome:
    """Train `model` on `data` quietly and say how it went.

    `setting` names what the reader chose (e.g. "lr = 0.03"). A run whose loss
    overflowed, or ended above the validation loss it started from, is said to
    diverge; otherwise the caption gives the final errors in w and b.
    """
    start_loss = mean_loss(model, _loss_loader(data))
    trainer = fit_quietly(model, data, max_epochs)
    end_loss = mean_loss(model, _loss_loader(data))
    diverging = bool(trainer.diverged) or not math.isfinite(end_loss) or end_loss > start_loss
    if trainer.diverged:
        caption = (f"{setting}: diverged in epoch {trainer.epoch + 1}, the loss overflowed;\n"
                   "a smaller learning rate is needed")
    elif diverging:
        caption = (f"{setting}: diverging, the validation loss grew\n"
                   f"from {start_loss:.3g} to {end_loss:.3g}; a smaller rate is needed")
    else:
        w_error, b_error = estimation_errors(model, data)
        caption = (f"{setting}: validation loss {end_loss:.2g}\n"
                   f"error in w {_numbers(w_error)}, in b {b_error:.2g}")
    return TrainingOutcome(trainer, start_loss, end_loss, diverging, caption)


def training_figure(model: Module, data: DataModule, max_epochs: int, setting: str) -> Figure:
    """Train `model` on `data` and draw its loss curves, captioned with the outcome.

    A diverging run is drawn on a log scale, where a growing loss stays visible.
    """
    outcome = train_and_describe(model, data, max_epochs, setting)
    figure = loss_curves_figure(model, outcome.trainer)
    axes = figure.axes[0]
    axes.set_title(outcome.caption, fontsize="small")
    # Fixed margins instead of a tight layout, which would draw the figure twice. No
    # engine at all (None): even the placeholder engine "none" costs a dry-run draw.
    figure.set_layout_engine(None)
    figure.subplots_adjust(left=0.13, right=0.97, bottom=0.17, top=0.8)
    if outcome.diverging:
        axes.set_yscale("log")
    else:
        # One scale for every slider value, from 0 to above the starting loss, so a
        # loss that barely moves looks flat instead of being zoomed in on.
        axes.set_ylim(0, 1.2 * outcome.start_loss)
    return figure


def _check_make_model(make_model) -> None:
    if not callable(make_model):
        raise TypeError(f"make_model must be a function that returns a Module, got {make_model!r}")


def _check_ground_truth(data) -> None:
    if not (hasattr(data, "w") and hasattr(data, "b")):
        raise TypeError("data must know its true w and b (e.g. SyntheticRegressionData), "
                        f"got {type(data).__name__}")


def _keep_full_collections_short() -> None:
    """Exclude the objects alive now from Python's full garbage collections.

    Each figure leaves reference cycles behind, and now and then Python scans
    every object in the process to free them: with torch and matplotlib loaded
    that scan alone takes about 0.1 s, which a reader would feel as a stutter.
    The objects alive now (modules, the notebook's variables) are long-lived,
    so `gc.freeze()` leaves them out of later scans. Garbage is collected first,
    so that nothing unreachable is frozen (frozen objects are never scanned again).
    """
    gc.collect()
    gc.freeze()


def learning_rate_slider(make_model: Callable[[float], Module], data: DataModule,
                         max_epochs: int = 3, values: Sequence[float] = LEARNING_RATES,
                         value: float = 0.03, seed: int = 0, **slider_options) -> FigureSlider:
    """A slider over learning rates; each one trains `make_model(lr)` on `data` afresh."""
    _check_make_model(make_model)
    _check_ground_truth(data)
    check_positive_int("max_epochs", max_epochs)
    values = value_list(values)
    for lr in values:
        check_positive("learning rate in values", lr)
    _keep_full_collections_short()

    def draw(lr: float) -> Figure:
        set_seed(seed)  # the same rate always gives the same figure
        return training_figure(make_model(lr), data, max_epochs, f"lr = {lr:g}")

    return FigureSlider(draw, values, value, "learning rate", **slider_options)


def with_batch_size(data: DataModule, batch_size: int) -> DataModule:
    """The same examples, handed out in minibatches of `batch_size`."""
    check_positive_int("batch_size", batch_size)
    resized = copy.copy(data)
    resized.batch_size = batch_size
    return resized


def batch_size_slider(make_model: Callable[[], Module], data: DataModule,
                      max_epochs: int = 3, values: Sequence[int] = BATCH_SIZES,
                      value: int = 32, seed: int = 0, **slider_options) -> FigureSlider:
    """A slider over batch sizes; each one trains `make_model()` on `data` afresh."""
    _check_make_model(make_model)
    _check_ground_truth(data)
    check_positive_int("max_epochs", max_epochs)
    values = value_list(values)
    for batch_size in values:
        check_positive_int("batch size in values", batch_size)
    _keep_full_collections_short()

    def draw(batch_size: int) -> Figure:
        set_seed(seed)
        return training_figure(make_model(), with_batch_size(data, batch_size), max_epochs,
                               f"batch size {batch_size}")

    return FigureSlider(draw, values, value, "batch size", **slider_options)
