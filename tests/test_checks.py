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


# -- ranges declared as annotations --------------------------------------------------------
import lib as d2l  # noqa: E402


class Ranged(d2l.HyperParameters):
    def __init__(self, w: d2l.Vector, lr: d2l.Positive, n: d2l.PositiveInt = 2, plain=None):
        self.save_hyperparameters()


def test_save_hyperparameters_checks_and_converts_annotated_arguments():
    made = Ranged([1, 2], 1)
    assert isinstance(made.w, torch.Tensor) and made.w.dtype == torch.float32
    assert made.lr == 1.0 and isinstance(made.lr, float) and made.n == 2
    assert made.hparams["w"] is made.w
    with pytest.raises(ValueError, match=r"lr must be a finite number > 0, got 0"):
        Ranged([1.0], 0)
    with pytest.raises(TypeError, match=r"n must be an int"):
        Ranged([1.0], 0.1, n=2.5)
    with pytest.raises(ValueError, match=r"w must be a non-empty 1-D tensor"):
        Ranged([], 0.1)


def test_a_subclass_checks_its_parent_arguments_with_the_parent_annotations():
    class Child(Ranged):
        def __init__(self, w, lr, extra: d2l.NonNegative = 0):
            super().__init__(w, lr)
            self.save_hyperparameters()

    with pytest.raises(ValueError, match="lr must be"):
        Child([1.0], -1)
    with pytest.raises(ValueError, match="extra must be"):
        Child([1.0], 1, extra=-1)


def test_check_args_checks_a_plain_function():
    @d2l.check_args
    def powers(x, degree: d2l.NonNegativeInt, scale: d2l.Real = 1.0):
        return degree, scale

    assert powers(None, torch.tensor(3), scale=2) == (3, 2.0)
    with pytest.raises(ValueError, match=r"degree must be an int in \[0, "):
        powers(None, -1)
    with pytest.raises(ValueError, match="scale must be a finite real number"):
        powers(None, 1, scale=math.inf)
    assert powers.__name__ == "powers"


def test_the_annotations_are_plain_types_for_a_type_checker():
    import typing
    assert typing.get_origin(d2l.Positive) is typing.Annotated
    assert typing.get_args(d2l.Positive)[0] is float
    assert typing.get_args(d2l.PositiveInt)[0] is int
    assert typing.get_args(d2l.Vector)[0] is torch.Tensor
