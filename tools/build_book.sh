#!/usr/bin/env bash
# Build the website into _build/html with warnings as errors (every reference,
# equation label, figure and citation must resolve). Jupyter Book re-executes
# every chapter (--all: a change in lib changes outputs of unchanged notebooks),
# storing widget state; when the build fails, the execution reports of
# the notebooks that failed are printed here instead of being left in a folder.
# On success it touches _build/.book-ok, which `make test` depends on.
set -uo pipefail
cd "$(dirname "$0")/.."
JUPYTER_BOOK=${JUPYTER_BOOK:-.venv/bin/jupyter-book}
rm -f _build/.book-ok
start=$(date +%s)
LIB_BOARD=final "$JUPYTER_BOOK" build . --all -W -n --keep-going
status=$?
echo "book build: exit $status after $(( $(date +%s) - start )) s"
if [ "$status" -ne 0 ]; then
    shopt -s nullglob
    for report in _build/html/reports/*.log _build/html/reports/*/*.log; do
        echo "===== execution report: $report ====="
        cat "$report"
    done
    exit "$status"
fi
.venv/bin/python tools/slides.py || exit 1  # the lecture decks, into _build/html/slides
touch _build/.book-ok
