"""Slim CI: changing one model rebuilds only it and its descendants (`state:modified+` against the base).

The base branch is stood in for by a copy of the project parsed into a manifest; the pull request by a
second copy with one model changed. dbt's `state:modified+` selection must equal that model plus its
descendants according to the base manifest's child map (tests included).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import copy_project, run_dbt

HARMLESS_CHANGE = "\n-- slim CI test: a harmless change\n"

# A tiny lineage for the self-contained scenario: a -> c -> d, b -> e; only a is changed.
SCENARIO = {
    "models/staging/demo/stg_demo__a.sql": "select 1 as id\n",
    "models/staging/demo/stg_demo__b.sql": "select 2 as id\n",
    "models/linked/demo_int__c.sql": "select id from {{ ref('stg_demo__a') }}\n",
    "models/derived/demo__d.sql": "select id from {{ ref('demo_int__c') }}\n",
    "models/derived/demo__e.sql": "select id from {{ ref('stg_demo__b') }}\n",
    "models/derived/_demo__models.yml": (
        "models:\n"
        "  - name: demo__d\n"
        "    columns:\n"
        "      - name: id\n"
        "        data_tests: [not_null]\n"
        "  - name: demo__e\n"
        "    columns:\n"
        "      - name: id\n"
        "        data_tests: [not_null]\n"
    ),
}


def _descendants(manifest: dict, unique_id: str) -> set[str]:
    children = manifest["child_map"]
    found: set[str] = set()
    pending = [unique_id]
    while pending:
        for child in children.get(pending.pop(), []):
            if child not in found:
                found.add(child)
                pending.append(child)
    return found


def _selected_after_change(tmp_path: Path, relative_model_path: str, extra: dict[str, str]) -> tuple[set, set]:
    """Parse a base copy, change one model in a PR copy; return (selected by dbt, expected from child_map)."""
    data_dir = tmp_path / "data"
    base = copy_project(tmp_path / "base")
    for path, text in extra.items():
        (base / path).parent.mkdir(parents=True, exist_ok=True)
        (base / path).write_text(text)
    pr = tmp_path / "pr"
    shutil.copytree(base, pr)

    parsed = run_dbt(base, "parse", "--no-partial-parse", "--target", "ci", data_dir=data_dir)
    assert parsed.returncode == 0, parsed.stdout + parsed.stderr
    manifest = json.loads((base / "target" / "manifest.json").read_text())

    model_file = pr / relative_model_path
    model_file.write_text(model_file.read_text() + HARMLESS_CHANGE)
    listed = run_dbt(
        pr,
        "ls",
        "--quiet",
        "--target",
        "ci",
        "--select",
        "state:modified+",
        "--state",
        str(base / "target"),
        "--output",
        "json",
        "--output-keys",
        "unique_id",
        data_dir=data_dir,
    )
    assert listed.returncode == 0, listed.stdout + listed.stderr
    selected = {json.loads(line)["unique_id"] for line in listed.stdout.splitlines() if line.startswith("{")}

    model_id = next(
        unique_id
        for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] == "model" and node["original_file_path"] == relative_model_path
    )
    return selected, {model_id} | _descendants(manifest, model_id)


def test_scenario_change_selects_model_and_descendants_only(tmp_path: Path) -> None:
    selected, expected = _selected_after_change(tmp_path, "models/staging/demo/stg_demo__a.sql", SCENARIO)
    assert selected == expected
    assert {"model.repeat_offending.stg_demo__a", "model.repeat_offending.demo__d"} <= selected
    assert not any("stg_demo__b" in node or "demo__e" in node for node in selected)


def test_changing_a_staging_model_rebuilds_only_it_and_its_descendants(tmp_path: Path) -> None:
    """On the real project: a change to the staged courts cases selects that model and what depends on it
    (the reconciliation audit, the linked court disposals and onwards), and nothing unrelated."""
    selected, expected = _selected_after_change(tmp_path, "models/staging/courts/stg_courts__cases.sql", {})
    assert selected == expected
    assert "model.repeat_offending.stg_courts__cases" in selected
    assert "model.repeat_offending.audit__staging_reconciliation" in selected
    assert not any(node.endswith((".stg_pnc__persons", ".stg_prisons__prisoners")) for node in selected)
