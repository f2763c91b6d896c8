"""Source freshness against the extract's data_as_of (docs/methodology.md section 10, macros/freshness/).

On a changed copy of the test world's raw files, one table extracted 10 days before the others warns, one
extracted 40 days before errors, an empty table passes (the raw contract judges it), and every other table,
extracted with the newest, passes with age 0: the age is measured at the newest extract time, not the clock
(the world is as of its own date, long past). `dbt source freshness` runs on the in-memory `lint` target: it
only reads the raw files. A release build of an extract with a stale source is not published.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow as pa

from extracts import copy_extract, make_build, read_raw, write_raw
from repeat_offending.project import PROJECT_ROOT
from repeat_offending.release import ledger
from repeat_offending.release.layout import Layout

DBT = str(Path(sys.executable).with_name("dbt"))
DAY = 24 * 3600


def _days_before(day: str, days: int) -> str:
    return (dt.date.fromisoformat(day) - dt.timedelta(days=days)).isoformat()


def _with_extract_time(data: pa.Table, stamp: str) -> pa.Table:
    index = data.schema.get_field_index("extracted_at")
    return data.set_column(index, "extracted_at", pa.array([stamp] * data.num_rows, pa.string()))


def _freshness(data_dir: Path, *args: str) -> tuple[int, str, dict[str, dict[str, object]]]:
    completed = subprocess.run(
        [
            DBT,
            "source",
            "freshness",
            *args,
            "--profiles-dir",
            str(PROJECT_ROOT),
            "--project-dir",
            str(PROJECT_ROOT),
            "--target",
            "lint",
            "--target-path",
            str(data_dir / "target"),
            "--log-path",
            str(data_dir / "logs"),
        ],
        cwd=PROJECT_ROOT,
        env={**os.environ, "DATA_DIR": str(data_dir), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    results = json.loads((data_dir / "target" / "sources.json").read_text())["results"]
    by_table = {r["unique_id"].split(".", 2)[-1]: r for r in results}
    return completed.returncode, completed.stdout + completed.stderr, by_table


def test_a_lagging_source_warns_a_stale_one_errors_against_data_as_of(built_world: Path, tmp_path: Path) -> None:
    data_dir = copy_extract(built_world, tmp_path / "extract")
    newest = str(read_raw(data_dir, "pnc", "offence_outcomes").column("extracted_at")[0])
    assert newest.endswith(" 23:59:59"), newest  # the generator's extract time: the end of data_as_of
    day = newest[:10]
    lagging = _with_extract_time(read_raw(data_dir, "pnc", "persons"), f"{_days_before(day, 10)} 23:59:59")
    write_raw(data_dir, "pnc", "persons", lagging)
    stale = _with_extract_time(read_raw(data_dir, "oasys", "assessments"), f"{_days_before(day, 40)} 23:59:59")
    write_raw(data_dir, "oasys", "assessments", stale)
    write_raw(data_dir, "probation", "events", read_raw(data_dir, "probation", "events").slice(0, 0))

    code, output, results = _freshness(data_dir)
    assert code != 0, output  # an error-level stale source fails the command (and so the release build)
    statuses = {table: result["status"] for table, result in results.items()}
    assert statuses.pop("pnc.persons") == "warn", output
    assert statuses.pop("oasys.assessments") == "error", output
    assert set(statuses.values()) == {"pass"}, statuses  # probation.events (empty) among them
    assert len(statuses) == 8
    assert results["pnc.persons"]["max_loaded_at_time_ago_in_s"] == 10 * DAY
    assert results["courts.cases"]["max_loaded_at_time_ago_in_s"] == 0
    assert {r["snapshotted_at"][:19] for r in results.values()} == {newest.replace(" ", "T")}

    # Against the clock instead (a live deployment), the whole historical extract is stale.
    code, output, results = _freshness(data_dir, "--vars", "{source_freshness_as_of: now}")
    assert code != 0, output
    assert results["courts.cases"]["status"] == "error", output


def test_every_source_says_how_it_is_loaded_and_measured(built_world: Path, tmp_path: Path) -> None:
    """Every source has a `loader`; every raw one the data_as_of freshness query (write-sources-yaml)."""
    data_dir = copy_extract(built_world, tmp_path / "extract")
    code, output, results = _freshness(data_dir)
    assert code == 0, output
    assert {r["status"] for r in results.values()} == {"pass"}, output
    sources = json.loads((data_dir / "target" / "manifest.json").read_text())["sources"].values()
    assert all(source["loader"] for source in sources), [s["unique_id"] for s in sources if not s["loader"]]
    raw = [source for source in sources if source["freshness"] and source["freshness"]["error_after"]["count"]]
    assert sorted(f"{s['source_name']}.{s['name']}" for s in raw) == sorted(results)
    assert len(raw) == 10
    for source in raw:
        assert source["loader"] == "parquet_files", source["unique_id"]
        assert source["loaded_at_query"] == "{{ source_loaded_at(this) }}", source["unique_id"]
        assert source["freshness"]["warn_after"] == {"count": 2, "period": "day"}
        assert source["freshness"]["error_after"] == {"count": 35, "period": "day"}


def test_a_source_far_behind_the_others_fails_the_release(built_world: Path, tmp_path: Path) -> None:
    """A table extracted 40 days before the rest is an error of source freshness: the build is not published,
    and the ledger and the last line name the stale table."""
    data_dir = copy_extract(built_world, tmp_path / "data", manifest=False, truth=False)
    data = read_raw(data_dir, "oasys", "assessments")
    stamp = str(data.column("extracted_at")[0])
    stale = _with_extract_time(data, f"{_days_before(stamp[:10], 40)} 23:59:59")
    write_raw(data_dir, "oasys", "assessments", stale)
    result = make_build(data_dir, data_tests=False)  # the build passes; its data tests are not the point here
    assert result.returncode != 0, result.output[-5000:]
    assert Layout(data_dir).published() is None
    (build,) = ledger.builds(Layout(data_dir).ledger)
    assert build.outcome == "failed"
    assert build.reason is not None and build.reason.startswith("dbt source freshness failed"), build.reason
    assert "oasys.assessments" in build.reason, build.reason
    assert f"release {build.release_id} NOT published: {build.reason}" in result.output
