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

# tests/core is pure (no database): the SQLite pass runs it; again on PostgreSQL it would prove nothing. Nor would
# tests/test_schemathesis.py (its live server has its own SQLite database; about a minute).
test-postgres: $(VENV)/.dev
	scripts/with-postgres.sh $(VENV)/bin/pytest --ignore=tests/core --ignore=tests/test_schemathesis.py $(PYTEST_ARGS)

# The production configuration, locally: DJANGO_ENV=production, static files collected
# and served by whitenoise, gunicorn. SQLite unless DATABASE_URL is set. SECRET_KEY comes
# from the environment or, failing that, from .secret_key (generated once, never committed).
# No TLS proxy in front here, so no redirect to https (everything else as in production).
PROD_ENV = DJANGO_ENV=production \
	SECRET_KEY="$${SECRET_KEY:-$$(cat .secret_key)}" \
	ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost}" \
	SECURE_SSL_REDIRECT="$${SECURE_SSL_REDIRECT:-false}"

.secret_key: | $(PY)
	umask 077 && $(PY) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

## serve: the production configuration (gunicorn, whitenoise, DEBUG off) on http://127.0.0.1:8000
serve: $(VENV)/.runtime .secret_key
	$(PROD_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
	$(PROD_ENV) $(PY) manage.py migrate --noinput
	exec env $(PROD_ENV) GUNICORN_BIND="$(HOST):$(PORT)" $(VENV)/bin/gunicorn -c gunicorn.conf.py

# backup and restore install nothing: they run the deployment as it is, with the venv's python when
# there is one (make run, or docs/deploy.md's install), else python3 with the app installed in it.
DEPLOYED_PY = $(if $(wildcard $(PY)),$(PY),$(PYTHON))
BACKUP_ARGS ?=

## backup: write the offer data, its history, the admin's log and the staff accounts, with a manifest, to backups/offers-<time>.json (BACKUP_ARGS="--keep 14 --copy-to DIR" to rotate and copy off the server)
backup:
	$(DEPLOYED_PY) manage.py backup_offers $(BACKUP_ARGS)

## restore FILE=backups/offers-....json: check a backup against its manifest, then load it into a freshly migrated database
restore:
	@test -n "$(FILE)" || { echo "make restore: say which backup, e.g. make restore FILE=backups/offers-20031010T120000Z.json" >&2; exit 2; }
	$(DEPLOYED_PY) manage.py restore_offers "$(FILE)"

## bench: load test (production settings, gunicorn, throwaway PostgreSQL, wrk); see bench/load.sh
bench: $(VENV)/.runtime
	bench/load.sh

## screenshots: docs/screenshots/*.png (home, result at 1280 px and 390 px) from real pages in chromium
screenshots: $(VENV)/.dev
	$(PY) scripts/screenshots.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
