"""ProgressBoard: how the curves recorded while a model trains are shown.

What is recorded lives in `curves.Curves`; this module draws it and shows it.

Where it shows its figure depends on where the code runs:

* in a live notebook (JupyterLab, Notebook 7, VS Code) one figure is displayed
  and then updated in place through a display handle, at most a few times a
  second, plus once when the cell finishes;
* in a notebook executed headless (nbclient, nbval, jupyter-book), selected by
  the environment variable ``LIB_BOARD=final``, only the final figure is shown,
  once, when the cell finishes, so stored outputs stay stable;
* in a plain Python script nothing is displayed; call ``show()`` or
  ``save(path)`` to get the picture.
"""
import time
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from matplotlib.figure import Figure

from .checks import check_positive_int, check_real
from .curves import Curves, Point
from .images import BASE_DPI, PALETTE_COLORS, SCALE, figure_png, png_metadata
from .kernel import ipython_kernel, live_updates_wanted
from .utils import HyperParameters

MIN_SECONDS_BETWEEN_FRAMES = 0.25


class NotebookFrames:
    """Shows a board's picture in a notebook: one display, updated in place.

    Frames are sent at most every MIN_SECONDS_BETWEEN_FRAMES while points arrive
    (never under LIB_BOARD=final), and once more when the cell ends.
    """

    def __init__(self, bundle: Callable[[bool], Tuple[dict, dict]],
                 has_content: Callable[[], bool]):
        self.bundle = bundle  # bundle(final): the picture as a MIME bundle and its metadata
        self.has_content = has_content  # whether there is anything to show
        self.handle = None
        self.last_frame: Optional[float] = None
        self.shell = None

    def point_added(self) -> None:
        shell = ipython_kernel()
        if shell is None:
            return
        if self.shell is None:
            shell.events.register("post_run_cell", self.cell_ended)
            self.shell = shell
        if not live_updates_wanted():
            return
        now = time.monotonic()
        if self.last_frame is None:
            self.last_frame = now  # the first frame waits one interval
        elif now - self.last_frame >= MIN_SECONDS_BETWEEN_FRAMES:
            self.last_frame = now
            self.send(final=False)

    def send(self, final: bool) -> None:
        from IPython.display import display
        data, metadata = self.bundle(final)
        if self.handle is None:
            self.handle = display(data, raw=True, metadata=metadata, display_id=True)
        else:
            self.handle.update(data, raw=True, metadata=metadata)

    def cell_ended(self, *args) -> None:
        self.finish()

    def finish(self) -> None:
        """Send the final frame (if there is anything to show) and stop following this cell."""
        if self.shell is None:
            return
        self.shell.events.unregister("post_run_cell", self.cell_ended)
        self.shell = None
        if self.has_content():
            self.send(final=True)
        self.handle = None
        self.last_frame = None


CURVE_PREFIXES = {"train_": "training ", "val_": "validation "}


def legend_words(label: str) -> str:
    """A curve's name as the legend says it: 'train_loss' -> 'training loss'."""
    for prefix, words in CURVE_PREFIXES.items():
        if label.startswith(prefix):
            label = words + label[len(prefix):]
    return label.replace("_", " ")


def shared_quantity(curves) -> Optional[str]:
    """The quantity every curve measures ('loss' for train_loss and val_loss), if they share one."""
    quantities = set()
    for label in curves:
        prefix = next((p for p in CURVE_PREFIXES if label.startswith(p)), None)
        if prefix is None:
            return None
        quantities.add(label[len(prefix):].replace("_", " "))
    return quantities.pop() if len(quantities) == 1 else None


class ProgressBoard(HyperParameters):
    """Plot data points as they arrive, one named curve per label.

    `draw(x, y, label, every_n)` averages every `every_n` raw points of a curve
    into one plotted point. Attributes such as `xlabel`, `yscale` or `xlim`
    may be changed at any time; they apply at the next redraw.
    """

    def __init__(self, xlabel: Optional[str] = None, ylabel: Optional[str] = None,
                 xlim=None, ylim=None, xscale: str = "linear", yscale: str = "linear",
                 ls: Sequence[str] = ("-", "--", "-.", ":"),
                 colors: Sequence[str] = ("C0", "C1", "C2", "C3"),
                 fig=None, axes=None, figsize: Tuple[float, float] = (3.5, 2.5),
                 display: bool = True):
        self.save_hyperparameters()
        self.auto_show = True  # False: only record points; the caller draws them
        self.title: Optional[str] = None
        self.record = Curves()
        self.frames = NotebookFrames(self._bundle, lambda: bool(self.points))

    # -- recording --------------------------------------------------------------------
    @property
    def points(self) -> Dict[str, List[Point]]:
        return self.record.points

    @property
    def pending(self) -> Dict[str, List[Point]]:
        return self.record.pending

    def draw(self, x, y, label: str, every_n: int = 1) -> None:
        """Add the point (x, y) to the curve `label`, averaged over `every_n` points."""
        if not self.display:
            return
        x, y = check_real("x", x), check_real("y", y)
        every_n = check_positive_int("every_n", every_n)
        if not isinstance(label, str):
            raise TypeError(f"label must be a str, got {label!r}")
        self.record.add(x, y, label, every_n)
        if self.auto_show:
            self.frames.point_added()

    def curves(self) -> Dict[str, List[Point]]:
        """Every curve's plotted points, including a partly filled last average."""
        return self.record.curves()

    def clear(self) -> None:
        """Forget all curves (the next figure starts empty)."""
        self.record.clear()

    def begin_run(self) -> None:
        """Get ready for another training run: later points start new groups; no stale title."""
        self.record.close_groups()
        self.title = None

    # -- drawing ------------------------------------------------------------------------
    def plot_on(self, axes) -> None:
        """Draw the current curves, labels and scales on a matplotlib `axes`."""
        axes.cla()
        for i, (label, points) in enumerate(self.curves().items()):
            xs, ys = zip(*points) if points else ((), ())
            # The color shifts by one after each full cycle, so curve 4 does not repeat curve 0;
            # a lone point gets a marker because a line through one point is invisible.
            axes.plot(xs, ys, linestyle=self.ls[i % len(self.ls)],
                      color=self.colors[(i + i // len(self.colors)) % len(self.colors)],
                      marker="o" if len(points) == 1 else None, label=legend_words(label))
        axes.set_xlabel(self.xlabel or "")
        axes.set_ylabel(self.ylabel or shared_quantity(self.points) or "")
        axes.set_xscale(self.xscale)
        axes.set_yscale(self.yscale)
        if self.xlim:
            axes.set_xlim(self.xlim)
        if self.ylim:
            axes.set_ylim(self.ylim)
        if self.title:
            axes.set_title(self.title, fontsize="small")
        if self.points:
            axes.legend()

    def figure(self) -> Figure:
        """A matplotlib Figure of the current state (reused between calls)."""
        if self.axes is None:
            self.fig = Figure(figsize=self.figsize)
            self.axes = self.fig.add_subplot()
            self.fig.set_layout_engine("tight")
        self.plot_on(self.axes)
        return self.axes.figure

    def png(self, colors: Optional[int] = PALETTE_COLORS) -> bytes:
        """The current figure as a sharp PNG (lib.images), full color if `colors` is None."""
        return figure_png(self.figure(), colors)

    def summary(self) -> str:
        """One line naming each curve and its last plotted value."""
        title = f" ({self.title})" if self.title else ""
        return f"ProgressBoard: {self.record.describe()}{title}"

    def __repr__(self) -> str:
        return f"<{self.summary()}>"

    # -- showing -------------------------------------------------------------------------
    def _bundle(self, final: bool = True) -> Tuple[dict, dict]:
        """The figure as a MIME bundle plus its metadata; frames before the final one
        skip the palette, which costs more time than it saves bytes while training."""
        png = self.png() if final else self.png(colors=None)
        return ({"image/png": png, "text/plain": self.summary()},
                {"image/png": png_metadata(png)})

    def flush(self) -> None:
        """Show the final figure of this cell (notebooks only) and stop updating it."""
        self.frames.finish()

    def show(self) -> None:
        """Show the figure: inline in a notebook, in a window from a script."""
        if ipython_kernel() is not None:
            from IPython.display import display
            data, metadata = self._bundle()
            display(data, raw=True, metadata=metadata)
            return
        import matplotlib.pyplot as plt
        fig = plt.figure(figsize=self.figsize)
        self.plot_on(fig.add_subplot())
        fig.tight_layout()
        plt.show()

    def save(self, path: str) -> None:
        """Write the figure to `path` (the format follows the file extension)."""
        self.figure().savefig(path, dpi=SCALE * BASE_DPI)
