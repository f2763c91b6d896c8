"""Check the dbt-project-evaluator rules the project adopts, on dbt's manifest.

The dbt-project-evaluator package cannot be installed here, so the rules we adopt from it
(README "Conventions") are checked from `target/manifest.json`:

- ``documentation_coverage``: every model, seed, snapshot, source table and exposure has a description, and
  so has every column its YAML lists (a contracted model lists all its columns); every project macro has a
  description, and so has every argument of a macro that is not an adapter implementation
  (``<adapter>__<macro>``, documented by the macro it implements). With ``--catalog``, every column the
  warehouse holds for a model, seed or snapshot must also be documented.
- ``primary_key_test``: every model has a primary-key test: ``unique`` and ``not_null`` on one column, a
  ``unique_combination_of_columns`` test, or a ``primary_key`` constraint in an enforced contract.
- ``sources_only_in_staging``: only models under ``models/staging/`` read ``source()``.
- ``public_model_contract``: every model with ``access: public`` has an enforced contract.
- ``exposure_public_dependencies``: exposures depend only on public models.
- ``naming_matches_folder``: names match their folders (CaDeT ``<schema>__<table>``): ``models/staging/<system>/``
  holds ``stg_<system>__*`` and ``staging_checks__<system>_*``; ``models/linked/`` ``linked__*``,
  ``linkage__*`` and ``linked_checks__*``; ``models/derived/`` ``derived__*`` and ``derived_int__*``;
  ``models/audit/`` ``audit__*``; ``models/publication/`` ``publication__*`` and ``publication_int__*``;
  ``models/research/`` ``research__*``; seeds are ``reference__*`` and snapshots ``snapshots__*``.

Exceptions live in ``project_rules_exceptions.yml`` (``exceptions:`` entries with ``rule``, ``node`` — a unique
id or a name — and a mandatory ``reason``). An exception without a reason, for an unknown rule, or that no
longer matches any violation (stale) is an error. Prints a summary per rule and exits 1 on any violation or
exception error (2 when the manifest cannot be read).

Usage: python scripts/check_project_rules.py [--manifest target/manifest.json]
       [--exceptions project_rules_exceptions.yml] [--catalog target/catalog.json]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

PROJECT_ROOT = Path(__file__).resolve().parents[1]

Node = dict[str, Any]

RULES: dict[str, str] = {
    "documentation_coverage": "every node, column, exposure and macro is described",
    "primary_key_test": "every model has a primary-key test",
    "sources_only_in_staging": "only staging models read sources",
    "public_model_contract": "public models have enforced contracts",
    "exposure_public_dependencies": "exposures depend only on public models",
    "naming_matches_folder": "names match their folders",
}

# Schemas (the part of a name before `__`) each model folder may hold. Staging is checked per system.
FOLDER_SCHEMAS: dict[str, tuple[str, ...]] = {
    "linked": ("linked", "linkage", "linked_checks"),
    "derived": ("derived", "derived_int"),
    "audit": ("audit",),
    "publication": ("publication", "publication_int"),
    "research": ("research",),
}
SEED_SCHEMA = "reference"
SNAPSHOT_SCHEMA = "snapshots"

PRIMARY_KEY_TESTS = frozenset({"unique_combination_of_columns"})


@dataclass(frozen=True, order=True)
class Violation:
    """One breach of a rule by one node."""

    rule: str
    node: str
    message: str


@dataclass
class RuleException:
    """One entry of the exceptions file."""

    rule: str
    node: str
    reason: str
    index: int
    used: bool = False

    def matches(self, violation: Violation, names: dict[str, str]) -> bool:
        return self.rule == violation.rule and self.node in (violation.node, names.get(violation.node))


@dataclass
class RuleSummary:
    """What one rule checked and found."""

    rule: str
    checked: int = 0
    violations: list[Violation] = field(default_factory=list)
    excepted: list[Violation] = field(default_factory=list)


@dataclass
class Report:
    """The outcome of a check: per-rule summaries and the problems of the exceptions file."""

    summaries: dict[str, RuleSummary]
    exception_errors: list[str]

    @property
    def violations(self) -> list[Violation]:
        return [v for summary in self.summaries.values() for v in summary.violations]

    @property
    def ok(self) -> bool:
        return not self.violations and not self.exception_errors


# --- manifest helpers ------------------------------------------------------------------------------------


def project_name(manifest: Node) -> str:
    return str(manifest.get("metadata", {}).get("project_name", ""))


def project_nodes(manifest: Node, *resource_types: str) -> Iterator[Node]:
    """The project's own nodes of the given resource types, in unique-id order."""
    project = project_name(manifest)
    for unique_id in sorted(manifest.get("nodes", {})):
        node = manifest["nodes"][unique_id]
        if node.get("resource_type") in resource_types and node.get("package_name", project) == project:
            yield node


def is_described(text: object) -> bool:
    return isinstance(text, str) and text.strip() != ""


def path_parts(node: Node) -> tuple[str, ...]:
    return tuple(Path(str(node.get("original_file_path", ""))).parts)


def contract_enforced(node: Node) -> bool:
    return bool(((node.get("config") or {}).get("contract") or {}).get("enforced"))


def name_parts(name: str) -> tuple[str, str] | None:
    """`<schema>__<table>` split in two, or None when the name has not exactly one `__`."""
    parts = name.split("__")
    if len(parts) != 2 or not all(parts):
        return None
    return parts[0], parts[1]


# --- rules ---------------------------------------------------------------------------------------------


def check_documentation(manifest: Node, catalog: Node | None) -> RuleSummary:
    summary = RuleSummary("documentation_coverage")
    rule = summary.rule

    def check(unique_id: str, kind: str, description: object, columns: dict[str, Node]) -> None:
        summary.checked += 1 + len(columns)
        if not is_described(description):
            summary.violations.append(Violation(rule, unique_id, f"{kind} has no description"))
        for column_name, column in columns.items():
            if not is_described(column.get("description")):
                summary.violations.append(Violation(rule, unique_id, f"column {column_name} has no description"))

    for node in project_nodes(manifest, "model", "seed", "snapshot"):
        columns = node.get("columns") or {}
        check(node["unique_id"], node["resource_type"], node.get("description"), columns)
        if catalog is not None:
            held = (catalog.get("nodes", {}).get(node["unique_id"]) or {}).get("columns") or {}
            documented = {name.lower() for name in columns}
            for column_name in sorted(held):
                summary.checked += 1
                if column_name.lower() not in documented:
                    summary.violations.append(
                        Violation(rule, node["unique_id"], f"column {column_name} (in the warehouse) is not documented")
                    )

    sources = manifest.get("sources", {})
    described_sources = {s["source_name"] for s in sources.values() if is_described(s.get("source_description"))}
    for source_name in sorted({s["source_name"] for s in sources.values()} - described_sources):
        summary.checked += 1
        summary.violations.append(Violation(rule, f"source {source_name}", "source has no description"))
    summary.checked += len(described_sources)
    for unique_id in sorted(sources):
        source = sources[unique_id]
        check(unique_id, "source table", source.get("description"), source.get("columns") or {})

    for unique_id in sorted(manifest.get("exposures", {})):
        exposure = manifest["exposures"][unique_id]
        check(unique_id, "exposure", exposure.get("description"), {})

    project = project_name(manifest)
    macros = {m["name"]: m for m in manifest.get("macros", {}).values() if m.get("package_name") == project}
    for name in sorted(macros):
        macro = macros[name]
        summary.checked += 1
        if not is_described(macro.get("description")):
            summary.violations.append(Violation(rule, macro["unique_id"], "macro has no description"))
        implementation = re.match(r"^[a-z0-9]+__(.+)$", name)
        if implementation and implementation.group(1) in macros:
            continue  # an adapter implementation: its arguments are documented on the macro it implements
        for argument in macro.get("arguments") or []:
            summary.checked += 1
            if not is_described(argument.get("description")):
                summary.violations.append(
                    Violation(rule, macro["unique_id"], f"argument {argument.get('name')} has no description")
                )
    return summary


def primary_key_tests(manifest: Node) -> dict[str, str]:
    """Node unique id -> how its primary key is tested, for the nodes that have a primary-key test."""
    unique: dict[str, set[str]] = {}
    not_null: dict[str, set[str]] = {}
    keyed: dict[str, str] = {}
    for test in project_nodes(manifest, "test"):
        metadata = test.get("test_metadata") or {}
        attached = test.get("attached_node") or ""
        column = test.get("column_name") or (metadata.get("kwargs") or {}).get("column_name")
        name = metadata.get("name")
        if not attached or not name:
            continue
        if name in PRIMARY_KEY_TESTS:
            keyed[attached] = name
        elif name == "unique" and column:
            unique.setdefault(attached, set()).add(str(column).lower())
        elif name == "not_null" and column:
            not_null.setdefault(attached, set()).add(str(column).lower())
    for unique_id, columns in unique.items():
        both = sorted(columns & not_null.get(unique_id, set()))
        if both and unique_id not in keyed:
            keyed[unique_id] = f"unique + not_null on {both[0]}"
    for node in project_nodes(manifest, "model"):
        if not contract_enforced(node) or node["unique_id"] in keyed:
            continue
        constraints = list(node.get("constraints") or [])
        for column in (node.get("columns") or {}).values():
            constraints.extend(column.get("constraints") or [])
        if any(c.get("type") == "primary_key" for c in constraints):
            keyed[node["unique_id"]] = "primary_key constraint"
    return keyed


def check_primary_keys(manifest: Node) -> RuleSummary:
    summary = RuleSummary("primary_key_test")
    keyed = primary_key_tests(manifest)
    for node in project_nodes(manifest, "model"):
        summary.checked += 1
        if node["unique_id"] not in keyed:
            summary.violations.append(
                Violation(
                    summary.rule,
                    node["unique_id"],
                    "no primary-key test (unique + not_null on one column, unique_combination_of_columns, or a "
                    "primary_key constraint in an enforced contract)",
                )
            )
    return summary


def check_sources_in_staging(manifest: Node) -> RuleSummary:
    summary = RuleSummary("sources_only_in_staging")
    for node in project_nodes(manifest, "model", "snapshot"):
        summary.checked += 1
        sources = sorted(d for d in (node.get("depends_on") or {}).get("nodes", []) if d.startswith("source."))
        if sources and path_parts(node)[:2] != ("models", "staging"):
            summary.violations.append(
                Violation(
                    summary.rule, node["unique_id"], "reads a source outside models/staging/: " + ", ".join(sources)
                )
            )
    return summary


def check_public_contracts(manifest: Node) -> RuleSummary:
    summary = RuleSummary("public_model_contract")
    for node in project_nodes(manifest, "model"):
        if node.get("access") != "public":
            continue
        summary.checked += 1
        if not contract_enforced(node):
            summary.violations.append(
                Violation(summary.rule, node["unique_id"], "public model without an enforced contract")
            )
    return summary


def check_exposures(manifest: Node) -> RuleSummary:
    summary = RuleSummary("exposure_public_dependencies")
    nodes = manifest.get("nodes", {})
    for unique_id in sorted(manifest.get("exposures", {})):
        exposure = manifest["exposures"][unique_id]
        summary.checked += 1
        for parent in sorted((exposure.get("depends_on") or {}).get("nodes", [])):
            node = nodes.get(parent, {})
            if node.get("resource_type") != "model" or node.get("access") != "public":
                kind = node.get("resource_type") or parent.split(".")[0]
                access = node.get("access") or "n/a"
                summary.violations.append(
                    Violation(
                        summary.rule, unique_id, f"depends on {parent} ({kind}, access {access}), not a public model"
                    )
                )
    return summary


def naming_problem(node: Node) -> str | None:
    """Why the node's name does not match its folder, or None."""
    name = str(node["name"])
    parts = path_parts(node)
    split = name_parts(name)
    if split is None:
        return f"name {name} is not <schema>__<table> with `__` exactly once"
    schema, table = split
    resource_type = node["resource_type"]
    if resource_type == "seed":
        return None if schema == SEED_SCHEMA else f"seed {name} is not {SEED_SCHEMA}__*"
    if resource_type == "snapshot":
        return None if schema == SNAPSHOT_SCHEMA else f"snapshot {name} is not {SNAPSHOT_SCHEMA}__*"
    folder = parts[1] if len(parts) > 2 and parts[0] == "models" else None
    where = "/".join(parts[:-1]) + "/"
    if folder == "staging":
        if len(parts) < 4:
            return f"staging model {name} is not in a system folder models/staging/<system>/"
        system = parts[2]
        if schema == f"stg_{system}" or (schema == "staging_checks" and table.startswith(f"{system}_")):
            return None
        return f"{name} in {where} is not stg_{system}__* or staging_checks__{system}_*"
    if folder in FOLDER_SCHEMAS:
        allowed = FOLDER_SCHEMAS[folder]
        if schema in allowed:
            return None
        return f"{name} in {where} is not " + " or ".join(f"{s}__*" for s in allowed)
    return (
        f"{name} is in {where}, which has no naming rule (folders: staging/<system>, " + ", ".join(FOLDER_SCHEMAS) + ")"
    )


def check_naming(manifest: Node) -> RuleSummary:
    summary = RuleSummary("naming_matches_folder")
    for node in project_nodes(manifest, "model", "seed", "snapshot"):
        summary.checked += 1
        problem = naming_problem(node)
        if problem:
            summary.violations.append(Violation(summary.rule, node["unique_id"], problem))
    return summary


# --- exceptions ----------------------------------------------------------------------------------------


def load_exceptions(path: Path | None) -> tuple[list[RuleException], list[str]]:
    """The exceptions of the file, and the errors in it (missing reason, unknown rule, bad shape)."""
    if path is None or not path.exists():
        return [], []
    data = yaml.safe_load(path.read_text()) or {}
    entries = data.get("exceptions") if isinstance(data, dict) else None
    if entries is None:
        entries = []
    if not isinstance(entries, list):
        return [], [f"{path.name}: `exceptions` must be a list"]
    exceptions: list[RuleException] = []
    errors: list[str] = []
    for index, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            errors.append(f"{path.name} exception {index}: not a mapping with rule, node and reason")
            continue
        rule = str(entry.get("rule") or "").strip()
        node = str(entry.get("node") or "").strip()
        reason = entry.get("reason")
        label = f"{path.name} exception {index} ({rule or '?'} / {node or '?'})"
        if rule not in RULES:
            errors.append(f"{label}: unknown rule; rules are " + ", ".join(RULES))
            continue
        if not node:
            errors.append(f"{label}: no node")
            continue
        if not is_described(reason):
            errors.append(f"{label}: no reason (every exception needs one)")
            continue
        exceptions.append(RuleException(rule=rule, node=node, reason=str(reason).strip(), index=index))
    return exceptions, errors


def node_names(manifest: Node) -> dict[str, str]:
    """Unique id -> name of every node, source, exposure and macro (exceptions may use either)."""
    names: dict[str, str] = {}
    for section in ("nodes", "sources", "exposures", "macros"):
        for unique_id, node in manifest.get(section, {}).items():
            names[unique_id] = str(node.get("name", unique_id))
    return names


# --- the check -----------------------------------------------------------------------------------------


def check_manifest(manifest: Node, exceptions: Iterable[RuleException] = (), catalog: Node | None = None) -> Report:
    """Run every rule on a manifest and apply the exceptions."""
    summaries = [
        check_documentation(manifest, catalog),
        check_primary_keys(manifest),
        check_sources_in_staging(manifest),
        check_public_contracts(manifest),
        check_exposures(manifest),
        check_naming(manifest),
    ]
    exceptions = list(exceptions)
    names = node_names(manifest)
    for summary in summaries:
        kept: list[Violation] = []
        for violation in summary.violations:
            matching = [e for e in exceptions if e.matches(violation, names)]
            for exception in matching:
                exception.used = True
            (summary.excepted if matching else kept).append(violation)
        summary.violations = kept
    errors = [
        f"exception {e.index} ({e.rule} / {e.node}) is stale: it matches no violation; remove it"
        for e in exceptions
        if not e.used
    ]
    return Report(summaries={s.rule: s for s in summaries}, exception_errors=errors)


def format_report(report: Report, manifest_path: Path) -> str:
    lines = [f"Project rules on {manifest_path}:"]
    for rule, summary in report.summaries.items():
        status = "PASS" if not summary.violations else "FAIL"
        excepted = f", {len(summary.excepted)} excepted" if summary.excepted else ""
        lines.append(
            f"  {status}  {rule:<30} {summary.checked:>5} checked, {len(summary.violations)} violations{excepted}"
            f"  ({RULES[rule]})"
        )
    if report.violations:
        lines.append("")
        lines.append("Violations:")
        lines.extend(f"  [{v.rule}] {v.node}: {v.message}" for v in report.violations)
    if report.exception_errors:
        lines.append("")
        lines.append("Exceptions file errors:")
        lines.extend(f"  {error}" for error in report.exception_errors)
    lines.append("")
    lines.append("OK" if report.ok else f"FAILED: {len(report.violations) + len(report.exception_errors)} problems")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--manifest", type=Path, default=PROJECT_ROOT / "target" / "manifest.json")
    parser.add_argument("--exceptions", type=Path, default=PROJECT_ROOT / "project_rules_exceptions.yml")
    parser.add_argument(
        "--catalog", type=Path, default=None, help="dbt docs catalog.json: also check the warehouse's columns"
    )
    args = parser.parse_args(argv)
    try:
        manifest = json.loads(args.manifest.read_text())
    except (OSError, ValueError) as error:
        print(f"check_project_rules: cannot read {args.manifest}: {error} (run `make parse` first)", file=sys.stderr)
        return 2
    catalog = json.loads(args.catalog.read_text()) if args.catalog else None
    exceptions, errors = load_exceptions(args.exceptions)
    report = check_manifest(manifest, exceptions, catalog)
    report.exception_errors[:0] = errors
    print(format_report(report, args.manifest))
    return 0 if report.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
