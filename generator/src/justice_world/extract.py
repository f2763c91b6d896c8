"""What the five systems hold on the extract date: the raw tables of one chunk, before bad rows.

Everything here looks at the simulated world through the extract date: records made after it are absent,
outcomes decided after it are blank (pending), and person tables show the details as last recorded. Every
random choice is a stable per-record draw, so a later extract of the same world shows the same records the
same way, apart from what changed in between. Rows are ordered by the day they were created and then by
their (pseudo-random) identifier, so row order says nothing about who is who.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .careers import DISPOSALS, ORDER_TYPES, OUTCOME, OUTCOMES, RECEPTION_REASONS, RELEASE_REASONS, World
from .config import WorldConfig
from .identity import Observed, observe, pnc_ids
from .population import FAR_FUTURE, calendar_year
from .randomness import KeyedPermutation, enumerate_in_chunk, stable_uniform
from .raw_schema import NEED_COLUMNS, TABLES
from .reference import Reference
from .text import codes, integers, padded, system_date, timestamp_text, where

HIDDEN = ("_enum", "_person", "_noise", "_duplicate_id")
ASSESSMENT_TYPES = ("Pre-Sentence", "Start of Custody", "Pre-Release", "Start of Community", "Review")
ROSH = ("Low", "Medium", "High", "Very High")
TERMINATION_REASONS = (
    "Completed",
    "Expired (Normal)",
    "Revoked - Further Offence",
    "Revoked - Breach",
    "Died",
)
PRISON_NUMBER_SPACE = 26 * 10_000 * 26 * 26
CRN_SPACE = 26 * 1_000_000
LATE_CORRECTION_SHARE = 0.003
LETTERS = np.array(list("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))


@dataclass
class ChunkExtract:
    tables: dict[str, pa.Table]  # source_table -> raw columns plus the hidden helper columns


def _last_visible(values: list[np.ndarray], as_of: int) -> np.ndarray:
    stacked = np.stack([np.where((v >= 0) & (v <= as_of), v, -FAR_FUTURE) for v in values])
    return stacked.max(axis=0)


def _order(day: np.ndarray, identifier: np.ndarray) -> np.ndarray:
    return np.lexsort((identifier, day))


def _text(values: np.ndarray) -> pa.Array:
    return pa.array(np.asarray(values, dtype=object), type=pa.string())


def _per_key(key: np.ndarray, day: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Unique keys with the first and last day seen for each."""
    unique, inverse = np.unique(key, return_inverse=True)
    first = np.full(len(unique), FAR_FUTURE, dtype=np.int64)
    last = np.full(len(unique), -FAR_FUTURE, dtype=np.int64)
    np.minimum.at(first, inverse, day)
    np.maximum.at(last, inverse, day)
    return unique, first, last


class ChunkExtractor:
    """Builds one chunk's raw tables at the extract date."""

    def __init__(
        self, cfg: WorldConfig, ref: Reference, world: World, chunk: int, con: duckdb.DuckDBPyConnection
    ) -> None:
        self.cfg, self.ref, self.world, self.chunk, self.con = cfg, ref, world, chunk, con
        self.seed = cfg.seed
        self.as_of = cfg.as_of_day
        self.n_chunks = cfg.n_chunks
        people = world.people
        ep = world.episodes
        # PNC ids: the main id from the year of first contact; a duplicate id from the year it was created.
        self.main_pnc = pnc_ids(calendar_year(people.onset_day), people.pnc_serial)
        dup_created = np.full(len(people), FAR_FUTURE, dtype=np.int64)
        np.minimum.at(dup_created, ep["person"][ep["use_dup_pnc"]], ep["recorded_day"][ep["use_dup_pnc"]])
        has_dup = dup_created < FAR_FUTURE
        self.dup_pnc = np.where(
            has_dup,
            pnc_ids(calendar_year(np.where(has_dup, dup_created, 0)), np.maximum(people.duplicate_pnc_serial, 0)),
            None,
        )
        prison_space = KeyedPermutation(self.seed, "prison-number", PRISON_NUMBER_SPACE)
        crn_space = KeyedPermutation(self.seed, "crn", CRN_SPACE)
        gi = people.global_index
        self.main_prison = self._prison_numbers(prison_space.permute(gi))
        self.dup_prison = self._prison_numbers(prison_space.permute(gi + cfg.people))
        self.main_crn = self._crns(crn_space.permute(gi))
        self.dup_crn = self._crns(crn_space.permute(gi + cfg.people))
        self.episode_enum = enumerate_in_chunk(np.arange(len(ep["person"])), chunk, self.n_chunks)
        self.offence_enum = enumerate_in_chunk(np.arange(len(world.offences["code"])), chunk, self.n_chunks)
        self.extracted_at = f"{cfg.data_as_of.isoformat()} 23:59:59"

    @staticmethod
    def _prison_numbers(x: np.ndarray) -> np.ndarray:
        digits = np.char.zfill(((x // 676) % 10_000).astype(str), 4)
        tail = np.char.add(LETTERS[(x % 676) // 26], LETTERS[x % 26])
        return np.char.add(np.char.add(LETTERS[x // (10_000 * 676)], digits), tail).astype(object)

    @staticmethod
    def _crns(x: np.ndarray) -> np.ndarray:
        return np.char.add(LETTERS[x // 1_000_000], np.char.zfill((x % 1_000_000).astype(str), 6)).astype(object)

    def _id_numbers(self, purpose: str, enumeration: np.ndarray, digits: int) -> np.ndarray:
        return KeyedPermutation(self.seed, f"id:{purpose}", 10**digits).permute(enumeration)

    def _observe(
        self,
        person: np.ndarray,
        day: np.ndarray,
        enumeration: np.ndarray,
        purpose: str,
        pnc: np.ndarray | None = None,
        pnc_present: float = 1.0,
        records_middle_name: bool = True,
    ) -> Observed:
        return observe(
            self.con,
            self.ref,
            self.world.people,
            person,
            day,
            enumeration,
            purpose,
            self.seed,
            self.cfg.identifier_noise_rate,
            pnc,
            pnc_present,
            pnc_donors=self.main_pnc,
            records_middle_name=records_middle_name,
        )

    def _u(self, purpose: str, enumeration: np.ndarray, draw: int = 0) -> np.ndarray:
        return stable_uniform(self.seed, purpose, enumeration, draw)

    def _stamp(self, purpose: str, enumeration: np.ndarray, day: np.ndarray) -> pa.Array:
        seconds = (7 * 3600 + self._u(f"time:{purpose}", enumeration) * 11 * 3600).astype(np.int64)
        return timestamp_text(day, seconds)

    def _table(
        self,
        source_table: str,
        columns: dict[str, pa.Array | np.ndarray],
        hidden: dict[str, np.ndarray],
        sort_day: np.ndarray,
    ) -> pa.Table:
        spec = next(t for t in TABLES if t.source_table == source_table)
        n = len(next(iter(hidden.values())))
        data: dict[str, pa.Array] = {}
        for name in spec.column_names:
            if name == "extracted_at":
                data[name] = pa.array(np.full(n, self.extracted_at, dtype=object), pa.string())
                continue
            value = columns[name]
            data[name] = value if isinstance(value, pa.Array | pa.ChunkedArray) else _text(value)
        for name, value in hidden.items():
            data[name] = pa.array(value)
        # The writer orders every raw file by the day a record was made, then by a keyed pseudo-random
        # number of the record: nothing about the chunk or the person shows in the row order.
        data["_sort_day"] = pa.array(np.asarray(sort_day, dtype=np.int64))
        data["_sort_key"] = pa.array(
            KeyedPermutation(self.seed, f"row-order:{source_table}", 2**44).permute(
                np.asarray(hidden["_enum"], dtype=np.int64)
            )
        )
        return pa.table(data)

    # ------------------------------------------------------------------ police national computer
    def pnc(self) -> tuple[pa.Table, pa.Table]:
        world, ref, a = self.world, self.ref, self.as_of
        ep, off = world.episodes, world.offences
        people = world.people
        rows = np.flatnonzero(ep["recorded_day"][off["episode"]] <= a)
        ids = self._id_numbers("offence-record", self.offence_enum[rows], 12)
        order = _order(ep["recorded_day"][off["episode"][rows]], ids)
        rows, ids = rows[order], ids[order]
        e = off["episode"][rows]
        enum = self.offence_enum[rows]
        person = ep["person"][e]
        outcome = ep["outcome"][e]
        known = (ep["outcome_day"][e] <= a) & (ep["outcome_day"][e] >= 0)
        convicted = off["convicted"][rows]
        per_offence = np.where((outcome == OUTCOME["CONV"]) & ~convicted, OUTCOME["WDRN"], outcome)
        sentence_day, disposal = ep["sentence_day"][e], ep["disposal"][e]
        sentenced = known & convicted & (sentence_day >= 0) & (sentence_day <= a) & (disposal >= 0)
        length = ep["sentence_days"][e]
        use_dup = ep["use_dup_pnc"][e]
        pnc_id = np.where(use_dup, self.dup_pnc[person], self.main_pnc[person])
        # A few offence codes are keyed wrongly at first and corrected later.
        code = off["code"][rows].copy()
        correction = self._u("pnc-correction", enum) < LATE_CORRECTION_SHARE
        correction_day = ep["recorded_day"][e] + 30 + (self._u("pnc-correction-day", enum) * 700).astype(np.int64)
        wrong_now = np.flatnonzero(correction & (correction_day > a))
        if len(wrong_now):
            pool = np.flatnonzero(~ref.offences.is_breach)
            alternative = pool[(self._u("pnc-wrong-code", enum[wrong_now]) * len(pool)).astype(int)]
            same_group = ref.offences.group[alternative] == ref.offences.group[code[wrong_now]]
            code[wrong_now] = np.where(same_group, alternative, code[wrong_now])
        updated = _last_visible(
            [
                ep["recorded_day"][e],
                ep["outcome_day"][e],
                sentence_day,
                np.where(correction & (correction_day <= a), correction_day, -1),
            ],
            a,
        )
        yy = padded(calendar_year(ep["recorded_day"][e]) % 100, 2)
        force = codes(ref.force_code, ep["force"][e])
        asn = pc.binary_join_element_wise(
            yy, force, padded(self._id_numbers("asn", self.episode_enum[e], 9), 9, "A"), ""
        )
        outcomes = self._table(
            "pnc.offence_outcomes",
            {
                "offence_record_id": padded(ids, 12),
                "pnc_id": pnc_id,
                "arrest_summons_number": asn,
                "offence_code": codes(ref.offences.code, code),
                "offence_date": system_date(off["day"][rows], "pnc"),
                "outcome_code": codes(OUTCOMES, per_offence, known),
                "outcome_date": system_date(ep["outcome_day"][e], "pnc", known),
                "disposal_code": codes(DISPOSALS, disposal, sentenced),
                "sentence_length": where(sentenced & (length > 0), _length_text(length)),
                "force_code": force,
                "court_code": codes(ref.court_code, ep["court"][e], ep["court_type"][e] >= 0),
                "recorded_date": system_date(ep["recorded_day"][e], "pnc"),
                "last_updated_at": self._stamp("pnc-offence", enum, updated),
            },
            {"_enum": enum, "_person": person},
            ep["recorded_day"][e],
        )

        # Person records: one per PNC id seen on a visible offence, with details as last recorded.
        key, created, latest = _per_key(people.global_index[person] * 2 + use_dup, ep["recorded_day"][e])
        local = np.searchsorted(people.global_index, key // 2)
        is_dup = (key % 2).astype(bool)
        person_pnc = np.where(is_dup, self.dup_pnc[local], self.main_pnc[local])
        order = np.lexsort((person_pnc.astype(str), created))
        key, created, latest, local, is_dup, person_pnc = (
            x[order] for x in (key, created, latest, local, is_dup, person_pnc)
        )
        obs = self._observe(local, latest, key, "pnc")
        u = self._u("pnc-ethnicity", key)
        self_defined = np.where(u < 0.55, people.self_defined_code[local], np.where(u < 0.65, "NS", None))
        officer = np.where(self._u("pnc-ic", key) < 0.97, people.officer_code[local], "IC9")
        sex = codes(("M", "F", "U"), _sex_index(obs.sex), (_sex_index(obs.sex) < 2) | (self._u("pnc-sex", key) < 0.5))
        persons = self._table(
            "pnc.persons",
            {
                "pnc_id": person_pnc,
                "surname": pc.utf8_upper(obs.surname),
                "forename_1": pc.utf8_upper(obs.forename),
                "forename_2": pc.utf8_upper(obs.middle_name),
                "date_of_birth": obs.dob_text("pnc"),
                "sex": sex,
                "self_defined_ethnicity": self_defined,
                "officer_ethnicity": officer,
                "postcode": obs.postcode,
                "owning_force_code": codes(ref.force_code, ref.areas.force[people.area_at(local, created)]),
                "created_date": system_date(created, "pnc"),
                "last_updated_at": self._stamp("pnc-person", key, latest),
            },
            {"_enum": key, "_person": local, "_noise": obs.noise, "_duplicate_id": is_dup},
            created,
        )
        return persons, outcomes

    # ------------------------------------------------------------------ criminal courts
    def courts(self) -> tuple[pa.Table, pa.Table, pa.Table]:
        world, ref, a = self.world, self.ref, self.as_of
        ep, off = world.episodes, world.offences
        people = world.people
        cases = np.flatnonzero((ep["court_type"] >= 0) & (ep["first_hearing_day"] <= a))
        case_number = self._id_numbers("case", self.episode_enum[cases], 10)
        order = _order(ep["first_hearing_day"][cases], case_number)
        cases, case_number = cases[order], case_number[order]
        enum = self.episode_enum[cases]
        person = ep["person"][cases]
        case_id = padded(case_number, 10, "C")
        convicted = ep["outcome"][cases] == OUTCOME["CONV"]
        first_hearing = ep["first_hearing_day"][cases]
        case_end = np.where(
            convicted & (ep["sentence_day"][cases] >= 0), ep["sentence_day"][cases], ep["verdict_day"][cases]
        )
        updated = _last_visible([first_hearing, ep["verdict_day"][cases], case_end], a)
        case_table = self._table(
            "courts.cases",
            {
                "case_id": case_id,
                "court_code": codes(ref.court_code, ep["court"][cases]),
                "court_type": codes(("MC", "CC"), ep["court_type"][cases]),
                "first_hearing_date": system_date(first_hearing, "courts"),
                "case_completed_date": system_date(case_end, "courts", case_end <= a),
                "last_updated_at": self._stamp("case", enum, updated),
            },
            {"_enum": enum, "_person": person},
            first_hearing,
        )

        defendant_id = padded(self._id_numbers("defendant", enum, 10), 10)
        pnc = np.where(ep["use_dup_pnc"][cases], self.dup_pnc[person], self.main_pnc[person])
        obs = self._observe(person, first_hearing, enum, "courts", pnc, pnc_present=0.9)
        sex_index = _sex_index(obs.sex) + 3 * (self._u("court-sex", enum) < 0.1)
        sex = codes(("Male", "Female", "Unknown", "male", "female", "unknown"), sex_index)
        forenames = pc.utf8_trim_whitespace(
            pc.binary_join_element_wise(obs.forename, pc.fill_null(obs.middle_name, ""), " ")
        )
        defendants = self._table(
            "courts.defendants",
            {
                "defendant_id": defendant_id,
                "case_id": case_id,
                "pnc_id": obs.pnc_id,
                "surname": obs.surname,
                "forenames": forenames,
                "date_of_birth": obs.dob_text("courts"),
                "sex": sex,
                "postcode": obs.postcode,
                "self_defined_ethnicity": np.where(
                    self._u("court-ethnicity", enum) < 0.3, people.self_defined_code[person], None
                ),
                "last_updated_at": self._stamp("defendant", enum, first_hearing),
            },
            {"_enum": enum, "_person": person, "_noise": obs.noise},
            first_hearing,
        )

        # Offences on visible cases, in case order.
        position = np.full(len(ep["person"]), -1, dtype=np.int64)
        position[cases] = np.arange(len(cases))
        rows = np.flatnonzero(position[off["episode"]] >= 0)
        rows = rows[np.argsort(position[off["episode"][rows]], kind="stable")]
        e = off["episode"][rows]
        c = pa.array(position[e])
        oenum = self.offence_enum[rows]
        outcome = ep["outcome"][e]
        verdict_known = ep["verdict_day"][e] <= a
        offence_convicted = off["convicted"][rows]
        verdict = np.select(
            [outcome == OUTCOME["CONV"], outcome == OUTCOME["ACQT"], outcome == OUTCOME["DISM"]],
            [np.where(offence_convicted, 0, 3), 1, 2],
            3,
        )
        plea = np.where(
            ep["guilty_plea"][e],
            0,
            np.where(np.isin(outcome, [OUTCOME["WDRN"], OUTCOME["DISM"]]) & (self._u("plea", oenum) < 0.5), 2, 1),
        )
        sentence_day = ep["sentence_day"][e]
        sentence_known = offence_convicted & (sentence_day >= 0) & (sentence_day <= a) & (ep["disposal"][e] >= 0)
        length = ep["sentence_days"][e]
        updated = _last_visible(
            [ep["first_hearing_day"][e], ep["verdict_day"][e], np.where(sentence_known, sentence_day, -1)], a
        )
        case_offences = self._table(
            "courts.case_offences",
            {
                "case_offence_id": padded(self._id_numbers("case-offence", oenum, 11), 11),
                "case_id": case_id.take(c),
                "defendant_id": defendant_id.take(c),
                "offence_code": codes(ref.offences.code, off["code"][rows]),
                "offence_date": system_date(off["day"][rows], "courts"),
                "plea": codes(("Guilty", "Not Guilty", "No Plea"), plea),
                "verdict": codes(("Guilty", "Not Guilty", "Dismissed", "Withdrawn"), verdict, verdict_known),
                "verdict_date": system_date(ep["verdict_day"][e], "courts", verdict_known),
                "sentence_date": system_date(sentence_day, "courts", sentence_known),
                "disposal_code": codes(DISPOSALS, ep["disposal"][e], sentence_known),
                "sentence_length_days": integers(length, sentence_known & (length > 0)),
                "is_principal_offence": codes(("N", "Y"), off["is_principal"][rows].astype(np.int64)),
                "last_updated_at": self._stamp("case-offence", oenum, updated),
            },
            {"_enum": oenum, "_person": ep["person"][e]},
            ep["first_hearing_day"][e],
        )
        return defendants, case_table, case_offences

    # ------------------------------------------------------------------ prisons
    def prisons(self) -> tuple[pa.Table, pa.Table]:
        world, ref, a = self.world, self.ref, self.as_of
        sp = world.spells
        people = world.people
        rows = np.flatnonzero(sp["start"] <= a)
        ids = self._id_numbers("spell", enumerate_in_chunk(rows, self.chunk, self.n_chunks), 9)
        order = _order(sp["start"][rows], ids)
        rows, ids = rows[order], ids[order]
        enum = enumerate_in_chunk(rows, self.chunk, self.n_chunks)
        person = sp["person"][rows]
        start, end = sp["start"][rows], sp["end"][rows]
        # Holders of a duplicate number get it on some spells after their first.
        first_spell = np.full(len(people), FAR_FUTURE, dtype=np.int64)
        np.minimum.at(first_spell, sp["person"], sp["start"])
        use_dup = people.duplicate_prison[person] & (start > first_spell[person]) & (self._u("prison-dup", enum) < 0.35)
        released = end <= a
        sentence_day = sp["sentence_day"][rows]
        sentence_known = (sentence_day >= 0) & (sentence_day <= a) & ~sp["remand_only"][rows]
        length = sp["sentence_days"][rows]
        region = ref.areas.region[people.area_at(person, start)]
        updated = _last_visible([start, np.where(sentence_known, sentence_day, -1), end], a)
        spells = self._table(
            "prisons.custodial_spells",
            {
                "spell_id": padded(ids, 9),
                "prison_number": np.where(use_dup, self.dup_prison[person], self.main_prison[person]),
                "establishment_code": self._establishment(region, sp["youth"][rows], enum),
                "reception_date": system_date(start, "prisons"),
                "reception_reason": codes(RECEPTION_REASONS, sp["reception_reason"][rows]),
                "sentence_date": system_date(sentence_day, "prisons", sentence_known),
                "sentence_length_days": integers(length, sentence_known & (length > 0)),
                "release_date": system_date(end, "prisons", released),
                "release_reason": codes(RELEASE_REASONS, sp["release_reason"][rows], released),
                "last_updated_at": self._stamp("spell", enum, updated),
            },
            {"_enum": enum, "_person": person},
            start,
        )

        key, first, latest = _per_key(people.global_index[person] * 2 + use_dup, start)
        local = np.searchsorted(people.global_index, key // 2)
        is_dup = (key % 2).astype(bool)
        number = np.where(is_dup, self.dup_prison[local], self.main_prison[local])
        order = np.lexsort((number.astype(str), first))
        key, first, latest, local, is_dup, number = (x[order] for x in (key, first, latest, local, is_dup, number))
        obs = self._observe(local, latest, key, "prisons", self.main_pnc[local], pnc_present=0.95)
        prisoners = self._table(
            "prisons.prisoners",
            {
                "prison_number": number,
                "pnc_id": obs.pnc_id,
                "first_name": pc.utf8_upper(obs.forename),
                "middle_names": pc.utf8_upper(obs.middle_name),
                "last_name": pc.utf8_upper(obs.surname),
                "birth_date": obs.dob_text("prisons"),
                "sex": obs.sex,
                "ethnicity_code": np.where(
                    self._u("prison-ethnicity", key) < 0.95, people.self_defined_code[local], None
                ),
                "postcode": obs.postcode,
                "last_updated_at": self._stamp("prisoner", key, latest),
            },
            {"_enum": key, "_person": local, "_noise": obs.noise, "_duplicate_id": is_dup},
            first,
        )
        return prisoners, spells

    def _establishment(self, region: np.ndarray, youth: np.ndarray, enum: np.ndarray) -> pa.Array:
        ref = self.ref
        u = self._u("establishment", enum)
        out = np.zeros(len(region), dtype=np.int64)
        for is_youth in (False, True):
            pool = np.flatnonzero(ref.establishment_youth == is_youth)
            for r in np.unique(region):
                sel = np.flatnonzero((region == r) & (youth == is_youth))
                local_pool = pool[ref.establishment_region[pool] == r]
                choices = local_pool if len(local_pool) else pool
                out[sel] = choices[(u[sel] * len(choices)).astype(int)]
        return codes(ref.establishment_code, out)

    # ------------------------------------------------------------------ probation and assessments
    def probation_and_assessments(self) -> tuple[pa.Table, pa.Table, pa.Table]:
        world, ref, a = self.world, self.ref, self.as_of
        od, ep, asmt = world.orders, world.episodes, world.assessments
        people = world.people
        rows = np.flatnonzero(od["start"] <= a)
        ids = self._id_numbers("event", enumerate_in_chunk(rows, self.chunk, self.n_chunks), 10)
        order = _order(od["start"][rows], ids)
        rows, ids = rows[order], ids[order]
        enum = enumerate_in_chunk(rows, self.chunk, self.n_chunks)
        person = od["person"][rows]
        first_order = np.full(len(people), FAR_FUTURE, dtype=np.int64)
        np.minimum.at(first_order, od["person"], od["start"])
        use_dup = (
            people.duplicate_crn[person] & (od["start"][rows] > first_order[person]) & (self._u("crn-dup", enum) < 0.35)
        )
        ended = od["end"][rows] <= a
        events = self._table(
            "probation.events",
            {
                "event_id": padded(ids, 10),
                "crn": np.where(use_dup, self.dup_crn[person], self.main_crn[person]),
                "event_type": codes(ORDER_TYPES, od["type"][rows]),
                "sentence_date": system_date(od["sentence_day"][rows], "probation"),
                "start_date": system_date(od["start"][rows], "probation"),
                "expected_end_date": system_date(od["expected_end"][rows], "probation"),
                "termination_date": system_date(od["end"][rows], "probation", ended),
                "termination_reason": codes(TERMINATION_REASONS, od["reason"][rows], ended),
                "main_offence_code": codes(ref.offences.code, ep["principal_offence"][od["episode"][rows]]),
                "last_updated_at": self._stamp("event", enum, _last_visible([od["start"][rows], od["end"][rows]], a)),
            },
            {"_enum": enum, "_person": person},
            od["start"][rows],
        )

        arows = np.flatnonzero(asmt["day"] <= a)
        aids = self._id_numbers("assessment", enumerate_in_chunk(arows, self.chunk, self.n_chunks), 9)
        order = _order(asmt["day"][arows], aids)
        arows, aids = arows[order], aids[order]
        aenum = enumerate_in_chunk(arows, self.chunk, self.n_chunks)
        aperson = asmt["person"][arows]
        in_custody = asmt["in_custody"][arows]
        obs = self._observe(aperson, asmt["day"][arows], aenum, "oasys", records_middle_name=False)
        scores = asmt["scores"][arows]
        columns: dict[str, pa.Array | np.ndarray] = {
            "assessment_id": padded(aids, 9),
            "crn": np.where(in_custody, None, self.main_crn[aperson]),
            "prison_number": np.where(in_custody, self.main_prison[aperson], None),
            "family_name": pc.utf8_upper(obs.surname),
            "forename": pc.utf8_upper(obs.forename),
            "date_of_birth": obs.dob_text("oasys"),
            "gender": obs.sex,
            "postcode": obs.postcode,
            "assessment_date": system_date(asmt["day"][arows], "oasys"),
            "assessment_type": codes(ASSESSMENT_TYPES, asmt["type"][arows]),
            "rosh_level": codes(ROSH, asmt["rosh"][arows]),
            "last_updated_at": self._stamp("assessment", aenum, asmt["day"][arows]),
        }
        for i, name in enumerate(NEED_COLUMNS):
            columns[name] = integers(scores[:, i])
        assessments = self._table(
            "oasys.assessments",
            columns,
            {"_enum": aenum, "_person": aperson, "_noise": obs.noise},
            asmt["day"][arows],
        )

        # People on probation: everyone with a visible event, and everyone assessed in the community.
        community = ~in_custody
        key, first, latest = _per_key(
            np.concatenate([people.global_index[person] * 2 + use_dup, people.global_index[aperson[community]] * 2]),
            np.concatenate([od["start"][rows], asmt["day"][arows][community]]),
        )
        local = np.searchsorted(people.global_index, key // 2)
        is_dup = (key % 2).astype(bool)
        crn = np.where(is_dup, self.dup_crn[local], self.main_crn[local])
        order = np.lexsort((crn.astype(str), first))
        key, first, latest, local, is_dup, crn = (x[order] for x in (key, first, latest, local, is_dup, crn))
        obs = self._observe(local, latest, key, "probation", self.main_pnc[local], pnc_present=0.85)
        texts = ref.ethnicity["probation_text"]
        not_stated = texts["value"][texts["group"] == "Not stated"]
        fallback = not_stated[(self._u("probation-not-stated", key) * len(not_stated)).astype(int)]
        ethnicity = np.where(self._u("probation-ethnicity", key) < 0.9, people.probation_ethnicity[local], fallback)
        gender = _sex_index(obs.sex)
        probation_people = self._table(
            "probation.people",
            {
                "crn": crn,
                "pnc_id": obs.pnc_id,
                "first_name": obs.forename,
                "second_name": obs.middle_name,
                "surname": obs.surname,
                "date_of_birth": obs.dob_text("probation"),
                "gender": codes(("Male", "Female", "Not Specified"), gender),
                "ethnicity": ethnicity,
                "postcode": obs.postcode,
                "last_updated_at": self._stamp("probation-person", key, latest),
            },
            {"_enum": key, "_person": local, "_noise": obs.noise, "_duplicate_id": is_dup},
            first,
        )
        return probation_people, events, assessments

    def run(self) -> ChunkExtract:
        persons, outcomes = self.pnc()
        defendants, cases, case_offences = self.courts()
        prisoners, spells = self.prisons()
        probation_people, events, assessments = self.probation_and_assessments()
        return ChunkExtract(
            tables={
                "pnc.persons": persons,
                "pnc.offence_outcomes": outcomes,
                "courts.defendants": defendants,
                "courts.cases": cases,
                "courts.case_offences": case_offences,
                "prisons.prisoners": prisoners,
                "prisons.custodial_spells": spells,
                "probation.people": probation_people,
                "probation.events": events,
                "oasys.assessments": assessments,
            }
        )


def _sex_index(sex: pa.Array) -> np.ndarray:
    """0 for M, 1 for F, 2 when not recorded."""
    index = pc.index_in(sex, value_set=pa.array(["M", "F"]))
    return pc.fill_null(index, 2).to_numpy(zero_copy_only=False).astype(np.int64)


def _length_text(days: np.ndarray) -> pa.Array:
    """A PNC-style length with unit: whole years as `nY`, otherwise months `nM`, short terms in days `nD`."""
    days = np.asarray(days, dtype=np.int64)
    months = np.round(days / 30.4375).astype(np.int64)
    years = np.round(days / 365.25).astype(np.int64)
    whole_years = (days >= 365) & (np.abs(days - years * 365.25) <= 3) & (years >= 1)
    unit = np.where(whole_years, 0, np.where(days >= 28, 1, 2))
    number = np.select([unit == 0, unit == 1], [years, months], days)
    return pc.binary_join_element_wise(integers(number), codes(("Y", "M", "D"), unit), "")
