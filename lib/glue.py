"""Numbers for the prose: `glue(name, value, fmt)` records a value that the text quotes.

A chapter's markdown writes each computed number as plain text between two
invisible markers, ``<!--glue:name-->0.0123<!--/glue-->``, so that every
notebook client shows it. The cell that computes the number calls
``glue("name", value, ".4f")``, which stores the formatted text as an
invisible HTML comment in the cell's output. nbval checks that output against
a fresh run, tests/test_prose_numbers.py checks the text against it, and
``make execute`` rewrites the text when the output changes
(tools/prose_numbers.py).

The output also carries myst-nb's glue metadata (``scrapbook``, with a MIME
prefix), which tells the website build to keep it off the page: a cell whose
figure has a caption must show exactly one output there.
"""
import re
from typing import Any

GLUE_OUTPUT = re.compile(r"<!-- glue (\w+) = (.*?) -->")


def glue_html(name: str, text: str) -> str:
    """The invisible HTML that records `text` under `name`."""
    return f"<!-- glue {name} = {text} -->"


def glue(name: str, value: Any, fmt: str = "") -> None:
    """Record `format(value, fmt)` under `name` for the prose (an invisible output)."""
    from IPython.display import display
    if not isinstance(name, str) or not re.fullmatch(r"\w+", name):
        raise ValueError(f"name must be a non-empty word (letters, digits, _), got {name!r}")
    if not isinstance(fmt, str):
        raise TypeError(f"fmt must be a format specification such as '.4f', got {fmt!r}")
    try:
        text = format(value, fmt)
    except (TypeError, ValueError) as error:
        raise ValueError(f"fmt {fmt!r} cannot format {value!r}: {error}") from None
    display({"text/html": glue_html(name, text)}, raw=True,
            metadata={"scrapbook": {"name": name, "mime_prefix": "text/"}})
