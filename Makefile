# Kindred — two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: setup run test test-sqlite test-postgres test-clock lint format bench bench-load eval eval-intent clean
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

# The whole suite on SQLite and, at the same time, the database-touching tests again on PostgreSQL (always in
# CI; locally when a server answers on 127.0.0.1:5432). Each run spreads its tests over PYTEST_WORKERS
# processes (pytest-xdist; PYTEST_WORKERS=0 runs in one process); each run's output is printed when it ends.
PYTEST_WORKERS ?= auto
PYTEST_PARALLEL = -n $(PYTEST_WORKERS)

test: setup
	@if [ -n "$$CI" ] || pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then \
		$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres; \
	else $(MAKE) --no-print-directory test-sqlite; \
		echo "PostgreSQL not reachable on 127.0.0.1:5432: skipped the PostgreSQL run (CI always runs it)."; fi

test-sqlite: setup
	$(BIN)/pytest -q $(PYTEST_PARALLEL)

# Everything that reads or writes the database through SQL we wrote (platform adapters are covered on SQLite).
PG_TESTS := tests/integration tests/multiprocess tests/scheduling tests/goals tests/privacy tests/unit/test_handlers.py \
	tests/unit/test_importer.py tests/unit/test_thread_replies.py tests/unit/test_anonymous_student_privacy.py \
	tests/unit/test_identity_key.py tests/unit/test_district_import.py \
	tests/platforms/slack/test_oauth.py tests/platforms/slack/test_catalog_scope.py tests/platforms/slack/test_settings_concurrency.py \
	tests/platforms/slack/test_delivery_faults.py tests/platforms/slack/test_forget_me.py \
	tests/platforms/slack/test_anonymous_buttons.py tests/platforms/slack/test_consent_to_post.py \
	tests/platforms/slack/test_not_a_question.py tests/unit/test_delivery.py tests/platforms/slack/test_one_door.py \
	tests/platforms/slack/test_answers_that_helped.py \
	tests/platforms/discord/test_answers_that_helped.py tests/unit/test_console_answers.py \
	tests/platforms/slack/test_repeated_question.py tests/platforms/slack/test_share_catalog.py \
	tests/platforms/slack/test_ways_to_ask.py \
	tests/platforms/discord/test_ways_to_ask.py

# Of PG_TESTS, the PostgreSQL run keeps the tests that open a database (tests/conftest.py): the rest never reach it.
test-postgres: setup
	KINDRED_TEST_DATABASE_URL=$${KINDRED_TEST_DATABASE_URL:-$(PG_TEST_URL)} $(BIN)/pytest -q $(PYTEST_PARALLEL) -p no:cacheprovider -m "not slow" $(PG_TESTS)

# The time-sensitive tests again with the machine's clock standing at a Monday night, a Wednesday noon and a
# Saturday evening (UTC): no test may depend on the hour, the weekday or the time zone. CI runs it.
CLOCK_TESTS := tests/unit/test_console.py tests/unit/test_console_followups.py tests/unit/test_console_post_public.py \
	tests/scheduling tests/goals tests/unit/test_packs.py tests/unit/test_ripples.py tests/unit/test_thread_replies.py \
	tests/platforms/slack/test_followups.py tests/platforms/discord/test_followups.py tests/privacy/test_retention.py \
	tests/privacy/test_insights.py tests/privacy/test_insights_scale.py tests/platforms/slack/test_consent_to_post.py \
	tests/platforms/slack/test_report_command.py tests/platforms/slack/test_delivery_faults.py \
	tests/platforms/slack/test_answers_that_helped.py tests/platforms/discord/test_answers_that_helped.py \
	tests/unit/test_console_answers.py tests/platforms/slack/test_repeated_question.py
CLOCK_INSTANTS := 2026-11-30T03:00:00+00:00 2026-12-02T13:00:00+00:00 2026-12-05T21:30:00+00:00

# The instants run side by side, one process each (output printed as each ends).
CLOCK_RUNS := $(addprefix test-clock-,$(shell seq $(words $(CLOCK_INSTANTS))))

test-clock: setup
	@$(MAKE) --no-print-directory -j$(words $(CLOCK_INSTANTS)) --output-sync=target $(CLOCK_RUNS)

test-clock-%: setup
	@echo "== clock at $(word $*,$(CLOCK_INSTANTS))"
	@$(BIN)/pytest -q -n 0 -m "not slow" -p no:cacheprovider --clock-at $(word $*,$(CLOCK_INSTANTS)) $(CLOCK_TESTS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Default: sample, 1k, 10k and 100k (about 10 minutes); BENCH_ARGS="--sizes 1m" for the million case.
bench: setup
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

# N concurrent signed /ask against the real HTTP endpoint (child processes) and a fake Web API: ack and answer
# p50/p99, answers/s, CPU per answer and the ratio to the in-process /ask in the same run, with 1 worker and
# KINDRED_WORKERS (default one per core). LOAD_ARGS="--concurrency 50 --workers 2 --profile".
bench-load: setup
	$(BIN)/python -m benchmarks.load $(LOAD_ARGS)

# Quality evaluations on labelled data (benchmarks/eval.py: matching, then the help-request detector), real
# model, each next to its simple baseline; a few minutes.
eval: setup
	$(BIN)/python -m benchmarks.eval $(EVAL_ARGS)

clean:
	rm -rf $(VENV) var

# Help-request detector on the untouched held-out split, learned vs phrase detector (joined into `make eval`).
eval-intent: setup
	$(BIN)/python -m benchmarks.eval --only intent
