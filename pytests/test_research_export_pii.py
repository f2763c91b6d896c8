"""The research extract holds no direct identifier: every exported value is scanned for the names, dates of
birth, postcodes and source-system ids of the raw extracts, and for the linked person ids.

On the small world `make test-world` builds, the research models of the `ci` warehouse are exported (with
`export-research`, i.e. repeat_offending_tools.export_research, into a temporary folder, with a manifest
parsed into a temporary target path); then one DuckDB table of forbidden strings (from DATA_DIR/raw/**, in the
forms they are recorded and normalised) is joined to one table of every distinct value of every exported
column, as text. A hit fails the test. The scanner itself is tested on a planted file, so that a silent
scanner cannot pass.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import json
import re
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import PROJECT_ROOT, copy_project, run_dbt
from extracts import rebuild_copy
from repeat_offending_tools import export_research

DEVELOPMENT_KEY = "insecure-development-key-do-not-use"
"""The documented development key (macro research_pseudonym_development_key), to check dbt's pseudonyms with
Python's own HMAC: the export itself never recomputes them."""

NAME_COLUMNS = frozenset(
    {
        "surname",
        "forenames",
        "forename",
        "forename_1",
        "forename_2",
        "family_name",
        "first_name",
        "middle_names",
        "last_name",
        "second_name",
    }
)
DATE_OF_BIRTH_COLUMNS = frozenset({"date_of_birth", "birth_date"})
POSTCODE_COLUMNS = frozenset({"postcode"})
ID_COLUMNS = frozenset({"crn", "prison_number", "arrest_summons_number"})
"""Source-system ids besides the columns named `*_id` (pnc_id, defendant_id, case_id, spell_id, event_id, ...)."""
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%b-%Y")
"""The raw formats of dates of birth (courts, prisons and assessments; PNC; probation)."""


def quoted(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def raw_columns(raw_dir: Path) -> dict[str, list[tuple[Path, str]]]:
    """The raw columns holding identifiers, by kind: (file, column) pairs."""
    kinds: dict[str, list[tuple[Path, str]]] = {"name": [], "date_of_birth": [], "postcode": [], "source_id": []}
    for path in sorted(raw_dir.glob("**/*.parquet")):
        for (column,) in duckdb.sql(f"select name from parquet_schema({quoted(path)})").fetchall():
            if column in NAME_COLUMNS:
                kinds["name"].append((path, column))
            elif column in DATE_OF_BIRTH_COLUMNS:
                kinds["date_of_birth"].append((path, column))
            elif column in POSTCODE_COLUMNS:
                kinds["postcode"].append((path, column))
            elif column.endswith("_id") or column in ID_COLUMNS:
                kinds["source_id"].append((path, column))
    return kinds


def build_forbidden(con: duckdb.DuckDBPyConnection, raw_dir: Path, person_ids: list[str] | None = None) -> None:
    """Table `forbidden (value, kind)`: every identifier of the raw extracts, upper-cased and trimmed, in the
    forms it is recorded and normalised: names and each of their words; dates of birth as recorded and as ISO
    dates; postcodes as recorded, without spaces and as `outward inward`; ids as recorded, without leading
    zeros (when 6 digits or more remain), and PNC ids with a two-digit year. Plus the linked person ids, when
    given."""
    kinds = raw_columns(raw_dir)
    missing = [kind for kind, columns in kinds.items() if not columns]
    assert not missing, f"no raw column of kind {missing} in {raw_dir}: the scan would be vacuous"

    def values(kind: str) -> str:
        return " union all ".join(
            f"select upper(trim(cast({column} as varchar))) as value from read_parquet({quoted(path)})"
            for path, column in kinds[kind]
        )

    iso_dates = " ".join(f"try_strptime(value, '{fmt}')," for fmt in DATE_FORMATS)
    con.execute(f"""
        create or replace table forbidden as
        with
        names as ({values("name")}),
        dates_of_birth as ({values("date_of_birth")}),
        postcodes as ({values("postcode")}),
        source_ids as ({values("source_id")}),
        candidates as (
            select value, 'name' as kind from names
            union all
            select unnest(string_split_regex(value, '[ \\-]+')), 'name' from names
            union all
            select value, 'date_of_birth' from dates_of_birth
            union all
            select strftime(coalesce({iso_dates} null), '%Y-%m-%d'), 'date_of_birth' from dates_of_birth
            union all
            select value, 'postcode' from postcodes
            union all
            select replace(value, ' ', ''), 'postcode' from postcodes
            union all
            select left(replace(value, ' ', ''), length(replace(value, ' ', '')) - 3) || ' '
                || right(replace(value, ' ', ''), 3), 'postcode'
            from postcodes where length(replace(value, ' ', '')) between 5 and 7
            union all
            select value, 'source_id' from source_ids
            union all
            select ltrim(value, '0'), 'source_id' from source_ids where regexp_full_match(value, '0+[0-9]{{6,}}')
            union all
            select right(value, 11), 'source_id' from source_ids
            where regexp_full_match(value, '[0-9]{{4}}/[0-9]{{7}}[A-Z]')
        )
        -- every real id has 7 characters or more; shorter values are damaged rows, which would only match
        -- small numbers (counts, days) by chance
        select distinct value, kind
        from candidates
        where value is not null and length(trim(value)) >= case kind when 'source_id' then 6 else 2 end
    """)
    if person_ids:
        con.execute("create or replace temp table person_ids (value varchar)")
        con.executemany("insert into person_ids values (?)", [[p] for p in person_ids])
        con.execute("insert into forbidden select distinct upper(value), 'person_id' from person_ids")


def build_allowed(con: duckdb.DuckDBPyConnection, manifest: dict) -> None:
    """Table `allowed (value)`: the public vocabularies, which can equal a name without being one (`White` is a
    surname and an ethnic group, `CO` a forename and a community order): every value of the reference code
    lists (seeds) and of every `accepted_values` test of the project."""
    values: set[str] = set()
    for path in (PROJECT_ROOT / "seeds").glob("**/*.csv"):
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.reader(handle):
                values.update(cell.strip().upper() for cell in row)
    for node in manifest["nodes"].values():
        metadata = node.get("test_metadata") or {}
        if metadata.get("name") == "accepted_values":
            values.update(str(v).strip().upper() for v in metadata.get("kwargs", {}).get("values", []))
    con.execute("create or replace table allowed (value varchar)")
    con.executemany("insert into allowed values (?)", [[v] for v in sorted(values) if v])


def scan(con: duckdb.DuckDBPyConnection, export_dir: Path) -> list[tuple[str, str, str, str]]:
    """Every (file, column, value, kind) of the exported Parquet files whose value, as upper-cased text, is a
    forbidden string; names that are also a public vocabulary value are not hits."""
    files = sorted(export_dir.glob("*.parquet"))
    assert files, f"no Parquet file in {export_dir}"
    parts = []
    for path in files:
        columns = [row[0] for row in duckdb.sql(f"select name from parquet_schema({quoted(path)})").fetchall()[1:]]
        unpivot = ", ".join(f'cast("{c}" as varchar)' for c in columns)
        names = ", ".join(f"'{c}'" for c in columns)
        parts.append(f"""
            select distinct '{path.name}' as file_name, column_name, upper(trim(value)) as value
            from (
                select unnest([{names}]) as column_name, unnest([{unpivot}]) as value
                from read_parquet({quoted(path)})
            )
            where value is not null
        """)
    con.execute("create or replace table exported as " + " union all ".join(parts))
    return con.execute("""
        select exported.file_name, exported.column_name, exported.value, forbidden.kind
        from exported
        inner join forbidden on exported.value = forbidden.value
        where not (forbidden.kind = 'name' and exported.value in (select value from allowed))
        order by all
    """).fetchall()


@pytest.fixture(scope="session")
def parsed_manifest(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The project's manifest, parsed in a copy of the project (nothing of the working tree is written)."""
    project = copy_project(tmp_path_factory.mktemp("pii") / "project")
    result = run_dbt(project, "parse", "--no-partial-parse", "--target", "ci")
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads((project / "target" / "manifest.json").read_text())


@pytest.fixture(scope="session")
def research_export(built_world: Path, parsed_manifest: dict, tmp_path_factory: pytest.TempPathFactory) -> tuple:
    folder = tmp_path_factory.mktemp("research_export")
    manifest_path = folder / "manifest.json"
    manifest_path.write_text(json.dumps(parsed_manifest))
    summary = export_research.export_research(built_world / "warehouse.duckdb", folder / "research", manifest_path)
    return folder / "research", summary


def test_exported_files_hold_no_name_date_of_birth_postcode_or_source_id(
    built_world: Path, parsed_manifest: dict, research_export: tuple
) -> None:
    export_dir, _ = research_export
    con = duckdb.connect()
    warehouse = duckdb.connect(str(built_world / "warehouse.duckdb"), read_only=True)
    person_ids = [row[0] for row in warehouse.execute("select person_id from linked.persons").fetchall()]
    warehouse.close()
    build_forbidden(con, built_world / "raw", person_ids)
    build_allowed(con, parsed_manifest)
    counts = dict(con.execute("select kind, count(*) from forbidden group by kind").fetchall())
    assert all(counts.get(kind, 0) > 100 for kind in ("name", "date_of_birth", "postcode", "source_id")), counts
    hits = scan(con, export_dir)
    assert not hits, f"{len(hits)} identifiers in the research extract, e.g. {hits[:20]}"


def test_the_scanner_finds_planted_identifiers(built_world: Path, parsed_manifest: dict, tmp_path: Path) -> None:
    raw = built_world / "raw"
    surname, postcode, defendant_id = duckdb.sql(f"""
        select surname, postcode, defendant_id
        from read_parquet({quoted(raw / "courts" / "defendants.parquet")})
        where length(surname) > 3 and postcode like '% %' and date_of_birth is not null
            and length(defendant_id) > 5
        limit 1
    """).fetchall()[0]
    pnc_date_of_birth = duckdb.sql(f"""
        select date_of_birth from read_parquet({quoted(raw / "pnc" / "persons.parquet")})
        where try_strptime(date_of_birth, '%d/%m/%Y') is not null limit 1
    """).fetchall()[0][0]
    iso = duckdb.sql(f"select strftime(strptime('{pnc_date_of_birth}', '%d/%m/%Y'), '%Y-%m-%d')").fetchall()[0][0]
    pq.write_table(
        pa.table(
            {
                "leak": [surname.lower(), postcode.replace(" ", ""), defendant_id, iso, "White"],
                "n": [1, 2, 3, 4, 5],
                "note": ["fine"] * 5,
            }
        ),
        tmp_path / "planted.parquet",
    )
    con = duckdb.connect()
    build_forbidden(con, raw)
    build_allowed(con, parsed_manifest)
    kinds = {(value, kind) for _, _, value, kind in scan(con, tmp_path)}
    assert (surname.strip().upper(), "name") in kinds
    assert (postcode.replace(" ", "").upper(), "postcode") in kinds
    assert (defendant_id.strip().upper(), "source_id") in kinds
    assert (iso, "date_of_birth") in kinds
    assert not any(value == "WHITE" for value, _ in kinds), "a public code-list value is not a name"


def test_export_has_every_research_table_a_dictionary_and_the_guide(research_export: tuple) -> None:
    export_dir, summary = research_export
    expected = {"proven_reoffending", "offender_histories", "young_people", "risk_model_inputs", "extract_metadata"}
    assert set(summary.tables) == expected
    assert {p.stem for p in export_dir.glob("*.parquet")} == expected
    with (export_dir / "data_dictionary.csv").open(newline="", encoding="utf-8") as handle:
        dictionary = list(csv.DictReader(handle))
    documented = {(row["table"], row["column"]) for row in dictionary}
    for name in expected:
        columns = [
            r[0] for r in duckdb.sql(f"describe select * from {quoted(export_dir / (name + '.parquet'))}").fetchall()
        ]
        assert {(name, c) for c in columns} <= documented, f"{name}: columns missing from the dictionary"
    assert all(row["description"] and row["data_type"] for row in dictionary)
    markdown = (export_dir / "data_dictionary.md").read_text()
    assert all(f"## {name}" in markdown for name in expected)
    readme = (export_dir / "README.md").read_text()
    assert "# A guide to the research extract" in readme
    assert "before any output leaves the TRE" in readme


def test_pseudonyms_are_hmac_sha256_of_the_person_id(built_world: Path, research_export: tuple) -> None:
    """Checked with Python's hmac on the built warehouse, when it was built with the development key (CI); with
    a secret key, at least that no pseudonym is the development one."""
    _, summary = research_export
    assert summary.key in ("development", "secret")
    con = duckdb.connect(str(built_world / "warehouse.duckdb"), read_only=True)
    person_ids = [row[0] for row in con.execute("select person_id from derived.offender_histories").fetchall()]
    pseudonyms = {
        row[0] for row in con.execute("select pseudonymous_person_id from research.offender_histories").fetchall()
    }
    con.close()
    key = DEVELOPMENT_KEY.encode()
    expected = {hmac.new(key, p.encode(), hashlib.sha256).hexdigest() for p in person_ids}
    if summary.key == "development":
        assert pseudonyms == expected
    else:
        assert not pseudonyms & expected


@pytest.mark.parametrize("kind", ["development", "secret", "unknown"])
def test_the_readme_never_calls_the_development_key_secret(tmp_path: Path, kind: str) -> None:
    """Whatever key made the pseudonyms, the README says which, and calls a key secret only as a requirement
    of research extracts, never as a description of the key these pseudonyms were made with."""
    summary = export_research.ExportSummary(tables={"proven_reoffending": 1}, key=kind, data_as_of="2025-06-30")
    text = export_research.write_readme(PROJECT_ROOT / "docs" / "research_guide.md", tmp_path, summary).read_text()
    facts = text.split("\n---\n", 1)[0]
    key_line = next(line for line in facts.splitlines() if line.startswith("- Pseudonym key: "))
    if kind == "development":
        assert "WARNING" in facts and "development key" in key_line and "(not secret)" in key_line
    else:
        assert "WARNING" not in facts and "secret" not in key_line
    sentences = re.split(r"(?<=[.:])\s+", " ".join(text.split()))
    describing_the_key = [s for s in sentences if re.search(r"\bsecret\b", s, re.IGNORECASE) and "not secret" not in s]
    assert all("research" in s.lower() for s in describing_the_key), describing_the_key


def test_the_export_refuses_an_uncontracted_or_personal_research_model(parsed_manifest: dict, tmp_path: Path) -> None:
    """The export's own checks: every research model is contracted and declares no personal data."""
    assert export_research.research_tables(parsed_manifest), "the project's research models pass"
    node_id = next(
        uid
        for uid, node in parsed_manifest["nodes"].items()
        if node["resource_type"] == "model" and node["original_file_path"].startswith("models/research/")
    )
    for change, reason in (
        (lambda node: node["config"]["contract"].update(enforced=False), "no enforced contract"),
        (lambda node: next(iter(node["columns"].values())).update(meta={"contains_pii": True}), "contains_pii"),
        (lambda node: node["config"]["meta"].update(contains_pii=True), "meta.contains_pii: false"),
        # dbt writes a model's meta twice (meta and config.meta): a model without the list has it in neither
        (
            lambda node: [meta.pop("quasi_identifiers") for meta in (node["meta"], node["config"]["meta"])],
            "declares no meta.quasi_identifiers",
        ),
        (lambda node: node["config"]["meta"].update(quasi_identifiers=["no_such_column"]), "no_such_column"),
    ):
        manifest = json.loads(json.dumps(parsed_manifest))
        change(manifest["nodes"][node_id])
        with pytest.raises(export_research.ExportRefusedError, match=reason):
            export_research.research_tables(manifest)


def test_the_extract_reports_its_k_anonymity(research_export: tuple) -> None:
    """disclosure_risk.csv: each table that describes people, on its declared quasi-identifiers, with the shares
    of unique records and of records in combinations of fewer than 5 and 10, recomputed here from the files."""
    export_dir, summary = research_export
    with (export_dir / "disclosure_risk.csv").open(newline="", encoding="utf-8") as handle:
        rows = {row["table"]: row for row in csv.DictReader(handle)}
    assert set(rows) == {"proven_reoffending", "offender_histories", "young_people", "risk_model_inputs"}
    for name, row in rows.items():
        columns = ", ".join(f'"{c}"' for c in row["quasi_identifiers"].split())
        records, combinations, unique, below_5, below_10 = duckdb.sql(f"""
            select sum(k), count(*), coalesce(sum(k) filter (where k = 1), 0),
                   coalesce(sum(k) filter (where k < 5), 0), coalesce(sum(k) filter (where k < 10), 0)
            from (select count(*) as k from read_parquet({quoted(export_dir / (name + ".parquet"))}) group by {columns})
        """).fetchall()[0]
        assert int(row["records"]) == records == summary.tables[name] and int(row["combinations"]) == combinations
        assert [float(row[k]) for k in ("share_unique", "share_k_below_5", "share_k_below_10")] == pytest.approx(
            [unique / records, below_5 / records, below_10 / records], abs=1e-4
        )
    # The record-level cohort is unique on demographics and its case: what the guide warns researchers of.
    assert float(rows["proven_reoffending"]["share_unique"]) > 0.9
    for document in ("README.md", "data_dictionary.md"):
        assert "## Disclosure risk: k-anonymity" in (export_dir / document).read_text()


def test_the_coarse_tier_bands_years_and_ages_drops_the_decile_and_lowers_uniqueness(
    built_world: Path, research_export: tuple, tmp_path: Path
) -> None:
    """`research_tier: coarse` on a copy of the test world: the research models rebuilt and exported again,
    with their own k-anonymity, lower than the standard tier's."""
    database, build = rebuild_copy(built_world, tmp_path, "models/research", "{research_tier: coarse}")
    target = tmp_path / "target"
    assert build.returncode == 0 and " ERROR=0 " in build.stdout and " SKIP=0 " in build.stdout, build.stdout[-3000:]
    coarse = export_research.export_research(database, tmp_path / "research", target / "manifest.json")
    assert coarse.tier == "coarse" and research_export[1].tier == "standard"
    histories = pq.read_table(tmp_path / "research" / "offender_histories.parquet").to_pandas()
    assert histories["year_of_birth"].dropna().mod(5).eq(0).all()
    assert histories["age_at_first_proven_offence"].dropna().mod(5).eq(0).all()
    assert histories["deprivation_decile"].isna().all()
    standard = {a.table: a.share(2) for a in research_export[1].anonymity}
    banded = {a.table: a.share(2) for a in coarse.anonymity}
    assert banded["offender_histories"] < standard["offender_histories"]
    assert banded["proven_reoffending"] < standard["proven_reoffending"]
    assert "- Access tier: coarse" in (tmp_path / "research" / "README.md").read_text()
