# Quarterly community safety scrutiny report. `make help` lists what you can run.
# Targets are files: an unchanged quarter does no work. Make variables reach the shell and
# Python only through the environment (export below), never pasted into a command line.

.DELETE_ON_ERROR:
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON_BOOT ?= python3
VENV := .venv
PYTHON := $(VENV)/bin/python
VENV_READY := $(VENV)/.ready
SAMPLE_DIR := data/raw/sample
SAMPLE_READY := $(SAMPLE_DIR)/.complete
# Every package file, templates included: what the report runs. The ingest runs less (INGEST_CODE, from the plan).
PACKAGE_FILES := $(shell find pipeline -type f ! -name '*.pyc' ! -path '*/__pycache__/*')

CONFIG ?= config/sample.yaml
Q ?=
FY ?=
BASE ?= HEAD
TESTS ?=
SCHEDULER ?=
export Q FY CONFIG BASE TESTS SCHEDULER

.PHONY: help quarter force national check publish checked test test-fast tracker-template lint format lab bench compare clean

help: ## Show this help
	@echo "Usage: make quarter Q=<1-4> [FY=2025-26] [CONFIG=config/sample.yaml]"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | awk -F '\t' '{printf "  %-10s %s\n", $$1, $$2}'

# requirements.txt is the whole locked set, installed as it stands (--no-deps) and checked complete:
# it leaves out rfc3987-syntax, an optional extra of jsonschema that costs 2.5 s in every process
# importing nbformat (papermill, nbconvert) and that nothing here uses.
$(VENV_READY): requirements.txt pyproject.toml
	@echo "Setting up $(VENV): installing the pinned packages of requirements.txt (once; a few minutes)"
	$(PYTHON_BOOT) -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --no-deps -r requirements.txt
	$(PYTHON) -m pip check --disable-pip-version-check --quiet
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

$(SAMPLE_READY): $(wildcard pipeline/sample/*.py pipeline/sample/data/*) pipeline/tracker_template.py pipeline/data/police_uk.yaml pipeline/data/home_office.yaml | $(VENV_READY)
	@echo "Writing the sample district's data to $(SAMPLE_DIR) (once)"
	$(PYTHON) -m pipeline sample $(SAMPLE_DIR)
	touch $@

quarter: $(VENV_READY) $(SAMPLE_READY) ## Build one quarter's report: make quarter Q=2 [FY=2025-26] [CONFIG=...]
	@plan="$$($(PYTHON) -m pipeline plan)" && $(MAKE) --no-print-directory publish PLAN="$$plan"

force: $(VENV_READY) $(SAMPLE_READY) ## Every partnership of a force: make force Q=3 FY=2024-25 CONFIG=my-force.yaml [SCHEDULER=tcp://host:8786]
	@$(PYTHON) -m pipeline force

national: $(VENV_READY) ## Every partnership's police.uk tables, for listed forces or all: make national Q=3 FY=2024-25 CONFIG=national.yaml
	@$(PYTHON) -m pipeline national

check: $(VENV_READY) $(SAMPLE_READY) ## Check and tidy a quarter's inputs only, without the report: make check Q=2
	@plan="$$($(PYTHON) -m pipeline plan)" && $(MAKE) --no-print-directory checked PLAN="$$plan"

ifdef PLAN
include $(PLAN)

publish: $(QUARTER_DIR)/manifest.json
	@echo "Up to date: $(QUARTER_DIR)"

checked: $(PROCESSED_DIR)/ingest_summary.json
	@$(PYTHON) -m pipeline check-tracker --plan "$(PLAN)"
	@echo "Inputs checked: $(PROCESSED_DIR)"

INGEST_PREREQUISITES := $(QUARTER_INPUTS) $(QUARTER_CONFIG) $(PLAN_STAMP) notebooks/01_ingest.ipynb $(INGEST_CODE)

$(PROCESSED_DIR)/ingest_summary.json: $(INGEST_PREREQUISITES)
	@$(PYTHON) -m pipeline ingest --plan "$(PLAN)"

# The report's recipe runs the ingest too, beside the analysis, when the rule above would
# (it asks make: `make -q` on the summary), so the report depends on the ingest's prerequisites.
$(QUARTER_DIR)/manifest.json: $(INGEST_PREREQUISITES) $(QUARTER_COMMENTARY) $(QUARTER_TRACKER) $(QUARTER_ONS) $(REPORT_STAMP) notebooks/02_analysis.ipynb notebooks/03_report.ipynb $(PACKAGE_FILES)
	@$(PYTHON) -m pipeline report --plan "$(PLAN)"
endif

# Two workers, each test file kept on one (a notebook's cells run in order; the bad-input corpus
# starts its make runs together), the notebooks together in order,
# the slowest files first (tests/conftest.py).
# The tests may write bytecode even where PYTHONDONTWRITEBYTECODE is set: pytest keeps each test
# module's rewritten asserts in __pycache__ (git ignores it), or redoes them in every worker, every run.
test: $(VENV_READY) $(SAMPLE_READY) ## Run the whole test suite (unit, end-to-end, notebooks), on two workers
	@scratch="$$(mktemp -d)" && trap 'rm -rf "$$scratch"' EXIT && \
	PYTHONDONTWRITEBYTECODE= PIPELINE_PROCESSED_DIR="$$scratch" $(PYTHON) -m pytest tests notebooks --nbval-lax -p no:cacheprovider \
		-n 2 --dist loadfile --no-loadscope-reorder

test-fast: $(VENV_READY) $(SAMPLE_READY) ## The unit tests only (no make runs, browser, LibreOffice, PDF worker or notebooks), on two workers
	@scratch="$$(mktemp -d)" && trap 'rm -rf "$$scratch"' EXIT && \
	PYTHONDONTWRITEBYTECODE= PIPELINE_PROCESSED_DIR="$$scratch" $(PYTHON) -m pytest tests -m "not slow" -n 2 -q -p no:cacheprovider

tracker-template: $(VENV_READY) ## Write an empty, documented tracker workbook: outputs/tracker-template.xlsx
	@$(PYTHON) -m pipeline tracker-template outputs/tracker-template.xlsx

lint: $(VENV_READY) ## Check formatting and lint with ruff
	$(VENV)/bin/ruff check pipeline tests notebooks
	$(VENV)/bin/ruff format --check pipeline tests notebooks

format: $(VENV_READY) ## Format the code with ruff
	$(VENV)/bin/ruff check --fix pipeline tests notebooks
	$(VENV)/bin/ruff format pipeline tests notebooks

# JupyterLab refuses to start as root (in a container, say) unless told it may.
LAB_AS_ROOT = $(if $(filter 0,$(shell id -u)),--allow-root)

lab: $(VENV_READY) $(SAMPLE_READY) ## Open JupyterLab on the notebooks
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks $(LAB_AS_ROOT)

bench: $(VENV_READY) $(SAMPLE_READY) ## Time a quarter, a re-run, each stage, large inputs, make test-fast (TESTS=all: make test)
	$(PYTHON) -m pipeline bench

compare: $(VENV_READY) $(SAMPLE_READY) ## Check a change alters nothing readers see: make compare BASE=<commit>
	@$(PYTHON) -m pipeline compare

clean: ## Remove working files (plans, processed tables); never outputs or raw data
	rm -rf .build data/processed/*/
