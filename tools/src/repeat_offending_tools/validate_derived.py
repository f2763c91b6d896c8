"""Validate derived.proven_reoffending against proven reoffending recomputed from the ground truth.

The generator's independent implementation of docs/methodology.md section 2
(`justice_world.truth_measures.cohort_relation`) computes the cohort of every quarter from the
world's `truth/` folder alone, with `data_as_of` from `truth/_manifest.json`. The warehouse computes it from the
raw extracts, after cleaning, quarantine and person linkage. The two must agree but for the records that
quarantine set aside and the people linkage could not join or split correctly.

Checks (exit 1 when one fails):
- every complete cohort quarter whose true cohort has at least ``--min-offenders`` (1,000) offenders: the
  proven reoffending rates differ by at most ``--tolerance-pp`` (0.5) percentage points;
- pooled over all complete quarters, the rates differ by at most ``--pooled-tolerance-pp`` (1.0) points;
- the calibration measures of the derived layer, pooled over the latest ``--quarters`` (8) complete quarters
  as in `justice_world.calibration`, are in the published ranges (skip with
  ``--no-calibration-check``, e.g. on a small test world).

Also reported, to show where the differences come from: the juvenile/adult split per quarter, rows quarantined
in staging and records left out of the linked layer, linkage quality when `evaluation.linkage_quality` exists, and
the record-level agreement of the two cohorts (persons matched through `linked.person_links` and
`truth/person_records.parquet`).

Writes Markdown to stdout and DATA_DIR/reports/validate_derived.md, and JSON to validate_derived.json.

Usage: validate-derived --data-dir DATA_DIR [--database DATA_DIR/warehouse.duckdb]
       [--tolerance-pp 0.5] [--min-offenders 1000] [--pooled-tolerance-pp 1.0] [--quarters 8]
       [--no-calibration-check]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb

from justice_world.truth_measures import cohort_relation
from repeat_offending.world_manifest import MANIFEST_NAME, ManifestError, parameters, read_manifest

# Published England and Wales figures (domain-research.md section 1.6) with the tolerance the issue sets, as
# in pytests/test_calibration.py.
CALIBRATION_RANGES: dict[str, tuple[float, float]] = {
    "juvenile_rate": (0.28, 0.36),
    "adult_rate": (0.24, 0.30),
    "adult_custody_under_12_months_rate": (0.50, 0.65),
    "reoffences_per_reoffender": (3.0, 4.5),
    "juvenile_share_of_cohort": (0.03, 0.10),
}

# The headline measures of one cohort, the same SQL over the truth cohort and over derived.proven_reoffending.
MEASURES_SQL = """
    select
        cohort_quarter,
        count(*) as offenders,
        count(*) filter (where is_reoffender) as reoffenders,
        sum(reoffences) as reoffences,
        count(*) filter (where is_juvenile) as juvenile_offenders,
        count(*) filter (where is_juvenile and is_reoffender) as juvenile_reoffenders,
        count(*) filter (where not is_juvenile) as adult_offenders,
        count(*) filter (where not is_juvenile and is_reoffender) as adult_reoffenders
    from {relation}
    where has_complete_follow_up
    group by cohort_quarter
"""


@dataclass
class Headline:
    offenders: int = 0
    reoffenders: int = 0
    reoffences: int = 0
    juvenile_offenders: int = 0
    juvenile_reoffenders: int = 0
    adult_offenders: int = 0
    adult_reoffenders: int = 0

    @property
    def rate(self) -> float | None:
        return self.reoffenders / self.offenders if self.offenders else None

    @property
    def reoffences_per_reoffender(self) -> float | None:
        return self.reoffences / self.reoffenders if self.reoffenders else None

    @property
    def juvenile_rate(self) -> float | None:
        return self.juvenile_reoffenders / self.juvenile_offenders if self.juvenile_offenders else None

    @property
    def adult_rate(self) -> float | None:
        return self.adult_reoffenders / self.adult_offenders if self.adult_offenders else None

    def add(self, other: Headline) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class QuarterComparison:
    cohort_quarter: str
    truth: Headline
    derived: Headline
    is_checked: bool
    within_tolerance: bool | None

    @property
    def rate_difference_pp(self) -> float | None:
        return _difference_pp(self.derived.rate, self.truth.rate)


@dataclass
class Validation:
    data_dir: str
    database: str
    data_as_of: str
    tolerance_pp: float
    min_offenders: int
    pooled_tolerance_pp: float
    quarters: list[QuarterComparison]
    pooled_truth: Headline
    pooled_derived: Headline
    calibration_quarters: list[str]
    calibration_derived: dict[str, float | None]
    calibration_truth: dict[str, float | None]
    calibration_checked: bool
    sources_of_difference: dict[str, list[tuple[str, str, int]]] = field(default_factory=dict)
    agreement: dict[str, int] = field(default_factory=dict)
    linkage_quality: dict[str, float] = field(default_factory=dict)

    @property
    def pooled_difference_pp(self) -> float | None:
        return _difference_pp(self.pooled_derived.rate, self.pooled_truth.rate)

    @property
    def failing_quarters(self) -> list[QuarterComparison]:
        return [q for q in self.quarters if q.within_tolerance is False]

    @property
    def pooled_ok(self) -> bool:
        difference = self.pooled_difference_pp
        return difference is not None and abs(difference) <= self.pooled_tolerance_pp

    @property
    def calibration_failures(self) -> list[str]:
        if not self.calibration_checked:
            return []
        failures = []
        for name, (low, high) in CALIBRATION_RANGES.items():
            value = self.calibration_derived.get(name)
            if value is None or not low <= value <= high:
                failures.append(f"{name} = {value} not in [{low}, {high}]")
        return failures

    @property
    def passed(self) -> bool:
        return not self.failing_quarters and self.pooled_ok and not self.calibration_failures


def _one(con: duckdb.DuckDBPyConnection, sql: str, parameters: list[object] | None = None) -> tuple | None:
    """The first row of a query (the whole result is fetched, as DuckDB requires before the next query)."""
    rows = con.execute(sql, parameters or []).fetchall()
    return rows[0] if rows else None


def _difference_pp(derived: float | None, truth: float | None) -> float | None:
    return None if derived is None or truth is None else 100 * (derived - truth)


def _headlines(con: duckdb.DuckDBPyConnection, relation: str) -> dict[str, Headline]:
    rows = con.sql(MEASURES_SQL.format(relation=relation)).fetchall()
    return {quarter: Headline(*(int(value or 0) for value in values)) for quarter, *values in rows}


def data_as_of(data_dir: Path) -> dt.date:
    """The world's extract date, from the truth's manifest (the generator's own folder), else the raw one's."""
    for folder in (data_dir / "truth", data_dir / "raw"):
        try:
            return dt.date.fromisoformat(str(parameters(read_manifest(folder))["data_as_of"]))
        except (ManifestError, KeyError):
            continue
    raise FileNotFoundError(f"no manifest with data_as_of in {data_dir / 'truth'} or {data_dir / 'raw'}")


def calibration(con: duckdb.DuckDBPyConnection, relation: str, quarters: list[str]) -> dict[str, float | None]:
    """The calibration measures of `justice_world.calibration`, pooled over ``quarters``."""
    in_list = ", ".join(f"'{quarter}'" for quarter in quarters)
    row = _one(
        con,
        f"""
        select
            avg(is_reoffender::int) filter (where is_juvenile) as juvenile_rate,
            avg(is_reoffender::int) filter (where not is_juvenile) as adult_rate,
            avg(is_reoffender::int) as overall_rate,
            avg(is_reoffender::int) filter (
                where not is_juvenile and index_event_type = 'custody_release' and sentence_length_days < 365
            ) as adult_custody_under_12_months_rate,
            sum(reoffences) / nullif(count(*) filter (where is_reoffender), 0) as reoffences_per_reoffender,
            avg(is_juvenile::int) as juvenile_share_of_cohort,
            count(*) / count(distinct cohort_quarter) as offenders_per_quarter
        from {relation}
        where has_complete_follow_up and cohort_quarter in ({in_list})
    """,
    )
    names = (
        "juvenile_rate",
        "adult_rate",
        "overall_rate",
        "adult_custody_under_12_months_rate",
        "reoffences_per_reoffender",
        "juvenile_share_of_cohort",
        "offenders_per_quarter",
    )
    assert row is not None
    return {name: None if value is None else round(float(value), 4) for name, value in zip(names, row, strict=True)}


def _table_exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    found = _one(
        con,
        "select count(*) from information_schema.tables where table_catalog = 'wh' and table_schema = ? "
        "and table_name = ?",
        [schema, table],
    )
    return bool(found and found[0])


def sources_of_difference(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[str, str, int]]]:
    """Rows quarantined in staging and records left out of the linked layer, by table and reason."""
    out: dict[str, list[tuple[str, str, int]]] = {}
    if _table_exists(con, "audit", "quarantine"):
        out["quarantined in staging"] = [
            (str(t), str(r), int(n))
            for t, r, n in con.sql("""
                select source_table, string_agg(distinct reason, ', ' order by reason), count(*)
                from wh.audit.quarantine group by source_table order by source_table
            """).fetchall()
        ]
    if _table_exists(con, "audit", "linked_exclusions"):
        out["left out of the linked layer"] = [
            (str(t), str(r), int(n))
            for t, r, n in con.sql(
                "select linked_table, reason, count(*) from wh.audit.linked_exclusions group by all order by all"
            ).fetchall()
        ]
    return out


def linkage_quality(con: duckdb.DuckDBPyConnection) -> dict[str, float]:
    if not _table_exists(con, "evaluation", "linkage_quality"):
        return {}
    row = _one(
        con,
        """
        select pairwise_precision, pairwise_recall from wh.evaluation.linkage_quality
        where scope = 'overall' and is_chosen_threshold
    """,
    )
    return {} if row is None else {"pairwise_precision": float(row[0]), "pairwise_recall": float(row[1])}


def record_agreement(con: duckdb.DuckDBPyConnection, truth_dir: Path) -> dict[str, int]:
    """How the two complete cohorts agree record by record: each linked person is matched to the true person
    behind most of its records; a truth record then has a derived record of the same person and quarter."""
    if not (truth_dir / "person_records.parquet").exists():
        return {}
    con.execute(f"""
        create or replace temp table person_map as
        with votes as (
            select links.person_id, records.true_person_id, count(*) as records
            from wh.linked.person_links as links
            inner join read_parquet('{truth_dir.as_posix()}/person_records.parquet') as records
                on links.source_table = records.source_table and links.source_record_id = records.source_record_id
            group by links.person_id, records.true_person_id
        )
        select person_id, true_person_id from votes
        qualify row_number() over (partition by person_id order by records desc, true_person_id) = 1
    """)
    row = _one(
        con,
        """
        with derived as (
            select d.*, m.true_person_id
            from wh.derived.proven_reoffending as d
            left join person_map as m using (person_id)
            where d.has_complete_follow_up
        ),
        truth as (select * from truth_cohort where has_complete_follow_up),
        joined as (
            select
                t.true_person_id is not null as in_truth,
                d.person_id is not null as in_derived,
                t.true_person_id,
                t.cohort_quarter,
                t.index_date = d.index_date and t.index_event_type = d.index_event_type as same_index_event,
                t.is_reoffender = d.is_reoffender as same_reoffender,
                t.reoffences = d.reoffences as same_reoffences,
                t.previous_offences = d.previous_offences as same_previous_offences
            from truth as t
            full join derived as d
                on t.true_person_id = d.true_person_id and t.cohort_quarter = d.cohort_quarter
        ),
        -- one row per truth record found in the derived cohort (its best derived match)
        matched as (
            select *
            from joined
            where in_truth and in_derived
            qualify row_number() over (
                partition by true_person_id, cohort_quarter
                order by same_index_event desc, same_reoffender desc, same_reoffences desc
            ) = 1
        )
        select
            (select count(*) from truth),
            (select count(*) from derived),
            (select count(*) from matched),
            (select count(*) from truth) - (select count(*) from matched),
            (select count(*) from joined where in_derived and not in_truth),
            (select count(*) from matched where same_index_event),
            (select count(*) from matched where same_reoffender),
            (select count(*) from matched where same_reoffences),
            (select count(*) from matched where same_previous_offences)
    """,
    )
    names = (
        "truth_records",
        "derived_records",
        "matched",
        "truth_only",
        "derived_only",
        "same_index_event",
        "same_is_reoffender",
        "same_reoffences",
        "same_previous_offences",
    )
    assert row is not None
    return {name: int(value) for name, value in zip(names, row, strict=True)}


def validate(
    data_dir: Path,
    database: Path,
    *,
    tolerance_pp: float = 0.5,
    min_offenders: int = 1000,
    pooled_tolerance_pp: float = 1.0,
    quarters: int = 8,
    check_calibration: bool = True,
) -> Validation:
    as_of = data_as_of(data_dir)
    con = duckdb.connect()
    try:
        con.execute(f"attach '{database.as_posix()}' as wh (read_only)")
        con.register("truth_relation", cohort_relation(con, data_dir / "truth", as_of))
        con.execute("create temp table truth_cohort as select * from truth_relation")
        con.execute(
            "create temp view derived_cohort as select *, index_sentence_length_days as sentence_length_days "
            "from wh.derived.proven_reoffending"
        )
        truth_quarters = _headlines(con, "truth_cohort")
        derived_quarters = _headlines(con, "derived_cohort")
        comparisons = []
        pooled_truth, pooled_derived = Headline(), Headline()
        for quarter in sorted(set(truth_quarters) | set(derived_quarters)):
            t = truth_quarters.get(quarter, Headline())
            d = derived_quarters.get(quarter, Headline())
            pooled_truth.add(t)
            pooled_derived.add(d)
            checked = t.offenders >= min_offenders
            difference = _difference_pp(d.rate, t.rate)
            within = None if not checked else difference is not None and abs(difference) <= tolerance_pp
            comparisons.append(QuarterComparison(quarter, t, d, checked, within))
        latest = [q for q in sorted(derived_quarters)][-quarters:]
        return Validation(
            data_dir=str(data_dir),
            database=str(database),
            data_as_of=as_of.isoformat(),
            tolerance_pp=tolerance_pp,
            min_offenders=min_offenders,
            pooled_tolerance_pp=pooled_tolerance_pp,
            quarters=comparisons,
            pooled_truth=pooled_truth,
            pooled_derived=pooled_derived,
            calibration_quarters=latest,
            calibration_derived=calibration(con, "derived_cohort", latest),
            calibration_truth=calibration(con, "truth_cohort", latest),
            calibration_checked=check_calibration,
            sources_of_difference=sources_of_difference(con),
            agreement=record_agreement(con, data_dir / "truth"),
            linkage_quality=linkage_quality(con),
        )
    finally:
        con.close()


def _rate(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.2f}%"


def _pp(value: float | None) -> str:
    return "n/a" if value is None else f"{value:+.2f}"


def _number(value: float | None, digits: int = 2) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def markdown(v: Validation) -> str:
    lines = [
        "# Validation of derived.proven_reoffending against the ground truth",
        "",
        f"Warehouse {v.database}; truth {v.data_dir}/truth; data as of {v.data_as_of}. Complete cohort quarters "
        f"only. Rule: the proven reoffending rates of every quarter with at least {v.min_offenders:,} true "
        f"offenders differ by at most {v.tolerance_pp} percentage points (pp); pooled, by at most "
        f"{v.pooled_tolerance_pp} pp.",
        "",
        "## Headline measures per cohort quarter",
        "",
        "| Quarter | Offenders truth | Offenders derived | Rate truth | Rate derived | Difference (pp) "
        "| Reoffences per reoffender truth | derived | Checked |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for q in v.quarters:
        status = "n/a (small)" if not q.is_checked else ("ok" if q.within_tolerance else "**FAIL**")
        lines.append(
            f"| {q.cohort_quarter} | {q.truth.offenders:,} | {q.derived.offenders:,} | {_rate(q.truth.rate)} | "
            f"{_rate(q.derived.rate)} | {_pp(q.rate_difference_pp)} | {_number(q.truth.reoffences_per_reoffender)} "
            f"| {_number(q.derived.reoffences_per_reoffender)} | {status} |"
        )
    pt, pd_ = v.pooled_truth, v.pooled_derived
    lines += [
        f"| **All complete** | {pt.offenders:,} | {pd_.offenders:,} | {_rate(pt.rate)} | {_rate(pd_.rate)} | "
        f"{_pp(v.pooled_difference_pp)} | {_number(pt.reoffences_per_reoffender)} | "
        f"{_number(pd_.reoffences_per_reoffender)} | {'ok' if v.pooled_ok else '**FAIL**'} |",
        "",
        "## Juveniles and adults per cohort quarter",
        "",
        "| Quarter | Juveniles truth | derived | Juvenile rate truth | derived | pp | Adults truth | derived "
        "| Adult rate truth | derived | pp |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for q in [*v.quarters, QuarterComparison("**All complete**", pt, pd_, False, None)]:
        t, d = q.truth, q.derived
        lines.append(
            f"| {q.cohort_quarter} | {t.juvenile_offenders:,} | {d.juvenile_offenders:,} | {_rate(t.juvenile_rate)} "
            f"| {_rate(d.juvenile_rate)} | {_pp(_difference_pp(d.juvenile_rate, t.juvenile_rate))} "
            f"| {t.adult_offenders:,} | {d.adult_offenders:,} | {_rate(t.adult_rate)} | {_rate(d.adult_rate)} "
            f"| {_pp(_difference_pp(d.adult_rate, t.adult_rate))} |"
        )
    lines += [
        "",
        f"## Calibration measures, latest {len(v.calibration_quarters)} complete quarters "
        f"({', '.join(v.calibration_quarters)})",
        "",
        "| Measure | Derived | Truth | Published range | Derived in range |",
        "|---|---:|---:|---|---|",
    ]
    for name, value in v.calibration_derived.items():
        bounds = CALIBRATION_RANGES.get(name)
        in_range = "" if bounds is None else ("yes" if value is not None and bounds[0] <= value <= bounds[1] else "NO")
        lines.append(
            f"| {name} | {value} | {v.calibration_truth.get(name)} | "
            f"{'' if bounds is None else f'{bounds[0]}-{bounds[1]}'} | {in_range} |"
        )
    if not v.calibration_checked:
        lines += ["", "(calibration ranges not enforced: `--no-calibration-check`)"]
    lines += ["", "## Where the differences come from", ""]
    if v.agreement:
        a = v.agreement
        matched = a["matched"] or 1
        lines += [
            "Record by record (complete cohorts; each linked person matched to the true person behind most of its "
            "records):",
            "",
            "| | Records | Share |",
            "|---|---:|---:|",
            f"| Truth cohort records | {a['truth_records']:,} | |",
            f"| Derived cohort records | {a['derived_records']:,} | |",
            f"| In both (same person and quarter) | {a['matched']:,} | {a['matched'] / max(a['truth_records'], 1):.2%}"
            " of truth |",
            f"| Truth only (person or event lost to quarantine or linkage) | {a['truth_only']:,} | |",
            f"| Derived only (a person split or merged by linkage) | {a['derived_only']:,} | |",
            f"| Same index date and event type | {a['same_index_event']:,} | {a['same_index_event'] / matched:.2%}"
            " of both |",
            f"| Same reoffender flag | {a['same_is_reoffender']:,} | {a['same_is_reoffender'] / matched:.2%} |",
            f"| Same number of reoffences | {a['same_reoffences']:,} | {a['same_reoffences'] / matched:.2%} |",
            f"| Same number of previous offences | {a['same_previous_offences']:,} | "
            f"{a['same_previous_offences'] / matched:.2%} |",
            "",
        ]
    if v.linkage_quality:
        lines += [
            f"Linkage quality at the chosen threshold (evaluation.linkage_quality): pairwise precision "
            f"{v.linkage_quality['pairwise_precision']:.4f}, recall {v.linkage_quality['pairwise_recall']:.4f}.",
            "",
        ]
    for title, rows in v.sources_of_difference.items():
        lines += [f"Rows {title}:", "", "| Table | Reasons | Rows |", "|---|---|---:|"]
        lines += [f"| {table} | {reason} | {n:,} |" for table, reason, n in rows]
        lines.append("")
    verdict = "PASS" if v.passed else "FAIL"
    problems = [
        *(f"{q.cohort_quarter}: {_pp(q.rate_difference_pp)} pp" for q in v.failing_quarters),
        *([] if v.pooled_ok else [f"pooled: {_pp(v.pooled_difference_pp)} pp"]),
        *v.calibration_failures,
    ]
    checked = sum(q.is_checked for q in v.quarters)
    lines.append(
        f"**{verdict}**: {checked} quarters checked, largest difference "
        f"{max((abs(q.rate_difference_pp or 0) for q in v.quarters if q.is_checked), default=0):.2f} pp; pooled "
        f"{_pp(v.pooled_difference_pp)} pp." + (" Problems: " + "; ".join(problems) + "." if problems else "")
    )
    return "\n".join(lines) + "\n"


def _json(v: Validation) -> dict[str, object]:
    payload = asdict(v)
    payload["quarters"] = [
        {
            "cohort_quarter": q.cohort_quarter,
            "offenders_truth": q.truth.offenders,
            "offenders_derived": q.derived.offenders,
            "rate_truth": q.truth.rate,
            "rate_derived": q.derived.rate,
            "rate_difference_pp": q.rate_difference_pp,
            "reoffences_per_reoffender_truth": q.truth.reoffences_per_reoffender,
            "reoffences_per_reoffender_derived": q.derived.reoffences_per_reoffender,
            "juvenile_rate_truth": q.truth.juvenile_rate,
            "juvenile_rate_derived": q.derived.juvenile_rate,
            "adult_rate_truth": q.truth.adult_rate,
            "adult_rate_derived": q.derived.adult_rate,
            "is_checked": q.is_checked,
            "within_tolerance": q.within_tolerance,
        }
        for q in v.quarters
    ]
    payload["pooled_difference_pp"] = v.pooled_difference_pp
    payload["calibration_failures"] = v.calibration_failures
    payload["passed"] = v.passed
    return payload


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True, help="the world: its truth/ (skipped without one)")
    parser.add_argument("--database", type=Path, default=None, help="default: DATA_DIR/warehouse.duckdb")
    parser.add_argument("--tolerance-pp", type=float, default=0.5)
    parser.add_argument("--min-offenders", type=int, default=1000)
    parser.add_argument("--pooled-tolerance-pp", type=float, default=1.0)
    parser.add_argument("--quarters", type=int, default=8, help="latest complete quarters for calibration")
    parser.add_argument("--no-calibration-check", action="store_true", help="report the calibration ranges only")
    parser.add_argument("--report-dir", type=Path, default=None, help="default: DATA_DIR/reports")
    args = parser.parse_args(argv)
    database = args.database or args.data_dir / "warehouse.duckdb"
    truth = args.data_dir / "truth"
    if not (truth / "index_events.parquet").exists():
        print(
            f"validate_derived: skipped: no ground truth ({truth / 'index_events.parquet'} is missing, as for every "
            "real extract), so the derived layer is not compared with it",
            file=sys.stderr,
        )
        return 0
    for needed in (database, truth / MANIFEST_NAME):
        if not needed.exists():
            print(f"validate_derived: {needed} is missing", file=sys.stderr)
            return 2
    v = validate(
        args.data_dir,
        database,
        tolerance_pp=args.tolerance_pp,
        min_offenders=args.min_offenders,
        pooled_tolerance_pp=args.pooled_tolerance_pp,
        quarters=args.quarters,
        check_calibration=not args.no_calibration_check,
    )
    text = markdown(v)
    report_dir = args.report_dir or args.data_dir / "reports"
    report_dir.mkdir(parents=True, exist_ok=True)
    (report_dir / "validate_derived.md").write_text(text)
    (report_dir / "validate_derived.json").write_text(json.dumps(_json(v), indent=2, default=str) + "\n")
    print(text)
    print(f"(written to {report_dir / 'validate_derived.md'} and {report_dir / 'validate_derived.json'})")
    return 0 if v.passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
