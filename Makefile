# Two commands a newcomer needs: `make demo` and `make test`. Both create .venv when missing.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
OUT ?= out

.PHONY: demo test lint typecheck unit docs schema bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[xlsx,docx]'
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed-run

demo: $(VENV)/.installed-run
	$(BIN)/ecomperf validate examples/mini-framework

test: $(VENV)/.installed-dev
	$(BIN)/ruff check ecomperf tests benchmarks
	$(BIN)/mypy ecomperf
	$(BIN)/python -m pytest

schema: $(VENV)/.installed-run
	$(BIN)/ecomperf schema -o schema/ecomperf-v1.json

bench: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/bench_load.py

clean:
	rm -rf $(OUT) site .pytest_cache .mypy_cache .ruff_cache
