# Roster — the commands a newcomer needs. `make` alone prints this help.
SHELL := /bin/bash
PY := .venv/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help setup run worker test lint check pytest bench lock screenshots

help: ## list the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

setup: ## create .venv with Python 3.13 and the locked dependencies
	@scripts/bootstrap

run: setup ## start Roster on SQLite with its task worker; prints the demo login
	@HOST=$(HOST) PORT=$(PORT) scripts/run

worker: setup ## run the task workers: one for imports, one for email and small tasks
	@scripts/workers

test: setup lint check pytest ## lint, type-check, Django checks and the whole test suite

lint: setup ## ruff and mypy
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy .

check: setup ## Django's system checks and missing migrations
	$(PY) manage.py check --fail-level WARNING
	$(PY) manage.py makemigrations --check --dry-run

pytest: setup ## the test suite only
	.venv/bin/pytest $(PYTEST_ARGS)

screenshots: setup ## refresh the README's screenshots (taken by the browser tests)
	ROSTER_SCREENSHOTS=1 .venv/bin/pytest -q tests/browser

bench: setup ## generate data and print rows per second and peak memory
	$(PY) -m bench $(BENCH_ARGS)

lock: ## re-pin requirements.lock from pyproject.toml (needs uv)
	uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.13 \
		--universal --no-header -q -o requirements.lock
