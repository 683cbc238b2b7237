"""Tests for lib/data.py: SyntheticRegressionData and the loaders it hands out."""
import pytest
import torch

import lib as d2l

TRUE_W = torch.tensor([2.0, -3.4])
TRUE_B = 4.2


def make_data(**arguments) -> d2l.SyntheticRegressionData:
    d2l.set_seed(0)
    return d2l.SyntheticRegressionData(**{"w": TRUE_W, "b": TRUE_B, **arguments})


def batch_sizes(loader):
    return [len(y) for _, y in loader]


def test_shapes_follow_the_weights_and_the_split():
    data = make_data(w=torch.ones(5), num_train=30, num_val=12, batch_size=8)
    assert data.X.shape == (42, 5)
    assert data.y.shape == (42, 1)
    features, labels = next(iter(data.train_dataloader()))
    assert features.shape == (8, 5)
    assert labels.shape == (8, 1)


def test_labels_follow_the_linear_model_with_the_asked_noise():
    exact = make_data(noise=0.0)
    assert torch.allclose(exact.y, exact.X @ TRUE_W.reshape(-1, 1) + TRUE_B, atol=1e-5)
    noisy = make_data(noise=0.5)
    residual = noisy.y - (noisy.X @ TRUE_W.reshape(-1, 1) + TRUE_B)
    assert residual.std().item() == pytest.approx(0.5, rel=0.1)
    assert abs(residual.mean().item()) < 0.05


def test_weights_may_be_given_as_a_list():
    data = make_data(w=[1.0, 2.0, 3.0], noise=0.0, num_train=4, num_val=0)
    assert data.X.shape == (4, 3)
    assert torch.allclose(data.y.squeeze(1), data.X @ torch.tensor([1.0, 2.0, 3.0]) + TRUE_B)


@pytest.mark.parametrize("num_train, num_val, batch_size, train_sizes, val_sizes", [
    (10, 7, 4, [4, 4, 2], [4, 3]),
    (12, 3, 4, [4, 4, 4], [3]),
    (5, 0, 32, [5], []),
    (1000, 1000, 32, [32] * 31 + [8], [32] * 31 + [8]),
])
def test_loader_lengths_keep_a_last_partial_batch(num_train, num_val, batch_size,
                                                  train_sizes, val_sizes):
    data = make_data(num_train=num_train, num_val=num_val, batch_size=batch_size)
    assert len(data.train_dataloader()) == len(train_sizes)
    assert len(data.val_dataloader()) == len(val_sizes)
    assert sorted(batch_sizes(data.train_dataloader()), reverse=True) == train_sizes
    assert batch_sizes(data.val_dataloader()) == val_sizes


def rows_seen(loader) -> torch.Tensor:
    return torch.cat([features for features, _ in loader])


def test_training_batches_are_shuffled_afresh_on_every_pass():
    data = make_data(num_train=50, num_val=20, batch_size=8)
    first, second = rows_seen(data.train_dataloader()), rows_seen(data.train_dataloader())
    training_rows = data.X[:50]
    assert not torch.equal(first, training_rows)
    assert not torch.equal(first, second)
    for seen in (first, second):  # every training example exactly once, nothing else
        order = torch.argsort(seen[:, 0])
        assert torch.equal(seen[order], training_rows[torch.argsort(training_rows[:, 0])])


def test_validation_batches_come_in_order_every_time():
    data = make_data(num_train=50, num_val=20, batch_size=8)
    for _ in range(2):
        assert torch.equal(rows_seen(data.val_dataloader()), data.X[50:])
    labels = torch.cat([y for _, y in data.val_dataloader()])
    assert torch.equal(labels, data.y[50:])


def test_features_and_labels_stay_paired_after_shuffling():
    data = make_data(noise=0.0, num_train=40, num_val=0, batch_size=16)
    for features, labels in data.train_dataloader():
        assert torch.allclose(labels, features @ TRUE_W.reshape(-1, 1) + TRUE_B, atol=1e-5)


@pytest.mark.parametrize("argument, value, words", [
    ("num_train", 0, r"num_train must be an int in \[1, "),
    ("num_train", -5, "num_train"),
    ("batch_size", 0, r"batch_size must be an int in \[1, "),
    ("batch_size", -1, "batch_size"),
    ("noise", -0.01, r"noise must be a finite number >= 0"),
    ("num_val", -1, r"num_val must be an int in \[0, "),
])
def test_bad_sizes_and_noise_raise_naming_the_argument(argument, value, words):
    with pytest.raises(ValueError, match=words):
        make_data(**{argument: value})


@pytest.mark.parametrize("w", [torch.ones(2, 1), torch.tensor(2.0), torch.ones(0), [[1.0, 2.0]]])
def test_weights_that_are_not_a_non_empty_vector_are_refused(w):
    with pytest.raises(ValueError, match="w must be a non-empty 1-D tensor"):
        make_data(w=w)


def test_weights_that_are_not_numbers_are_refused():
    with pytest.raises(TypeError, match="w must"):
        make_data(w=["a", "b"])
    with pytest.raises(ValueError, match="finite"):
        make_data(w=torch.tensor([1.0, float("nan")]))


def test_fractional_sizes_are_a_type_error():
    with pytest.raises(TypeError, match="batch_size must be an int"):
        make_data(batch_size=8.5)


def test_w_and_b_are_held_to_the_same_limit_as_labels():
    from lib.checks import LARGEST_LABEL, check_targets
    with pytest.raises(ValueError, match=r"\bw must hold numbers below 1.84e\+19"):
        d2l.SyntheticRegressionData(w=[1e25], b=0.0)
    with pytest.raises(ValueError, match=r"\bb must be at most 1.84e\+19"):
        d2l.SyntheticRegressionData(w=[1.0], b=1e20)
    d2l.set_seed(0)
    with pytest.raises(ValueError, match=r"made from w, b and noise"):
        d2l.SyntheticRegressionData(w=[1e19], b=1.8e19, num_train=10, num_val=0)
    # Whatever data accepts, the loss accepts as labels.
    data = d2l.SyntheticRegressionData(w=[1e15], b=1e15, num_train=10, num_val=0)
    check_targets(torch.zeros_like(data.y), data.y)
    assert float(data.y.abs().max()) < LARGEST_LABEL
