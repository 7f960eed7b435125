# The two commands: `make serve` (the main job) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Two install levels: the site needs only the `site` extra (a reader's first `make serve`
# stays quick); tests and benchmarks install everything. Each level has its own stamp.
SITE   := $(VENV)/.installed-site
STAMP  := $(VENV)/.installed
PIP    := $(BIN)/python -m pip install --quiet --disable-pip-version-check

.PHONY: serve site lint test fuzz bench clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(SITE): pyproject.toml | $(VENV)/bin/python
	$(PIP) -e '.[site]'
	touch $(SITE)

$(STAMP): pyproject.toml | $(VENV)/bin/python
	$(PIP) -e '.[site,test,bench]'
	touch $(STAMP) $(SITE)

## serve the docs site at http://127.0.0.1:8000, rebuilding on every edit (lint errors show on the pages)
serve: $(SITE)
	-$(BIN)/tutor lint tutorials
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve -a 127.0.0.1:8000

## build the docs site into site/ (fails on lint errors)
site: $(SITE)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build -d site

## lint the tutorials and print their reading order
lint: $(SITE)
	$(BIN)/tutor lint tutorials
	$(BIN)/tutor order tutorials

## run the test suite
test: $(STAMP)
	$(BIN)/python -m pytest -q

## the property tests over hostile input with many examples (make test runs a few of each)
fuzz: $(STAMP)
	TUTOR_FUZZ_EXAMPLES=$${TUTOR_FUZZ_EXAMPLES:-2000} $(BIN)/python -m pytest -q -p no:cacheprovider tests/properties

## benchmarks (not part of the tests)
bench: $(STAMP)
	$(BIN)/python bench/lint_scale.py
	$(BIN)/python bench/site_build.py
	$(BIN)/python bench/runner_overhead.py
	$(BIN)/python bench/adversarial.py

clean:
	rm -rf $(VENV) site build *.egg-info engine/*.egg-info
