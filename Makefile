# Kezek: two commands on a fresh machine: `make run` and `make test`.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
UV      := $(BIN)/uv
STAMP   := $(VENV)/.installed
UV_VERSION := 0.5.31
.PHONY: install run test test-fast lint typecheck bench lock clean browser services axe

$(BIN)/python:
	$(PY) -m venv $(VENV)

$(UV): $(BIN)/python
	$(BIN)/pip install -q "uv==$(UV_VERSION)"

# Installs the locked packages and Kezek itself; re-runs only when the lock changes.
$(STAMP): requirements.lock pyproject.toml $(UV)
	$(UV) pip install -q --python $(BIN)/python -r requirements.lock
	$(UV) pip install -q --python $(BIN)/python --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

# Debian's chromium for the browser tests (never a downloaded browser).
browser:
	bash scripts/ensure-chromium.sh

services:
	bash scripts/ensure-services.sh
	bash scripts/ensure-nginx.sh

# axe-core for the accessibility tests, at the version tests/a11y/package-lock.json pins.
axe:
	bash scripts/ensure-axe.sh

lock: $(UV)
	$(UV) pip compile pyproject.toml --extra dev -o requirements.lock --python-version 3.11 -q

# `make run PORT=8010` (and HOST=...): the links Kezek builds follow the port unless
# KEZEK_PUBLIC_URL is set (kezek.settings.follow_server).
HOST ?= 127.0.0.1
PORT ?= 8000

run: install
	mkdir -p var
	$(BIN)/kezek db upgrade
	$(BIN)/kezek demo load --if-empty
	$(BIN)/kezek serve --host $(HOST) --port $(PORT)

# Tests run across the machine's cores (pytest-xdist), a file's tests kept together on one
# process so that module fixtures (servers, browsers) start once; TEST_JOBS=0 runs in one.
TEST_JOBS ?= 2

test: install browser services axe
	$(BIN)/ruff check src tests $(wildcard bench)
	$(BIN)/lint-imports
	$(BIN)/mypy src/kezek
	$(BIN)/python -m pytest -q -p no:cacheprovider -n $(TEST_JOBS) --dist loadfile

# The quick loop: SQLite only, no browser (tests/conftest.py marks every test that
# reaches PostgreSQL or a browser); `make test` runs them all.
test-fast: install
	@echo "test-fast: SQLite only; PostgreSQL and browser tests are left out (make test runs them)"
	$(BIN)/python -m pytest -q -x -p no:cacheprovider -m "not browser and not pg"

lint: install
	$(BIN)/ruff check src tests $(wildcard bench)
	$(BIN)/ruff format --check src tests $(wildcard bench) || true
	$(BIN)/lint-imports
	$(BIN)/mypy src/kezek

bench: install services
	$(BIN)/python -m bench.booking_rush

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
