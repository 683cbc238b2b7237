"""The three classes every model in the book is built from: Module, DataModule, Trainer.

The Trainer owns the loop; a Module knows its loss and its optimizer; a
DataModule hands out the loaders. Each knows only what its job needs.
"""
import logging
import math
import weakref
from typing import Optional, Sequence, Set, Tuple

import torch
from torch import nn

from .board import ProgressBoard
from .checks import (NonNegative, NonNegativeInt, PositiveInt, check_instance,
                     check_positive_int, check_tensors)
from .tensor_loader import TensorLoader
from .utils import HyperParameters, cpu, gpu, num_gpus

# Messages go to this logger, so a caller may silence or redirect them:
# logging.getLogger("lib").setLevel(logging.ERROR). Without a configured handler
# Python prints WARNING messages to stderr as they are.
log = logging.getLogger(__name__)


def divergence_message(epoch: int, lr: Optional[float] = None) -> str:
    """The one wording lib uses for a run whose loss overflowed in `epoch` (counted from 1)."""
    rate = f" than lr={lr:g}" if lr else ""
    return (f"diverged in epoch {epoch}, the loss overflowed;\n"
            f"a smaller learning rate{rate} is needed")


class Module(nn.Module, HyperParameters):
    """A model that knows its loss, its optimizer and how to plot its progress."""

    def __init__(self, plot_train_per_epoch: PositiveInt = 2,
                 plot_valid_per_epoch: PositiveInt = 1):
        super().__init__()
        self.save_hyperparameters()
        self.board = ProgressBoard()
        self.epochs_trained = 0

    @property
    def trainer(self):
        """The Trainer fitting this model (None before a fit or once that Trainer is gone).

        Held weakly: a model and its trainer would otherwise keep each other alive
        as a reference cycle, which only Python's slow full collection frees.
        """
        reference = self.__dict__.get("_trainer")
        return reference() if reference is not None else None

    @trainer.setter
    def trainer(self, trainer) -> None:
        self.__dict__["_trainer"] = None if trainer is None else weakref.ref(trainer)

    def loss(self, y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("a Module must define loss(y_hat, y)")

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        net = getattr(self, "net", None)
        if net is None:
            raise NotImplementedError("define self.net or override forward()")
        return net(X)

    def configure_optimizers(self):
        raise NotImplementedError("a Module must define configure_optimizers()")

    def batch_loss(self, batch: Sequence[torch.Tensor]) -> torch.Tensor:
        """The loss on one minibatch: every tensor but the last is input, the last holds labels."""
        *inputs, labels = batch
        return self.loss(self(*inputs), labels)

    def training_step(self, batch: Sequence[torch.Tensor]) -> torch.Tensor:
        loss = self.batch_loss(batch)
        self.plot("loss", loss, train=True)
        return loss

    def validation_step(self, batch: Sequence[torch.Tensor]) -> None:
        self.plot("loss", self.batch_loss(batch), train=False)

    def plot(self, key: str, value, train: bool) -> None:
        """Put `value` on the board's curve train_`key` or val_`key`, at the epoch reached."""
        trainer = self.trainer
        if trainer is None:
            raise RuntimeError("plot() needs a trainer: call Trainer.fit(model, data)")
        x, batches_per_epoch = trainer.board_position(train)
        points_per_epoch = self.plot_train_per_epoch if train else self.plot_valid_per_epoch
        if isinstance(value, torch.Tensor):
            value = value.detach()
        self.board.xlabel = "epoch"
        self.board.draw(x, float(value), f"{'train' if train else 'val'}_{key}",
                        every_n=max(1, batches_per_epoch // points_per_epoch))


class DataModule(HyperParameters):
    """Hands out the training and validation loaders; subclasses say how in `get_dataloader`."""

    def __init__(self, root: str = "../data", num_workers: int = 4):
        # Where files would be read from, and by how many worker processes: kept for
        # data sets on disk. The data of this chapter lives in memory and uses neither.
        self.root, self.num_workers = root, num_workers

    def get_dataloader(self, train: bool):
        raise NotImplementedError("a DataModule must define get_dataloader(train)")

    def train_dataloader(self):
        """The loader of training minibatches."""
        return self.get_dataloader(True)

    def val_dataloader(self):
        """The loader of validation minibatches (None where a data set has none)."""
        return self.get_dataloader(False)

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


def batch_count(loader) -> int:
    """How many minibatches `loader` hands out (none when there is no loader)."""
    return 0 if loader is None else len(loader)


class Trainer(HyperParameters):
    """Fits a Module to a DataModule: it owns the training loop and nothing else."""

    # The (asked, present) GPU counts a Trainer has already warned about: it says so once.
    gpu_warnings_given: Set[Tuple[int, int]] = set()

    def __init__(self, max_epochs: PositiveInt, num_gpus: NonNegativeInt = 0,
                 gradient_clip_val: NonNegative = 0):
        self.save_hyperparameters()
        self.gpus = self.pick_gpus(num_gpus)  # it says so when this is not what was asked for
        self.device = self.gpus[0] if self.gpus else cpu()
        self.diverged: Optional[str] = None

    def pick_gpus(self, asked: int) -> list:
        """The GPUs to train on: as many of the `asked` as exist.

        The Trainer trains on the first of them (or the CPU); where that is not what
        was asked for, it says so, once per request.
        """
        present = num_gpus()
        gpus = [gpu(i) for i in range(min(asked, present))]
        if (asked > 1 or asked > present) and (asked, present) not in self.gpu_warnings_given:
            self.gpu_warnings_given.add((asked, present))
            used = f"trains on {gpus[0]} alone" if gpus else "trains on the CPU"
            log.warning(f"Trainer(num_gpus={asked}) asked for {asked} GPU(s); this machine "
                        f"has {present}, so the Trainer {used}.")
        return gpus

    def prepare_data(self, data: DataModule) -> None:
        check_instance("data", data, DataModule)
        loaders = data.train_dataloader(), data.val_dataloader()
        self.train_dataloader, self.val_dataloader = loaders
        self.num_train_batches, self.num_val_batches = map(batch_count, loaders)
        if self.num_train_batches == 0:
            raise ValueError("the data module yields no training batch: num_train "
                             "must be >= 1 (and drop_last needs num_train >= batch_size)")

    def prepare_model(self, model: Module) -> None:
        check_instance("model", model, Module)
        self.model = model.to(self.device)
        model.trainer = self
        # A model fitted again continues its curves where the last fit left them.
        self.first_epoch = model.epochs_trained
        model.board.begin_run()
        model.board.xlim = [0, self.first_epoch + self.max_epochs]

    def board_position(self, train: bool) -> Tuple[float, int]:
        """Where a model's next point goes (in epochs) and how many batches an epoch has."""
        if train:
            done = self.train_batch_idx / self.num_train_batches
            return self.first_epoch + done, self.num_train_batches
        return self.first_epoch + self.epoch + 1, self.num_val_batches

    def prepare_batch(self, batch):
        return [tensor.to(self.device) for tensor in batch]

    def fit(self, model: Module, data: DataModule) -> None:
        self.prepare_data(data)
        self.prepare_model(model)
        self.optim = model.configure_optimizers()
        self.train_batch_idx = self.val_batch_idx = 0
        self.diverged = None
        for self.epoch in range(self.max_epochs):
            self.fit_epoch()
            if self.diverged:
                break
            model.epochs_trained += 1
        model.board.flush()

    def fit_epoch(self) -> None:
        self.model.train()
        for batch in self.train_dataloader:
            loss = self.model.training_step(self.prepare_batch(batch))
            if not math.isfinite(loss.item()):
                return self.report_divergence(loss.item())
            self.update(loss)
            self.train_batch_idx += 1
        self.validate()

    def update(self, loss: torch.Tensor) -> None:
        """One step of the optimizer down the gradient of `loss`, clipped if asked."""
        self.optim.zero_grad()
        loss.backward()
        if self.gradient_clip_val:
            self.clip_gradients(self.gradient_clip_val, self.model)
        self.optim.step()

    def validate(self) -> None:
        """Show the model every validation batch, without gradients (if there is validation data)."""
        if self.val_dataloader is None:
            return
        self.model.eval()
        with torch.no_grad():
            for batch in self.val_dataloader:
                self.model.validation_step(self.prepare_batch(batch))
                self.val_batch_idx += 1

    def report_divergence(self, loss: float) -> None:
        """Stop training and say so in words (`self.diverged`, the board, the log)."""
        message = divergence_message(self.epoch + 1, getattr(self.model, "lr", None))
        self.diverged = f"Training {message.replace(chr(10), ' ')} (the loss became {loss})."
        self.model.board.title = message
        log.warning(self.diverged)

    def clip_gradients(self, grad_clip_val: float, model: nn.Module) -> None:
        """Scale all gradients by one factor so that their joint L2 norm is at most `grad_clip_val`."""
        grads = [p.grad for p in model.parameters() if p.requires_grad and p.grad is not None]
        if not grads:
            return
        norm = float(torch.linalg.vector_norm(torch.stack([grad.norm() for grad in grads])))
        if norm <= grad_clip_val:
            return
        for grad in grads:
            grad.mul_(grad_clip_val / norm)
