"""Tests for lib/plotting.py: plot and set_figsize."""
import matplotlib.pyplot as plt

import lib as d2l


def test_set_figsize_sets_the_size_of_the_next_plot():
    try:
        d2l.set_figsize((6, 2))
        axes = d2l.plot([0, 1, 2], [[0, 1, 4]])
        assert tuple(axes.figure.get_size_inches()) == (6, 2)
        axes = d2l.plot([0, 1], [[1, 0]], figsize=(2, 2))  # an explicit size still wins
        assert tuple(axes.figure.get_size_inches()) == (2, 2)
    finally:
        d2l.set_figsize()
        plt.close("all")
    axes = d2l.plot([0, 1], [[1, 0]])
    assert tuple(axes.figure.get_size_inches()) == (3.5, 2.5)
    plt.close("all")
