"""Tests for lib/measures.py: the loss over a data set, the errors and norms, on any device."""
import pytest
import torch
from torch import nn

import lib as d2l
from lib.measures import estimation_errors, mean_loss, squared_loss, weight_norm

DEVICES = ["cpu", pytest.param("cuda", marks=pytest.mark.skipif(
    not torch.cuda.is_available(), reason="this machine has no CUDA GPU"))]


class DeviceRecorder(d2l.Module):
    """A model whose parameter lives on `device` and which notes where its inputs come from."""

    def __init__(self, device):
        super().__init__()
        self.w = nn.Parameter(torch.zeros(2, 1, device=device))
        self.seen = set()

    def forward(self, X):
        self.seen.add(X.device.type)
        return torch.zeros(len(X), 1)

    def loss(self, y_hat, y):
        self.seen.add(y.device.type)
        return torch.zeros(())


def test_the_loss_over_a_loader_moves_each_batch_to_the_models_device():
    # The meta device stands in for a GPU: tensors there have shapes but no numbers.
    model = DeviceRecorder("meta")
    loader = [(torch.ones(4, 2), torch.ones(4, 1)), (torch.ones(2, 2), torch.ones(2, 1))]
    assert mean_loss(model, loader) == 0.0
    assert model.seen == {"meta"}


@pytest.fixture(scope="module")
def data():
    d2l.set_seed(0)
    return d2l.SyntheticRegressionData(w=torch.tensor([2.0, -3.4]), b=4.2, num_train=100,
                                       num_val=37, batch_size=10)


@pytest.mark.parametrize("device", DEVICES)
def test_measures_work_wherever_the_model_lives(data, device):
    model = d2l.LinearRegressionScratch(2, lr=0.1)
    with torch.no_grad():
        model.w.copy_(torch.tensor([[1.0], [-3.0]]))
        model.b.fill_(4.0)
    on_cpu = (mean_loss(model, data.val_dataloader()), squared_loss(model, data.val_dataloader()),
              estimation_errors(model, data), weight_norm(model))
    model.to(device)
    moved = (mean_loss(model, data.val_dataloader()), squared_loss(model, data.val_dataloader()),
             estimation_errors(model, data), weight_norm(model))
    assert moved[0] == pytest.approx(on_cpu[0], rel=1e-5)
    assert moved[1] == pytest.approx(on_cpu[1], rel=1e-5)
    assert torch.allclose(moved[2][0], on_cpu[2][0]) and moved[2][1] == pytest.approx(on_cpu[2][1])
    assert moved[3] == pytest.approx(on_cpu[3])


@pytest.mark.parametrize("device", DEVICES)
def test_least_squares_fits_a_model_wherever_it_lives(device):
    torch.manual_seed(0)
    data = d2l.PolynomialData(degree=3, noise=0.0)
    model = d2l.fit_least_squares(d2l.LinearRegressionScratch(4, lr=0.01).to(device), data)
    assert model.w.device.type == device
    assert torch.allclose(model.w.detach().cpu().reshape(-1), torch.tensor([0.5, 1, -2, 1.5]),
                          atol=1e-4)


def test_the_loss_over_a_loader_weighs_each_example_once(data):
    model = d2l.LinearRegressionScratch(2, lr=0.1)
    X, y = data.X[data.num_train:], data.y[data.num_train:]  # 37 examples: a last batch of 7
    with torch.no_grad():
        expected = float(((model(X) - y) ** 2 / 2).mean())
    assert mean_loss(model, data.val_dataloader()) == pytest.approx(expected, rel=1e-5)
