"""Tests for lib/utils.py: add_to_class, save_hyperparameters, set_seed and the device helpers."""
import random

import numpy as np
import pytest
import torch

import lib as d2l


def test_add_to_class_adds_a_method_that_existing_instances_see():
    class Counter:
        def __init__(self):
            self.count = 3

    counter = Counter()

    @d2l.add_to_class(Counter)
    def doubled(self):
        return 2 * self.count

    assert counter.doubled() == 6
    assert Counter().doubled() == 6
    assert doubled(counter) == 6  # the decorated function stays usable by its own name


def test_add_to_class_replaces_a_method_written_earlier():
    class Greeter:
        def greet(self):
            return "hello"

    @d2l.add_to_class(Greeter)
    def greet(self):
        return "hi"

    assert Greeter().greet() == "hi"


class Recorder(d2l.HyperParameters):
    def __init__(self, a, b=2, *, c=3, d=4, ignore=()):
        self.save_hyperparameters(ignore=ignore)


def test_save_hyperparameters_copies_every_argument_including_defaults():
    recorder = Recorder(1, c=30)
    assert (recorder.a, recorder.b, recorder.c, recorder.d) == (1, 2, 30, 4)
    assert recorder.hparams == {"a": 1, "b": 2, "c": 30, "d": 4, "ignore": ()}
    assert "self" not in recorder.hparams


def test_save_hyperparameters_skips_ignored_names():
    recorder = Recorder(1, 2, ignore=("b", "d"))
    assert not hasattr(recorder, "b") and not hasattr(recorder, "d")
    assert set(recorder.hparams) == {"a", "c", "ignore"}


def test_save_hyperparameters_sees_an_argument_rebound_before_the_call():
    class Normaliser(d2l.HyperParameters):
        def __init__(self, values):
            values = list(values)
            self.save_hyperparameters()

    assert Normaliser(iter([1, 2])).values == [1, 2]


def draw_from_every_generator():
    return random.random(), np.random.rand(), torch.rand(3)


def test_set_seed_makes_python_numpy_and_torch_repeat():
    d2l.set_seed(7)
    first = draw_from_every_generator()
    d2l.set_seed(7)
    again = draw_from_every_generator()
    d2l.set_seed(8)
    other = draw_from_every_generator()
    assert first[:2] == again[:2] and torch.equal(first[2], again[2])
    assert first[0] != other[0] and first[1] != other[1]
    assert not torch.equal(first[2], other[2])


def test_no_gpu_means_the_cpu(monkeypatch):
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 0)
    assert d2l.num_gpus() == 0
    assert d2l.try_gpu() == torch.device("cpu")
    assert d2l.cpu() == torch.device("cpu")


def test_an_existing_gpu_is_used_and_a_missing_one_falls_back(monkeypatch):
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)
    assert d2l.num_gpus() == 2
    assert d2l.try_gpu() == torch.device("cuda:0")
    assert d2l.try_gpu(1) == torch.device("cuda:1")
    assert d2l.try_gpu(2) == torch.device("cpu")
    assert d2l.gpu(3) == torch.device("cuda:3")


def test_num_gpus_reports_this_machine():
    assert d2l.num_gpus() == torch.cuda.device_count()
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert d2l.try_gpu().type == expected
