"""Tests for lib/notebook/widgets.py (FigureSlider, slider_of_figures) and lib/notebook/slider_figures.py."""
import io
import random

import numpy as np
import pytest
import torch
from matplotlib.figure import Figure
from PIL import Image

import lib as d2l
from lib.notebook.slider_figures import loss_curves_figure
from lib.notebook.widgets import PAUSE_BETWEEN_FIGURES, FigureSlider, slider_of_figures
from lib.runs import fit_quietly

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
VALUES = [1, 2, 3]


class CountingDraw:
    """A draw function that remembers which values it was asked for."""

    def __init__(self, fail_at=None):
        self.calls = []
        self.fail_at = fail_at

    def __call__(self, value) -> Figure:
        self.calls.append(value)
        if value == self.fail_at:
            raise RuntimeError(f"no figure for {value}")
        figure = Figure(figsize=(1, 1))
        figure.add_subplot().plot([0, 1], [0, value])
        return figure


def image_bytes(slider):
    """The PNG drawn for each value so far (b"" where none is drawn yet)."""
    return [slider.pngs.get(index, b"") for index in range(len(slider.values))]


def test_precompute_draws_every_value_once_into_a_stack():
    draw = CountingDraw()
    slider = FigureSlider(draw, VALUES, 2, "n", precompute=True)
    assert sorted(draw.calls) == VALUES
    assert all(png.startswith(PNG_SIGNATURE) for png in image_bytes(slider))
    assert len(set(image_bytes(slider))) == len(VALUES)
    assert [bytes(image.value) for image in slider.images] == image_bytes(slider)
    slider.value = 3
    assert len(draw.calls) == len(VALUES)  # nothing is redrawn on change


def test_live_mode_shows_one_image_that_follows_the_slider():
    slider = FigureSlider(CountingDraw(), VALUES, 2, "n", precompute=False)
    view = slider.widget.children[1]
    assert view is slider.image and type(view).__name__ == "Image"
    assert bytes(view.value) == image_bytes(slider)[1]
    slider.value = 3
    assert bytes(view.value) == image_bytes(slider)[2] != image_bytes(slider)[1]


def test_live_mode_draws_only_what_is_shown_and_remembers_it():
    draw = CountingDraw()
    slider = FigureSlider(draw, VALUES, 2, "n", precompute=False)
    assert draw.calls == [2]
    assert image_bytes(slider)[0] == b"" and image_bytes(slider)[2] == b""
    slider.value = 3
    assert draw.calls == [2, 3]
    assert image_bytes(slider)[2].startswith(PNG_SIGNATURE)
    slider.value = 2
    assert draw.calls == [2, 3]  # the figure for 2 is reused
    assert len(slider.seconds) == 2


def test_in_a_kernel_the_other_figures_are_drawn_right_after_the_cell(monkeypatch, fake_shell):
    shell = fake_shell
    monkeypatch.setattr("lib.notebook.widgets.ipython_kernel", lambda: shell)
    draw = CountingDraw()
    slider = FigureSlider(draw, VALUES, 2, "n", precompute=False)
    assert draw.calls == [2]  # shown at once
    shell.events.trigger("post_run_cell", None)  # the cell that made the slider has ended
    assert sorted(draw.calls) == VALUES and all(image_bytes(slider))
    shell.events.trigger("post_run_cell", None)  # only once
    slider.value = 3  # answers without drawing
    assert sorted(draw.calls) == VALUES
    assert bytes(slider.image.value) == image_bytes(slider)[2]


def test_in_a_kernel_with_an_event_loop_the_cell_ends_at_once_and_the_rest_follow(
        monkeypatch, fake_shell):
    """The kernel runs each cell inside its asyncio loop: the slider's cell draws one figure,
    and the others are drawn afterwards, nearest value first, each after a pause in which the
    kernel can answer the next cell or a move."""
    import asyncio
    monkeypatch.setattr("lib.notebook.widgets.ipython_kernel", lambda: fake_shell)
    draw = CountingDraw()
    values = [1, 2, 3, 4, 5]
    seen_after_the_cell = []

    async def kernel():
        slider = FigureSlider(draw, values, 2, "n", precompute=False)  # the cell
        seen_after_the_cell.append(list(draw.calls))
        await asyncio.sleep(0)  # one turn of the loop: no figure yet, a next cell runs first
        seen_after_the_cell.append(list(draw.calls))
        await asyncio.sleep(1.5 * PAUSE_BETWEEN_FIGURES)  # one pause: one more figure
        seen_after_the_cell.append(list(draw.calls))
        for _ in range(100):
            await asyncio.sleep(0.02)
            if len(draw.calls) == len(values):
                break
        return slider

    slider = asyncio.run(kernel())
    assert seen_after_the_cell == [[2], [2], [2, 1]]
    assert draw.calls == [2, 1, 3, 4, 5]  # nearest first, each once
    assert all(image_bytes(slider))
    slider.value = 5
    assert draw.calls == [2, 1, 3, 4, 5]


def test_the_image_is_shown_at_half_its_pixel_size():
    slider = FigureSlider(CountingDraw(), VALUES, 2, "n", precompute=False)
    pixel_width, pixel_height = Image.open(io.BytesIO(bytes(slider.image.value))).size
    assert (slider.image.width, slider.image.height) == (str(pixel_width // 2),
                                                         str(pixel_height // 2)) == ("100", "100")
    precomputed = FigureSlider(CountingDraw(), VALUES, 2, "n", precompute=True)
    assert all(image.width == "100" for image in precomputed.images)


@pytest.mark.parametrize("board_mode, drawn", [("final", VALUES), ("live", [1])])
def test_the_mode_follows_lib_board(monkeypatch, board_mode, drawn):
    monkeypatch.setenv("LIB_BOARD", board_mode)
    draw = CountingDraw()
    FigureSlider(draw, VALUES, 1, "n")
    assert sorted(draw.calls) == drawn


def test_a_failing_draw_shows_a_message_and_the_slider_keeps_working():
    draw = CountingDraw(fail_at=2)
    slider = FigureSlider(draw, VALUES, 1, "n", precompute=False)
    slider.value = 2
    message = image_bytes(slider)[1]
    assert message.startswith(PNG_SIGNATURE)
    slider.value = 3
    assert draw.calls == [1, 2, 3] and slider.value == 3
    assert image_bytes(slider)[2].startswith(PNG_SIGNATURE) and image_bytes(slider)[2] != message


def test_a_figure_that_fails_to_draw_while_precomputing_fails_the_cell():
    with pytest.raises(RuntimeError, match="figure for 1 failed to draw: no figure for 1"):
        FigureSlider(CountingDraw(fail_at=1), VALUES, 2, "n", precompute=True)


def draw_from_every_generator():
    return random.random(), float(np.random.rand()), float(torch.rand(1))


def test_a_seeded_slider_leaves_the_random_state_as_it_found_it():
    def noisy_figure(value):
        torch.randn(100)
        np.random.rand(100)
        random.random()
        return CountingDraw()(value)

    d2l.set_seed(123)
    expected = draw_from_every_generator()
    d2l.set_seed(123)
    slider = slider_of_figures(VALUES, 1, "n", lambda value: None, noisy_figure, seed=0,
                               precompute=True)
    slider.value = 2
    assert draw_from_every_generator() == expected


def test_labels_use_the_format_and_the_widget_displays():
    slider = FigureSlider(CountingDraw(), [0.5, 0.25], 0.5, "rate", format_value="{:.2f}".format,
                          precompute=False)
    slider.value = 0.25
    assert slider.slider.label == "0.25"
    slider.value = 0.5
    assert slider.slider.label == "0.50"
    assert slider.slider.description == "rate"
    assert "application/vnd.jupyter.widget-view+json" in slider._repr_mimebundle_()


@pytest.mark.parametrize("values, value, words", [
    ([], 1, "values must hold at least one value"),
    (VALUES, 4, r"value must be one of values \[1, 2, 3\], got 4"),
])
def test_bad_construction_is_refused(values, value, words):
    with pytest.raises(ValueError, match=words):
        FigureSlider(CountingDraw(), values, value, "n", precompute=False)


def test_setting_a_value_off_the_grid_is_refused_and_changes_nothing():
    draw = CountingDraw()
    slider = FigureSlider(draw, VALUES, 1, "n", precompute=False)
    with pytest.raises(ValueError, match=r"value must be one of \[1, 2, 3\], got 2.5"):
        slider.value = 2.5
    assert slider.value == 1 and draw.calls == [1]


# -- fit_quietly and loss_curves_figure ----------------------------------------------------------
@pytest.fixture(scope="module")
def data():
    d2l.set_seed(0)
    return d2l.SyntheticRegressionData(w=torch.tensor([2.0, -3.4]), b=4.2, num_train=200,
                                       num_val=100)


def test_fit_quietly_trains_without_printing_even_when_diverging(data, capsys, caplog):
    good = fit_quietly(d2l.LinearRegressionScratch(2, lr=0.03), data, max_epochs=2)
    bad_model = d2l.LinearRegressionScratch(2, lr=1000.0)
    bad = fit_quietly(bad_model, data, max_epochs=2)
    assert capsys.readouterr() == ("", "") and caplog.records == []
    assert good.diverged is None and f"diverged in epoch {bad.epoch + 1}" in bad.diverged
    assert bad_model.board.auto_show is False


def test_loss_curves_figure_shows_the_curves_and_the_caption(data):
    model = d2l.LinearRegressionScratch(2, lr=0.03)
    trainer = fit_quietly(model, data, max_epochs=2)
    axes = loss_curves_figure(model, trainer, caption="lr = 0.03").axes[0]
    assert axes.get_title() == "lr = 0.03"
    assert [line.get_label() for line in axes.lines] == ["training loss", "validation loss"]


def test_loss_curves_figure_says_a_run_diverged(data):
    model = d2l.LinearRegressionScratch(2, lr=1000.0)
    trainer = fit_quietly(model, data, max_epochs=2)
    axes = loss_curves_figure(model, trainer, caption="lr = 1000").axes[0]
    assert axes.get_title().startswith(f"diverged in epoch {trainer.epoch + 1}, the loss overflowed")
    assert axes.get_yscale() == "log"
