"""The site's sliders (tools/site_sliders.py) and markup fixes (tools/site_access.py) on
small hand-made pages, no browser."""
import base64
import io
import json
import re
import sys
from pathlib import Path
from types import SimpleNamespace

import pydata_sphinx_theme
import pytest
from docutils import frontend, nodes
from docutils.utils import new_document
from docutils.writers import html5_polyglot
from matplotlib.figure import Figure
from myst_nb.sphinx_ import HideCodeCellNode, visit_HideCellInput
from sphinx.writers.html5 import HTML5Translator

from lib.notebook.images import display_size

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
import site_access  # noqa: E402
import site_sliders  # noqa: E402


def png(dpi: int, end: float) -> bytes:
    figure = Figure(figsize=(2, 1))
    figure.add_subplot().plot([0, 1], [1, end])
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def widget_page(labels, description="learning rate", tooltip=None, drawn=True,
                sized=True) -> str:
    """A page holding one stored slider, as myst-nb writes it."""
    state = {
        "box": {"model_name": "VBoxModel", "state": {"children": ["IPY_MODEL_slider",
                                                                  "IPY_MODEL_stack"]}},
        "slider": {"model_name": "SelectionSliderModel",
                   "state": {"_options_labels": labels, "index": 1, "description": description}},
        "stack": {"model_name": "StackModel",
                  "state": {"children": [f"IPY_MODEL_image{i}" for i in range(len(labels))]}},
    }
    for i in range(len(labels)):
        data = png(100 + 100 * (i == 1), i)
        buffers = [{"path": ["value"], "encoding": "base64",
                    "data": base64.b64encode(data).decode()}]
        image = {"tooltip": tooltip}
        if sized:  # as lib's Image widgets store their display size
            image.update(zip(("width", "height"), map(str, display_size(data))))
        state[f"image{i}"] = {"model_name": "ImageModel", "state": image,
                              "buffers": buffers if drawn else []}
    return ('<html><head><script src="../_static/vendor/html-manager/embed.js?v=1"></script>'
            '</head><body><div class="cell_output">'
            '<script type="application/vnd.jupyter.widget-view+json">{"model_id": "box"}</script>'
            '</div><script type="application/vnd.jupyter.widget-state+json">'
            + json.dumps({"state": state}) + "</script></body></html>")


def test_a_stored_slider_becomes_a_native_labelled_range_with_alt_text(tmp_path):
    page = site_sliders.replace_sliders(widget_page(["0.01", "0.03", "0.1"]), tmp_path, "../")
    assert "widget-state" not in page and "embed.js" not in page
    assert '<label for="slider-box">learning rate</label>' in page
    assert 'type="range" id="slider-box"' in page and 'aria-valuetext="0.03"' in page
    assert 'alt="Training and validation loss against epoch, trained with learning rate 0.03' in page
    assert len(list(tmp_path.glob("slider-*.png"))) == 3
    # the default figure was drawn at 200 dpi: shown at half its pixels
    assert 'width="200" height="100"' in page


def test_lib_tooltips_win_over_the_built_in_descriptions(tmp_path):
    page = site_sliders.replace_sliders(widget_page(["1", "2"], tooltip="A described figure"),
                                       tmp_path, "")
    assert 'alt="A described figure"' in page


def test_a_slider_without_alt_text_or_figures_fails_the_build(tmp_path):
    with pytest.raises(ValueError, match="no alt text"):
        site_sliders.replace_sliders(widget_page(["1", "2"], description="momentum"), tmp_path, "")
    with pytest.raises(ValueError, match="never drawn"):
        site_sliders.replace_sliders(widget_page(["1", "2"], drawn=False), tmp_path, "")
    with pytest.raises(ValueError, match="no display size; re-execute"):
        site_sliders.replace_sliders(widget_page(["1", "2"], sized=False), tmp_path, "")


def test_other_widgets_keep_the_embedder(tmp_path):
    page = widget_page(["1", "2"]).replace("VBoxModel", "HBoxModel")
    assert site_sliders.replace_sliders(page, tmp_path, "") == page


# ---- the fixes of the theme's and myst-nb's markup: each is their markup less the defect, and
# fails here when an upgrade changes what it copies ---------------------------------------

THEME = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme"
TEMPLATES = Path(__file__).resolve().parent.parent / "_templates"
BLOCK_CSS = re.compile(r"\{%- block css %\}(.*?)\{%- endblock css %\}", re.S)


def without_comments(template: str) -> str:
    return re.sub(r"\{#.*?#\}", "", template, flags=re.S).strip()


def test_the_search_button_is_the_themes_named_by_its_text():
    theirs = without_comments((THEME / "components" / "search-button-field.html").read_text())
    ours = without_comments((TEMPLATES / "search-button-field.html").read_text())
    label = " aria-label=\"{{ _('Search') }}\""
    assert label in theirs and ours == theirs.replace(label, "")


def test_the_layout_is_the_themes_without_font_awesomes_script():
    theirs = BLOCK_CSS.search((THEME / "layout.html").read_text()).group(1)
    ours = BLOCK_CSS.search((TEMPLATES / "layout.html").read_text()).group(1)
    preload = "\n  {{ _webpack.head_js_preload() }}"
    assert preload in theirs and ours == theirs.replace(preload, "")
    macros = (THEME / "static" / "webpack-macros.html").read_text()
    preloaded = re.search(r"macro head_js_preload\(\) %\}(.*?)\{% endmacro", macros, re.S).group(1)
    scripts = re.findall(r'<script [^>]*src="([^"]*)"', preloaded)
    assert [src.split("?")[0] for src in scripts] == ["{{ pathto('_static/scripts/fontawesome.js', 1) }}"], \
        "head_js_preload loads other scripts than Font Awesome's now"


def test_the_hidden_cell_toggle_is_myst_nbs_named_by_its_text():
    node = HideCodeCellNode(classes=["tag_hide-input"], prompt_show="Show code cell source",
                            prompt_hide="Hide code cell source")
    theirs, ours = SimpleNamespace(body=[]), SimpleNamespace(body=[])
    visit_HideCellInput(theirs, node)
    site_access.visit_hidden_cell(ours, node)
    label = ' aria-label="Toggle hidden content"'
    assert label in "".join(theirs.body)
    assert "".join(ours.body) == "".join(theirs.body).replace(label, "")


def test_bibliography_entries_are_docutils_as_listitems():
    document = new_document("test", frontend.get_default_settings(html5_polyglot.Writer))
    document += [nodes.citation(ids=["a"]), nodes.citation(ids=["b"])]
    # Sphinx's HTML5Translator writes citations as docutils' does
    assert HTML5Translator.visit_citation is html5_polyglot.HTMLTranslator.visit_citation
    theirs, ours = html5_polyglot.HTMLTranslator(document), html5_polyglot.HTMLTranslator(document)
    for citation in document.children:
        theirs.visit_citation(citation)
        site_access.visit_citation(ours, citation)
    assert 'role="doc-biblioentry"' in "".join(theirs.body)
    assert "".join(ours.body) == "".join(theirs.body).replace('role="doc-biblioentry"',
                                                              'role="listitem"')
