"""Ground truth: who is behind every record, and the true proven offences and index events.

The models never read these files; evaluation does (linkage quality, methodology validation, calibration).
They describe the world as it stands on the extract date.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from .careers import (
    CAUTION_OUTCOMES,
    CUSTODIAL_DISPOSALS,
    DISPOSALS,
    OUTCOME,
    OUTCOMES,
    RELEASE,
    RELEASE_REASONS,
    World,
)
from .config import WorldConfig
from .population import ETHNIC_GROUPS
from .raw_schema import TABLES
from .reference import Reference

SENTENCED_RELEASES = np.array([RELEASE["CONDITIONAL RELEASE"], RELEASE["END OF SENTENCE"], RELEASE["END OF RECALL"]])


def _dates(days: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    days = np.asarray(days, dtype=np.int64)
    mask = None if valid is None else ~valid
    return pa.array(
        np.where(mask if mask is not None else False, 0, days).astype(np.int32), type=pa.date32(), mask=mask
    )


def person_records(tables: dict[str, pa.Table], world: World) -> pa.Table:
    """One row per raw record that identifies a person (before bad rows are injected)."""
    parts = []
    for spec in TABLES:
        if not spec.identifies_person:
            continue
        t = tables[spec.source_table]
        local = t.column("_person").to_numpy()
        n = t.num_rows
        duplicate = (
            t.column("_duplicate_id") if "_duplicate_id" in t.column_names else pa.array(np.zeros(n, dtype=bool))
        )
        noise = t.column("_noise")
        parts.append(
            pa.table(
                {
                    "source_system": pa.array([spec.system] * n, pa.string()),
                    "source_table": pa.array([spec.source_table] * n, pa.string()),
                    "source_record_id": t.column(spec.primary_key),
                    "true_person_id": pa.array(world.people.true_person_id[local]),
                    "identifier_noise": noise,
                    "has_identifier_noise": pa.array(noise.to_numpy(zero_copy_only=False) != ""),
                    "is_duplicate_id": duplicate,
                }
            )
        )
    return pa.concat_tables(parts)


def people(cfg: WorldConfig, ref: Reference, world: World, seen: np.ndarray) -> pa.Table:
    """The people behind the extract's records (chunk-local indices ``seen``)."""
    pp = world.people
    a = cfg.as_of_day
    area = pp.area_at(seen, np.minimum(np.full(len(seen), a), pp.death_day[seen]))
    died = pp.death_day[seen] <= a
    return pa.table(
        {
            "true_person_id": pa.array(pp.true_person_id[seen]),
            "date_of_birth": _dates(pp.dob[seen]),
            "sex": pa.array(pp.sex[seen].astype(object), pa.string()),
            "ethnicity_group": pa.array(np.array(ETHNIC_GROUPS, dtype=object)[pp.ethnic_group[seen]], pa.string()),
            "region": pa.array(ref.region_name[ref.areas.region[area]].astype(object), pa.string()),
            "deprivation_decile": pa.array(ref.areas.decile[area]),
            "date_of_death": _dates(pp.death_day[seen], died),
            "area_code": pa.array(ref.areas.code[area].astype(object), pa.string()),
            "police_force_code": pa.array(ref.force_code[ref.areas.force[area]].astype(object), pa.string()),
        }
    )


def proven_offences(cfg: WorldConfig, ref: Reference, world: World) -> pa.Table:
    """Every true proven offence (conviction or caution) proven on or before the extract date."""
    ep, off = world.episodes, world.offences
    a = cfg.as_of_day
    e = off["episode"]
    outcome = ep["outcome"][e]
    conviction = off["convicted"] & (outcome == OUTCOME["CONV"]) & (ep["verdict_day"][e] <= a)
    caution = np.isin(outcome, CAUTION_OUTCOMES) & (ep["outcome_day"][e] <= a)
    rows = np.flatnonzero(conviction | caution)
    e = e[rows]
    code = off["code"][rows]
    is_conviction = conviction[rows]
    sentenced = is_conviction & (ep["disposal"][e] >= 0) & (ep["sentence_day"][e] <= a)
    disposal = np.where(
        is_conviction,
        np.where(sentenced, np.array((*DISPOSALS, ""), dtype=object)[ep["disposal"][e]], None),
        np.array(OUTCOMES, dtype=object)[ep["outcome"][e]],
    )
    offences = ref.offences
    return pa.table(
        {
            "true_person_id": pa.array(world.people.true_person_id[ep["person"][e]]),
            "offence_code": pa.array(offences.code[code].astype(object), pa.string()),
            "offence_group": pa.array(ref.offence_group_codes[offences.group[code]].astype(object), pa.string()),
            "offence_date": _dates(off["day"][rows]),
            "proven_date": _dates(np.where(is_conviction, ep["verdict_day"][e], ep["outcome_day"][e])),
            "outcome_type": pa.array(np.where(is_conviction, "conviction", "caution").astype(object), pa.string()),
            "disposal_type": pa.array(disposal.astype(object), pa.string()),
            "is_recordable": pa.array(offences.is_recordable[code]),
            "is_breach": pa.array(offences.is_breach[code]),
            "seriousness_rank": pa.array(offences.rank[code]),
            "sentence_date": _dates(ep["sentence_day"][e], sentenced),
        }
    )


def index_events(cfg: WorldConfig, ref: Reference, world: World) -> pa.Table:
    """Every true event that can start a proven-reoffending cohort (docs/methodology.md section 2), at any age."""
    ep, off, sp = world.episodes, world.offences, world.spells
    a = cfg.as_of_day
    codes = ref.offences.code
    # Releases from sentenced custody (also after recall); never remand-only spells.
    release = np.flatnonzero(~sp["remand_only"] & (sp["end"] <= a) & np.isin(sp["release_reason"], SENTENCED_RELEASES))
    spell_episode = sp["episode"][release]
    has_episode = spell_episode >= 0
    release_disposal = np.where(
        has_episode,
        np.array((*DISPOSALS, ""), dtype=object)[ep["disposal"][np.maximum(spell_episode, 0)]],
        "IMP",
    )
    release_disposal = np.where(release_disposal == "", "IMP", release_disposal)
    release_offence = np.where(has_episode, codes[ep["principal_offence"][np.maximum(spell_episode, 0)]], None)
    # Which episodes include an offence that counts (recordable and not a breach), convicted or cautioned.
    counts = ref.offences.is_recordable[off["code"]] & ~ref.offences.is_breach[off["code"]]
    outcome = ep["outcome"][off["episode"]]
    counted_conviction = np.zeros(len(ep["person"]), dtype=bool)
    np.logical_or.at(counted_conviction, off["episode"], counts & off["convicted"] & (outcome == OUTCOME["CONV"]))
    counted_caution = np.zeros(len(ep["person"]), dtype=bool)
    np.logical_or.at(counted_caution, off["episode"], counts & np.isin(outcome, CAUTION_OUTCOMES))
    court = np.flatnonzero(
        counted_conviction
        & (ep["disposal"] >= 0)
        & ~np.isin(ep["disposal"], CUSTODIAL_DISPOSALS)
        & (ep["sentence_day"] >= 0)
        & (ep["sentence_day"] <= a)
    )
    caution = np.flatnonzero(counted_caution & (ep["outcome_day"] <= a))
    pp = world.people

    def part(
        kind: str,
        person: np.ndarray,
        day: np.ndarray,
        disposal: np.ndarray,
        offence: np.ndarray,
        length: np.ndarray | None,
    ) -> pa.Table:
        return pa.table(
            {
                "true_person_id": pa.array(pp.true_person_id[person]),
                "event_type": pa.array([kind] * len(person), pa.string()),
                "event_date": _dates(day),
                "disposal_type": pa.array(np.asarray(disposal, dtype=object), pa.string()),
                "principal_offence_code": pa.array(np.asarray(offence, dtype=object), pa.string()),
                "sentence_length_days": pa.array(
                    np.zeros(len(person)) if length is None else length,
                    pa.int64(),
                    mask=np.ones(len(person), bool) if length is None else length <= 0,
                ),
            }
        )

    court_length = ep["sentence_days"][court]
    return pa.concat_tables(
        [
            part(
                "custody_release",
                sp["person"][release],
                sp["end"][release],
                release_disposal,
                release_offence,
                sp["sentence_days"][release],
            ),
            part(
                "court_order",
                ep["person"][court],
                ep["sentence_day"][court],
                np.array(DISPOSALS, dtype=object)[ep["disposal"][court]],
                codes[ep["principal_offence"][court]],
                court_length,
            ),
            part(
                "caution",
                ep["person"][caution],
                ep["outcome_day"][caution],
                np.array(OUTCOMES, dtype=object)[ep["outcome"][caution]],
                codes[ep["principal_offence"][caution]],
                None,
            ),
        ]
    )


__all__ = ["RELEASE_REASONS", "index_events", "people", "person_records", "proven_offences"]
