"""The release scenario shared by pytests/test_releases.py and pytests/test_person_ids.py: `make build` on two
successive extracts of one small world in one DATA_DIR, as a user would, run once per test session (it costs
five partial or whole builds of a 3,000-person world).

1. the first extract (data as of 2024-12-31) is built and published (release 1);
2. the second extract (2025-06-30), without every record of three people (as a real extract loses records
   that are weeded, so that ids are retired), replaces it in DATA_DIR, and three builds of it are killed
   (SIGKILL to the whole process group) at three points: during `dbt seed`, in the middle of `dbt build`, and
   after every check passed, while the docs are generated (just before publication). After each, release 1
   is checked: still published, byte for byte, readable, and the build lock free;
3. the fourth build of the second extract, with the first release's linkage model (LINKAGE_MODEL=previous),
   runs while an analyst's session stays open on the warehouse and another process opens it read-only and
   queries it in a loop, and while a second `make build` is started.

Only the fourth build of the second extract (release 2, whose checks and person ids the tests read) runs the
data tests; the first release and the killed builds leave them out (extracts.WITHOUT_TESTS). No build runs the
unit tests (the test world's build does).

The research pseudonyms are made with a test key (any key works on the `ci` target), so that tests can
recompute them.
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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from extracts import PROJECT_ROOT, WITHOUT_TESTS, WITHOUT_UNIT_TESTS, copy_extract, make_build, without_make_variables
from justice_world.ownership import MARKER_NAME
from repeat_offending.release import ledger
from repeat_offending.release.layout import Layout
from repeat_offending.release.lock import build_lock

PEOPLE = 3000
SEED = 1
PEOPLE_REMOVED = 3
PSEUDONYM_KEY = "person-id-test-key-not-a-secret-0123456789"
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
            *("--seeds-dir", str(PROJECT_ROOT / "seeds")),
        ],
        check=True,
        capture_output=True,
    )
    return folder


def _use_extract(raw_from: Path, truth_from: Path, data_dir: Path) -> None:
    """Put ``raw_from``'s raw files and ``truth_from``'s truth into DATA_DIR as an extract (the test's own
    copies; never the generator's marker)."""
    for name in ("raw", "truth"):
        shutil.rmtree(data_dir / name, ignore_errors=True)
    copy_extract(raw_from, data_dir)
    shutil.copytree(truth_from / "truth", data_dir / "truth", ignore=shutil.ignore_patterns(MARKER_NAME))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _environment(data_tests: bool) -> dict[str, str]:
    """The test's environment without the calling make's variables, with the test pseudonym key; the builds
    leave out the unit tests, and all but the second release the data tests (extracts.WITHOUT_TESTS): the
    second release is the one whose checks the tests read, against the first as its previous release."""
    return {
        **without_make_variables(),
        "RESEARCH_PSEUDONYM_KEY": PSEUDONYM_KEY,
        **(WITHOUT_UNIT_TESTS if data_tests else WITHOUT_TESTS),
    }


def _start_build(
    data_dir: Path, output: Path, *, data_tests: bool = False, make_variables: tuple[str, ...] = ()
) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        ["make", "build", f"DATA_DIR={data_dir}", "DBT_TARGET=ci", *make_variables],
        cwd=PROJECT_ROOT,
        env=_environment(data_tests),
        stdout=output.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _wait_for(condition: Callable[[], bool], process: subprocess.Popen[bytes], timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
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
    """What happened, for the tests to check."""

    data_dir: Path
    first: str
    second: str
    first_digest: str
    removed_people: list[str] = field(default_factory=list)
    killed: list[str] = field(default_factory=list)
    after_kill: list[dict[str, object]] = field(default_factory=list)
    reader_lines: list[dict[str, object]] = field(default_factory=list)
    session_release: str | None = None
    second_attempt: tuple[int, str, float] = (0, "", 0.0)
    build_output: str = ""

    def database(self, release_id: str) -> Path:
        return Layout(self.data_dir).database(release_id)


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
        "intact": digest(layout.database(first)) == first_digest,
        "readable": readable,
        "lock_free": free,
    }


def run_make(target: str, data_dir: Path, output: Path, *make_variables: str, data_tests: bool = False) -> None:
    """`make <target>` on a DATA_DIR of the scenario (or a copy of it) with the scenario's environment (the
    test pseudonym key); fails the test with the end of the output when make fails."""
    with output.open("wb") as log:
        completed = subprocess.run(
            ["make", target, f"DATA_DIR={data_dir}", "DBT_TARGET=ci", *make_variables],
            cwd=PROJECT_ROOT,
            env=_environment(data_tests),
            stdout=log,
            stderr=subprocess.STDOUT,
            timeout=1200,
            check=False,
        )
    assert completed.returncode == 0, _read(output)[-5000:]


def _build(data_dir: Path, output: Path, make_variables: tuple[str, ...] = ()) -> None:
    process = _start_build(data_dir, output, make_variables=make_variables)
    assert process.wait(timeout=1200) == 0, _read(output)[-5000:]


def run_scenario(root: Path) -> Scenario:
    """Run the scenario in ``root`` (an empty folder)."""
    first_world = _generate(root / "world_1", FIRST_AS_OF)
    second_world = _generate(root / "world_2", SECOND_AS_OF)
    data_dir = root / "data"
    data_dir.mkdir()
    layout = Layout(data_dir)

    _use_extract(first_world, first_world, data_dir)
    # The first release measures linkage at its own threshold only (the second over the whole curve).
    _build(data_dir, root / "build_1.log", ("LINKAGE_THRESHOLDS=chosen",))
    first = layout.published()
    assert first is not None and first.startswith(FIRST_AS_OF)
    first_digest = digest(layout.database(first))

    second_less = root / "world_2_less"
    removed = remove_people(second_world, second_less, layout.database(first), PEOPLE_REMOVED)
    _use_extract(second_less, second_world, data_dir)
    result = Scenario(data_dir, first, "", first_digest, removed)
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
    # The release the tests read scores with the first release's linkage model (LINKAGE_MODEL=previous).
    process = _start_build(data_dir, output, data_tests=True, make_variables=("LINKAGE_MODEL=previous",))
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


# Raw files whose rows are person records, with their key (the record's source_record_id once cleaned).
PERSON_TABLES = {
    "courts.defendants": ("courts/defendants.parquet", "defendant_id"),
    "prisons.prisoners": ("prisons/prisoners.parquet", "prison_number"),
    "probation.people": ("probation/people.parquet", "crn"),
    "oasys.assessments": ("oasys/assessments.parquet", "assessment_id"),
}


def remove_people(world: Path, copy: Path, database: Path, people: int) -> list[str]:
    """Copy ``world``'s raw files to ``copy`` without the person records of ``people`` persons of the release
    ``database`` whose records are all in PERSON_TABLES (people with no PNC record); returns their ids."""
    shutil.copytree(world / "raw", copy / "raw")
    con = duckdb.connect()
    con.execute(f"attach '{database}' as release (read_only)")
    tables = ", ".join(f"'{table}'" for table in PERSON_TABLES)
    chosen = con.execute(f"""
        select person_id, list(source_table), list(source_record_id)
        from release.linked.person_links
        group by person_id
        having bool_and(source_table in ({tables}))
        order by person_id
        limit {people}
    """).fetchall()
    for table, (path, key) in PERSON_TABLES.items():
        keys = [k for _, tables_of, keys_of in chosen for t, k in zip(tables_of, keys_of, strict=True) if t == table]
        if keys:
            # The staged key is the raw one trimmed and in upper case (clean_code).
            con.execute(
                f"""copy (
                    select * from read_parquet('{world / "raw" / path}')
                    where upper(regexp_replace({key}, '^\\s+|\\s+$', '', 'g')) not in (select unnest(?))
                ) to '{copy / "raw" / path}' (format parquet)""",
                [keys],
            )
    con.close()
    return [person_id for person_id, _, _ in chosen]
