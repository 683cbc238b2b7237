"""Synthetic regression data with a known ground truth."""
import torch

from .base import DataModule
from .checks import NonNegative, NonNegativeInt, PositiveInt, Real, Vector, check_labels


class SyntheticRegressionData(DataModule):
    """Examples from y = Xw + b + noise: the features X from N(0, 1), the noise from N(0, noise^2)."""

    def __init__(self, w: Vector, b: Real, noise: NonNegative = 0.01,
                 num_train: PositiveInt = 1000, num_val: NonNegativeInt = 1000,
                 batch_size: PositiveInt = 32):
        super().__init__()
        self.save_hyperparameters()
        n = num_train + num_val
        self.X = torch.randn(n, len(self.w))
        self.y = self.X @ self.w.reshape((-1, 1)) + self.b + torch.randn(n, 1) * self.noise
        check_labels("y (made from w, b and noise)", self.y)

    def get_dataloader(self, train: bool):
        indices = slice(0, self.num_train) if train else slice(self.num_train, None)
        return self.get_tensorloader((self.X, self.y), train, indices)
