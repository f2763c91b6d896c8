"""Synthetic person records with the recording errors the linkage model's levels are for (typos, nicknames,
middle names used as forenames, double-barrelled surnames, swapped names, dates of birth off by a day, month
or year), for the linkage tests that need a few hundred people without building a world."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import duckdb
import pyarrow as pa

FORENAMES = {  # formal name: nickname
    "JAMES": "JIM", "ROBERT": "BOB", "WILLIAM": "BILL", "ELIZABETH": "LIZ", "MICHAEL": "MIKE", "THOMAS": "TOM",
    "JOSEPH": "JOE", "MARGARET": "MAGGIE", "JOHN": None, "DAVID": None, "MARY": None, "SARAH": None,
    "MOHAMMED": None, "AISHA": None, "OLIVER": None, "AMELIA": None, "HARRY": None, "ISLA": None,
    "CHLOE": None, "DANIEL": None, "EMMA": None, "GRACE": None, "JACK": None, "LUCY": None,
}  # fmt: skip
SURNAMES = [
    "SMITH", "JONES", "TAYLOR", "BROWN", "WILLIAMS", "WILSON", "JOHNSON", "DAVIES", "ROBINSON", "WRIGHT",
    "THOMPSON", "EVANS", "WALKER", "WHITE", "ROBERTS", "GREEN", "HALL", "WOOD", "JACKSON", "CLARKE",
    "KHAN", "PATEL", "HUGHES", "EDWARDS", "MARTIN", "LEWIS", "SCOTT", "YOUNG", "MORRIS", "KING",
]  # fmt: skip
DISTRICTS = ["M1", "M14", "LS6", "B12", "SW1A", "E17", "NG7", "CF10"]
SYSTEMS = {"pnc": "persons", "courts": "defendants", "prisons": "prisoners", "probation": "offenders"}


def _typo(name: str, rng: random.Random) -> str:
    i = rng.randrange(len(name) - 1)
    return name[:i] + name[i + 1] + name[i] + name[i + 2 :] if rng.random() < 0.5 else name[:i] + name[i + 1 :]


def synthetic_records(people: int, seed: int = 13) -> tuple[pa.Table, pa.Table]:
    """Person records (the columns the linkage step reads) and their deterministic links (shared PNC id)."""
    rng = random.Random(seed)
    rows: list[dict[str, Any]] = []
    for person in range(people):
        forename = rng.choice(list(FORENAMES))
        middle = rng.choice([None, rng.choice(list(FORENAMES))])
        surname = rng.choice(SURNAMES)
        born = date(1960, 1, 1) + timedelta(days=rng.randrange(16000))
        sex = rng.choice(["M", "F"])
        postcode = f"{rng.choice(DISTRICTS)} {rng.randrange(10)}{rng.choice('ABDEFG')}{rng.choice('HJLNPQ')}"
        pnc = f"20{rng.randrange(10, 24)}/{person:07d}X" if rng.random() < 0.6 else None
        for _ in range(rng.choice([1, 1, 2, 2, 3, 4])):
            f, m, s, d, p, x = forename, middle, surname, born, postcode, sex
            error = rng.random()
            if error < 0.10:
                f = _typo(f, rng)
            elif error < 0.18:
                s = _typo(s, rng)
            elif error < 0.24 and FORENAMES[forename]:
                f = FORENAMES[forename]
            elif error < 0.28 and middle:
                f, m = middle, forename
            elif error < 0.32:
                s = f"{surname}-{rng.choice(SURNAMES)}"
            elif error < 0.35:
                f, s = surname, forename
            elif error < 0.40 and born.day <= 12:
                d = date(born.year, born.day, born.month)
            elif error < 0.45:
                d = born.replace(year=born.year + rng.choice([-1, 1])) if (born.month, born.day) != (2, 29) else born
            elif error < 0.48:
                d = None
            if rng.random() < 0.2:
                p = rng.choice([None, f"{rng.choice(DISTRICTS)} {rng.randrange(10)}AB"])
            if rng.random() < 0.1:
                x = None
            system = rng.choice(list(SYSTEMS))
            number = len(rows)
            rows.append(
                {
                    "record_id": f"{system}:{number:06d}",
                    "source_system": system,
                    "source_table": SYSTEMS[system],
                    "source_record_id": str(number),
                    "postcode_district": p.split(" ")[0] if p else None,
                    "forename": f,
                    "forename_canonical": next((k for k, v in FORENAMES.items() if v == f), f),
                    "middle_name": m,
                    "surname": s,
                    "date_of_birth": d,
                    "sex": x,
                    "postcode": p,
                    "pnc_id_trusted": pnc if rng.random() < 0.8 else None,
                }
            )
    records = pa.Table.from_pylist(rows)
    con = duckdb.connect()
    con.register("records", records)
    deterministic = con.sql("""
        select l.record_id as record_id_l, r.record_id as record_id_r, 'pnc_id' as link_method
        from records as l inner join records as r
            on l.pnc_id_trusted = r.pnc_id_trusted and l.record_id < r.record_id
        order by 1, 2
    """).to_arrow_table()
    return records, deterministic
