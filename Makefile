# Kindred — two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: setup run test test-postgres lint format bench eval clean
PG_TEST_URL ?= postgresql://postgres@127.0.0.1:5432/test

setup: $(STAMP)

# torch is pinned and installed first so pip takes the CPU wheel, never a CUDA build.
$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet "torch==2.13.0"
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

run: setup
	$(BIN)/kindred run

# The whole suite on SQLite, then the database-touching tests again on PostgreSQL
# (always in CI; locally when a server answers on 127.0.0.1:5432).
test: setup
	$(BIN)/pytest -q
	@if [ -n "$$CI" ] || pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then \
		$(MAKE) --no-print-directory test-postgres; \
	else echo "PostgreSQL not reachable on 127.0.0.1:5432: skipped the PostgreSQL run (CI always runs it)."; fi

# Everything that reads or writes the database through SQL we wrote (platform adapters are covered on SQLite).
PG_TESTS := tests/integration tests/scheduling tests/goals tests/privacy tests/unit/test_handlers.py \
	tests/unit/test_importer.py tests/unit/test_thread_replies.py tests/unit/test_anonymous_student_privacy.py

test-postgres: setup
	KINDRED_TEST_DATABASE_URL=$${KINDRED_TEST_DATABASE_URL:-$(PG_TEST_URL)} $(BIN)/pytest -q -m "not slow" $(PG_TESTS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Default: sample, 1k, 10k and 100k (about 10 minutes); BENCH_ARGS="--sizes 1m" for the million case.
bench: setup
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

# Quality evaluations on labelled questions (benchmarks/eval.py), real model; about a minute.
eval: setup
	$(BIN)/python -m benchmarks.eval $(EVAL_ARGS)

clean:
	rm -rf $(VENV) var
