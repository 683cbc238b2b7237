"""Small helpers every chapter uses: methods added later, saved arguments, seeds, devices."""
import inspect
import random
from typing import Callable, Iterable

import numpy as np
import torch


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
        """Copy every argument of the calling `__init__` onto `self`.

        It reads the local variables of the frame that called it, so it must be
        called from `__init__` before other local variables are created.
        Arguments named in `ignore` (and `self`) are skipped; the rest are also
        collected in `self.hparams`.
        """
        caller = inspect.currentframe().f_back
        arg_info = inspect.getargvalues(caller)
        skipped = set(ignore) | {"self"}
        names = [name for name in arg_info.args if name not in skipped]
        self.hparams = {name: arg_info.locals[name] for name in names}
        for name, value in self.hparams.items():
            setattr(self, name, value)


def set_seed(seed: int = 0) -> None:
    """Seed Python's, NumPy's and PyTorch's random number generators."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def cpu() -> torch.device:
    """The CPU device."""
    return torch.device("cpu")


def gpu(i: int = 0) -> torch.device:
    """The i-th GPU device (it need not exist)."""
    return torch.device(f"cuda:{i}")


def num_gpus() -> int:
    """How many CUDA GPUs this machine has."""
    return torch.cuda.device_count()


def try_gpu(i: int = 0) -> torch.device:
    """The i-th GPU if it exists, else the CPU."""
    return gpu(i) if num_gpus() >= i + 1 else cpu()
