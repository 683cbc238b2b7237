"""The three classes every model in the book is built from: Module, DataModule, Trainer."""
import math
import sys
from typing import Optional, Sequence

import torch
from torch import nn

from .board import ProgressBoard
from .checks import (check_instance, check_non_negative, check_non_negative_int,
                     check_positive_int, check_tensors)
from . import utils
from .tensor_loader import TensorLoader
from .utils import HyperParameters


def check_inputs(X) -> None:
    """Require a model input: a floating-point tensor.

    Its values are not scanned for NaN (that would cost a pass over every batch);
    a NaN in the input gives a NaN loss, which the Trainer reports in words.
    """
    if not isinstance(X, torch.Tensor):
        raise TypeError(f"X must be a tensor, got {type(X).__name__}")
    if not X.is_floating_point():
        raise TypeError(f"X must hold floating-point numbers, got dtype {X.dtype}")
    if X.ndim == 0:
        raise ValueError("X must have a dimension of features, got a 0-d tensor")


class Module(nn.Module, HyperParameters):
    """A model that knows its loss, its optimiser and how to plot its progress."""

    def __init__(self, plot_train_per_epoch: int = 2, plot_valid_per_epoch: int = 1):
        super().__init__()
        check_positive_int("plot_train_per_epoch", plot_train_per_epoch)
        check_positive_int("plot_valid_per_epoch", plot_valid_per_epoch)
        self.save_hyperparameters()
        self.board = ProgressBoard()

    def loss(self, y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError

    def __call__(self, *inputs: torch.Tensor, **options) -> torch.Tensor:
        """Run `forward` on checked inputs, so bad input fails with a clear error."""
        for X in inputs:
            check_inputs(X)
        try:
            return super().__call__(*inputs, **options)
        except RuntimeError as error:
            if "shape" not in str(error):
                raise
            raise ValueError(f"X of shape {tuple(inputs[0].shape)} does not fit this "
                             f"model: {error}") from error

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        if not hasattr(self, "net"):
            raise NotImplementedError("define self.net or override forward()")
        return self.net(X)

    def plot(self, key: str, value, train: bool) -> None:
        """Plot `value` on the board against the epoch (a fraction for training batches)."""
        if not hasattr(self, "trainer"):
            raise RuntimeError("plot() needs a trainer: call Trainer.fit(model, data)")
        trainer = self.trainer
        self.board.xlabel = "epoch"
        if train:
            x = trainer.train_batch_idx / trainer.num_train_batches
            points_per_batch = trainer.num_train_batches / self.plot_train_per_epoch
        else:
            x = trainer.epoch + 1
            points_per_batch = trainer.num_val_batches / self.plot_valid_per_epoch
        label = ("train_" if train else "val_") + key
        if isinstance(value, torch.Tensor):
            value = value.detach()
        self.board.draw(x, float(value), label, every_n=max(1, int(points_per_batch)))

    def training_step(self, batch: Sequence[torch.Tensor]) -> torch.Tensor:
        loss = self.loss(self(*batch[:-1]), batch[-1])
        self.plot("loss", loss, train=True)
        return loss

    def validation_step(self, batch: Sequence[torch.Tensor]) -> None:
        loss = self.loss(self(*batch[:-1]), batch[-1])
        self.plot("loss", loss, train=False)

    def configure_optimizers(self):
        raise NotImplementedError


class DataModule(HyperParameters):
    """Hands out the training and validation minibatch loaders."""

    def __init__(self, root: str = "../data", num_workers: int = 4):
        self.save_hyperparameters()

    def get_dataloader(self, train: bool):
        raise NotImplementedError

    def train_dataloader(self):
        return self.get_dataloader(train=True)

    def val_dataloader(self):
        return self.get_dataloader(train=False)

    def get_tensorloader(self, tensors: Sequence[torch.Tensor], train: bool,
                         indices=slice(0, None)) -> TensorLoader:
        """A loader over `tensors[indices]` in minibatches of `self.batch_size`.

        Training batches come in a fresh random order on every pass; validation
        batches come in order.
        """
        check_tensors("tensors", tensors, same_length=True)
        check_positive_int("batch_size", self.batch_size)
        return TensorLoader([tensor[indices] for tensor in tensors], self.batch_size,
                            shuffle=train)


class Trainer(HyperParameters):
    """Fits a Module to a DataModule: it owns the training loop and nothing else."""

    def __init__(self, max_epochs: int, num_gpus: int = 0, gradient_clip_val: float = 0):
        check_positive_int("max_epochs", max_epochs)
        check_non_negative_int("num_gpus", num_gpus)
        check_non_negative("gradient_clip_val", gradient_clip_val)
        self.save_hyperparameters()
        self.gpus = [utils.gpu(i) for i in range(min(num_gpus, utils.num_gpus()))]
        self.device = self.gpus[0] if self.gpus else utils.cpu()
        self.diverged: Optional[str] = None

    def prepare_data(self, data: DataModule) -> None:
        check_instance("data", data, DataModule)
        self.train_dataloader = data.train_dataloader()
        self.val_dataloader = data.val_dataloader()
        self.num_train_batches = len(self.train_dataloader)
        self.num_val_batches = (len(self.val_dataloader)
                                if self.val_dataloader is not None else 0)
        if self.num_train_batches == 0:
            raise ValueError("the data module yields no training batch: num_train "
                             "must be >= 1 (and drop_last needs num_train >= batch_size)")

    def prepare_model(self, model: Module) -> None:
        check_instance("model", model, Module)
        model.trainer = self
        model.board.xlim = [0, self.max_epochs]
        model.to(self.device)
        self.model = model

    def prepare_batch(self, batch):
        return [tensor.to(self.device) for tensor in batch]

    def fit(self, model: Module, data: DataModule) -> None:
        self.prepare_data(data)
        self.prepare_model(model)
        self.optim = model.configure_optimizers()
        self.epoch = 0
        self.train_batch_idx = 0
        self.val_batch_idx = 0
        self.diverged = None
        for self.epoch in range(self.max_epochs):
            self.fit_epoch()
            if self.diverged:
                break
        model.board.flush()

    def fit_epoch(self) -> None:
        self.model.train()
        for batch in self.train_dataloader:
            loss = self.model.training_step(self.prepare_batch(batch))
            if not math.isfinite(loss.item()):
                self.report_divergence(loss.item())
                return
            self.optim.zero_grad()
            loss.backward()
            if self.gradient_clip_val > 0:
                self.clip_gradients(self.gradient_clip_val, self.model)
            self.optim.step()
            self.train_batch_idx += 1
        if self.val_dataloader is None:
            return
        self.model.eval()
        with torch.no_grad():
            for batch in self.val_dataloader:
                self.model.validation_step(self.prepare_batch(batch))
                self.val_batch_idx += 1

    def report_divergence(self, loss: float) -> None:
        """Stop training and say so plainly, instead of plotting NaN."""
        lr = getattr(self.model, "lr", None)
        hint = f"try a smaller learning rate than lr={lr:g}" if lr else "try a smaller learning rate"
        self.diverged = (f"Training diverged in epoch {self.epoch + 1}: the training loss "
                         f"became {loss}. Stopped; {hint}.")
        self.model.board.title = f"diverged in epoch {self.epoch + 1}"
        print(self.diverged, file=sys.stderr)

    def clip_gradients(self, grad_clip_val: float, model: nn.Module) -> None:
        """Rescale all gradients together so that their joint norm is at most `grad_clip_val`."""
        params = [p for p in model.parameters() if p.requires_grad and p.grad is not None]
        if not params:
            return
        with torch.no_grad():
            norm = torch.sqrt(sum(torch.sum(p.grad ** 2) for p in params))
            if norm > grad_clip_val:
                for param in params:
                    param.grad.mul_(grad_clip_val / norm)
