"""The slider widget: a grid of values, each shown as a figure.

A `FigureSlider` offers a grid of values; `draw(value)` makes the figure for a
value. In a live kernel one image is shown, and moving the slider draws the new
value's figure into it (each figure is remembered once drawn); this works with
ipywidgets 7.7 (Colab) and 8. When the notebook is executed headless to build
the website (``LIB_BOARD=final``), every figure on the grid is drawn in advance
and the slider is linked to them in the browser (`jslink` to a `Stack`, which
needs ipywidgets 8), so the slider still works on a static page with no kernel.

ipywidgets is imported only when a slider is made, so `import lib` needs no
notebook packages.
"""
import gc
import io
import numbers
import time
from typing import Any, Callable, Dict, List, Optional, Sequence

from matplotlib.figure import Figure

from .board import live_updates_wanted
from .checks import check_int_in_range
from .utils import seeded_fork


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
    """A slider over `values`; each value is shown as the figure `draw(value)`.

    `pngs` maps the index of each value drawn so far to its PNG bytes.
    """

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
        if png_colors is not None:
            check_int_in_range("png_colors", png_colors, 2, 256)
        if precompute is None:
            precompute = not live_updates_wanted()
        self.draw = draw
        self.values = values
        self.precompute = precompute
        # None: full-colour PNGs; else a palette (see figure_png). Live figures are never
        # stored in the notebook, so they skip the costly palette.
        self.png_colors = png_colors if precompute else None
        self.seconds: List[float] = []  # how long each drawn figure took
        self.pngs: Dict[int, bytes] = {}
        self.slider = widgets.SelectionSlider(
            options=[(format_value(v), v) for v in values], value=value,
            description=description, continuous_update=False,
            style={"description_width": "initial"}, layout=widgets.Layout(width="460px"))
        self.widget = widgets.VBox([self.slider, self._precomputed_view(widgets) if precompute
                                    else self._live_view(widgets)])

    def _live_view(self, widgets):
        """One image, redrawn by the kernel whenever the slider moves."""
        self.image = widgets.Image(format="png", value=self.png(self.slider.index))
        self.slider.observe(self._on_index_change, names="index")
        return self.image

    def _precomputed_view(self, widgets):
        """Every figure drawn now, switched by the browser alone (needs ipywidgets 8's Stack)."""
        if not hasattr(widgets, "Stack"):
            raise RuntimeError(f"precomputed sliders need ipywidgets >= 8 (widgets.Stack); "
                               f"this is ipywidgets {widgets.__version__}")
        self.images = [widgets.Image(format="png", value=self.png(index, strict=True))
                       for index in range(len(self.values))]
        stack = widgets.Stack(self.images, selected_index=self.slider.index)
        widgets.jslink((self.slider, "index"), (stack, "selected_index"))
        return stack

    @property
    def value(self):
        return self.slider.value

    @value.setter
    def value(self, new_value) -> None:
        if not is_one_of(new_value, self.values):
            raise ValueError(f"value must be one of {self.values}, got {new_value!r}")
        self.slider.value = new_value

    def _on_index_change(self, change) -> None:
        self.image.value = self.png(change["new"])

    def png(self, index: int, strict: bool = False) -> bytes:
        """The PNG of values[index], drawn now unless it was drawn before.

        A figure that fails to draw raises when `strict`; otherwise the image says
        what went wrong, and the slider stays usable.
        """
        if index not in self.pngs:
            start = time.perf_counter()
            try:
                figure = self.draw(self.values[index])
            except Exception as error:
                if strict:
                    raise RuntimeError(f"the slider's figure for {self.values[index]!r} "
                                       f"failed to draw: {error}") from error
                figure = message_figure(f"Could not draw {self.values[index]!r}:\n{error}")
            self.pngs[index] = figure_png(figure, self.png_colors)
            del figure
            # A matplotlib figure is full of reference cycles. Collecting the young
            # generations now frees them while they are young and cheap to scan; left
            # to age, they would trigger Python's full collection, a pause of about
            # 0.1 s that a reader feels.
            gc.collect(1)
            self.seconds.append(time.perf_counter() - start)
        return self.pngs[index]

    def _repr_mimebundle_(self, **kwargs):
        if hasattr(self.widget, "_repr_mimebundle_"):
            return self.widget._repr_mimebundle_(**kwargs)
        # ipywidgets 7 displays a widget through _ipython_display_ instead; the bundle is this:
        return {"text/plain": repr(self.widget),
                "application/vnd.jupyter.widget-view+json": {
                    "version_major": 2, "version_minor": 0, "model_id": self.widget.model_id}}


def slider_of_figures(values: Sequence, value, description: str,
                      check_value: Callable[[Any], Any], figure_for: Callable[[Any], Figure],
                      seed: Optional[int] = None, **slider_options) -> FigureSlider:
    """A FigureSlider showing `figure_for(v)` for each of `values`, each checked by `check_value`.

    With a `seed`, every figure is drawn with the random generators seeded by it,
    so a value always gives the same figure however the slider got there; the
    generators' states outside the slider are left as they were.
    """
    values = value_list(values)
    for candidate in values:
        check_value(candidate)

    def draw(chosen) -> Figure:
        if seed is None:
            return figure_for(chosen)
        with seeded_fork(seed):
            return figure_for(chosen)

    return FigureSlider(draw, values, value, description, **slider_options)
