"""Post-processing of the built site: accessible, light on a phone (Sphinx extension).

Runs when the HTML build finishes (loaded by tools/site_fixes.py) and rewrites
the pages in place:

- **Sliders.** Each precomputed slider (an ipywidgets VBox holding a
  SelectionSlider linked to a Stack of Images, as lib's FigureSlider stores it)
  becomes a native ``<input type="range">`` with a label and an ``<img>`` with
  alt text, its figures written to ``_images/``. A page whose widgets are all
  such sliders then needs neither the widget state nor the 1.9 MB embedder.
  The alt text is the Image widget's ``tooltip`` when lib set one, otherwise a
  sentence from SLIDER_FIGURES by the slider's description; a slider with
  neither fails the build.
- **Theme markup that axe-core reports** (label-content-name-mismatch,
  aria-required-children): see THEME_FIXES.
- **Weight.** The theme's Font Awesome script and web fonts keep only the icons
  the site uses (1.5 MB and 270 kB to some 80 kB and a few kB); source maps and
  unused vendored files are dropped.

tools/site_audit.py and tests/test_accessibility.py measure the result.
"""
import base64
import hashlib
import html
import json
import re
import shutil
from pathlib import Path
from typing import Dict, List, Optional

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

# (pattern, replacement): theme markup whose accessible name contradicts its visible
# text, or whose ARIA roles are incomplete.
THEME_FIXES = [
    # The search button shows "Search Ctrl+K" but is named "Search": let its text name it.
    (re.compile(r'(<button[^>]*search-button-field[^>]*?) aria-label="Search"'), r"\1"),
    # The colour-mode button is named "Color mode"; its icons' titles ("Light", ...)
    # would become visible names that differ from it.
    (re.compile(r'(<i class="theme-switch[^"]*"[^>]*?) title="[^"]*"'), r"\1"),
    # myst-nb's hidden-cell toggle shows "Show code cell source" but is named
    # "Toggle hidden content".
    (re.compile(r'<summary aria-label="Toggle hidden content">'), "<summary>"),
    # The bibliography is a role="list" whose entries have the deprecated role
    # doc-biblioentry instead of listitem.
    (re.compile(r'role="doc-biblioentry"'), 'role="listitem"'),
]

STATE = re.compile(r'<script type="application/vnd\.jupyter\.widget-state\+json">(.*?)</script>',
                   re.S)
VIEW = re.compile(r'<script type="application/vnd\.jupyter\.widget-view\+json">(.*?)</script>',
                  re.S)
WIDGET_SCRIPTS = re.compile(
    r'\s*<script[^>]*src="[^"]*(?:vendor/html-manager/embed\.js|mathjax2_queue\.js)[^"]*">'
    r'</script>')

# Switches a slider's figure; the figures load when first wanted.
SLIDER_SCRIPT = """<script>
document.querySelectorAll('.figure-slider').forEach(box => {
  const input = box.querySelector('input[type=range]'), output = box.querySelector('output');
  const image = box.querySelector('img'), figures = JSON.parse(box.dataset.figures);
  const show = () => {
    const figure = figures[input.value], next = new Image();
    input.setAttribute('aria-valuenow', input.value);
    input.setAttribute('aria-valuetext', figure.label);
    output.textContent = figure.label;
    next.src = figure.src;
    next.decode().catch(() => null).then(() => { image.src = figure.src; image.alt = figure.alt; });
  };
  input.addEventListener('input', show);
  input.addEventListener('focus', () => figures.forEach(f => { new Image().src = f.src; }),
                         {once: true});
});
</script>"""


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
    # The size lib gave the figure's Image widget (lib.images: half its pixels at 200 dpi).
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
    """`page` with its figure sliders made native; the widget machinery goes if nothing needs it."""
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
        page = STATE.sub("", page)
        page = WIDGET_SCRIPTS.sub("", page)
    if "figure-slider" in page:
        page = page.replace("</body>", SLIDER_SCRIPT + "\n</body>", 1)
    return page


def fix_page(path: Path, outdir: Path) -> None:
    page = path.read_text(encoding="utf-8")
    for pattern, replacement in THEME_FIXES:
        page = pattern.sub(replacement, page)
    depth = len(path.relative_to(outdir).parts) - 1
    page = replace_sliders(page, outdir / "_images", "../" * depth)
    path.write_text(page, encoding="utf-8")


ICON = re.compile(r'"?([a-z0-9-]+)"?:\[(\d+),(\d+),\[([^\]]*)\],"[0-9a-f]+",(?:"[^"]*"|\[[^\]]*\])\]')


def used_icons(outdir: Path) -> set:
    """The Font Awesome icon names (fa-NAME) the site's pages and scripts use."""
    static = outdir / "_static"
    used = set()
    for path in [*outdir.rglob("*.html"), *static.glob("*.js"), *static.glob("scripts/*.js")]:
        if path.name != "fontawesome.js":
            used |= set(re.findall(r"\bfa-([a-z0-9-]+)", path.read_text(errors="ignore")))
    return used


ICON_RULE = re.compile(r'([^{}]+)\{([^{}]*)\}')
ESCAPE = re.compile(r'\\([ef][0-9a-f]{3})\b')
PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


def icon_codepoints(outdir: Path) -> set:
    """The icon-font characters the site's CSS can show.

    Rules of the form `.fa-NAME:before{content:...}` count only for the icons the
    pages use; every other rule's icon characters (admonition titles, the theme's
    --pst-icon-* variables) count always.
    """
    used = used_icons(outdir)
    codepoints = set()
    for css in (outdir / "_static").rglob("*.css"):
        text = css.read_text(errors="ignore")
        codepoints |= {ord(char) for char in PRIVATE_USE.findall(text)}
        for selectors, body in ICON_RULE.findall(text):
            escapes = {int(code, 16) for code in ESCAPE.findall(body)}
            if not escapes:
                continue
            names = re.findall(r"\.fa-([a-z0-9-]+):+before", selectors)
            only_icon_classes = names and len(names) == selectors.count(",") + 1
            if not only_icon_classes or used & set(names):
                codepoints |= escapes
    return codepoints


def subset_icon_fonts(outdir: Path) -> None:
    """Cut the theme's Font Awesome web fonts (270 kB on every page) to the icons the site shows.

    The TrueType copies are subset into WOFF files (zlib; WOFF2 would need brotli)
    and the theme's @font-face rules are pointed at them.
    """
    from fontTools import subset
    fonts = outdir / "_static" / "vendor" / "fontawesome" / "webfonts"
    stylesheet = outdir / "_static" / "styles" / "pydata-sphinx-theme.css"
    if not fonts.exists() or not stylesheet.exists():
        return
    codepoints = icon_codepoints(outdir)
    css = stylesheet.read_text()
    for truetype in fonts.glob("*.ttf"):
        options = subset.Options()
        options.flavor = "woff"
        font = subset.load_font(str(truetype), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=codepoints)
        subsetter.subset(font)
        woff = truetype.with_suffix(".subset.woff")
        subset.save_font(font, str(woff), options)
        css = re.sub(rf'url\(([^)]*/){re.escape(truetype.stem)}\.woff2\) format\("woff2"\),'
                     rf'url\([^)]*\.ttf\) format\("truetype"\)',
                     rf'url(\g<1>{woff.name}) format("woff")', css)
    stylesheet.write_text(css)
    for original in [*fonts.glob("*.woff2"), *fonts.glob("*.ttf")]:
        original.unlink()


def trim_font_awesome(outdir: Path) -> None:
    """Keep in the theme's fontawesome.js only the icons the site's pages and scripts name."""
    script = outdir / "_static" / "scripts" / "fontawesome.js"
    if not script.exists():
        return

    def keep(match) -> bool:
        aliases = set(re.findall(r'"([a-z0-9-]+)"', match.group(4)))
        return match.group(1) in used or bool(aliases & used)

    source = script.read_text()
    used = used_icons(outdir)
    pieces, last = [], 0
    for match in ICON.finditer(source):
        if not keep(match):
            start, end = match.span()
            # drop the entry with the comma that follows it (or precedes it, for the last one)
            if source[end:end + 1] == ",":
                end += 1
            elif start - 1 >= last and source[start - 1:start] == ",":
                start -= 1
            pieces.append(source[last:start])
            last = end
    pieces.append(source[last:])
    script.write_text("".join(pieces))


def drop_unused_files(outdir: Path) -> None:
    """Source maps, theme translation catalogues, and the widget embedder when no page loads it."""
    for source_map in outdir.rglob("*.map"):
        source_map.unlink()
    pages = [p.read_text(encoding="utf-8") for p in outdir.rglob("*.html")]
    embedder = outdir / "_static" / "vendor" / "html-manager"
    if embedder.exists() and not any("html-manager/embed.js" in page for page in pages):
        shutil.rmtree(embedder)
    # The book theme copies its translation catalogues (.po/.mo) as static files; no page
    # loads them (the build has already translated the theme's words).
    shutil.rmtree(outdir / "_static" / "locales", ignore_errors=True)
    queue = outdir / "_static" / "mathjax2_queue.js"
    if queue.exists() and not any("mathjax2_queue.js" in page for page in pages):
        queue.unlink()


def post_process(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    (outdir / "_images").mkdir(exist_ok=True)
    for path in outdir.rglob("*.html"):
        if path.relative_to(outdir).parts[0] != "slides":  # the decks are tools/slides.py's
            fix_page(path, outdir)
    trim_font_awesome(outdir)
    subset_icon_fonts(outdir)
    drop_unused_files(outdir)


def setup(app):
    app.add_css_file("site_access.css")  # assets/site_access.css, served from _static/
    app.connect("build-finished", post_process)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
