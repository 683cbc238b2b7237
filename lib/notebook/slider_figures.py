"""A training run drawn as a figure, the way the training sliders show it."""
from matplotlib.figure import Figure

from ..base import Module, Trainer, divergence_message


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


def with_fixed_margins(figure: Figure, left: float, top: float) -> Figure:
    """`figure` with its margins set once, so that rendering it draws it only once."""
    # Fixed margins instead of a tight layout, which would draw the figure twice. No
    # engine at all (None): even the placeholder engine "none" costs a dry-run draw.
    figure.set_layout_engine(None)
    # right=0.95 leaves room for the last tick label of the x axis (e.g. "3.0")
    figure.subplots_adjust(left=left, right=0.95, bottom=0.17, top=top)
    return figure
