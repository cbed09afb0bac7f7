# apigov: the two set-up commands are `make demo` and `make test`.
# Everything is installed from uv.lock into .venv; `make lock` regenerates uv.lock from
# pyproject.toml (the only command to run after adding or changing a dependency).
PYTHON     ?= python3
UV_VERSION := 0.13.9
TOOLS      := .tools
UV         := $(TOOLS)/bin/uv
VENV       := .venv
BIN        := $(VENV)/bin
STAMP      := $(VENV)/.installed
# the system's Python only: never download an interpreter
export UV_PYTHON_DOWNLOADS := never
export PIP_DISABLE_PIP_VERSION_CHECK := 1
# pytest -m expressions of the two stages (see README, Development); more pytest options
# (.ci/run adds --junitxml=...) in PYTEST_ARGS
FAST := not slow
SLOW := slow
PYTEST_ARGS ?=

.PHONY: demo test test-slow lint typecheck imports unit docs bench clean lock lock-check

# uv itself, pinned, from PyPI into a venv of its own (a fresh machine only needs python3)
$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet 'uv==$(UV_VERSION)'

## lock: regenerate uv.lock from pyproject.toml (after adding, removing or changing a dependency)
lock: | $(UV)
	$(UV) lock --python $(PYTHON)

## lock-check: fail, saying what to do, when uv.lock does not match pyproject.toml
lock-check: | $(UV)
	@out=$$($(UV) lock --check --python $(PYTHON) 2>&1) || { \
	  echo "$$out" | grep -v -e '^Resolved' -e '^hint:' -e '^$$' | tail -n 3 >&2; \
	  echo "make: uv.lock does not match pyproject.toml: run 'make lock' and commit uv.lock" >&2; exit 2; }

# .venv made by the standard venv module (so pip is there for one-off tools), then synced
# exactly to uv.lock with every extra: the tests of each optional feature need it
$(STAMP): pyproject.toml uv.lock | $(UV)
	$(MAKE) --no-print-directory lock-check
	[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(UV) sync --locked --all-extras --quiet --python $(BIN)/python
	touch $(STAMP)

## demo: create .venv, install apigov, run the shop example end to end
demo: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" bash examples/demo.sh

## test: the fast stage: style, types, layers, unit and shop-scale end-to-end tests (< 15 min)
test: lock-check $(STAMP) lint typecheck imports unit

## test-slow: the slow stage: tests marked @pytest.mark.slow (corpus, concurrency, packaging...)
# pytest's exit 5 (no test collected: nothing is marked slow) is not a failure here
test-slow: lock-check $(STAMP)
	@echo "$(BIN)/pytest -q -m '$(SLOW)' $(PYTEST_ARGS)"
	@$(BIN)/pytest -q -m '$(SLOW)' $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test-slow: no test is marked slow"; rc=0; fi; exit $$rc

lint: $(STAMP)
	$(BIN)/ruff check apigov generators tests benchmarks
	$(BIN)/ruff format --check apigov generators

typecheck: $(STAMP)
	$(BIN)/mypy --strict apigov generators

imports: $(STAMP)
	$(BIN)/lint-imports

unit: $(STAMP)
	$(BIN)/pytest -q -m '$(FAST)' $(PYTEST_ARGS)

## docs: regenerate docs/rules.md and docs/diff-rules.md from the rule catalogues
docs: $(STAMP)
	$(BIN)/apigov rules --format markdown > docs/rules.md
	$(BIN)/apigov rules --command diff --format markdown > docs/diff-rules.md

## bench: the benchmarks (ratios against baselines measured in the same run)
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) $(TOOLS) .mypy_cache .ruff_cache .pytest_cache .demo dist build
