"""ProgressBoard: a figure of named curves that grows while a model trains.

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
import io
import math
import os
import time
from typing import Dict, List, Optional, Sequence, Tuple

from matplotlib.figure import Figure

from .checks import check_positive_int, check_real
from .utils import HyperParameters

MIN_SECONDS_BETWEEN_FRAMES = 0.25


def _ipython_kernel():
    """The running IPython kernel shell, or None outside a notebook kernel."""
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    shell = get_ipython()
    if shell is None or not hasattr(shell, "kernel"):
        return None
    return shell


def live_updates_wanted() -> bool:
    """Whether a notebook reader may be watching (False under LIB_BOARD=final)."""
    return os.environ.get("LIB_BOARD", "live") != "final"


def _format_number(value: float) -> str:
    return f"{value:.4g}"


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
        self.auto_show = True  # False: only collect points; the caller draws them
        self.title: Optional[str] = None
        self.points: Dict[str, List[Tuple[float, float]]] = {}
        self.pending: Dict[str, List[Tuple[float, float]]] = {}
        self._handle = None
        self._last_frame = None
        self._hooked_shell = None

    # -- collecting data ---------------------------------------------------
    def draw(self, x, y, label: str, every_n: int = 1) -> None:
        """Add the point (x, y) to the curve `label`, averaged over `every_n` points."""
        if not self.display:
            return
        x, y = check_real("x", x), check_real("y", y)
        every_n = check_positive_int("every_n", every_n)
        if not isinstance(label, str):
            raise TypeError(f"label must be a str, got {label!r}")
        if not (math.isfinite(x) and math.isfinite(y)):
            return  # a diverged loss is reported by the trainer, never plotted
        bucket = self.pending.setdefault(label, [])
        self.points.setdefault(label, [])
        bucket.append((x, y))
        if len(bucket) >= every_n:
            self.points[label].append(_mean_point(bucket))
            bucket.clear()
        self._maybe_show_frame()

    def curves(self) -> Dict[str, List[Tuple[float, float]]]:
        """Every curve's plotted points, including a partly filled last average."""
        curves = {}
        for label, points in self.points.items():
            pending = self.pending.get(label)
            curves[label] = points + ([_mean_point(pending)] if pending else [])
        return curves

    def clear(self) -> None:
        """Forget all curves (the next figure starts empty)."""
        self.points.clear()
        self.pending.clear()

    # -- drawing -------------------------------------------------------------
    def plot_on(self, axes) -> None:
        """Draw the current curves, labels and scales on a matplotlib `axes`."""
        axes.cla()
        for i, (label, points) in enumerate(self.curves().items()):
            xs, ys = zip(*points) if points else ((), ())
            # The colour shifts by one after each full cycle, so curve 4 does not repeat curve 0;
            # a lone point gets a marker because a line through one point is invisible.
            axes.plot(xs, ys, linestyle=self.ls[i % len(self.ls)],
                      color=self.colors[(i + i // len(self.colors)) % len(self.colors)],
                      marker="o" if len(points) == 1 else None, label=label)
        if self.xlabel:
            axes.set_xlabel(self.xlabel)
        if self.ylabel:
            axes.set_ylabel(self.ylabel)
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

    def png(self) -> bytes:
        """The current figure as PNG bytes."""
        buffer = io.BytesIO()
        self.figure().savefig(buffer, format="png", dpi=100)
        return buffer.getvalue()

    def summary(self) -> str:
        """One line naming each curve and its last plotted value."""
        parts = []
        for label, points in self.curves().items():
            if points:
                x, y = points[-1]
                parts.append(f"{label}={_format_number(y)} at x={_format_number(x)}")
        text = "; ".join(parts) if parts else "no points yet"
        if self.title:
            text += f" ({self.title})"
        return f"ProgressBoard: {text}"

    def __repr__(self) -> str:
        return f"<{self.summary()}>"

    # -- showing ----------------------------------------------------------------
    def _bundle(self) -> dict:
        return {"image/png": self.png(), "text/plain": self.summary()}

    def _maybe_show_frame(self) -> None:
        """In a live notebook, redraw at most once every MIN_SECONDS_BETWEEN_FRAMES."""
        shell = _ipython_kernel() if self.auto_show else None
        if shell is None:
            return
        self._finish_when_cell_ends(shell)
        if not live_updates_wanted():
            return
        now = time.monotonic()
        if self._last_frame is None:
            self._last_frame = now  # the first frame waits one interval
            return
        if now - self._last_frame < MIN_SECONDS_BETWEEN_FRAMES:
            return
        self._last_frame = now
        self._show_in_notebook()

    def _show_in_notebook(self) -> None:
        from IPython.display import display
        if self._handle is None:
            self._handle = display(self._bundle(), raw=True, display_id=True)
        else:
            self._handle.update(self._bundle(), raw=True)

    def _finish_when_cell_ends(self, shell) -> None:
        if self._hooked_shell is None:
            shell.events.register("post_run_cell", self._on_cell_end)
            self._hooked_shell = shell

    def _on_cell_end(self, *args) -> None:
        self.flush()

    def flush(self) -> None:
        """Show the final figure of this cell (notebooks only) and stop updating it."""
        shell = self._hooked_shell
        if shell is None:
            return
        shell.events.unregister("post_run_cell", self._on_cell_end)
        self._hooked_shell = None
        if self.points:
            self._show_in_notebook()
        self._handle = None
        self._last_frame = None

    def show(self) -> None:
        """Show the figure: inline in a notebook, in a window from a script."""
        if _ipython_kernel() is not None:
            from IPython.display import display
            display(self._bundle(), raw=True)
            return
        import matplotlib.pyplot as plt
        fig = plt.figure(figsize=self.figsize)
        self.plot_on(fig.add_subplot())
        fig.tight_layout()
        plt.show()

    def save(self, path: str) -> None:
        """Write the figure to `path` (the format follows the file extension)."""
        self.figure().savefig(path, dpi=100)


def _mean_point(points: List[Tuple[float, float]]) -> Tuple[float, float]:
    xs, ys = zip(*points)
    return sum(xs) / len(xs), sum(ys) / len(ys)
