# Two commands do everything on a fresh clone: `make book` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install book test execute lab serve clean

install: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $(STAMP)

## Execute every chapter and build the website into _build/html.
book: install
	LIB_BOARD=final $(BIN)/jupyter-book build . --keep-going
	@echo "Open file://$(CURDIR)/_build/html/index.html"

## Run every test: lib unit tests and nbval over every chapter notebook.
test: install
	$(BIN)/python -m pytest -n 2 --dist loadscope --nbval --nbval-current-env tests chapters

## Re-execute the notebooks in place (refreshes stored outputs and widget state).
execute: install
	$(BIN)/python tools/execute.py

## JupyterLab on the book, with working widgets.
lab: install
	$(BIN)/jupyter lab chapters

clean:
	rm -rf _build
