# Developer commands. `make` alone lists them.
#
# Everything runs through .venv/bin/... explicitly; nothing needs an activated
# virtual environment. Without DATABASE_URL / CELERY_BROKER_URL the app uses a
# SQLite file in the project and runs background tasks in-process; `make bench`
# and `make bench-data` use BENCH_DATABASE_URL and BENCH_BROKER_URL instead.

.DEFAULT_GOAL := help
SHELL := /bin/bash

VENV   := .venv
PY     := $(VENV)/bin/python
RUFF   := $(VENV)/bin/ruff
PYTEST := $(VENV)/bin/pytest
# Touched after a successful install; pyproject.toml newer than it means reinstall.
STAMP  := $(VENV)/.installed-stamp
PYTHON_CANDIDATES := python3.13 python3.12 python3.11 python3
PYTEST_ARGS ?=
# The benchmarks' PostgreSQL database (created if missing) and Redis broker.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/dialogue_bench
BENCH_BROKER_URL   ?= redis://127.0.0.1:6379/0
BENCH_ARGS ?=

.PHONY: help venv run test lint format migrations-check bench-data bench clean

help: ## List the targets
	@echo "Usage: make TARGET"
	@echo
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  %-18s %s\n", $$1, $$2}' $(MAKEFILE_LIST)
	@echo
	@echo "  make test PYTEST_ARGS='-k concerns -x' passes arguments to pytest."
	@echo "  make bench BENCH_ARGS='--runs 5' passes options to manage.py benchmark."

venv: $(STAMP) ## Create .venv (Python 3.11+) and install the project with its dev extras

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

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

run: venv ## Migrate, load reference data and demo users (logins are printed), serve on 127.0.0.1:8000
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_reference_data
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:8000

# pytest exits 5 when it collected no tests; that is a failure, never a pass.
test: venv ## Run the test suite (PYTEST_ARGS=... for extra pytest arguments)
	@status=0; $(PYTEST) $(PYTEST_ARGS) || status=$$?; \
	if [ "$$status" -eq 5 ]; then echo "error: pytest collected no tests" >&2; fi; \
	exit $$status

lint: venv ## Check code style (ruff check and ruff format --check)
	$(RUFF) check .
	$(RUFF) format --check .

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
