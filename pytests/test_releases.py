"""Releases end to end: `make build` on two successive extracts of one small world in one DATA_DIR.

One scenario, run once for the module (it costs five partial or whole builds of a 2,500-person world):

1. the first extract (data as of 2024-12-31) is built and published (release 1);
2. the second extract (2025-06-30) replaces it in DATA_DIR, and three builds of it are killed (SIGKILL to the
   whole process group) at three points: during `dbt seed`, in the middle of `dbt build`, and after every check
   passed, while the docs are generated (just before publication). After each, release 1 is still published,
   byte for byte, and the build lock is free;
3. the fourth build of the second extract runs while an analyst's session stays open on the warehouse and
   another process opens it read-only and queries it in a loop, and while a second `make build` is started:
   that one stops at once; the readers see no error, and every query sees release 1 or release 2, whole;
4. rollback to release 1 and back.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest

from extracts import PROJECT_ROOT, copy_extract, make_build
from repeat_offending.release import ledger
from repeat_offending.release.layout import Layout
from repeat_offending.release.lock import build_lock

PEOPLE = 2500
SEED = 11
FIRST_AS_OF = "2024-12-31"
SECOND_AS_OF = "2025-06-30"

READER = r"""
import json, sys, time, duckdb
warehouse, stop, out = sys.argv[1], sys.argv[2], sys.argv[3]
import os
with open(out, "w") as log:
    while not os.path.exists(stop):
        try:
            with duckdb.connect(warehouse, read_only=True) as con:
                release = con.execute(
                    "select release_id from audit.release where is_published order by started_at desc limit 1"
                ).fetchall()[0][0]
                counted = con.execute(
                    "select (select count(*) from derived.proven_reoffending), "
                    "(select count(*) from linked.person_links)"
                ).fetchall()[0]
                recorded = dict(con.execute(
                    "select relation_name, row_count from audit.row_counts "
                    "where relation_name in ('derived.proven_reoffending', 'linked.person_links')"
                ).fetchall())
            recorded = [recorded["derived.proven_reoffending"], recorded["linked.person_links"]]
            log.write(json.dumps({"release": release, "counted": list(counted), "recorded": recorded}) + "\n")
        except Exception as error:
            log.write(json.dumps({"error": type(error).__name__ + ": " + str(error)[:300]}) + "\n")
        log.flush()
        time.sleep(0.05)
"""


def _generate(folder: Path, as_of: str) -> Path:
    subprocess.run(
        [
            str(Path(sys.executable).with_name("generate")),
            *("--people", str(PEOPLE), "--seed", str(SEED), "--as-of", as_of, "--data-dir", str(folder)),
        ],
        check=True,
        capture_output=True,
    )
    return folder


def _use_extract(world: Path, data_dir: Path) -> None:
    """Put ``world``'s raw files and truth into DATA_DIR as an extract (the test's own copies)."""
    for name in ("raw", "truth"):
        shutil.rmtree(data_dir / name, ignore_errors=True)
    copy_extract(world, data_dir, truth=True)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES")}


def _start_build(data_dir: Path, output: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        ["make", "build", f"DATA_DIR={data_dir}", "DBT_TARGET=ci"],
        cwd=PROJECT_ROOT,
        env=_environment(),
        stdout=output.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _wait_for(condition: object, process: subprocess.Popen[bytes], timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if process.poll() is not None:
            raise AssertionError(f"the build ended (exit {process.returncode}) before the point to kill it")
        if time.monotonic() > deadline:
            raise AssertionError("the build never reached the point to kill it")
        time.sleep(0.2)


def _new_build(layout: Layout, known: set[str]) -> str | None:
    found = [build.release_id for build in ledger.builds(layout.ledger) if build.release_id not in known]
    return found[-1] if found else None


@dataclass
class Scenario:
    data_dir: Path
    first: str
    second: str
    first_digest: str
    killed: list[str] = field(default_factory=list)
    after_kill: list[dict[str, object]] = field(default_factory=list)
    reader_lines: list[dict[str, object]] = field(default_factory=list)
    session_release: str | None = None
    second_attempt: tuple[int, str, float] = (0, "", 0.0)
    build_output: str = ""


def _check_after_kill(layout: Layout, first: str, first_digest: str) -> dict[str, object]:
    free = True
    try:
        with build_lock(layout, "test"):
            pass
    except Exception:
        free = False
    with duckdb.connect(str(layout.published_link), read_only=True) as con:
        readable = con.execute("select count(*) from derived.proven_reoffending").fetchall()[0][0] > 0
    return {
        "published": layout.published(),
        "intact": _digest(layout.database(first)) == first_digest,
        "readable": readable,
        "lock_free": free,
    }


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    root = tmp_path_factory.mktemp("releases")
    first_world = _generate(root / "world_1", FIRST_AS_OF)
    second_world = _generate(root / "world_2", SECOND_AS_OF)
    data_dir = root / "data"
    data_dir.mkdir()
    layout = Layout(data_dir)

    _use_extract(first_world, data_dir)
    built = make_build(data_dir)
    assert built.returncode == 0, built.output[-5000:]
    first = layout.published()
    assert first is not None and first.startswith(FIRST_AS_OF)
    first_digest = _digest(layout.database(first))

    _use_extract(second_world, data_dir)
    result = Scenario(data_dir, first, "", first_digest)
    points = {
        "seed": lambda build, out: (layout.folder(build) / "logs" / "dbt.log").exists(),
        "build": lambda build, out: "linked__person_links" in _read(layout.folder(build) / "logs" / "dbt.log"),
        "before publication": lambda build, out: "dbt docs generate" in _read(out),
    }
    for name, reached in points.items():
        known = {build.release_id for build in ledger.builds(layout.ledger)}
        output = root / f"killed_{name.replace(' ', '_')}.log"
        process = _start_build(data_dir, output)
        _wait_for(lambda known=known: _new_build(layout, known) is not None, process)
        build = _new_build(layout, known)
        assert build is not None
        _wait_for(lambda build=build, output=output, reached=reached: reached(build, output), process)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        time.sleep(0.5)
        result.killed.append(build)
        result.after_kill.append({"point": name, **_check_after_kill(layout, first, first_digest)})

    stop, reader_out = root / "stop_reader", root / "reader.jsonl"
    reader = subprocess.Popen([sys.executable, "-c", READER, str(layout.published_link), str(stop), str(reader_out)])
    session = duckdb.connect(str(layout.published_link), read_only=True)  # an analyst's session, left open
    output = root / "build_2.log"
    known = {build.release_id for build in ledger.builds(layout.ledger)}
    process = _start_build(data_dir, output)
    _wait_for(lambda: _new_build(layout, known) is not None, process)
    started = time.monotonic()
    second_attempt = make_build(data_dir, timeout=120)
    result.second_attempt = (second_attempt.returncode, second_attempt.output, time.monotonic() - started)
    assert process.wait(timeout=1200) == 0, _read(output)[-5000:]
    time.sleep(1.0)  # the reader queries the new release too
    stop.touch()
    reader.wait(timeout=60)
    result.session_release = session.execute(
        "select release_id from audit.release where is_published order by started_at desc limit 1"
    ).fetchall()[0][0]
    session.close()
    result.reader_lines = [json.loads(line) for line in reader_out.read_text().splitlines() if line.strip()]
    result.second = layout.published() or ""
    result.build_output = _read(output)
    return result


def _read(path: Path) -> str:
    return path.read_text(errors="replace") if path.exists() else ""


def test_a_killed_build_publishes_nothing_and_leaves_the_last_release_intact(scenario: Scenario) -> None:
    assert [check["point"] for check in scenario.after_kill] == ["seed", "build", "before publication"]
    for check in scenario.after_kill:
        assert check == {
            "point": check["point"],
            "published": scenario.first,
            "intact": True,
            "readable": True,
            "lock_free": True,
        }


def test_the_next_build_records_killed_builds_as_abandoned_and_removes_their_files(scenario: Scenario) -> None:
    layout = Layout(scenario.data_dir)
    outcomes = {build.release_id: build for build in ledger.builds(layout.ledger)}
    for killed in scenario.killed:
        assert outcomes[killed].outcome == "abandoned"
        assert outcomes[killed].pruned
        assert not layout.database(killed).exists() and not layout.folder(killed).exists()
    with duckdb.connect(str(layout.published_link), read_only=True) as con:
        rows = dict(con.execute("select release_id, outcome from audit.release").fetchall())
    expected = {scenario.first: "published", **dict.fromkeys(scenario.killed, "abandoned")}
    assert rows == {**expected, scenario.second: "published"}


def test_the_build_after_the_kills_succeeds_and_is_published(scenario: Scenario) -> None:
    assert scenario.second.startswith(SECOND_AS_OF) and scenario.second != scenario.first
    last_line = scenario.build_output.strip().splitlines()[-1]
    assert last_line.startswith(f"release {scenario.second} published as ")
    assert f"(previous: {scenario.first})" in last_line
    layout = Layout(scenario.data_dir)
    assert os.readlink(layout.published_link) == f"releases/{scenario.second}.duckdb"
    assert not (layout.database(scenario.second).stat().st_mode & 0o222), "a published release is read-only"


def test_readers_see_no_error_and_one_whole_release_per_query(scenario: Scenario) -> None:
    errors = [line for line in scenario.reader_lines if "error" in line]
    assert not errors, errors[:5]
    seen = [line["release"] for line in scenario.reader_lines]
    assert len(seen) > 20, "the reader barely ran"
    assert set(seen) == {scenario.first, scenario.second}
    switch = seen.index(scenario.second)
    assert all(release == scenario.first for release in seen[:switch])
    assert all(release == scenario.second for release in seen[switch:]), "a reader went back to the old release"
    for line in scenario.reader_lines:
        assert line["counted"] == line["recorded"], f"a query saw a table of one release and counts of another: {line}"
    assert scenario.session_release == scenario.first, "an open session keeps the release it opened"


def test_a_second_build_started_during_a_build_stops_at_once(scenario: Scenario) -> None:
    returncode, output, seconds = scenario.second_attempt
    assert returncode != 0
    assert "another build is running on" in output
    assert f"Published release: {scenario.first}." in output
    assert seconds < 60


def test_rollback_publishes_an_earlier_release_and_only_one_that_passed(scenario: Scenario) -> None:
    layout = Layout(scenario.data_dir)
    release = [str(Path(sys.executable).with_name("release")), "publish", "--data-dir", str(scenario.data_dir)]
    back = subprocess.run([*release, scenario.first], capture_output=True, text=True, check=False)
    assert back.returncode == 0, back.stderr
    assert layout.published() == scenario.first
    with duckdb.connect(str(layout.published_link), read_only=True) as con:
        assert _digest(layout.database(scenario.first)) == scenario.first_digest
        assert con.execute("select count(*) from derived.proven_reoffending").fetchall()[0][0] > 0
    refused = subprocess.run([*release, scenario.killed[0]], capture_output=True, text=True, check=False)
    assert refused.returncode != 0 and "did not pass its checks" in refused.stderr
    assert layout.published() == scenario.first
    forward = subprocess.run([*release, scenario.second], capture_output=True, text=True, check=False)
    assert forward.returncode == 0, forward.stderr
    assert layout.published() == scenario.second
    by = [event.get("by") for event in ledger.events(layout.ledger) if event["event"] == "published"]
    assert by[-2:] == ["rollback", "rollback"]


def test_the_release_table_docs_report_and_export_name_the_release(scenario: Scenario) -> None:
    layout = Layout(scenario.data_dir)
    folder = layout.folder(scenario.second)
    with duckdb.connect(str(layout.database(scenario.second)), read_only=True) as con:
        row = con.execute(
            "select outcome, is_published, data_as_of, git_commit, dbt_version, duckdb_version, row_counts, "
            "tests_passed, tests_failed, linkage_precision, extract_dates, parameters "
            "from audit.release where release_id = ?",
            [scenario.second],
        ).fetchall()[0]
    outcome, published, data_as_of, commit, dbt_version, duckdb_version, counts, passed, failed, precision = row[:10]
    assert (outcome, published, str(data_as_of)) == ("published", True, SECOND_AS_OF)
    assert commit and dbt_version.startswith("1.11") and duckdb_version.startswith("2.0")
    assert json.loads(counts)["derived.proven_reoffending"] > 0
    assert passed > 500 and failed == 0 and precision > 0.99
    assert json.loads(row[10]) and json.loads(row[11])["previous_release"] == scenario.first
    assert f"- Release: {scenario.second}" in (folder / "research" / "README.md").read_text()
    assert scenario.second in (folder / "reports" / "data_quality_report.html").read_text()
    manifest = json.loads((folder / "target" / "manifest.json").read_text())
    description = manifest["nodes"]["model.repeat_offending.audit__release"]["description"]
    assert f"describes release `{scenario.second}`" in description


def test_person_ids_carry_over_from_the_published_release(scenario: Scenario) -> None:
    """The release tool attaches the published release as the previous one: the second release measures its
    ids against the first (the rules themselves: pytests/test_person_ids.py)."""
    layout = Layout(scenario.data_dir)
    with duckdb.connect(str(layout.database(scenario.second)), read_only=True) as con:
        has_previous, unchanged, keeping, retired, explained = con.execute(
            "select has_previous_release, unchanged_people, unchanged_people_keeping_id, retired_person_ids, "
            "retired_with_successor + retired_with_reason_only from audit.person_id_stability"
        ).fetchall()[0]
        kept = con.execute(
            "select count(*) from linked.person_links as l "
            "inner join linkage.previous_person_links as p on l.record_id = p.record_id and l.person_id = p.person_id"
        ).fetchall()[0][0]
        history_release = con.execute(
            "select count(*) from linked.person_id_history where release_id != ?", [scenario.second]
        ).fetchall()[0][0]
    assert has_previous and unchanged > 1000
    assert keeping / unchanged >= 0.995
    assert retired == explained
    assert kept > 0.9 * unchanged
    assert history_release == 0, "the first release had no previous release, so no history of its own"
