# Developer commands. `make` alone lists them.
#
# Everything runs through .venv/bin/... explicitly; nothing needs an activated
# virtual environment. Without DATABASE_URL / CELERY_BROKER_URL the app uses a
# SQLite file in the project and runs background tasks in-process; `make bench`
# and `make bench-data` use BENCH_DATABASE_URL and BENCH_BROKER_URL instead.
#
# `make run` installs only what the app needs at run time; `make test`, `make lint`
# and `make venv` add the test and lint tools.
#
# seed_demo (make run), ensure_database, generate_bench_data and benchmark (make bench)
# come from the developer tools app, dialogue/devtools: manage.py's default settings
# (config.settings.local) install it, the production settings do not.

.DEFAULT_GOAL := help
SHELL := /bin/bash

VENV   := .venv
PY     := $(VENV)/bin/python
RUFF   := $(VENV)/bin/ruff
PYTEST := $(VENV)/bin/pytest
MYPY   := $(VENV)/bin/mypy
# Touched after a successful install; pyproject.toml newer than one means reinstall.
RUNTIME_STAMP := $(VENV)/.installed-runtime
DEV_STAMP     := $(VENV)/.installed-dev
PIP_INSTALL   := $(PY) -m pip install --disable-pip-version-check
PYTHON_CANDIDATES := python3.13 python3.12 python3.11 python3
# make run: the port served on 127.0.0.1 (SITE_URL follows it unless set).
PORT ?= 8000
PYTEST_ARGS ?=
# pytest-xdist processes for make test (auto: one per core; 0: no parallel run).
PYTEST_WORKERS ?= auto
# The benchmarks' PostgreSQL database (created if missing) and Redis broker.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/dialogue_bench
BENCH_BROKER_URL   ?= redis://127.0.0.1:6379/0
BENCH_ARGS ?=

.PHONY: help venv system-packages run test lint typecheck format migrations-check bench-data bench clean

help: ## List the targets
	@echo "Usage: make TARGET"
	@echo
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  %-18s %s\n", $$1, $$2}' $(MAKEFILE_LIST)
	@echo
	@echo "  make run PORT=8100 serves on another port."
	@echo "  make test PYTEST_ARGS='-k concerns -x' passes arguments to pytest;"
	@echo "  PYTEST_WORKERS=0 runs it in one process."
	@echo "  make bench BENCH_ARGS='--runs 5' passes options to manage.py benchmark."

venv: $(DEV_STAMP) ## Create .venv (Python 3.11+) and install the project with its test and lint tools

# A candidate counts only if running it works and reports >= 3.11: a pyenv shim
# such as python3.12 can exist on PATH and still fail when run.
$(PY):
	@for candidate in $(PYTHON_CANDIDATES); do \
	  if "$$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' >/dev/null 2>&1; then \
	    echo "Creating $(VENV) with $$candidate ($$("$$candidate" --version 2>&1))"; \
	    "$$candidate" -m venv $(VENV) || { rm -rf $(VENV); exit 1; }; \
	    exit 0; \
	  fi; \
	done; \
	echo "error: Python 3.11 or newer is required (tried: $(PYTHON_CANDIDATES))" >&2; \
	exit 1

$(RUNTIME_STAMP): pyproject.toml | $(PY)
	$(PIP_INSTALL) -e .
	@touch $(RUNTIME_STAMP)

$(DEV_STAMP): pyproject.toml | $(PY)
	$(PIP_INSTALL) -e '.[dev]'
	@touch $(DEV_STAMP) $(RUNTIME_STAMP)

system-packages: ## Install the Debian packages the tests need (Chromium, fonts, Pango); as root, else print the command
	@scripts/system-packages

# The app as in production (DEBUG off, gunicorn, static files by WhiteNoise), on SQLite
# with in-process tasks. One worker process with threads, like a development server:
# SQLite takes one writer at a time. SITE_URL (links in e-mails and exports) is the
# served address unless the environment or .env sets it.
run: $(RUNTIME_STAMP) ## Migrate, load reference data and demo users (logins are printed), serve on 127.0.0.1:PORT (default 8000: make run PORT=8100)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_reference_data
	$(PY) manage.py seed_demo
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@if [ -z "$${SITE_URL:-}" ] && ! grep -qs '^SITE_URL=' .env; then export SITE_URL="http://127.0.0.1:$(PORT)"; fi; \
	echo "Serving http://127.0.0.1:$(PORT)/ (links in e-mails: $${SITE_URL:-from .env}); stop with Ctrl-C"; \
	exec $(VENV)/bin/gunicorn config.wsgi --config python:config.gunicorn \
	  --bind "127.0.0.1:$(PORT)" --workers 1 --threads 4 --access-logfile - --no-control-socket

# Set-up first (the Debian packages, then .venv), so a missing package stops it at once.
# Tests run on every core; the browser, fault and integration tests one after another on
# one worker (tests/conftest.py). pytest exits 5 when it collected no tests; that is a failure.
test: system-packages venv ## Install what the tests need, run the test suite (PYTEST_ARGS=... for extra pytest arguments)
	@status=0; $(PYTEST) -n $(PYTEST_WORKERS) $(PYTEST_ARGS) || status=$$?; \
	if [ "$$status" -eq 5 ]; then echo "error: pytest collected no tests" >&2; fi; \
	exit $$status

lint: venv ## Check code style (ruff), the layer contracts (import-linter) and types (make typecheck)
	$(RUFF) check .
	$(RUFF) format --check .
	$(VENV)/bin/lint-imports
	$(MYPY)

typecheck: venv ## Type-check services, selectors, querysets, permissions and the API (mypy; files in pyproject.toml)
	$(MYPY)

format: venv ## Fix what ruff can fix and format the code
	$(RUFF) check --fix .
	$(RUFF) format .

migrations-check: venv ## Fail if the models have changes without a migration
	$(PY) manage.py makemigrations --check --dry-run

# The bench targets run every manage.py step on BENCH_DATABASE_URL, with Redis as
# the broker and DEBUG off, whatever DATABASE_URL the shell has.
bench-data bench: export DATABASE_URL = $(BENCH_DATABASE_URL)
bench-data bench: export CELERY_BROKER_URL = $(BENCH_BROKER_URL)
bench-data bench: export DJANGO_DEBUG = false

bench-data: venv ## Create and migrate the bench database, generate the bench data set once (scale 1)
	$(PY) manage.py ensure_database
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_reference_data
	$(PY) manage.py generate_bench_data --scale 1 --if-missing

bench: bench-data ## Run every benchmark against its reference, write the summary to docs/benchmarks.md
	$(PY) manage.py benchmark --write-docs $(BENCH_ARGS)

clean: ## Remove caches and build artefacts (keeps .venv, db.sqlite3 and uploads)
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -print0 | xargs -0 rm -rf
	rm -rf .pytest_cache .ruff_cache build dist *.egg-info var/test-uploads
