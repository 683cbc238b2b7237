"""The site's Sphinx extension: loads the others, and keeps every page free of console errors.

Loaded through ``sphinx.local_extensions`` in ``_config.yml``. Jupyter Book 1
registers sphinx-thebe's inline configuration script twice, so each page declares
`const THEBE_JS_URL` twice and the browser reports a SyntaxError: this drops repeated
inline scripts from each page's script list. tests/test_site.py checks the result in a
browser.
"""


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


def setup(app):
    app.connect("html-page-context", drop_repeated_scripts, priority=900)
    app.setup_extension("site_access")  # accessibility and weight (tools/site_access.py)
    app.setup_extension("site_math")  # the math, typeset at build time (tools/site_math.py)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
