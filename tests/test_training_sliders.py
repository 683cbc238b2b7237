"""Tests for lib/notebook/training_sliders.py: the learning-rate and batch-size sliders."""
import pytest
import torch

import lib as d2l
from lib.measures import estimation_errors
from lib.notebook.training_sliders import (BATCH_SIZES, LEARNING_RATES, batch_size_slider,
                                           learning_rate_slider, training_figure)
from lib.runs import train_and_describe, with_batch_size


@pytest.fixture(scope="module")
def data():
    d2l.set_seed(0)
    return d2l.SyntheticRegressionData(w=torch.tensor([2, -3.4]), b=4.2)


def scratch_model(lr):
    return d2l.LinearRegressionScratch(2, lr=lr)


def title(figure) -> str:
    return figure.axes[0].get_title()


def test_errors_are_true_minus_learned_for_the_scratch_model(data):
    model = scratch_model(0.1)
    with torch.no_grad():
        model.w.copy_(torch.tensor([[1.0], [-3.0]]))
        model.b.fill_(4.0)
    w_error, b_error = estimation_errors(model, data)
    assert torch.allclose(w_error, torch.tensor([1.0, -0.4]))
    assert b_error == pytest.approx(0.2, abs=1e-6)


def test_errors_use_get_w_b_for_the_concise_model(data):
    model = d2l.LinearRegression(lr=0.1)
    model(torch.zeros(1, 2))  # the lazy layer gets its weights on the first call
    with torch.no_grad():
        model.net.weight.copy_(torch.tensor([[2.5, -3.0]]))
        model.net.bias.fill_(5.0)
    w_error, b_error = estimation_errors(model, data)
    assert torch.allclose(w_error, torch.tensor([-0.5, -0.4]))
    assert b_error == pytest.approx(-0.8, abs=1e-6)


def test_a_good_rate_is_captioned_with_the_errors_on_a_scale_from_zero(data):
    d2l.set_seed(0)
    figure = training_figure(scratch_model(0.1), data, 3, "lr = 0.1")
    assert "lr = 0.1" in title(figure) and "error in w" in title(figure)
    assert figure.axes[0].get_ylim()[0] == 0


def test_the_smallest_rate_on_the_grid_barely_moves_the_loss(data):
    d2l.set_seed(0)
    outcome = train_and_describe(scratch_model(LEARNING_RATES[0]), data, 3, "lr = 0.001")
    assert not outcome.diverging and outcome.end_loss > 0.5 * outcome.start_loss
    assert outcome.caption.startswith("lr = 0.001: validation loss")


def test_a_loss_that_grows_without_overflowing_is_called_diverging(data):
    d2l.set_seed(0)
    figure = training_figure(scratch_model(2.0), data, 3, "lr = 2")
    assert "diverging" in title(figure) and "error in w" not in title(figure)
    assert figure.axes[0].get_yscale() == "log"  # a growing loss stays visible


def test_an_overflowing_loss_is_said_in_words_not_nan(data):
    d2l.set_seed(0)
    figure = training_figure(scratch_model(3.0), data, 3, "lr = 3")
    caption = title(figure)
    assert "diverged" in caption and "nan" not in caption.lower()
    assert caption.startswith("lr = 3:")  # the reader still sees which rate it was
    assert figure.axes[0].get_yscale() == "log"


def test_the_rate_grid_runs_from_too_small_past_the_scratch_models_limit():
    assert list(LEARNING_RATES) == sorted(LEARNING_RATES)
    assert LEARNING_RATES[0] <= 1e-3 and 0.03 in LEARNING_RATES
    assert LEARNING_RATES[-1] > 2  # the scratch model stays stable up to about lr = 2
    assert BATCH_SIZES[-1] == 1000 and 32 in BATCH_SIZES


def test_the_slider_retrains_on_change_and_repeats_its_figures(data):
    first = learning_rate_slider(scratch_model, data, precompute=False)
    assert first.value == 0.03 and len(first.seconds) == 1
    first.value = 0.1
    assert len(first.seconds) == 2
    second = learning_rate_slider(scratch_model, data, precompute=False)
    second.value = 0.1
    index = first.values.index(0.1)
    assert first.pngs[index] == second.pngs[index]


def test_the_slider_keeps_working_after_a_value_that_fails(data):
    def model_that_fails_at_one(lr):
        if lr == 1.0:
            raise RuntimeError("no model for lr = 1")
        return scratch_model(lr)
    slider = learning_rate_slider(model_that_fails_at_one, data, precompute=False)
    slider.value = 1.0
    slider.value = 0.1
    assert slider.pngs[slider.values.index(1.0)]  # a message figure
    assert slider.pngs[slider.values.index(0.1)]


@pytest.mark.parametrize("arguments, error, words", [
    (dict(make_model="model"), TypeError, "make_model"),
    (dict(max_epochs=0), ValueError, "max_epochs"),
    (dict(values=(0.01, 0.0)), ValueError, "learning rate"),
    (dict(value=0.05), ValueError, "value"),
])
def test_bad_arguments_are_named(data, arguments, error, words):
    with pytest.raises(error, match=words):
        learning_rate_slider(**{"make_model": scratch_model, "data": data,
                                "precompute": False, **arguments})


def test_data_without_a_ground_truth_is_refused():
    class NoTruth(d2l.DataModule):
        pass
    with pytest.raises(TypeError, match="true w and b"):
        learning_rate_slider(scratch_model, NoTruth(), precompute=False)


def test_a_batch_size_copy_leaves_the_original_data_alone(data):
    resized = with_batch_size(data, 100)
    assert resized.batch_size == 100 and len(resized.train_dataloader()) == 10
    assert data.batch_size == 32 and resized.X is data.X
    with pytest.raises(ValueError, match="batch_size"):
        with_batch_size(data, 0)


def test_the_batch_size_slider_trains_with_the_chosen_size(data):
    slider = batch_size_slider(lambda: d2l.LinearRegression(lr=0.03), data, precompute=False)
    slider.value = 1000
    assert len(slider.seconds) == 2
    with pytest.raises(ValueError, match="batch size"):
        batch_size_slider(lambda: d2l.LinearRegression(lr=0.03), data, values=(32, 0),
                          precompute=False)
