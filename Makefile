# Two commands a newcomer needs: `make demo` and `make test`. Both create .venv when missing.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
OUT ?= out

.PHONY: demo test test-spark fuzz docs schema examples bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[xlsx,docx,history]'
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed-run

FRAMEWORKS := frameworks/ecommerce-ops frameworks/cross-border

demo: $(VENV)/.installed-run
	@echo "== 1. validate the bundled frameworks"
	$(BIN)/ecomperf validate $(FRAMEWORKS) examples/mini-framework
	@echo "== 2. score October 2026 (E008's missing value is dropped and the weights renormalised)"
	$(BIN)/ecomperf score frameworks/ecommerce-ops --actuals examples/actuals-2026-10.csv --missing renormalize
	$(BIN)/ecomperf score frameworks/ecommerce-ops --actuals examples/actuals-2026-10.csv --missing renormalize -o $(OUT)/ecommerce-ops-2026-10.xlsx
	$(BIN)/ecomperf score frameworks/ecommerce-ops --actuals examples/actuals-2026-10.csv --missing renormalize -o $(OUT)/ecommerce-ops-2026-10.csv
	$(BIN)/ecomperf score frameworks/ecommerce-ops --actuals examples/actuals-2026-10.csv --missing renormalize -o $(OUT)/ecommerce-ops-2026-10.html
	$(BIN)/ecomperf score frameworks/cross-border --actuals examples/actuals-2026-10.xlsx --sheet cross-border
	$(BIN)/ecomperf score frameworks/cross-border --actuals examples/actuals-2026-10.xlsx --sheet cross-border -o $(OUT)/cross-border-2026-10.xlsx
	@echo "== 3. improvement-plan flags over Q3 and the grade distribution"
	$(BIN)/ecomperf pip frameworks/ecommerce-ops --actuals examples/actuals-2026-Q3.csv
	$(BIN)/ecomperf distribution frameworks/ecommerce-ops --actuals examples/actuals-2026-10.csv --missing renormalize --by department
	@echo "== 4. job descriptions (zh and en; md, html, docx) and ownership matrices"
	for fw in $(FRAMEWORKS); do for locale in zh en; do for format in md html docx; do \
	  $(BIN)/ecomperf jd $$fw --all --locale $$locale --format $$format -o $(OUT)/jd/$$(basename $$fw) || exit 1; \
	done; done; $(BIN)/ecomperf matrix $$fw -o $(OUT)/matrix-$$(basename $$fw).xlsx || exit 1; done
	@echo "== 5. the Python API"
	$(BIN)/python examples/quickstart.py
	@echo "== 6. the review cycle: record each month into $(OUT)/history.db, then review from the history"
	rm -f $(OUT)/history.db
	$(BIN)/ecomperf score frameworks/ecommerce-ops --actuals examples/actuals-2026-Q3.csv --record $(OUT)/history.db
	$(BIN)/ecomperf score frameworks/ecommerce-ops --actuals examples/actuals-2026-10.csv --missing renormalize --record $(OUT)/history.db
	$(BIN)/ecomperf score frameworks/ecommerce-ops --actuals examples/actuals-2026-11.csv --record $(OUT)/history.db
	$(BIN)/ecomperf score frameworks/ecommerce-ops --actuals examples/actuals-2026-12.csv --record $(OUT)/history.db
	$(BIN)/ecomperf history $(OUT)/history.db --from 2026-10
	$(BIN)/ecomperf history $(OUT)/history.db --format html -o $(OUT)/history-trends.html
	$(BIN)/ecomperf history $(OUT)/history.db --format html --locale en -o $(OUT)/history-trends.en.html
	$(BIN)/ecomperf history $(OUT)/history.db --period 2026-12 --format html -o $(OUT)/team-2026-12.html
	$(BIN)/ecomperf pip frameworks/ecommerce-ops --db $(OUT)/history.db
	@echo "== 6b. the quarter from the recorded months; --missing renormalize only for E008 (October's audit is missing; a 95% weekly-report rate is no whole number of a month's weeks)"
	$(BIN)/ecomperf score frameworks/ecommerce-ops --from-db $(OUT)/history.db --period 2026-Q4 --missing renormalize
	@echo "== 7. a proposed change (examples/change): what it changes, and whose grade it would have changed"
	$(BIN)/python examples/change/lay_over.py $(OUT)/ecommerce-ops-2027
	$(BIN)/ecomperf diff --exit-zero frameworks/ecommerce-ops $(OUT)/ecommerce-ops-2027
	$(BIN)/ecomperf diff frameworks/ecommerce-ops $(OUT)/ecommerce-ops-2027 --exit-zero -o $(OUT)/diff-2027.md
	$(BIN)/ecomperf backtest frameworks/ecommerce-ops $(OUT)/ecommerce-ops-2027 --actuals examples/actuals-2026-10.csv --actuals examples/actuals-2026-Q3.csv --bonus-base 10000
	$(BIN)/ecomperf backtest frameworks/ecommerce-ops $(OUT)/ecommerce-ops-2027 --actuals examples/actuals-2026-10.csv --actuals examples/actuals-2026-Q3.csv --bonus-base 10000 -o $(OUT)/backtest-2027.html
	@echo "== 7b. the same change backtested on the recorded cards of the fourth quarter in $(OUT)/history.db"
	$(BIN)/ecomperf backtest frameworks/ecommerce-ops $(OUT)/ecommerce-ops-2027 --db $(OUT)/history.db --from 2026-10 --to 2026-12 --missing renormalize --bonus-base 10000
	@echo "== 8. planning: what E002 needs for an A, and the 2026 GMV plan per position and month"
	$(BIN)/ecomperf whatif frameworks/ecommerce-ops --actuals examples/actuals-2026-10.csv --employee E002 --grade A
	$(BIN)/ecomperf whatif frameworks/ecommerce-ops --actuals examples/actuals-2026-10.csv --employee E002 --grade A --format html -o $(OUT)/whatif-E002.html
	$(BIN)/ecomperf plan frameworks/ecommerce-ops --year 2026 --format xlsx -o $(OUT)/plan-2026.xlsx
	@echo "Done: see $(OUT)/ (scores, jd/, matrix-*.xlsx, history.db, history-trends*.html, diff-2027.md, backtest-2027.html)."

# The strict docs build runs before pytest so that pytest's summary is the last thing CI prints.
test: $(VENV)/.installed-dev
	$(BIN)/ruff check ecomperf tests benchmarks examples scripts
	$(BIN)/mypy ecomperf
	$(BIN)/lint-imports
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet
	ECOMPERF_SITE=site $(BIN)/python -m pytest

# The Spark recipe of docs/api/scale-out.md on a local Spark (needs Java 17+; pyspark is about 500 MB).
test-spark: $(VENV)/.installed-dev
	$(BIN)/python -m pip install --quiet -e '.[dev,spark]'
	$(BIN)/python -m pytest tests/batch/test_scale_out_spark.py -q

# The fuzz tests of tests/hostile/test_fuzz.py with thousands of examples each (make test runs a few dozen).
# Hypothesis keeps what it finds in .hypothesis/, so a failure found here is replayed by the next run.
fuzz: $(VENV)/.installed-dev
	ECOMPERF_FUZZ=long $(BIN)/python -m pytest tests/hostile/test_fuzz.py -q --durations=0

docs: $(VENV)/.installed-dev
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

schema: $(VENV)/.installed-run
	$(BIN)/ecomperf schema -o schema/ecomperf-v1.json

examples: $(VENV)/.installed-run
	$(BIN)/python examples/make_examples.py

$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[xlsx,bench]'
	touch $@

# Every benchmark against its peers, full size (about 15 minutes on 2 cores); BENCH_FLAGS="--rounds 1"
# passes options to every script. benchmarks/README.md runs one of them, smaller.
BENCH_FLAGS ?=
bench: $(VENV)/.installed-bench
	$(BIN)/python benchmarks/bench_score.py $(BENCH_FLAGS)
	$(BIN)/python benchmarks/bench_xlsx.py $(BENCH_FLAGS)
	$(BIN)/python benchmarks/bench_html.py $(BENCH_FLAGS)
	$(BIN)/python benchmarks/bench_startup.py $(BENCH_FLAGS)
	$(BIN)/python benchmarks/bench_load.py $(BENCH_FLAGS)
	$(BIN)/python benchmarks/bench_rollup.py $(BENCH_FLAGS)

clean:
	rm -rf $(OUT) site .pytest_cache .mypy_cache .ruff_cache
