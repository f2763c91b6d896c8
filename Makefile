# Repeat-offending derived tables: generate a synthetic justice world and build the dbt project on DuckDB.
#
#   make build            generate the default world if needed, then build a new release, test it, and publish it
#                         as DATA_DIR/warehouse.duckdb only if every check passed (README "Releases")
#   make test             lint, pytest, and a full build with tests on a small world (what CI runs)
#   make help             every target
#
# Parameters can be given on the command line: `make build PEOPLE=50000 SEED=7 DATA_DIR=/scratch/world`.
#
# DATA_DIR/raw is read only unless the generator wrote it (raw/_generated_by.json): a folder without that
# marker is an extract, built as it is; a generated world is replaced only by `make generate` or by `make
# build` given world parameters. Paths may contain spaces: recipes quote them ("$$DATA_DIR").

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
BOUNCER = $(VENV)/bin/dbt-bouncer
STAMP = $(VENV)/.installed
# The dbt packages (packages.yml: vendored, local), installed by `dbt deps` from package-lock.yml, offline.
DEPS_STAMP = dbt_packages/.installed

# --- the world -----------------------------------------------------------------------------------------
PEOPLE ?= 200000
SEED ?= 1
FIRST_YEAR ?= 2000
END_YEAR ?= 2025
AS_OF ?= 2025-06-30
NOISE_RATE ?= 0.1
BAD_ROW_RATE ?= 0.005
DATA_DIR ?= $(CURDIR)/data
# dbt (profiles.yml, sources) reads DATA_DIR from the environment and expects an absolute path. Made absolute
# by the shell: make's own functions ($(abspath), ...) split a path with a space into words.
override DATA_DIR := $(shell realpath -m -- "$(DATA_DIR)")
export DATA_DIR
WORLD_VARIABLES = PEOPLE SEED FIRST_YEAR END_YEAR AS_OF NOISE_RATE BAD_ROW_RATE
# Non-empty when a world parameter was given on the command line: only then may `make build` replace a
# generated world made with other parameters.
WORLD_REQUESTED = $(strip $(foreach v,$(WORLD_VARIABLES),$(filter command line,$(origin $(v)))))

# --- dbt -----------------------------------------------------------------------------------------------
# `make build` builds a release with this target: local (the default), ci (the test worlds) or prod (needs
# RESEARCH_PSEUDONYM_KEY). `make dev` uses the dev target, a developer's own DATA_DIR/dev.duckdb.
DBT_TARGET ?= local
DBT_FLAGS = --profiles-dir . --target $(DBT_TARGET)
# Releases kept in DATA_DIR/releases (default: var releases_to_keep of dbt_project.yml); `make publish`
# publishes RELEASE; `make dev` builds SELECT (dbt selection syntax) into dev.duckdb, deferring the rest.
KEEP_RELEASES ?=
RELEASE ?=
SELECT ?=
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
# dbt's artefacts (manifest, run results, docs) and logs; builds of other DATA_DIRs (tests, the sweep) use
# their own so that they never overwrite the project's.
TARGET_PATH ?= target
LOG_PATH ?= logs
export DBT_TARGET_PATH := $(TARGET_PATH)
export DBT_LOG_PATH := $(LOG_PATH)

# The small world `make test` builds, apart from the default one.
TEST_PEOPLE ?= 5000
TEST_DATA_DIR ?= $(CURDIR)/data/test_world

# pytest-xdist workers of `make pytest` (0: one process), each running whole modules (pytests/conftest.py):
# on this 2-core machine pytest took 41 min 38 s in one process (without the Spark tests), 26 min 39 s on two
# workers and 27 min 19 s on three in a fresh-clone `.ci/run`; with the static checks beside it and the test
# world built inside it, 26 min 51 s on three (README "CI"). Extra pytest arguments in PYTEST_ARGS (e.g.
# `PYTEST_ARGS="-k releases --durations=20"`).
PYTEST_WORKERS ?= 3
PYTEST_ARGS ?=
# 1: pytest builds the test world once per run, whatever TEST_DATA_DIR holds (`make test`); else only if missing.
TEST_WORLD_REBUILD ?=

# Linkage quality the build requires, measured against the ground truth (issue targets).
LINKAGE_MIN_PRECISION ?= 0.995
LINKAGE_MIN_RECALL ?= 0.99
# Linkage quality over the curve of match thresholds (all: re-clusters the world at each, a release build's
# longest step at national scale) or at the build's own threshold only (chosen).
LINKAGE_THRESHOLDS ?= all
# The linkage model: estimated on each extract (estimate) or the previous release's reused (previous), so that a
# lineage of releases keeps one model (docs/methodology.md section 10).
LINKAGE_MODEL ?= estimate
# DuckDB's memory limits come from the environment or the command line (`make build DUCKDB_MEMORY_LIMIT=4GB`):
# DUCKDB_MEMORY_LIMIT (the warehouse, the tools) and LINKAGE_MEMORY_LIMIT (the linkage model's own database),
# each a quarter of the machine's memory when unset (repeat_offending.project.MEMORY_LIMIT_DEFAULT).

# Base git ref for `make slim-ci`.
BASE ?=

# The world sweep (`make sweep`): how many random worlds, and where (one DATA_DIR per world under it).
BENCHMARK_PEOPLE ?= 1000000
BENCHMARK_DIR ?= $(CURDIR)/data/benchmark-$(BENCHMARK_PEOPLE)
BENCHMARK_ARGS ?=

SWEEP_WORLDS ?= 12
SWEEP_DIR ?= $(CURDIR)/data/sweep
SWEEP_ARGS ?=
# The sweep `make test` runs: one small random world, a fresh seed each run (`.ci/run` sets 0; two took CI to its 30-minute
# budget: 29 min 43 s after issue 12; `make test TEST_SWEEP_WORLDS=2` or `make sweep` for more).
TEST_SWEEP_WORLDS ?= 1
TEST_SWEEP_PEOPLE ?= 2000-4000

WORLD_ARGS = --people $(PEOPLE) --seed $(SEED) --first-year $(FIRST_YEAR) --end-year $(END_YEAR) \
	--as-of $(AS_OF) --noise-rate $(NOISE_RATE) --bad-row-rate $(BAD_ROW_RATE)

.PHONY: help venv system-deps generate data build release-build refresh releases publish dev parse rules evaluate-project \
	lint pytest pytest-world static-checks test test-world test-sweep sweep docs docs-serve slim-ci clean benchmark benchmark-dbt-overhead

help: ## List the targets
	@echo "Targets (variables: PEOPLE SEED FIRST_YEAR END_YEAR AS_OF NOISE_RATE BAD_ROW_RATE DATA_DIR DBT_TARGET"
	@echo "KEEP_RELEASES RELEASE SELECT TARGET_PATH LOG_PATH SWEEP_WORLDS SWEEP_DIR SWEEP_ARGS):"
	@grep -E '^[a-z][a-z_-]*:.*## ' Makefile | awk 'BEGIN {FS = ":.*## "}; {printf "  %-12s %s\n", $$1, $$2}'

# --- environment ---------------------------------------------------------------------------------------
venv: $(STAMP) $(DEPS_STAMP) ## Create .venv, install the pinned requirements, the project and its dbt packages (when they change)

$(PY):
	@# Debian splits venv/ensurepip out of the interpreter package: install it when root, else say which.
	@if ! $(PYTHON) -c 'import ensurepip, venv' >/dev/null 2>&1; then \
		if [[ $$(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then \
			echo "== installing $(PYTHON)-venv (Debian package)"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PYTHON)-venv >/dev/null; \
		else \
			echo "$(PYTHON) cannot create virtualenvs: install the Debian package $(PYTHON)-venv (apt-get install $(PYTHON)-venv)" >&2; \
			exit 1; \
		fi; \
	fi
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt pyproject.toml $(wildcard */pyproject.toml) | $(PY)
	$(PY) -m pip install --disable-pip-version-check --quiet -r requirements.txt
	$(PY) -m pip install --disable-pip-version-check --quiet --no-deps -e . -e generator -e tools
	touch $@

$(DEPS_STAMP): packages.yml package-lock.yml | $(STAMP)
	@# The lock pins the packages: dbt deps installs them without resolving (vendor/VENDORED.md).
	$(DBT) deps --profiles-dir .
	touch $@

system-deps: ## Install what the tests need beyond Python (Debian's chromium, as root) or say what is missing
	@if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1 \
			&& ! command -v google-chrome >/dev/null 2>&1; then \
		if [[ $$(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then \
			echo "== installing chromium (Debian package, for the test that opens the generated docs)"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else \
			echo "The docs test needs headless Chromium: install the Debian package chromium (apt-get install chromium)" >&2; \
			exit 1; \
		fi; \
	fi

# --- data ----------------------------------------------------------------------------------------------
generate: venv ## Generate the synthetic world into DATA_DIR (always; refuses a raw/ or truth/ it did not write)
	$(VENV)/bin/generate $(WORLD_ARGS) --seeds-dir seeds --data-dir "$$DATA_DIR"

data: venv ## Generate a world if DATA_DIR has none (or, given world parameters, another); an extract is used as it is
	@status=0; $(VENV)/bin/world-matches --data-dir "$$DATA_DIR" $(WORLD_ARGS) \
		$(if $(WORLD_REQUESTED),--requested) || status=$$?; \
	case $$status in \
		0) ;; \
		10) $(MAKE) generate ;; \
		*) exit $$status ;; \
	esac

# --- dbt -----------------------------------------------------------------------------------------------
build: venv ## Build a new release of DATA_DIR's world or extract; publish it as DATA_DIR/warehouse.duckdb if it passes
	@# One build per DATA_DIR: the lock is held from the world's generation to the publication, and a second
	@# `make build` stops at once. The release tool's last line says what is published and why.
	@mkdir -p "$$DATA_DIR"
	@$(VENV)/bin/release lock --data-dir "$$DATA_DIR" -- $(MAKE) data release-build

refresh: venv ## Build the next release from the published one, rebuilding only what changed (a new month's extract in DATA_DIR/raw)
	@# The new release starts from the published one's incremental tables (the published release is only read)
	@# and scores with its linkage model; the result equals a full build with LINKAGE_MODEL=previous
	@# (docs/methodology.md section 10).
	@$(VENV)/bin/release lock --data-dir "$$DATA_DIR" -- $(MAKE) release-build LINKAGE_MODEL=previous RELEASE_ARGS=--refresh

release-build: venv
	@# seed, build and test into DATA_DIR/releases/<id>.duckdb; linkage quality against the truth (skipped
	@# without truth/); research export, quality report and docs into DATA_DIR/releases/<id>/; then publish.
	$(VENV)/bin/release build --data-dir "$$DATA_DIR" --target $(DBT_TARGET) \
		--require-precision $(LINKAGE_MIN_PRECISION) --require-recall $(LINKAGE_MIN_RECALL) \
		--linkage-thresholds $(LINKAGE_THRESHOLDS) --linkage-model $(LINKAGE_MODEL) $(RELEASE_ARGS) $(if $(KEEP_RELEASES),--keep $(KEEP_RELEASES))

releases: venv ## List DATA_DIR's builds and releases (the published one marked *)
	@$(VENV)/bin/release list --data-dir "$$DATA_DIR"

publish: venv ## Publish an earlier release that passed (rollback): make publish RELEASE=<release id>
	@if [[ -z "$(RELEASE)" ]]; then echo "give the release: make publish RELEASE=<id> (make releases lists them)" >&2; exit 2; fi
	@$(VENV)/bin/release publish --data-dir "$$DATA_DIR" "$(RELEASE)"

dev: venv ## Build SELECT into DATA_DIR/dev.duckdb, reading everything else from the published release
	@if [[ -z "$(SELECT)" ]]; then echo "give the models: make dev SELECT=<selection>, e.g. SELECT=derived__proven_reoffending+" >&2; exit 2; fi
	@if state=$$($(VENV)/bin/release show --data-dir "$$DATA_DIR" --field target 2>/dev/null); then \
		echo "== dev: building $(SELECT), deferring the rest to the published release ($$state)"; \
		$(DBT) build --profiles-dir . --target dev --select $(SELECT) --defer --state "$$state"; \
	else \
		echo "== dev: no published release to defer to: building $(SELECT) and its parents"; \
		$(DBT) seed --profiles-dir . --target dev; \
		$(DBT) build --profiles-dir . --target dev --select +$(SELECT); \
	fi

parse: venv ## dbt parse, failing on any warning dbt prints (deprecations, macro docs, configs, ...)
	@# The warnings and errors go to a JSON log of this parse only, so that all of them are listed, not just the
	@# first (--warn-error would stop at it), including those dbt logs without raising (notes at warn level).
	@mkdir -p "$(TARGET_PATH)/parse_log"
	@rm -f "$(TARGET_PATH)/parse_log/dbt.log"
	$(DBT) parse $(DBT_FLAGS) --no-partial-parse --log-path "$(TARGET_PATH)/parse_log" \
		--log-format-file json --log-level-file warn 2>&1 | tee "$(TARGET_PATH)/parse.log"
	@$(PY) -c 'import json, sys; \
		found = [json.loads(line)["info"] for line in open(sys.argv[1], encoding="utf-8") if line.strip()]; \
		[print("dbt parse " + e["level"] + ": " + e["name"] + ": " + e["msg"], file=sys.stderr) for e in found]; \
		sys.exit("dbt parse printed %d warning(s) or error(s): the parse gate allows none" % len(found) if found else 0)' \
		"$(TARGET_PATH)/parse_log/dbt.log"

docs: venv ## Say where the published release's docs and data-quality report are (every build writes them)
	@target=$$($(VENV)/bin/release show --data-dir "$$DATA_DIR" --field target) && \
		echo "docs: $$target/index.html (one offline file: $$target/static_index.html)" && \
		echo "data-quality report: $$target/data_quality_report.html"

docs-serve: venv ## Serve the published release's docs on http://localhost:8080
	$(DBT) docs serve $(DBT_FLAGS) --port 8080 --target-path "$$($(VENV)/bin/release show --data-dir "$$DATA_DIR" --field target)"

slim-ci: venv ## Build only what changed against BASE (default origin/main or main) on the small world
	DATA_DIR="$(TEST_DATA_DIR)" PEOPLE=$(TEST_PEOPLE) scripts/slim_ci.sh $(BASE)

# --- quality -------------------------------------------------------------------------------------------
rules: parse ## The project's rules (dbt-bouncer, dbt-bouncer.yml) on the parse's manifest; exceptions with reasons only
	@# dbt-bouncer.yml reads target/ (bouncer has no option for another folder).
	@if [[ "$(TARGET_PATH)" != target ]]; then echo "make rules reads target/: run it with TARGET_PATH=target" >&2; exit 2; fi
	$(BOUNCER) run --config-file dbt-bouncer.yml --baseline bouncer_exceptions.json

evaluate-project: venv ## dbt-project-evaluator on the project, in a throwaway file; fails on a finding not in its exceptions
	@# The evaluator's models (the project's graph as tables) and tests, enabled by var project_evaluation, with
	@# the exceptions seed of project_evaluation/; nothing reads data. Its own target folder and database. Then
	@# its rules again without the exceptions: an exception that matches no finding is stale and fails too.
	@rm -rf "$(TARGET_PATH)/project_evaluation" && mkdir -p "$(TARGET_PATH)/project_evaluation"
	@database="$$(realpath -m "$(TARGET_PATH)/project_evaluation/project_evaluation.duckdb")"; \
	exceptions=project_evaluation/seeds/dbt_project_evaluator_exceptions.csv; \
	export PROJECT_EVALUATION_DATABASE="$$database" DBT_TARGET_PATH="$(TARGET_PATH)/project_evaluation"; \
	evaluator=(--profiles-dir . --target project_evaluation --vars '{project_evaluation: true}'); \
	if ! $(DBT) build "$${evaluator[@]}" --select package:dbt_project_evaluator package:project_evaluation; then \
		if [[ -f "$$database" ]]; then \
			echo "== dbt-project-evaluator findings not in $$exceptions:"; \
			$(VENV)/bin/project-evaluation list "$$database"; \
		fi; \
		exit 1; \
	fi; \
	echo "== are the exceptions still needed? the rules again, without them"; \
	$(VENV)/bin/project-evaluation clear "$$database"; \
	$(DBT) --quiet run "$${evaluator[@]}" --select "package:dbt_project_evaluator,fct_*"; \
	$(VENV)/bin/project-evaluation stale "$$database" "$$exceptions"

lint: venv ## sqlfluff (dbt templater), yamllint and ruff
	@# One process per core (--processes 0): 5 min 23 s in one, 2 min 59 s in two on this 2-core machine.
	$(SQLFLUFF) lint --processes 0 models macros tests analyses snapshots
	$(YAMLLINT) --strict .
	$(RUFF) check .
	$(RUFF) format --check .

pytest: venv system-deps ## The Python tests (generator, calibration, linkage, staging against the truth, extracts, ...)
	TEST_WORLD_DIR="$(TEST_DATA_DIR)" TEST_WORLD_REBUILD="$(TEST_WORLD_REBUILD)" $(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadscope $(PYTEST_ARGS)

test-world: venv ## Build and test everything on a small world in its own DATA_DIR (target ci)
	$(MAKE) build PEOPLE=$(TEST_PEOPLE) DATA_DIR="$(TEST_DATA_DIR)" DBT_TARGET=ci

test-sweep: venv ## The world sweep on a small random world (a fresh seed each run, printed for replay)
	@if [[ "$(TEST_SWEEP_WORLDS)" == 0 ]]; then \
		echo "== sweep: skipped (TEST_SWEEP_WORLDS=0)"; \
	else \
		$(MAKE) sweep SWEEP_WORLDS=$(TEST_SWEEP_WORLDS) SWEEP_ARGS="--people $(TEST_SWEEP_PEOPLE) $(SWEEP_ARGS)"; \
	fi

test: system-deps spark-venv ## Everything CI checks (installs chromium and Java as root, and the Spark extra)
	@# The static checks, one after another, run beside pytest; pytest's first worker that needs the test world
	@# builds it (TEST_WORLD_REBUILD=1: once per run, from the code under test) while the other workers run the
	@# tests that do not. Two make jobs, so that both cores stay busy (README "CI"); lines are not interleaved.
	$(MAKE) --no-print-directory -j2 --output-sync=line pytest-world static-checks
	$(MAKE) --no-print-directory test-sweep

static-checks: venv ## sqlfluff, yamllint and ruff; dbt parse without warnings; dbt-bouncer; dbt-project-evaluator
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory rules
	$(MAKE) --no-print-directory evaluate-project

pytest-world: venv system-deps ## pytest, with the test world built afresh by its first worker that needs it
	$(MAKE) --no-print-directory pytest TEST_WORLD_REBUILD=1

sweep: venv ## Build SWEEP_WORLDS random worlds and check each against its truth; table in data/sweep/sweep.md
	$(VENV)/bin/sweep --worlds $(SWEEP_WORLDS) --sweep-dir "$(SWEEP_DIR)" $(SWEEP_ARGS)

# --- derived layer -------------------------------------------------------------------------------------
.PHONY: validate risk-model

benchmark: venv ## The whole pipeline (generator and release build) at BENCHMARK_PEOPLE people, per stage: time, peak memory, spill
	@# Into BENCHMARK_DIR (its own world; BENCHMARK_ARGS e.g. `--memory-limit 4GB`, `--reuse-world`); the
	@# table and JSON land in BENCHMARK_DIR/benchmark/. A benchmark, never a test: README "Performance".
	$(VENV)/bin/benchmark-pipeline --people $(BENCHMARK_PEOPLE) --data-dir "$(BENCHMARK_DIR)" $(BENCHMARK_ARGS)

benchmark-dbt-overhead: venv ## dbt build against the same compiled SQL as one script, on BENCHMARK_DIR's world (after make benchmark)
	$(VENV)/bin/benchmark-dbt-overhead --data-dir "$(BENCHMARK_DIR)"

validate: venv ## Compare derived.proven_reoffending with the measures recomputed from the truth (after build)
	$(VENV)/bin/validate-derived --data-dir "$$DATA_DIR" --database "$$DATA_DIR/warehouse.duckdb"

risk-model: venv ## Fit and test a reconviction model on derived.risk_model_inputs: AUC, calibration (after build)
	$(VENV)/bin/risk-model --database "$$DATA_DIR/warehouse.duckdb" --report-dir "$$DATA_DIR/reports"

# --- Spark ---------------------------------------------------------------------------------------------
# The project on Spark (README "Spark"): dbt-spark's session method in this process's own Spark session
# (repeat_offending.spark), local[2] by default (SPARK_MASTER, SPARK_DRIVER_MEMORY at most 3g here).
.PHONY: spark-venv build-spark test-spark pytest-spark
SPARK_STAMP = $(VENV)/.installed-spark
# Extra arguments of build-spark (e.g. --trained-model <splink_model.json>, --steps before).
SPARK_ARGS ?=

spark-venv: venv $(SPARK_STAMP) ## Install the Spark extra (pyspark, dbt-spark) into .venv, and Java 17 (Debian, as root) if missing
	@if ! command -v java >/dev/null 2>&1; then \
		if [[ $$(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then \
			echo "== installing Java 17 (Debian package openjdk-17-jre-headless, for Spark)"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null; \
		else \
			echo "Spark needs Java 17: install the Debian package openjdk-17-jre-headless (apt-get install openjdk-17-jre-headless) or another JDK 17 on PATH" >&2; \
			exit 1; \
		fi; \
	fi

$(SPARK_STAMP): requirements-spark.txt requirements.txt | $(STAMP)
	@# requirements.txt as constraints: dbt-spark accepts any dbt-core 1.x, the project pins its own.
	$(PY) -m pip install --disable-pip-version-check --quiet -r requirements-spark.txt -c requirements.txt
	touch $@

# The world `make test-spark` builds on both engines.
TEST_SPARK_PEOPLE ?= 2000
TEST_SPARK_DATA_DIR ?= $(CURDIR)/data/test_spark

# The comparison leaves out release_id (a DuckDB release has an id, a Spark build is `unreleased`) and
# compares doubles to 12 decimal places (their last bits depend on summation order).
test-spark: spark-venv ## Build a small world on DuckDB and on Spark (linkage predicting with DuckDB's model); compare every public model
	$(MAKE) build PEOPLE=$(TEST_SPARK_PEOPLE) DATA_DIR="$(TEST_SPARK_DATA_DIR)" DBT_TARGET=ci
	@published=$$($(VENV)/bin/release show --data-dir "$(TEST_SPARK_DATA_DIR)" --field target) && \
		release_dir=$$(dirname "$$published") && \
		$(VENV)/bin/build-spark --data-dir "$(TEST_SPARK_DATA_DIR)" \
			--trained-model "$$release_dir/linkage/splink_model.json" \
			--compare-with "$(TEST_SPARK_DATA_DIR)/warehouse.duckdb" \
			--compare-schemas derived publication research --compare-relations linked.person_links \
			--compare-ignore-columns release_id --compare-float-digits 12

pytest-spark: spark-venv ## The Spark pytests (session, UDFs, selectors, linkage on Spark against DuckDB); skipped by `make pytest` without the extra
	$(PY) -m pytest pytests/test_spark_session.py pytests/test_spark_selectors.py pytests/test_linkage_spark.py

build-spark: spark-venv ## Build DATA_DIR's world (generated if needed) on Spark: seeds to research, timed per step
	@mkdir -p "$$DATA_DIR"
	@started=$$SECONDS; $(MAKE) data; echo "== build-spark: world ready: $$((SECONDS - started)) s"
	$(VENV)/bin/build-spark --data-dir "$$DATA_DIR" $(SPARK_ARGS)

clean: ## Remove dbt and Python build artefacts (not the data)
	rm -rf target logs dbt_packages .pytest_cache .ruff_cache
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
