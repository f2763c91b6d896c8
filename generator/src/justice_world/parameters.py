"""The behavioural parameters of the synthetic world, in one place.

These describe *behaviour* (how often people offend, how the police and courts respond, how long things
take). The published statistics the world is checked against (reoffending rates and the like) are never
parameters: they emerge from this behaviour and are measured by ``truth_measures`` and the calibration test.
Sources for the orders of magnitude are the publications listed in ``docs/methodology.md`` section 9.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

# --- the population --------------------------------------------------------------------------------------
MALE_SHARE = 0.80
# Broad ethnic groups of people who come into contact with the justice system (after "Not stated", which is
# a recording outcome, not a property of the person).
ETHNICITY_GROUP_SHARES = {"White": 0.76, "Black": 0.085, "Asian": 0.08, "Mixed": 0.05, "Other": 0.025}
# Origin of names within each broad group: british, south_asian, african_caribbean, east_european, other.
NAME_ORIGIN_BY_GROUP = {
    "White": {"british": 0.92, "east_european": 0.08},
    "Black": {"african_caribbean": 0.75, "british": 0.25},
    "Asian": {"south_asian": 0.92, "british": 0.08},
    "Mixed": {"british": 0.6, "african_caribbean": 0.4},
    "Other": {"other": 0.6, "south_asian": 0.15, "british": 0.25},
}
MIDDLE_NAME_SHARE = 0.55
# Age at the first recorded offence: a share of onsets in childhood (10-17), the rest adult (lognormal).
JUVENILE_ONSET_SHARE = 0.12
JUVENILE_ONSET_AGE_WEIGHTS = np.array([0.02, 0.04, 0.07, 0.11, 0.15, 0.19, 0.21, 0.21])  # ages 10..17
ADULT_ONSET_LOG_MEAN = np.log(12.0)  # years after the 18th birthday, lognormal
ADULT_ONSET_LOG_SD = 0.95
ADULT_ONSET_MAX_AGE = 75
# Offending propensity: episodes a year at the peak of the age curve (lognormal heterogeneity).
PROPENSITY_LOG_MEAN = np.log(0.45)
PROPENSITY_LOG_SD = 1.45
FEMALE_PROPENSITY_FACTOR = 0.55
JUVENILE_ONSET_PROPENSITY_FACTOR = 1.08
# A share of people offend once and stop (their propensity after onset is scaled right down).
ONE_OFF_SHARE = 0.30
ONE_OFF_PROPENSITY_FACTOR = 0.03
# Deprivation: decile 1 (most deprived) raises propensity, decile 10 lowers it.
DEPRIVATION_PROPENSITY = np.linspace(1.35, 0.75, 10)
# Where people live: weight of an area = population weight x this factor by decile (offenders concentrate in
# deprived areas).
DEPRIVATION_RESIDENCE = np.linspace(2.2, 0.5, 10)
MOVES_PER_YEAR = 0.12
MAX_MOVES = 4
MOVE_WITHIN_FORCE_SHARE = 0.7
EMIGRATION_SHARE = 0.04
# Mortality (Gompertz, with the excess mortality of people in contact with the justice system).
MORTALITY_AT_20 = 0.0012
MORTALITY_GROWTH = 0.085
# Identity details.
DOPPELGANGER_SHARE = 0.004  # people who share a name and date of birth with someone else
SURNAME_CHANGE_SHARE_FEMALE = 0.04
SURNAME_CHANGE_SHARE_MALE = 0.005
HYPHENATED_CHANGE_SHARE = 0.25
# Duplicate identifiers created by mistake inside a system.
DUPLICATE_PNC_SHARE = 0.02
DUPLICATE_PRISON_NUMBER_SHARE = 0.015
DUPLICATE_CRN_SHARE = 0.012
DUPLICATE_ID_REUSE = 0.35  # after a duplicate is created, share of later records made under it
# Latent needs (offender assessment sections) correlate with propensity.
NEED_PROPENSITY_LOADING = 0.55


# --- offending -------------------------------------------------------------------------------------------
# The age-crime curve: relative offending rate by age (peak in the late teens, then desistance).
def age_curve(age: np.ndarray) -> np.ndarray:
    rising = np.clip(0.45 + 0.08 * (age - 10.0), 0.45, 1.0)
    falling = np.exp(-np.clip(age - 21.0, 0.0, None) / 13.0)
    return np.where(age < 10.0, 0.0, np.maximum(rising * falling, 0.04))


# Extra offending soon after release from custody (decays with this many days).
POST_RELEASE_BOOST = 3.5
POST_RELEASE_DAYS = 150.0
# Chance of stopping for good after a proven outcome, falling as the record grows.
DESIST_AFTER_PROVEN = 0.29
DESIST_RECORD_DECAY = 0.25
DESIST_AFTER_CUSTODY_FACTOR = 0.5
# Offences per episode: 1 + Poisson(mean), capped.
EXTRA_OFFENCES_MEAN = 1.35
MAX_OFFENCES_PER_EPISODE = 6
SAME_GROUP_EXTRA_SHARE = 0.6
# Offence group mix of episodes, by offence group code 01..12, for adults and juveniles, men and women.
GROUP_WEIGHTS = {
    ("adult", "M"): [0.22, 0.02, 0.012, 0.22, 0.07, 0.12, 0.035, 0.08, 0.04, 0.03, 0.07, 0.083],
    ("adult", "F"): [0.20, 0.003, 0.006, 0.33, 0.07, 0.07, 0.01, 0.08, 0.04, 0.06, 0.09, 0.041],
    ("juvenile", "M"): [0.24, 0.02, 0.04, 0.27, 0.12, 0.08, 0.05, 0.08, 0.02, 0.005, 0.055, 0.02],
    ("juvenile", "F"): [0.28, 0.003, 0.015, 0.33, 0.10, 0.04, 0.02, 0.10, 0.02, 0.01, 0.07, 0.012],
}
# Breach episodes while under an order or licence, and failing to surrender while on bail (monthly).
ORDER_BREACH_MONTHLY = 0.012
BAIL_BREACH_MONTHLY = 0.006
# Technical recall (non-compliance with licence) per month on licence, scaled by the person's risk.
TECHNICAL_RECALL_MONTHLY = 0.012
RECALL_ON_NEW_CHARGE = 0.55
FIXED_TERM_RECALL_DAYS = 28
FIXED_TERM_RECALL_SHARE = 0.6

# --- justice processing ----------------------------------------------------------------------------------
YOUTH_CAUTION_START = dt.date(2013, 4, 8)  # reprimands and final warnings replaced by youth cautions
PND_START = dt.date(2004, 11, 1)
COMMUNITY_RESOLUTION_START = dt.date(2008, 4, 1)
CONDITIONAL_CAUTION_START = dt.date(2004, 4, 1)
SSO_START = dt.date(2005, 4, 4)
ORA_START = dt.date(2015, 2, 1)  # licence and post-sentence supervision after short sentences
TWO_THIRDS_RELEASE_START = dt.date(2020, 4, 1)
# Share of episodes with no further action (evidence not sufficient), by age group.
NFA_SHARE = {"juvenile": 0.20, "adult": 0.20}
# Out-of-court resolutions for eligible (not serious) episodes: base log-odds against court, by age group,
# falling with each previous proven outcome.
OUT_OF_COURT_BASE = {"juvenile": 2.2, "adult": 1.3}
OUT_OF_COURT_PER_PRIOR = 0.45


# Out-of-court resolutions peaked around 2007-08 and fell afterwards.
def out_of_court_period_factor(year: np.ndarray) -> np.ndarray:
    return np.interp(year, [1990, 2003, 2008, 2014, 2025, 2100], [0.0, 0.1, 0.55, -0.2, -0.6, -0.6])


# Among out-of-court outcomes: community resolution, penalty notice, caution (shares before eligibility).
OUT_OF_COURT_MIX = {"juvenile": (0.62, 0.0, 0.38), "adult": (0.35, 0.12, 0.53)}
SERIOUS_RANK_LIMIT = 8  # offences ranked this or more serious (rank 1 = most serious) always go to court
# Court: Crown Court shares, plea and verdict.
EITHER_WAY_CROWN_SHARE = 0.12
GUILTY_PLEA_SHARE = 0.72
CONVICTED_AT_TRIAL_SHARE = 0.6
DROPPED_BEFORE_TRIAL_SHARE = 0.08
OTHER_OFFENCE_WITHDRAWN_SHARE = 0.12
# Delays in days (lognormal median, log sd).
DELAY_REPORT = (3.0, 1.6)  # offence to being recorded (arrest or report)
DELAY_REPORT_LATE_GROUPS = {"02": (200.0, 1.4), "10": (120.0, 1.2)}  # sexual and fraud offences
DELAY_OUT_OF_COURT = (12.0, 0.9)
DELAY_CHARGE_TO_FIRST_HEARING = (21.0, 0.6)
DELAY_MAGISTRATES = (45.0, 0.9)  # first hearing to completion
DELAY_CROWN = (240.0, 0.55)
DELAY_SENTENCE_ADJOURNMENT = (24.0, 0.4)  # conviction to sentence when reports are needed
# Remand in custody: log-odds.
REMAND_BASE = -4.2
REMAND_GRAVITY = 3.5
REMAND_CROWN = 1.4
REMAND_PRIORS = 0.12
REMAND_BAILED_SHARE = 0.3
# Sentencing adults: log-odds of immediate custody.
CUSTODY_BASE = -5.9
CUSTODY_GRAVITY = 4.2
CUSTODY_PRIORS = 0.30
CUSTODY_PRIOR_CUSTODY = 0.7
CUSTODY_CROWN = 1.2
CUSTODY_MAX_PRIORS = 15
# Non-custodial adult mix (before adjustment by gravity): SSO, CO, FINE, CD, AD, OTH.
ADULT_NON_CUSTODIAL_MIX = np.array([0.13, 0.28, 0.38, 0.13, 0.02, 0.06])
# Custody length in months: lognormal around exp(base + gravity + priors), capped by the offence maximum.
CUSTODY_LOG_BASE = np.log(1.5)
CUSTODY_LOG_GRAVITY = 3.6
CUSTODY_LOG_PRIORS = 0.02
CUSTODY_LOG_CROWN = 0.8
CUSTODY_LOG_SD = 0.55
MAGISTRATES_MAX_CUSTODY_DAYS = 183
# Youth sentencing.
YOUTH_CUSTODY_BASE = -6.0
YOUTH_CUSTODY_GRAVITY = 4.2
YOUTH_CUSTODY_PRIORS = 0.12
REFERRAL_ORDER_FIRST_SHARE = 0.85
DTO_MONTHS = np.array([4, 6, 8, 10, 12, 18, 24])
# Community orders and suspended sentences: months of supervision.
ORDER_MONTHS = np.array([6, 12, 12, 18, 24, 36])
ORDER_REVOKED_ON_NEW_OFFENCE = 0.35
POST_SENTENCE_SUPERVISION_MONTHS = 12

# --- assessments -----------------------------------------------------------------------------------------
PRE_SENTENCE_ASSESSMENT_SHARE = 0.6
CUSTODY_ASSESSMENT_MIN_DAYS = 180
