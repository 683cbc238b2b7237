"""Tests for lib/base.py: Module, DataModule and the Trainer's loop, checks and safeguards."""
import gc
import logging
import math
import weakref

import pytest
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

import lib as d2l


@pytest.fixture(scope="module")
def data():
    d2l.set_seed(0)
    return d2l.SyntheticRegressionData(w=torch.tensor([2.0, -3.4]), b=4.2)


def quiet_model(lr: float = 0.03) -> d2l.LinearRegressionScratch:
    model = d2l.LinearRegressionScratch(2, lr=lr)
    model.board.display = False
    return model


# -- Module --------------------------------------------------------------------------------
def test_a_module_without_a_trainer_cannot_plot():
    with pytest.raises(RuntimeError, match="needs a trainer"):
        quiet_model().plot("loss", 1.0, train=True)


def test_a_module_without_net_or_forward_says_what_is_missing():
    with pytest.raises(NotImplementedError, match="self.net"):
        d2l.Module()(torch.zeros(1, 2))


def test_a_module_with_a_net_uses_it():
    module = d2l.Module()
    module.net = nn.Linear(2, 3)
    assert module(torch.zeros(4, 2)).shape == (4, 3)


def test_the_board_gets_the_asked_number_of_points_per_epoch(data):
    model = d2l.LinearRegressionScratch(2, lr=0.03)
    model.plot_train_per_epoch = 4
    d2l.Trainer(max_epochs=3).fit(model, data)  # 32 batches of each kind per epoch
    curves = model.board.curves()
    assert set(curves) == {"train_loss", "val_loss"}
    assert len(curves["train_loss"]) == 3 * 4
    assert [x for x, _ in curves["val_loss"]] == [1, 2, 3]
    assert all(0 < x <= 3 for x, _ in curves["train_loss"])
    assert model.board.xlim == [0, 3] and model.board.xlabel == "epoch"


def test_a_module_checks_its_plotting_rates():
    with pytest.raises(ValueError, match="plot_train_per_epoch"):
        d2l.Module(plot_train_per_epoch=0)


# -- DataModule ------------------------------------------------------------------------------
class TensorData(d2l.DataModule):
    """A data module over given tensors: the first `num_train` rows train, the rest validate."""

    def __init__(self, X, y, num_train, batch_size):
        super().__init__()
        self.X, self.y, self.num_train, self.batch_size = X, y, num_train, batch_size

    def get_dataloader(self, train):
        rows = slice(0, self.num_train) if train else slice(self.num_train, None)
        return self.get_tensorloader((self.X, self.y), train, rows)


def test_get_tensorloader_slices_and_batches():
    X = torch.arange(10.0).reshape(10, 1)
    data = TensorData(X, 2 * X, num_train=7, batch_size=3)
    assert [len(x) for x, _ in data.train_dataloader()] == [3, 3, 1]
    val = list(data.val_dataloader())
    assert torch.equal(torch.cat([x for x, _ in val]), X[7:])
    assert torch.equal(torch.cat([y for _, y in val]), 2 * X[7:])


def test_a_data_module_must_define_its_loader():
    with pytest.raises(NotImplementedError):
        d2l.DataModule().train_dataloader()


# -- Trainer: bad input ----------------------------------------------------------------------------
@pytest.mark.parametrize("arguments, error, words", [
    (dict(max_epochs=0), ValueError, r"max_epochs must be an int in \[1, "),
    (dict(max_epochs=-3), ValueError, "max_epochs"),
    (dict(max_epochs=2.5), TypeError, "max_epochs must be an int"),
    (dict(max_epochs=1, num_gpus=-1), ValueError, "num_gpus"),
    (dict(max_epochs=1, gradient_clip_val=-1.0), ValueError, "gradient_clip_val"),
])
def test_bad_trainer_arguments_are_named(arguments, error, words):
    with pytest.raises(error, match=words):
        d2l.Trainer(**arguments)


class NoTrainingData(d2l.DataModule):
    """Validation examples but an empty training loader."""

    def get_dataloader(self, train):
        size = 0 if train else 4
        return DataLoader(TensorDataset(torch.zeros(size, 2), torch.zeros(size, 1)), batch_size=2)


def test_a_data_module_without_training_batches_is_refused():
    with pytest.raises(ValueError, match="no training batch"):
        d2l.Trainer(max_epochs=1).fit(quiet_model(), NoTrainingData())


class EmptyTensorData(d2l.DataModule):
    """A data module built with get_tensorloader whose training part is empty."""
    batch_size = 2

    def get_dataloader(self, train):
        X, y = torch.zeros(4, 2), torch.zeros(4, 1)
        return self.get_tensorloader((X, y), train, slice(4, None) if train else slice(0, None))


def test_an_empty_tensor_loader_reaches_the_trainers_message():
    with pytest.raises(ValueError, match="no training batch"):
        d2l.Trainer(max_epochs=1).fit(quiet_model(), EmptyTensorData())


# -- Trainer: devices -------------------------------------------------------------------------------
def test_the_trainer_uses_a_gpu_only_when_asked_and_present(monkeypatch):
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 0)
    assert d2l.Trainer(max_epochs=1, num_gpus=1).device == torch.device("cpu")
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)
    assert d2l.Trainer(max_epochs=1, num_gpus=1).device == torch.device("cuda:0")
    assert d2l.Trainer(max_epochs=1).device == torch.device("cpu")


def test_asking_for_a_missing_gpu_warns_once_saying_what_is_used(monkeypatch, caplog):
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 0)
    with caplog.at_level(logging.WARNING, logger="lib"):
        for _ in range(3):
            d2l.Trainer(max_epochs=1, num_gpus=3)
    messages = [record.getMessage() for record in caplog.records]
    assert len(messages) == 1, messages
    assert "num_gpus=3" in messages[0] and "has 0" in messages[0] and "CPU" in messages[0]


def test_asking_for_two_gpus_says_that_one_is_used(monkeypatch, caplog):
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)
    with caplog.at_level(logging.WARNING, logger="lib"):
        assert d2l.Trainer(max_epochs=1, num_gpus=2).device == torch.device("cuda:0")
        assert d2l.Trainer(max_epochs=1, num_gpus=1).device == torch.device("cuda:0")
    (message,) = [record.getMessage() for record in caplog.records]
    assert "num_gpus=2" in message and "cuda:0 alone" in message


# -- Trainer: the loop ----------------------------------------------------------------------------
def test_fit_lowers_the_loss_and_reports_no_divergence(data):
    model = quiet_model()
    X, y = data.X[:data.num_train], data.y[:data.num_train]
    before = model.loss(model(X), y).item()
    trainer = d2l.Trainer(max_epochs=2)
    trainer.fit(model, data)
    assert model.loss(model(X), y).item() < before / 20
    assert trainer.diverged is None
    assert trainer.train_batch_idx == 2 * 32 and trainer.val_batch_idx == 2 * 32


def test_backward_runs_with_gradients_enabled(data, monkeypatch):
    grad_modes = []
    backward = torch.Tensor.backward

    def recording_backward(self, *args, **kwargs):
        grad_modes.append(torch.is_grad_enabled())
        return backward(self, *args, **kwargs)

    monkeypatch.setattr(torch.Tensor, "backward", recording_backward)
    d2l.Trainer(max_epochs=1).fit(quiet_model(), data)
    assert len(grad_modes) == 32 and all(grad_modes)


def gradient_norm(parameters) -> float:
    return math.sqrt(sum((p.grad ** 2).sum().item() for p in parameters))


def model_with_gradients(w_grad, b_grad) -> d2l.LinearRegressionScratch:
    model = quiet_model()
    model.w.grad = torch.tensor(w_grad).reshape(2, 1)
    model.b.grad = torch.tensor(b_grad).reshape(1)
    return model


def test_clipping_rescales_a_large_gradient_to_the_given_norm():
    model = model_with_gradients([3.0, 0.0], [4.0])  # joint norm 5
    d2l.Trainer(max_epochs=1).clip_gradients(1.0, model)
    assert gradient_norm(model.parameters()) == pytest.approx(1.0)
    assert torch.allclose(model.w.grad.squeeze(1), torch.tensor([0.6, 0.0]))
    assert torch.allclose(model.b.grad, torch.tensor([0.8]))


def test_clipping_leaves_a_small_gradient_alone():
    model = model_with_gradients([0.3, 0.0], [0.4])
    d2l.Trainer(max_epochs=1).clip_gradients(1.0, model)
    assert torch.equal(model.w.grad.squeeze(1), torch.tensor([0.3, 0.0]))
    assert torch.equal(model.b.grad, torch.tensor([0.4]))


def test_clipping_ignores_parameters_without_gradients():
    model = quiet_model()
    d2l.Trainer(max_epochs=1).clip_gradients(1.0, model)  # nothing to clip, nothing fails
    assert model.w.grad is None and model.b.grad is None


@pytest.mark.parametrize("clip, clipped", [(0.0, False), (0.5, True)])
def test_fit_clips_when_asked(data, clip, clipped):
    model = quiet_model(lr=1e-4)  # so slow that the gradients stay large
    d2l.Trainer(max_epochs=1, gradient_clip_val=clip).fit(model, data)
    last_norm = gradient_norm(model.parameters())  # the last batch's gradient stays behind
    assert (last_norm <= 0.5 + 1e-6) == clipped


# -- Trainer: divergence ---------------------------------------------------------------------------
def test_a_diverging_run_stops_with_one_plain_message(data, caplog):
    model = d2l.LinearRegressionScratch(2, lr=50.0)
    trainer = d2l.Trainer(max_epochs=4)
    with caplog.at_level(logging.WARNING, logger="lib"):
        trainer.fit(model, data)
    assert trainer.diverged
    assert [record.getMessage() for record in caplog.records] == [trainer.diverged]
    assert "\n" not in trainer.diverged
    assert "diverged in epoch 1" in trainer.diverged
    assert "smaller learning rate than lr=50" in trainer.diverged
    assert trainer.epoch == 0  # it stopped in the epoch it names
    values = [y for curve in model.board.curves().values() for _, y in curve]
    assert all(math.isfinite(y) for y in values)
    assert "diverged" in model.board.summary()


def test_a_new_fit_clears_an_earlier_divergence(data):
    model = quiet_model(lr=50.0)
    trainer = d2l.Trainer(max_epochs=1)
    trainer.fit(model, data)
    assert trainer.diverged
    trainer.fit(quiet_model(), data)
    assert trainer.diverged is None


def test_trainer_messages_go_to_a_logger_not_to_stderr(data, capsys):
    logger = logging.getLogger("lib")
    previous = logger.level
    logger.setLevel(logging.ERROR)  # how a caller silences lib
    try:
        trainer = d2l.Trainer(max_epochs=1)
        trainer.fit(d2l.LinearRegressionScratch(2, lr=50.0), data)
    finally:
        logger.setLevel(previous)
    assert trainer.diverged
    assert capsys.readouterr() == ("", "")


# -- fitting a model again ---------------------------------------------------------------------
def test_fitting_a_model_again_continues_its_curves(data):
    model = d2l.LinearRegressionScratch(2, lr=0.03)
    d2l.Trainer(max_epochs=2).fit(model, data)
    d2l.Trainer(max_epochs=3).fit(model, data)
    for label, points in model.board.curves().items():
        xs = [x for x, _ in points]
        assert xs == sorted(xs) and len(set(xs)) == len(xs), f"{label} folds back: {xs}"
    assert [x for x, _ in model.board.curves()["val_loss"]] == [1, 2, 3, 4, 5]
    assert model.board.xlim == [0, 5]


def test_a_successful_fit_clears_a_stale_divergence_title(data):
    model = d2l.LinearRegressionScratch(2, lr=50.0)
    trainer = d2l.Trainer(max_epochs=1)
    trainer.fit(model, data)
    assert "diverged" in model.board.summary()
    with torch.no_grad():  # repair the weights, then train gently
        model.w.zero_()
        model.b.zero_()
    model.lr = 0.03
    trainer.fit(model, data)
    assert trainer.diverged is None and "diverged" not in model.board.summary()


# -- what a fit leaves behind ---------------------------------------------------------------------
def test_a_fitted_model_and_its_trainer_are_freed_without_the_cycle_collector(data):
    gc.disable()  # only reference counting frees objects from here on
    try:
        model = quiet_model()
        trainer = d2l.Trainer(max_epochs=1)
        trainer.fit(model, data)
        gone = weakref.ref(model), weakref.ref(trainer)
        del model, trainer
        assert gone[0]() is None and gone[1]() is None
    finally:
        gc.enable()


# -- Module.__call__ lets forward speak for itself ------------------------------------------------
class EmbeddingModel(d2l.Module):
    """A model whose input is integer token ids."""

    def __init__(self):
        super().__init__()
        self.net = nn.Embedding(5, 1)


def test_a_module_accepts_integer_inputs():
    assert EmbeddingModel()(torch.tensor([0, 3, 4])).shape == (3, 1)


class BuggyModel(d2l.Module):
    def forward(self, X):
        return X @ torch.ones(3, 1)  # a bug: the wrong shape of weights


def test_a_bug_inside_forward_surfaces_as_torchs_own_error():
    with pytest.raises(RuntimeError, match="cannot be multiplied"):
        BuggyModel()(torch.ones(4, 2))
