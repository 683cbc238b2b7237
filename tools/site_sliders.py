"""The site's sliders as native HTML controls (a Sphinx extension, and `replace_sliders`).

Each precomputed slider (an ipywidgets VBox holding a SelectionSlider linked to a
Stack of Images, as lib's FigureSlider stores it) becomes a native
``<input type="range">`` with a label and an ``<img>`` with alt text, its figures
written to ``_images/``, when Sphinx resolves the page. A page whose widgets are all
such sliders then loads neither the widget state nor the 1.9 MB embedder;
``assets/figure_slider.js`` switches the figures. The alt text is the Image widget's
``tooltip`` when lib set one, otherwise a sentence from SLIDER_FIGURES by the slider's
description; a slider with neither fails the build. `replace_sliders` does the same on
a written page (tools/slides.py's decks).

tests/test_site.py moves every slider in a browser; tests/test_site_access.py checks the
conversion on hand-made pages.
"""
import base64
import hashlib
import html
import json
import re
import shutil
from pathlib import Path
from typing import Dict, List, Optional

from docutils import nodes

# What a slider's figure shows, by the slider's description (used when the Image
# widgets carry no tooltip). {value} is the slider's value as its label shows it.
SLIDER_FIGURES = {
    "learning rate": "Training and validation loss against epoch, trained with learning rate "
                     "{value}; the title gives the validation loss and the error in w and b.",
    "batch size": "Training and validation loss against epoch, trained with batch size "
                  "{value}; the title gives the validation loss and the error in w and b.",
    "degree": "A polynomial of degree {value} fitted to the training points, drawn with the "
              "true curve and the validation points; the title gives both losses.",
    "lambda": "Training and validation loss against epoch on a log scale, trained with weight "
              "decay lambda = {value}; the title gives the norm of w and the validation loss.",
}

# How a page stores its widgets: read from myst-nb's doctree for the site, by STATE and VIEW
# from a deck's page that nbconvert wrote (replace_sliders).
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
STATE = re.compile(rf'<script type="{re.escape(WIDGET_STATE)}">(.*?)</script>', re.S)
VIEW = re.compile(rf'<script type="{re.escape(WIDGET_VIEW)}">(.*?)</script>', re.S)
EMBEDDER = "vendor/html-manager/embed.js"  # under _static/ (assets/vendor, tools/vendor_assets.py)
EMBEDDER_SCRIPT = re.compile(rf'\s*<script[^>]*src="[^"]*{re.escape(EMBEDDER)}[^"]*"></script>')
SLIDER_SCRIPT = Path(__file__).resolve().parent.parent / "assets" / "figure_slider.js"


def model(state: Dict, reference: str) -> Optional[Dict]:
    """The widget model a 'IPY_MODEL_<id>' reference names."""
    return state.get(reference.replace("IPY_MODEL_", "", 1)) if isinstance(reference, str) else None


def children(state: Dict, widget: Dict) -> List[Dict]:
    refs = widget["state"].get("children", [])
    if isinstance(refs, str):  # some versions store the list as its repr
        refs = re.findall(r"IPY_MODEL_[0-9a-f]+", refs)
    return [model(state, ref) for ref in refs]


def figure_alt(image: Dict, description: str, label: str) -> str:
    tooltip = image["state"].get("tooltip")
    if tooltip:
        return tooltip
    if description not in SLIDER_FIGURES:
        raise ValueError(f"slider {description!r}: its figures have no alt text; give lib's Image "
                         f"widgets a tooltip or add {description!r} to SLIDER_FIGURES")
    return SLIDER_FIGURES[description].format(value=label)


def figure_slider_html(state: Dict, view_id: str, images_dir: Path, prefix: str) -> Optional[str]:
    """Native HTML for the slider widget `view_id`, or None when it is not a figure slider."""
    box = state.get(view_id)
    if not box or box["model_name"] != "VBoxModel":
        return None
    parts = children(state, box)
    if len(parts) != 2 or None in parts:
        return None
    slider, stack = parts
    if slider["model_name"] != "SelectionSliderModel" or stack["model_name"] != "StackModel":
        return None
    images = children(state, stack)
    labels = slider["state"]["_options_labels"]
    if len(images) != len(labels) or any(i is None or i["model_name"] != "ImageModel"
                                         for i in images):
        return None
    description = slider["state"]["description"]
    figures = []
    for label, image in zip(labels, images):
        buffers = {tuple(b["path"]): b for b in image.get("buffers", [])}
        if ("value",) not in buffers:
            raise ValueError(f"slider {description!r}: the figure for {label} was never drawn")
        data = base64.b64decode(buffers[("value",)]["data"])
        name = f"slider-{hashlib.sha256(data).hexdigest()[:24]}.png"
        (images_dir / name).write_bytes(data)
        figures.append({"label": label, "src": f"{prefix}_images/{name}",
                        "alt": figure_alt(image, description, label)})
    index = slider["state"]["index"]
    shown = figures[index]
    ident = f"slider-{view_id[:12]}"
    # The size lib gave the figure's Image widget (lib.notebook.images: half its pixels at 200 dpi).
    sizes = {key: images[index]["state"].get(key) for key in ("width", "height")}
    if not all(sizes.values()):
        raise ValueError(f"slider {description!r}: its figures have no display size; "
                         "re-execute the chapter with the current lib")
    width, height = sizes["width"], sizes["height"]
    return (
        f'<div class="widget-vbox figure-slider" data-figures="{html.escape(json.dumps(figures))}">'
        f'<div class="widget-slider">'
        f'<label for="{ident}">{html.escape(description)}</label> '
        f'<input type="range" id="{ident}" class="noUi-handle" min="0" max="{len(labels) - 1}" '
        f'step="1" value="{index}" aria-valuemin="0" aria-valuemax="{len(labels) - 1}" '
        f'aria-valuenow="{index}" aria-valuetext="{html.escape(shown["label"])}"> '
        f'<output for="{ident}">{html.escape(shown["label"])}</output></div>'
        f'<img src="{shown["src"]}" alt="{html.escape(shown["alt"])}" width="{width}" '
        f'height="{height}"></div>')


def replace_sliders(page: str, images_dir: Path, prefix: str) -> str:
    """A written page (a deck) with its figure sliders made native; the widget machinery
    goes if nothing needs it."""
    found = STATE.search(page)
    if not found:
        return page
    state = json.loads(found.group(1))["state"]
    left = []

    def native(match) -> str:
        view_id = json.loads(match.group(1))["model_id"]
        replacement = figure_slider_html(state, view_id, images_dir, prefix)
        if replacement is None:
            left.append(view_id)
            return match.group(0)
        return replacement

    page = VIEW.sub(native, page)
    if not left:
        page = EMBEDDER_SCRIPT.sub("", STATE.sub("", page))
    if "figure-slider" in page:
        script = f"<script>\n{SLIDER_SCRIPT.read_text()}</script>\n"
        page = page.replace("</body>", script + "</body>", 1)
    return page


class NativeSliders:
    """The site's sliders made native while Sphinx writes each page (see the module's doc)."""

    def __init__(self):
        self.widgets_left: Dict[str, bool] = {}  # page: whether it still needs the embedder

    def doctree_resolved(self, app, doctree, docname: str) -> None:
        from myst_nb.sphinx_ import NbMetadataCollector
        stored = NbMetadataCollector.get_js_files(app.env, docname).get("ipywidgets_state")
        if stored is None:
            return
        state = json.loads(stored[1]["body"])["state"]
        images = Path(app.outdir) / "_images"
        images.mkdir(parents=True, exist_ok=True)
        start, end = f'<script type="{WIDGET_VIEW}">', "</script>"  # myst-nb's widget view
        left = False
        for node in list(doctree.findall(nodes.raw)):
            text = node.astext()
            if not (text.startswith(start) and text.endswith(end)):
                continue
            view = json.loads(text[len(start):-len(end)])
            native = figure_slider_html(state, view["model_id"], images, "../" * docname.count("/"))
            if native is None:
                left = True
            else:
                node.replace_self(nodes.raw("", native, format="html"))
        self.widgets_left[docname] = left

    def page_context(self, app, pagename: str, templatename, context, doctree) -> None:
        """The page's scripts: its slider script, and no widget machinery it does not need."""
        if pagename not in self.widgets_left:
            return
        if not self.widgets_left[pagename]:
            embedder = {f"_static/{path}" for path in app.config.nb_ipywidgets_js}
            scripts = context["script_files"]
            scripts[:] = [script for script in scripts
                          if script.attributes.get("type") != WIDGET_STATE
                          and script.filename not in embedder]
        app.add_js_file(SLIDER_SCRIPT.name, loading_method="defer")

    def build_finished(self, app, exception) -> None:
        """The widget embedder is not shipped unless a page needs it."""
        if exception is None and app.builder.format == "html" and not any(
                self.widgets_left.values()):
            shutil.rmtree(Path(app.outdir) / "_static" / Path(EMBEDDER).parent,
                          ignore_errors=True)


def setup(app):
    sliders = NativeSliders()
    app.connect("doctree-resolved", sliders.doctree_resolved)
    app.connect("html-page-context", sliders.page_context, priority=900)
    app.connect("build-finished", sliders.build_finished)
    return {"parallel_read_safe": True, "parallel_write_safe": False}
