# Loket: `make run` starts the whole system, `make test` runs every test. See README.md.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PACKAGES := -e libs/common -e libs/contracts -e services/appointments -e services/permits -e services/profile -e services/notifications -e services/statistics -e services/gateway
CATALOGUES := services/gateway/loket_gateway/translations
MO_FILES := $(patsubst %.po,%.mo,$(wildcard $(CATALOGUES)/*/LC_MESSAGES/messages.po))

.PHONY: setup run test test-unit test-integration test-e2e lint bench translations openapi clean

setup: $(BIN)/.installed $(MO_FILES)

$(BIN)/.installed: constraints.txt requirements-dev.txt libs/common/pyproject.toml libs/contracts/pyproject.toml services/*/pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Loket needs Python 3.11"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt $(PACKAGES) -r requirements-dev.txt
	touch $@

%.mo: %.po $(BIN)/.installed
	$(BIN)/pybabel compile --use-fuzzy -i $< -o $@

translations: $(BIN)/.installed  ## re-extract messages after changing texts
	cd services/gateway && ../../$(BIN)/pybabel extract -F babel.cfg --no-location --omit-header -w 100 -o loket_gateway/translations/messages.pot .
	cd services/gateway && ../../$(BIN)/pybabel update --ignore-obsolete -N -w 100 -i loket_gateway/translations/messages.pot -d loket_gateway/translations

openapi: setup  ## write docs/openapi.json from the routes (a test fails when it is stale)
	$(BIN)/python -m loket_gateway.core.openapi_document

run: setup
	$(BIN)/python -m deploy.local.run

test: setup
	$(BIN)/python -m deploy.local.test

test-unit: setup
	$(BIN)/python -m pytest libs/common/tests libs/contracts/tests services/*/tests -m "not integration"

test-integration: setup
	$(BIN)/python -m deploy.local.test --only integration

test-e2e: setup
	$(BIN)/python -m deploy.local.test --only e2e

lint: setup  ## ruff, then mypy over the packages [tool.mypy] in pyproject.toml names
	$(BIN)/ruff check .
	$(BIN)/mypy

bench: setup
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) var
