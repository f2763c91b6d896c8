#!/usr/bin/env bash
# Slim CI: build only what a change touches, deferring everything else to the base branch's build.
#
#   scripts/slim_ci.sh [BASE_REF]        (default: origin/main, else main)
#
# 1. make sure the shared small world exists (DATA_DIR, PEOPLE; `make data`);
# 2. build the base ref in a temporary git worktree (or in SLIM_CI_BASE_DIR, an existing checkout, as the
#    GitHub workflow does) against that world with target `ci` into DATA_DIR/slim_ci_base.duckdb (a release
#    target outside `release build`: nothing is published), and copy the base manifest to STATE_DIR;
# 3. in the current tree, `dbt build --select state:modified+ --defer --state STATE_DIR` with target `pr`:
#    modified nodes and their descendants are built into DATA_DIR/pr.duckdb; refs to everything else resolve
#    to the base build, attached read-only under the catalog name every release has, `warehouse`
#    (profiles.yml, DBT_DEFER_DUCKDB);
# 4. print the nodes that ran.
set -euo pipefail

ROOT=$(git rev-parse --show-toplevel)
cd "$ROOT"

BASE_REF=${1:-}
if [[ -z $BASE_REF ]]; then
    if git rev-parse --verify --quiet origin/main >/dev/null; then
        BASE_REF=origin/main
    elif git rev-parse --verify --quiet main >/dev/null; then
        BASE_REF=main
    else
        echo "slim_ci: no origin/main or main; pass the base ref" >&2
        exit 2
    fi
fi

# Relative to the project by default: make's recipes cannot quote a venv path with a space in it.
VENV=${VENV:-.venv}
case $VENV in
    /*) VENV_PATH=$VENV ;;
    *) VENV_PATH=$ROOT/$VENV ;;
esac
DBT="$VENV_PATH/bin/dbt"
PEOPLE=${PEOPLE:-5000}
DATA_DIR=$(realpath -m "${DATA_DIR:-$ROOT/data/test_world}")
STATE_DIR=$(realpath -m "${STATE_DIR:-$ROOT/target/slim_ci_state}")
export DATA_DIR DBT_SEND_ANONYMOUS_USAGE_STATS=false

echo "== slim CI: base ${SLIM_CI_BASE_DIR:-$BASE_REF}, world $DATA_DIR ($PEOPLE people)"
make --no-print-directory -C "$ROOT" data VENV="$VENV" PEOPLE="$PEOPLE" DATA_DIR="$DATA_DIR"

# --- 2. the base build --------------------------------------------------------------------------------
if [[ -n ${SLIM_CI_BASE_DIR:-} ]]; then
    BASE_DIR=$(realpath "$SLIM_CI_BASE_DIR")
else
    SCRATCH=$(mktemp -d)
    BASE_DIR="$SCRATCH/base"
    cleanup() {
        git -C "$ROOT" worktree remove --force "$BASE_DIR" >/dev/null 2>&1 || true
        rm -rf "$SCRATCH"
    }
    trap cleanup EXIT
    git worktree add --detach --quiet "$BASE_DIR" "$BASE_REF"
fi
echo "== building the base ($(git -C "$BASE_DIR" rev-parse --short HEAD)) with target ci"
BASE_DATABASE="$DATA_DIR/slim_ci_base.duckdb"
rm -f "$BASE_DATABASE" "$BASE_DATABASE.wal"
(
    cd "$BASE_DIR"
    export RELEASE_DATABASE="$BASE_DATABASE"
    # The base's dbt packages (local, pinned by package-lock.yml: no network), when it has any.
    if [[ -f packages.yml ]]; then "$DBT" deps --profiles-dir .; fi
    "$DBT" seed --profiles-dir . --target ci
    # linkage: added by issue 4 (the same step as in `make build`)
    "$DBT" build --profiles-dir . --target ci
)
rm -rf "$STATE_DIR"
mkdir -p "$STATE_DIR"
cp "$BASE_DIR/target/manifest.json" "$STATE_DIR/manifest.json"

# --- 3. the modified build ----------------------------------------------------------------------------
echo "== building what changed against the base, deferring the rest"
rm -f "$DATA_DIR/pr.duckdb" "$DATA_DIR/pr.duckdb.wal"
export DBT_DEFER_DUCKDB="$BASE_DATABASE"
rm -f "$ROOT/target/run_results.json"
"$DBT" build --profiles-dir . --target pr --select state:modified+ --defer --state "$STATE_DIR"

# --- 4. what ran ----------------------------------------------------------------------------------------
"$VENV_PATH/bin/python" - "$ROOT/target/run_results.json" <<'PY'
import json
import sys

try:
    with open(sys.argv[1]) as file:
        results = json.load(file)["results"]
except FileNotFoundError:
    results = []
print(f"== slim CI ran {len(results)} node(s):")
for result in sorted(results, key=lambda r: r["unique_id"]):
    print(f"   {result['status']:<8} {result['unique_id']}")
PY
