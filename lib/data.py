"""Synthetic regression data with a known ground truth."""
import torch

from .base import DataModule
from .checks import (LARGEST_LABEL, check_finite_real, check_labels, check_non_negative,
                     check_non_negative_int, check_positive_int)


def as_weight_vector(w) -> torch.Tensor:
    """Return `w` as a non-empty 1-D float tensor, or raise a ValueError saying why not."""
    if not isinstance(w, torch.Tensor):
        try:
            w = torch.as_tensor(w, dtype=torch.float32)
        except (TypeError, ValueError, RuntimeError) as error:
            raise TypeError(f"w must be a 1-D tensor of numbers, got {w!r}") from error
    if w.ndim != 1 or w.numel() == 0:
        raise ValueError(f"w must be a non-empty 1-D tensor, got shape {tuple(w.shape)}")
    if not (w.is_floating_point() or w.dtype in (torch.int32, torch.int64)):
        raise TypeError(f"w must hold real numbers, got dtype {w.dtype}")
    w = w.float()
    if not torch.isfinite(w).all():
        raise ValueError("w must hold finite numbers (no NaN or infinity)")
    if w.abs().max() >= LARGEST_LABEL:
        raise ValueError(f"w must hold numbers below {LARGEST_LABEL:.3g} in size, the limit "
                         "for labels (their squares must fit in float32)")
    return w


class SyntheticRegressionData(DataModule):
    """Examples from y = Xw + b + noise: the features X from N(0, 1), the noise from N(0, noise^2)."""

    def __init__(self, w, b: float, noise: float = 0.01, num_train: int = 1000,
                 num_val: int = 1000, batch_size: int = 32):
        super().__init__()
        w = as_weight_vector(w)
        check_non_negative("noise", noise)
        check_positive_int("num_train", num_train)
        check_non_negative_int("num_val", num_val)
        check_positive_int("batch_size", batch_size)
        check_finite_real("b", b, largest=LARGEST_LABEL)
        b = float(b) if not isinstance(b, torch.Tensor) else b
        self.save_hyperparameters()
        n = num_train + num_val
        self.X = torch.randn(n, len(w))
        self.y = self.X @ w.reshape((-1, 1)) + b + torch.randn(n, 1) * noise
        check_labels("y (made from w, b and noise)", self.y)

    def get_dataloader(self, train: bool):
        indices = slice(0, self.num_train) if train else slice(self.num_train, None)
        return self.get_tensorloader((self.X, self.y), train, indices)
