"""Training a model out of sight and drawing the run as a figure (what a slider shows)."""
import logging
from typing import Iterator

import contextlib
from matplotlib.figure import Figure

from .base import DataModule, Module, Trainer, divergence_message, log as training_log


class _DropAll(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return False


@contextlib.contextmanager
def training_messages_dropped() -> Iterator[None]:
    """Within the block, the Trainer's messages are not logged (its `diverged` still says it)."""
    dropper = _DropAll()
    training_log.addFilter(dropper)
    try:
        yield
    finally:
        training_log.removeFilter(dropper)


def fit_quietly(model: Module, data: DataModule, max_epochs: int) -> Trainer:
    """Train `model` without showing its board; a divergence is kept in `trainer.diverged`."""
    model.board.auto_show = False
    trainer = Trainer(max_epochs=max_epochs)
    with training_messages_dropped():
        trainer.fit(model, data)
    return trainer


def loss_curves_figure(model: Module, trainer: Trainer, caption: str = "",
                       figsize=(4.5, 2.8)) -> Figure:
    """The model's train/validation loss curves with `caption` above them.

    A diverged run is labeled as such, on a log scale, instead of the caption.
    """
    figure = Figure(figsize=figsize)
    axes = figure.add_subplot()
    model.board.plot_on(axes)
    if trainer.diverged:
        caption = divergence_message(trainer.epoch + 1)
        axes.set_yscale("log")
    axes.set_title(caption, fontsize="small")
    figure.set_layout_engine("tight")
    return figure


def growing_loss_message(start_loss: float, end_loss: float, advice: str) -> str:
    """The one wording for a run whose loss grew without overflowing."""
    return (f"diverging, the validation loss grew\nfrom {start_loss:.3g} to {end_loss:.3g}; "
            f"{advice}")


def with_fixed_margins(figure: Figure, left: float, top: float) -> Figure:
    """`figure` with its margins set once, so that rendering it draws it only once."""
    # Fixed margins instead of a tight layout, which would draw the figure twice. No
    # engine at all (None): even the placeholder engine "none" costs a dry-run draw.
    figure.set_layout_engine(None)
    # right=0.95 leaves room for the last tick label of the x axis (e.g. "3.0")
    figure.subplots_adjust(left=left, right=0.95, bottom=0.17, top=top)
    return figure
