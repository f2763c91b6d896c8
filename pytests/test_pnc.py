"""PNC ids: the Python reference (generator/src/justice_world/pnc.py) and the dbt macros agree."""

from __future__ import annotations

import random
from pathlib import Path

import duckdb
import pytest

from conftest import PROJECT_ROOT, run_dbt
from justice_world.pnc import (
    CHECK_CHARACTERS,
    format_pnc_id,
    is_valid_pnc_id,
    normalise_pnc_id,
    pnc_check_character,
)


def test_worked_example() -> None:
    # 2003/0123456 -> 030123456 = 30123456; 30123456 mod 23 = 11; "ZABCDEFGHJKLMNPQRTUVWXY"[11] = "L"
    assert pnc_check_character(2003, 123456) == "L"
    assert format_pnc_id(2003, 123456) == "2003/0123456L"
    assert is_valid_pnc_id("2003/0123456L")


def test_check_characters_are_23_distinct_letters_without_i_o_s() -> None:
    assert len(CHECK_CHARACTERS) == len(set(CHECK_CHARACTERS)) == 23
    assert not set("IOS") & set(CHECK_CHARACTERS)


def test_check_character_uses_the_last_two_digits_of_the_year_only() -> None:
    assert pnc_check_character(1903, 42) == pnc_check_character(2003, 42)


@pytest.mark.parametrize(("year", "serial"), [(-1, 0), (10_000, 0), (2000, -1), (2000, 10_000_000)])
def test_out_of_range_parts_are_rejected(year: int, serial: int) -> None:
    with pytest.raises(ValueError):
        pnc_check_character(year, serial)


@pytest.mark.parametrize(
    "text",
    ["2003/0123456M", "2003/0123456l", " 2003/0123456L", "03/0123456L", "2003/123456L", "2003-0123456L", ""],
)
def test_invalid_ids(text: str) -> None:
    assert not is_valid_pnc_id(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2003/0123456L", "2003/0123456L"),
        (" 2003 / 0123456l ", "2003/0123456L"),
        ("03/0123456L", "2003/0123456L"),
        ("99/0000001G", "1999/0000001G"),
        ("1999/1G", "1999/0000001G"),
        ("2003/0123456M", None),
        ("garbage", None),
        (None, None),
    ],
)
def test_normalise(text: str | None, expected: str | None) -> None:
    assert normalise_pnc_id(text) == expected


def _random_inputs(count: int, seed: int = 20250630) -> list[str]:
    """Valid ids and the ways they arrive broken: wrong check, case, spaces, short years and serials."""
    rng = random.Random(seed)
    inputs: list[str] = []
    for _ in range(count):
        year, serial = rng.randint(1950, 2025), rng.randint(0, 9_999_999)
        pnc_id = format_pnc_id(year, serial)
        variant = rng.randrange(8)
        if variant == 0:
            wrong = rng.choice([c for c in CHECK_CHARACTERS if c != pnc_id[-1]])
            pnc_id = pnc_id[:-1] + wrong
        elif variant == 1:
            pnc_id = pnc_id.lower()
        elif variant == 2:
            pnc_id = f" {pnc_id[:5]} {pnc_id[5:]}\t"
        elif variant == 3:
            pnc_id = pnc_id[2:]
        elif variant == 4:
            pnc_id = f"{year}/{serial}{pnc_id[-1]}"
        elif variant == 5:
            position = rng.randrange(len(pnc_id))
            pnc_id = pnc_id[:position] + rng.choice("0123456789/ABCX") + pnc_id[position + 1 :]
        inputs.append(pnc_id)
    return inputs


def test_sql_macros_agree_with_python(tmp_path: Path) -> None:
    compiled = run_dbt(
        PROJECT_ROOT,
        "compile",
        "--quiet",
        "--target",
        "ci",
        "--no-populate-cache",
        "--target-path",
        str(tmp_path / "target"),
        "--inline",
        "select pnc_input, {{ repeat_offending.is_valid_pnc_id('pnc_input') }} as is_valid, "
        "{{ repeat_offending.normalise_pnc_id('pnc_input') }} as normalised from pnc_inputs",
        data_dir=tmp_path / "data",
    )
    assert compiled.returncode == 0, compiled.stdout + compiled.stderr
    sql = compiled.stdout.strip()
    assert sql.startswith("select pnc_input"), sql

    inputs = [*_random_inputs(400), "", "2003/0123456L"]
    connection = duckdb.connect()
    connection.execute("create table pnc_inputs (pnc_input varchar)")
    connection.executemany("insert into pnc_inputs values (?)", [[text] for text in inputs])
    connection.execute("insert into pnc_inputs values (null)")
    rows = connection.execute(sql).fetchall()

    assert len(rows) == len(inputs) + 1
    mismatches = [
        (text, is_valid, normalised)
        for text, is_valid, normalised in rows
        if is_valid != (text is not None and is_valid_pnc_id(text)) or normalised != normalise_pnc_id(text)
    ]
    assert not mismatches, mismatches[:10]
    # The sample exercises every branch.
    assert sum(is_valid for _, is_valid, _ in rows) > 50
    assert sum(normalised is None for _, _, normalised in rows) > 50
    assert sum(bool(normalised) and not is_valid for _, is_valid, normalised in rows) > 100
