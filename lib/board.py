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
import sys
from typing import Dict, List, Optional, Sequence, Tuple

from matplotlib.figure import Figure

from .checks import check_positive_int, check_real
from .curves import Curves, Point
from .utils import HyperParameters

DPI = 200  # two image pixels per CSS pixel: sharp on high-density screens


def in_notebook_kernel() -> bool:
    """Whether this code runs in a notebook kernel (a script never imports IPython for it)."""
    if "IPython" not in sys.modules:
        return False
    from .notebook.kernel import ipython_kernel
    return ipython_kernel() is not None


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
        self.frames = None  # the notebook display (lib.notebook.frames), made when needed

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
        if self.auto_show and in_notebook_kernel():
            self.notebook_frames().point_added()

    def notebook_frames(self):
        """The board's display in a notebook, updated in place (lib.notebook.frames)."""
        if self.frames is None:
            from .notebook.frames import NotebookFrames
            self.frames = NotebookFrames(self._bundle, lambda: bool(self.points))
        return self.frames

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

    def png(self, colors: Optional[int] = 256) -> bytes:
        """The current figure as a sharp PNG with a palette of `colors` (lib.notebook.images),
        full color if `colors` is None."""
        from .notebook.images import figure_png
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
        from .notebook.images import png_metadata
        png = self.png() if final else self.png(colors=None)
        return ({"image/png": png, "text/plain": self.summary()},
                {"image/png": png_metadata(png)})

    def flush(self) -> None:
        """Show the final figure of this cell (notebooks only) and stop updating it."""
        if self.frames is not None:
            self.frames.finish()

    def show(self) -> None:
        """Show the figure: inline in a notebook, in a window from a script."""
        if in_notebook_kernel():
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
        self.figure().savefig(path, dpi=DPI)
