"""Tests for lib/polynomial.py: polynomial data, the closed-form fit and K-fold cross-validation."""
import pytest
import torch

import lib
from lib.polynomial import (KFoldData, PolynomialData, cross_validate, fit_least_squares,
                            fold_indices, mean_loss, polynomial_features)


def scratch_model(degree: int) -> lib.LinearRegressionScratch:
    return lib.LinearRegressionScratch(degree + 1, lr=0.01)


# -- polynomial_features ------------------------------------------------------------
def test_features_are_the_powers_of_x_from_zero_to_degree():
    x = torch.tensor([-2.0, 0.5, 3.0])
    features = polynomial_features(x, 3)
    assert features.shape == (3, 4)
    for power in range(4):
        assert torch.equal(features[:, power], x ** power)


def test_degree_zero_gives_a_column_of_ones():
    assert torch.equal(polynomial_features(torch.tensor([4.0, -1.0]), 0), torch.ones(2, 1))


def test_features_reject_a_negative_degree_and_a_2d_x():
    with pytest.raises(ValueError, match="degree"):
        polynomial_features(torch.zeros(3), -1)
    with pytest.raises(ValueError, match="x must be a 1-D tensor"):
        polynomial_features(torch.zeros(3, 1), 2)


# -- PolynomialData --------------------------------------------------------------------
def test_data_shapes_and_loader_sizes():
    torch.manual_seed(0)
    data = PolynomialData(degree=4, num_train=12, num_val=30, batch_size=5)
    assert data.x.shape == (42,)
    assert data.X.shape == (42, 5)
    assert data.y.shape == (42, 1)
    assert ((data.x >= -1) & (data.x <= 1)).all()
    assert sum(len(y) for _, y in data.train_dataloader()) == 12
    assert sum(len(y) for _, y in data.val_dataloader()) == 30


def test_noise_free_labels_lie_on_the_true_cubic():
    torch.manual_seed(0)
    data = PolynomialData(degree=3, noise=0.0)
    assert torch.allclose(data.y.squeeze(1), 0.5 + data.x - 2 * data.x ** 2 + 1.5 * data.x ** 3)


def test_with_degree_keeps_the_examples_and_changes_only_the_features():
    torch.manual_seed(0)
    data = PolynomialData(degree=3)
    higher = data.with_degree(7)
    assert higher.X.shape == (120, 8) and higher.degree == 7
    assert torch.equal(higher.x, data.x) and torch.equal(higher.y, data.y)
    assert data.X.shape == (120, 4) and data.degree == 3


@pytest.mark.parametrize("argument, value", [
    ("degree", -1), ("num_train", 0), ("num_val", -1), ("noise", -0.1), ("batch_size", 0)])
def test_data_rejects_bad_arguments_naming_them(argument, value):
    arguments = {"degree": 3, argument: value}
    with pytest.raises(ValueError, match=argument):
        PolynomialData(**arguments)


# -- fit_least_squares and mean_loss ------------------------------------------------------
def test_closed_form_recovers_the_cubic_from_noise_free_data():
    torch.manual_seed(0)
    data = PolynomialData(degree=3, noise=0.0)
    model = fit_least_squares(scratch_model(3), data)
    assert torch.allclose(model.w.detach().squeeze(1), torch.tensor([0.5, 1.0, -2.0, 1.5]),
                          atol=1e-4)
    assert model.b.item() == 0
    assert mean_loss(model, data.val_dataloader()) < 1e-9


def test_degree_one_less_than_the_examples_interpolates_them():
    torch.manual_seed(0)
    data = PolynomialData(degree=5, num_train=6, noise=0.3)
    model = fit_least_squares(scratch_model(5), data)
    assert mean_loss(model, data.train_dataloader()) < 1e-6


def test_closed_form_training_loss_is_below_an_sgd_fit():
    torch.manual_seed(0)
    data = PolynomialData(degree=3)
    sgd_model = scratch_model(3)
    lib.Trainer(max_epochs=3).fit(sgd_model, data)
    exact_model = fit_least_squares(scratch_model(3), data)
    assert (mean_loss(exact_model, data.train_dataloader())
            <= mean_loss(sgd_model, data.train_dataloader()))


def test_mean_loss_weights_an_uneven_last_batch_correctly():
    torch.manual_seed(0)
    data = PolynomialData(degree=2, num_train=7, num_val=13, batch_size=5)
    model = scratch_model(2)
    X, y = data.X[7:], data.y[7:]
    with torch.no_grad():
        expected = float(model.loss(model(X), y))
    assert mean_loss(model, data.val_dataloader()) == pytest.approx(expected, rel=1e-5)


# -- K-fold cross-validation ---------------------------------------------------------------
@pytest.mark.parametrize("num_examples, num_folds", [(20, 5), (23, 5), (7, 7), (10, 2)])
def test_folds_partition_the_examples_into_near_equal_parts(num_examples, num_folds):
    folds = fold_indices(num_examples, num_folds)
    assert len(folds) == num_folds
    assert sorted(torch.cat(folds).tolist()) == list(range(num_examples))
    sizes = [len(fold) for fold in folds]
    assert max(sizes) - min(sizes) <= 1


@pytest.mark.parametrize("num_folds", [1, 21])
def test_fold_count_outside_two_to_n_raises_naming_num_folds(num_folds):
    with pytest.raises(ValueError, match="num_folds"):
        fold_indices(20, num_folds)


def test_each_training_example_is_validated_exactly_once():
    torch.manual_seed(0)
    data = PolynomialData(degree=3, num_train=23, num_val=10)
    validated = []
    for fold in range(5):
        fold_data = KFoldData(data, num_folds=5, fold=fold)
        train, val = set(fold_data.train_indices.tolist()), set(fold_data.val_indices.tolist())
        assert not train & val
        assert train | val == set(range(23))  # the validation part of data is never used
        validated += fold_data.val_indices.tolist()
    assert sorted(validated) == list(range(23))


def test_fold_loaders_hand_out_the_fold_examples():
    torch.manual_seed(0)
    data = PolynomialData(degree=2, num_train=10, num_val=5, batch_size=3)
    fold_data = KFoldData(data, num_folds=5, fold=1)
    val_X = torch.cat([X for X, _ in fold_data.val_dataloader()])
    assert torch.equal(val_X, data.X[2:4])
    assert sum(len(y) for _, y in fold_data.train_dataloader()) == 8


def test_fold_out_of_range_raises_naming_fold():
    torch.manual_seed(0)
    data = PolynomialData(degree=3)
    with pytest.raises(ValueError, match="fold"):
        KFoldData(data, num_folds=5, fold=5)


def test_cross_validate_trains_one_fresh_model_per_fold():
    torch.manual_seed(0)
    data = PolynomialData(degree=3)
    made, fitted = [], []

    def make_model():
        made.append(scratch_model(3))
        return made[-1]

    def fit(model, fold_data):
        fitted.append(fold_data.fold)
        return fit_least_squares(model, fold_data)

    losses = cross_validate(make_model, data, num_folds=4, fit=fit)
    assert losses.shape == (4,)
    assert fitted == [0, 1, 2, 3]
    assert len({id(model) for model in made}) == 4


def test_cross_validate_reports_each_fold_validation_loss():
    torch.manual_seed(0)
    data = PolynomialData(degree=6)
    losses = cross_validate(lambda: scratch_model(6), data, num_folds=5)
    for fold in range(5):
        fold_data = KFoldData(data, 5, fold)
        model = fit_least_squares(scratch_model(6), fold_data)
        assert losses[fold].item() == pytest.approx(mean_loss(model, fold_data.val_dataloader()))


def test_cross_validation_prefers_the_true_degree_to_a_line():
    torch.manual_seed(0)
    data = PolynomialData(degree=3, num_train=40)
    cubic = cross_validate(lambda: scratch_model(3), data, 5).mean()
    line = cross_validate(lambda: scratch_model(1), data.with_degree(1), 5).mean()
    assert cubic < line
