# doorstroom: the two set-up commands are `make demo` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# dagster-dbt looks for `dbt` on PATH (e.g. when `dagster dev` re-parses the project).
export PATH := $(CURDIR)/$(BIN):$(PATH)
# Folders, files, memory and threads: every default is in dagster_project/settings.py
# (or, for the warehouse's connection, profiles.yml, which settings.py reads); override
# them in the environment. dbt runs with that explicit profile (dagster_project.dbt_run).
DBT := $(BIN)/python -m dagster_project.dbt_run
# Telemetry off everywhere: dbt, Dagster (dagster.yaml below), GX.
export DO_NOT_TRACK := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export GX_ANALYTICS_ENABLED := false
export DAGSTER_DISABLE_TELEMETRY := true

SCALE ?= 1

.PHONY: help install manifest demo demo-data pipeline answer test chromium lint format ui docs bench clean

help:
	@echo "make demo      install, generate the demo extracts, run the pipeline, print the answer"
	@echo "make test      the whole test suite (lint included)"
	@echo "make pipeline  run every asset over DOORSTROOM_LANDING_DIR"
	@echo "make ui        Dagster UI with its daemon on http://127.0.0.1:3000"
	@echo "make answer    the parliamentary answer tables and report (from the published file)"
	@echo "make docs      dbt docs as one HTML file"
	@echo "make bench     benchmark generation and ingestion (SCALE=$(SCALE))"

$(BIN)/.synced: pyproject.toml uv.lock
	@echo "install: the Python environment from uv.lock into $(VENV) (about half a minute the first time) ..."
	@t=$$SECONDS; \
	command -v uv >/dev/null 2>&1 || $(PYTHON) -m uv --version >/dev/null 2>&1 || \
		$(PYTHON) -m pip install -qq --disable-pip-version-check --root-user-action=ignore uv; \
	if command -v uv >/dev/null 2>&1; then uv sync --frozen --compile-bytecode --quiet; \
	else $(PYTHON) -m uv sync --frozen --compile-bytecode --quiet; fi && \
	echo "install: done in $$((SECONDS - t)) s"
	@touch $@

install: $(BIN)/.synced

manifest: install
	@t=$$SECONDS; $(DBT) parse --quiet && echo "dbt project parsed in $$((SECONDS - t)) s"

demo-data: install
	@DOORSTROOM_DEMO=1 $(BIN)/python -m dagster_project.demo

demo: demo-data manifest
	@echo "pipeline: acceptance, ingestion, dbt, quality checks, publication ..."
	@DOORSTROOM_DEMO=1 $(BIN)/python -m dagster_project.defs.pipeline
	@echo
	@DOORSTROOM_DEMO=1 $(BIN)/python -m dagster_project.answer --from 2019 --to 2022 --brief

pipeline: manifest
	$(BIN)/python -m dagster_project.defs.pipeline

answer: install
	$(BIN)/python -m dagster_project.answer --from 2019 --to 2022

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/sqlfluff lint dbt_models dbt_tests

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
	$(BIN)/sqlfluff fix dbt_models

test: chromium manifest lint
	$(BIN)/pytest -v --durations=10

# The report's browser test (tests/test_report_browser.py) runs Debian's Chromium, headless:
# installed from the distribution's packages when it is missing (as root, or through sudo).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "install: chromium from Debian's packages, for the report's browser test ..."; \
		if [ "$$(id -u)" -eq 0 ]; then as_root=; else as_root=sudo; fi; \
		apt="$$as_root env DEBIAN_FRONTEND=noninteractive apt-get"; \
		$$apt install -y chromium || { $$apt update && $$apt install -y chromium; }; }

# Webserver and daemon (schedule, sensor, run queue) on loopback only; Ctrl-C stops both.
# Without DOORSTROOM_PSEUDONYM_KEY it serves only the demo's own folders (in demo mode).
ui: manifest
	$(BIN)/python -m dagster_project.defs.ui

# dbt docs (models, columns, tests, lineage) as one self-contained HTML file.
docs: manifest
	@$(DBT) docs generate --static --quiet

bench: install  # bench.py parses the manifest itself, under the benchmark's environment
	$(BIN)/python benchmarks/bench.py --scale $(SCALE)

clean:
	rm -rf data target logs
