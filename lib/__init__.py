"""The book's library: `import lib as d2l` runs the chapter's code.

Public names are re-exported here from small modules, one topic each:
utils (helpers), board (ProgressBoard), plotting (plot), base (Module,
DataModule, Trainer), data (SyntheticRegressionData) and models.
"""
from torch import nn  # noqa: F401  (the book writes d2l.nn.Module in places)

from .base import DataModule, Module, Trainer
from .board import ProgressBoard
from .data import SyntheticRegressionData
from .models import (SGD, LinearRegression, LinearRegressionScratch, WeightDecay,
                     WeightDecayScratch, l2_penalty)
from .plotting import plot, set_figsize
from .polynomial import (KFoldData, PolynomialData, cross_validate, fit_least_squares,
                         fold_indices, mean_loss, polynomial_features)
from .weight_decay_data import HighDimensionalData
from .training_sliders import batch_size_slider, learning_rate_slider
from .utils import HyperParameters, add_to_class, cpu, gpu, num_gpus, set_seed, try_gpu

__all__ = [
    "DataModule", "Module", "Trainer", "ProgressBoard", "SyntheticRegressionData",
    "SGD", "LinearRegression", "LinearRegressionScratch", "WeightDecay",
    "WeightDecayScratch", "l2_penalty", "plot", "set_figsize", "HyperParameters",
    "add_to_class", "cpu", "gpu", "num_gpus", "set_seed", "try_gpu",
    "KFoldData", "PolynomialData", "cross_validate", "fit_least_squares", "fold_indices",
    "mean_loss", "polynomial_features", "HighDimensionalData",
    "batch_size_slider", "learning_rate_slider",
]
