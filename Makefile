# The two commands of the README: `make run` and `make test`. Everything else is their plumbing.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test test-steps install lint migrations-check pytest coverage fuzz lock clean bench

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[dev]"
	@# deduce (Woo redaction) builds its lookup tables on first use, 1-2 minutes, into its own
	@# package folder: once here, so no two test workers build and read them at the same time.
	$(BIN)/python -c "from deduce import Deduce; Deduce()" 2>/dev/null
	touch $(STAMP)

install: $(STAMP)

## make run: the local demo on http://127.0.0.1:8000 with SQLite, an embedded broker and a worker.
run: install
	bin/run-demo

## make test: lint, migrations and every test; CI sets DATABASE_URL and REDIS_URL.
## It prints its wall time and the 30 slowest tests, so a suite that slows down shows.
test:
	@started=$$(date +%s); $(MAKE) --no-print-directory test-steps; status=$$?; \
	echo "make test: $$(( $$(date +%s) - started )) s wall time (exit $$status)"; exit $$status

test-steps: install lint migrations-check pytest

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

migrations-check:
	DJANGO_SETTINGS_MODULE=ipgar.settings_test $(BIN)/python manage.py makemigrations --check --dry-run

# pytest-xdist: each worker has its own test database; `loadgroup` keeps the browser tests on one
# worker (one Chromium, one live server) and the real-Redis tests on one (they share its queues).
# Coverage is not part of `make test`: its tracer (Python 3.11 has no sys.monitoring) doubled
# the suite's CPU time (a module of persona tests: 140 s without, 257 s with). `make coverage`.
PYTEST_WORKERS ?= 2
PYTEST_ARGS ?=
pytest:
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup --durations=30 --durations-min=1 $(PYTEST_ARGS)

## make coverage: the same tests with a coverage summary (about twice as slow).
coverage: install
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup --cov --cov-report=term:skip-covered

## make fuzz: property tests with random seeds and many examples, for FUZZ_SECONDS per form
## shard; what it finds is kept: form failures in tests/reliability/fuzz_regressions.json,
## property-test failures as @example lines (hypothesis's patches, applied here). Commit both.
FUZZ_SECONDS ?= 600
fuzz: install
	rm -rf .hypothesis/patches
	-HYPOTHESIS_PROFILE=fuzz FUZZ_SECONDS=$(FUZZ_SECONDS) $(BIN)/pytest -n $(PYTEST_WORKERS) \
		--dist loadgroup tests/reliability/test_fuzz_forms.py \
		tests/monitor/test_suppression.py -k "hostile_input or no_published or never_reveals"
	@for patch in .hypothesis/patches/*.patch; do \
		[ -e "$$patch" ] || continue; git apply "$$patch" && echo "@example toegevoegd: $$patch"; \
	done
	@git status --short tests/

## make bench: scale data on the machine's PostgreSQL, gunicorn, p50/p95 per operation
## (issues 10, 19; benchmarks/); writes bench/results.json. BENCH_PG overrides postgres://postgres@127.0.0.1:5432.
bench: install
	bin/bench

## make lock: refresh requirements.lock after changing pyproject.toml.
lock: install
	$(BIN)/python -m pip freeze --exclude-editable --all | grep -v -E '^(pip|setuptools)==' > requirements.lock

clean:
	rm -rf $(VENV) var/ipgar.sqlite3 var/broker var/broker-processed var/celerybeat-schedule*
