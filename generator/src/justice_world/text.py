"""Fast vectorised text for the raw extracts: dates and timestamps from lookup tables, codes from
vocabularies, zero-padded identifiers — all arrow-native, no per-row Python."""

from __future__ import annotations

import datetime as dt
from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .config import to_day
from .raw_schema import DATE_FORMATS

FIRST_DAY = to_day(dt.date(1800, 1, 1))
LAST_DAY = to_day(dt.date(2250, 12, 31))


@cache
def _date_lookup(fmt: str, upper: bool) -> pa.Array:
    days = pa.array(np.arange(FIRST_DAY, LAST_DAY + 1, dtype=np.int32), type=pa.date32())
    text = pc.strftime(days, format=fmt)
    return pc.utf8_upper(text) if upper else text


@cache
def _time_lookup() -> pa.Array:
    seconds = np.arange(86400)
    hh, mm, ss = seconds // 3600, (seconds // 60) % 60, seconds % 60
    return pa.array([f" {h:02d}:{m:02d}:{s:02d}" for h, m, s in zip(hh, mm, ss, strict=True)])


def date_text(days: np.ndarray, fmt: str, valid: np.ndarray | None = None, upper: bool = False) -> pa.Array:
    """Days since 1970-01-01 as text in a strftime format; null where not valid or out of range."""
    days = np.asarray(days, dtype=np.int64)
    mask = (days < FIRST_DAY) | (days > LAST_DAY)
    if valid is not None:
        mask = mask | ~np.asarray(valid, dtype=bool)
    index = pa.array(np.where(mask, 0, days - FIRST_DAY), type=pa.int64(), mask=mask)
    return _date_lookup(fmt, upper).take(index)


def system_date(days: np.ndarray, system: str, valid: np.ndarray | None = None) -> pa.Array:
    return date_text(days, DATE_FORMATS[system], valid, upper=system == "probation")


def timestamp_text(days: np.ndarray, seconds: np.ndarray) -> pa.Array:
    """`YYYY-MM-DD HH:MM:SS` from a day and seconds into it."""
    date = date_text(days, "%Y-%m-%d")
    time = _time_lookup().take(pa.array(np.clip(np.asarray(seconds, dtype=np.int64), 0, 86399)))
    return pc.binary_join_element_wise(date, time, "")


def codes(vocabulary: tuple[str, ...] | np.ndarray, index: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    """Vocabulary entries by index; null where not valid or the index is negative."""
    index = np.asarray(index, dtype=np.int64)
    mask = index < 0
    if valid is not None:
        mask = mask | ~np.asarray(valid, dtype=bool)
    return pa.array(list(vocabulary), pa.string()).take(pa.array(np.where(mask, 0, index), pa.int64(), mask=mask))


def padded(numbers: np.ndarray, width: int, prefix: str = "") -> pa.Array:
    """Zero-padded decimal text of non-negative integers, with an optional prefix."""
    text = pc.utf8_lpad(pc.cast(pa.array(np.asarray(numbers, dtype=np.int64)), pa.string()), width=width, padding="0")
    return pc.binary_join_element_wise(pa.scalar(prefix), text, "") if prefix else text


def integers(values: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    mask = None if valid is None else ~np.asarray(valid, dtype=bool)
    return pc.cast(pa.array(np.asarray(values, dtype=np.int64), mask=mask), pa.string())


def where(valid: np.ndarray, values: pa.Array) -> pa.Array:
    """Values where valid, null elsewhere."""
    return pc.if_else(pa.array(np.asarray(valid, dtype=bool)), values, pa.scalar(None, values.type))
