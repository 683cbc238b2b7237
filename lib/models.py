"""Linear regression models: from scratch, with PyTorch's layers, and with weight decay."""
from typing import Tuple

import torch
from torch import nn

from .base import Module
from .checks import (NonNegative, Positive, PositiveInt, Tensors, check_real_tensor,
                     check_targets)
from .utils import HyperParameters


class SGD(HyperParameters):
    """Minibatch stochastic gradient descent: param <- param - lr * grad."""

    def __init__(self, params: Tensors, lr: Positive):
        self.save_hyperparameters()

    @torch.no_grad()
    def step(self) -> None:
        for param in self.params:
            if param.grad is not None:
                param -= self.lr * param.grad

    def zero_grad(self) -> None:
        for param in self.params:
            param.grad = None  # the next backward() starts the gradient afresh


class LinearRegressionScratch(Module):
    """y_hat = Xw + b, with the squared loss and SGD written by hand."""

    def __init__(self, num_inputs: PositiveInt, lr: Positive, sigma: NonNegative = 0.01):
        super().__init__()
        self.save_hyperparameters()
        self.w = nn.Parameter(torch.normal(0, sigma, (num_inputs, 1)))
        self.b = nn.Parameter(torch.zeros(1))

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        return X @ self.w + self.b

    def loss(self, y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        check_targets(y_hat, y)
        squared_error = (y_hat - y.reshape(y_hat.shape)) ** 2 / 2
        return squared_error.mean()

    def configure_optimizers(self) -> SGD:
        return SGD([self.w, self.b], self.lr)


class NormalInitLazyLinear(nn.LazyLinear):
    """A LazyLinear layer that starts from N(0, sigma^2) weights and a zero bias.

    A lazy layer has no weights until its first forward pass, so initializing
    it in the constructor would silently do nothing; this layer applies its
    initialization at the moment the weights come into existence.
    """

    def __init__(self, out_features: int, sigma: float = 0.01):
        self.sigma = sigma
        super().__init__(out_features)

    def reset_parameters(self) -> None:
        if not self.has_uninitialized_params() and self.in_features != 0:
            nn.init.normal_(self.weight, mean=0.0, std=self.sigma)
            nn.init.zeros_(self.bias)


class LinearRegression(Module):
    """Linear regression with PyTorch's building blocks."""

    def __init__(self, lr: Positive):
        super().__init__()
        self.save_hyperparameters()
        self.net = NormalInitLazyLinear(1, sigma=0.01)

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        return self.net(X)

    def loss(self, y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        check_targets(y_hat, y)
        return nn.MSELoss()(y_hat, y.reshape(y_hat.shape))

    def configure_optimizers(self) -> torch.optim.Optimizer:
        return torch.optim.SGD(self.parameters(), self.lr)

    def get_w_b(self) -> Tuple[torch.Tensor, torch.Tensor]:
        """The learned weight (1 x d) and bias (1,)."""
        return self.net.weight.data, self.net.bias.data


def l2_penalty(w: torch.Tensor) -> torch.Tensor:
    """Half the squared L2 norm: sum(w ** 2) / 2."""
    check_real_tensor("w", w)
    return (w ** 2).sum() / 2


class WeightDecayScratch(LinearRegressionScratch):
    """The scratch model with lambd * l2_penalty(w) added to its loss (the bias is not penalized)."""

    def __init__(self, num_inputs: PositiveInt, lambd: NonNegative, lr: Positive,
                 sigma: NonNegative = 0.01):
        super().__init__(num_inputs, lr, sigma)
        self.save_hyperparameters()

    def loss(self, y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        return super().loss(y_hat, y) + self.lambd * l2_penalty(self.w)


class WeightDecay(LinearRegression):
    """The concise model with weight decay `wd` on the weight and none on the bias."""

    def __init__(self, wd: NonNegative, lr: Positive):
        super().__init__(lr)
        self.save_hyperparameters()

    def configure_optimizers(self) -> torch.optim.Optimizer:
        return torch.optim.SGD([
            {"params": self.net.weight, "weight_decay": self.wd},
            {"params": self.net.bias, "weight_decay": 0.0},
        ], lr=self.lr)
