# The Cooperation Registry's commands. `make run` serves the site, `make test` runs the tests;
# both build the virtualenv first. Needs only Python 3.11+ and make.

PYTHON ?= python3
VENV ?= .venv
ADDRPORT ?= 127.0.0.1:8000
PYTEST_ARGS ?=
PYTEST_WORKERS ?= auto

BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
# Touched after a successful install; requirements newer than it trigger a reinstall.
STAMP := $(VENV)/.requirements-installed
# Local development: DEBUG on, so no SECRET_KEY is needed (production refuses to start without one).
DEV_ENV := DEBUG=1

.DEFAULT_GOAL := help
.PHONY: help run test lint format check superuser migrate serve bench load catalogues messages nu-checker

help:
	@echo "make run        build the virtualenv, migrate, load the seed data, serve http://$(ADDRPORT)"
	@echo "make test       build the virtualenv and run the tests in parallel (PYTEST_ARGS='-k partial' to pick, '-n0' for one process)"
	@echo "make nu-checker install the Nu HTML checker (npm's vnu-jar, pinned) into .cache/vnu/ for the HTML validity test (needs npm; runs with Java)"
	@echo "make lint       ruff check, ruff format --check, lint-imports and .ci/house_rules.py"
	@echo "make format     ruff format and ruff check --fix"
	@echo "make messages   collect the interface's new strings into locale/{az,ru}/LC_MESSAGES/django.po (needs gettext)"
	@echo "make check      manage.py check --deploy with production-like settings"
	@echo "make superuser  create a staff account (DEBUG=1, local database or DATABASE_URL)"
	@echo "make serve      production: migrate, collectstatic, gunicorn (needs SECRET_KEY and ALLOWED_HOSTS set)"
	@echo "make bench      time the key pages warm and cold on DATABASE_URL's database, write bench.json (BENCH_ARGS='--repeat 10')"
	@echo "make load       requests/s and p99 of a page through gunicorn and wrk, with and without saves (LOAD_ARGS='--url /partners/iom/')"

# The interpreter: $(PYTHON) if it is 3.11 or newer, else the newest python3.1x on PATH.
$(BIN)/python:
	@ok='import sys; sys.exit(sys.version_info < (3, 11))'; \
	python="$(PYTHON)"; \
	if ! "$$python" -c "$$ok" 2>/dev/null; then \
		for candidate in python3.14 python3.13 python3.12 python3.11 python3 python; do \
			if command -v "$$candidate" >/dev/null 2>&1 && "$$candidate" -c "$$ok" 2>/dev/null; then \
				python="$$candidate"; break; \
			fi; \
		done; \
	fi; \
	if ! "$$python" -c "$$ok" 2>/dev/null; then \
		echo "Python 3.11 or newer is needed and '$(PYTHON)' is not (nor is any python3.1x on PATH)." >&2; \
		echo "Install it, or name it: make PYTHON=/path/to/python3.11 ..." >&2; \
		exit 1; \
	fi; \
	echo "Creating $(VENV) with $$("$$python" -c 'import sys; print(sys.executable, sys.version.split()[0])')"; \
	if ! "$$python" -m venv --clear $(VENV); then \
		rm -rf $(VENV); \
		echo "Could not create $(VENV). On Debian or Ubuntu: apt-get install python3-venv" >&2; \
		exit 1; \
	fi

$(STAMP): requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check --quiet -r requirements-dev.txt
	@touch $(STAMP)

# The interface's translations: locale/<lang>/LC_MESSAGES/django.po compiled into the .mo files
# Django reads (build output, not committed), with Babel: no gettext needed. `make messages`
# (needs GNU gettext's xgettext, like Django's makemessages) collects new strings into the .po files.
catalogues: $(STAMP)
	@$(DEV_ENV) $(MANAGE) compile_catalogues >/dev/null

messages: $(STAMP)
	$(DEV_ENV) $(MANAGE) makemessages -l az -l ru --no-location --no-obsolete --ignore=.venv --ignore=tests --ignore=node_modules --ignore=staticfiles
	$(DEV_ENV) $(MANAGE) compile_catalogues

migrate: catalogues
	$(DEV_ENV) $(MANAGE) migrate --noinput

run: migrate
	$(DEV_ENV) $(MANAGE) load_seed_data
	$(DEV_ENV) $(MANAGE) runserver $(ADDRPORT)

# In parallel: PYTEST_WORKERS processes (pytest-xdist; auto: one a core), each with its own test
# database (test_<name>_gw0 …), a test file's tests all in one of them and in their order.
# PYTEST_ARGS comes last and wins: PYTEST_ARGS=-n0 runs the suite in this one process.
test: catalogues
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

# The Nu HTML checker that tests/pages/test_html_valid.py runs over every page type: the npm
# package vnu-jar at exactly this version, in VNU_DIR (not committed), run with Java (11 or newer).
# Without it (or without Java) that test is skipped, with the reason; CI installs it (.ci/run).
VNU_VERSION := 26.9.27
VNU_DIR ?= .cache/vnu
nu-checker: $(VNU_DIR)/installed-$(VNU_VERSION)

$(VNU_DIR)/installed-$(VNU_VERSION):
	@command -v npm >/dev/null 2>&1 || { echo "npm is needed to install the Nu HTML checker (Debian: apt-get install npm)" >&2; exit 1; }
	rm -rf $(VNU_DIR) && mkdir -p $(VNU_DIR)
	npm install --prefix $(VNU_DIR) --ignore-scripts --no-audit --no-fund --no-save --no-package-lock --loglevel=error vnu-jar@$(VNU_VERSION)
	@test -f $(VNU_DIR)/node_modules/vnu-jar/build/dist/vnu.jar || { echo "vnu-jar $(VNU_VERSION) has no build/dist/vnu.jar" >&2; exit 1; }
	@touch $@

# The build's rules: ruff; which package may import which ([tool.importlinter] in pyproject.toml);
# module length and type hints (.ci/house_rules.py).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python .ci/house_rules.py

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Production-like: DEBUG off, a random key, a real host name.
check: $(STAMP)
	DEBUG=0 ALLOWED_HOSTS=registry.example.org \
	SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	$(MANAGE) check --deploy --fail-level WARNING

superuser: migrate
	$(DEV_ENV) $(MANAGE) createsuperuser

# Production on this machine: DEBUG off, migrate, collectstatic, then gunicorn with
# gunicorn.conf.py (127.0.0.1:8000 unless GUNICORN_BIND says otherwise). SECRET_KEY and
# ALLOWED_HOSTS must be in the environment, and DATABASE_URL and the other settings are read
# from it too; docs/deployment.md has the rest (a TLS proxy in front, systemd).
serve: catalogues
	@if [ -z "$$SECRET_KEY" ] || [ -z "$$ALLOWED_HOSTS" ]; then \
		echo "make serve runs with production settings: set SECRET_KEY and ALLOWED_HOSTS in the environment" >&2; \
		echo "(e.g. ALLOWED_HOSTS=registry.example.org; see docs/deployment.md)." >&2; \
		exit 1; \
	fi
	DEBUG=0 $(MANAGE) migrate --noinput
	DEBUG=0 $(MANAGE) collectstatic --noinput
	DEBUG=0 $(BIN)/gunicorn --config gunicorn.conf.py

# The benchmark (docs/performance.md): every key page through the full stack, on the database
# DATABASE_URL names (the local SQLite file without it), with connections kept open as in
# production; the figures go to bench.json. Fill a database first, e.g.
#   manage.py generate_demo_data --partners 10000 --projects 100000 --meetings 1000000
BENCH_ARGS ?=
bench: migrate
	$(DEV_ENV) CONN_MAX_AGE=$${CONN_MAX_AGE:-60} $(MANAGE) benchmark --json bench.json $(BENCH_ARGS)

# Under load (docs/measuring.md): gunicorn and wrk on one page, with and without a save every 2 s,
# on DATABASE_URL's database (the saves write to it: use a copy) with Redis at REDIS_URL
# (redis://127.0.0.1:6379/0 without it).
LOAD_ARGS ?=
load: migrate
	$(DEV_ENV) $(MANAGE) load_test $(LOAD_ARGS)
