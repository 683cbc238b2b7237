"""How a trained model is judged: its loss over a whole data set, its errors, its weights.

Each measure works wherever the model lives: batches are moved to the model's
device and the results come back to the CPU as Python numbers or CPU tensors.
"""
from typing import Callable, Optional, Tuple

import torch

from .base import DataModule, Module
from .utils import device_of

Loss = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]


def half_squared_error(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """The mean of (y_hat - y)^2 / 2: the squared loss with no penalty added."""
    return ((y_hat - y.reshape(y_hat.shape)) ** 2 / 2).mean()


@torch.no_grad()
def mean_loss(model: Module, loader, loss: Optional[Loss] = None) -> float:
    """The mean per-example loss of `model` over every batch of `loader`.

    `loss` defaults to the model's own loss (with any penalty it adds). Each
    batch's mean counts in proportion to its size, so a short last batch
    weighs no more than its examples.
    """
    loss = loss or model.loss
    device = device_of(model)
    total, count = 0.0, 0
    for *inputs, y in loader:
        y_hat = model(*[tensor.to(device) for tensor in inputs])
        total += float(loss(y_hat, y.to(device))) * len(y)
        count += len(y)
    return total / count


def squared_loss(model: Module, loader) -> float:
    """Mean of (y_hat - y)^2 / 2 over `loader`: the loss without any penalty term."""
    return mean_loss(model, loader, half_squared_error)


def learned_w_b(model: Module) -> Tuple[torch.Tensor, torch.Tensor]:
    """The model's weight as a 1-D CPU tensor and its bias as a 1-element CPU tensor."""
    w, b = model.get_w_b() if hasattr(model, "get_w_b") else (model.w, model.b)
    return w.detach().cpu().reshape(-1), b.detach().cpu().reshape(-1)


def estimation_errors(model: Module, data: DataModule) -> Tuple[torch.Tensor, float]:
    """The errors true minus learned: a tensor for w and a float for b."""
    w, b = learned_w_b(model)
    return data.w.reshape(-1).cpu() - w, float(data.b - b[0])


def weight_norm(model: Module) -> float:
    """The L2 norm of the model's weight vector w (the bias left out)."""
    return float(torch.linalg.vector_norm(learned_w_b(model)[0]))
