"""Argument checks that fail early with a message naming the argument and its range."""
import math
import numbers

import torch

# Larger magnitudes overflow float32 (largest about 3.4e38) after a few products,
# turning data or weights into silent infinities, so the checks refuse them.
LARGEST = 1e30


def _check_not_huge(name: str, number: float, value) -> float:
    if abs(number) > LARGEST:
        raise ValueError(f"{name} must be at most {LARGEST:g} in size "
                         f"(float32 would overflow), got {value!r}")
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
