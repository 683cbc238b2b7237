"""The book's library: `import lib as d2l` runs the chapter's code.

Its modules, in the order the book meets their ideas:

- utils: methods added to a class later, saved arguments, seeds, devices
- checks: argument checks that name the argument and its accepted range
- kernel: whether the code runs in a notebook kernel, and whether a reader watches
- images: figures as PNGs, sharp on high-density screens and small
- plotting: `plot` and `set_figsize`
- curves, board: what a ProgressBoard records, and how it shows it
- base: Module, DataModule and Trainer
- tensor_loader, data: minibatches of tensors; synthetic regression data
- models: linear regression from scratch and concise, SGD, weight decay
- measures: how a trained model is judged (loss over a data set, errors, norms)
- polynomial: polynomial features, least squares, K-fold cross-validation
- weight_decay_data: few examples with many features
- training_figures: training out of sight and drawing the run
- widgets: the slider widget
- training_sliders, complexity_sliders: the book's sliders
- glue: numbers for the prose

Public names of the chapter's API are re-exported here.
"""
from torch import nn  # noqa: F401  (the book writes d2l.nn.Module in places)

from .base import DataModule, Module, Trainer
from .board import ProgressBoard
from .data import SyntheticRegressionData
from .measures import mean_loss
from .models import (SGD, LinearRegression, LinearRegressionScratch, WeightDecay,
                     WeightDecayScratch, l2_penalty)
from .plotting import plot, set_figsize
from .polynomial import (KFoldData, PolynomialData, cross_validate, fit_least_squares,
                         fold_indices, polynomial_features)
from .weight_decay_data import HighDimensionalData
from .training_sliders import batch_size_slider, learning_rate_slider
from .utils import HyperParameters, add_to_class, cpu, gpu, num_gpus, set_seed, try_gpu
from .images import use_sharp_figures

__all__ = [
    "DataModule", "Module", "Trainer", "ProgressBoard", "SyntheticRegressionData",
    "SGD", "LinearRegression", "LinearRegressionScratch", "WeightDecay",
    "WeightDecayScratch", "l2_penalty", "plot", "set_figsize", "HyperParameters",
    "add_to_class", "cpu", "gpu", "num_gpus", "set_seed", "try_gpu",
    "KFoldData", "PolynomialData", "cross_validate", "fit_least_squares", "fold_indices",
    "mean_loss", "polynomial_features", "HighDimensionalData",
    "batch_size_slider", "learning_rate_slider", "use_sharp_figures",
]

# In a notebook kernel, matplotlib's figures are shown as sharp PNGs (lib.images).
use_sharp_figures()
