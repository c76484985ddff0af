# The two commands of the README: `make run` and `make test`. Everything else is their plumbing.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test install lint migrations-check pytest lock clean bench

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

## make run: the local demo on http://127.0.0.1:8000 with SQLite, an embedded broker and a worker.
run: install
	bin/run-demo

## make test: lint, migrations and every test; CI sets DATABASE_URL and REDIS_URL.
test: install lint migrations-check pytest

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

migrations-check:
	DJANGO_SETTINGS_MODULE=ipgar.settings_test $(BIN)/python manage.py makemigrations --check --dry-run

pytest:
	$(BIN)/pytest --cov --cov-report=term:skip-covered

## make bench: scale data on the machine's PostgreSQL, gunicorn, p50/p95 per operation
## (issue 10); writes bench/results.json. BENCH_PG overrides postgres://postgres@127.0.0.1:5432.
bench: install
	bin/bench

## make lock: refresh requirements.lock after changing pyproject.toml.
lock: install
	$(BIN)/python -m pip freeze --exclude-editable --all | grep -v -E '^(pip|setuptools)==' > requirements.lock

clean:
	rm -rf $(VENV) var/ipgar.sqlite3 var/broker var/broker-processed var/celerybeat-schedule*
