"""Code written for the original d2l chapter 3 (PyTorch) runs on `import lib as d2l`.

The test runs the original sections' own classes and their replacement of
`Trainer.fit_epoch` and `prepare_batch` (restored afterwards), so that lib's
redesign keeps the attributes that code relies on.
"""
import numpy as np
import pytest
import torch

import lib as d2l


@pytest.fixture
def original_trainer_methods():
    saved = {name: d2l.Trainer.__dict__[name] for name in ("fit_epoch", "prepare_batch")}
    yield
    for name, method in saved.items():
        setattr(d2l.Trainer, name, method)


def test_the_original_sections_code_trains_on_lib(original_trainer_methods):
    board = d2l.ProgressBoard("x")
    for x in np.arange(0, 10, 0.1):
        board.draw(x, np.sin(x), "sin", every_n=2)
    assert len(board.curves()["sin"]) == 50

    class LinearRegressionScratch(d2l.Module):
        def __init__(self, num_inputs, lr, sigma=0.01):
            super().__init__()
            self.save_hyperparameters()
            self.w = torch.normal(0, sigma, (num_inputs, 1), requires_grad=True)
            self.b = torch.zeros(1, requires_grad=True)

        def forward(self, X):
            return torch.matmul(X, self.w) + self.b

        def loss(self, y_hat, y):
            l = (y_hat - y) ** 2 / 2
            return l.mean()

        def configure_optimizers(self):
            return SGD([self.w, self.b], self.lr)

    class SGD(d2l.HyperParameters):
        def __init__(self, params, lr):
            self.save_hyperparameters()

        def step(self):
            for param in self.params:
                param -= self.lr * param.grad

        def zero_grad(self):
            for param in self.params:
                if param.grad is not None:
                    param.grad.zero_()

    @d2l.add_to_class(d2l.Trainer)
    def prepare_batch(self, batch):
        return batch

    @d2l.add_to_class(d2l.Trainer)
    def fit_epoch(self):
        self.model.train()
        for batch in self.train_dataloader:
            loss = self.model.training_step(self.prepare_batch(batch))
            self.optim.zero_grad()
            with torch.no_grad():
                loss.backward()
                if self.gradient_clip_val > 0:
                    self.clip_gradients(self.gradient_clip_val, self.model)
                self.optim.step()
            self.train_batch_idx += 1
        if self.val_dataloader is None:
            return
        self.model.eval()
        for batch in self.val_dataloader:
            with torch.no_grad():
                self.model.validation_step(self.prepare_batch(batch))
            self.val_batch_idx += 1

    d2l.set_seed(0)
    data = d2l.SyntheticRegressionData(w=torch.tensor([2, -3.4]), b=4.2)
    X, y = next(iter(data.train_dataloader()))
    assert X.shape == (32, 2) and y.shape == (32, 1) and len(data.train_dataloader()) == 32
    model = LinearRegressionScratch(2, lr=0.03)
    model.board.display = False
    trainer = d2l.Trainer(max_epochs=3)
    trainer.fit(model, data)
    with torch.no_grad():
        w_error = data.w - model.w.reshape(data.w.shape)
    assert float(w_error.abs().max()) < 0.5  # from |w| = 3.4 at the start
    assert trainer.train_batch_idx == 3 * 32 and trainer.val_batch_idx == 3 * 32
