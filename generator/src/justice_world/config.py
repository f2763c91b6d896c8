"""Parameters of a synthetic world and their validation."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import asdict, dataclass
from pathlib import Path

EPOCH = dt.date(1970, 1, 1)
# People are simulated in chunks of this many; it is fixed (not tied to the machine) so that the same
# parameters always give the same world whatever the number of worker processes.
CHUNK_SIZE = 100_000
MAX_PEOPLE = 12_000_000  # probation case reference numbers run out beyond this


def to_day(d: dt.date) -> int:
    """Days since 1970-01-01, the generator's internal date representation."""
    return (d - EPOCH).days


def from_day(day: int) -> dt.date:
    return EPOCH + dt.timedelta(days=int(day))


@dataclass(frozen=True)
class WorldConfig:
    """Everything that determines a synthetic world and its extract."""

    people: int = 200_000
    seed: int = 1
    first_year: int = 2000
    end_year: int = 2025
    data_as_of: dt.date = dt.date(2025, 6, 30)
    identifier_noise_rate: float = 0.10
    bad_row_rate: float = 0.005
    data_dir: Path = Path("data")
    workers: int = 2
    progress: bool = True

    def __post_init__(self) -> None:
        problems = []
        if not 1_000 <= self.people <= MAX_PEOPLE:
            problems.append(f"people must be between 1,000 and {MAX_PEOPLE:,} (got {self.people:,})")
        if not 0 <= self.seed < 2**63:
            problems.append("seed must be a non-negative integer")
        if not 1990 <= self.first_year <= self.end_year - 5:
            problems.append("first_year must be 1990 or later and at least five years before end_year")
        if self.end_year > 2100:
            problems.append("end_year must be 2100 or earlier")
        if not self.world_start <= self.data_as_of <= self.world_end:
            problems.append(
                f"data_as_of {self.data_as_of} must fall inside the simulated years {self.first_year}-{self.end_year}"
            )
        for name in ("identifier_noise_rate", "bad_row_rate"):
            value = getattr(self, name)
            if not (0.0 <= value <= 0.5) or math.isnan(value):
                problems.append(f"{name} must be between 0 and 0.5 (got {value})")
        if self.workers < 1:
            problems.append("workers must be at least 1")
        if problems:
            raise ValueError("invalid world parameters: " + "; ".join(problems))

    @property
    def world_start(self) -> dt.date:
        return dt.date(self.first_year, 1, 1)

    @property
    def world_end(self) -> dt.date:
        return dt.date(self.end_year, 12, 31)

    @property
    def as_of_day(self) -> int:
        return to_day(self.data_as_of)

    @property
    def n_chunks(self) -> int:
        return -(-self.people // CHUNK_SIZE)

    def chunk_bounds(self, chunk: int) -> tuple[int, int]:
        start = chunk * CHUNK_SIZE
        return start, min(start + CHUNK_SIZE, self.people)

    def manifest_parameters(self) -> dict[str, object]:
        params = asdict(self)
        params["data_as_of"] = self.data_as_of.isoformat()
        params["data_dir"] = str(self.data_dir)
        for transient in ("workers", "progress", "data_dir"):
            params.pop(transient)
        return params
