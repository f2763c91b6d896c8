"""`make-reference-areas`: write the synthetic small-area seeds `reference__areas` and `reference__postcode_sectors`.

The areas stand in for Lower layer Super Output Areas (LSOAs): each has a synthetic code, a name built from a
real town in its police force area, a real outward postcode (district) of that town, the force and region, a
deprivation decile and a relative resident count. The towns are the package data file ``data/towns.csv``:
real towns (or London boroughs) of each police force area with real postcode districts (space separated; how
many are listed roughly reflects the town's size, and areas are shared among a force's towns in that
proportion) and a deprivation tilt: +2 very deprived on average, +1 deprived, 0 mixed, -1 affluent, -2 very
affluent. Forces get areas in proportion to their population (read from the seed `reference__police_forces`,
at least 5 each). Deprivation deciles are ranked nationally by weighted population so that each decile holds
about a tenth of residents, with big-city and seaside towns tilted towards the deprived end.

Deterministic: the standard library's random numbers from a fixed seed. `make-reference-areas --seeds-dir
seeds` rewrites both seeds in place, in the folder that holds `reference__police_forces.csv`.
"""

from __future__ import annotations

import argparse
import csv
import random
from dataclasses import dataclass
from pathlib import Path

from .reference import PACKAGE_DATA, seed_path

SEED = 20190401
TOTAL_AREAS = 2000
MIN_AREAS_PER_FORCE = 5
TOWNS_CSV = PACKAGE_DATA / "towns.csv"
FORCES_SEED = "reference__police_forces"
AREAS_SEED = "reference__areas"
SECTORS_SEED = "reference__postcode_sectors"

COLUMNS = (
    "area_code",
    "area_name",
    "postcode_district",
    "police_force_code",
    "region_code",
    "deprivation_decile",
    "population_weight",
)


@dataclass
class Force:
    code: str
    region_code: str
    country: str
    population_thousands: int


@dataclass(frozen=True)
class Town:
    name: str
    districts: tuple[str, ...]  # outward postcodes, e.g. ("M1", "M4")
    tilt: int  # deprivation tilt, -2 (very affluent) .. +2 (very deprived)


@dataclass
class Area:
    force: Force
    town: str
    district: str
    tilt: int
    name: str = ""
    code: str = ""
    population_weight: int = 0
    deprivation_score: float = 0.0
    deprivation_decile: int = 0


def read_towns(path: Path) -> dict[str, list[Town]]:
    """The towns of each police force area (force code -> towns, in the file's order)."""
    towns: dict[str, list[Town]] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            town = Town(row["town"], tuple(row["postcode_districts"].split()), int(row["deprivation_tilt"]))
            if not town.districts:
                raise ValueError(f"{path}: town {town.name} has no postcode district")
            towns.setdefault(row["police_force_code"], []).append(town)
    return towns


def read_forces(path: Path) -> list[Force]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [
            Force(
                code=row["police_force_code"],
                region_code=row["region_code"],
                country=row["country"],
                population_thousands=int(row["population_thousands"]),
            )
            for row in csv.DictReader(handle)
        ]


def largest_remainder(weights: list[float], total: int, minimum: int) -> list[int]:
    """Split `total` into integers proportional to `weights`, each at least `minimum`."""
    counts = [minimum] * len(weights)
    remaining = total - minimum * len(weights)
    if remaining < 0:
        raise ValueError(f"cannot give {len(weights)} parts at least {minimum} from {total}")
    # Allocate the rest in proportion to the shortfall of each part against its exact share.
    weight_sum = sum(weights)
    exact = [total * w / weight_sum for w in weights]
    extra = [max(e - c, 0.0) for e, c in zip(exact, counts, strict=True)]
    extra_sum = sum(extra) or 1.0
    shares = [remaining * x / extra_sum for x in extra]
    floors = [int(s) for s in shares]
    counts = [c + f for c, f in zip(counts, floors, strict=True)]
    leftover = remaining - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-(shares[i] - floors[i]), i))
    for i in order[:leftover]:
        counts[i] += 1
    return counts


def build_areas(forces: list[Force], towns_of: dict[str, list[Town]], rng: random.Random) -> list[Area]:
    missing = {f.code for f in forces} ^ set(towns_of)
    if missing:
        raise ValueError(f"forces and towns disagree on: {sorted(missing)}")
    per_force = largest_remainder([f.population_thousands for f in forces], TOTAL_AREAS, MIN_AREAS_PER_FORCE)
    areas: list[Area] = []
    for force, n_force in zip(forces, per_force, strict=True):
        towns = towns_of[force.code]
        town_weights = [len(town.districts) for town in towns]
        per_town = largest_remainder(town_weights, n_force, 1 if n_force >= len(towns) else 0)
        mean_weight = force.population_thousands * 1000 / n_force
        for town, n_town in zip(towns, per_town, strict=True):
            for i in range(n_town):
                district = town.districts[i % len(town.districts)]
                area = Area(force=force, town=town.name, district=district, tilt=town.tilt)
                area.name = f"{town.name} {i // 4 + 1:03d}{'ABCD'[i % 4]}"
                area.population_weight = round(mean_weight * rng.uniform(0.7, 1.3))
                area.deprivation_score = town.tilt + rng.gauss(0.0, 1.1)
                areas.append(area)
    return areas


def assign_deciles(areas: list[Area]) -> None:
    """Decile 1 = most deprived tenth of residents nationally, 10 = least deprived."""
    ranked = sorted(areas, key=lambda a: (-a.deprivation_score, a.name))
    total = sum(a.population_weight for a in ranked)
    cumulative = 0
    for area in ranked:
        midpoint = cumulative + area.population_weight / 2
        area.deprivation_decile = min(10, int(10 * midpoint / total) + 1)
        cumulative += area.population_weight


def assign_codes(areas: list[Area]) -> None:
    serials = {"England": 0, "Wales": 0}
    for area in areas:
        serials[area.force.country] += 1
        prefix = "E01S" if area.force.country == "England" else "W01S"
        area.code = f"{prefix}{serials[area.force.country]:05d}"


def write_areas(areas: list[Area], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for a in areas:
            writer.writerow(
                (
                    a.code,
                    a.name,
                    a.district,
                    a.force.code,
                    a.force.region_code,
                    a.deprivation_decile,
                    a.population_weight,
                )
            )


def sector_owners(areas: list[Area]) -> list[tuple[str, str, str]]:
    """Postcode sectors (`M14 5`) and the area each belongs to: the stand-in for the postcode-to-LSOA lookup
    of the ONS Postcode Directory. The k-th of n areas sharing a district (in area-code order) owns the
    sector digits d with d % n == k, so every sector of a district belongs to exactly one area. The
    generator draws postcodes with this rule (``reference.Areas.inward_digit``)."""
    by_district: dict[str, list[str]] = {}
    for a in sorted(areas, key=lambda area: area.code):
        by_district.setdefault(a.district, []).append(a.code)
    rows = []
    for district in sorted(by_district):
        codes = by_district[district]
        for digit in range(10):
            rows.append((f"{district} {digit}", district, codes[digit % len(codes)]))
    return rows


def write_sectors(areas: list[Area], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("postcode_sector", "postcode_district", "area_code"))
        writer.writerows(sector_owners(areas))


def write_seeds(seeds_dir: Path, towns_csv: Path = TOWNS_CSV) -> tuple[Path, Path, int]:
    """Write the areas and postcode sectors seeds next to the police forces seed in the dbt project's seeds
    folder ``seeds_dir``; returns their paths and the number of areas."""
    forces_csv = seed_path(seeds_dir, FORCES_SEED)
    rng = random.Random(SEED)
    areas = build_areas(read_forces(forces_csv), read_towns(towns_csv), rng)
    assign_deciles(areas)
    assign_codes(areas)
    areas_csv = forces_csv.with_name(f"{AREAS_SEED}.csv")
    sectors_csv = forces_csv.with_name(f"{SECTORS_SEED}.csv")
    write_areas(areas, areas_csv)
    write_sectors(areas, sectors_csv)
    return areas_csv, sectors_csv, len(areas)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="make-reference-areas",
        description=f"Write the seeds {AREAS_SEED} and {SECTORS_SEED} from the towns list ({TOWNS_CSV.name}) "
        f"and the seed {FORCES_SEED}.",
    )
    ap.add_argument("--seeds-dir", type=Path, required=True, help="the dbt project's seeds folder (e.g. seeds)")
    args = ap.parse_args(argv)
    areas_csv, sectors_csv, count = write_seeds(args.seeds_dir)
    print(f"make-reference-areas: wrote {count} areas to {areas_csv} and their postcode sectors to {sectors_csv}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
