"""Tests for lib/notebook/complexity_sliders.py (degree and lambda sliders)."""

import pytest
import torch

import lib
from lib.notebook.complexity_sliders import (DEGREES, LAMBDAS, degree_slider, polynomial_fit_figure,
                                    weight_decay_figure, weight_decay_slider)
from lib.measures import squared_loss, weight_norm
from lib.polynomial import exact_polynomial

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def polynomial_data():
    torch.manual_seed(0)
    return lib.PolynomialData(degree=3)


@pytest.fixture(scope="module")
def high_dimensional_data():
    torch.manual_seed(0)
    return lib.HighDimensionalData()


def scratch(lambd: float) -> lib.WeightDecayScratch:
    return lib.WeightDecayScratch(200, lambd, lr=0.01)


def figure_titles(figure) -> str:
    return " ".join(axes.get_title() for axes in figure.axes)


# -- exact polynomial fits ---------------------------------------------------------------
def test_exact_polynomial_recovers_a_noise_free_cubic():
    torch.manual_seed(0)
    data = lib.PolynomialData(degree=3, noise=0.0)
    coefficients, train_loss, val_loss = exact_polynomial(data, 3)
    assert torch.allclose(coefficients, torch.tensor([0.5, 1, -2, 1.5], dtype=torch.float64),
                          atol=1e-5)
    assert train_loss < 1e-12 and val_loss < 1e-12


def test_degree_num_train_minus_one_interpolates_the_training_points(polynomial_data):
    _, train_loss, val_loss = exact_polynomial(polynomial_data, polynomial_data.num_train - 1)
    assert train_loss < 1e-10
    assert val_loss > 1.0  # and is useless away from them


def test_training_loss_never_rises_with_the_degree(polynomial_data):
    train_losses = [exact_polynomial(polynomial_data, degree)[1] for degree in range(15)]
    assert all(later <= earlier * (1 + 1e-9) for earlier, later in zip(train_losses, train_losses[1:]))


def test_exact_polynomial_refuses_a_negative_degree(polynomial_data):
    with pytest.raises(ValueError, match="degree"):
        exact_polynomial(polynomial_data, -1)


# -- degree slider -------------------------------------------------------------------------
@pytest.mark.slow  # a sweep of several seconds: `make unit` leaves it out
def test_degree_slider_precomputes_a_png_for_every_degree(polynomial_data):
    slider = degree_slider(polynomial_data, precompute=True)
    assert slider.values == list(DEGREES)
    assert all(png.startswith(PNG_SIGNATURE) for png in slider.pngs.values())
    assert len(set(slider.pngs.values())) == len(DEGREES)


def test_degree_slider_answers_live_changes(polynomial_data):
    slider = degree_slider(polynomial_data, values=[1, 3, 19], value=3, precompute=False)
    for degree in (19, 1):
        slider.value = degree
        assert slider.pngs[slider.values.index(degree)].startswith(PNG_SIGNATURE)
    assert len(slider.seconds) == 3  # the first value, then two changes


def test_degree_slider_refuses_bad_input(polynomial_data):
    with pytest.raises(TypeError, match="data must be polynomial data"):
        degree_slider(torch.zeros(3))
    with pytest.raises(ValueError, match="degree in values"):
        degree_slider(polynomial_data, values=[-1, 2], value=2)
    with pytest.raises(TypeError, match="degree in values"):
        degree_slider(polynomial_data, values=[1.5, 2], value=2)


# -- losses and norms ----------------------------------------------------------------------
def test_squared_loss_leaves_out_the_penalty(high_dimensional_data):
    torch.manual_seed(0)
    model = scratch(3.0)
    X, y = high_dimensional_data.X[20:], high_dimensional_data.y[20:]
    with torch.no_grad():
        expected = float(((model(X) - y) ** 2 / 2).mean())
    loss = squared_loss(model, high_dimensional_data.val_dataloader())
    assert loss == pytest.approx(expected, rel=1e-5)
    with torch.no_grad():
        penalised = float(model.loss(model(X), y))
    assert penalised > loss


def test_weight_norm_of_scratch_and_concise_models():
    model = lib.LinearRegressionScratch(3, lr=0.1)
    with torch.no_grad():
        model.w.copy_(torch.tensor([[3.0], [0.0], [4.0]]))
        model.b.fill_(100.0)  # the bias is not part of the norm
    assert weight_norm(model) == pytest.approx(5.0)
    concise = lib.WeightDecay(wd=1.0, lr=0.1)
    concise(torch.zeros(1, 2))  # the lazy layer gets its weights
    with torch.no_grad():
        concise.net.weight.copy_(torch.tensor([[6.0, 8.0]]))
    assert weight_norm(concise) == pytest.approx(10.0)


# -- weight decay slider ---------------------------------------------------------------------
def test_weight_decay_shrinks_the_weights_and_raises_the_training_loss(high_dimensional_data):
    results = {}
    for lambd in (0, 3):
        lib.set_seed(0)
        model = scratch(lambd)
        weight_decay_figure(model, high_dimensional_data, 10, f"lambda = {lambd}")
        results[lambd] = (weight_norm(model),
                          squared_loss(model, high_dimensional_data.train_dataloader()))
    assert results[3][0] < results[0][0]
    assert results[3][1] > results[0][1]


def test_weight_decay_slider_grid_starts_at_zero_and_goes_past_the_best_lambda():
    assert LAMBDAS[0] == 0 and LAMBDAS[-1] >= 30  # chapter 7's best lambda is 10
    assert list(LAMBDAS) == sorted(LAMBDAS)


def test_weight_decay_slider_answers_live_changes_reproducibly(high_dimensional_data):
    slider = weight_decay_slider(scratch, high_dimensional_data, values=[0, 3, 10], value=3,
                                 precompute=False)
    slider.value = 0
    first = slider.pngs[0]
    again = weight_decay_slider(scratch, high_dimensional_data, values=[0, 3], value=0,
                                precompute=False)
    assert first.startswith(PNG_SIGNATURE)
    assert again.pngs[0] == first  # the same lambda always gives the same figure


def test_weight_decay_figure_names_the_norm_or_the_divergence(high_dimensional_data):
    lib.set_seed(0)
    figure = weight_decay_figure(scratch(3), high_dimensional_data, 2, "lambda = 3")
    assert "norm of w" in figure_titles(figure)
    lib.set_seed(0)
    # Each step multiplies w by 1 - lr * lambda = -9: the weights blow up.
    figure = weight_decay_figure(scratch(1000), high_dimensional_data, 10, "lambda = 1000")
    assert "diverged" in figure_titles(figure)
    lib.set_seed(0)
    # Factor -1.5 per step: w grows for 40 steps but stays finite; the title must still say so.
    figure = weight_decay_figure(scratch(250), high_dimensional_data, 10, "lambda = 250")
    assert "diverging" in figure_titles(figure) and "norm of w" not in figure_titles(figure)


def test_weight_decay_slider_refuses_bad_input(high_dimensional_data):
    with pytest.raises(TypeError, match="make_model"):
        weight_decay_slider("model", high_dimensional_data)
    with pytest.raises(ValueError, match="lambda in values"):
        weight_decay_slider(scratch, high_dimensional_data, values=[-1, 3], value=3)
    with pytest.raises(ValueError, match="max_epochs"):
        weight_decay_slider(scratch, high_dimensional_data, max_epochs=0)
    with pytest.raises(ValueError, match="value must be one of"):
        weight_decay_slider(scratch, high_dimensional_data, value=4, precompute=False)
