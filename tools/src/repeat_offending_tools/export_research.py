"""Export the pseudonymised research extract: every research model as Parquet, a data dictionary, a guide.

Reads the research models (``models/research/``, the ``research`` schema) from the dbt manifest, and writes to
the output folder (``DATA_DIR/releases/<release id>/research/`` in ``make build``):

- ``<table>.parquet`` for every research model (zstd; rows in a stable order);
- ``data_dictionary.csv`` and ``data_dictionary.md``: table, column, data type and description of every
  column, from the manifest (the YAML descriptions with their doc blocks), checked against the exported files;
- ``disclosure_risk.csv`` (and a section of the dictionary and the README): the k-anonymity of every table on
  the quasi-identifiers its model declares (``meta.quasi_identifiers``, required of every research model): the
  share of records that are unique, and in combinations of fewer than 5 and 10 records;
- ``README.md``: the researchers' guide (docs/research_guide.md) with the extract's facts (the release it
  comes from, tables, rows, data as of, key) prepended.

Files this command wrote before (``*.parquet`` and the three documents) are replaced; nothing else is touched.

The pseudonyms are dbt's (``macros/research/``): nothing here hashes anything. Which key made them is what
dbt decided when it built the models: the key in RESEARCH_PSEUDONYM_KEY when set (handed to DuckDB by the
dbt plugin ``repeat_offending.dbt_plugins.research_pseudonym_key``), else the public development key (a
compilation error on ``prod``). The warehouse records which in research.extract_metadata
(``is_development_key``), and the export reads it there, so it is right wherever the export runs. With the
development key, the README says so in capitals, and ``--require-production-key`` (passed by
``release build`` for the ``prod`` target) fails.

What the export checks before anything leaves: every research model is contracted (an enforced contract, so
its columns are exactly the documented ones, checked by dbt at build time) and declares no personal data (no
column marked ``contains_pii``, and ``meta.contains_pii: false`` on the model); it exports only models of
``models/research/``.

Usage: export-research --database DATA_DIR/warehouse.duckdb --output FOLDER
       [--manifest target/manifest.json] [--guide docs/research_guide.md] [--release-id ID]
       [--require-production-key]

The manifest defaults to ``$DBT_TARGET_PATH/manifest.json`` (``target/`` when unset), the one `dbt build` wrote.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from repeat_offending.project import PROJECT_ROOT, node_meta

DEFAULT_MANIFEST = PROJECT_ROOT / os.environ.get("DBT_TARGET_PATH", "target") / "manifest.json"
"""The manifest of the last dbt invocation: in DBT_TARGET_PATH when dbt was told to write there."""
DOCUMENTS = ("data_dictionary.csv", "data_dictionary.md", "disclosure_risk.csv", "README.md")
K_BELOW = (2, 5, 10)
"""The k-anonymity shares reported: records whose combination of quasi-identifiers is shared by fewer than 2
(unique), 5 and 10 records of the table."""


@dataclass(frozen=True)
class Column:
    name: str
    data_type: str
    description: str


@dataclass(frozen=True)
class Table:
    """A research model: its table name in the extract, its relation in the warehouse and its documentation."""

    name: str
    relation: str
    description: str
    columns: tuple[Column, ...]
    quasi_identifiers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Anonymity:
    """k-anonymity of a table on its quasi-identifiers: records, combinations, and records in a combination of
    fewer than k records for each k of ``K_BELOW`` (k = 2: unique)."""

    table: str
    quasi_identifiers: tuple[str, ...]
    records: int
    combinations: int
    below: dict[int, int]

    def share(self, k: int) -> float:
        return self.below[k] / self.records if self.records else 0.0


@dataclass
class ExportSummary:
    tables: dict[str, int] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)
    key: str = "unknown"
    data_as_of: str | None = None
    tier: str = "unknown"
    release_id: str | None = None
    anonymity: list[Anonymity] = field(default_factory=list)


def one_line(text: str) -> str:
    """Whitespace (newlines included) collapsed to single spaces."""
    return re.sub(r"\s+", " ", text or "").strip()


class ExportRefusedError(SystemExit):
    """A research model that must not leave as it is; the message says which and why."""


def _is_pii(column_or_node: dict[str, Any]) -> object:
    return node_meta(column_or_node).get("contains_pii")


def safety_problems(node: dict[str, Any]) -> list[str]:
    """Why a research model must not be exported (empty when it may): it must be contracted (dbt then
    guarantees its columns are the documented ones) and declare no personal data."""
    problems = []
    if not (node.get("config") or {}).get("contract", {}).get("enforced"):
        problems.append("has no enforced contract")
    if _is_pii(node) is not False:
        problems.append("does not declare meta.contains_pii: false")
    marked = [name for name, column in (node.get("columns") or {}).items() if _is_pii(column)]
    if marked:
        problems.append(f"has columns marked contains_pii: {marked}")
    return problems


def research_tables(manifest: dict[str, Any]) -> list[Table]:
    """The research models of the manifest, by name, with their documented columns in YAML order; refuses
    (ExportRefusedError) a model that is not contracted or declares personal data."""
    tables = []
    for node in manifest["nodes"].values():
        if node.get("resource_type") != "model" or node.get("package_name") != "repeat_offending":
            continue
        if node.get("original_file_path", "").split("/")[:2] != ["models", "research"]:
            continue
        problems = safety_problems(node)
        if problems:
            raise ExportRefusedError(f"export-research: {node['name']} " + "; ".join(problems) + ": nothing exported")
        columns = tuple(
            Column(name, str(column.get("data_type") or ""), one_line(column.get("description", "")))
            for name, column in node.get("columns", {}).items()
        )
        relation = f'"{node["schema"]}"."{node.get("alias") or node["name"]}"'
        quasi_identifiers = node_meta(node).get("quasi_identifiers")
        if not isinstance(quasi_identifiers, list):
            raise ExportRefusedError(
                f"export-research: {node['name']} declares no meta.quasi_identifiers (a list, empty for a table "
                "that describes no person): its disclosure risk cannot be measured; nothing exported"
            )
        unknown = sorted(set(quasi_identifiers) - {c.name for c in columns})
        if unknown:
            raise ExportRefusedError(
                f"export-research: {node['name']} meta.quasi_identifiers names columns it does not have: "
                f"{', '.join(unknown)}; nothing exported"
            )
        tables.append(
            Table(
                node.get("alias") or node["name"],
                relation,
                node.get("description", ""),
                columns,
                tuple(quasi_identifiers),
            )
        )
    return sorted(tables, key=lambda table: table.name)


def key_and_data_as_of(con: duckdb.DuckDBPyConnection) -> tuple[str, str | None]:
    """What the warehouse records of its research tables (research.extract_metadata): `development` when
    they were pseudonymised with the public development key, else `secret`; and their data_as_of."""
    row = con.execute(
        "select is_development_key, cast(data_as_of as varchar) from research.extract_metadata"
    ).fetchone()
    if row is None:
        raise SystemExit("export-research: research.extract_metadata is empty; rebuild the research models")
    return ("development" if row[0] else "secret"), row[1]


def measure_anonymity(con: duckdb.DuckDBPyConnection, table: Table) -> Anonymity:
    """k-anonymity of one table on its quasi-identifiers (a null is a value like any other)."""
    columns = ", ".join(f'"{c}"' for c in table.quasi_identifiers)
    below = ", ".join(f"coalesce(sum(k) filter (where k < {level}), 0)" for level in K_BELOW)
    row = con.execute(f"""
        select coalesce(sum(k), 0), count(*), {below}
        from (select count(*) as k from {table.relation} group by {columns})
    """).fetchone()
    assert row is not None
    return Anonymity(
        table.name,
        table.quasi_identifiers,
        int(row[0]),
        int(row[1]),
        dict(zip(K_BELOW, map(int, row[2:]), strict=True)),
    )


def _anonymity_lines(anonymity: list[Anonymity]) -> list[str]:
    """The k-anonymity table of the data dictionary and the README, in Markdown."""
    lines = [
        "| table | quasi-identifiers | records | combinations | k = 1 (unique) | k < 5 | k < 10 |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for a in anonymity:
        shares = " | ".join(f"{a.share(k):.1%}" for k in K_BELOW)
        names = ", ".join(f"`{c}`" for c in a.quasi_identifiers)
        lines.append(f"| `{a.table}` | {names} | {a.records:,} | {a.combinations:,} | {shares} |")
    return lines


def write_anonymity(anonymity: list[Anonymity], output: Path) -> Path:
    """disclosure_risk.csv: the k-anonymity of every table that describes people."""
    path = output / "disclosure_risk.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "table",
                "quasi_identifiers",
                "records",
                "combinations",
                "share_unique",
                "share_k_below_5",
                "share_k_below_10",
            ]
        )
        for a in anonymity:
            writer.writerow(
                [
                    a.table,
                    " ".join(a.quasi_identifiers),
                    a.records,
                    a.combinations,
                    *(f"{a.share(k):.4f}" for k in K_BELOW),
                ]
            )
    return path


DISCLOSURE_RISK_TEXT = [
    "## Disclosure risk: k-anonymity",
    "",
    "For each table that describes people, the columns someone who knows a person could also know (their",
    "demographics, when and what their case was: the quasi-identifiers, declared in each model's YAML) and the",
    "share of records whose combination of them is shared by only 1 record (unique), by fewer than 5 and by fewer",
    "than 10 records of the table. A unique record can be recognised by whoever knows those facts about the",
    "person; following a pseudonym across tables combines their quasi-identifiers and raises the shares. This",
    "extract is for a trusted research environment: its outputs go through output checking (README, rules 1-7).",
    "",
]


def write_dictionary(tables: list[Table], output: Path, anonymity: list[Anonymity] | None = None) -> list[Path]:
    """data_dictionary.csv and data_dictionary.md from the tables' documentation."""
    csv_path = output / "data_dictionary.csv"
    with csv_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["table", "column", "data_type", "description"])
        for table in tables:
            for column in table.columns:
                writer.writerow([table.name, column.name, column.data_type, column.description])
    lines = [
        "# Research extract: data dictionary",
        "",
        "Generated from the dbt manifest by `export-research`: every column of every table, with its",
        "type and definition. See README.md for how the extract is made and what is not in it.",
        "",
    ]
    for table in tables:
        lines += [f"## {table.name}", "", table.description.strip(), ""]
        lines += ["| column | type | description |", "| --- | --- | --- |"]
        lines += [
            f"| `{c.name}` | {c.data_type} | {c.description.replace('|', chr(92) + '|')} |" for c in table.columns
        ]
        lines.append("")
    if anonymity:
        lines += [*DISCLOSURE_RISK_TEXT, *_anonymity_lines(anonymity), ""]
    md_path = output / "data_dictionary.md"
    md_path.write_text("\n".join(lines), encoding="utf-8")
    return [csv_path, md_path]


def write_readme(guide: Path, output: Path, summary: ExportSummary) -> Path:
    """README.md: the extract's facts, then the researchers' guide."""
    lines = ["# Research extract", ""]
    if summary.key == "development":
        lines += [
            "> **WARNING: THESE PSEUDONYMS WERE MADE WITH THE PUBLIC, INSECURE DEVELOPMENT KEY.** Anyone can",
            "> recompute them from person ids. This extract is for development and testing only and must not be",
            "> given to researchers. Build with RESEARCH_PSEUDONYM_KEY set (the `prod` target requires it).",
            "",
        ]
    lines += [
        f"- Release: {summary.release_id or 'not a release (built outside `release build`)'}",
        f"- Data as of: {summary.data_as_of or 'unknown'}",
        f"- Access tier: {summary.tier} (var `research_tier`; `coarse`: years of birth and ages in five-year "
        "bands, no deprivation decile)",
        "- Pseudonym key: "
        + {
            "development": "the public, insecure development key (not secret)",
            "secret": "a key set in RESEARCH_PSEUDONYM_KEY at build time, not the development key",
        }.get(summary.key, "unknown (not told which key the build used)"),
        "- Tables:",
        *(f"  - `{name}.parquet`: {rows:,} rows" for name, rows in summary.tables.items()),
        "- Data dictionary: `data_dictionary.md` (also `data_dictionary.csv`)",
        "",
        *(
            [*DISCLOSURE_RISK_TEXT, *_anonymity_lines(summary.anonymity), "", "(also `disclosure_risk.csv`)", ""]
            if summary.anonymity
            else []
        ),
        "---",
        "",
    ]
    readme = output / "README.md"
    readme.write_text("\n".join(lines) + "\n" + guide.read_text(encoding="utf-8"), encoding="utf-8")
    return readme


def export_research(
    database: Path,
    output: Path,
    manifest_path: Path = DEFAULT_MANIFEST,
    guide: Path = PROJECT_ROOT / "docs" / "research_guide.md",
    *,
    require_production_key: bool = False,
    release_id: str | None = None,
) -> ExportSummary:
    """Export every research model of the manifest from the warehouse into ``output``."""
    tables = research_tables(json.loads(manifest_path.read_text(encoding="utf-8")))
    if not tables:
        raise SystemExit(f"export-research: no research model in {manifest_path}")
    output.mkdir(parents=True, exist_ok=True)
    for stale in [*output.glob("*.parquet"), *(output / name for name in DOCUMENTS)]:
        stale.unlink(missing_ok=True)
    summary = ExportSummary(release_id=release_id)
    con = duckdb.connect(str(database), read_only=True)
    try:
        summary.key, summary.data_as_of = key_and_data_as_of(con)
        summary.tier = str(con.execute("select research_tier from research.extract_metadata").fetchall()[0][0])
        if summary.key == "development" and require_production_key:
            raise SystemExit(
                "export-research: the research tables were pseudonymised with the insecure development key; "
                "rebuild them with RESEARCH_PSEUDONYM_KEY set before exporting"
            )
        for table in tables:
            path = output / f"{table.name}.parquet"
            con.execute(
                f"copy (select * from {table.relation} order by all) to '{path}' (format parquet, compression zstd)"
            )
            summary.tables[table.name] = con.execute(f"select count(*) from {table.relation}").fetchone()[0]
            summary.files.append(path)
            if table.quasi_identifiers:
                summary.anonymity.append(measure_anonymity(con, table))
    finally:
        con.close()
    summary.files += write_dictionary(tables, output, summary.anonymity)
    summary.files.append(write_anonymity(summary.anonymity, output))
    summary.files.append(write_readme(guide, output, summary))
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="export-research", description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database", type=Path, required=True, help="the warehouse (a release's DuckDB file)")
    parser.add_argument("--output", type=Path, required=True, help="the export folder (the release's research/)")
    parser.add_argument("--release-id", default=None, help="the release the export comes from (README)")
    parser.add_argument("--manifest", type=Path, default=DEFAULT_MANIFEST, help="default: DBT_TARGET_PATH or target/")
    parser.add_argument("--guide", type=Path, default=PROJECT_ROOT / "docs" / "research_guide.md")
    parser.add_argument(
        "--require-production-key",
        action="store_true",
        help="fail when the pseudonyms were made with the development key (release build: the prod target)",
    )
    args = parser.parse_args(argv)
    summary = export_research(
        args.database,
        args.output,
        args.manifest,
        args.guide,
        require_production_key=args.require_production_key,
        release_id=args.release_id,
    )
    for name, rows in summary.tables.items():
        print(f"export-research: {name}.parquet {rows:>12,} rows")
    print(f"export-research: {len(summary.files)} files in {args.output} (data as of {summary.data_as_of})")
    if summary.key == "development":
        print(
            "export-research: WARNING: pseudonyms made with the insecure development key (RESEARCH_PSEUDONYM_KEY "
            "unset); not for release",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
