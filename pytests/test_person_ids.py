"""Person ids across two releases (docs/methodology.md section 10), end to end, on the release scenario of
pytests/releases.py (shared with pytests/test_releases.py): two successive extracts of one synthetic world
(same seed, extract dates 2024-12-31 and 2025-06-30) built by `make build` as release 1 and then release 2,
with release 1 published (so attached as the previous release) when release 2 is built. The second extract
also loses every record of a few people (as a real extract loses records that are weeded), so that their ids
must be retired with a reason. Checked: people whose data did not change keep their id, every retired id has a
successor or a reason, the research pseudonyms of people who keep their id are the same in both releases, and
the second release's history has rows.
"""

from __future__ import annotations

import hashlib
import hmac

import duckdb
import pytest

from releases import PEOPLE_REMOVED, PSEUDONYM_KEY, Scenario

MIN_STABILITY = 0.995
IDENTITY_COLUMNS = "pnc_id, crn, prison_number, forename, middle_name, surname, date_of_birth, sex, postcode"


@pytest.fixture
def con(release_scenario: Scenario) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    connection.execute(f"attach '{release_scenario.database(release_scenario.first)}' as r1 (read_only)")
    connection.execute(f"attach '{release_scenario.database(release_scenario.second)}' as r2 (read_only)")
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


def test_every_retired_id_has_a_successor_or_a_reason(
    con: duckdb.DuckDBPyConnection, release_scenario: Scenario
) -> None:
    unexplained = con.execute(
        """
        select distinct p.person_id
        from r1.linked.person_links as p
        where p.person_id not in (select person_id from r2.linked.person_links)
            and p.person_id not in (
                select previous_person_id from r2.linked.person_id_history
                where release_id = ? and is_retired
                    and (successor_person_id is not null or change = 'records_removed')
            )
    """,
        [release_scenario.second],
    ).fetchall()
    assert unexplained == []
    removed = con.execute(
        "select previous_person_id from r2.linked.person_id_history where change = 'records_removed' and is_retired"
    ).fetchall()
    assert len(release_scenario.removed_people) == PEOPLE_REMOVED
    assert set(release_scenario.removed_people) <= {row[0] for row in removed}


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


def test_the_second_release_records_its_changes(con: duckdb.DuckDBPyConnection, release_scenario: Scenario) -> None:
    changes = dict(
        con.execute(
            "select change, count(*) from r2.linked.person_id_history where release_id = ? group by change",
            [release_scenario.second],
        ).fetchall()
    )
    assert sum(changes.values()) > 0
    assert con.execute("select count(*) from r1.linked.person_id_history").fetchone()[0] == 0
    # The snapshot of person links carries release 1's versions into release 2 and adds release 2's.
    versions = dict(
        con.execute("select release_id, count(*) from r2.snapshots.person_links group by release_id").fetchall()
    )
    assert set(versions) == {release_scenario.first, release_scenario.second}
