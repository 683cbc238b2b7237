"""Stand-in for torchvision (d2l 1.0.3 imports it; the benchmark never uses it)."""
from _stub import Unavailable

from . import transforms  # noqa: F401

datasets = Unavailable("torchvision.datasets")
