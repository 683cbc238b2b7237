r"""A small Sphinx extension that keeps every page of the site free of console and math errors.

Jupyter Book 1 registers sphinx-thebe's inline configuration script twice, so
each page declares `const THEBE_JS_URL` twice and the browser reports a
SyntaxError. This drops repeated inline scripts from each page. Loaded through
``sphinx.local_extensions`` in ``_config.yml``; tests/test_site.py checks the
result in a browser.

Sphinx also wraps every display formula that contains a line break (``\\``) in
``\begin{split}``, where MathJax refuses the ``\tag{N.k}`` that numbers our
equations portably. `keep_tagged_math_unsplit` hands such formulas to MathJax
(tools/site_math.py) as they are written, inside ``\[ ... \]``.
"""
from docutils import nodes


def drop_repeated_scripts(app, pagename, templatename, context, doctree) -> None:
    """Keep the first copy of each identical inline <script> body on a page."""
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, kept = set(), []
    for script in scripts:
        body = getattr(script, "attributes", {}).get("body")
        if body:
            if body in seen:
                continue
            seen.add(body)
        kept.append(script)
    scripts[:] = kept


def keep_tagged_math_unsplit(app, doctree) -> None:
    """Render display math that carries a \\tag without Sphinx's split environment."""
    for node in doctree.findall(nodes.math_block):
        latex = node.astext()
        if "\\tag{" in latex and "\\\\" in latex and not node.get("nowrap"):
            node["nowrap"] = True
            node.children = [nodes.Text("\\[" + latex + "\\]")]


def setup(app):
    app.connect("doctree-read", keep_tagged_math_unsplit)
    app.connect("html-page-context", drop_repeated_scripts, priority=900)
    app.setup_extension("site_access")  # accessibility and weight (tools/site_access.py)
    app.setup_extension("site_math")  # the math, typeset at build time (tools/site_math.py)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
