"""People: who they are, where they live, when their offending starts, how prone to it they are.

Drawn chunk by chunk; a small world-wide plan (first-contact dates and duplicate-identifier holders) is made
once so identifiers can be allocated without collisions across chunks.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import parameters as p
from .config import WorldConfig, to_day
from .randomness import KeyedPermutation, grouped_choice, rng, weighted_choice
from .reference import ORIGINS, Reference

ETHNIC_GROUPS = ("White", "Black", "Asian", "Mixed", "Other")
PNC_DUPLICATE_SERIAL_BASE = 5_000_000
DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class WorldPlan:
    """World-wide draws needed before chunking: first-contact days and identifier allocations."""

    onset_day: np.ndarray  # int64 per person
    pnc_serial: np.ndarray  # int64, unique within the year of first contact
    duplicate_pnc_serial: np.ndarray  # int64, -1 when the person never gets a duplicate PNC id
    duplicate_prison: np.ndarray  # bool
    duplicate_crn: np.ndarray  # bool


def plan_world(cfg: WorldConfig) -> WorldPlan:
    generator = rng(cfg.seed, "world-plan")
    n = cfg.people
    start, end = to_day(cfg.world_start), to_day(cfg.world_end)
    onset_day = generator.integers(start, end + 1, size=n)
    year = calendar_year(onset_day)  # PNC ids carry the year of first contact
    order = np.lexsort((np.arange(n), year))
    sorted_year = year[order]
    first_of_year = np.searchsorted(sorted_year, sorted_year, side="left")
    rank_in_year = np.empty(n, dtype=np.int64)
    rank_in_year[order] = np.arange(n) - first_of_year
    serials = KeyedPermutation(cfg.seed, "pnc-serial", PNC_DUPLICATE_SERIAL_BASE).permute(rank_in_year)
    has_dup = generator.random(n) < p.DUPLICATE_PNC_SHARE
    dup_rank = np.cumsum(has_dup) - 1
    dup_serial = np.full(n, -1, dtype=np.int64)
    dup_space = KeyedPermutation(cfg.seed, "pnc-duplicate-serial", PNC_DUPLICATE_SERIAL_BASE)
    dup_serial[has_dup] = PNC_DUPLICATE_SERIAL_BASE + dup_space.permute(dup_rank[has_dup])
    return WorldPlan(
        onset_day=onset_day,
        pnc_serial=serials,
        duplicate_pnc_serial=dup_serial,
        duplicate_prison=generator.random(n) < p.DUPLICATE_PRISON_NUMBER_SHARE,
        duplicate_crn=generator.random(n) < p.DUPLICATE_CRN_SHARE,
    )


@dataclass
class People:
    """One chunk of people. Arrays are indexed by the person's position in the chunk."""

    global_index: np.ndarray
    sex: np.ndarray  # "M" / "F"
    ethnic_group: np.ndarray  # index into ETHNIC_GROUPS
    self_defined_code: np.ndarray  # str
    officer_code: np.ndarray  # str
    probation_ethnicity: np.ndarray  # str
    forename: np.ndarray  # index into names.forename
    middle_name: np.ndarray  # index or -1
    surname: np.ndarray  # index into names.surname
    new_surname: np.ndarray  # index or -1
    surname_change_day: np.ndarray  # day or a far-future day
    hyphenated_change: np.ndarray  # bool: the new surname is "old-new"
    dob: np.ndarray  # day
    onset_day: np.ndarray
    propensity: np.ndarray
    area: np.ndarray  # [n, MAX_MOVES + 1] area index per residence
    move_day: np.ndarray  # [n, MAX_MOVES] day each move happens (far future when none)
    inward_code: np.ndarray  # [n, MAX_MOVES + 1] postcode inward part as an integer code
    stop_day: np.ndarray  # death or emigration (far future when neither)
    death_day: np.ndarray
    needs: np.ndarray  # [n, 10] latent needs
    is_doppelganger: np.ndarray
    pnc_serial: np.ndarray
    duplicate_pnc_serial: np.ndarray
    duplicate_prison: np.ndarray
    duplicate_crn: np.ndarray

    def __len__(self) -> int:
        return len(self.global_index)

    @property
    def true_person_id(self) -> np.ndarray:
        return self.global_index + 1

    def residence_at(self, person: np.ndarray, day: np.ndarray) -> np.ndarray:
        """Which residence (0..MAX_MOVES) a person had on a day."""
        return (self.move_day[person] <= np.asarray(day)[:, None]).sum(axis=1)

    def area_at(self, person: np.ndarray, day: np.ndarray) -> np.ndarray:
        return self.area[person, self.residence_at(person, day)]


FAR_FUTURE = 10**6


def calendar_year(day: np.ndarray) -> np.ndarray:
    """Calendar year of days since 1970-01-01."""
    return np.asarray(day, dtype="int64").astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


def _pick_by_origin(
    generator: np.random.Generator,
    item_origin: np.ndarray,
    weights: np.ndarray,
    wanted_origin: np.ndarray,
    item_sex: np.ndarray | None = None,
    wanted_sex: np.ndarray | None = None,
) -> np.ndarray:
    origin_index = {o: i for i, o in enumerate(ORIGINS)}
    item_group = np.array([origin_index[o] for o in item_origin])
    wanted = wanted_origin.copy()
    if item_sex is not None and wanted_sex is not None:
        item_group = item_group * 2 + (item_sex == "F")
        wanted = wanted * 2 + (wanted_sex == "F")
    present = np.zeros(item_group.max() + 1, dtype=bool)
    present[np.unique(item_group)] = True
    # Fall back to British names for an origin the lists lack.
    fallback = 0 if item_sex is None else (wanted % 2)
    missing = ~present[np.minimum(wanted, len(present) - 1)] | (wanted >= len(present))
    wanted = np.where(missing, fallback, wanted)
    return grouped_choice(generator, item_group, weights, wanted)


def _ethnicity(generator: np.random.Generator, ref: Reference, group: np.ndarray) -> tuple[np.ndarray, ...]:
    n = len(group)
    self_defined = np.empty(n, dtype=object)
    probation = np.empty(n, dtype=object)
    officer = np.empty(n, dtype=object)
    officer_mix = {
        "White": (["IC1", "IC2"], [0.9, 0.1]),
        "Black": (["IC3"], [1.0]),
        "Asian": (["IC4", "IC5"], [0.9, 0.1]),
        "Mixed": (["IC3", "IC1", "IC4", "IC6"], [0.45, 0.35, 0.1, 0.1]),
        "Other": (["IC6", "IC5", "IC4", "IC1"], [0.45, 0.35, 0.1, 0.1]),
    }
    for g, name in enumerate(ETHNIC_GROUPS):
        members = np.flatnonzero(group == g)
        if not len(members):
            continue
        for scheme, target in (("self_defined", self_defined), ("probation_text", probation)):
            values = ref.ethnicity[scheme]["value"][ref.ethnicity[scheme]["group"] == name]
            weights = np.ones(len(values))
            weights[0] = 4.0  # the first listed (largest) category is the most common
            target[members] = values[weighted_choice(generator, weights, len(members))]
        codes, shares = officer_mix[name]
        officer[members] = np.array(codes, dtype=object)[weighted_choice(generator, np.array(shares), len(members))]
    return self_defined, officer, probation


def make_people(cfg: WorldConfig, ref: Reference, plan: WorldPlan, chunk: int) -> People:
    g0, g1 = cfg.chunk_bounds(chunk)
    n = g1 - g0
    generator = rng(cfg.seed, "people", chunk)
    names = ref.names
    onset_day = plan.onset_day[g0:g1]

    sex = np.where(generator.random(n) < p.MALE_SHARE, "M", "F")
    group_shares = np.array([p.ETHNICITY_GROUP_SHARES[g] for g in ETHNIC_GROUPS])
    ethnic_group = weighted_choice(generator, group_shares, n)
    self_defined, officer, probation = _ethnicity(generator, ref, ethnic_group)
    origin = np.zeros(n, dtype=np.int64)
    for g, name in enumerate(ETHNIC_GROUPS):
        members = np.flatnonzero(ethnic_group == g)
        mix = p.NAME_ORIGIN_BY_GROUP[name]
        origins = np.array([ORIGINS.index(o) for o in mix])
        origin[members] = origins[weighted_choice(generator, np.array(list(mix.values())), len(members))]
    forename = _pick_by_origin(generator, names.forename_origin, names.forename_weight, origin, names.forename_sex, sex)
    middle = _pick_by_origin(generator, names.forename_origin, names.forename_weight, origin, names.forename_sex, sex)
    middle = np.where((generator.random(n) < p.MIDDLE_NAME_SHARE) & (middle != forename), middle, -1)
    surname = _pick_by_origin(generator, names.surname_origin, names.surname_weight, origin)

    # Age at first contact, then date of birth.
    juvenile_onset = generator.random(n) < p.JUVENILE_ONSET_SHARE
    juvenile_age = 10.01 + weighted_choice(generator, p.JUVENILE_ONSET_AGE_WEIGHTS, n) + generator.random(n) * 0.98
    adult_age = 18 + generator.lognormal(p.ADULT_ONSET_LOG_MEAN, p.ADULT_ONSET_LOG_SD, n)
    adult_age = np.where(adult_age > p.ADULT_ONSET_MAX_AGE, 18 + generator.random(n) * 30, adult_age)
    onset_age = np.where(juvenile_onset, juvenile_age, adult_age)
    dob = onset_day - np.round(onset_age * DAYS_PER_YEAR).astype(np.int64)

    # Where they live: offenders concentrate in deprived areas; moves over time.
    areas = ref.areas
    residence_weight = areas.weight * p.DEPRIVATION_RESIDENCE[areas.decile - 1]
    area = np.empty((n, p.MAX_MOVES + 1), dtype=np.int64)
    area[:, 0] = weighted_choice(generator, residence_weight, n)
    gaps = generator.exponential(DAYS_PER_YEAR / p.MOVES_PER_YEAR, size=(n, p.MAX_MOVES))
    move_day = (onset_day[:, None] - generator.random(n)[:, None] * 3 * DAYS_PER_YEAR + np.cumsum(gaps, axis=1)).astype(
        np.int64
    )
    for k in range(1, p.MAX_MOVES + 1):
        anywhere = weighted_choice(generator, residence_weight, n)
        # A move within the force: another area of the same force, found by redrawing among a random
        # sample and keeping the first in the same force (falls back to anywhere).
        candidates = weighted_choice(generator, residence_weight, n * 6).reshape(n, 6)
        same_force = areas.force[candidates] == areas.force[area[:, k - 1]][:, None]
        first_same = np.where(same_force.any(axis=1), candidates[np.arange(n), same_force.argmax(axis=1)], anywhere)
        area[:, k] = np.where(generator.random(n) < p.MOVE_WITHIN_FORCE_SHARE, first_same, anywhere)
    # Postcodes: a sector of the area (the sector identifies the area, as postcode lookups do), then a
    # random unit within it.
    sector_digit = areas.inward_digit(area, generator.random(area.shape))
    inward_code = sector_digit * 400 + generator.integers(0, 20 * 20, size=(n, p.MAX_MOVES + 1))

    # Propensity to offend.
    decile = areas.decile[area[:, 0]]
    propensity = generator.lognormal(p.PROPENSITY_LOG_MEAN, p.PROPENSITY_LOG_SD, n)
    propensity *= np.where(sex == "F", p.FEMALE_PROPENSITY_FACTOR, 1.0)
    propensity *= np.where(juvenile_onset, p.JUVENILE_ONSET_PROPENSITY_FACTOR, 1.0)
    propensity *= p.DEPRIVATION_PROPENSITY[decile - 1]
    one_off = generator.random(n) < p.ONE_OFF_SHARE
    propensity = np.where(one_off, propensity * p.ONE_OFF_PROPENSITY_FACTOR, propensity)

    # Death (Gompertz from the first contact on) and emigration.
    age_at_onset = (onset_day - dob) / DAYS_PER_YEAR
    hazard_at_onset = p.MORTALITY_AT_20 * np.exp(p.MORTALITY_GROWTH * (age_at_onset - 20))
    u = generator.random(n)
    years_to_death = np.log1p(-np.log(u) * p.MORTALITY_GROWTH / hazard_at_onset) / p.MORTALITY_GROWTH
    death_day = onset_day + np.round(years_to_death * DAYS_PER_YEAR).astype(np.int64) + 1
    emigrates = generator.random(n) < p.EMIGRATION_SHARE
    emigrate_day = onset_day + (generator.random(n) * 20 * DAYS_PER_YEAR).astype(np.int64) + 30
    stop_day = np.minimum(death_day, np.where(emigrates, emigrate_day, FAR_FUTURE))

    # Latent needs: correlated with propensity (0 = none).
    risk = (np.log(propensity) - p.PROPENSITY_LOG_MEAN) / p.PROPENSITY_LOG_SD
    needs = p.NEED_PROPENSITY_LOADING * risk[:, None] + generator.normal(size=(n, 10))

    # Surname changes (marriage, mostly women) and hyphenation.
    change_share = np.where(sex == "F", p.SURNAME_CHANGE_SHARE_FEMALE, p.SURNAME_CHANGE_SHARE_MALE)
    changes = generator.random(n) < change_share
    new_surname = np.where(changes, _pick_by_origin(generator, names.surname_origin, names.surname_weight, origin), -1)
    change_day = np.where(changes, onset_day + (generator.random(n) * 10 * DAYS_PER_YEAR).astype(np.int64), FAR_FUTURE)
    hyphenated = changes & (generator.random(n) < p.HYPHENATED_CHANGE_SHARE)

    # Doppelgangers: a few people share the forename, surname and date of birth of someone else.
    doppelganger = generator.random(n) < p.DOPPELGANGER_SHARE
    source = generator.integers(0, n, size=n)
    onset_age_if_copied = (onset_day - dob[source]) / DAYS_PER_YEAR
    copy = (
        doppelganger
        & ~doppelganger[source]
        & (sex == sex[source])
        & (onset_age_if_copied > 10.01)
        & (onset_age_if_copied < p.ADULT_ONSET_MAX_AGE)
    )
    forename = np.where(copy, forename[source], forename)
    surname = np.where(copy, surname[source], surname)
    dob = np.where(copy, dob[source], dob)

    return People(
        global_index=np.arange(g0, g1, dtype=np.int64),
        sex=sex,
        ethnic_group=ethnic_group,
        self_defined_code=self_defined,
        officer_code=officer,
        probation_ethnicity=probation,
        forename=forename,
        middle_name=middle,
        surname=surname,
        new_surname=new_surname,
        surname_change_day=change_day,
        hyphenated_change=hyphenated,
        dob=dob,
        onset_day=onset_day,
        propensity=propensity,
        area=area,
        move_day=move_day,
        inward_code=inward_code,
        stop_day=stop_day,
        death_day=death_day,
        needs=needs,
        is_doppelganger=copy,
        pnc_serial=plan.pnc_serial[g0:g1],
        duplicate_pnc_serial=plan.duplicate_pnc_serial[g0:g1],
        duplicate_prison=plan.duplicate_prison[g0:g1],
        duplicate_crn=plan.duplicate_crn[g0:g1],
    )
