"""Police National Computer ids: the reference implementation of their format and check character.

A PNC id is ``YYYY/NNNNNNNC``: the year the person was first recorded, a seven-digit serial and a check
character. The check character is computed from the last two digits of the year followed by the seven-digit
serial, read as one integer (``2003/0123456`` gives ``030123456``, that is 30123456), taken modulo 23 and
used as a 0-based index into ``ZABCDEFGHJKLMNPQRTUVWXY`` (the alphabet without I, O and S).

The generator creates ids with :func:`format_pnc_id`; the dbt macros ``is_valid_pnc_id`` and
``normalise_pnc_id`` (``macros/cleaning/pnc_id.sql``) implement the same rules in SQL, and
``pytests/test_pnc.py`` checks that both agree.
"""

from __future__ import annotations

import re

CHECK_CHARACTERS = "ZABCDEFGHJKLMNPQRTUVWXY"
"""Check characters indexed by ``(YY * 10**7 + serial) % 23``."""

MAX_SERIAL = 9_999_999

_PNC_ID = re.compile(r"([0-9]{4})/([0-9]{7})([A-Z])")
_LOOSE_PNC_ID = re.compile(r"([0-9]{2}|[0-9]{4})/([0-9]{1,7})([A-Z])")


def pnc_check_character(year: int, serial: int) -> str:
    """The check character of the PNC id with this year (four digits) and serial (up to seven digits)."""
    if not 0 <= year <= 9999:
        raise ValueError(f"year must have at most four digits, got {year}")
    if not 0 <= serial <= MAX_SERIAL:
        raise ValueError(f"serial must have at most seven digits, got {serial}")
    return CHECK_CHARACTERS[((year % 100) * 10_000_000 + serial) % len(CHECK_CHARACTERS)]


def format_pnc_id(year: int, serial: int) -> str:
    """The PNC id ``YYYY/NNNNNNNC`` for a year and serial, with its check character."""
    return f"{year:04d}/{serial:07d}{pnc_check_character(year, serial)}"


def is_valid_pnc_id(text: str) -> bool:
    """Whether ``text`` is exactly a PNC id ``YYYY/NNNNNNNC`` with the right check character.

    Strict: no surrounding spaces, upper-case check character, four-digit year and seven-digit serial.
    """
    match = _PNC_ID.fullmatch(text)
    if match is None:
        return False
    year, serial, check = match.groups()
    return pnc_check_character(int(year), int(serial)) == check


def normalise_pnc_id(text: str | None, century_pivot: int = 30) -> str | None:
    """The canonical PNC id for a loosely written one, or None when it is not a valid id.

    Mirrors the ``normalise_pnc_id`` dbt macro: whitespace removed and upper-cased; a two-digit year ``YY``
    becomes ``19YY`` when greater than ``century_pivot`` and ``20YY`` otherwise; a serial of fewer than seven
    digits is left-padded with zeros; the check character must then be right.
    """
    if text is None:
        return None
    compact = re.sub(r"[ \t\r\n]", "", text).upper()
    match = _LOOSE_PNC_ID.fullmatch(compact)
    if match is None:
        return None
    year_text, serial_text, check = match.groups()
    year = int(year_text)
    if len(year_text) == 2:
        year += 1900 if year > century_pivot else 2000
    candidate = format_pnc_id(year, int(serial_text))
    return candidate if candidate[-1] == check else None
