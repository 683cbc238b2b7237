"""Minibatches of tensors held in memory, cut out by indexing."""
import math
from typing import Iterator, Sequence, Tuple

import torch


class TensorLoader:
    """The rows of `tensors` in minibatches of `batch_size`, the last one possibly shorter.

    With `shuffle` every pass visits the rows in a fresh random order; without,
    in order. It does for tensors in memory what torch's DataLoader does for a
    TensorDataset, without the machinery for data on disk and worker processes,
    which costs more per minibatch than a small model's whole training step.
    """

    def __init__(self, tensors: Sequence[torch.Tensor], batch_size: int, shuffle: bool):
        self.tensors = tuple(tensors)
        self.batch_size = batch_size
        self.shuffle = shuffle

    def __len__(self) -> int:
        return math.ceil(len(self.tensors[0]) / self.batch_size)

    def __iter__(self) -> Iterator[Tuple[torch.Tensor, ...]]:
        num_rows = len(self.tensors[0])
        order = torch.randperm(num_rows) if self.shuffle else torch.arange(num_rows)
        for start in range(0, num_rows, self.batch_size):
            rows = order[start:start + self.batch_size]
            yield tuple(tensor[rows] for tensor in self.tensors)
