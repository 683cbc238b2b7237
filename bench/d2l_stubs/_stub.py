"""A module attribute that fails loudly if the benchmark ever uses it."""


class Unavailable:
    """Raises when called: the benchmark does not need this object."""

    def __init__(self, name: str):
        self.name = name

    def __call__(self, *args, **kwargs):
        raise RuntimeError(f"{self.name} is a benchmark stand-in, not the real package")

    def __getattr__(self, attribute: str) -> "Unavailable":
        return Unavailable(f"{self.name}.{attribute}")
