# The two commands a newcomer needs: `make run` and `make test`. Everything installs from requirements.lock.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup install chromium data lint format check lock bench bench-faults i18n clean

## run: install, migrate, load the catalog and the bundled real data, serve on http://127.0.0.1:8000/
run: data
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

## test: install (Chromium included), then lint and run the whole test suite
test: install chromium
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## data: set up the embedded default (SQLite under var/) with the catalog and the bundled real data
data: install
	DEBUG=1 $(BIN)/python manage.py migrate --no-input
	DEBUG=1 $(BIN)/python manage.py load_catalog
	DEBUG=1 $(BIN)/python manage.py load_snapshot

setup install: $(VENV)/.installed

$(VENV)/.installed: requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip sync --quiet --require-hashes --python $(BIN)/python requirements.lock
	touch $@

## chromium: Debian's Chromium for the browser tests (never `playwright install`), with CJK fonts so the
## Chinese pages' screenshots are legible
chromium:
	@{ test -x /usr/bin/chromium && test -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc; } || { \
		echo "Installing Debian's chromium and fonts-noto-cjk for the browser tests"; \
		SUDO=$$(command -v sudo >/dev/null && [ "$$(id -u)" != 0 ] && echo sudo); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## lock: re-resolve requirements.lock from pyproject.toml
lock: install
	$(BIN)/uv pip compile pyproject.toml --extra dev -o requirements.lock --generate-hashes --python-version 3.11

## i18n: rebuild and compile the interface translations (the compiled catalogs are committed)
i18n: install
	DEBUG=1 $(BIN)/python manage.py makemessages -l zh_Hans --ignore=.venv --ignore=var
	DEBUG=1 $(BIN)/python manage.py compilemessages -l zh_Hans --ignore=.venv

## bench: the ingestion and page benchmarks on PostgreSQL (see BENCHMARKS.md)
bench: install
	$(BIN)/python bench/run.py

## bench-faults: 16 clients on every public page, Redis stopped, PostgreSQL restarted; private services on loopback
bench-faults: install
	$(BIN)/python bench/load_fault.py $(BENCH_FAULTS_ARGS)

clean:
	rm -rf $(VENV) var staticfiles
