# The two commands a new user needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# `make run` installs only what serving needs; `make test` adds the test and benchmark tools.
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev
HOST ?= 127.0.0.1
PORT ?= 5000
CHROMIUM ?= $(or $(SIMULATOR_E2E_CHROMIUM),/usr/bin/chromium)

.PHONY: install install-run run test test-e2e lint validate clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $(RUN_STAMP)

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(DEV_STAMP) $(RUN_STAMP)

install-run: $(RUN_STAMP)

install: $(DEV_STAMP)

run: install-run
	$(BIN)/simulator db upgrade
	$(BIN)/simulator demo
	$(BIN)/simulator serve --host $(HOST) --port $(PORT)

# The browser tests (tests/e2e) run too; they install axe-core with npm on first use, and
# skip (saying why in pytest's summary) when Chromium or npm is missing. The xAPI delivery
# tests (tests/xapi) install their test LRS with npm the same way.
test: install
	@test -x $(CHROMIUM) || echo "note: no Chromium at $(CHROMIUM): the browser tests will be skipped (apt-get install -y chromium)"
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-e2e: install
	$(BIN)/python -m pytest -m e2e $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .

validate: install-run
	$(BIN)/simulator validate scenarios/

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache test-output tests/e2e/node_modules tests/xapi/node_modules
