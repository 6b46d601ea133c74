# Every target sets itself up on a fresh machine: it creates .venv and installs
# the pinned packages (pyproject.toml) the first time, and again when
# pyproject.toml changes.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## make run: evaluate the example scenario of every jurisdiction and settle the example
## bills, printing the Chinese explanations.
run: $(STAMP)
	@for f in examples/*.yaml; do \
		echo "=== $$f"; \
		$(BIN)/doudi evaluate --explain "$$f" || exit $$?; \
	done
	@for f in examples/bills/*.yaml; do \
		echo "=== $$f"; \
		$(BIN)/doudi settle --explain "$$f" || exit $$?; \
	done

## make test: lint, format check, type check, then the whole test suite; the registry
## tests run on SQLite and on a real PostgreSQL server (Debian's package, installed and
## started under /tmp by scripts/test-postgres.sh unless DOUDI_TEST_DATABASE_URL is set).
test: $(STAMP) lint
	DOUDI_TEST_DATABASE_URL="$${DOUDI_TEST_DATABASE_URL:-$$(scripts/test-postgres.sh)}" \
		$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/mypy

## make bench: the policy engine (10^4..10^6 people per jurisdiction, ~4 min) and the
## bill settlement (10^4..5·10^6 bills, ~8 min), each against a Python loop of its rules.
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_engine.py
	$(BIN)/python benchmarks/bench_settlement.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
