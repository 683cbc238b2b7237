"""lib.glue records a formatted number as an invisible HTML output that tools/prose_numbers.py reads."""
import pytest
from IPython.core.interactiveshell import InteractiveShell

from lib.glue import GLUE_OUTPUT, glue


def published_outputs(function, *arguments):
    """The data dicts that `function` sends to IPython's display publisher."""
    shell = InteractiveShell.instance()
    sent = []
    original = shell.display_pub.publish
    shell.display_pub.publish = lambda data, metadata=None, **_: sent.append(data)
    try:
        result = function(*arguments)
    finally:
        shell.display_pub.publish = original
    assert result is None  # nothing echoed when glue ends a cell
    return sent


@pytest.mark.parametrize("value, fmt, text", [(0.012345, ".3f", "0.012"), (42, "", "42"),
                                              (2.3e-4, ".1e", "2.3e-04"), (-0.5, ".2f", "-0.50")])
def test_glue_publishes_the_formatted_text_invisibly(value, fmt, text):
    [data] = published_outputs(glue, "x", value, fmt)
    assert list(data) == ["text/html"]
    assert data["text/html"].startswith("<!--") and data["text/html"].endswith("-->")
    assert GLUE_OUTPUT.findall(data["text/html"]) == [("x", text)]


@pytest.mark.parametrize("name", ["", "two words", "a-b", 3])
def test_a_name_must_be_one_word(name):
    with pytest.raises(ValueError, match="name must be a non-empty word"):
        glue(name, 1.0)


def test_a_format_that_does_not_fit_the_value_is_refused():
    with pytest.raises(ValueError, match="fmt '.2f' cannot format 'text'"):
        glue("x", "text", ".2f")
    with pytest.raises(TypeError, match="fmt must be a format specification"):
        glue("x", 1.0, 2)
