# The two commands: `make serve` (the main job) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: serve site lint test bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

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

clean:
	rm -rf $(VENV) site build *.egg-info engine/*.egg-info
