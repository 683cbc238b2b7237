"""Tests for lib/models.py: SGD, the scratch and concise models, and weight decay."""
import pytest
import torch
from torch import nn

import lib as d2l


# -- SGD ---------------------------------------------------------------------------------
def test_sgd_subtracts_lr_times_the_gradient():
    first = torch.tensor([1.0, 2.0], requires_grad=True)
    second = torch.tensor([[-1.0]], requires_grad=True)
    first.grad = torch.tensor([0.5, -1.0])
    second.grad = torch.tensor([[4.0]])
    optimizer = d2l.SGD([first, second], lr=0.1)
    optimizer.step()
    assert torch.allclose(first.detach(), torch.tensor([0.95, 2.1]))
    assert torch.allclose(second.detach(), torch.tensor([[-1.4]]))
    optimizer.zero_grad()
    assert first.grad is None and second.grad is None  # the next backward() starts afresh


def test_sgd_leaves_a_parameter_without_gradient_alone():
    untouched = torch.tensor([3.0], requires_grad=True)
    optimizer = d2l.SGD([untouched], lr=1.0)
    optimizer.step()
    optimizer.zero_grad()
    assert untouched.item() == 3.0 and untouched.grad is None


def test_sgd_steps_on_a_gradient_computed_by_autograd():
    w = torch.tensor([1.0, -2.0], requires_grad=True)
    loss = (w ** 2).sum() / 2  # gradient: w itself
    loss.backward()
    d2l.SGD(iter([w]), lr=0.25).step()  # any iterable of parameters will do
    assert torch.allclose(w.detach(), torch.tensor([0.75, -1.5]))


# -- the scratch model ---------------------------------------------------------------------
def test_scratch_parameters_are_registered_with_torch():
    model = d2l.LinearRegressionScratch(3, lr=0.1)
    assert isinstance(model.w, nn.Parameter) and isinstance(model.b, nn.Parameter)
    assert dict(model.named_parameters()).keys() == {"w", "b"}
    assert set(model.state_dict()) == {"w", "b"}
    assert model.w.shape == (3, 1) and model.b.shape == (1,)
    assert torch.equal(model.b.detach(), torch.zeros(1))


def test_scratch_parameters_move_with_to():
    model = d2l.LinearRegressionScratch(3, lr=0.1).to(torch.float64)
    assert model.w.dtype == torch.float64 and model.b.dtype == torch.float64
    model.to("meta")
    assert model.w.device.type == "meta" and isinstance(model.w, nn.Parameter)
    assert [p.device.type for p in model.configure_optimizers().params] == ["meta", "meta"]


def test_scratch_forward_and_loss_by_hand():
    model = d2l.LinearRegressionScratch(2, lr=0.1)
    with torch.no_grad():
        model.w.copy_(torch.tensor([[1.0], [2.0]]))
        model.b.fill_(0.5)
    X = torch.tensor([[1.0, 1.0], [0.0, -1.0]])
    y_hat = model(X)
    assert torch.allclose(y_hat, torch.tensor([[3.5], [-1.5]]))
    y = torch.tensor([1.5, -1.5])  # errors 2 and 0, so the loss is (4 / 2 + 0) / 2
    assert model.loss(y_hat, y).item() == pytest.approx(1.0)


def test_scratch_weights_start_small_and_random():
    d2l.set_seed(0)
    model = d2l.LinearRegressionScratch(5000, lr=0.1)
    assert model.w.std().item() == pytest.approx(0.01, rel=0.05)
    assert abs(model.w.mean().item()) < 1e-3


# -- the concise model -----------------------------------------------------------------------
def test_concise_model_starts_from_small_normal_weights_and_zero_bias():
    d2l.set_seed(0)
    model = d2l.LinearRegression(lr=0.1)
    model(torch.zeros(2, 5000))  # the lazy layer gets its weights on the first call
    w, b = model.get_w_b()
    assert w.shape == (1, 5000) and b.shape == (1,)
    # PyTorch's own default would give a uniform spread with std 1/sqrt(3 * 5000), about 0.008.
    assert w.std().item() == pytest.approx(0.01, rel=0.05)
    assert abs(w.mean().item()) < 1e-3
    assert torch.equal(b, torch.zeros(1))


def test_concise_weights_are_not_redrawn_on_later_calls():
    model = d2l.LinearRegression(lr=0.1)
    model(torch.ones(1, 4))
    before = model.get_w_b()[0].clone()
    model(torch.ones(3, 4))
    assert torch.equal(model.get_w_b()[0], before)


def test_concise_loss_is_the_mean_squared_error():
    model = d2l.LinearRegression(lr=0.1)
    y_hat = torch.tensor([[1.0], [3.0]])
    assert model.loss(y_hat, torch.tensor([0.0, 1.0])).item() == pytest.approx((1 + 4) / 2)


# -- both models reach the least-squares answer ---------------------------------------------------
@pytest.fixture(scope="module")
def noisy_data():
    """Few noisy examples, so that the least-squares fit is far from the true w and b."""
    d2l.set_seed(0)
    return d2l.SyntheticRegressionData(w=torch.tensor([2.0, -3.4]), b=4.2, noise=1.0,
                                       num_train=64, num_val=16, batch_size=64)


def least_squares(data) -> torch.Tensor:
    """The exact fit [w_1, ..., w_d, b] on the training examples."""
    X = data.X[:data.num_train]
    with_ones = torch.cat([X, torch.ones(len(X), 1)], dim=1)
    return torch.linalg.lstsq(with_ones, data.y[:data.num_train]).solution.squeeze(1)


def learned_w_b(model) -> torch.Tensor:
    w, b = (model.w, model.b) if hasattr(model, "w") else model.get_w_b()
    return torch.cat([w.detach().reshape(-1), b.detach().reshape(-1)])


@pytest.mark.parametrize("make_model", [
    lambda: d2l.LinearRegressionScratch(2, lr=0.5),
    lambda: d2l.LinearRegression(lr=0.3),
], ids=["scratch", "concise"])
def test_training_converges_to_the_least_squares_answer(noisy_data, make_model):
    exact = least_squares(noisy_data)
    truth = torch.tensor([2.0, -3.4, 4.2])
    assert (exact - truth).abs().max() > 0.05  # so reaching `exact` is not an accident
    d2l.set_seed(1)
    model = make_model()
    model.board.display = False
    d2l.Trainer(max_epochs=60).fit(model, noisy_data)
    assert torch.allclose(learned_w_b(model), exact, atol=1e-3)


# -- weight decay -----------------------------------------------------------------------------
def test_l2_penalty_is_half_the_sum_of_squares():
    assert d2l.l2_penalty(torch.tensor([3.0, 4.0])).item() == pytest.approx(12.5)
    assert d2l.l2_penalty(torch.tensor([[1.0], [-2.0]])).item() == pytest.approx(2.5)
    assert d2l.l2_penalty(torch.zeros(3)).item() == 0.0


def test_scratch_weight_decay_adds_lambd_times_the_penalty():
    model = d2l.WeightDecayScratch(2, lambd=3.0, lr=0.1)
    plain = d2l.LinearRegressionScratch(2, lr=0.1)
    plain.load_state_dict(model.state_dict())
    X, y = torch.randn(4, 2), torch.randn(4)
    expected = plain.loss(plain(X), y) + 3.0 * d2l.l2_penalty(model.w)
    assert model.loss(model(X), y).item() == pytest.approx(expected.item())


def one_step_on_perfect_data(model, X):
    """One optimiser step on targets the model already predicts exactly (no loss gradient)."""
    optimizer = model.configure_optimizers()
    y = model(X).detach()
    optimizer.zero_grad()
    model.loss(model(X), y).backward()
    optimizer.step()


def test_scratch_weight_decay_shrinks_w_and_leaves_b():
    model = d2l.WeightDecayScratch(2, lambd=2.0, lr=0.1)
    with torch.no_grad():
        model.w.copy_(torch.tensor([[1.0], [-4.0]]))
        model.b.fill_(3.0)
    one_step_on_perfect_data(model, torch.randn(8, 2))
    assert torch.allclose(model.w.detach(), torch.tensor([[0.8], [-3.2]]))  # w * (1 - lr * lambd)
    assert model.b.item() == 3.0


def test_concise_weight_decay_shrinks_the_weight_and_leaves_the_bias():
    model = d2l.WeightDecay(wd=2.0, lr=0.1)
    X = torch.randn(8, 2)
    model(X)
    with torch.no_grad():
        model.net.weight.copy_(torch.tensor([[1.0, -4.0]]))
        model.net.bias.fill_(3.0)
    one_step_on_perfect_data(model, X)
    w, b = model.get_w_b()
    assert torch.allclose(w, torch.tensor([[0.8, -3.2]]))
    assert b.item() == 3.0


def test_no_decay_means_the_plain_update():
    model = d2l.WeightDecay(wd=0.0, lr=0.1)
    X = torch.randn(8, 2)
    model(X)
    before = model.get_w_b()[0].clone()
    one_step_on_perfect_data(model, X)
    assert torch.equal(model.get_w_b()[0], before)


# -- bad input -----------------------------------------------------------------------------------
@pytest.mark.parametrize("make, words", [
    (lambda: d2l.SGD([torch.zeros(1)], lr=0), r"lr must be a finite number > 0"),
    (lambda: d2l.LinearRegressionScratch(2, lr=-0.1), r"lr must be a finite number > 0"),
    (lambda: d2l.LinearRegression(lr=0.0), r"lr must be a finite number > 0"),
    (lambda: d2l.LinearRegressionScratch(0, lr=0.1), r"num_inputs must be an int in \[1, "),
    (lambda: d2l.LinearRegressionScratch(2, lr=0.1, sigma=-1), r"sigma must be .* >= 0"),
    (lambda: d2l.WeightDecayScratch(2, lambd=-1, lr=0.1), r"lambd must be a finite number >= 0"),
    (lambda: d2l.WeightDecayScratch(2, lambd=1, lr=0), r"lr must be a finite number > 0"),
    (lambda: d2l.WeightDecay(wd=-0.5, lr=0.1), r"wd must be a finite number >= 0"),
    (lambda: d2l.WeightDecay(wd=0.5, lr=float("inf")), r"lr must be a finite number > 0"),
])
def test_bad_hyperparameters_raise_naming_the_argument(make, words):
    with pytest.raises(ValueError, match=words):
        make()
