"""Training runs out of sight: fit a model without its board, and say how the run went."""
import contextlib
import copy
import logging
import math
from dataclasses import dataclass
from typing import Iterator

import torch

from .base import DataModule, Module, Trainer, divergence_message, log as training_log
from .checks import PositiveInt, check_args
from .measures import estimation_errors, mean_loss


class _DropAll(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return False


@contextlib.contextmanager
def training_messages_dropped() -> Iterator[None]:
    """Within the block, the Trainer's messages are not logged (its `diverged` still says it)."""
    dropper = _DropAll()
    training_log.addFilter(dropper)
    try:
        yield
    finally:
        training_log.removeFilter(dropper)


def fit_quietly(model: Module, data: DataModule, max_epochs: int) -> Trainer:
    """Train `model` without showing its board; a divergence is kept in `trainer.diverged`."""
    model.board.auto_show = False
    trainer = Trainer(max_epochs=max_epochs)
    with training_messages_dropped():
        trainer.fit(model, data)
    return trainer


@check_args
def with_batch_size(data: DataModule, batch_size: PositiveInt) -> DataModule:
    """The same examples, handed out in minibatches of `batch_size`."""
    resized = copy.copy(data)
    resized.batch_size = batch_size
    return resized


def growing_loss_message(start_loss: float, end_loss: float, advice: str) -> str:
    """The one wording for a run whose loss grew without overflowing."""
    return (f"diverging, the validation loss grew\nfrom {start_loss:.3g} to {end_loss:.3g}; "
            f"{advice}")


def _numbers(values: torch.Tensor) -> str:
    return "[" + ", ".join(f"{float(v):.2g}" for v in values) + "]"


def _loss_loader(data: DataModule):
    """The validation loader, or the training loader when there is no validation data."""
    loader = data.val_dataloader()
    return loader if loader is not None and len(loader) > 0 else data.train_dataloader()


@dataclass
class TrainingOutcome:
    """What one training run did, in numbers and in words (`caption`)."""
    trainer: Trainer
    start_loss: float
    end_loss: float
    diverging: bool
    caption: str


def train_and_describe(model: Module, data: DataModule, max_epochs: int,
                       setting: str) -> TrainingOutcome:
    """Train `model` on `data` quietly and say how it went.

    `setting` names what the reader chose (e.g. "lr = 0.03"). A run whose loss
    overflowed, or ended above the validation loss it started from, is said to
    diverge; otherwise the caption gives the final errors in w and b.
    """
    start_loss = mean_loss(model, _loss_loader(data))
    trainer = fit_quietly(model, data, max_epochs)
    end_loss = mean_loss(model, _loss_loader(data))
    diverging = bool(trainer.diverged) or not math.isfinite(end_loss) or end_loss > start_loss
    if trainer.diverged:
        caption = f"{setting}: {divergence_message(trainer.epoch + 1)}"
    elif diverging:
        caption = (f"{setting}: "
                   f"{growing_loss_message(start_loss, end_loss, 'a smaller rate is needed')}")
    else:
        w_error, b_error = estimation_errors(model, data)
        caption = (f"{setting}: validation loss {end_loss:.2g}\n"
                   f"error in w {_numbers(w_error)}, in b {b_error:.2g}")
    return TrainingOutcome(trainer, start_loss, end_loss, diverging, caption)
