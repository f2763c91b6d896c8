"""The world sweep's parameters (`repeat_offending_tools.sweep`): every drawn world is one the generator
accepts, inside the sweep's ranges, replayable from the printed command; a world passes only when every check
ran and passed. (`make test` runs the sweep itself on two small worlds.)"""

from __future__ import annotations

import datetime as dt
import random
import shlex
from pathlib import Path

from justice_world.config import WorldConfig
from repeat_offending_tools.sweep import PEOPLE, Result, World, draw_world, markdown, replay_command


def test_drawn_worlds_are_valid_and_in_range() -> None:
    rng = random.Random(20261206)
    worlds = [draw_world(rng, index, PEOPLE) for index in range(2000)]
    for w in worlds:
        WorldConfig(  # raises ValueError on parameters the generator refuses
            people=w.people,
            seed=w.seed,
            first_year=w.first_year,
            end_year=w.end_year,
            data_as_of=dt.date.fromisoformat(w.as_of),
            identifier_noise_rate=w.noise_rate,
            bad_row_rate=w.bad_row_rate,
        )
        assert 2_000 <= w.people <= 60_000
        assert 1995 <= w.first_year <= 2012
        assert "2012-01-01" <= w.as_of <= "2025-12-31"
        assert 0 <= w.noise_rate <= 0.3 and 0 <= w.bad_row_rate <= 0.05
    people = sorted(w.people for w in worlds)
    assert people[0] < 2_500 and people[-1] > 50_000, "the people range is not covered"
    assert len({w.seed for w in worlds}) == len(worlds)


def test_the_same_sweep_seed_draws_the_same_worlds() -> None:
    one = [draw_world(random.Random(7), i, (2000, 4000)) for i in range(3)]
    two = [draw_world(random.Random(7), i, (2000, 4000)) for i in range(3)]
    assert one == two


def test_the_replay_command_carries_every_parameter(tmp_path: Path) -> None:
    world = World(1, 42, 2500, 1999, 2020, "2015-03-31", 0.25, 0.01)
    command = shlex.split(replay_command(world, tmp_path / "my world"))
    assert command[:2] == ["make", "build"]
    assert f"DATA_DIR={tmp_path / 'my world'}" in command
    for variable in ("PEOPLE=2500", "SEED=42", "FIRST_YEAR=1999", "END_YEAR=2020", "AS_OF=2015-03-31"):
        assert variable in command
    assert "NOISE_RATE=0.25" in command and "BAD_ROW_RATE=0.01" in command


def test_a_world_passes_only_when_every_check_ran_and_passed() -> None:
    world = World(1, 42, 2500, 1999, 2020, "2015-03-31", 0.25, 0.01)
    result = Result(world=world, data_dir="x", build_ok=True, staging_ok=True, linkage_ok=True, derived_ok=True)
    assert result.passed
    for unchecked in ("staging_ok", "linkage_ok", "derived_ok"):
        partial = Result(world=world, data_dir="x", build_ok=True, staging_ok=True, linkage_ok=True, derived_ok=True)
        setattr(partial, unchecked, None)
        assert not partial.passed
        assert f"{unchecked.removesuffix('_ok')} not checked" in markdown([partial], "header")
    assert not Result(
        world=world, data_dir="x", build_ok=False, staging_ok=True, linkage_ok=True, derived_ok=True
    ).passed
