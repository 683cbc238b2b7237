"""Small helpers every chapter uses: methods added later, saved arguments, seeds, devices."""
import contextlib
import inspect
import random
from typing import Callable, Iterable, Iterator

import numpy as np
import torch
from torch import nn

from .checks import range_checks


def add_to_class(Class: type) -> Callable:
    """Decorator: attach the decorated function to `Class` as a method.

    Instances that already exist gain the method too, because Python looks
    methods up on the class at call time. This lets a lesson write one class
    across several notebook cells.
    """
    def register(method: Callable) -> Callable:
        setattr(Class, method.__name__, method)
        return method
    return register


class HyperParameters:
    """Mixin whose `save_hyperparameters` stores the caller's `__init__` arguments."""

    def save_hyperparameters(self, ignore: Iterable[str] = ()) -> None:
        """Copy every argument of the calling `__init__` onto `self`, checked first.

        It reads the local variables of the frame that called it, so it must be
        called from `__init__` before other local variables are created.
        An argument whose annotation declares a range (`lr: Positive`, lib.checks)
        is checked, and converted to what the range says (a list to a tensor for
        `Vector`); the converted value is the one stored. Arguments named in
        `ignore` (and `self`) are skipped; the rest are also collected in `self.hparams`.
        """
        caller = inspect.currentframe().f_back
        arg_info = inspect.getargvalues(caller)
        checks = range_checks(self, caller)  # from annotations such as lr: Positive
        skipped = set(ignore) | {"self"}
        names = [name for name in arg_info.args if name not in skipped]
        self.hparams = {}
        for name in names:
            value = arg_info.locals[name]
            if name in checks:
                value = checks[name](name, value)
            self.hparams[name] = value
            setattr(self, name, value)


def set_seed(seed: int = 0) -> None:
    """Seed Python's, NumPy's and PyTorch's random number generators."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


@contextlib.contextmanager
def seeded_fork(seed: int) -> Iterator[None]:
    """Run the block with every generator seeded by `seed`, then put their states back.

    Code after the block draws the same numbers as if the block had never run.
    """
    saved = random.getstate(), np.random.get_state(), torch.get_rng_state()
    cuda_saved = torch.cuda.get_rng_state_all() if torch.cuda.is_initialized() else None
    try:
        set_seed(seed)
        yield
    finally:
        random.setstate(saved[0])
        np.random.set_state(saved[1])
        torch.set_rng_state(saved[2])
        if cuda_saved is not None:
            torch.cuda.set_rng_state_all(cuda_saved)


# -- devices ---------------------------------------------------------------------------------
def cpu() -> torch.device:
    """The CPU."""
    return torch.device("cpu")


def gpu(i: int = 0) -> torch.device:
    """The CUDA device number `i`, whether or not this machine has it."""
    return torch.device("cuda", i)


def num_gpus() -> int:
    """How many CUDA GPUs this machine has."""
    return torch.cuda.device_count()


def try_gpu(i: int = 0) -> torch.device:
    """GPU number `i` where it exists; the CPU otherwise."""
    if i < num_gpus():
        return gpu(i)
    return cpu()


def device_of(model: nn.Module) -> torch.device:
    """Where the model's parameters live (the CPU for a model without any)."""
    for parameter in model.parameters():
        return parameter.device
    return cpu()
