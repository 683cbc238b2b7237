"""Stand-in for requests (d2l 1.0.3 imports it; the benchmark never downloads)."""
from _stub import Unavailable


def __getattr__(name: str) -> Unavailable:
    return Unavailable(f"requests.{name}")
