"""The high-dimensional data of the weight-decay lesson: few examples, many features."""
import torch

from .checks import PositiveInt, check_args
from .data import SyntheticRegressionData


class HighDimensionalData(SyntheticRegressionData):
    """Examples from y = 0.05 + sum_i 0.01 x_i + noise, noise ~ N(0, 0.01^2), x ~ N(0, I).

    With 200 inputs and only 20 training examples, a linear model can fit the
    training set exactly and still be far from the truth.
    """

    @check_args
    def __init__(self, num_train: int = 20, num_val: int = 100, num_inputs: PositiveInt = 200,
                 batch_size: int = 5):
        super().__init__(w=torch.full((num_inputs,), 0.01), b=0.05, noise=0.01,
                         num_train=num_train, num_val=num_val, batch_size=batch_size)
        self.num_inputs = num_inputs
