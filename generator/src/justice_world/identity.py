"""How a system records a person: names, date of birth, sex and postcode as seen on a day, with noise.

Noise is drawn per record from stable uniforms (see ``randomness.stable_uniform``), so the same record
carries the same mistakes in every extract. A noisy record gets one or two of the operations below; the
ground truth lists them for each record.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .calendar import days_from_ymd, ymd_from_days
from .pnc import CHECK_CHARACTERS
from .population import People
from .randomness import stable_uniform
from .reference import Reference
from .text import codes, system_date

NOISE_OPS = (
    "name_typo",
    "nickname",
    "name_swap",
    "forename_alias",
    "dob_day_month_swap",
    "dob_wrong_year",
    "dob_missing",
    "dob_day_typo",
    "postcode_typo",
    "postcode_missing",
    "sex_missing",
    "middle_name_dropped",
    "pnc_id_malformed",
    "pnc_id_of_another_person",
)
NOISE_WEIGHTS = np.array([0.22, 0.09, 0.04, 0.025, 0.07, 0.06, 0.06, 0.05, 0.08, 0.10, 0.06, 0.06, 0.04, 0.015])
PNC_OPS = {"pnc_id_malformed", "pnc_id_of_another_person"}
TWO_OPS_SHARE = 0.3
INWARD_LETTERS = np.array(list("ABDEFGHJLNPQRSTUWXYZ"))
PNC_CHECK = CHECK_CHARACTERS


def inward_codes() -> np.ndarray:
    """All 4,000 inward codes `9AA` in code order."""
    digits = np.repeat(np.arange(10), 400).astype(str)
    first = np.tile(np.repeat(INWARD_LETTERS, 20), 10)
    second = np.tile(INWARD_LETTERS, 200)
    return np.char.add(np.char.add(digits, first), second)


_INWARD = pa.array(inward_codes())


def pnc_ids(year: np.ndarray, serial: np.ndarray) -> np.ndarray:
    """Formatted PNC ids `YYYY/NNNNNNNC` (the check character as in ``justice_world.pnc``)."""
    check = np.array(list(PNC_CHECK))[((year % 100) * 10_000_000 + serial) % 23]
    body = np.char.add(np.char.add(year.astype(str), "/"), np.char.zfill(serial.astype(str), 7))
    return np.char.add(body, check).astype(object)


@dataclass(frozen=True)
class _Nicknames:
    start: np.ndarray  # per forename index: first position in value
    count: np.ndarray
    value: np.ndarray


_NICKNAME_CACHE: dict[int, _Nicknames] = {}


def _nickname_table(ref: Reference) -> _Nicknames:
    key = id(ref)
    if key not in _NICKNAME_CACHE:
        options = [ref.names.nickname_of.get(f, []) for f in ref.names.forename]
        count = np.array([len(o) for o in options])
        start = np.concatenate([[0], np.cumsum(count)[:-1]])
        value = np.array([v for o in options for v in o] or [""], dtype=object)
        _NICKNAME_CACHE[key] = _Nicknames(start=start, count=count, value=value)
    return _NICKNAME_CACHE[key]


@dataclass
class Observed:
    """Identity fields of n records, as arrow arrays, plus the noise applied to each."""

    forename: pa.Array
    middle_name: pa.Array
    surname: pa.Array
    dob_days: np.ndarray
    dob_missing: np.ndarray
    sex: pa.Array  # "M" / "F" / null
    postcode: pa.Array
    pnc_id: pa.Array | None
    noise: np.ndarray  # object: comma-separated operations, "" when clean

    def dob_text(self, system: str) -> pa.Array:
        return system_date(self.dob_days, system, ~self.dob_missing)


def _choose_ops(rate: float, u: list[np.ndarray], allow_pnc: bool) -> np.ndarray:
    """[n, 2] operation indices (-1 for none)."""
    weights = NOISE_WEIGHTS.copy()
    if not allow_pnc:
        weights[[NOISE_OPS.index(o) for o in PNC_OPS]] = 0.0
    cumulative = np.cumsum(weights) / weights.sum()
    noisy = u[0] < rate
    first = np.minimum(np.searchsorted(cumulative, u[1], side="right"), len(NOISE_OPS) - 1)
    second = np.minimum(np.searchsorted(cumulative, u[2], side="right"), len(NOISE_OPS) - 1)
    second = np.where((u[3] < TWO_OPS_SHARE) & (second != first), second, -1)
    return np.stack([np.where(noisy, first, -1), np.where(noisy, second, -1)], axis=1)


def _has(ops: np.ndarray, name: str) -> np.ndarray:
    return (ops == NOISE_OPS.index(name)).any(axis=1)


def _replace(values: pa.Array, mask: np.ndarray, replacement: pa.Array | np.ndarray) -> pa.Array:
    """values with the masked positions replaced, in order, by replacement."""
    if not mask.any():
        return values
    replacement = replacement if isinstance(replacement, pa.Array) else pa.array(replacement, pa.string())
    return pc.replace_with_mask(values, pa.array(mask), replacement.cast(values.type))


def _typos(con: duckdb.DuckDBPyConnection, text: pa.Array, which: np.ndarray, u: np.ndarray, v: np.ndarray) -> pa.Array:
    """One keyboard-style typo (delete, substitute, transpose or insert a letter) in each selected string,
    keeping the string's case style."""
    rows = np.flatnonzero(which)
    if not len(rows):
        return text
    batch = pa.table(
        {
            "i": np.arange(len(rows)),
            "s": text.take(pa.array(rows)),
            "k": (u[rows] * 4).astype(np.int64),
            "f": v[rows],
            "c": (v[rows] * 7919 % 26).astype(np.int64),
        }
    )
    con.register("typo_batch", batch)
    fixed = (
        con.sql("""
        with t as (select i, s, k, c, 1 + least(floor(f * length(s))::bigint, length(s) - 1) as p
                   from typo_batch)
        select case
            when s is null or length(s) < 3 then s
            when k = 0 then substr(s, 1, p - 1) || substr(s, p + 1)
            when k = 1 then substr(s, 1, p - 1) || lower(chr(97 + c::int)) || substr(s, p + 1)
            when k = 2 and p < length(s) then substr(s, 1, p - 1) || substr(s, p + 1, 1) || substr(s, p, 1)
                || substr(s, p + 2)
            else substr(s, 1, p) || lower(chr(97 + c::int)) || substr(s, p + 1)
        end as s
        from t order by i
    """)
        .to_arrow_table()
        .column("s")
        .combine_chunks()
    )
    con.unregister("typo_batch")
    original = text.take(pa.array(rows))
    fixed = pc.if_else(pc.fill_null(pc.utf8_is_upper(original), False), pc.utf8_upper(fixed), fixed)
    return _replace(text, which, fixed)


def observe(
    con: duckdb.DuckDBPyConnection,
    ref: Reference,
    people: People,
    person: np.ndarray,
    day: np.ndarray,
    enumeration: np.ndarray,
    purpose: str,
    seed: int,
    rate: float,
    true_pnc: np.ndarray | None = None,
    pnc_present: float = 1.0,
    pnc_donors: np.ndarray | None = None,
    records_middle_name: bool = True,
) -> Observed:
    """Identity as one system recorded it for each (person, day), with noise at ``rate``."""
    names = ref.names
    n = len(person)
    u = [stable_uniform(seed, f"identity:{purpose}", enumeration, k) for k in range(10)]
    ops = _choose_ops(rate, u[:4], allow_pnc=true_pnc is not None)

    # Operations that cannot apply to a record become one that can, so every listed operation is real.
    forename_index = people.forename[person]
    y, m, d = ymd_from_days(people.dob[person])
    ops = np.where(
        (ops == NOISE_OPS.index("dob_day_month_swap")) & ((d > 12) | (d == m))[:, None],
        NOISE_OPS.index("dob_day_typo"),
        ops,
    )
    nicknames = _nickname_table(ref)
    has_nickname = nicknames.count[forename_index] > 0
    ops = np.where((ops == NOISE_OPS.index("nickname")) & ~has_nickname[:, None], NOISE_OPS.index("name_typo"), ops)
    no_middle = (people.middle_name[person] < 0) | (not records_middle_name)
    ops = np.where(
        (ops == NOISE_OPS.index("middle_name_dropped")) & no_middle[:, None],
        NOISE_OPS.index("name_typo"),
        ops,
    )
    ops[:, 1] = np.where(ops[:, 1] == ops[:, 0], -1, ops[:, 1])

    forename_list = pa.array(names.forename, pa.string())
    surname_list = pa.array(names.surname, pa.string())
    forename = forename_list.take(pa.array(forename_index))
    surname = surname_list.take(pa.array(people.surname[person]))
    changed = (day >= people.surname_change_day[person]) & (people.new_surname[person] >= 0)
    if changed.any():
        rows = np.flatnonzero(changed)
        new = surname_list.take(pa.array(people.new_surname[person][rows]))
        hyphen = pa.array(people.hyphenated_change[person][rows])
        old = surname.take(pa.array(rows))
        surname = _replace(surname, changed, pc.if_else(hyphen, pc.binary_join_element_wise(old, new, "-"), new))
    middle_index = people.middle_name[person]
    middle_missing = (middle_index < 0) | _has(ops, "middle_name_dropped")
    middle = forename_list.take(pa.array(np.maximum(middle_index, 0), mask=middle_missing))

    nick = _has(ops, "nickname")
    rows = np.flatnonzero(nick)
    pick = nicknames.start[forename_index[rows]] + (u[4][rows] * nicknames.count[forename_index[rows]]).astype(int)
    forename = _replace(forename, nick, nicknames.value[pick])
    alias = _has(ops, "forename_alias")
    alias_index = np.zeros(n, dtype=np.int64)
    for sex_code in ("M", "F"):
        sel = np.flatnonzero(alias & (people.sex[person] == sex_code))
        same_sex = np.flatnonzero(names.forename_sex == sex_code)
        alias_index[sel] = same_sex[(u[5][sel] * len(same_sex)).astype(int)]
    forename = _replace(forename, alias, forename_list.take(pa.array(alias_index[alias])))
    swap = pa.array(_has(ops, "name_swap"))
    forename, surname = pc.if_else(swap, surname, forename), pc.if_else(swap, forename, surname)
    typo = _has(ops, "name_typo")
    on_surname = u[6] < 0.6
    surname = _typos(con, surname, typo & on_surname, u[7], u[8])
    forename = _typos(con, forename, typo & ~on_surname, u[7], u[8])

    # Date of birth.
    swap_dob = _has(ops, "dob_day_month_swap")
    m2, d2 = np.where(swap_dob, d, m), np.where(swap_dob, m, d)
    y2 = np.where(_has(ops, "dob_wrong_year"), y + np.where(u[4] < 0.5, -1, 1), y)
    shift = np.where(u[9] < 0.5, -1, 1) * (1 + (u[8] * 3).astype(int))
    d2 = np.where(_has(ops, "dob_day_typo"), np.where((d2 + shift < 1) | (d2 + shift > 28), d2 - shift, d2 + shift), d2)
    dob_days = days_from_ymd(y2, m2, d2)

    sex_index = np.where(people.sex[person] == "M", 0, 1)
    sex = codes(("M", "F"), sex_index, ~_has(ops, "sex_missing"))

    residence = people.residence_at(person, day)
    area = people.area[person, residence]
    inward = people.inward_code[person, residence]
    district = pa.array(ref.areas.district, pa.string()).take(pa.array(area))
    postcode = pc.binary_join_element_wise(district, _INWARD.take(pa.array(inward)), " ")
    postcode = _typos(con, postcode, _has(ops, "postcode_typo"), u[7], u[9])
    postcode = pc.if_else(pa.array(_has(ops, "postcode_missing")), pa.scalar(None, pa.string()), postcode)

    pnc = None
    if true_pnc is not None:
        ids = np.asarray(true_pnc, dtype=object).copy()
        other = np.flatnonzero(_has(ops, "pnc_id_of_another_person"))
        # Another person's id, drawn from a pool that does not depend on the extract date.
        donors = np.asarray(true_pnc if pnc_donors is None else pnc_donors, dtype=object)
        ids[other] = donors[(u[5][other] * len(donors)).astype(int)]
        malformed = np.flatnonzero(_has(ops, "pnc_id_malformed"))
        style = u[9][malformed]
        ids[malformed] = [
            s[2:] if k < 0.35 else (s[:-1] if k < 0.65 else s[:-1] + ("A" if s[-1] != "A" else "B"))
            for s, k in zip(ids[malformed].astype(str), style, strict=True)
        ]
        absent = stable_uniform(seed, f"pnc-present:{purpose}", enumeration) >= pnc_present
        pnc = pa.array(np.where(absent, None, ids), pa.string())

    labels = np.array((*NOISE_OPS, ""), dtype=object)
    first, second = labels[ops[:, 0]], labels[ops[:, 1]]
    noise = np.where(ops[:, 1] >= 0, first + "," + second, np.where(ops[:, 0] >= 0, first, ""))
    return Observed(
        forename=forename,
        middle_name=middle,
        surname=surname,
        dob_days=dob_days,
        dob_missing=_has(ops, "dob_missing"),
        sex=sex,
        postcode=postcode,
        pnc_id=pnc,
        noise=noise.astype(object),
    )
