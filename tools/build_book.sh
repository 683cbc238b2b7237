#!/usr/bin/env bash
# Build the website into _build/html from the outputs stored in the notebooks. Nothing is
# executed here: `make execute` (tools/execute.py) stores the outputs, and nbval in
# `make test` checks them against a fresh run of every chapter.
#
# Warnings are errors (every reference, equation, figure and citation must resolve).
# Sphinx re-reads only the sources that changed since the last build; every page is
# written again, so references into a changed page are resolved (and checked) afresh.
# After a failed build the saved environment is dropped, so the next build reads every
# source and reports every warning again. On success it touches _build/.book-ok, which
# `make test` depends on. FRESH=1 rebuilds from scratch.
set -uo pipefail
cd "$(dirname "$0")/.."
VENV_PYTHON=.venv/bin/python
rm -f _build/.book-ok
if [ "${FRESH:-0}" = 1 ]; then
    rm -rf _build/.doctrees _build/html
fi
# Sphinx does not notice that the site's own extensions changed: read everything again then.
if [ -n "$(find tools/site_*.py -newer _build/.doctrees/environment.pickle 2>/dev/null)" ]; then
    rm -rf _build/.doctrees
fi
# Static files are copied on every build, but removed ones would linger: start them afresh.
rm -rf _build/html/_static/vendor
# Sphinx copies every figure again on each build; figures no page uses any more would linger.
rm -rf _build/html/_images
# Pages are written again only when missing or older than their source: remove them.
rm -f _build/html/*.html _build/html/chapters/*.html
start=$EPOCHREALTIME
# jupyter-book, except that jsonschema does not import rfc3987_syntax (installed for
# JupyterLab), which compiles some 40 grammars on import: 2 s of CPU per build, for IRI
# format checks that the build never makes.
"$VENV_PYTHON" -c 'import sys; sys.modules["rfc3987_syntax"] = None
from jupyter_book.cli.main import main; sys.argv[0] = "jupyter-book"; sys.exit(main())' \
    build . -W -n --keep-going --quiet
status=$?
awk "BEGIN { printf \"book build: exit $status after %.1f s\\n\", $EPOCHREALTIME - $start }"
if [ "$status" -ne 0 ]; then
    rm -rf _build/.doctrees
    exit "$status"
fi
# The homework (tools/build_assignments.py): otter assign per chapter into _build/assignments
# (an unchanged chapter is not built again), copied into the site's homework/ folder.
"$VENV_PYTHON" tools/build_assignments.py --site _build/html || exit 1
"$VENV_PYTHON" tools/build_archive.py || exit 1  # the download of every chapter, lib and requirements
"$VENV_PYTHON" tools/slides.py || exit 1  # the lecture decks, into _build/html/slides
touch _build/.book-ok
