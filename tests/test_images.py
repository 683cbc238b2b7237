"""lib/notebook/images.py: figures as PNGs that are sharp on high-density screens and small."""
import base64
import io
from pathlib import Path

import numpy as np
import pytest
from matplotlib.figure import Figure
from PIL import Image

from lib.notebook.figure_lint import curves_told_apart_by_color_only
from lib.notebook.images import SCALE, display_size, figure_png, png_metadata, use_sharp_figures

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def figure() -> Figure:
    """A figure like the book's: curves with markers, a band, a legend and math in the title."""
    figure = Figure(figsize=(4.5, 2.8))
    axes = figure.add_subplot()
    x = np.linspace(-3, 3, 200)
    for shift, style in enumerate(["-", "--", "-.", ":"]):
        axes.plot(x, np.sin(x + shift), style, marker="o" if shift == 1 else None, markevery=20,
                  label=f"curve {shift}")
    axes.fill_between(x, np.sin(x) - 0.3, np.sin(x) + 0.3, alpha=0.2)
    axes.legend()
    axes.set_title(r"$\lambda = 3$")
    return figure


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)


def test_a_figure_gets_two_pixels_per_css_pixel(figure):
    png = figure_png(figure)
    assert png.startswith(PNG_SIGNATURE)
    assert Image.open(io.BytesIO(png)).size == (450 * SCALE, 280 * SCALE)
    assert display_size(png) == (450, 280)
    assert png_metadata(png) == {"width": 450, "height": 280}


def test_the_palette_looks_the_same_and_weighs_a_third(figure):
    full, palette = figure_png(figure, colors=None), figure_png(figure)
    assert Image.open(io.BytesIO(palette)).mode == "P"
    assert Image.open(io.BytesIO(full)).mode == "RGBA"
    difference = np.abs(pixels(full) - pixels(palette)).max(axis=2)
    # Out of 255: most pixels are exact; the largest changes are at antialiased edges.
    assert difference.mean() < 2 and np.percentile(difference, 99) < 10 and difference.max() < 40
    assert len(palette) < len(full) / 2.5


def test_a_smaller_palette_is_smaller_still(figure):
    image = Image.open(io.BytesIO(figure_png(figure, colors=64)))
    assert image.mode == "P" and len(image.getcolors()) <= 64


def test_tight_crops_to_what_is_drawn():
    figure = Figure(figsize=(4, 3))
    figure.add_subplot().plot([0, 1])
    width, height = display_size(figure_png(figure, tight=True))
    assert width < 400 and height < 300


@pytest.mark.parametrize("colors, message", [(1, r"colors must be an int in \[2, 256\]"),
                                             (257, r"colors must be an int in \[2, 256\]"),
                                             (2.5, "colors must be an int, got 2.5")])
def test_palette_size_out_of_range_is_refused(figure, colors, message):
    with pytest.raises((ValueError, TypeError), match=message):
        figure_png(figure, colors=colors)


def test_a_png_without_density_shows_pixel_for_pixel():
    figure = Figure(figsize=(2, 1))
    buffer = io.BytesIO()
    Image.new("RGB", (120, 60)).save(buffer, format="png")
    assert display_size(buffer.getvalue()) == (120, 60)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100)
    assert display_size(buffer.getvalue()) == (200, 100)


def test_display_size_refuses_what_is_not_a_png():
    with pytest.raises(ValueError, match="png must be the bytes of a PNG"):
        display_size(b"GIF89a")


def test_outside_a_kernel_nothing_is_changed():
    assert use_sharp_figures() is False


@pytest.mark.slow
def test_a_kernel_shows_matplotlib_figures_sharp(tmp_path):
    """`import lib` in a kernel: pyplot's figures come out at 2x with their display size."""
    import nbformat
    from nbclient import NotebookClient
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(
        "import lib\nimport matplotlib.pyplot as plt\n"
        "plt.figure(figsize=(4, 3)); plt.plot([0, 1]);")]
    root = str(Path(__file__).resolve().parent.parent)
    NotebookClient(notebook, timeout=120, resources={"metadata": {"path": root}}).execute()
    [output] = [output for output in notebook.cells[0].outputs if "image/png" in output.data]
    png = base64.b64decode(output.data["image/png"])
    assert Image.open(io.BytesIO(png)).mode == "P"
    width, height = display_size(png)
    assert output.metadata["image/png"] == {"width": width, "height": height}
    pixel_width, pixel_height = Image.open(io.BytesIO(png)).size
    assert abs(pixel_width - width * SCALE) <= 1 and abs(pixel_height - height * SCALE) <= 1


def two_curves(first: dict, second: dict) -> Figure:
    figure = Figure()
    axes = figure.add_subplot()
    axes.plot([0, 1], [0, 1], label="training loss", **first)
    axes.plot([0, 1], [1, 0], label="validation loss", **second)
    axes.axhline(0.5, color="gray")  # an unlabelled guide is not a curve
    return figure


@pytest.mark.parametrize("first, second, alike", [
    ({}, {}, True),  # colors C0 and C1 only
    ({"linestyle": "--"}, {"linestyle": "--", "color": "red"}, True),
    ({}, {"linestyle": "--"}, False),
    ({"marker": "o"}, {"marker": "s"}, False),
    ({"color": "k"}, {"color": "k"}, False),  # the same look and color: one curve's look
])
def test_curves_that_differ_by_color_alone_are_found(first, second, alike):
    found = curves_told_apart_by_color_only(two_curves(first, second))
    assert found == ([["training loss", "validation loss"]] if alike else [])


def test_the_book_refuses_such_a_figure(monkeypatch):
    monkeypatch.setenv("LIB_CHECK_FIGURES", "1")
    with pytest.raises(ValueError, match=r"differ only by color: give each its own line style"):
        figure_png(two_curves({}, {}))
    figure_png(two_curves({}, {"linestyle": "--"}))
    monkeypatch.setenv("LIB_CHECK_FIGURES", "0")
    figure_png(two_curves({}, {}))  # a reader's own figure is theirs
