"""Tests for lib/weight_decay_data.py: the high-dimensional data of the weight-decay lesson."""
import pytest
import torch

from lib.weight_decay_data import HighDimensionalData


def test_default_shapes_and_loader_sizes():
    torch.manual_seed(0)
    data = HighDimensionalData()
    assert data.X.shape == (120, 200)
    assert data.y.shape == (120, 1)
    train_batches = list(data.train_dataloader())
    val_batches = list(data.val_dataloader())
    assert [len(y) for _, y in train_batches] == [5] * 4
    assert [len(y) for _, y in val_batches] == [5] * 20


def test_labels_follow_the_stated_linear_model():
    torch.manual_seed(0)
    data = HighDimensionalData(num_train=500, num_val=500)
    residual = data.y.squeeze(1) - (0.05 + 0.01 * data.X.sum(dim=1))
    assert abs(residual.mean().item()) < 0.002
    assert residual.std().item() == pytest.approx(0.01, rel=0.1)


def test_the_number_of_inputs_can_change():
    torch.manual_seed(0)
    data = HighDimensionalData(num_train=3, num_val=2, num_inputs=7, batch_size=2)
    assert data.X.shape == (5, 7)
    assert data.num_inputs == 7
    assert torch.equal(data.w, torch.full((7,), 0.01))


@pytest.mark.parametrize("argument, value", [
    ("num_inputs", 0), ("num_train", 0), ("num_val", -1), ("batch_size", 0)])
def test_bad_arguments_raise_naming_them(argument, value):
    with pytest.raises(ValueError, match=argument):
        HighDimensionalData(**{argument: value})
