"""The contract of the raw extracts: every table, column, key and format the generator writes.

This module is the single source of truth shared by the generator (which writes these columns in this order),
the dbt sources YAML (generated from it by ``write-sources-yaml`` and checked by a test) and the
staging models. Raw extracts land as text, as real landing zones receive them from CSV or database dumps:
every column is a string, and each system keeps its own date format.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SYSTEMS: dict[str, str] = {
    "pnc": "Police National Computer: the people the police have recorded and every offence with its outcome.",
    "courts": "Criminal courts case management (magistrates' and Crown Court): defendants, cases and the "
    "offences on each case with plea, verdict and sentence.",
    "prisons": "Prison case management (NOMIS-like): prisoners and their custodial spells from reception to release.",
    "probation": "Probation case management (nDelius-like): people supervised and their events (community "
    "orders, suspended sentence orders, licences, post-sentence supervision).",
    "oasys": "Offender Assessment System: assessments of needs and risk of serious harm, keyed to a probation "
    "case reference number or a prison number.",
}

# Date formats by system (strptime style), as the real extracts differ.
DATE_FORMATS: dict[str, str] = {
    "pnc": "%d/%m/%Y",
    "courts": "%Y-%m-%d",
    "prisons": "%Y-%m-%d",
    "probation": "%d-%b-%Y",  # upper-case month, e.g. 04-MAR-2019
    "oasys": "%Y-%m-%d",
}
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S"


@dataclass(frozen=True)
class Column:
    name: str
    description: str
    kind: str = "text"  # text | date | timestamp | integer | code | identifier (how staging treats it)
    required: bool = False  # a row without it cannot be staged (quarantined as missing_required)
    pii: bool = False  # holds personal data


@dataclass(frozen=True)
class Table:
    system: str
    name: str
    description: str
    primary_key: str
    columns: tuple[Column, ...]
    identifies_person: bool = False  # one row is one person as the system saw them (linkage input)
    person_key: str | None = None  # column holding the system's person identifier
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def source_table(self) -> str:
        return f"{self.system}.{self.name}"

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def _audit_columns() -> tuple[Column, ...]:
    return (
        Column(
            "last_updated_at",
            "When the source system last changed this record (`YYYY-MM-DD HH:MM:SS`). Among rows sharing a "
            "primary key the most recent wins.",
            kind="timestamp",
        ),
        Column(
            "extracted_at",
            "When the extract was taken (`YYYY-MM-DD HH:MM:SS`, the end of the `data_as_of` day); the load "
            "timestamp used for source freshness.",
            kind="timestamp",
        ),
    )


PNC_PERSONS = Table(
    system="pnc",
    name="persons",
    description="One row per PNC record of a person. A person may by mistake hold two PNC ids; identity "
    "details are as the police last recorded them.",
    primary_key="pnc_id",
    identifies_person=True,
    person_key="pnc_id",
    columns=(
        Column(
            "pnc_id",
            "PNC id `YYYY/NNNNNNNC`: year of first record, seven-digit serial and a check character.",
            kind="identifier",
            required=True,
            pii=True,
        ),
        Column("surname", "Surname as recorded.", pii=True),
        Column("forename_1", "First forename as recorded.", pii=True),
        Column("forename_2", "Second forename, often blank.", pii=True),
        Column("date_of_birth", "Date of birth, `DD/MM/YYYY`.", kind="date", pii=True),
        Column("sex", "`M`, `F` or `U` (unknown), sometimes blank.", kind="code", pii=True),
        Column(
            "self_defined_ethnicity",
            "Self-defined ethnicity, 16+1 code (`W1`, `A2`, ... `NS`), often blank.",
            kind="code",
            pii=True,
        ),
        Column(
            "officer_ethnicity",
            "Officer-observed ethnicity, IC code (`IC1`..`IC6`, `IC9`).",
            kind="code",
            pii=True,
        ),
        Column("postcode", "Postcode of the last known address.", pii=True),
        Column("owning_force_code", "Police force that created the record (two-digit code).", kind="code"),
        Column("created_date", "Date the record was created, `DD/MM/YYYY`.", kind="date"),
        *_audit_columns(),
    ),
)

PNC_OFFENCE_OUTCOMES = Table(
    system="pnc",
    name="offence_outcomes",
    description="One row per offence recorded against a PNC id, with its outcome once known (blank while pending).",
    primary_key="offence_record_id",
    person_key="pnc_id",
    columns=(
        Column("offence_record_id", "Record id of the offence.", kind="identifier", required=True),
        Column("pnc_id", "PNC id of the person.", kind="identifier", required=True, pii=True),
        Column(
            "arrest_summons_number",
            "Arrest/summons number shared by the offences of one arrest.",
            kind="identifier",
        ),
        Column("offence_code", "CJS offence code, e.g. `TH68010`.", kind="code", required=True),
        Column("offence_date", "Date the offence was committed, `DD/MM/YYYY`.", kind="date", required=True),
        Column(
            "outcome_code",
            "Outcome (`CONV` convicted, `ACQT`, `DISM`, `WDRN`, `NFA`, `CAUT`, `CCAU`, "
            "`YCAU`, `YCCA`, `REPR`, `FWRN`, `PND`, `CRES`); blank while pending.",
            kind="code",
        ),
        Column("outcome_date", "Date of the outcome (conviction, caution or other), `DD/MM/YYYY`.", kind="date"),
        Column(
            "disposal_code",
            "Sentence for a conviction (`IMP`, `SSO`, `CO`, `FINE`, `CD`, `AD`, `RO`, "
            "`YRO`, `DTO`, `S250`, `OTH`); blank otherwise.",
            kind="code",
        ),
        Column("sentence_length", "Custodial or order length with unit, e.g. `18M`, `2Y`, `28D`.", kind="text"),
        Column("force_code", "Arresting police force (two-digit code).", kind="code"),
        Column("court_code", "Court of conviction or acquittal.", kind="code"),
        Column("recorded_date", "Date the offence was recorded on the PNC, `DD/MM/YYYY`.", kind="date"),
        *_audit_columns(),
    ),
)

COURTS_DEFENDANTS = Table(
    system="courts",
    name="defendants",
    description="One row per defendant per case: the courts give a new defendant id on every case.",
    primary_key="defendant_id",
    identifies_person=True,
    person_key="defendant_id",
    columns=(
        Column("defendant_id", "Defendant id, unique per case.", kind="identifier", required=True),
        Column("case_id", "Case the defendant appears on.", kind="identifier", required=True),
        Column(
            "pnc_id",
            "PNC id given to the court; missing on some cases and sometimes malformed.",
            kind="identifier",
            pii=True,
        ),
        Column("surname", "Surname as given in court.", pii=True),
        Column("forenames", "Forenames as given in court, space separated.", pii=True),
        Column("date_of_birth", "Date of birth, `YYYY-MM-DD`.", kind="date", pii=True),
        Column("sex", "`Male`, `Female` or `Unknown`, free-typed.", kind="code", pii=True),
        Column("postcode", "Postcode of the address given in court.", pii=True),
        Column("self_defined_ethnicity", "Self-defined ethnicity code, mostly blank.", kind="code", pii=True),
        *_audit_columns(),
    ),
)

COURTS_CASES = Table(
    system="courts",
    name="cases",
    description="One row per case at a magistrates' court or the Crown Court.",
    primary_key="case_id",
    columns=(
        Column("case_id", "Case id (unique reference number style).", kind="identifier", required=True),
        Column("court_code", "Court hearing the case.", kind="code", required=True),
        Column("court_type", "`MC` magistrates' court or `CC` Crown Court.", kind="code", required=True),
        Column("first_hearing_date", "Date of the first hearing, `YYYY-MM-DD`.", kind="date", required=True),
        Column("case_completed_date", "Date the case completed, blank while open, `YYYY-MM-DD`.", kind="date"),
        *_audit_columns(),
    ),
)

COURTS_CASE_OFFENCES = Table(
    system="courts",
    name="case_offences",
    description="One row per offence on a case, with plea, verdict and sentence.",
    primary_key="case_offence_id",
    columns=(
        Column("case_offence_id", "Case offence id.", kind="identifier", required=True),
        Column("case_id", "Case.", kind="identifier", required=True),
        Column("defendant_id", "Defendant on the case.", kind="identifier", required=True),
        Column("offence_code", "CJS offence code.", kind="code", required=True),
        Column("offence_date", "Date the offence was committed, `YYYY-MM-DD`.", kind="date", required=True),
        Column("plea", "Plea, free-typed (`Guilty`, `Not Guilty`, `No Plea`).", kind="code"),
        Column(
            "verdict",
            "Verdict (`Guilty`, `Not Guilty`, `Dismissed`, `Withdrawn`), blank while open.",
            kind="code",
        ),
        Column("verdict_date", "Date of the verdict or plea accepted, `YYYY-MM-DD`.", kind="date"),
        Column("sentence_date", "Date of sentence, `YYYY-MM-DD`.", kind="date"),
        Column("disposal_code", "Sentence, same codes as the PNC.", kind="code"),
        Column("sentence_length_days", "Length of custody or order in days.", kind="integer"),
        Column("is_principal_offence", "`Y` for the principal offence of the case, else `N`.", kind="code"),
        *_audit_columns(),
    ),
)

PRISONS_PRISONERS = Table(
    system="prisons",
    name="prisoners",
    description="One row per prison number. A person may by mistake hold two prison numbers.",
    primary_key="prison_number",
    identifies_person=True,
    person_key="prison_number",
    columns=(
        Column("prison_number", "Prison number `A1234BC`.", kind="identifier", required=True, pii=True),
        Column("pnc_id", "PNC id, present for most prisoners.", kind="identifier", pii=True),
        Column("first_name", "First name.", pii=True),
        Column("middle_names", "Middle names, often blank.", pii=True),
        Column("last_name", "Last name.", pii=True),
        Column("birth_date", "Date of birth, `YYYY-MM-DD`.", kind="date", pii=True),
        Column("sex", "`M` or `F`.", kind="code", pii=True),
        Column("ethnicity_code", "Self-defined ethnicity code.", kind="code", pii=True),
        Column("postcode", "Postcode of the home address at the latest reception.", pii=True),
        *_audit_columns(),
    ),
)

PRISONS_CUSTODIAL_SPELLS = Table(
    system="prisons",
    name="custodial_spells",
    description="One row per spell in custody from reception to release.",
    primary_key="spell_id",
    columns=(
        Column("spell_id", "Spell (booking) id.", kind="identifier", required=True),
        Column("prison_number", "Prisoner.", kind="identifier", required=True, pii=True),
        Column("establishment_code", "Prison of reception, three-letter code.", kind="code", required=True),
        Column("reception_date", "Reception, `YYYY-MM-DD`.", kind="date", required=True),
        Column("reception_reason", "`REMAND`, `SENTENCED` or `RECALL`.", kind="code", required=True),
        Column(
            "sentence_date",
            "Date of the custodial sentence served in the spell (for a recall, the original sentence); "
            "blank on remand-only spells.",
            kind="date",
        ),
        Column("sentence_length_days", "Length of the custodial sentence in days.", kind="integer"),
        Column("release_date", "Release, `YYYY-MM-DD`; blank while in custody.", kind="date"),
        Column(
            "release_reason",
            "Why released (`CONDITIONAL RELEASE`, `END OF SENTENCE`, `END OF RECALL`, "
            "`BAIL`, `ACQUITTED`, `NON-CUSTODIAL SENTENCE`, `DIED`, `DEPORTED`).",
            kind="code",
        ),
        *_audit_columns(),
    ),
)

PROBATION_PEOPLE = Table(
    system="probation",
    name="people",
    description="One row per case reference number (CRN). A person may by mistake hold two CRNs.",
    primary_key="crn",
    identifies_person=True,
    person_key="crn",
    columns=(
        Column("crn", "Case reference number `X123456`.", kind="identifier", required=True, pii=True),
        Column("pnc_id", "PNC id, present for most people.", kind="identifier", pii=True),
        Column("first_name", "First name.", pii=True),
        Column("second_name", "Second name, often blank.", pii=True),
        Column("surname", "Surname.", pii=True),
        Column("date_of_birth", "Date of birth, `DD-MON-YYYY`.", kind="date", pii=True),
        Column("gender", "`Male`, `Female` or `Not Specified`.", kind="code", pii=True),
        Column(
            "ethnicity",
            "Ethnicity as free text from the case management system, e.g. `White : Irish` or "
            "`Asian or Asian British: Pakistani`.",
            pii=True,
        ),
        Column("postcode", "Postcode of the main address.", pii=True),
        *_audit_columns(),
    ),
)

PROBATION_EVENTS = Table(
    system="probation",
    name="events",
    description="One row per supervised event: community order, suspended sentence order, licence or "
    "post-sentence supervision.",
    primary_key="event_id",
    columns=(
        Column("event_id", "Event id.", kind="identifier", required=True),
        Column("crn", "Person supervised.", kind="identifier", required=True, pii=True),
        Column(
            "event_type",
            "`Community Order`, `Suspended Sentence Order`, `Licence` or `Post Sentence Supervision`.",
            kind="code",
            required=True,
        ),
        Column("sentence_date", "Date of the sentence the event comes from, `DD-MON-YYYY`.", kind="date"),
        Column("start_date", "Start of supervision, `DD-MON-YYYY`.", kind="date", required=True),
        Column("expected_end_date", "Planned end of supervision, `DD-MON-YYYY`.", kind="date"),
        Column("termination_date", "Actual end, blank while active, `DD-MON-YYYY`.", kind="date"),
        Column(
            "termination_reason",
            "Why it ended (e.g. `Completed`, `Expired (Normal)`, `Revoked - Further "
            "Offence`, `Revoked - Breach`, `Recalled`, `Died`).",
            kind="code",
        ),
        Column("main_offence_code", "CJS code of the main offence.", kind="code"),
        *_audit_columns(),
    ),
)

OASYS_ASSESSMENTS = Table(
    system="oasys",
    name="assessments",
    description="One row per offender assessment: needs scored 0 (no problem) to 2 (significant problem) in "
    "ten sections and the risk of serious harm level.",
    primary_key="assessment_id",
    identifies_person=True,
    person_key="assessment_id",
    columns=(
        Column("assessment_id", "Assessment id.", kind="identifier", required=True),
        Column(
            "crn",
            "Probation case reference number, when assessed in the community.",
            kind="identifier",
            pii=True,
        ),
        Column("prison_number", "Prison number, when assessed in custody.", kind="identifier", pii=True),
        Column("family_name", "Family name.", pii=True),
        Column("forename", "Forename.", pii=True),
        Column("date_of_birth", "Date of birth, `YYYY-MM-DD`.", kind="date", pii=True),
        Column("gender", "`M` or `F`.", kind="code", pii=True),
        Column("postcode", "Postcode at assessment.", pii=True),
        Column("assessment_date", "Date completed, `YYYY-MM-DD`.", kind="date", required=True),
        Column(
            "assessment_type",
            "`Pre-Sentence`, `Start of Custody`, `Pre-Release`, `Start of Community`, `Review`.",
            kind="code",
        ),
        Column("accommodation_need", "Accommodation need score 0-2.", kind="integer"),
        Column(
            "education_employment_need",
            "Education, training and employability need score 0-2.",
            kind="integer",
        ),
        Column("finance_need", "Financial management need score 0-2.", kind="integer"),
        Column("relationships_need", "Relationships need score 0-2.", kind="integer"),
        Column("lifestyle_need", "Lifestyle and associates need score 0-2.", kind="integer"),
        Column("drugs_need", "Drug misuse need score 0-2.", kind="integer"),
        Column("alcohol_need", "Alcohol misuse need score 0-2.", kind="integer"),
        Column("emotional_wellbeing_need", "Emotional wellbeing need score 0-2.", kind="integer"),
        Column("thinking_behaviour_need", "Thinking and behaviour need score 0-2.", kind="integer"),
        Column("attitudes_need", "Attitudes need score 0-2.", kind="integer"),
        Column("rosh_level", "Risk of serious harm: `Low`, `Medium`, `High`, `Very High`.", kind="code"),
        *_audit_columns(),
    ),
)

TABLES: tuple[Table, ...] = (
    PNC_PERSONS,
    PNC_OFFENCE_OUTCOMES,
    COURTS_DEFENDANTS,
    COURTS_CASES,
    COURTS_CASE_OFFENCES,
    PRISONS_PRISONERS,
    PRISONS_CUSTODIAL_SPELLS,
    PROBATION_PEOPLE,
    PROBATION_EVENTS,
    OASYS_ASSESSMENTS,
)

NEED_COLUMNS: tuple[str, ...] = tuple(c.name for c in OASYS_ASSESSMENTS.columns if c.name.endswith("_need"))


def table(source_table: str) -> Table:
    """Look a table up by `<system>.<table>`."""
    for t in TABLES:
        if t.source_table == source_table:
            return t
    raise KeyError(f"no raw table {source_table!r}; known: {[t.source_table for t in TABLES]}")


# Defect types the generator injects into raw rows, with what staging must do with them. The quarantine
# reason codes staging uses are the same words (see models/staging/_staging__docs.md).
DEFECT_ACTIONS: dict[str, str] = {
    "duplicate_row": "quarantine",  # exact copy of another row
    "duplicate_key": "quarantine",  # same primary key as another row, different content, older last_updated_at
    "missing_required": "quarantine",  # a required field blank
    "unparseable_date": "quarantine",  # a required date that cannot be parsed
    "impossible_date": "quarantine",  # a date after the extract or before 1900 / before birth
    "date_order": "quarantine",  # offence after outcome, release before reception, end before start
    "unknown_code": "quarantine",  # offence, disposal, court or establishment code not in reference data
    "invalid_number": "quarantine",  # text in a numeric field
    "implausible_value": "quarantine",  # negative or absurd sentence length or score
    "code_whitespace_case": "clean",  # a code with stray whitespace or in the wrong case
    "date_alternative_format": "clean",  # a date in another unambiguous format (ISO in a DD/MM/YYYY system)
}
