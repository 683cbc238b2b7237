"""Figures as PNG images that are sharp on high-density screens and still small.

A figure is drawn at `SCALE` (2) image pixels per CSS pixel, 200 dpi instead of
matplotlib's 100, and shown at half its pixel size, so a phone or a laptop with a
high-density screen gets one image pixel per screen pixel. Its colors are then
reduced to a palette of at most 256: a line plot uses a few dozen colors plus
their antialiased edges, so it looks the same, and the file is about a third of
a full-color PNG of the same size (smaller than a full-color one at 100 dpi).

The PNG records its density (200 dpi), and a notebook output carries its display
width and height as metadata, Jupyter's convention for such figures, which
JupyterLab and the website follow: they show it at the size matplotlib meant.

With the environment variable ``LIB_CHECK_FIGURES=1`` (set when the book is
executed and tested), a figure whose labeled curves differ by color alone is
refused (lib.notebook.figure_lint).
"""
import io
import os
from typing import Optional, Tuple

from matplotlib.figure import Figure
from PIL import Image

from ..checks import check_int_in_range
from .figure_lint import check_curves_differ_without_color
from .kernel import ipython_kernel

SCALE = 2  # image pixels per CSS pixel
BASE_DPI = 100  # matplotlib's dots per inch for one CSS pixel per image pixel
PALETTE_COLORS = 256


def figure_png(figure: Figure, colors: Optional[int] = PALETTE_COLORS,
               tight: bool = False) -> bytes:
    """`figure` as PNG bytes at SCALE x 100 dpi, with a palette of `colors` (None: full color).

    `tight` crops the figure to what is drawn, as Jupyter's inline backend does.
    """
    if colors is not None:
        check_int_in_range("colors", colors, 2, 256)
    if os.environ.get("LIB_CHECK_FIGURES") == "1":
        check_curves_differ_without_color(figure)
    options = {"bbox_inches": "tight"} if tight else {}
    if colors is not None:  # an uncompressed PNG, read back at once: no time spent on zlib
        options["pil_kwargs"] = {"compress_level": 0}
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=SCALE * BASE_DPI,
                   facecolor=figure.get_facecolor(), edgecolor=figure.get_edgecolor(), **options)
    if colors is None:
        return buffer.getvalue()
    buffer.seek(0)
    image = Image.open(buffer).convert("RGB").quantize(colors, method=Image.Quantize.FASTOCTREE)
    buffer = io.BytesIO()
    image.save(buffer, format="png", optimize=True, dpi=(SCALE * BASE_DPI,) * 2)
    return buffer.getvalue()


def display_size(png: bytes) -> Tuple[int, int]:
    """(width, height) in CSS pixels at which the PNG `png` is meant to be shown.

    Its pixel size divided by its density over 100 dpi (pixel for pixel without a
    density, as matplotlib's own PNGs at 100 dpi are).
    """
    try:
        image = Image.open(io.BytesIO(png), formats=["PNG"])
    except Exception as error:  # Pillow's UnidentifiedImageError, or bytes that are no file
        raise ValueError("png must be the bytes of a PNG image") from error
    width, height = image.size
    dpi = image.info.get("dpi", (BASE_DPI,))[0]
    scale = max(1.0, round(dpi) / BASE_DPI)
    return round(width / scale), round(height / scale)


def png_metadata(png: bytes) -> dict:
    """A notebook output's metadata for `png`: the size to show it at."""
    width, height = display_size(png)
    return {"width": width, "height": height}


def _inline_figure(figure: Figure):
    png = figure_png(figure, tight=True)
    return png, png_metadata(png)


def _backend_name() -> str:
    """The backend matplotlib was told to use, without starting one."""
    import matplotlib
    try:
        return matplotlib.get_backend(auto_select=False)
    except TypeError:  # matplotlib before 3.10
        return matplotlib.rcParams._get("backend")


def use_sharp_figures() -> bool:
    """Show the kernel's matplotlib figures as sharp palette PNGs (see the module's docstring).

    Done by `import lib` in a notebook kernel whose matplotlib backend is the inline
    one; returns whether it was done. `%config InlineBackend.figure_formats = ...`
    still chooses otherwise afterwards.
    """
    shell = ipython_kernel()
    if shell is None:
        return False
    if _backend_name() not in ("inline", "module://matplotlib_inline.backend_inline"):
        return False
    # Importing the inline backend sets Jupyter's default formats once; ours go after it.
    import matplotlib_inline.backend_inline  # noqa: F401
    formatters = shell.display_formatter.formatters
    for formatter in formatters.values():
        formatter.pop(Figure, None)
    formatters["image/png"].for_type(Figure, _inline_figure)
    return True
