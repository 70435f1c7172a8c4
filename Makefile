# Kezek: two commands on a fresh machine: `make run` and `make test`.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
UV      := $(BIN)/uv
STAMP   := $(VENV)/.installed
UV_VERSION := 0.5.31
# Proof of identity and throttling: typed strictly like the core (pyproject's overrides).
IDENTITY_TYPED := src/kezek/app/identity src/kezek/app/throttle.py src/kezek/api/client.py \
	src/kezek/api/identity_deps.py src/kezek/api/routes_identity.py src/kezek/web/identity.py \
	src/kezek/app/at_rest.py src/kezek/app/totp_secrets.py src/kezek/cli/identity.py \
	src/kezek/bot/iin.py src/kezek/bot/common.py src/kezek/app/sms_texts.py
# Privilege claims (ADR 14): typed strictly too.
PRIVILEGE_TYPED := src/kezek/app/privilege_check.py \
	src/kezek/app/privilege_door.py src/kezek/app/privilege_policy.py \
	src/kezek/app/privilege_stats.py src/kezek/api/routes_privilege.py \
	src/kezek/analytics/claims.py src/kezek/i18n_privilege.py src/kezek/web/i18n_privilege.py
# The abuse view and the no-show suspension (ADR 0015): typed strictly too.
ABUSE_TYPED := src/kezek/app/abuse src/kezek/api/routes_abuse.py src/kezek/web/abuse_pages.py \
	src/kezek/web/i18n_abuse.py src/kezek/i18n_abuse.py
# Fair release (ADR 13): typed strictly too.
RELEASE_TYPED := src/kezek/app/rerelease.py src/kezek/app/ballot.py src/kezek/app/ballot_draw.py \
	src/kezek/app/ballot_notices.py src/kezek/api/routes_ballot.py src/kezek/web/ballot.py \
	src/kezek/web/release_note.py src/kezek/store/models_release.py \
	src/kezek/bot/ballot.py src/kezek/bot/ballot_views.py
# Fast start, clean stop (ADR 0016): typed strictly too (live/stopping.py is under live).
START_TYPED := src/kezek/cli/lazy.py src/kezek/api/routes_telegram.py
# Input at the edge (NUL bytes, body size): typed strictly the same way.
INPUT_TYPED := src/kezek/api/edge.py
# Proof of work (ALTCHA): typed strictly the same way.
POW_TYPED := src/kezek/app/challenge.py src/kezek/api/challenge_deps.py \
	src/kezek/api/routes_challenge.py src/kezek/web/pow.py src/kezek/i18n_challenge.py
OPS_TYPED := src/kezek/metrics.py src/kezek/api/docs_pages.py src/kezek/api/openapi_doc.py src/kezek/api/ops.py src/kezek/api/ops_gauges.py \
	src/kezek/i18n_ops.py src/kezek/logs.py

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

run: install
	mkdir -p var
	$(BIN)/kezek db upgrade
	$(BIN)/kezek demo load --if-empty
	$(BIN)/kezek serve --host 127.0.0.1 --port 8000

# Tests run across the machine's cores (pytest-xdist), a file's tests kept together on one
# process so that module fixtures (servers, browsers) start once; TEST_JOBS=0 runs in one.
TEST_JOBS ?= 2

test: install browser services axe
	$(BIN)/ruff check src tests $(wildcard bench)
	$(BIN)/lint-imports
	$(BIN)/mypy src/kezek/core src/kezek/live src/kezek/sim src/kezek/planning $(IDENTITY_TYPED) $(PRIVILEGE_TYPED) $(ABUSE_TYPED) $(RELEASE_TYPED) $(POW_TYPED) $(START_TYPED) $(OPS_TYPED) $(INPUT_TYPED)
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
	$(BIN)/mypy src/kezek/core src/kezek/live src/kezek/sim src/kezek/planning $(IDENTITY_TYPED) $(PRIVILEGE_TYPED) $(ABUSE_TYPED) $(RELEASE_TYPED) $(POW_TYPED) $(START_TYPED) $(OPS_TYPED) $(INPUT_TYPED)

bench: install services
	$(BIN)/python -m bench.booking_rush

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
