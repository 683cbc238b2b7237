"""Numbers for the prose: `glue(name, value)` stores a cell's value for {glue:text}`name`.

It writes the same output as `myst_nb.glue` (the MIME bundle of `value` under
the prefix myst-nb reads, with the `scrapbook` metadata) without importing
myst-nb, whose import costs a kernel about two seconds.
"""
from typing import Any

GLUE_PREFIX = "application/papermill.record/"


def glue(name: str, variable: Any, display: bool = True) -> None:
    """Store `variable`'s display under `name`; show it too when `display` is true."""
    from IPython.core.formatters import format_display_data
    from IPython.display import display as ipython_display
    if not isinstance(name, str) or not name:
        raise ValueError(f"name must be a non-empty str, got {name!r}")
    mimebundle, metadata = format_display_data(variable)
    prefix = "" if display else GLUE_PREFIX
    metadata["scrapbook"] = {"name": name, "mime_prefix": prefix}
    ipython_display({prefix + mime: data for mime, data in mimebundle.items()},
                    raw=True, metadata=metadata)
