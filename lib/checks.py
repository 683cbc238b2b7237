"""Argument checks that fail early with a message naming the argument and its range."""
import math
import numbers

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


def check_finite_real(name: str, value, largest: float = LARGEST) -> None:
    """Require a finite real number at most `largest` in size (a 1-element tensor counts)."""
    number = _as_number(name, value)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be a finite real number, got {value!r}")
    _check_not_huge(name, number, value, largest)


def check_make_model(make_model) -> None:
    """Require a function that makes a fresh model (a slider calls it once per value)."""
    if not callable(make_model):
        raise TypeError(f"make_model must be a function that returns a Module, got {make_model!r}")
