# Exchange Outcome: `make run` to use it, `make test` to check it (what CI runs).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test lint test-sqlite test-postgres migrate seed serve screenshots bench backup restore clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.runtime: pyproject.toml | $(PY)
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.dev: pyproject.toml | $(PY)
	$(PIP) install --quiet -e '.[dev]'
	touch $@ $(VENV)/.runtime

## run: set up everything (venv, install, migrate, seed) and serve on http://127.0.0.1:8000
run: $(VENV)/.runtime migrate
	$(PY) manage.py runserver $(HOST):$(PORT)

migrate: $(VENV)/.runtime
	$(PY) manage.py migrate --noinput

## test: lint, then the whole suite on SQLite and again on a throwaway PostgreSQL
test: $(VENV)/.dev lint test-sqlite test-postgres

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .

test-sqlite: $(VENV)/.dev
	DATABASE_URL= $(VENV)/bin/pytest $(PYTEST_ARGS)

test-postgres: $(VENV)/.dev
	scripts/with-postgres.sh $(VENV)/bin/pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
