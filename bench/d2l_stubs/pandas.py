"""Stand-in for pandas (d2l 1.0.3 imports it; the benchmark never uses it)."""
from _stub import Unavailable


def __getattr__(name: str) -> Unavailable:
    return Unavailable(f"pandas.{name}")
