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
refused: in gray print or to a color-blind reader they would look the same.
"""
import io
import os
from typing import List, Optional, Tuple

from matplotlib.figure import Figure

from .checks import check_int_in_range
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
    from PIL import Image
    buffer.seek(0)
    image = Image.open(buffer).convert("RGB").quantize(colors, method=Image.Quantize.FASTOCTREE)
    buffer = io.BytesIO()
    image.save(buffer, format="png", optimize=True, dpi=(SCALE * BASE_DPI,) * 2)
    return buffer.getvalue()


def curves_told_apart_by_color_only(figure: Figure) -> List[List[str]]:
    """Groups of labeled curves in one axes of `figure` that share line style and marker
    but not color (unlabeled lines, such as guides, are not counted)."""
    groups = []
    for axes in figure.axes:
        by_look = {}
        for line in axes.get_lines():
            label = line.get_label()
            if label.startswith("_") or not line.get_visible() or len(line.get_xdata()) < 2:
                continue
            marker = line.get_marker()
            look = (line.get_linestyle(), None if marker in (None, "None", "", " ") else marker)
            by_look.setdefault(look, []).append((label, str(line.get_color())))
        groups += [[label for label, _ in lines] for lines in by_look.values()
                   if len({color for _, color in lines}) > 1]
    return groups


def check_curves_differ_without_color(figure: Figure) -> None:
    """Refuse `figure` if some of its curves differ by color alone (see the module docstring)."""
    groups = curves_told_apart_by_color_only(figure)
    if groups:
        raise ValueError(f"the curves {groups} differ only by color: give each its own line "
                         "style or marker, so that they can be told apart in gray and by "
                         "color-blind readers")


def display_size(png: bytes) -> Tuple[int, int]:
    """(width, height) in CSS pixels at which the PNG `png` is meant to be shown.

    Its pixel size divided by its density over 100 dpi (pixel for pixel without a
    density, as matplotlib's own PNGs at 100 dpi are).
    """
    if not png.startswith(b"\x89PNG\r\n\x1a\n"):
        raise ValueError("png must be the bytes of a PNG image")
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    scale = 1.0
    found = png.find(b"pHYs", 0, 4096)
    if found > 0 and png[found + 12] == 1:  # the unit is pixels per meter
        dpi = int.from_bytes(png[found + 4:found + 8], "big") * 0.0254
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
