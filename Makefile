# Everything runs from .venv/, built from requirements.lock on a machine that has only python3.
# The lock holds the `sandbox` and `dev` extras: `make install` is the package with both.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

export DAGSTER_HOME ?= $(CURDIR)/dagster_home
# dg runs in the project's virtualenv: its bin first on PATH, and named as the active one.
DG := PATH=$(CURDIR)/$(VENV)/bin:$$PATH VIRTUAL_ENV=$(CURDIR)/$(VENV) $(VENV)/bin/dg

.PHONY: install demo test lint format bench screenshot lock ui clean system-deps

install: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

demo: install
	$(VENV)/bin/devin-pipeline demo

test: install
	$(PY) -m pytest -q

# Debian's chromium (browser tests) and PostgreSQL (the prod instance test), as root or via sudo.
# Without them `make test` skips those groups and its summary names this command.
system-deps:
	bash .ci/install-system-deps

lint: install
	$(VENV)/bin/ruff check devin_pipeline tests benchmarks
	$(VENV)/bin/ruff format --check devin_pipeline tests benchmarks
	$(VENV)/bin/mypy
	$(VENV)/bin/dagster definitions validate -w workspace.yaml
	$(DG) check yaml
	$(DG) check defs

format: install
	$(VENV)/bin/ruff check --fix devin_pipeline tests benchmarks
	$(VENV)/bin/ruff format devin_pipeline tests benchmarks

bench: install
	$(PY) -m benchmarks.requests
	$(PY) -m benchmarks.ingest --sizes 10000 100000
	$(PY) -m benchmarks.latency --days 30 --concurrency 1 4
	$(PY) -m benchmarks.metrics --rows 1000000
	$(PY) -m benchmarks.incremental --rows 1000000 --verify
	$(PY) -m benchmarks.materialize --sessions 200000
	$(PY) -m benchmarks.dashboard --rows 1000000

# The pictures are taken after a demo, so they show materialized assets and passed checks.
SHOTS := $(CURDIR)/.screenshot-demo
screenshot: install
	rm -rf $(SHOTS) && mkdir -p $(SHOTS)/dagster_home
	cp dagster_home/dagster.yaml $(SHOTS)/dagster_home/
	DAGSTER_HOME=$(SHOTS)/dagster_home DEVIN_DUCKDB_PATH=$(SHOTS)/warehouse.duckdb \
		$(VENV)/bin/devin-pipeline demo > /dev/null
	DEVIN_UI_DEMO_ROOT=$(SHOTS) $(PY) -m pytest -q tests/ui/test_browser.py \
		tests/ui/test_dashboard_browser.py::test_the_demo_page_renders_offline_with_tooltips \
		--screenshots docs/img
	rm -rf $(SHOTS)

ui: install
	$(VENV)/bin/dagster dev -w workspace.yaml

# Re-pins requirements.lock from pyproject.toml (needs network to PyPI).
lock:
	python3 -m venv /tmp/devin-uv && /tmp/devin-uv/bin/pip install --quiet uv
	/tmp/devin-uv/bin/uv pip compile pyproject.toml --extra sandbox --extra dev --python-version 3.11 \
		--generate-hashes -o requirements.lock

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
