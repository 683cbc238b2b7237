"""Tests for lib/checks.py: argument checks that name the argument and its accepted range."""
import math

import pytest
import torch

from lib.checks import (check_int_in_range, check_targets, check_non_negative, check_non_negative_int,
                        check_positive, check_positive_int)


def test_positive_numbers_pass_through_as_floats():
    assert check_positive("lr", 3) == 3.0
    assert isinstance(check_positive("lr", 3), float)
    assert check_positive("lr", 1e-9) == 1e-9
    assert check_positive("lr", torch.tensor(0.5)) == 0.5


@pytest.mark.parametrize("value", [0, -0.1, -5, math.nan, math.inf, -math.inf])
def test_positive_rejects_zero_negative_and_non_finite(value):
    with pytest.raises(ValueError, match=r"lr must be a finite number > 0"):
        check_positive("lr", value)


def test_non_negative_accepts_zero_and_rejects_below_it():
    assert check_non_negative("noise", 0) == 0.0
    assert check_non_negative("noise", 2.5) == 2.5
    with pytest.raises(ValueError, match=r"noise must be a finite number >= 0, got -0.01"):
        check_non_negative("noise", -0.01)
    with pytest.raises(ValueError, match="noise"):
        check_non_negative("noise", math.nan)


@pytest.mark.parametrize("check", [check_positive, check_non_negative])
@pytest.mark.parametrize("value", ["0.1", None, True, [1.0], torch.ones(2)])
def test_numbers_of_the_wrong_type_raise_type_error(check, value):
    with pytest.raises(TypeError, match="wd must be a real number"):
        check("wd", value)


def test_int_range_accepts_both_ends_and_names_the_range():
    assert check_int_in_range("k", 2, 2, 5) == 2
    assert check_int_in_range("k", 5, 2, 5) == 5
    assert check_int_in_range("k", torch.tensor(3), 2, 5) == 3
    for value in (1, 6):
        with pytest.raises(ValueError, match=r"k must be an int in \[2, 5\], got " + str(value)):
            check_int_in_range("k", value, 2, 5)


@pytest.mark.parametrize("value", [2.0, 2.5, "2", True, None])
def test_int_range_refuses_non_integers(value):
    with pytest.raises(TypeError, match="k must be an int"):
        check_int_in_range("k", value, 0, 5)


def test_positive_int_starts_at_one_and_non_negative_int_at_zero():
    assert check_positive_int("batch_size", 1) == 1
    assert check_non_negative_int("num_val", 0) == 0
    with pytest.raises(ValueError, match=r"batch_size must be an int in \[1, "):
        check_positive_int("batch_size", 0)
    with pytest.raises(ValueError, match=r"num_val must be an int in \[0, "):
        check_non_negative_int("num_val", -1)
    with pytest.raises(ValueError, match=r"in \[1, 10\]"):
        check_positive_int("num_folds", 11, upper=10)


@pytest.mark.parametrize("y, words", [
    (torch.tensor([[1.0], [math.nan]]), "y must hold finite labels"),
    (torch.tensor([[1.0], [2e19]]), "y must hold finite labels"),
    (torch.tensor([[1.0], [math.inf]]), "y must hold finite labels"),
    (torch.ones(3, 1), "one label per prediction"),
])
def test_labels_are_checked_against_the_predictions(y, words):
    with pytest.raises(ValueError, match=words):
        check_targets(torch.zeros(2, 1), y)


def test_labels_must_be_real_tensors():
    with pytest.raises(TypeError, match="y must be a tensor"):
        check_targets(torch.zeros(2, 1), [1.0, 2.0])
    with pytest.raises(TypeError, match="y must hold real floating-point"):
        check_targets(torch.zeros(2, 1), torch.ones(2, 1, dtype=torch.int64))
    check_targets(torch.zeros(2, 1), torch.ones(2))  # any shape with one label each is fine


@pytest.mark.parametrize("check", [check_positive, check_non_negative])
def test_an_int_too_large_for_torch_is_refused_with_its_range(check):
    assert check("noise", 2 ** 63 - 1) == float(2 ** 63 - 1)
    with pytest.raises(ValueError, match=r"noise as an int must be at most 2\*\*63 - 1"):
        check("noise", 2 ** 64)
    assert check("noise", float(2 ** 64)) == float(2 ** 64)  # as a float it is fine
