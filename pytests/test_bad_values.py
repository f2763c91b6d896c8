"""Bad values in real extracts: one changed copy of the test world carries each defect in chosen rows, is built
once, and each test checks what staging, linkage and the derived layer made of one defect.

The defects (issue 10, item 3): names with control characters and bidirectional overrides (removed and
flagged); over-long names (quarantined, ``text_too_long``); names in Cyrillic, Greek, Chinese and full-width
forms (transliterated, standardised as the Latin name and linked); a name with no letter at all (flagged);
dates in 1800 and 2200 (a date of birth nulled and flagged, an event date quarantined); dates of birth later
than the person's offences, sentences or custody (flagged; never chosen by survivorship; the person's offences
kept). Every changed table must still reconcile (raw = staged + quarantined), the raw files must be left as
they were, and no identifying value of a changed row may appear in dbt's output or log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from extracts import (
    BuildResult,
    build_extract,
    checksums,
    copy_extract,
    distinctive_values,
    identifying_values_in,
    read_raw,
    write_raw,
)

PNC_DATE = "%d/%m/%Y"
ISO_DATE = "%Y-%m-%d"
PROBATION_DATE = "%d-%b-%Y"
EXTRACT_DAY = dt.date(2025, 6, 30)  # the test world's data_as_of; new dates of birth stay before it

# Latin letters each script spells back to the same letter (text-unidecode), upper and lower case.
CYRILLIC = dict(zip("ABVGDEZIKLMNOPRSTUF", "АБВГДЕЗИКЛМНОПРСТУФ", strict=True))
GREEK = dict(zip("ABGDEZIKLMNOPRST", "ΑΒΓΔΕΖΙΚΛΜΝΟΠΡΣΤ", strict=True))
IDENTIFYING = {  # the identifying columns of each changed raw table
    ("pnc", "persons"): ("pnc_id", "surname", "forename_1", "forename_2", "date_of_birth", "postcode"),
    ("courts", "defendants"): ("defendant_id", "pnc_id", "surname", "forenames", "date_of_birth", "postcode"),
    ("prisons", "prisoners"): (
        "prison_number",
        "pnc_id",
        "first_name",
        "middle_names",
        "last_name",
        "birth_date",
        "postcode",
    ),
    ("probation", "people"): ("crn", "pnc_id", "first_name", "second_name", "surname", "date_of_birth", "postcode"),
    ("oasys", "assessments"): ("assessment_id", "crn", "prison_number", "family_name", "forename", "date_of_birth"),
    ("pnc", "offence_outcomes"): ("offence_record_id", "pnc_id"),
    ("prisons", "custodial_spells"): ("spell_id", "prison_number"),
}


def in_script(name: str, letters: dict[str, str]) -> str:
    """``name`` written in another script, letter for letter (upper and lower case)."""
    lower = {latin.lower(): other.lower() for latin, other in letters.items()}
    return "".join(letters.get(c, lower.get(c, c)) for c in name)


def full_width(text: str) -> str:
    """``text`` in full-width forms (printable ASCII → U+FF01-U+FF5E, space → U+3000)."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else "\u3000" if c == " " else c for c in text)


@dataclass
class Changes:
    """The raw rows changed in the copy (by table and 0-based row), and what each test needs to know."""

    rows: dict[tuple[str, str], dict[int, dict[str, str | None]]] = field(default_factory=dict)
    original: dict[tuple[str, str], dict[int, dict[str, object]]] = field(default_factory=dict)
    facts: dict[str, object] = field(default_factory=dict)

    def set(self, system: str, table: str, row: int, **values: str | None) -> None:
        self.rows.setdefault((system, table), {}).setdefault(row, {}).update(values)

    def identifying_values(self) -> set[str]:
        """Every identifying value of a changed row, as it was and as it was changed to, without those the
        project's own files hold (a macro test's made-up date can be a changed row's date too)."""
        found: set[str] = set()
        for key, rows in self.rows.items():
            for row, values in rows.items():
                for column in IDENTIFYING[key]:
                    for value in (self.original[key][row].get(column), values.get(column)):
                        if isinstance(value, str):
                            found.add(value.strip())
        return distinctive_values(found)


@dataclass
class World:
    """The changed copy, built, with the unchanged world it came from."""

    result: BuildResult
    changes: Changes
    built: Path
    raw_before: dict[str, str]
    world_raw_before: dict[str, str]

    def query(self, sql: str, params: list[object] | None = None) -> list[tuple[object, ...]]:
        with duckdb.connect(str(self.result.warehouse), read_only=True) as con:
            return con.execute(sql, params or []).fetchall()

    def query_built(self, sql: str, params: list[object] | None = None) -> list[tuple[object, ...]]:
        with duckdb.connect(str(self.built / "warehouse.duckdb"), read_only=True) as con:
            return con.execute(sql, params or []).fetchall()

    def value(self, sql: str, params: list[object] | None = None) -> object:
        rows = self.query(sql, params)
        assert len(rows) == 1, f"expected one row from: {sql}"
        return rows[0][0] if len(rows[0]) == 1 else rows[0]


def choose_changes(con: duckdb.DuckDBPyConnection) -> Changes:
    """Pick the rows to break from the built world (deterministically: ordered by key) and say how."""
    changes = Changes()
    used_people: set[str] = set()

    def person_of(source_table: str, key: str) -> str:
        return str(
            con.execute(
                "select person_id from linked.person_links where source_table = ? and source_record_id = ?",
                [source_table, key],
            ).fetchone()[0]
        )

    def pick(sql: str, source_table: str, count: int = 1) -> list[tuple[object, ...]]:
        """The first ``count`` rows of ``sql`` (key first, source_row_number second) of people not used yet."""
        chosen = []
        for row in con.execute(sql).fetchall():
            person = person_of(source_table, str(row[0]))
            if person in used_people:
                continue
            used_people.add(person)
            chosen.append(row)
            if len(chosen) == count:
                break
        assert len(chosen) == count, f"the test world has too few candidates for: {sql}"
        return chosen

    # Dates of birth after the person's offences (PNC): people in the proven reoffending cohort with a PNC
    # record only; their new date of birth is 30 days after their first offence or outcome.
    alone = pick(
        """
        select p.pnc_id, p.source_row_number, min(least(o.offence_date, o.outcome_date)) as first_event
        from stg_pnc.persons as p
        inner join stg_pnc.offence_outcomes as o on p.pnc_id = o.pnc_id
        inner join linked.person_links as l on l.source_table = 'pnc.persons' and l.source_record_id = p.pnc_id
        inner join linked.persons as lp on l.person_id = lp.person_id
        where lp.records = 1 and l.person_id in (select person_id from derived.proven_reoffending)
        group by p.pnc_id, p.source_row_number
        having min(least(o.offence_date, o.outcome_date)) < date '2025-01-01'
        order by p.pnc_id
        """,
        "pnc.persons",
        count=3,
    )
    for _pnc_id, row, first_event in alone:
        assert isinstance(first_event, dt.date)
        changes.set("pnc", "persons", int(row), date_of_birth=(first_event + dt.timedelta(days=30)).strftime(PNC_DATE))
    changes.facts["withheld_pnc_ids"] = [str(r[0]) for r in alone]

    # The same on the PNC record of a person whose court record holds the plausible date of birth: on a tie the
    # PNC's value would win, but not when it is doubtful.
    [(pnc_id, row, first_event, court_dob)] = pick(
        """
        select p.pnc_id, p.source_row_number, min(least(o.offence_date, o.outcome_date)), any_value(d.date_of_birth)
        from stg_pnc.persons as p
        inner join stg_pnc.offence_outcomes as o on p.pnc_id = o.pnc_id
        inner join linked.person_links as l on l.source_table = 'pnc.persons' and l.source_record_id = p.pnc_id
        inner join linked.persons as lp on l.person_id = lp.person_id
        inner join linked.person_links as lc on l.person_id = lc.person_id and lc.source_table = 'courts.defendants'
        inner join stg_courts.defendants as d on lc.source_record_id = d.defendant_id
        where
            lp.records = 2 and lp.court_records = 1 and d.is_pnc_id_valid and d.pnc_id = p.pnc_id
            and d.date_of_birth = p.date_of_birth
        group by p.pnc_id, p.source_row_number
        having min(least(o.offence_date, o.outcome_date)) < date '2025-01-01'
        order by p.pnc_id
        """,
        "pnc.persons",
    )
    assert isinstance(first_event, dt.date)
    changes.set("pnc", "persons", int(row), date_of_birth=(first_event + dt.timedelta(days=30)).strftime(PNC_DATE))
    changes.facts["plausible_pnc_id"] = str(pnc_id)
    changes.facts["plausible_date_of_birth"] = court_dob

    # Dates of birth after the person's events in the other systems: the flag in each staged table.
    after_events: list[tuple[str, str, str, str, str, str]] = [
        # (system, table, key, staged table, event sql, raw date column and format)
        (
            "courts",
            "defendants",
            "defendant_id",
            "courts.defendants",
            "select d.defendant_id, d.source_row_number, min(least(o.offence_date, o.verdict_date)) "
            "from stg_courts.defendants as d inner join stg_courts.case_offences as o "
            "on d.defendant_id = o.defendant_id group by 1, 2 "
            "having min(least(o.offence_date, o.verdict_date)) < date '2025-01-01' order by 1",
            "date_of_birth|" + ISO_DATE,
        ),
        (
            "prisons",
            "prisoners",
            "prison_number",
            "prisons.prisoners",
            "select p.prison_number, p.source_row_number, min(s.reception_date) "
            "from stg_prisons.prisoners as p inner join stg_prisons.custodial_spells as s "
            "on p.prison_number = s.prison_number group by 1, 2 "
            "having min(s.reception_date) < date '2025-01-01' order by 1",
            "birth_date|" + ISO_DATE,
        ),
        (
            "probation",
            "people",
            "crn",
            "probation.people",
            "select p.crn, p.source_row_number, min(least(e.start_date, e.sentence_date)) "
            "from stg_probation.people as p inner join stg_probation.events as e on p.crn = e.crn group by 1, 2 "
            "having min(least(e.start_date, e.sentence_date)) < date '2025-01-01' order by 1",
            "date_of_birth|" + PROBATION_DATE,
        ),
    ]
    flagged: dict[str, str] = {}
    for system, table, _key, source_table, sql, column_format in after_events:
        [(key, row, first_event)] = pick(sql, source_table)
        assert isinstance(first_event, dt.date)
        column, date_format = column_format.split("|")
        new_date = (first_event + dt.timedelta(days=30)).strftime(date_format)
        changes.set(system, table, int(row), **{column: new_date.upper()})
        flagged[f"stg_{system}.{table}"] = str(key)
    changes.facts["after_events"] = flagged

    # Control characters and bidirectional overrides in a PNC person's names.
    [(pnc_id, row, surname, forename)] = pick(
        "select pnc_id, source_row_number, surname, forename from stg_pnc.persons "
        "where length(surname) >= 3 and forename is not null order by pnc_id",
        "pnc.persons",
    )
    surname, forename = str(surname), str(forename)
    changes.set(
        "pnc",
        "persons",
        int(row),
        surname=surname[:2] + "\u202e" + surname[2:] + "\x07",
        forename_1="\u2066" + forename + "\u2069\x85\u200f",
    )
    changes.facts["control_pnc_id"] = str(pnc_id)
    changes.facts["control_names"] = (surname, forename)

    # Over-long names: 10,000 characters in a probation forename, 101 in a court surname.
    [(crn, probation_row)] = pick(
        "select crn, source_row_number from stg_probation.people order by crn", "probation.people"
    )
    changes.set("probation", "people", int(probation_row), first_name="A" * 10_000)
    [(defendant_id, court_row)] = pick(
        "select defendant_id, source_row_number from stg_courts.defendants order by defendant_id", "courts.defendants"
    )
    changes.set("courts", "defendants", int(court_row), surname="B" * 101)
    changes.facts["overlong_rows"] = {"probation.people": int(probation_row), "courts.defendants": int(court_row)}
    changes.facts["overlong_keys"] = {"probation.people": str(crn), "courts.defendants": str(defendant_id)}

    # Names in other scripts, on court records linked to another record of their person without a PNC id (so
    # only the names, date of birth, sex and postcode link them).
    letters = "".join(sorted(set(CYRILLIC) & set(GREEK)))
    scripted = pick(
        f"""
        select d.defendant_id, d.source_row_number, d.surname, d.forename, d.surname_std
        from stg_courts.defendants as d
        inner join linked.person_links as l
            on l.source_table = 'courts.defendants' and l.source_record_id = d.defendant_id
        inner join linked.persons as lp on l.person_id = lp.person_id
        where
            not d.is_pnc_id_valid and lp.records >= 3 and d.middle_names is null
            and regexp_full_match(d.surname_std, '[{letters}]{{4,}}')
            and regexp_full_match(d.forename, '[A-Za-z]+')
        order by d.defendant_id
        """,
        "courts.defendants",
        count=3,
    )
    transformations: list[tuple[str, Callable[[str], str], Callable[[str], str]]] = [
        ("cyrillic", lambda s: in_script(s, CYRILLIC), lambda f: f),
        ("greek", lambda s: in_script(s, GREEK), lambda f: f),
        ("full_width", full_width, full_width),
    ]
    scripts: dict[str, tuple[str, str]] = {}
    for (defendant_id, row, surname, forename, surname_std), (name, on_surname, on_forename) in zip(
        scripted, transformations, strict=True
    ):
        changes.set(
            "courts", "defendants", int(row), surname=on_surname(str(surname)), forenames=on_forename(str(forename))
        )
        scripts[name] = (str(defendant_id), str(surname_std))
    changes.facts["scripts"] = scripts

    # A Chinese surname (transliterated: WANG) and a name with no letter at all.
    [(prison_number, row)] = pick(
        "select prison_number, source_row_number from stg_prisons.prisoners order by prison_number",
        "prisons.prisoners",
    )
    changes.set("prisons", "prisoners", int(row), last_name="王")
    changes.facts["chinese_prison_number"] = str(prison_number)
    [(assessment_id, row)] = pick(
        "select assessment_id, source_row_number from stg_oasys.assessments order by assessment_id",
        "oasys.assessments",
    )
    changes.set("oasys", "assessments", int(row), forename="☺ 42")
    changes.facts["no_letters_assessment_id"] = str(assessment_id)

    # Dates in 1800 and 2200: dates of birth (nulled and flagged), event dates (quarantined).
    [(pnc_id, row)] = pick("select pnc_id, source_row_number from stg_pnc.persons order by pnc_id", "pnc.persons")
    changes.set("pnc", "persons", int(row), date_of_birth="04/03/1800")
    changes.facts["dob_1800_pnc_id"] = str(pnc_id)
    [(prison_number, row)] = pick(
        "select prison_number, source_row_number from stg_prisons.prisoners order by prison_number",
        "prisons.prisoners",
    )
    changes.set("prisons", "prisoners", int(row), birth_date="2200-03-04")
    changes.facts["dob_2200_prison_number"] = str(prison_number)
    [(_pnc_id, row)] = pick(  # (the person's key first: pick keeps the people apart)
        "select p.pnc_id, o.source_row_number from stg_pnc.offence_outcomes as o "
        "inner join stg_pnc.persons as p on o.pnc_id = p.pnc_id order by o.offence_record_id",
        "pnc.persons",
    )
    changes.set("pnc", "offence_outcomes", int(row), offence_date="04/03/1800")
    changes.facts["offence_1800_row"] = int(row)
    [(_prison_number, row)] = pick(
        "select p.prison_number, s.source_row_number from stg_prisons.custodial_spells as s "
        "inner join stg_prisons.prisoners as p on s.prison_number = p.prison_number order by s.spell_id",
        "prisons.prisoners",
    )
    changes.set("prisons", "custodial_spells", int(row), reception_date="2200-01-01")
    changes.facts["reception_2200_row"] = int(row)
    return changes


def apply_changes(data_dir: Path, changes: Changes) -> None:
    """Write the changed rows into the copy's raw files (every raw column is text)."""
    for (system, table), rows in changes.rows.items():
        data = read_raw(data_dir, system, table)
        columns = {name: data.column(name).to_pylist() for name in data.column_names}
        changes.original[(system, table)] = {
            row: {name: values[row] for name, values in columns.items()} for row in rows
        }
        for row, values in rows.items():
            for column, value in values.items():
                columns[column][row] = value
        write_raw(data_dir, system, table, pa.table(columns, schema=data.schema))


@pytest.fixture(scope="module")
def world(built_world: Path, tmp_path_factory: pytest.TempPathFactory) -> World:
    """The test world's raw files with every defect applied, built once for the module."""
    world_raw_before = checksums(built_world / "raw")
    copy = copy_extract(built_world, tmp_path_factory.mktemp("bad_values") / "world")
    with duckdb.connect(str(built_world / "warehouse.duckdb"), read_only=True) as con:
        changes = choose_changes(con)
    apply_changes(copy, changes)
    raw_before = checksums(copy / "raw")
    result = build_extract(copy)
    return World(
        result=result,
        changes=changes,
        built=built_world,
        raw_before=raw_before,
        world_raw_before=world_raw_before,
    )


def test_build_passes(world: World) -> None:
    assert world.result.returncode == 0, "dbt build failed on the changed copy (see its logs/dbt.log)"


def test_control_characters_removed_and_flagged(world: World) -> None:
    pnc_id = world.changes.facts["control_pnc_id"]
    surname, forename = world.changes.facts["control_names"]  # type: ignore[misc]
    staged = world.value(
        "select surname = ?, forename = ?, has_control_characters from stg_pnc.persons where pnc_id = ?",
        [surname, forename, pnc_id],
    )
    assert staged == (True, True, True), "control characters kept in the names or the row not flagged"
    flagged = world.value("select count(*) from stg_pnc.persons where has_control_characters")
    assert flagged == 1, "a record without control characters is flagged"


def test_overlong_names_quarantined(world: World) -> None:
    for source_table, row in world.changes.facts["overlong_rows"].items():  # type: ignore[union-attr]
        reason = world.value(
            f"select reason from audit.quarantine where source_table = '{source_table}' and source_row_number = {row}"
        )
        assert reason == "text_too_long", f"{source_table} row {row}: {reason}"
    keys = world.changes.facts["overlong_keys"]
    assert world.value(f"select count(*) from stg_probation.people where crn = '{keys['probation.people']}'") == 0
    reasons = {r[0] for r in world.query("select reason_code from reference.quarantine_reasons")}
    assert "text_too_long" in reasons


def test_non_latin_and_full_width_names_transliterated_and_linked(world: World) -> None:
    for script, (defendant_id, surname_std) in world.changes.facts["scripts"].items():  # type: ignore[union-attr]
        std, without_letters = world.value(
            "select surname_std, has_name_without_letters from stg_courts.defendants "
            f"where defendant_id = '{defendant_id}'"
        )
        assert std == surname_std, f"{script} surname standardised differently from the Latin original"
        assert without_letters is False
        # still linked to at least one of the records it was linked to in the unchanged world
        record_id = f"courts.defendants:{defendant_id}"
        before = {
            r[0]
            for r in world.query_built(
                "select record_id from linked.person_links where person_id = (select person_id from "
                f"linked.person_links where record_id = '{record_id}') and record_id != '{record_id}'"
            )
        }
        after = {
            r[0]
            for r in world.query(
                "select record_id from linked.person_links where person_id = (select person_id from "
                f"linked.person_links where record_id = '{record_id}') and record_id != '{record_id}'"
            )
        }
        assert before and before & after, f"{script} name: the record no longer links to its person"
    prison_number = world.changes.facts["chinese_prison_number"]
    assert world.value(f"select surname_std from stg_prisons.prisoners where prison_number = '{prison_number}'") == (
        "WANG"
    )


def test_name_without_letters_flagged(world: World) -> None:
    assessment_id = world.changes.facts["no_letters_assessment_id"]
    forename_std, flag = world.value(
        "select forename_std, has_name_without_letters from stg_oasys.assessments where assessment_id = ?",
        [assessment_id],
    )
    assert forename_std is None and flag is True
    assert world.value("select count(*) from stg_oasys.assessments where has_name_without_letters") == 1


def test_dates_in_1800_and_2200(world: World) -> None:
    facts = world.changes.facts
    assert world.value(
        "select date_of_birth is null and is_date_of_birth_doubtful from stg_pnc.persons where pnc_id = ?",
        [facts["dob_1800_pnc_id"]],
    )
    assert world.value(
        "select date_of_birth is null and is_date_of_birth_doubtful from stg_prisons.prisoners "
        f"where prison_number = '{facts['dob_2200_prison_number']}'"
    )
    for source_table, row in (
        ("pnc.offence_outcomes", facts["offence_1800_row"]),
        ("prisons.custodial_spells", facts["reception_2200_row"]),
    ):
        reason = world.value(
            "select reason from audit.quarantine where source_table = ? and source_row_number = ?", [source_table, row]
        )
        assert reason == "impossible_date", f"{source_table} row {row}: {reason}"


def test_date_of_birth_after_offences_flagged(world: World) -> None:
    for table, key in world.changes.facts["after_events"].items():  # type: ignore[union-attr]
        key_column = {"stg_courts.defendants": "defendant_id", "stg_prisons.prisoners": "prison_number"}.get(
            table, "crn"
        )
        assert world.value(f"select is_date_of_birth_after_events from {table} where {key_column} = '{key}'"), table
    for pnc_id in [*world.changes.facts["withheld_pnc_ids"], world.changes.facts["plausible_pnc_id"]]:  # type: ignore[misc]
        assert world.value(f"select is_date_of_birth_after_events from stg_pnc.persons where pnc_id = '{pnc_id}'")
    flagged = sum(
        int(world.value(f"select count(*) from {table} where is_date_of_birth_after_events"))  # type: ignore[arg-type]
        for table in ("stg_pnc.persons", "stg_courts.defendants", "stg_prisons.prisoners", "stg_probation.people")
    )
    assert flagged == 4 + 3, "records flagged that were not changed"


def _person_of_pnc_id(query: Callable[[str, list[object]], list[tuple[object, ...]]], pnc_id: str) -> str:
    rows = query(
        "select person_id from linked.person_links where source_table = 'pnc.persons' and source_record_id = ?",
        [pnc_id],
    )
    return str(rows[0][0])


def test_doubtful_date_of_birth_never_wins(world: World) -> None:
    pnc_id = str(world.changes.facts["plausible_pnc_id"])
    person = _person_of_pnc_id(world.query, pnc_id)
    dob, withheld = world.value(
        f"select date_of_birth, is_date_of_birth_withheld from linked.persons where person_id = '{person}'"
    )
    assert dob == world.changes.facts["plausible_date_of_birth"] and withheld is False


def test_date_of_birth_after_offences_keeps_the_offences(world: World) -> None:
    withheld_people = {r[0] for r in world.query("select person_id from audit.persons_date_of_birth_withheld")}
    for pnc_id in world.changes.facts["withheld_pnc_ids"]:  # type: ignore[union-attr]
        person = _person_of_pnc_id(world.query, pnc_id)
        person_before = _person_of_pnc_id(world.query_built, pnc_id)
        assert person in withheld_people
        assert world.value(f"select date_of_birth is null from linked.persons where person_id = '{person}'")
        # every proven offence is kept, as before (none excluded as before age 10)
        offences = f"select count(*) from linked.proven_offences where pnc_id = '{pnc_id}'"
        assert world.query(offences) == world.query_built(offences)
        assert not world.query(
            f"select 1 from audit.linked_exclusions where person_id = '{person}' and reason = 'offence_before_age_10'"
        )
        # the proven reoffending cohort keeps the person, in the same cohort quarters, without an age
        cohort = (
            "select cohort_quarter, age_at_index is null from derived.proven_reoffending where person_id = ? order by 1"
        )
        after = world.query(cohort, [person])
        before = world.query_built(cohort, [person_before])
        assert after and [r[0] for r in after] == [r[0] for r in before] and all(r[1] for r in after)
        # and the offender histories
        assert world.value(f"select count(*) from derived.offender_histories where person_id = '{person}'") == 1
    assert world.value("select count(*) from linked.persons where is_date_of_birth_withheld") == len(
        world.changes.facts["withheld_pnc_ids"]  # type: ignore[arg-type]
    )


def test_raw_rows_are_staged_or_quarantined(world: World) -> None:
    for system, table in world.changes.rows:
        raw_rows = read_raw(world.result.data_dir, system, table).num_rows
        staged = world.value(f"select count(*) from stg_{system}.{table}")
        quarantined = world.value(f"select count(*) from audit.quarantine where source_table = '{system}.{table}'")
        assert raw_rows == staged + quarantined, f"{system}.{table}: {raw_rows} != {staged} + {quarantined}"


def test_raw_files_unchanged(world: World) -> None:
    assert checksums(world.result.data_dir / "raw") == world.raw_before
    assert checksums(world.built / "raw") == world.world_raw_before


def test_no_identifying_values_in_output(world: World) -> None:
    values = world.changes.identifying_values()
    assert len(values) > 20
    assert identifying_values_in(world.result.output, values) == []
