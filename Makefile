# Repeat-offending derived tables: generate a synthetic justice world and build the dbt project on DuckDB.
#
#   make build            generate the default world if needed, then seed, build, test and document
#   make test             lint, pytest, and a full build with tests on a small world (what CI runs)
#   make help             every target
#
# Parameters can be given on the command line: `make build PEOPLE=50000 SEED=7 DATA_DIR=/scratch/world`.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

# --- tools ---------------------------------------------------------------------------------------------
PYTHON ?= python3.11
VENV ?= .venv
PY = $(VENV)/bin/python
DBT = $(VENV)/bin/dbt
SQLFLUFF = $(VENV)/bin/sqlfluff
YAMLLINT = $(VENV)/bin/yamllint
RUFF = $(VENV)/bin/ruff
STAMP = $(VENV)/.installed

# --- the world -----------------------------------------------------------------------------------------
PEOPLE ?= 200000
SEED ?= 1
FIRST_YEAR ?= 2000
END_YEAR ?= 2025
AS_OF ?= 2025-06-30
NOISE_RATE ?= 0.1
BAD_ROW_RATE ?= 0.005
DATA_DIR ?= $(CURDIR)/data
# dbt (profiles.yml, sources) reads DATA_DIR from the environment and expects an absolute path.
override DATA_DIR := $(abspath $(DATA_DIR))
export DATA_DIR

# --- dbt -----------------------------------------------------------------------------------------------
DBT_TARGET ?= dev
DBT_FLAGS = --profiles-dir . --target $(DBT_TARGET)
export DBT_SEND_ANONYMOUS_USAGE_STATS := false

# The small world `make test` builds, apart from the default one.
TEST_PEOPLE ?= 5000
TEST_DATA_DIR ?= $(CURDIR)/data/test_world

# Linkage quality the build requires, measured against the ground truth (issue targets).
LINKAGE_MIN_PRECISION ?= 0.995
LINKAGE_MIN_RECALL ?= 0.99

# Base git ref for `make slim-ci`.
BASE ?=

WORLD_ARGS = --people $(PEOPLE) --seed $(SEED) --first-year $(FIRST_YEAR) --end-year $(END_YEAR) \
	--as-of $(AS_OF) --noise-rate $(NOISE_RATE) --bad-row-rate $(BAD_ROW_RATE)

.PHONY: help venv generate data build parse rules lint pytest test test-world docs docs-serve slim-ci clean

help: ## List the targets
	@echo "Targets (variables: PEOPLE SEED FIRST_YEAR END_YEAR AS_OF NOISE_RATE BAD_ROW_RATE DATA_DIR DBT_TARGET):"
	@grep -E '^[a-z][a-z_-]*:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  %-12s %s\n", $$1, $$2}'

# --- environment ---------------------------------------------------------------------------------------
venv: $(STAMP) ## Create .venv and install the pinned requirements and the project (only when they change)

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt pyproject.toml | $(PY)
	$(PY) -m pip install --disable-pip-version-check --quiet -r requirements.txt
	$(PY) -m pip install --disable-pip-version-check --quiet --no-deps -e .
	touch $@

# --- data ----------------------------------------------------------------------------------------------
generate: venv ## Generate the synthetic world into DATA_DIR (always)
	$(VENV)/bin/generate --people $(PEOPLE) --seed $(SEED) --first-year $(FIRST_YEAR) --end-year $(END_YEAR) \
		--as-of $(AS_OF) --data-dir $(DATA_DIR) --noise-rate $(NOISE_RATE) --bad-row-rate $(BAD_ROW_RATE)

data: venv ## Generate the world only if DATA_DIR has none made with these parameters
	@if $(PY) scripts/world_matches.py --data-dir $(DATA_DIR) $(WORLD_ARGS); then \
		echo "Using the world in $(DATA_DIR)"; \
	else \
		$(MAKE) generate; \
	fi

# --- dbt -----------------------------------------------------------------------------------------------
build: venv data ## Seed, build and test every model (person linkage included), measure linkage, write the docs
	$(DBT) seed $(DBT_FLAGS)
	@# One dbt build runs the whole DAG: staging, person linkage (Python models), linked, derived, audit.
	$(DBT) build $(DBT_FLAGS)
	$(PY) scripts/evaluate_linkage.py --database $(DATA_DIR)/$(DBT_TARGET).duckdb --truth $(DATA_DIR)/truth \
		--require-precision $(LINKAGE_MIN_PRECISION) --require-recall $(LINKAGE_MIN_RECALL)
	$(PY) scripts/export_research.py --database $(DATA_DIR)/$(DBT_TARGET).duckdb --output $(DATA_DIR)/exports/research
	$(PY) scripts/quality_report.py --database $(DATA_DIR)/$(DBT_TARGET).duckdb --output target/data_quality_report.html \
		--copy-to $(DATA_DIR)/reports
	$(DBT) docs generate $(DBT_FLAGS)

parse: venv ## dbt parse, failing on any deprecation warning
	@mkdir -p target
	$(DBT) parse $(DBT_FLAGS) --no-partial-parse --warn-error-options '{"error": ["Deprecations"]}' \
		2>&1 | tee target/parse.log
	@if grep -qi 'deprecat' target/parse.log; then echo "dbt parse reported a deprecation" >&2; exit 1; fi

docs: venv ## Generate the dbt docs site, and target/static_index.html as one offline file
	$(DBT) docs generate $(DBT_FLAGS) --static
	$(PY) scripts/quality_report.py --database $(DATA_DIR)/$(DBT_TARGET).duckdb --output target/data_quality_report.html

docs-serve: docs ## Serve the docs on http://localhost:8080
	$(DBT) docs serve $(DBT_FLAGS) --port 8080

slim-ci: venv ## Build only what changed against BASE (default origin/main or main) on the small world
	DATA_DIR=$(TEST_DATA_DIR) PEOPLE=$(TEST_PEOPLE) scripts/slim_ci.sh $(BASE)

# --- quality -------------------------------------------------------------------------------------------
rules: parse ## The dbt-project-evaluator rules we adopt, checked on target/manifest.json
	$(PY) scripts/check_project_rules.py --manifest target/manifest.json --exceptions project_rules_exceptions.yml

lint: venv ## sqlfluff (dbt templater), yamllint and ruff
	$(SQLFLUFF) lint models macros tests analyses snapshots
	$(YAMLLINT) --strict .
	$(RUFF) check .
	$(RUFF) format --check .

pytest: venv ## The Python tests (generator, calibration, linkage, staging against the truth, naming, slim CI)
	TEST_WORLD_DIR=$(TEST_DATA_DIR) $(PY) -m pytest

test-world: venv ## Build and test everything on a small world in its own DATA_DIR (target ci)
	$(MAKE) build PEOPLE=$(TEST_PEOPLE) DATA_DIR=$(TEST_DATA_DIR) DBT_TARGET=ci

test: lint parse rules test-world pytest ## Everything CI checks (pytest uses the small world test-world builds)

# --- derived layer -------------------------------------------------------------------------------------
.PHONY: validate risk-model

validate: venv ## Compare derived.proven_reoffending with the measures recomputed from the truth (after build)
	$(PY) scripts/validate_derived.py --data-dir $(DATA_DIR) --database $(DATA_DIR)/$(DBT_TARGET).duckdb

risk-model: venv ## Fit and test a reconviction model on derived.risk_model_inputs: AUC, calibration (after build)
	$(PY) scripts/risk_model.py --database $(DATA_DIR)/$(DBT_TARGET).duckdb --report-dir $(DATA_DIR)/reports

clean: ## Remove dbt and Python build artefacts (not the data)
	rm -rf target logs dbt_packages .pytest_cache .ruff_cache
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
