# Two commands do everything on a fresh clone: `make book` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install book test execute lab serve clean bench vendor chromium pdf

install: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $(STAMP)

## Execute every chapter and build the website into _build/html (warnings are errors;
## on failure the notebooks' execution reports are printed). `make serve` shows it.
book: install vendor
	tools/build_book.sh
	$(BIN)/python tools/print_pdf.py

# `make test` rebuilds the site only when something it is built from changed.
BOOK_SOURCES := _config.yml _toc.yml intro.md references.bib $(wildcard chapters/*.ipynb lib/*.py assets/*.js assets/*.css) tools/site_fixes.py tools/site_access.py
_build/.book-ok: $(STAMP) assets/vendor/versions.json $(BOOK_SOURCES)
	tools/build_book.sh

## The site's JavaScript (MathJax, the widget embedder), fetched pinned from npm.
vendor: assets/vendor/versions.json
assets/vendor/versions.json: tools/vendor_assets.py
	$(BIN)/python tools/vendor_assets.py

## The whole book as one PDF printed by Chromium from the site (no LaTeX), into
## _build/html/book.pdf, where the intro links to it. `make book` prints it too.
pdf: _build/html/book.pdf
_build/html/book.pdf: _build/.book-ok tools/print_pdf.py tools/site_audit.py
	$(BIN)/python tools/print_pdf.py

## Debian's Chromium for the browser tests (tests/test_site.py), installed when missing.
chromium:
	tools/install_chromium.sh

## Serve the built site on http://127.0.0.1:8000 (PORT=... to change).
serve: _build/.book-ok
	$(BIN)/python -m http.server --bind 127.0.0.1 --directory _build/html $(or $(PORT),8000)

## Run every test: lib unit tests, nbval over every chapter notebook, the site in Chromium
## (features, accessibility with axe-core, weight, phone width) and the printed PDF.
test: install chromium _build/.book-ok _build/html/book.pdf
	$(BIN)/python -m pytest -n 2 --dist loadscope --nbval --nbval-current-env tests chapters

## Benchmark (not part of test): lib vs d2l 1.0.3 vs bare PyTorch, sliders, chapters.
## Writes bench/results.md; installs d2l 1.0.3 into _build/bench for the benchmark only.
bench: install
	$(BIN)/python bench/run.py

## Re-execute the notebooks in place (refreshes stored outputs and widget state).
execute: install
	$(BIN)/python tools/execute.py

## JupyterLab on the book, with working widgets.
lab: install
	$(BIN)/jupyter lab chapters

clean:
	rm -rf _build
