"""The slider widget: a grid of values, each shown as a figure.

A `FigureSlider` offers a grid of values; `draw(value)` makes the figure for a
value. In a live kernel one image is shown, and moving the slider puts the new
value's figure into it; this works with ipywidgets 7.7 (Colab) and 8. The
figure of the starting value is drawn before the slider is shown. The others are
drawn after the cell has run, one figure per turn of the kernel's event loop,
nearest values first: the kernel is free again as soon as the cell ends (the next
cell or a move waits for at most the figure being drawn), and once all are drawn
every move answers at once instead of training a model while the reader waits.

When the notebook is executed headless to build the website
(``LIB_BOARD=final``), every figure on the grid is drawn in advance and the
slider is linked to them in the browser (`jslink` to a `Stack`, which needs
ipywidgets 8), so the slider still works on a static page with no kernel.

ipywidgets is imported only when a slider is made, so `import lib` needs no
notebook packages.
"""
import asyncio
import gc
import numbers
import time
from typing import Any, Callable, Dict, List, Optional, Sequence

from matplotlib.figure import Figure

from ..checks import check_int_in_range
from ..utils import seeded_fork
from .images import PALETTE_COLORS, display_size, figure_png
from .kernel import ipython_kernel, live_updates_wanted


PAUSE_BETWEEN_FIGURES = 0.1  # seconds the kernel's loop gets before each figure drawn later


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


def image_size(png: bytes) -> Dict[str, str]:
    """An ipywidgets Image's width and height for showing `png` (sharp: see lib.notebook.images)."""
    width, height = display_size(png)
    return {"width": str(width), "height": str(height)}


def image_widget(widgets, png: bytes):
    """An ipywidgets Image showing `png` at its display size."""
    return widgets.Image(format="png", value=png, **image_size(png))


class FigureSlider:
    """A slider over `values`; each value is shown as the figure `draw(value)`.

    `pngs` maps the index of each value drawn so far to its PNG bytes.
    """

    def __init__(self, draw: Callable[[Any], Figure], values: Sequence, value,
                 description: str, format_value: Callable[[Any], str] = "{:g}".format,
                 precompute: Optional[bool] = None,
                 png_colors: Optional[int] = PALETTE_COLORS):
        import ipywidgets as widgets
        if not callable(draw):
            raise TypeError(f"draw must be a function that returns a Figure, got {draw!r}")
        values = value_list(values)
        if not values:
            raise ValueError("values must hold at least one value")
        if not is_one_of(value, values):
            raise ValueError(f"value must be one of values {values}, got {value!r}")
        if png_colors is not None:  # None: full color
            check_int_in_range("png_colors", png_colors, 2, 256)
        if precompute is None:
            precompute = not live_updates_wanted()
        self.draw = draw
        self.values = values
        self.precompute = precompute
        self.png_colors = png_colors
        self.seconds: List[float] = []  # how long each drawn figure took
        self.pngs: Dict[int, bytes] = {}
        self.slider = widgets.SelectionSlider(
            options=[(format_value(v), v) for v in values], value=value,
            description=description, continuous_update=False,
            style={"description_width": "initial"}, layout=widgets.Layout(width="460px"))
        self.widget = widgets.VBox([self.slider, self._precomputed_view(widgets) if precompute
                                    else self._live_view(widgets)])

    def _live_view(self, widgets):
        """One image, whose figure the kernel swaps whenever the slider moves."""
        self.image = image_widget(widgets, self.png(self.slider.index))
        self.slider.observe(self._on_index_change, names="index")
        shell = ipython_kernel()
        if shell is not None:
            self._draw_the_rest_later(shell)
        return self.image

    def _draw_the_rest_later(self, shell) -> None:
        """Draw the other figures once the cell has ended, one per turn of the kernel's
        event loop, so that the kernel answers the next cell or move in between."""
        try:
            loop = asyncio.get_running_loop()  # the kernel's: it runs again after the cell
        except RuntimeError:  # a kernel without a running loop: all of them after the cell
            def draw_the_rest(*args) -> None:
                shell.events.unregister("post_run_cell", draw_the_rest)
                self.draw_all()
            shell.events.register("post_run_cell", draw_the_rest)
            return
        start = self.slider.index
        waiting = sorted(range(len(self.values)), key=lambda index: abs(index - start))

        def draw_next() -> None:
            while waiting and waiting[0] in self.pngs:
                waiting.pop(0)
            if waiting:
                self.png(waiting.pop(0))
                # A pause, not call_soon: a chain of call_soon callbacks keeps the kernel
                # from reading the next request for several figures (ipykernel 7).
                loop.call_later(PAUSE_BETWEEN_FIGURES, draw_next)

        # The first one waits too, so that a cell sent right after this one runs first.
        loop.call_later(PAUSE_BETWEEN_FIGURES, draw_next)

    def _precomputed_view(self, widgets):
        """Every figure drawn now, switched by the browser alone (needs ipywidgets 8's Stack)."""
        if not hasattr(widgets, "Stack"):
            raise RuntimeError(f"precomputed sliders need ipywidgets >= 8 (widgets.Stack); "
                               f"this is ipywidgets {widgets.__version__}")
        self.images = [image_widget(widgets, self.png(index, strict=True))
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
        png = self.png(change["new"])
        size = image_size(png)
        self.image.width, self.image.height = size["width"], size["height"]
        self.image.value = png

    def draw_all(self) -> None:
        """Draw every value's figure not drawn yet (a failing one shows its error)."""
        for index in range(len(self.values)):
            self.png(index)

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
