# The two commands: `make serve` (the main job) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: serve site lint test bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $(STAMP)

## serve the docs site at http://127.0.0.1:8000, rebuilding on every edit (lint errors show on the pages)
serve: $(STAMP)
	-$(BIN)/tutor lint tutorials
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve -a 127.0.0.1:8000

## build the docs site into site/ (fails on lint errors)
site: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build -d site

## lint the tutorials and print their reading order
lint: $(STAMP)
	$(BIN)/tutor lint tutorials
	$(BIN)/tutor order tutorials

## run the test suite
test: $(STAMP)
	$(BIN)/python -m pytest -q

## benchmarks (not part of the tests)
bench: $(STAMP)
	$(BIN)/python bench/lint_scale.py
	$(BIN)/python bench/site_build.py
	$(BIN)/python bench/runner_overhead.py

clean:
	rm -rf $(VENV) site build *.egg-info engine/*.egg-info
