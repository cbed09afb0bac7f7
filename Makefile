# apigov: the two set-up commands are `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint typecheck imports unit docs bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]' --config-settings editable_mode=compat
	touch $(STAMP)

## demo: create .venv, install apigov, run the shop example end to end
demo: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" bash examples/demo.sh

## test: the whole suite (style, types, layers, unit and end-to-end tests)
test: $(STAMP) lint typecheck imports unit

lint: $(STAMP)
	$(BIN)/ruff check apigov generators tests benchmarks
	$(BIN)/ruff format --check apigov generators

typecheck: $(STAMP)
	$(BIN)/mypy --strict apigov generators

imports: $(STAMP)
	$(BIN)/lint-imports

unit: $(STAMP)
	$(BIN)/pytest -q

## docs: regenerate docs/rules.md and docs/diff-rules.md from the rule catalogues
docs: $(STAMP)
	$(BIN)/apigov rules --format markdown > docs/rules.md
	$(BIN)/apigov rules --command diff --format markdown > docs/diff-rules.md

## bench: the benchmarks (ratios against baselines measured in the same run)
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .demo
