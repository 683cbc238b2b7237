"""Sliders that redraw a figure: retrained live in a kernel, precomputed on a static page.

A `FigureSlider` offers a grid of values. `draw(value)` makes the figure for a
value. In a live kernel, moving the slider draws the new value's figure (and
remembers it). When the notebook is executed headless to build the website
(``LIB_BOARD=final``), every figure on the grid is drawn in advance and the
slider is linked to them in the browser (`jslink`), so the slider still works
on a static page with no kernel behind it.

ipywidgets is imported only when a slider is made, so `import lib` needs no
notebook packages.
"""
import contextlib
import gc
import io
import numbers
import time
from typing import Any, Callable, List, Optional, Sequence

from matplotlib.figure import Figure

from .base import Module, Trainer
from .board import live_updates_wanted
from .checks import check_int_in_range
from .utils import set_seed


def figure_png(figure: Figure, colors: Optional[int] = None) -> bytes:
    """A matplotlib figure as PNG bytes, with a palette of `colors` colours if given.

    A palette of 64 colours looks the same for line plots and makes the PNG
    about four times smaller, which matters for a slider's precomputed figures.
    """
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100)
    if colors is None:
        return buffer.getvalue()
    check_int_in_range("colors", colors, 2, 256)
    from PIL import Image
    buffer.seek(0)
    image = Image.open(buffer).convert("RGB").quantize(colors)
    buffer = io.BytesIO()
    image.save(buffer, format="png", optimize=True)
    return buffer.getvalue()


def message_figure(text: str, figsize=(4.5, 2.8)) -> Figure:
    """A figure that shows only a message (for values that could not be drawn)."""
    figure = Figure(figsize=figsize)
    figure.text(0.5, 0.5, text, ha="center", va="center", wrap=True)
    return figure


def value_list(values) -> list:
    """`values` as a list, or a TypeError unless it is a sequence of numbers or strings."""
    try:
        values = list(values)
    except TypeError:
        raise TypeError(f"values must be a sequence of numbers, got {values!r}") from None
    if not all(isinstance(v, (numbers.Real, str)) for v in values):
        raise TypeError(f"values must hold numbers or strings, got {values!r}")
    return values


def is_one_of(value, values: list) -> bool:
    """Whether `value` is a number or string among `values` (a tensor never is)."""
    return isinstance(value, (numbers.Real, str)) and value in values


class FigureSlider:
    """A slider over `values`; each value is shown as the figure `draw(value)`."""

    def __init__(self, draw: Callable[[Any], Figure], values: Sequence, value,
                 description: str, format_value: Callable[[Any], str] = "{:g}".format,
                 precompute: Optional[bool] = None, png_colors: Optional[int] = None):
        import ipywidgets as widgets
        if not callable(draw):
            raise TypeError(f"draw must be a function that returns a Figure, got {draw!r}")
        values = value_list(values)
        if not values:
            raise ValueError("values must hold at least one value")
        if not is_one_of(value, values):
            raise ValueError(f"value must be one of values {values}, got {value!r}")
        self.draw = draw
        if png_colors is not None:
            check_int_in_range("png_colors", png_colors, 2, 256)
        self.png_colors = png_colors  # None: full-colour PNGs; else a palette (see figure_png)
        self.values = values
        self.seconds: List[float] = []  # how long each drawn figure took
        self.slider = widgets.SelectionSlider(
            options=[(format_value(v), v) for v in values], value=value,
            description=description, continuous_update=False,
            style={"description_width": "initial"}, layout=widgets.Layout(width="460px"))
        self.images = [widgets.Image(format="png") for _ in values]
        self.stack = widgets.Stack(self.images, selected_index=self.slider.index)
        widgets.jslink((self.slider, "index"), (self.stack, "selected_index"))
        self.slider.observe(self._on_index_change, names="index")
        self.widget = widgets.VBox([self.slider, self.stack])
        if precompute is None:
            precompute = not live_updates_wanted()
        if not precompute:
            self.png_colors = None  # live figures are never stored: skip the costly palette
        for index in (range(len(values)) if precompute else [self.slider.index]):
            self._render(index)

    @property
    def value(self):
        return self.slider.value

    @value.setter
    def value(self, new_value) -> None:
        if not is_one_of(new_value, self.values):
            raise ValueError(f"value must be one of {self.values}, got {new_value!r}")
        self.slider.value = new_value

    def _on_index_change(self, change) -> None:
        self._render(change["new"])

    def _render(self, index: int) -> None:
        """Draw the figure for values[index] unless it is drawn already."""
        if self.images[index].value:
            return
        start = time.perf_counter()
        try:
            figure = self.draw(self.values[index])
        except Exception as error:  # keep the slider alive and say what went wrong
            figure = message_figure(f"Could not draw {self.values[index]!r}:\n{error}")
        self.images[index].value = figure_png(figure, self.png_colors)
        self.seconds.append(time.perf_counter() - start)

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


def fit_quietly(model: Module, data, max_epochs: int) -> Trainer:
    """Train `model` without showing its board; a divergence is kept in `trainer.diverged`."""
    model.board.auto_show = False
    trainer = Trainer(max_epochs=max_epochs)
    with contextlib.redirect_stderr(io.StringIO()):
        trainer.fit(model, data)
    return trainer


def loss_curves_figure(model: Module, trainer: Trainer, caption: str = "",
                       figsize=(4.5, 2.8)) -> Figure:
    """The model's train/validation loss curves with `caption` above them.

    A diverged run is labelled as such instead of showing a caption.
    """
    figure = Figure(figsize=figsize)
    axes = figure.add_subplot()
    model.board.plot_on(axes)
    if trainer.diverged:
        caption = (f"diverged in epoch {trainer.epoch + 1}: the loss overflowed;\n"
                   "a smaller learning rate is needed")
        axes.set_yscale("log")
    axes.set_title(caption, fontsize="small")
    figure.set_layout_engine("tight")
    return figure


def keep_full_collections_short() -> None:
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


def slider_of_figures(values: Sequence, value, description: str,
                      check_value: Callable[[Any], Any], figure_for: Callable[[Any], Figure],
                      seed: Optional[int] = None, **slider_options) -> FigureSlider:
    """A FigureSlider showing `figure_for(v)` for each of `values`, each checked by `check_value`.

    With a `seed`, the random generators are reseeded before every figure, so
    a value always gives the same figure however the slider got there.
    """
    values = value_list(values)
    for candidate in values:
        check_value(candidate)
    keep_full_collections_short()

    def draw(chosen) -> Figure:
        if seed is not None:
            set_seed(seed)
        return figure_for(chosen)

    return FigureSlider(draw, values, value, description, **slider_options)


def with_fixed_margins(figure: Figure, left: float, top: float) -> Figure:
    """`figure` with its margins set once, so that rendering it draws it only once."""
    # Fixed margins instead of a tight layout, which would draw the figure twice. No
    # engine at all (None): even the placeholder engine "none" costs a dry-run draw.
    figure.set_layout_engine(None)
    figure.subplots_adjust(left=left, right=0.97, bottom=0.17, top=top)
    return figure
