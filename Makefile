# Kezek: two commands on a fresh machine: `make run` and `make test`.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
UV      := $(BIN)/uv
STAMP   := $(VENV)/.installed
UV_VERSION := 0.5.31
# Proof of identity and throttling: typed strictly like the core (pyproject's overrides).
IDENTITY_TYPED := src/kezek/app/identity src/kezek/app/throttle.py src/kezek/api/client.py \
	src/kezek/api/identity_deps.py src/kezek/api/routes_identity.py src/kezek/web/identity.py
# Proof of work (ALTCHA): typed strictly the same way.
POW_TYPED := src/kezek/app/challenge.py src/kezek/api/challenge_deps.py \
	src/kezek/api/routes_challenge.py src/kezek/web/pow.py src/kezek/i18n_challenge.py

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

# axe-core for the accessibility tests, at the version tests/a11y/package-lock.json pins.
axe:
	bash scripts/ensure-axe.sh

lock: $(UV)
	$(UV) pip compile pyproject.toml --extra dev -o requirements.lock --python-version 3.11 -q

run: install
	mkdir -p var
	$(BIN)/kezek db upgrade
	$(BIN)/kezek demo load --if-empty
	$(BIN)/kezek serve --host 127.0.0.1 --port 8000

test: install browser services axe
	$(BIN)/ruff check src tests $(wildcard bench)
	$(BIN)/lint-imports
	$(BIN)/mypy src/kezek/core src/kezek/live src/kezek/sim src/kezek/planning $(IDENTITY_TYPED) $(POW_TYPED)
	$(BIN)/python -m pytest -q -p no:cacheprovider

test-fast: install
	$(BIN)/python -m pytest -q -x -m "not browser and not pg"

lint: install
	$(BIN)/ruff check src tests $(wildcard bench)
	$(BIN)/ruff format --check src tests $(wildcard bench) || true
	$(BIN)/lint-imports
	$(BIN)/mypy src/kezek/core src/kezek/live src/kezek/sim src/kezek/planning $(IDENTITY_TYPED) $(POW_TYPED)

bench: install services
	$(BIN)/python -m bench.booking_rush

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
