"""The book's library: `import lib as d2l` runs the chapter's code.

The teaching core, in the order the book meets its ideas (one job each):

- checks: argument ranges declared as annotations (`lr: Positive`) and the checks behind them
- utils: methods added to a class later, saved (and checked) arguments, seeds, devices
- plotting: `plot` and `set_figsize`
- curves: what a ProgressBoard records: named curves of averaged points
- board: ProgressBoard, which draws the curves while a model trains
- base: Module, DataModule and Trainer
- tensor_loader: minibatches of tensors held in memory
- data: synthetic regression data with a known ground truth
- models: linear regression from scratch and concise, SGD, weight decay
- measures: how a trained model is judged (loss over a data set, errors, norms)
- runs: training out of sight, and how a run went in words
- polynomial: polynomial features, least squares, K-fold cross-validation
- weight_decay_data: few examples with many features

Apart from the core: `lib.notebook`, the notebook machinery (display hooks, figure
PNGs, the figure lint, the slider widget and the book's sliders), loaded only in a
notebook kernel or when a slider is asked for.

Every name a chapter uses is exported here.
"""
import sys

from torch import nn  # noqa: F401  (the book writes d2l.nn.Module in places)

from .base import DataModule, Module, Trainer, batch_count
from .board import ProgressBoard
from .checks import (NonNegative, NonNegativeInt, Positive, PositiveInt, Real, Tensors, Vector,
                     check_args, range_checks)
from .data import SyntheticRegressionData
from .measures import mean_loss, squared_loss, weight_norm
from .models import (SGD, LinearRegression, LinearRegressionScratch, WeightDecay,
                     WeightDecayScratch, l2_penalty)
from .plotting import plot, set_figsize
from .polynomial import (KFoldData, PolynomialData, cross_validate, exact_polynomial,
                         fit_least_squares, fold_indices, polynomial_features)
from .runs import fit_quietly, train_and_describe, with_batch_size
from .utils import (HyperParameters, add_to_class, cpu, device_of, gpu, num_gpus, set_seed,
                    try_gpu)
from .weight_decay_data import HighDimensionalData

# Names from lib.notebook, imported when first used (PEP 562): they need ipywidgets.
_NOTEBOOK_NAMES = {
    "learning_rate_slider": "training_sliders", "batch_size_slider": "training_sliders",
    "degree_slider": "complexity_sliders", "weight_decay_slider": "complexity_sliders",
    "FigureSlider": "widgets", "use_sharp_figures": "images",
}

__all__ = [
    "DataModule", "Module", "Trainer", "batch_count", "ProgressBoard",
    "NonNegative", "NonNegativeInt", "Positive", "PositiveInt", "Real", "Tensors", "Vector",
    "check_args", "range_checks", "SyntheticRegressionData",
    "mean_loss", "squared_loss", "weight_norm",
    "SGD", "LinearRegression", "LinearRegressionScratch", "WeightDecay",
    "WeightDecayScratch", "l2_penalty", "plot", "set_figsize",
    "KFoldData", "PolynomialData", "cross_validate", "exact_polynomial", "fit_least_squares",
    "fold_indices", "polynomial_features", "fit_quietly", "train_and_describe",
    "with_batch_size", "HyperParameters", "add_to_class", "cpu", "device_of", "gpu",
    "num_gpus", "set_seed", "try_gpu", "HighDimensionalData", *_NOTEBOOK_NAMES,
]


def __getattr__(name: str):
    if name in _NOTEBOOK_NAMES:
        import importlib
        module = importlib.import_module(f".notebook.{_NOTEBOOK_NAMES[name]}", __name__)
        return getattr(module, name)
    raise AttributeError(f"module 'lib' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_NOTEBOOK_NAMES))


# In a notebook kernel (which has imported IPython already), matplotlib's figures are
# shown as sharp PNGs (lib.notebook.images); a script loads none of this.
if "IPython" in sys.modules:
    from .notebook.images import use_sharp_figures
    use_sharp_figures()
