"""Person ids across two releases (docs/methodology.md section 10), end to end.

Two successive extracts of one synthetic world (same seed, extract dates 2024-12-31 and 2025-06-30) are
built as release 1 and then release 2 with release 1 attached as the previous release. The second extract
also loses every record of a few people (as a real extract loses records that are weeded), so that their
ids must be retired with a reason. Checked: people whose data did not change keep their id, every retired
id has a successor or a reason, the research pseudonyms of people who keep their id are the same in both
releases, and the second release's history has rows.

The releases are built here with dbt directly (RELEASE_DATABASE, RELEASE_ID and PREVIOUS_RELEASE_DATABASE, as
`release build` sets them) and only the models the checks need, which is much faster than two whole release
builds; pytests/test_releases.py builds releases end to end with the release tool.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from conftest import DBT, PROJECT_ROOT
from repeat_offending.synthetic.config import WorldConfig
from repeat_offending.synthetic.writer import generate

PEOPLE = 3_000
SEED = 1
FIRST_EXTRACT = dt.date(2024, 12, 31)
SECOND_EXTRACT = dt.date(2025, 6, 30)
PEOPLE_REMOVED = 3  # of the few people without a PNC record (most have one)
MIN_STABILITY = 0.995
PSEUDONYM_KEY = "person-id-test-key-not-a-secret-0123456789"  # 42 bytes; any key works on the ci target
IDENTITY_COLUMNS = "pnc_id, crn, prison_number, forename, middle_name, surname, date_of_birth, sex, postcode"
# What the checks read, with everything it depends on (seeds, staging, linkage) and its tests.
SELECTION = (
    "+linked__person_id_history",
    "+audit__person_id_stability",
    "+research__offender_histories",
    "+snapshots__person_links",
)


@dataclass(frozen=True)
class Release:
    release_id: str
    database: Path


def build_release(data_dir: Path, work_dir: Path, release_id: str, previous: Release | None = None) -> Release:
    """Seed, then build the selected part of the project on ``data_dir`` into the release
    ``work_dir/<id>.duckdb`` with ``previous`` attached as the previous release (tests only of what is
    built); fails the test with dbt's output when a step fails."""
    database = work_dir / f"{release_id}.duckdb"
    env = {
        **os.environ,
        "DATA_DIR": str(data_dir),
        "RELEASE_DATABASE": str(database),
        "RELEASE_ID": release_id,
        "PREVIOUS_RELEASE_DATABASE": str(previous.database) if previous else "",
        "RESEARCH_PSEUDONYM_KEY": PSEUDONYM_KEY,
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    common = [
        *("--profiles-dir", str(PROJECT_ROOT), "--project-dir", str(PROJECT_ROOT), "--target", "ci"),
        *("--target-path", str(work_dir / f"target_{release_id}"), "--log-path", str(work_dir / f"logs_{release_id}")),
    ]
    steps = (["seed"], ["build", "--select", *SELECTION, "--indirect-selection", "cautious"])
    for step in steps:
        result = subprocess.run(
            [DBT, *step, *common],
            cwd=PROJECT_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        assert result.returncode == 0, (
            f"dbt {step[0]} of release {release_id} failed:\n{result.stdout[-5000:]}\n{result.stderr[-2000:]}"
        )
    return Release(release_id, database)


def generate_world(data_dir: Path, data_as_of: dt.date) -> Path:
    cfg = WorldConfig(people=PEOPLE, seed=SEED, data_as_of=data_as_of, data_dir=data_dir, progress=False)
    generate(cfg)
    return data_dir


# Raw files whose rows are person records, with their key (the record's source_record_id once cleaned).
PERSON_TABLES = {
    "courts.defendants": ("courts/defendants.parquet", "defendant_id"),
    "prisons.prisoners": ("prisons/prisoners.parquet", "prison_number"),
    "probation.people": ("probation/people.parquet", "crn"),
    "oasys.assessments": ("oasys/assessments.parquet", "assessment_id"),
}


def remove_people(world: Path, copy: Path, release: Release, people: int) -> list[str]:
    """Copy ``world``'s raw files to ``copy`` without the person records of ``people`` persons of ``release``
    whose records are all in PERSON_TABLES; returns their person ids."""
    shutil.copytree(world / "raw", copy / "raw")
    con = duckdb.connect()
    con.execute(f"attach '{release.database}' as release (read_only)")
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


@dataclass(frozen=True)
class Releases:
    first: Release
    second: Release
    removed_people: list[str]


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> Releases:
    root = tmp_path_factory.mktemp("person_ids")
    first_world = generate_world(root / "world_1", FIRST_EXTRACT)
    second_world = generate_world(root / "world_2", SECOND_EXTRACT)
    first = build_release(first_world, root, "r1")
    removed = remove_people(second_world, root / "world_2_less", first, PEOPLE_REMOVED)
    second = build_release(root / "world_2_less", root, "r2", previous=first)
    return Releases(first, second, removed)


@pytest.fixture
def con(releases: Releases) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    connection.execute(f"attach '{releases.first.database}' as r1 (read_only)")
    connection.execute(f"attach '{releases.second.database}' as r2 (read_only)")
    return connection


def test_people_whose_data_did_not_change_keep_their_id(con: duckdb.DuckDBPyConnection) -> None:
    # Unchanged: every record still here with the same identity values, and no new record linked to them.
    unchanged, keeping = con.execute(f"""
        with same_records as (
            select record_id, {IDENTITY_COLUMNS} from r1.linkage.person_identities
            intersect
            select record_id, {IDENTITY_COLUMNS} from r2.linkage.person_identities
        ),
        new_records as (
            select record_id from r2.linked.person_links
            except
            select record_id from r1.linked.person_links
        ),
        touched_by_new as (
            select distinct l.person_id from r2.linked.person_links as l join new_records using (record_id)
        ),
        people as (
            select
                p.person_id,
                bool_and(s.record_id is not null) and not bool_or(t.person_id is not null) as is_unchanged,
                bool_or(c.person_id = p.person_id) as keeps_id
            from r1.linked.person_links as p
            left join same_records as s using (record_id)
            left join r2.linked.person_links as c using (record_id)
            left join touched_by_new as t on c.person_id = t.person_id
            group by p.person_id
        )
        select count(*) filter (where is_unchanged), count(*) filter (where is_unchanged and keeps_id)
        from people
    """).fetchone()
    previous_people = con.execute("select count(distinct person_id) from r1.linked.person_links").fetchone()[0]
    assert unchanged > 0.5 * previous_people, "most people's data should not change in six months"
    assert keeping / unchanged >= MIN_STABILITY
    audit = con.execute(
        "select unchanged_people, unchanged_people_keeping_id from r2.audit.person_id_stability"
    ).fetchone()
    assert audit == (unchanged, keeping), "audit.person_id_stability disagrees with the releases"


def test_every_retired_id_has_a_successor_or_a_reason(con: duckdb.DuckDBPyConnection, releases: Releases) -> None:
    unexplained = con.execute("""
        select distinct p.person_id
        from r1.linked.person_links as p
        where p.person_id not in (select person_id from r2.linked.person_links)
            and p.person_id not in (
                select previous_person_id from r2.linked.person_id_history
                where release_id = 'r2' and is_retired
                    and (successor_person_id is not null or change = 'records_removed')
            )
    """).fetchall()
    assert unexplained == []
    removed = con.execute(
        "select previous_person_id from r2.linked.person_id_history where change = 'records_removed' and is_retired"
    ).fetchall()
    assert len(releases.removed_people) == PEOPLE_REMOVED
    assert set(releases.removed_people) <= {row[0] for row in removed}


def test_research_pseudonyms_of_people_keeping_their_id_are_unchanged(con: duckdb.DuckDBPyConnection) -> None:
    def pseudonym(person_id: str) -> str:
        return hmac.new(PSEUDONYM_KEY.encode(), person_id.encode(), hashlib.sha256).hexdigest()

    def histories(release: str) -> set[str]:
        sql = f"select pseudonymous_person_id from {release}.research.offender_histories"
        return {row[0] for row in con.execute(sql).fetchall()}

    kept = con.execute("""
        select distinct p.person_id
        from r1.linked.person_links as p
        join r2.linked.person_links as c using (record_id)
        where p.person_id = c.person_id
            and p.person_id in (select person_id from r1.derived.offender_histories)
            and p.person_id in (select person_id from r2.derived.offender_histories)
    """).fetchall()
    assert len(kept) > 100
    first, second = histories("r1"), histories("r2")
    missing = [person_id for (person_id,) in kept if pseudonym(person_id) not in first & second]
    assert missing == [], f"{len(missing)} people kept their id but not their research pseudonym"


def test_the_second_release_records_its_changes(con: duckdb.DuckDBPyConnection) -> None:
    changes = dict(
        con.execute(
            "select change, count(*) from r2.linked.person_id_history where release_id = 'r2' group by change"
        ).fetchall()
    )
    assert sum(changes.values()) > 0
    assert con.execute("select count(*) from r1.linked.person_id_history").fetchone()[0] == 0
    # The snapshot of person links carries release 1's versions into release 2 and adds release 2's.
    versions = dict(
        con.execute("select release_id, count(*) from r2.snapshots.person_links group by release_id").fetchall()
    )
    assert set(versions) == {"r1", "r2"}
