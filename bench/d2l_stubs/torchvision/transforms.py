"""Stand-in for torchvision.transforms."""
from _stub import Unavailable


def __getattr__(name: str) -> Unavailable:
    return Unavailable(f"torchvision.transforms.{name}")
