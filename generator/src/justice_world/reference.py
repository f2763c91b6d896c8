"""Reference data the generator shares with the dbt project (the seeds), loaded into numpy arrays.

The generator reads the same seed files dbt loads, so offence codes, disposal codes, courts and areas
always agree between the raw extracts and the reference tables staging normalises them with. The caller
passes the dbt project's seeds folder (``generate --seeds-dir``); a seed is found in it by its file name,
which dbt keeps unique within a project, whatever subfolder holds it.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

PACKAGE_DATA = Path(__file__).parent / "data"


class SeedNotFoundError(FileNotFoundError):
    """A seed the generator needs is not in the seeds folder it was given (or is there twice)."""


def seed_path(seeds_dir: Path, name: str) -> Path:
    """The file of seed ``name`` (e.g. ``reference__areas``) under the dbt project's seeds folder."""
    if not seeds_dir.is_dir():
        raise SeedNotFoundError(f"seeds folder {seeds_dir} does not exist: pass the dbt project's seeds/ folder")
    found = sorted(seeds_dir.rglob(f"{name}.csv"))
    if len(found) != 1:
        what = "no file" if not found else f"{len(found)} files ({', '.join(map(str, found))})"
        raise SeedNotFoundError(f"seed {name}: {what} named {name}.csv under {seeds_dir}")
    return found[0]


def _read(path: Path) -> dict[str, np.ndarray]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    if not rows:
        raise ValueError(f"{path} has no rows")
    return {key: np.array([row[key] for row in rows], dtype=object) for key in rows[0]}


def _bool(values: np.ndarray) -> np.ndarray:
    return np.array([str(v).strip().lower() == "true" for v in values])


@dataclass(frozen=True)
class Offences:
    code: np.ndarray  # str
    description: np.ndarray  # str
    group: np.ndarray  # int 0..11 (offence group code - 1)
    is_recordable: np.ndarray
    is_breach: np.ndarray
    rank: np.ndarray  # 1 = most serious
    mode: np.ndarray  # 0 indictable only, 1 either way, 2 summary only
    max_custody_days: np.ndarray
    frequency: np.ndarray
    gravity: np.ndarray  # 0 (least serious) .. 1 (most serious), from the rank

    def index_of(self, codes: list[str]) -> np.ndarray:
        lookup = {c: i for i, c in enumerate(self.code)}
        return np.array([lookup[c] for c in codes])


@dataclass(frozen=True)
class Areas:
    code: np.ndarray
    district: np.ndarray
    force: np.ndarray  # index into Reference.force_code
    region: np.ndarray  # index into Reference.region_code
    decile: np.ndarray  # 1..10
    weight: np.ndarray
    sector_rank: np.ndarray  # k: this area owns the postcode sectors d of its district with d % n == k
    sector_count: np.ndarray  # n: areas sharing the district

    def inward_digit(self, area: np.ndarray, u: np.ndarray) -> np.ndarray:
        """A postcode sector digit owned by each area (see ``reference_areas.sector_owners``)."""
        k, n = self.sector_rank[area], self.sector_count[area]
        owned = (9 - k) // n + 1
        return k + n * np.minimum((u * owned).astype(np.int64), owned - 1)


@dataclass(frozen=True)
class Names:
    forename: np.ndarray
    forename_sex: np.ndarray  # "M" / "F"
    forename_origin: np.ndarray
    forename_weight: np.ndarray
    surname: np.ndarray
    surname_origin: np.ndarray
    surname_weight: np.ndarray
    nickname_of: dict[str, list[str]]


@dataclass(frozen=True)
class Reference:
    offences: Offences
    offence_group_codes: np.ndarray  # '01'..'12'
    areas: Areas
    force_code: np.ndarray
    region_code: np.ndarray
    region_name: np.ndarray
    court_code: np.ndarray
    court_type: np.ndarray  # 'MC' / 'CC'
    court_force: np.ndarray  # index into force_code
    establishment_code: np.ndarray
    establishment_region: np.ndarray
    establishment_youth: np.ndarray
    ethnicity: dict[str, dict[str, np.ndarray]]  # scheme -> {'value', 'group'}
    names: Names


MODES = {"indictable_only": 0, "either_way": 1, "summary_only": 2}
ORIGINS = ("british", "south_asian", "african_caribbean", "east_european", "other")


def _offences(seeds_dir: Path) -> tuple[Offences, np.ndarray]:
    raw = _read(seed_path(seeds_dir, "reference__offence_codes"))
    groups = _read(seed_path(seeds_dir, "reference__offence_groups"))
    group_codes = np.array(sorted(groups["offence_group_code"]))
    group_index = {g: i for i, g in enumerate(group_codes)}
    rank = raw["seriousness_rank"].astype(int)
    worst, least = rank.min(), rank.max()
    max_months = raw["max_custody_months"].astype(float)
    offences = Offences(
        code=raw["offence_code"].astype(str),
        description=raw["offence_description"].astype(str),
        group=np.array([group_index[g] for g in raw["offence_group_code"]]),
        is_recordable=_bool(raw["is_recordable"]),
        is_breach=_bool(raw["is_breach"]),
        rank=rank,
        mode=np.array([MODES[m] for m in raw["mode_of_trial"]]),
        max_custody_days=np.round(max_months * 30.44).astype(np.int64),
        frequency=raw["relative_frequency"].astype(float),
        gravity=1.0 - (rank - worst) / max(least - worst, 1),
    )
    return offences, group_codes


def _synthetic_surnames(count: int) -> list[str]:
    """Rare surnames for the long tail of the name distribution, made from English place-name parts with a
    fixed generator so every world shares them."""
    heads = [
        "Ash",
        "Brad",
        "Black",
        "Brook",
        "Craw",
        "Dun",
        "Elm",
        "Fair",
        "Gold",
        "Hal",
        "Hart",
        "Hol",
        "Kings",
        "Lang",
        "Marl",
        "Mid",
        "North",
        "Oak",
        "Pen",
        "Red",
        "Ross",
        "Shel",
        "Stan",
        "Thorn",
        "Under",
        "Wake",
        "West",
        "Whit",
        "Wood",
        "Yar",
        "Bar",
        "Col",
        "Dal",
        "Fen",
        "Gran",
        "Har",
    ]
    tails = [
        "by",
        "bury",
        "combe",
        "croft",
        "dale",
        "den",
        "field",
        "ford",
        "gate",
        "ham",
        "hurst",
        "ley",
        "low",
        "mere",
        "more",
        "ridge",
        "shaw",
        "stead",
        "stone",
        "thorpe",
        "ton",
        "well",
        "wick",
        "worth",
        "wood",
        "land",
        "holme",
        "cott",
        "bridge",
        "brook",
    ]
    generator = np.random.Generator(np.random.PCG64(20240611))
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        name = heads[generator.integers(len(heads))] + tails[generator.integers(len(tails))]
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def _names(seeds_dir: Path) -> Names:
    fore = _read(PACKAGE_DATA / "forenames.csv")
    sur = _read(PACKAGE_DATA / "surnames.csv")
    rare = _synthetic_surnames(900)
    real_weight = sur["weight"].astype(float)
    # The rare tail carries about a sixth of British-origin surnames, spread thinly.
    rare_weight = np.full(len(rare), real_weight[sur["origin"] == "british"].sum() * 0.18 / len(rare))
    nick = _read(seed_path(seeds_dir, "reference__nicknames"))
    nickname_of: dict[str, list[str]] = {}
    for formal, short in zip(nick["formal_name"], nick["nickname"], strict=True):
        nickname_of.setdefault(str(formal).strip().title(), []).append(str(short).strip().title())
    return Names(
        forename=fore["name"].astype(str),
        forename_sex=fore["sex"].astype(str),
        forename_origin=fore["origin"].astype(str),
        forename_weight=fore["weight"].astype(float),
        surname=np.concatenate([sur["name"].astype(str), np.array(rare, dtype=str)]),
        surname_origin=np.concatenate([sur["origin"].astype(str), np.full(len(rare), "british")]),
        surname_weight=np.concatenate([real_weight, rare_weight]),
        nickname_of=nickname_of,
    )


@cache
def load_reference(seeds_dir: Path) -> Reference:
    """The reference data in the dbt project's seeds folder ``seeds_dir`` (read once per folder)."""
    offences, group_codes = _offences(seeds_dir)
    forces = _read(seed_path(seeds_dir, "reference__police_forces"))
    regions = _read(seed_path(seeds_dir, "reference__regions"))
    force_index = {c: i for i, c in enumerate(forces["police_force_code"])}
    region_index = {c: i for i, c in enumerate(regions["region_code"])}
    areas_raw = _read(seed_path(seeds_dir, "reference__areas"))
    code = areas_raw["area_code"].astype(str)
    district = areas_raw["postcode_district"].astype(str)
    order = np.lexsort((code, district))
    first_of_district = np.searchsorted(district[order], district[order], side="left")
    rank = np.empty(len(code), dtype=np.int64)
    rank[order] = np.arange(len(code)) - first_of_district
    _, district_index, district_sizes = np.unique(district, return_inverse=True, return_counts=True)
    areas = Areas(
        code=code,
        district=district,
        force=np.array([force_index[f] for f in areas_raw["police_force_code"]]),
        region=np.array([region_index[r] for r in areas_raw["region_code"]]),
        decile=areas_raw["deprivation_decile"].astype(int),
        weight=areas_raw["population_weight"].astype(float),
        sector_rank=rank,
        sector_count=district_sizes[district_index],
    )
    courts = _read(seed_path(seeds_dir, "reference__courts"))
    prisons = _read(seed_path(seeds_dir, "reference__prison_establishments"))
    eth = _read(seed_path(seeds_dir, "reference__ethnicity_codes"))
    ethnicity: dict[str, dict[str, np.ndarray]] = {}
    for scheme in np.unique(eth["coding_scheme"]):
        keep = eth["coding_scheme"] == scheme
        ethnicity[str(scheme)] = {
            "value": eth["source_value"][keep].astype(str),
            "group": eth["ethnicity_group"][keep].astype(str),
        }
    return Reference(
        offences=offences,
        offence_group_codes=group_codes,
        areas=areas,
        force_code=forces["police_force_code"].astype(str),
        region_code=regions["region_code"].astype(str),
        region_name=regions["region_name"].astype(str),
        court_code=courts["court_code"].astype(str),
        court_type=courts["court_type"].astype(str),
        court_force=np.array([force_index[f] for f in courts["police_force_code"]]),
        establishment_code=prisons["establishment_code"].astype(str),
        establishment_region=np.array([region_index[r] for r in prisons["region_code"]]),
        establishment_youth=_bool(prisons["is_youth_estate"]),
        ethnicity=ethnicity,
        names=_names(seeds_dir),
    )
