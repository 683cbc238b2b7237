"""On a CUDA GPU, the Trainer trains every model of the book to the same parameters as on the CPU.

Skipped, with the reason, on a machine without CUDA. The data and the initial
weights are drawn on the CPU from the same seeds, so the two runs differ only in
where the arithmetic happens; float32 sums in another order differ in the last
digits, hence the tolerance.
"""
import pytest
import torch

import lib as d2l

pytestmark = pytest.mark.skipif(not torch.cuda.is_available(), reason="this machine has no CUDA GPU")


def make_data():
    d2l.set_seed(0)
    return d2l.SyntheticRegressionData(w=torch.tensor([2.0, -3.4]), b=4.2, num_train=200,
                                       num_val=100, batch_size=16)


MODELS = {
    "scratch": lambda: d2l.LinearRegressionScratch(2, lr=0.03),
    "concise": lambda: d2l.LinearRegression(lr=0.03),
    "weight decay, scratch": lambda: d2l.WeightDecayScratch(2, lambd=3.0, lr=0.03),
    "weight decay, concise": lambda: d2l.WeightDecay(wd=3.0, lr=0.03),
}


def trained_parameters(make_model, num_gpus: int):
    data = make_data()
    d2l.set_seed(1)  # the initial weights and the minibatch order
    model = make_model()
    trainer = d2l.Trainer(max_epochs=3, num_gpus=num_gpus)
    trainer.fit(model, data)
    assert trainer.diverged is None
    params = [p.detach() for p in model.parameters()]
    assert params, "the model has no parameters"
    assert {p.device.type for p in params} == {"cuda" if num_gpus else "cpu"}
    return [p.cpu() for p in params]


@pytest.mark.parametrize("name", MODELS)
def test_training_on_the_gpu_matches_the_cpu(name):
    on_cpu = trained_parameters(MODELS[name], num_gpus=0)
    on_gpu = trained_parameters(MODELS[name], num_gpus=1)
    assert len(on_cpu) == len(on_gpu) > 0
    for cpu, gpu in zip(on_cpu, on_gpu):
        assert cpu.shape == gpu.shape
        assert torch.allclose(cpu, gpu, atol=1e-4, rtol=1e-4), (cpu, gpu)
