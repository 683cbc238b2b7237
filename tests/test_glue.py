"""lib.glue writes exactly what myst-nb's glue writes, so {glue:text} roles resolve."""
import pytest
from IPython.core.interactiveshell import InteractiveShell
from myst_nb import glue as myst_glue

from lib.glue import glue


def published_outputs(function, *arguments, **options):
    """The (data, metadata) pairs that `function` sends to IPython's display publisher."""
    shell = InteractiveShell.instance()
    sent = []
    original = shell.display_pub.publish
    shell.display_pub.publish = lambda data, metadata=None, **_: sent.append((data, metadata))
    try:
        function(*arguments, **options)
    finally:
        shell.display_pub.publish = original
    return sent


@pytest.mark.parametrize("value", [0.123456, 42, "words", [1, 2]])
@pytest.mark.parametrize("display", [True, False])
def test_lib_glue_publishes_what_myst_nb_glue_publishes(value, display):
    mine = published_outputs(glue, "x", value, display=display)
    theirs = published_outputs(myst_glue, "x", value, display=display)
    assert mine == theirs and len(mine) == 1


def test_a_name_is_required():
    with pytest.raises(ValueError, match="name must be a non-empty str"):
        glue("", 1.0)
