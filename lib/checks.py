"""Argument ranges: the annotations that declare them, and the checks behind them.

A hyperparameter's range is declared once, as its annotation (`lr: Positive`);
`HyperParameters.save_hyperparameters()` and the `check_args` decorator check every
argument so annotated and convert it (a list of numbers becomes a tensor for `Vector`).
A bad value raises a ValueError or TypeError that names the argument and its range.
For a type checker the annotations are plain float, int and Tensor (`typing.Annotated`).
"""
import functools
import inspect
import math
import numbers
import typing
from typing import Annotated, Callable, Dict, TypeVar

import torch

# Larger magnitudes overflow float32 (largest about 3.4e38) after a few products,
# turning data or weights into silent infinities, so the checks refuse them.
LARGEST = 1e30
# The squared loss squares every label, so a label must stay below the square root of
# float32's largest number (about 1.8e19); the data's w and b are held to the same limit.
LARGEST_LABEL = float(torch.finfo(torch.float32).max) ** 0.5


# torch turns a Python int into a 64-bit integer: a larger one cannot scale a tensor.
LARGEST_INT = 2 ** 63 - 1


def _check_not_huge(name: str, number: float, value, largest: float = LARGEST) -> float:
    if abs(number) > largest:
        raise ValueError(f"{name} must be at most {largest:.3g} in size "
                         f"(float32 would overflow), got {value!r}")
    if isinstance(value, numbers.Integral) and abs(value) > LARGEST_INT:
        raise ValueError(f"{name} as an int must be at most 2**63 - 1 in size (torch's "
                         f"int64), got {value!r}; pass it as a float")
    return number


def check_real(name: str, value) -> float:
    """Require a real number (a 1-element tensor counts); NaN and infinity pass."""
    return _as_number(name, value)


def _as_number(name: str, value) -> float:
    """Return `value` as a float, or raise TypeError naming `name`."""
    if isinstance(value, torch.Tensor) and value.numel() == 1:
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {value!r} "
                        f"of type {type(value).__name__}")
    return float(value)


def check_positive(name: str, value) -> float:
    """Require a finite number greater than 0."""
    number = _as_number(name, value)
    if not (math.isfinite(number) and number > 0):
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")
    return _check_not_huge(name, number, value)


def check_non_negative(name: str, value) -> float:
    """Require a finite number greater than or equal to 0."""
    number = _as_number(name, value)
    if not (math.isfinite(number) and number >= 0):
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    return _check_not_huge(name, number, value)


def check_int_in_range(name: str, value, lower: int, upper: int = 10**9) -> int:
    """Require a whole number in [lower, upper]."""
    if isinstance(value, torch.Tensor) and value.numel() == 1:
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int, got {value!r} "
                        f"of type {type(value).__name__}")
    if not lower <= value <= upper:
        raise ValueError(f"{name} must be an int in [{lower}, {upper}], got {value!r}")
    return int(value)


def check_positive_int(name: str, value, upper: int = 10**9) -> int:
    """Require a whole number in [1, upper]."""
    return check_int_in_range(name, value, 1, upper)


def check_non_negative_int(name: str, value, upper: int = 10**9) -> int:
    """Require a whole number in [0, upper]."""
    return check_int_in_range(name, value, 0, upper)


def check_instance(name: str, value, kind: type) -> None:
    """Require an instance of `kind` (a lib Module, a DataModule, ...)."""
    if not isinstance(value, kind):
        raise TypeError(f"{name} must be a {kind.__name__}, got {value!r} "
                        f"of type {type(value).__name__}")


def check_real_tensor(name: str, value, ndim=None) -> None:
    """Require a tensor of real floating-point numbers (with `ndim` dimensions if given)."""
    if not isinstance(value, torch.Tensor):
        raise TypeError(f"{name} must be a tensor, got {value!r} of type {type(value).__name__}")
    if not value.is_floating_point():
        raise TypeError(f"{name} must hold real floating-point numbers, got dtype {value.dtype}")
    if ndim is not None and value.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-D tensor, got shape {tuple(value.shape)}")


def check_tensors(name: str, values, same_length: bool = False) -> None:
    """Require a list or tuple of tensors (with as many rows each, if `same_length`)."""
    if not isinstance(values, (list, tuple)) or not all(
            isinstance(value, torch.Tensor) for value in values):
        raise TypeError(f"{name} must be a list or tuple of tensors, got {values!r}")
    if same_length and (not values or any(value.ndim == 0 for value in values)
                        or len({len(value) for value in values}) > 1):
        raise ValueError(f"{name} must be tensors with the same number of rows, got shapes "
                         f"{[tuple(value.shape) for value in values]}")


def check_iterable(name: str, value) -> None:
    """Require something a for loop can go through (without consuming it)."""
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        raise TypeError(f"{name} must be an iterable of tensors, got {value!r}")


def check_targets(y_hat, y) -> None:
    """Require predictions and labels: tensors with one label per prediction, labels finite."""
    check_real_tensor("y_hat", y_hat)
    check_real_tensor("y", y)
    if y.numel() != y_hat.numel():
        raise ValueError(f"y must hold one label per prediction: y_hat has {y_hat.numel()} "
                         f"numbers, y has {y.numel()}")
    check_labels("y", y)


def check_labels(name: str, y) -> None:
    """Require labels whose squares fit in float32: finite and below LARGEST_LABEL in size."""
    # One reduction instead of an elementwise test: NaN fails the comparison as well.
    if y.numel() and not float(y.abs().max()) < LARGEST_LABEL:
        raise ValueError(f"{name} must hold finite labels small enough to square in float32 "
                         f"(below {LARGEST_LABEL:.3g} in size)")


def check_finite_real(name: str, value, largest: float = LARGEST) -> float:
    """Require a finite real number at most `largest` in size (a 1-element tensor counts)."""
    number = _as_number(name, value)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be a finite real number, got {value!r}")
    return _check_not_huge(name, number, value, largest)


def as_vector(name: str, value) -> torch.Tensor:
    """`value` (a tensor or a list of numbers) as a non-empty 1-D float32 tensor of finite
    numbers whose squares fit in float32, or an error saying why not."""
    if not isinstance(value, torch.Tensor):
        try:
            value = torch.as_tensor(value, dtype=torch.float32)
        except (TypeError, ValueError, RuntimeError) as error:
            raise TypeError(f"{name} must be a 1-D tensor of numbers, got {value!r}") from error
    if value.ndim != 1 or value.numel() == 0:
        raise ValueError(f"{name} must be a non-empty 1-D tensor, got shape {tuple(value.shape)}")
    if not (value.is_floating_point() or value.dtype in (torch.int32, torch.int64)):
        raise TypeError(f"{name} must hold real numbers, got dtype {value.dtype}")
    value = value.float()
    if not torch.isfinite(value).all():
        raise ValueError(f"{name} must hold finite numbers (no NaN or infinity)")
    if value.abs().max() >= LARGEST_LABEL:
        raise ValueError(f"{name} must hold numbers below {LARGEST_LABEL:.3g} in size, the "
                         "limit for labels (their squares must fit in float32)")
    return value


def as_tensor_list(name: str, values) -> list:
    """`values` (any iterable of tensors, such as model.parameters()) as a list of tensors."""
    check_iterable(name, values)
    values = list(values)
    check_tensors(name, values)
    return values


def check_fold_count(num_folds: int, num_examples: int) -> None:
    """Require between 2 folds and one fold per example."""
    if not 2 <= num_folds <= num_examples:
        raise ValueError(f"num_folds must be an int in [2, {num_examples}] (the number "
                         f"of examples), got {num_folds}")


# -- ranges declared as annotations ------------------------------------------------------------
class ArgumentCheck:
    """What an annotation such as `Positive` carries: `check(name, value)` returns the
    value to use, or raises an error naming the argument and its range."""

    def __init__(self, check: Callable, **options):
        self.check, self.options = check, options

    def __call__(self, name: str, value):
        return self.check(name, value, **self.options)

    def __repr__(self) -> str:
        return f"ArgumentCheck({self.check.__name__})"


Real = Annotated[float, ArgumentCheck(check_finite_real, largest=LARGEST_LABEL)]
Real.__doc__ = "A finite real number, small enough that its square fits in float32."
Positive = Annotated[float, ArgumentCheck(check_positive)]
Positive.__doc__ = "A finite number > 0 (learning rates, standard deviations)."
NonNegative = Annotated[float, ArgumentCheck(check_non_negative)]
NonNegative.__doc__ = "A finite number >= 0 (noise, weight decay)."
PositiveInt = Annotated[int, ArgumentCheck(check_positive_int)]
PositiveInt.__doc__ = "A whole number >= 1 (sizes, epochs)."
NonNegativeInt = Annotated[int, ArgumentCheck(check_non_negative_int)]
NonNegativeInt.__doc__ = "A whole number >= 0 (counts that may be zero, degrees)."
Vector = Annotated[torch.Tensor, ArgumentCheck(as_vector)]
Vector.__doc__ = "A 1-D float tensor, from a tensor or a list of numbers (weights)."
Tensors = Annotated[list, ArgumentCheck(as_tensor_list)]
Tensors.__doc__ = "A list of tensors, from any iterable of them (a model's parameters)."


@functools.lru_cache(maxsize=None)
def argument_checks(function: Callable) -> Dict[str, ArgumentCheck]:
    """The checks that `function`'s annotations declare, by argument name."""
    try:
        hints = typing.get_type_hints(function, include_extras=True)
    except Exception:  # an annotation that cannot be resolved declares no check
        hints = getattr(function, "__annotations__", {})
    return {name: check for name, hint in hints.items()
            if typing.get_origin(hint) is Annotated
            for check in hint.__metadata__ if isinstance(check, ArgumentCheck)}


def range_checks(obj, frame) -> Dict[str, ArgumentCheck]:
    """The checks declared by the annotations of the method of `obj` running in `frame`."""
    code = frame.f_code
    for cls in type(obj).__mro__:
        method = vars(cls).get(code.co_name)
        if callable(method) and getattr(inspect.unwrap(method), "__code__", None) is code:
            return argument_checks(method)
    return {}


Function = TypeVar("Function", bound=Callable)


def check_args(function: Function) -> Function:
    """Decorator: the arguments whose annotations declare a range (`degree: NonNegativeInt`)
    are checked and converted on every call."""
    signature = inspect.signature(function)
    checks = argument_checks(function)

    @functools.wraps(function)
    def checked(*args, **kwargs):
        bound = signature.bind(*args, **kwargs)
        for name, value in bound.arguments.items():
            if name in checks:
                bound.arguments[name] = checks[name](name, value)
        return function(*bound.args, **bound.kwargs)
    return checked


def check_make_model(make_model) -> None:
    """Require a function that makes a fresh model (a slider calls it once per value)."""
    if not callable(make_model):
        raise TypeError(f"make_model must be a function that returns a Module, got {make_model!r}")
