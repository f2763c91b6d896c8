"""Vectorised conversions between days since 1970-01-01 and (year, month, day)."""

from __future__ import annotations

import numpy as np


def ymd_from_days(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Civil date of each day number (proleptic Gregorian calendar)."""
    z = np.asarray(days, dtype=np.int64) + 719468
    era = np.floor_divide(z, 146097)
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = np.where(mp < 10, mp + 3, mp - 9)
    y = yoe + era * 400 + (m <= 2)
    return y, m, d


def days_from_ymd(y: np.ndarray, m: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Day number of each civil date; the day is clipped to the month's length (29 Feb in a common year
    becomes 28 Feb)."""
    y = np.asarray(y, dtype=np.int64)
    m = np.asarray(m, dtype=np.int64)
    d = np.minimum(np.asarray(d, dtype=np.int64), days_in_month(y, m))
    y2 = y - (m <= 2)
    era = np.floor_divide(y2, 400)
    yoe = y2 - era * 400
    mp = np.where(m > 2, m - 3, m + 9)
    doy = (153 * mp + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def days_in_month(y: np.ndarray, m: np.ndarray) -> np.ndarray:
    leap = ((y % 4 == 0) & (y % 100 != 0)) | (y % 400 == 0)
    lengths = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
    return np.where((m == 2) & leap, 29, lengths[np.asarray(m, dtype=np.int64)])


def add_months(days: np.ndarray, months: int) -> np.ndarray:
    """Calendar months added to each day (the day clipped to the target month's length)."""
    y, m, d = ymd_from_days(days)
    total = y * 12 + (m - 1) + months
    return days_from_ymd(total // 12, total % 12 + 1, d)
