"""Polynomial curve fitting as linear regression on powers of x, and K-fold cross-validation."""
import copy
from typing import Callable, List, Tuple

import torch

from .base import DataModule, Module
from .checks import (NonNegative, NonNegativeInt, PositiveInt, check_args, check_fold_count,
                     check_instance, check_int_in_range, check_non_negative_int,
                     check_real_tensor)
from .data import SyntheticRegressionData
from .measures import half_squared_error, mean_loss


@check_args
def polynomial_features(x: torch.Tensor, degree: NonNegativeInt) -> torch.Tensor:
    """The powers x^0, x^1, ..., x^degree of a 1-D tensor `x`, one column each."""
    check_real_tensor("x", x, ndim=1)
    return x.reshape(-1, 1) ** torch.arange(degree + 1)


class PolynomialData(DataModule):
    """Noisy samples of the cubic 0.5 + x - 2x^2 + 1.5x^3, with x uniform in [-1, 1].

    The inputs the model sees are the powers of x up to `degree`; `self.x`
    keeps the raw x so the fitted curve can be drawn.
    """

    def __init__(self, degree: NonNegativeInt, num_train: PositiveInt = 20,
                 num_val: NonNegativeInt = 100, noise: NonNegative = 0.1,
                 batch_size: PositiveInt = 5):
        super().__init__()
        self.save_hyperparameters()
        n = num_train + num_val
        self.x = torch.rand(n) * 2 - 1
        self.y = self.true_curve(self.x).reshape(-1, 1) + torch.randn(n, 1) * noise
        self.X = polynomial_features(self.x, degree)

    @staticmethod
    def true_curve(x: torch.Tensor) -> torch.Tensor:
        return 0.5 + x - 2 * x ** 2 + 1.5 * x ** 3

    @check_args
    def with_degree(self, degree: NonNegativeInt) -> "PolynomialData":
        """The same examples, given to the model as powers of x up to `degree`."""
        data = copy.copy(self)
        data.degree = degree
        data.X = polynomial_features(self.x, degree)
        return data

    # The first num_train examples train and the rest validate, as in SyntheticRegressionData.
    get_dataloader = SyntheticRegressionData.get_dataloader


def least_squares(X: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """The w minimizing |Xw - y|^2, solved in double precision.

    The SVD-based solver copes with the badly conditioned columns that high
    powers of x give, where float32 would be dominated by rounding.
    """
    return torch.linalg.lstsq(X.double().cpu(), y.double().cpu(), driver="gelsd").solution


def fit_least_squares(model: Module, data: DataModule) -> Module:
    """Set a LinearRegressionScratch model to the exact minimizer of its training loss.

    The column x^0 plays the bias, so b is set to 0.
    """
    batches = list(data.train_dataloader())
    solution = least_squares(torch.cat([X for X, _ in batches]), torch.cat([y for _, y in batches]))
    with torch.no_grad():
        model.w.copy_(solution.reshape(model.w.shape))
        model.b.zero_()
    return model


@check_args
def exact_polynomial(data: PolynomialData,
                     degree: NonNegativeInt) -> Tuple[torch.Tensor, float, float]:
    """The least-squares polynomial of `degree` on the training examples of `data`.

    Returns its coefficients w_0..w_degree and its training and validation loss,
    all in double precision.
    """
    X, y, n = polynomial_features(data.x.double(), degree), data.y.double(), data.num_train
    coefficients = least_squares(X[:n], y[:n]).squeeze(1)
    y_hat = (X @ coefficients).reshape(-1, 1)
    return (coefficients, half_squared_error(y_hat[:n], y[:n]).item(),
            half_squared_error(y_hat[n:], y[n:]).item())


@check_args
def fold_indices(num_examples: PositiveInt, num_folds: PositiveInt) -> List[torch.Tensor]:
    """Split 0, ..., num_examples - 1 into `num_folds` consecutive folds of near-equal size."""
    check_fold_count(num_folds, num_examples)  # from 2 to num_examples
    return list(torch.arange(num_examples).tensor_split(num_folds))


class KFoldData(DataModule):
    """One round of K-fold cross-validation on the training examples of `data`.

    Fold `fold` is held out for validation; the other folds are trained on.
    `data` needs the attributes X, y, num_train and batch_size.
    """

    def __init__(self, data: DataModule, num_folds: PositiveInt, fold: NonNegativeInt):
        super().__init__()
        check_instance("data", data, DataModule)
        self.save_hyperparameters()
        folds = fold_indices(data.num_train, num_folds)
        check_non_negative_int("fold", fold, upper=num_folds - 1)  # a bound set by num_folds
        self.batch_size = data.batch_size
        self.val_indices = folds[fold]
        self.train_indices = torch.cat(folds[:fold] + folds[fold + 1:])

    def get_dataloader(self, train: bool):
        indices = self.train_indices if train else self.val_indices
        return self.get_tensorloader((self.data.X, self.data.y), train, indices)


def cross_validate(make_model: Callable[[], Module], data: DataModule, num_folds: int,
                   fit: Callable = fit_least_squares) -> torch.Tensor:
    """The validation loss of each of the `num_folds` rounds, as a tensor.

    Each round trains a fresh `make_model()` with `fit(model, fold_data)`.
    """
    check_int_in_range("num_folds", num_folds, 2)
    losses = []
    for fold in range(num_folds):
        fold_data = KFoldData(data, num_folds, fold)
        model = make_model()
        fit(model, fold_data)
        losses.append(mean_loss(model, fold_data.val_dataloader()))
    return torch.tensor(losses)
