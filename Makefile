# Two commands do everything on a fresh clone: `make book` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# The chapters `make execute` runs (every chapter when empty), e.g. NB=chapters/04_from_scratch.ipynb
NB     ?=

.PHONY: install book test unit execute lab serve clean bench vendor chromium slides slides-pdf pdf

install: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@# jupyterlab-rise pulls in an old MathJax extension that would replace JupyterLab's own
	@# (no equation numbers in the accessible MathML): keep JupyterLab's.
	$(BIN)/jupyter labextension disable --level=sys_prefix @jupyterlab/mathjax3-extension >/dev/null 2>&1
	@touch $(STAMP)

## Build the website into _build/html from the outputs stored in the notebooks (nothing is
## executed; warnings are errors). Only what changed is read again: seconds after an edit.
## `make serve` shows it.
book: _build/.book-ok

# Rebuilt only when something the site is built from changed (lib/ and the requirements
# go into the download archive, tools/build_archive.py).
BOOK_SOURCES := _config.yml _toc.yml intro.md homework.md teachers.md references.bib requirements.txt pyproject.toml \
	$(wildcard chapters/*.ipynb chapters/*.md assets/*.js assets/*.css assets/fonts/* lib/*.py lib/notebook/*.py) $(wildcard tools/site_*.py tools/typeset_math.js tools/build_* tools/slide*.py tools/glossary_terms.py tools/link_glossary.py tools/slides_template/*) $(wildcard _templates/*)
_build/.book-ok: $(STAMP) assets/vendor/versions.json $(BOOK_SOURCES)
	tools/build_book.sh

## One reveal.js lecture deck per chapter into _build/html/slides (`make book` builds them too).
slides: install vendor
	$(BIN)/python tools/slides.py

## Each deck as a PDF, one slide per page, and its handout with the speaker notes, printed
## by Chromium into _build/html/slides/ (some 25 s; `make test` prints them, `make book` does not).
slides-pdf: _build/.slides-pdf-ok
_build/.slides-pdf-ok: _build/.book-ok tools/print_slides.py
	$(BIN)/python tools/print_slides.py
	@touch $@

## The site's JavaScript (the widget embedder, reveal.js), MathJax's fonts, and MathJax for
## the build, which typesets the math with node (tools/site_math.py), fetched pinned from npm.
## Needs python3 and npm only (the script uses the standard library), not the venv.
vendor: assets/vendor/versions.json
assets/vendor/versions.json: tools/vendor_assets.py
	$(PYTHON) tools/vendor_assets.py
	@touch $@

## The whole book as one PDF printed by Chromium from the site (no LaTeX), into
## _build/html/book.pdf, where the intro links to it; each chapter's PDF, exercise sheet and
## solution sheet into _build/html/teachers/; and the teacher's bundle,
## _build/html/linreg-teachers.zip (tools/print_pdf.py).
pdf: _build/html/book.pdf
_build/html/book.pdf: _build/.book-ok _build/.slides-pdf-ok tools/print_pdf.py tools/print_html.py tools/site_audit.py
	$(BIN)/python tools/print_pdf.py

## Debian's Chromium for the browser tests (tests/test_site.py), installed when missing.
chromium:
	tools/install_chromium.sh

## Serve the built site on http://127.0.0.1:8000 (PORT=... to change).
serve: _build/.book-ok
	$(BIN)/python -m http.server --bind 127.0.0.1 --directory _build/html $(or $(PORT),8000)

## Run every test: lib unit tests, nbval over every chapter notebook, the site in Chromium
## (features, accessibility with axe-core, weight, phone width), the decks and the printed PDF.
## Each chapter runs once in a fresh kernel (nbval compares it with the stored outputs the
## site shows), then once more in the same kernel (conftest.py). REQUIRE_BROWSER=1 makes
## a missing Chromium an error instead of a skip.
test: install chromium _build/.book-ok _build/html/book.pdf _build/.slides-pdf-ok
	REQUIRE_BROWSER=1 $(BIN)/python -m pytest -n 2 --dist loadscope --nbval --nbval-current-env tests chapters

## lib's unit tests (marker `unit`, tests/conftest.py): no kernel, site or browser; about 30 s.
## The other layers: -m notebook (the chapters' files, kernels), -m browser (Chromium).
unit: install
	$(BIN)/python -m pytest -n 2 -m unit tests

## Benchmark (not part of test): lib vs d2l 1.0.3 vs bare PyTorch, sliders, chapters.
## Writes bench/results.md; installs d2l 1.0.3 into _build/bench for the benchmark only.
bench: install
	$(BIN)/python bench/run.py

## Re-execute the notebooks in place (refreshes stored outputs and widget state);
## NB=chapters/04_from_scratch.ipynb runs one chapter.
execute: install
	$(BIN)/python tools/execute.py $(NB)

## JupyterLab on the book, with working widgets.
lab: install
	$(BIN)/jupyter lab chapters

clean:
	rm -rf _build
