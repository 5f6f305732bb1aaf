# citemploi — two commands from a fresh clone: `make demo` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/test
PYTEST_WORKERS ?= 2

.PHONY: setup demo serve test lint typecheck migrations-check test-sqlite test-postgres fuzz-api lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.lock
	$(BIN)/python -m pip install -q --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

## setup: virtual environment, Python and npm packages, browser for tests, database, reference data
setup: $(VENV)/.installed node_modules/.installed
	@scripts/install-browser.sh
	@mkdir -p var
	$(BIN)/citemploi migrate --noinput -v 0
	$(BIN)/citemploi territory load
	$(BIN)/citemploi rome load

## demo: everything above + demo data, then serve on http://127.0.0.1:8000 with the background worker.
## Works offline: fictitious QPV perimeters, the local geocoder over the demo's addresses, no map tiles.
DEMO_ENV := DEMO_MODE=true GEOCODER=ban_local MAP_TILE_URL=
demo: setup
	$(DEMO_ENV) $(BIN)/citemploi demo load
	@echo ""
	@echo "citemploi est servi sur http://127.0.0.1:8000 (Ctrl-C pour arrêter)."
	@$(DEMO_ENV) $(BIN)/citemploi db_worker --queue-name '*' >var/worker.log 2>&1 & worker=$$!; \
	trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	$(DEMO_ENV) $(BIN)/citemploi runserver 127.0.0.1:8000 --noreload

## test: the whole quality gate
test: setup lint typecheck migrations-check test-sqlite test-postgres

lint:
	$(BIN)/ruff check citemploi config tests bench
	$(BIN)/ruff format --check citemploi config tests bench

typecheck:
	$(BIN)/mypy citemploi config

migrations-check:
	$(BIN)/citemploi makemigrations --check --dry-run

test-sqlite:
	env -u DATABASE_URL $(BIN)/pytest -n $(PYTEST_WORKERS) -q

test-postgres:
	@url="$${DATABASE_URL:-$(PG_TEST_URL)}"; \
	if $(BIN)/python -c "import psycopg,sys; psycopg.connect(sys.argv[1], connect_timeout=3).close()" "$$url" 2>/dev/null; then \
		echo "Suite de tests sur PostgreSQL ($$url)"; \
		DATABASE_URL="$$url" $(BIN)/pytest -n $(PYTEST_WORKERS) -q; \
	elif [ "$${CI:-}" = "true" ]; then \
		echo "PostgreSQL injoignable ($$url) : obligatoire en CI." >&2; exit 1; \
	else \
		echo "ATTENTION : PostgreSQL injoignable ($$url), suite PostgreSQL ignorée." >&2; \
	fi

## fuzz-api: schemathesis against the live test server with more examples per operation than `make test` (which
## runs the same test, tests/api/test_schema_fuzz.py, with FUZZ_EXAMPLES=15)
fuzz-api:
	env -u DATABASE_URL FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-100} $(BIN)/pytest -n 0 -q -s tests/api/test_schema_fuzz.py

## lock: regenerate requirements.lock from the current virtual environment
lock:
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^citemploi' > requirements.lock

clean:
	rm -rf $(VENV) node_modules var
