"""Offending careers and justice processing, simulated month by month for a chunk of people.

Each month, every person who is free, alive, in the country and has not desisted offends at a rate set by
their propensity, their age (the age-crime curve) and how recently they left custody. Each offending episode
(one or more offences at once) goes through justice processing straight away, with realistic delays: no
further action, an out-of-court outcome, or a court case with plea, verdict and sentence. Custodial
sentences (and remands) create custody spells, which stop offending until release, followed by licence and
possible recall. All state changes that depend on processing are dated (an outcome in the future takes
effect in the future), so the world is the same whatever extract date is used to look at it later.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import parameters as p
from .config import WorldConfig, from_day, to_day
from .growable import Columns
from .population import DAYS_PER_YEAR, FAR_FUTURE, People
from .randomness import grouped_choice, rng, weighted_choice
from .reference import Reference

OUTCOMES = (
    "CONV",
    "ACQT",
    "DISM",
    "WDRN",
    "NFA",
    "CAUT",
    "CCAU",
    "YCAU",
    "YCCA",
    "REPR",
    "FWRN",
    "PND",
    "CRES",
)
OUTCOME = {code: i for i, code in enumerate(OUTCOMES)}
CAUTION_OUTCOMES = np.array([OUTCOME[c] for c in ("CAUT", "CCAU", "YCAU", "YCCA", "REPR", "FWRN")])
DISPOSALS = ("IMP", "DTO", "S250", "SSO", "CO", "YRO", "RO", "FINE", "CD", "AD", "OTH")
DISPOSAL = {code: i for i, code in enumerate(DISPOSALS)}
CUSTODIAL_DISPOSALS = np.array([DISPOSAL["IMP"], DISPOSAL["DTO"], DISPOSAL["S250"]])
RECEPTION_REASONS = ("REMAND", "SENTENCED", "RECALL")
RELEASE_REASONS = (
    "CONDITIONAL RELEASE",
    "END OF SENTENCE",
    "END OF RECALL",
    "BAIL",
    "ACQUITTED",
    "NON-CUSTODIAL SENTENCE",
    "DIED",
    "DEPORTED",
)
RELEASE = {code: i for i, code in enumerate(RELEASE_REASONS)}
ORDER_TYPES = ("Community Order", "Suspended Sentence Order", "Licence", "Post Sentence Supervision")
KIND_NORMAL, KIND_ONSET, KIND_ORDER_BREACH, KIND_BAIL_BREACH = 0, 1, 2, 3
NO_COURT = -1


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _lognormal_days(generator: np.random.Generator, spec: tuple[float, float], n: int) -> np.ndarray:
    median, sd = spec
    return np.round(generator.lognormal(np.log(median), sd, n)).astype(np.int64)


@dataclass
class World:
    """Everything that happened to one chunk of people, up to the end of the simulated years."""

    people: People
    episodes: dict[str, np.ndarray]
    offences: dict[str, np.ndarray]
    spells: dict[str, np.ndarray]
    orders: dict[str, np.ndarray]
    assessments: dict[str, np.ndarray]


class _CodePools:
    """Offence codes split by use: ordinary offences, breaches of orders, failing to surrender to bail."""

    def __init__(self, ref: Reference) -> None:
        off = ref.offences
        description = np.char.lower(off.description.astype(str))
        self.ordinary = np.flatnonzero(~off.is_breach)
        bail = off.is_breach & (np.char.find(description, "bail") >= 0)
        self.bail = np.flatnonzero(bail)
        orders = off.is_breach & ~bail & (np.char.find(description, "licence") < 0)
        self.order_breach = np.flatnonzero(orders)
        if not (len(self.bail) and len(self.order_breach)):
            raise ValueError("the offence classification needs breach codes for bail and for court orders")
        # Lexicographic position of each code, for the tie-break "lowest offence code".
        self.code_order = np.argsort(np.argsort(off.code))


class CareerSimulator:
    """Runs the monthly simulation for one chunk."""

    def __init__(self, cfg: WorldConfig, ref: Reference, people: People, chunk: int) -> None:
        self.cfg, self.ref, self.people, self.chunk = cfg, ref, people, chunk
        self.gen = rng(cfg.seed, "careers", chunk)
        self.pools = _CodePools(ref)
        n = len(people)
        self.n_proven = np.zeros(n, dtype=np.int64)
        self.n_conv = np.zeros(n, dtype=np.int64)
        self.n_caution = np.zeros(n, dtype=np.int64)
        self.n_custody = np.zeros(n, dtype=np.int64)
        self.desist_day = np.full(n, FAR_FUTURE, dtype=np.int64)
        self.spell_start = np.full(n, -FAR_FUTURE, dtype=np.int64)
        self.spell_end = np.full(n, -FAR_FUTURE, dtype=np.int64)
        self.spell_row = np.full(n, -1, dtype=np.int64)
        self.licence_start = np.full(n, -FAR_FUTURE, dtype=np.int64)
        self.licence_end = np.full(n, -FAR_FUTURE, dtype=np.int64)
        self.licence_spell = np.full(n, -1, dtype=np.int64)
        self.order_end = np.full(n, -FAR_FUTURE, dtype=np.int64)
        self.order_start = np.full(n, FAR_FUTURE, dtype=np.int64)
        self.pending_until = np.full(n, -FAR_FUTURE, dtype=np.int64)
        self.dup_pnc_from = np.full(n, -1, dtype=np.int64)  # episode row that created the duplicate
        # The person's risk relative to the median, for recalls and assessments.
        self.risk = np.clip(people.propensity / np.exp(p.PROPENSITY_LOG_MEAN), 0.05, 20.0)
        self.episodes = Columns(
            {
                "person": np.int64,
                "kind": np.int8,
                "day": np.int64,
                "recorded_day": np.int64,
                "outcome": np.int8,
                "outcome_day": np.int64,
                "court_type": np.int8,
                "court": np.int64,
                "first_hearing_day": np.int64,
                "verdict_day": np.int64,
                "sentence_day": np.int64,
                "disposal": np.int8,
                "sentence_days": np.int64,
                "guilty_plea": np.bool_,
                "remanded": np.bool_,
                "force": np.int64,
                "principal_offence": np.int64,
                "n_offences": np.int64,
                "age": np.float64,
                "prior_proven": np.int64,
                "use_dup_pnc": np.bool_,
                "spell": np.int64,
                "needs_report": np.bool_,
            }
        )
        self.offences = Columns(
            {
                "episode": np.int64,
                "code": np.int64,
                "day": np.int64,
                "convicted": np.bool_,
                "is_principal": np.bool_,
            }
        )
        self.spells = Columns(
            {
                "person": np.int64,
                "start": np.int64,
                "end": np.int64,
                "reception_reason": np.int8,
                "sentence_day": np.int64,
                "sentence_days": np.int64,
                "release_reason": np.int8,
                "episode": np.int64,
                "youth": np.bool_,
                "remand_only": np.bool_,
            }
        )
        self.orders = Columns(
            {
                "person": np.int64,
                "type": np.int8,
                "sentence_day": np.int64,
                "start": np.int64,
                "expected_end": np.int64,
                "episode": np.int64,
            }
        )

    # ------------------------------------------------------------------ the monthly loop
    def run(self) -> World:
        first = self.cfg.world_start
        months = (self.cfg.end_year - first.year + 1) * 12
        for m in range(months):
            year, month = first.year + m // 12, m % 12 + 1
            d0 = to_day(first.replace(year=year, month=month))
            d1 = to_day(first.replace(year=year + (month == 12), month=month % 12 + 1))
            self._month(d0, d1)
        return self._finish()

    def _month(self, d0: int, d1: int) -> None:
        people, gen = self.people, self.gen
        ndays = d1 - d0
        # Ordinary offending by people whose career has started.
        eligible = np.flatnonzero((people.onset_day < d0) & (d0 < people.stop_day) & (d0 < self.desist_day))
        age = (d0 + ndays / 2 - people.dob[eligible]) / DAYS_PER_YEAR
        since_release = d0 - self.spell_end[eligible]
        boost = np.where(
            since_release >= 0, 1.0 + p.POST_RELEASE_BOOST * np.exp(-since_release / p.POST_RELEASE_DAYS), 1.0
        )
        rate = people.propensity[eligible] * p.age_curve(age) * boost * ndays / DAYS_PER_YEAR
        counts = np.minimum(gen.poisson(rate), 3)
        ordinary = np.repeat(eligible, counts)
        onset = np.flatnonzero((people.onset_day >= d0) & (people.onset_day < d1))
        # Breaches: of a community order or suspended sentence, and failing to surrender to bail.
        on_order = np.flatnonzero((self.order_start <= d0) & (self.order_end > d0) & (people.stop_day > d0))
        order_breach = on_order[gen.random(len(on_order)) < p.ORDER_BREACH_MONTHLY * np.sqrt(self.risk[on_order])]
        on_bail = np.flatnonzero((self.pending_until > d0) & (people.stop_day > d0))
        bail_breach = on_bail[gen.random(len(on_bail)) < p.BAIL_BREACH_MONTHLY]
        person = np.concatenate([ordinary, onset, order_breach, bail_breach])
        kind = np.concatenate(
            [
                np.full(len(ordinary), KIND_NORMAL),
                np.full(len(onset), KIND_ONSET),
                np.full(len(order_breach), KIND_ORDER_BREACH),
                np.full(len(bail_breach), KIND_BAIL_BREACH),
            ]
        ).astype(np.int8)
        day = d0 + (gen.random(len(person)) * ndays).astype(np.int64)
        day[kind == KIND_ONSET] = people.onset_day[onset]
        # No offending while in custody, after death or emigration.
        free = ~((self.spell_start[person] <= day) & (day < self.spell_end[person])) & (day < people.stop_day[person])
        person, kind, day = person[free], kind[free], day[free]
        self._technical_recalls(d0, ndays)
        if len(person):
            order = np.lexsort((day, person))
            self._process(person[order], kind[order], day[order])

    # ------------------------------------------------------------------ processing of one month's episodes
    def _offences_for(self, person: np.ndarray, kind: np.ndarray, age: np.ndarray) -> tuple[np.ndarray, ...]:
        gen, ref, pools = self.gen, self.ref, self.pools
        n = len(person)
        extra = np.minimum(gen.poisson(p.EXTRA_OFFENCES_MEAN, n), p.MAX_OFFENCES_PER_EPISODE - 1)
        k = np.where(kind >= KIND_ORDER_BREACH, 1, 1 + extra)
        episode = np.repeat(np.arange(n), k)
        first = np.r_[True, episode[1:] != episode[:-1]]
        age_class = np.where(age[episode] < 18, "juvenile", "adult")
        sex = self.people.sex[person[episode]]
        group = np.empty(len(episode), dtype=np.int64)
        for (cls, s), weights in p.GROUP_WEIGHTS.items():
            sel = np.flatnonzero((age_class == cls) & (sex == s))
            group[sel] = weighted_choice(gen, np.array(weights), len(sel))
        # Extra offences keep the episode's first group more often than not.
        first_group = group[np.flatnonzero(first)][episode]
        keep = ~first & (gen.random(len(episode)) < p.SAME_GROUP_EXTRA_SHARE)
        group = np.where(keep, first_group, group)
        ordinary = pools.ordinary
        available = np.zeros(len(ref.offence_group_codes), dtype=bool)
        available[np.unique(ref.offences.group[ordinary])] = True
        group = np.where(available[group], group, ref.offences.group[ordinary][0])
        code = ordinary[grouped_choice(gen, ref.offences.group[ordinary], ref.offences.frequency[ordinary], group)]
        ep_kind = kind[episode]
        bail = ep_kind == KIND_BAIL_BREACH
        brk = ep_kind == KIND_ORDER_BREACH
        code[bail] = pools.bail[gen.integers(0, len(pools.bail), bail.sum())]
        code[brk] = pools.order_breach[gen.integers(0, len(pools.order_breach), brk.sum())]
        return episode, k, code

    def _process(self, person: np.ndarray, kind: np.ndarray, day: np.ndarray) -> None:
        gen, ref, people = self.gen, self.ref, self.people
        off = ref.offences
        n = len(person)
        age = (day - people.dob[person]) / DAYS_PER_YEAR
        juvenile = age < 18
        year = 1970 + day / DAYS_PER_YEAR
        episode_of, k, code = self._offences_for(person, kind, age)
        # Offence dates: extra offences mostly on the same day, some earlier (taken into consideration).
        offence_day = day[episode_of] - np.where(gen.random(len(code)) < 0.8, 0, gen.integers(1, 60, len(code)))
        # Never before the age of criminal responsibility, never after the episode.
        offence_day = np.minimum(np.maximum(offence_day, people.dob[person[episode_of]] + 3653), day[episode_of])
        # Principal offence: most serious by rank, tie broken by the lowest code.
        order = np.lexsort((self.pools.code_order[code], off.rank[code], episode_of))
        starts = np.searchsorted(episode_of[order], np.arange(n), side="left")
        principal_pos = order[starts]
        principal = code[principal_pos]
        is_principal = np.zeros(len(code), dtype=bool)
        is_principal[principal_pos] = True
        gravity = off.gravity[principal]
        mode = off.mode[principal]
        group = off.group[principal]
        recordable_any = np.zeros(n, dtype=bool)
        np.logical_or.at(recordable_any, episode_of, off.is_recordable[code])
        priors = self.n_proven[person]
        area = people.area_at(person, day)
        force = ref.areas.force[area]

        # --- dates of recording
        report = _lognormal_days(gen, p.DELAY_REPORT, n)
        for group_code, spec in p.DELAY_REPORT_LATE_GROUPS.items():
            late = np.flatnonzero(ref.offence_group_codes[group] == group_code)
            report[late] = _lognormal_days(gen, spec, len(late))
        recorded = day + np.minimum(report, 3650)

        # --- route: no further action, out of court, or court
        u = gen.random(n)
        nfa_share = np.where(juvenile, p.NFA_SHARE["juvenile"], p.NFA_SHARE["adult"])
        breach_kind = kind >= KIND_ORDER_BREACH
        nfa = (u < nfa_share) & ~breach_kind
        serious = (off.rank[principal] <= p.SERIOUS_RANK_LIMIT) | (mode == 0)
        ooc_logit = (
            np.where(juvenile, p.OUT_OF_COURT_BASE["juvenile"], p.OUT_OF_COURT_BASE["adult"])
            - p.OUT_OF_COURT_PER_PRIOR * priors
            + p.out_of_court_period_factor(year)
            - 2.0 * gravity
        )
        old_youth_scheme = juvenile & (day < to_day(p.YOUTH_CAUTION_START))
        final_warning_used = old_youth_scheme & (self.n_caution[person] >= 2)
        ooc = (
            ~nfa
            & ~serious
            & ~breach_kind
            & recordable_any
            & ~final_warning_used
            & (gen.random(n) < _sigmoid(ooc_logit))
        )
        court = ~nfa & ~ooc
        outcome = np.full(n, OUTCOME["NFA"], dtype=np.int8)
        # Out-of-court mix, with what was available at the time.
        mix = np.stack(
            [np.where(juvenile, p.OUT_OF_COURT_MIX["juvenile"][i], p.OUT_OF_COURT_MIX["adult"][i]) for i in range(3)],
            axis=1,
        )
        mix[:, 0] *= day >= to_day(p.COMMUNITY_RESOLUTION_START)
        mix[:, 1] *= (
            (day >= to_day(p.PND_START))
            & (age >= 16)
            & np.isin(ref.offence_group_codes[group], ["04", "05", "08", "11"])
        )
        mix[:, 2] += 1e-9
        mix /= mix.sum(axis=1, keepdims=True)
        pick = (gen.random(n)[:, None] > np.cumsum(mix, axis=1)).sum(axis=1)
        outcome[ooc & (pick == 0)] = OUTCOME["CRES"]
        outcome[ooc & (pick == 1)] = OUTCOME["PND"]
        is_caution = ooc & (pick >= 2)
        conditional = gen.random(n) < 0.2
        adult_caution = np.where(
            conditional & (day >= to_day(p.CONDITIONAL_CAUTION_START)), OUTCOME["CCAU"], OUTCOME["CAUT"]
        )
        youth_caution = np.where(conditional, OUTCOME["YCCA"], OUTCOME["YCAU"])
        old_youth = np.where(self.n_caution[person] == 0, OUTCOME["REPR"], OUTCOME["FWRN"])
        caution_code = np.where(juvenile, np.where(old_youth_scheme, old_youth, youth_caution), adult_caution)
        outcome[is_caution] = caution_code[is_caution]
        ooc_day = recorded + _lognormal_days(gen, p.DELAY_OUT_OF_COURT, n)
        nfa_day = recorded + _lognormal_days(gen, (30.0, 1.0), n)

        # --- court
        crown = np.where(
            mode == 0,
            True,
            np.where(mode == 1, gen.random(n) < p.EITHER_WAY_CROWN_SHARE * (1 + 3 * gravity), False),
        )
        crown &= court
        court_type = np.where(court, crown.astype(np.int8), NO_COURT).astype(np.int8)
        court_index = self._court_for(force, crown)
        dropped = court & (gen.random(n) < p.DROPPED_BEFORE_TRIAL_SHARE) & ~breach_kind
        guilty_plea = court & ~dropped & (gen.random(n) < np.where(breach_kind, 0.95, p.GUILTY_PLEA_SHARE))
        convicted_at_trial = court & ~dropped & ~guilty_plea & (gen.random(n) < p.CONVICTED_AT_TRIAL_SHARE)
        convicted = guilty_plea | convicted_at_trial
        outcome[court & convicted] = OUTCOME["CONV"]
        outcome[court & ~convicted & ~dropped] = OUTCOME["ACQT"]
        outcome[dropped] = np.where(gen.random(dropped.sum()) < 0.5, OUTCOME["WDRN"], OUTCOME["DISM"])
        first_hearing = recorded + _lognormal_days(gen, p.DELAY_CHARGE_TO_FIRST_HEARING, n)
        completion = first_hearing + np.where(
            crown, _lognormal_days(gen, p.DELAY_CROWN, n), _lognormal_days(gen, p.DELAY_MAGISTRATES, n)
        )
        plea_day = first_hearing + np.where(crown, _lognormal_days(gen, (35.0, 0.5), n), 0)
        verdict_day = np.where(guilty_plea, np.minimum(plea_day, completion), completion)

        # --- sentence
        disposal, length = self._sentence(
            person, kind, age, gravity, group, principal, crown, convicted, recordable_any, day
        )
        needs_report = np.isin(
            disposal,
            [
                DISPOSAL["IMP"],
                DISPOSAL["DTO"],
                DISPOSAL["S250"],
                DISPOSAL["SSO"],
                DISPOSAL["CO"],
                DISPOSAL["YRO"],
                DISPOSAL["RO"],
            ],
        )
        adjourned = convicted & needs_report & (gen.random(n) < 0.75)
        sentence_day = np.where(
            adjourned, verdict_day + _lognormal_days(gen, p.DELAY_SENTENCE_ADJOURNMENT, n), verdict_day
        )
        sentence_day = np.where(convicted, sentence_day, -1)
        outcome_day = np.where(court, verdict_day, np.where(ooc, ooc_day, nfa_day))

        # --- remand in custody while the case is heard
        remand_logit = (
            p.REMAND_BASE
            + p.REMAND_GRAVITY * gravity
            + p.REMAND_CROWN * crown
            + p.REMAND_PRIORS * np.minimum(priors, 20)
        )
        remanded = court & (gen.random(n) < _sigmoid(remand_logit))
        bailed_day = np.where(
            gen.random(n) < p.REMAND_BAILED_SHARE,
            recorded + np.minimum(_lognormal_days(gen, (30.0, 0.6), n), np.maximum(completion - recorded - 1, 1)),
            FAR_FUTURE,
        )
        case_end = np.where(convicted, sentence_day, completion)
        remand_end = np.minimum(bailed_day, case_end)

        # --- per-offence conviction: other offences on a convicted case are sometimes withdrawn
        off_convicted = convicted[episode_of] & (
            is_principal | (gen.random(len(code)) > p.OTHER_OFFENCE_WITHDRAWN_SHARE)
        )

        # --- duplicate PNC ids: created at a later arrest for a few people, then sometimes reused
        holder = people.duplicate_pnc_serial[person] >= 0
        has_records = self.dup_pnc_from[person] >= 0
        creates = holder & ~has_records & (self.n_proven[person] + self.n_caution[person] >= 1) & (gen.random(n) < 0.5)
        reuse = holder & has_records & (gen.random(n) < p.DUPLICATE_ID_REUSE)
        use_dup = creates | reuse

        rows = self.episodes.append(
            person=person,
            kind=kind,
            day=day,
            recorded_day=recorded,
            outcome=outcome,
            outcome_day=outcome_day,
            court_type=court_type,
            court=np.where(court, court_index, -1),
            first_hearing_day=np.where(court, first_hearing, -1),
            verdict_day=np.where(court, verdict_day, -1),
            sentence_day=sentence_day,
            disposal=disposal,
            sentence_days=length,
            guilty_plea=guilty_plea,
            remanded=remanded,
            force=force,
            principal_offence=principal,
            n_offences=k,
            age=age,
            prior_proven=priors,
            use_dup_pnc=use_dup,
            spell=np.full(n, -1),
            needs_report=needs_report,
        )
        self.dup_pnc_from[person[creates]] = rows[creates]
        self.offences.append(
            episode=rows[episode_of],
            code=code,
            day=offence_day,
            convicted=off_convicted,
            is_principal=is_principal,
        )

        # --- custody: remands and custodial sentences become spells
        custodial = convicted & np.isin(disposal, CUSTODIAL_DISPOSALS)
        self._custody(
            rows,
            person,
            day,
            recorded,
            remanded,
            remand_end,
            bailed_day,
            custodial,
            sentence_day,
            length,
            disposal,
            group,
            convicted,
            completion,
            age,
        )
        # --- recall of people on licence who are charged again
        on_licence = (self.licence_start[person] <= recorded) & (recorded < self.licence_end[person]) & court
        recall = on_licence & (gen.random(n) < p.RECALL_ON_NEW_CHARGE)
        self._recall(person[recall], recorded[recall])
        # --- orders supervised in the community
        self._orders(rows, person, disposal, sentence_day, length, convicted, age)
        # --- record counts and desistance, effective when the outcome happens
        proven = (outcome == OUTCOME["CONV"]) | np.isin(outcome, CAUTION_OUTCOMES)
        counted = proven & recordable_any & ~breach_kind
        np.add.at(self.n_proven, person[counted], 1)
        np.add.at(self.n_conv, person[proven & (outcome == OUTCOME["CONV"])], 1)
        np.add.at(self.n_caution, person[np.isin(outcome, CAUTION_OUTCOMES)], 1)
        np.add.at(self.n_custody, person[custodial], 1)
        desist_p = p.DESIST_AFTER_PROVEN / (1.0 + p.DESIST_RECORD_DECAY * priors)
        desist_p = np.where(custodial, desist_p * p.DESIST_AFTER_CUSTODY_FACTOR, desist_p)
        desists = counted & (gen.random(n) < desist_p)
        np.minimum.at(self.desist_day, person[desists], outcome_day[desists])
        pending = court
        np.maximum.at(self.pending_until, person[pending], case_end[pending])

    def _court_for(self, force: np.ndarray, crown: np.ndarray) -> np.ndarray:
        """A court of the right type in the force where the offence happened."""
        ref = self.ref
        court_group = ref.court_force * 2 + (ref.court_type == "CC")
        wanted = force * 2 + crown.astype(np.int64)
        present = np.zeros(len(ref.force_code) * 2, dtype=bool)
        present[court_group] = True
        wanted = np.where(
            present[wanted],
            wanted,
            np.where(crown, court_group[ref.court_type == "CC"][0], court_group[ref.court_type == "MC"][0]),
        )
        return grouped_choice(self.gen, court_group, np.ones(len(court_group)), wanted)

    def _sentence(
        self,
        person: np.ndarray,
        kind: np.ndarray,
        age: np.ndarray,
        gravity: np.ndarray,
        group: np.ndarray,
        principal: np.ndarray,
        crown: np.ndarray,
        convicted: np.ndarray,
        recordable: np.ndarray,
        day: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray]:
        gen, off = self.gen, self.ref.offences
        n = len(person)
        juvenile = age < 18
        priors = np.minimum(self.n_conv[person] + self.n_caution[person], p.CUSTODY_MAX_PRIORS)
        prior_custody = self.n_custody[person] > 0
        disposal = np.full(n, -1, dtype=np.int8)
        length = np.zeros(n, dtype=np.int64)
        max_days = off.max_custody_days[principal]
        # Adults.
        logit = (
            p.CUSTODY_BASE
            + p.CUSTODY_GRAVITY * gravity
            + p.CUSTODY_PRIORS * priors
            + p.CUSTODY_PRIOR_CUSTODY * prior_custody
            + p.CUSTODY_CROWN * crown
        )
        logit = np.where(kind == KIND_ORDER_BREACH, -1.0, np.where(kind == KIND_BAIL_BREACH, -2.2, logit))
        custody = (gen.random(n) < _sigmoid(logit)) & (max_days > 0) & recordable
        months = np.exp(
            p.CUSTODY_LOG_BASE
            + p.CUSTODY_LOG_GRAVITY * gravity**2
            + p.CUSTODY_LOG_PRIORS * priors
            + p.CUSTODY_LOG_CROWN * crown
            + gen.normal(0, p.CUSTODY_LOG_SD, n)
        )
        days = np.round(months * 30.44).astype(np.int64)
        days = np.where(crown, days, np.minimum(days, p.MAGISTRATES_MAX_CUSTODY_DAYS))
        days = np.clip(np.minimum(days, np.where(max_days > 0, max_days, 1)), 7, None)
        weights = np.tile(p.ADULT_NON_CUSTODIAL_MIX, (n, 1))
        weights[:, 0] *= (1 + 3 * gravity + 0.1 * priors) * (day >= to_day(p.SSO_START))
        weights[:, 1] *= 1 + 2 * gravity + 0.05 * priors
        weights[:, 2] *= 1.6 - gravity
        weights[:, 3] *= (1.6 - gravity) * np.where(priors == 0, 2.0, 1.0)
        weights[~recordable] = [0, 0, 0.9, 0.1, 0, 0]
        cumulative = np.cumsum(weights, axis=1)
        pick = (gen.random(n)[:, None] * cumulative[:, -1:] > cumulative).sum(axis=1)
        non_custodial = np.array(
            [
                DISPOSAL["SSO"],
                DISPOSAL["CO"],
                DISPOSAL["FINE"],
                DISPOSAL["CD"],
                DISPOSAL["AD"],
                DISPOSAL["OTH"],
            ]
        )[pick]
        adult_disposal = np.where(custody, DISPOSAL["IMP"], non_custodial)
        order_days = np.round(p.ORDER_MONTHS[gen.integers(0, len(p.ORDER_MONTHS), n)] * 30.44).astype(np.int64)
        sso_days = np.clip(np.round(np.minimum(days * 1.5, 730)), 14, 730).astype(np.int64)
        adult_length = np.select(
            [
                adult_disposal == DISPOSAL["IMP"],
                adult_disposal == DISPOSAL["SSO"],
                adult_disposal == DISPOSAL["CO"],
            ],
            [days, sso_days, order_days],
            0,
        )
        # Children.
        ylogit = p.YOUTH_CUSTODY_BASE + p.YOUTH_CUSTODY_GRAVITY * gravity + p.YOUTH_CUSTODY_PRIORS * priors
        ycustody = (gen.random(n) < _sigmoid(ylogit)) & (max_days > 0) & recordable
        long_term = ycustody & crown & (gravity > 0.85)
        dto_months = p.DTO_MONTHS[
            np.clip((gravity * 5 + priors * 0.15 + gen.random(n) * 2).astype(int), 0, len(p.DTO_MONTHS) - 1)
        ]
        first_conviction = self.n_conv[person] == 0
        youth_mix = np.where(
            first_conviction[:, None] & (gen.random(n) < p.REFERRAL_ORDER_FIRST_SHARE)[:, None],
            [0, 1, 0, 0, 0],
            [0.45, 0.15, 0.25, 0.12, 0.03],
        )
        youth_mix = np.where(recordable[:, None], youth_mix, [0, 0, 0.9, 0.1, 0])
        cumulative = np.cumsum(youth_mix, axis=1)
        ypick = (gen.random(n)[:, None] * cumulative[:, -1:] > cumulative).sum(axis=1)
        youth_non_custodial = np.array(
            [DISPOSAL["YRO"], DISPOSAL["RO"], DISPOSAL["FINE"], DISPOSAL["CD"], DISPOSAL["AD"]]
        )[ypick]
        youth_disposal = np.where(long_term, DISPOSAL["S250"], np.where(ycustody, DISPOSAL["DTO"], youth_non_custodial))
        youth_length = np.select(
            [
                youth_disposal == DISPOSAL["S250"],
                youth_disposal == DISPOSAL["DTO"],
                youth_disposal == DISPOSAL["YRO"],
                youth_disposal == DISPOSAL["RO"],
            ],
            [
                np.maximum(days, 730),
                np.round(dto_months * 30.44).astype(np.int64),
                order_days,
                np.round(gen.integers(3, 13, n) * 30.44).astype(np.int64),
            ],
            0,
        )
        disposal = np.where(juvenile, youth_disposal, adult_disposal).astype(np.int8)
        length = np.where(juvenile, youth_length, adult_length)
        disposal = np.where(convicted, disposal, -1).astype(np.int8)
        length = np.where(convicted, length, 0)
        return disposal, length

    # ------------------------------------------------------------------ custody, recall, orders
    def _add_spell(
        self,
        person: np.ndarray,
        start: np.ndarray,
        end: np.ndarray,
        reason: int,
        sentence_day: np.ndarray,
        sentence_days: np.ndarray,
        release_reason: np.ndarray,
        episode: np.ndarray,
        youth: np.ndarray,
        remand_only: np.ndarray,
    ) -> np.ndarray:
        """Add spells, merging each into the person's latest spell when they overlap. Returns spell rows."""
        rows = np.full(len(person), -1, dtype=np.int64)
        remaining = np.arange(len(person))
        while len(remaining):
            _, first = np.unique(person[remaining], return_index=True)
            batch = remaining[first]
            remaining = np.setdiff1d(remaining, batch, assume_unique=True)
            who = person[batch]
            latest = self.spell_row[who]
            overlap = (latest >= 0) & (start[batch] <= self.spell_end[who]) & (end[batch] >= self.spell_start[who])
            merge, new = batch[overlap], batch[~overlap]
            if len(merge):
                target = self.spell_row[person[merge]]
                sp = self.spells
                sp["end"][target] = np.maximum(sp["end"][target], end[merge])
                sp["start"][target] = np.minimum(sp["start"][target], start[merge])
                sentenced = ~remand_only[merge]
                upgrade = target[sentenced]
                sp["remand_only"][upgrade] = False
                longer = sentence_days[merge][sentenced] > sp["sentence_days"][upgrade]
                for name, values in (
                    ("sentence_day", sentence_day),
                    ("sentence_days", sentence_days),
                    ("episode", episode),
                    ("release_reason", release_reason),
                ):
                    column = sp[name]
                    chosen = upgrade[longer | (sp["sentence_days"][upgrade] == 0)]
                    source = merge[sentenced][longer | (sp["sentence_days"][upgrade] == 0)]
                    column[chosen] = values[source]
                rows[merge] = target
                self.spell_start[person[merge]] = sp["start"][target]
                self.spell_end[person[merge]] = sp["end"][target]
            if len(new):
                added = self.spells.append(
                    person=person[new],
                    start=start[new],
                    end=end[new],
                    reception_reason=np.full(len(new), reason, dtype=np.int8),
                    sentence_day=sentence_day[new],
                    sentence_days=sentence_days[new],
                    release_reason=release_reason[new],
                    episode=episode[new],
                    youth=youth[new],
                    remand_only=remand_only[new],
                )
                rows[new] = added
                later = end[new] >= self.spell_end[person[new]]
                upd = new[later]
                self.spell_row[person[upd]] = added[later]
                self.spell_start[person[upd]] = start[upd]
                self.spell_end[person[upd]] = end[upd]
        return rows

    def _custody(
        self,
        rows: np.ndarray,
        person: np.ndarray,
        day: np.ndarray,
        recorded: np.ndarray,
        remanded: np.ndarray,
        remand_end: np.ndarray,
        bailed_day: np.ndarray,
        custodial: np.ndarray,
        sentence_day: np.ndarray,
        length: np.ndarray,
        disposal: np.ndarray,
        group: np.ndarray,
        convicted: np.ndarray,
        completion: np.ndarray,
        age: np.ndarray,
    ) -> None:
        gen = self.gen
        two_thirds = (length >= 4 * 365) & np.isin(group, [0, 1]) & (sentence_day >= to_day(p.TWO_THIRDS_RELEASE_START))
        fraction = np.where(two_thirds, 2 / 3, 0.5)
        served = np.ceil(length * fraction).astype(np.int64)
        remand_start = recorded
        still_remanded = remanded & (bailed_day >= remand_end)
        credit = np.where(
            remanded, np.minimum(remand_end, np.where(convicted, sentence_day, completion)) - remand_start, 0
        )
        credit = np.maximum(credit, 0)
        start = np.where(custodial & still_remanded, remand_start, sentence_day)
        release = np.where(custodial, np.maximum(sentence_day + 1, sentence_day + served - credit), -1)
        # Licence after release (adults; short sentences only from the Offender Rehabilitation Act 2014).
        adult_at_release = (release - self.people.dob[person]) >= 18 * DAYS_PER_YEAR
        ora = sentence_day >= to_day(p.ORA_START)
        has_licence = custodial & adult_at_release & ((length >= 365) | ora)
        release_reason = np.where(
            has_licence | (disposal == DISPOSAL["DTO"]),
            RELEASE["CONDITIONAL RELEASE"],
            RELEASE["END OF SENTENCE"],
        ).astype(np.int8)
        youth = age < 18
        # Sentenced spells (including those that began on remand).
        sel = np.flatnonzero(custodial)
        if len(sel):
            reason = np.where(still_remanded[sel], 0, 1)
            for r in (0, 1):
                part = sel[reason == r]
                if not len(part):
                    continue
                spell_rows = self._add_spell(
                    person[part],
                    start[part],
                    release[part],
                    r,
                    sentence_day[part],
                    length[part],
                    release_reason[part],
                    rows[part],
                    youth[part],
                    np.zeros(len(part), dtype=bool),
                )
                self.episodes["spell"][rows[part]] = spell_rows
            lic = sel[has_licence[sel]]
            licence_end = start[lic] + length[lic]
            self.licence_start[person[lic]] = release[lic]
            self.licence_end[person[lic]] = licence_end
            self.licence_spell[person[lic]] = self.episodes["spell"][rows[lic]]
            self._licence_orders(
                rows[lic], person[lic], sentence_day[lic], release[lic], licence_end, length[lic], ora[lic]
            )
        # Remand-only spells: remanded, then bailed, acquitted or given a non-custodial sentence.
        rem = np.flatnonzero(remanded & ~(custodial & still_remanded))
        if len(rem):
            end = remand_end[rem]
            why = np.where(
                bailed_day[rem] < np.where(convicted[rem], sentence_day[rem], completion[rem]),
                RELEASE["BAIL"],
                np.where(convicted[rem], RELEASE["NON-CUSTODIAL SENTENCE"], RELEASE["ACQUITTED"]),
            )
            end = np.maximum(end, remand_start[rem] + 1)
            self._add_spell(
                person[rem],
                remand_start[rem],
                end,
                0,
                np.full(len(rem), -1),
                np.zeros(len(rem), np.int64),
                why.astype(np.int8),
                np.full(len(rem), -1),
                youth[rem],
                np.ones(len(rem), dtype=bool),
            )
        del gen, day

    def _licence_orders(
        self,
        episode_rows: np.ndarray,
        person: np.ndarray,
        sentence_day: np.ndarray,
        release: np.ndarray,
        licence_end: np.ndarray,
        length: np.ndarray,
        ora: np.ndarray,
    ) -> None:
        n = len(person)
        self.orders.append(
            person=person,
            type=np.full(n, 2, dtype=np.int8),
            sentence_day=sentence_day,
            start=release,
            expected_end=np.maximum(licence_end, release + 1),
            episode=episode_rows,
        )
        pss = ora & (length < 730)
        pss_end = release + 365
        sel = np.flatnonzero(pss & (pss_end > licence_end))
        if len(sel):
            self.orders.append(
                person=person[sel],
                type=np.full(len(sel), 3, dtype=np.int8),
                sentence_day=sentence_day[sel],
                start=np.maximum(licence_end[sel], release[sel] + 1),
                expected_end=pss_end[sel],
                episode=episode_rows[sel],
            )

    def _recall(self, person: np.ndarray, day: np.ndarray) -> None:
        if not len(person):
            return
        gen = self.gen
        person, first = np.unique(person, return_index=True)
        day = day[first]
        fixed = gen.random(len(person)) < p.FIXED_TERM_RECALL_SHARE
        standard_end = np.minimum(self.licence_end[person], day + gen.integers(90, 366, len(person)))
        end = np.where(fixed, day + p.FIXED_TERM_RECALL_DAYS, np.maximum(standard_end, day + 14))
        licence_spell = self.licence_spell[person]
        sp = self.spells
        original_sentence_day = np.where(licence_spell >= 0, sp["sentence_day"][np.maximum(licence_spell, 0)], -1)
        original_length = np.where(licence_spell >= 0, sp["sentence_days"][np.maximum(licence_spell, 0)], 0)
        original_episode = np.where(licence_spell >= 0, sp["episode"][np.maximum(licence_spell, 0)], -1)
        youth = np.zeros(len(person), dtype=bool)
        self._add_spell(
            person,
            day,
            end,
            2,
            original_sentence_day,
            original_length,
            np.full(len(person), RELEASE["END OF RECALL"], dtype=np.int8),
            original_episode,
            youth,
            np.zeros(len(person), dtype=bool),
        )

    def _technical_recalls(self, d0: int, ndays: int) -> None:
        on_licence = np.flatnonzero(
            (self.licence_start <= d0) & (self.licence_end > d0) & (self.spell_end <= d0) & (self.people.stop_day > d0)
        )
        if not len(on_licence):
            return
        hazard = p.TECHNICAL_RECALL_MONTHLY * np.sqrt(self.risk[on_licence])
        recalled = on_licence[self.gen.random(len(on_licence)) < hazard]
        self._recall(recalled, d0 + (self.gen.random(len(recalled)) * ndays).astype(np.int64))

    def _orders(
        self,
        rows: np.ndarray,
        person: np.ndarray,
        disposal: np.ndarray,
        sentence_day: np.ndarray,
        length: np.ndarray,
        convicted: np.ndarray,
        age: np.ndarray,
    ) -> None:
        community = convicted & np.isin(disposal, [DISPOSAL["CO"], DISPOSAL["SSO"]]) & (age >= 18)
        sel = np.flatnonzero(community)
        if len(sel):
            supervision = np.where(
                disposal[sel] == DISPOSAL["SSO"],
                np.round(p.ORDER_MONTHS[self.gen.integers(0, len(p.ORDER_MONTHS), len(sel))] * 30.44).astype(np.int64),
                length[sel],
            )
            order_type = np.where(disposal[sel] == DISPOSAL["SSO"], 1, 0).astype(np.int8)
            self.orders.append(
                person=person[sel],
                type=order_type,
                sentence_day=sentence_day[sel],
                start=sentence_day[sel],
                expected_end=sentence_day[sel] + supervision,
                episode=rows[sel],
            )
            self.order_start[person[sel]] = sentence_day[sel]
            self.order_end[person[sel]] = sentence_day[sel] + supervision
        youth_orders = convicted & np.isin(disposal, [DISPOSAL["YRO"], DISPOSAL["RO"]])
        sel = np.flatnonzero(youth_orders)
        if len(sel):  # supervised by youth offending teams, not probation: only the breach risk is kept
            self.order_start[person[sel]] = sentence_day[sel]
            self.order_end[person[sel]] = sentence_day[sel] + length[sel]

    # ------------------------------------------------------------------ after the loop
    def _finish(self) -> World:
        episodes = self.episodes.freeze()
        offences = self.offences.freeze()
        spells = self.spells.freeze()
        orders = self.orders.freeze()
        spells, orders = self._after_death(episodes, offences, spells, orders)
        self._terminate_orders(episodes, orders)
        assessments = self._assessments(episodes, spells, orders)
        return World(
            people=self.people,
            episodes=episodes,
            offences=offences,
            spells=spells,
            orders=orders,
            assessments=assessments,
        )

    def _after_death(
        self,
        episodes: dict[str, np.ndarray],
        offences: dict[str, np.ndarray],
        spells: dict[str, np.ndarray],
        orders: dict[str, np.ndarray],
    ) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
        """Nothing happens to the dead: cases end as discontinued, custody ends, orders never start."""
        death = self.people.death_day
        ep_death = death[episodes["person"]]
        court = episodes["court_type"] >= 0
        discontinued = court & (episodes["verdict_day"] > ep_death)
        episodes["outcome"][discontinued] = OUTCOME["WDRN"]
        unsentenced = discontinued | (episodes["sentence_day"] > ep_death)
        episodes["sentence_day"][unsentenced] = -1
        episodes["disposal"][unsentenced] = -1
        episodes["sentence_days"][unsentenced] = 0
        late_ooc = ~court & (episodes["outcome_day"] > ep_death)
        episodes["outcome"][late_ooc] = OUTCOME["NFA"]
        offences["convicted"] &= episodes["outcome"][offences["episode"]] == OUTCOME["CONV"]
        keep = spells["start"] < death[spells["person"]]
        dies_inside = keep & (spells["end"] > death[spells["person"]])
        spells["end"][dies_inside] = death[spells["person"]][dies_inside]
        spells["release_reason"][dies_inside] = RELEASE["DIED"]
        new_index = np.cumsum(keep) - 1
        episodes["spell"] = np.where(
            (episodes["spell"] >= 0) & keep[np.maximum(episodes["spell"], 0)],
            new_index[np.maximum(episodes["spell"], 0)],
            -1,
        )
        spells = {k: v[keep] for k, v in spells.items()}
        orders = {k: v[orders["start"] < death[orders["person"]]] for k, v in orders.items()}
        return spells, orders

    def _terminate_orders(self, episodes: dict[str, np.ndarray], orders: dict[str, np.ndarray]) -> None:
        """How each order ended: completed or expired, revoked for a further offence or a breach, or death."""
        n = len(orders["person"])
        end = orders["expected_end"].copy()
        reason = np.where(orders["type"] <= 1, 0, 1).astype(np.int8)
        convicted = np.flatnonzero((episodes["outcome"] == OUTCOME["CONV"]) & (episodes["verdict_day"] >= 0))
        key = episodes["person"][convicted] * 2**31 + episodes["day"][convicted]
        order = np.argsort(key, kind="stable")
        key, convicted = key[order], convicted[order]
        community = orders["type"] <= 1
        if len(key):
            pos = np.searchsorted(key, orders["person"] * 2**31 + orders["start"], side="right")
            found = pos < len(key)
            candidate = convicted[np.minimum(pos, len(key) - 1)]
            same = (
                found
                & (episodes["person"][candidate] == orders["person"])
                & (episodes["day"][candidate] < orders["expected_end"])
                & (episodes["verdict_day"][candidate] < orders["expected_end"])
                & community
            )
            breach = episodes["kind"][candidate] == KIND_ORDER_BREACH
            u = self.gen.random(n)
            revoke = same & np.where(breach, u < 0.6, u < p.ORDER_REVOKED_ON_NEW_OFFENCE)
            end = np.where(revoke, np.maximum(episodes["verdict_day"][candidate], orders["start"] + 1), end)
            reason = np.where(revoke, np.where(breach, 3, 2), reason).astype(np.int8)
        death = self.people.death_day[orders["person"]]
        died = death < end
        end = np.where(died, np.maximum(death, orders["start"] + 1), end)
        reason = np.where(died, 4, reason).astype(np.int8)
        orders["end"] = end
        orders["reason"] = reason

    def _assessments(
        self, episodes: dict[str, np.ndarray], spells: dict[str, np.ndarray], orders: dict[str, np.ndarray]
    ) -> dict[str, np.ndarray]:
        """Offender assessments (adults): before sentence, at the start and end of custody, at the start of
        community supervision, and yearly reviews during long supervision."""
        gen, people = self.gen, self.people
        parts: list[tuple[np.ndarray, np.ndarray, int, np.ndarray]] = []  # person, day, type, in_custody
        adult_episode = episodes["age"] >= 18
        pre = np.flatnonzero(
            adult_episode
            & (episodes["outcome"] == OUTCOME["CONV"])
            & np.isin(episodes["disposal"], [DISPOSAL["IMP"], DISPOSAL["SSO"], DISPOSAL["CO"]])
            & (gen.random(len(adult_episode)) < p.PRE_SENTENCE_ASSESSMENT_SHARE)
        )
        pre_day = np.maximum(
            episodes["sentence_day"][pre] - gen.integers(3, 21, len(pre)), episodes["verdict_day"][pre]
        )
        parts.append((episodes["person"][pre], pre_day, 0, episodes["remanded"][pre]))
        sentenced = (~spells["remand_only"]) & (spells["reception_reason"] != 2) & ~spells["youth"]
        long_custody = np.flatnonzero(sentenced & (spells["sentence_days"] >= p.CUSTODY_ASSESSMENT_MIN_DAYS))
        start_day = spells["start"][long_custody] + gen.integers(10, 50, len(long_custody))
        ok = start_day < spells["end"][long_custody] - 1
        parts.append((spells["person"][long_custody][ok], start_day[ok], 1, np.ones(ok.sum(), dtype=bool)))
        long_release = np.flatnonzero(sentenced & (spells["sentence_days"] >= 365))
        release_day = spells["end"][long_release] - gen.integers(20, 90, len(long_release))
        ok = release_day > spells["start"][long_release] + 60
        parts.append((spells["person"][long_release][ok], release_day[ok], 2, np.ones(ok.sum(), dtype=bool)))
        community = np.flatnonzero((orders["type"] <= 1) & (gen.random(len(orders["type"])) < 0.45))
        parts.append(
            (
                orders["person"][community],
                orders["start"][community] + gen.integers(7, 42, len(community)),
                3,
                np.zeros(len(community), dtype=bool),
            )
        )
        long_orders = np.flatnonzero(orders["expected_end"] - orders["start"] > 400)
        parts.append(
            (
                orders["person"][long_orders],
                orders["start"][long_orders] + 365,
                4,
                np.zeros(len(long_orders), dtype=bool),
            )
        )
        person = np.concatenate([x[0] for x in parts])
        day = np.concatenate([x[1] for x in parts])
        kind = np.concatenate([np.full(len(x[0]), x[2], dtype=np.int8) for x in parts])
        in_custody = np.concatenate([x[3] for x in parts])
        alive = day < people.stop_day[person]
        person, day, kind, in_custody = person[alive], day[alive], kind[alive], in_custody[alive]
        order = np.lexsort((kind, day, person))
        person, day, kind, in_custody = person[order], day[order], kind[order], in_custody[order]
        # Need scores 0-2: latent need, some drift over time, section-specific prevalence.
        age = (day - people.dob[person]) / DAYS_PER_YEAR
        offsets = np.array([0.3, 0.0, 0.2, 0.1, -0.1, 0.4, 0.7, 0.2, -0.2, 0.4])
        latent = people.needs[person] + gen.normal(0, 0.45, (len(person), 10)) - 0.01 * (age[:, None] - 30)
        scores = (latent > offsets + 0.1).astype(np.int8) + (latent > offsets + 1.2).astype(np.int8)
        rosh_score = np.log(self.risk[person]) * 0.6 + gen.normal(0, 0.8, len(person))
        rosh = np.digitize(rosh_score, [-0.2, 1.0, 2.2]).astype(np.int8)
        return {
            "person": person,
            "day": day,
            "type": kind,
            "in_custody": in_custody,
            "scores": scores,
            "rosh": rosh,
        }


def simulate_chunk(cfg: WorldConfig, ref: Reference, people: People, chunk: int) -> World:
    return CareerSimulator(cfg, ref, people, chunk).run()


__all__ = ["DISPOSALS", "ORDER_TYPES", "OUTCOMES", "RELEASE_REASONS", "World", "from_day", "simulate_chunk"]
