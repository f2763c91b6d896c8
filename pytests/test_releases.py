"""Releases end to end, on the scenario of pytests/releases.py (run once per session, shared with
pytests/test_person_ids.py): a first extract published; three builds of the next extract killed at three
points; a fourth that succeeds while analysts read and a second build is refused; rollback.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb

from releases import SECOND_AS_OF, Scenario, digest
from repeat_offending.linkage.saved_model import ESTIMATED_IN, MODEL_FILE, term_frequency_file
from repeat_offending.release import ledger
from repeat_offending.release.layout import Layout
from repeat_offending_tools.linkage_quality import THRESHOLDS


def test_a_killed_build_publishes_nothing_and_leaves_the_last_release_intact(release_scenario: Scenario) -> None:
    assert [check["point"] for check in release_scenario.after_kill] == ["seed", "build", "before publication"]
    for check in release_scenario.after_kill:
        assert check == {
            "point": check["point"],
            "published": release_scenario.first,
            "intact": True,
            "readable": True,
            "lock_free": True,
        }


def test_the_next_build_records_killed_builds_as_abandoned_and_removes_their_files(release_scenario: Scenario) -> None:
    layout = Layout(release_scenario.data_dir)
    outcomes = {build.release_id: build for build in ledger.builds(layout.ledger)}
    for killed in release_scenario.killed:
        assert outcomes[killed].outcome == "abandoned"
        assert outcomes[killed].pruned
        assert not layout.database(killed).exists() and not layout.folder(killed).exists()
    with duckdb.connect(str(layout.published_link), read_only=True) as con:
        rows = dict(con.execute("select release_id, outcome from audit.release").fetchall())
    expected = {release_scenario.first: "published", **dict.fromkeys(release_scenario.killed, "abandoned")}
    assert rows == {**expected, release_scenario.second: "published"}


def test_the_build_after_the_kills_succeeds_and_is_published(release_scenario: Scenario) -> None:
    assert release_scenario.second.startswith(SECOND_AS_OF) and release_scenario.second != release_scenario.first
    last_line = release_scenario.build_output.strip().splitlines()[-1]
    assert last_line.startswith(f"release {release_scenario.second} published as ")
    assert f"(previous: {release_scenario.first})" in last_line
    layout = Layout(release_scenario.data_dir)
    assert os.readlink(layout.published_link) == f"releases/{release_scenario.second}.duckdb"
    assert not (layout.database(release_scenario.second).stat().st_mode & 0o222), "a published release is read-only"


def test_readers_see_no_error_and_one_whole_release_per_query(release_scenario: Scenario) -> None:
    errors = [line for line in release_scenario.reader_lines if "error" in line]
    assert not errors, errors[:5]
    seen = [line["release"] for line in release_scenario.reader_lines]
    assert len(seen) > 20, "the reader barely ran"
    assert set(seen) == {release_scenario.first, release_scenario.second}
    switch = seen.index(release_scenario.second)
    assert all(release == release_scenario.first for release in seen[:switch])
    assert all(release == release_scenario.second for release in seen[switch:]), "a reader went back to the old release"
    for line in release_scenario.reader_lines:
        assert line["counted"] == line["recorded"], f"a query saw a table of one release and counts of another: {line}"
    assert release_scenario.session_release == release_scenario.first, "an open session keeps the release it opened"


def test_a_second_build_started_during_a_build_stops_at_once(release_scenario: Scenario) -> None:
    returncode, output, seconds = release_scenario.second_attempt
    assert returncode != 0
    assert "another build is running on" in output
    assert f"Published release: {release_scenario.first}." in output
    assert seconds < 60


def test_rollback_publishes_an_earlier_release_and_only_one_that_passed(release_scenario: Scenario) -> None:
    layout = Layout(release_scenario.data_dir)
    release = [str(Path(sys.executable).with_name("release")), "publish", "--data-dir", str(release_scenario.data_dir)]
    back = subprocess.run([*release, release_scenario.first], capture_output=True, text=True, check=False)
    assert back.returncode == 0, back.stderr
    assert layout.published() == release_scenario.first
    with duckdb.connect(str(layout.published_link), read_only=True) as con:
        assert digest(layout.database(release_scenario.first)) == release_scenario.first_digest
        assert con.execute("select count(*) from derived.proven_reoffending").fetchall()[0][0] > 0
    refused = subprocess.run([*release, release_scenario.killed[0]], capture_output=True, text=True, check=False)
    assert refused.returncode != 0 and "did not pass its checks" in refused.stderr
    assert layout.published() == release_scenario.first
    forward = subprocess.run([*release, release_scenario.second], capture_output=True, text=True, check=False)
    assert forward.returncode == 0, forward.stderr
    assert layout.published() == release_scenario.second
    by = [event.get("by") for event in ledger.events(layout.ledger) if event["event"] == "published"]
    assert by[-2:] == ["rollback", "rollback"]


def test_the_release_table_docs_report_and_export_name_the_release(release_scenario: Scenario) -> None:
    layout = Layout(release_scenario.data_dir)
    folder = layout.folder(release_scenario.second)
    with duckdb.connect(str(layout.database(release_scenario.second)), read_only=True) as con:
        row = con.execute(
            "select outcome, is_published, data_as_of, git_commit, dbt_version, duckdb_version, row_counts, "
            "tests_passed, tests_failed, linkage_precision, extract_dates, parameters "
            "from audit.release where release_id = ?",
            [release_scenario.second],
        ).fetchall()[0]
    outcome, published, data_as_of, commit, dbt_version, duckdb_version, counts, passed, failed, precision = row[:10]
    assert (outcome, published, str(data_as_of)) == ("published", True, SECOND_AS_OF)
    assert commit and dbt_version.startswith("1.11") and duckdb_version.startswith("2.0")
    assert json.loads(counts)["derived.proven_reoffending"] > 0
    assert passed > 500 and failed == 0 and precision > 0.99
    assert json.loads(row[10]) and json.loads(row[11])["previous_release"] == release_scenario.first
    assert f"- Release: {release_scenario.second}" in (folder / "research" / "README.md").read_text()
    assert release_scenario.second in (folder / "reports" / "data_quality_report.html").read_text()
    manifest = json.loads((folder / "target" / "manifest.json").read_text())
    description = manifest["nodes"]["model.repeat_offending.audit__release"]["description"]
    assert f"describes release `{release_scenario.second}`" in description


def test_linkage_quality_covers_the_curve_unless_the_build_asks_for_its_own_threshold_only(
    release_scenario: Scenario,
) -> None:
    """The first release was built with LINKAGE_THRESHOLDS=chosen, the second with the default (all)."""
    layout = Layout(release_scenario.data_dir)
    measured = {}
    for release in (release_scenario.first, release_scenario.second):
        with duckdb.connect(str(layout.database(release)), read_only=True) as con:
            thresholds = con.execute(
                "select match_threshold, bool_or(is_chosen_threshold) from evaluation.linkage_quality "
                "where scope = 'overall' group by all order by 1"
            ).fetchall()
            parameters = json.loads(
                con.execute("select parameters from audit.release where release_id = ?", [release]).fetchall()[0][0]
            )
        measured[release] = (thresholds, parameters["linkage_thresholds"])
    first, second = measured[release_scenario.first], measured[release_scenario.second]
    assert first[1] == "chosen" and len(first[0]) == 1 and first[0][0][1]
    assert second[1] == "all" and len(second[0]) == len(THRESHOLDS) and sum(chosen for _, chosen in second[0]) == 1


def test_person_ids_carry_over_from_the_published_release(release_scenario: Scenario) -> None:
    """The release tool attaches the published release as the previous one: the second release measures its
    ids against the first (the rules themselves: pytests/test_person_ids.py)."""
    layout = Layout(release_scenario.data_dir)
    with duckdb.connect(str(layout.database(release_scenario.second)), read_only=True) as con:
        has_previous, unchanged, keeping, retired, explained = con.execute(
            "select has_previous_release, unchanged_people, unchanged_people_keeping_id, retired_person_ids, "
            "retired_with_successor + retired_with_reason_only from audit.person_id_stability"
        ).fetchall()[0]
        kept = con.execute(
            "select count(*) from linked.person_links as l "
            "inner join linkage.previous_person_links as p on l.record_id = p.record_id and l.person_id = p.person_id"
        ).fetchall()[0][0]
        history_release = con.execute(
            "select count(*) from linked.person_id_history where release_id != ?", [release_scenario.second]
        ).fetchall()[0][0]
    assert has_previous and unchanged > 1000
    assert keeping / unchanged >= 0.995
    assert retired == explained
    assert kept > 0.9 * unchanged
    assert history_release == 0, "the first release had no previous release, so no history of its own"


def test_the_second_release_scores_with_the_first_releases_linkage_model(release_scenario: Scenario) -> None:
    """The first release estimated its model (the default); the second, built with LINKAGE_MODEL=previous,
    scored with that model and saved it unchanged, still naming the release that estimated it."""
    layout = Layout(release_scenario.data_dir)
    first, second = release_scenario.first, release_scenario.second
    saved = {release: json.loads((layout.folder(release) / MODEL_FILE).read_text()) for release in (first, second)}
    assert saved[first][ESTIMATED_IN] == first
    assert saved[second] == saved[first]
    assert 0 < saved[first]["probability_two_random_records_match"] < 1
    for name in ("forename", "surname"):  # the term-frequency lookups too (the second extract has more names)
        lookups = [term_frequency_file(layout.folder(release), name) for release in (first, second)]
        with duckdb.connect() as con:
            rows = [con.execute(f"select * from read_parquet('{path}') order by 1").fetchall() for path in lookups]
        assert len(rows[0]) > 100 and rows[1] == rows[0]
    parameters = {}
    for release in (first, second):
        with duckdb.connect(str(layout.database(release)), read_only=True) as con:
            parameters[release] = json.loads(
                con.execute("select parameters from audit.release where release_id = ?", [release]).fetchall()[0][0]
            )
    assert parameters[first]["linkage_model"] == "estimate"
    assert parameters[second]["linkage_model"] == "previous"
