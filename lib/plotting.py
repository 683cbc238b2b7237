"""A one-call line plot in the style of the original book's `d2l.plot`."""
from typing import Optional, Sequence, Tuple

import numpy as np


# The size `plot` gives a new figure unless told otherwise; `set_figsize` changes it.
_figsize: Tuple[float, float] = (3.5, 2.5)


def set_figsize(figsize: Tuple[float, float] = (3.5, 2.5)) -> None:
    """Set the figure size for the plots that follow (`plot` and matplotlib's own)."""
    global _figsize
    import matplotlib.pyplot as plt
    _figsize = tuple(figsize)
    plt.rcParams["figure.figsize"] = figsize


def _as_list_of_series(values):
    """Accept one series or a list of series; return a list of series."""
    if hasattr(values, "ndim") and values.ndim == 1:
        return [values]
    if isinstance(values, (list, tuple)) and values and not hasattr(values[0], "__len__"):
        return [values]
    return list(values)


def plot(X, Y=None, xlabel: Optional[str] = None, ylabel: Optional[str] = None,
         legend: Sequence[str] = (), xlim=None, ylim=None, xscale: str = "linear",
         yscale: str = "linear", fmts: Sequence[str] = ("-", "m--", "g-.", "r:"),
         figsize: Optional[Tuple[float, float]] = None, axes=None):
    """Plot one or more curves; `Y` may be a list of series sharing the x-values `X`.

    Without `figsize` a new figure takes the size last given to `set_figsize`
    (3.5 x 2.5 inches until then). Returns the matplotlib axes so a caller can add to the figure.
    """
    import matplotlib.pyplot as plt
    if Y is None:
        X, Y = [np.arange(len(series)) for series in _as_list_of_series(X)], X
    X, Y = _as_list_of_series(X), _as_list_of_series(Y)
    if len(X) == 1:
        X = X * len(Y)
    if axes is None:
        axes = plt.figure(figsize=figsize or _figsize).add_subplot()
    for i, (x, y) in enumerate(zip(X, Y)):
        axes.plot(x, y, fmts[i % len(fmts)])
    axes.set_xlabel(xlabel or "")
    axes.set_ylabel(ylabel or "")
    axes.set_xscale(xscale)
    axes.set_yscale(yscale)
    if xlim:
        axes.set_xlim(xlim)
    if ylim:
        axes.set_ylim(ylim)
    if legend:
        axes.legend(legend)
    axes.grid(True)
    return axes
