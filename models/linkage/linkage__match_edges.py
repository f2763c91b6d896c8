"""Scored links between person records from the probabilistic model, and links between records with
identical identity details.

A dbt Python model, so person linkage runs inside `dbt build` between staging and the linked layer, with
lineage, tests and docs like any other model. The work is done by `repeat_offending.linkage` in its own
DuckDB database (bounded by `linkage_memory_limit`, spilling to <folder>/tmp); records are streamed in and
links streamed out, so nothing of national size is held in Python. The trained model (m and u probabilities
of every comparison level) is saved with the release, in <folder>/splink_model.json. <folder> is the
release's own `DATA_DIR/releases/<release id>/linkage` in a release build (RELEASE_FOLDER, set by `release
build`), so that a build that is not published never replaces the published release's model; otherwise
DATA_DIR/linkage. On the spark target this model and linked__person_links are written by
`repeat_offending.linkage.spark_linkage.run_linkage_on_spark` (the same model and clustering code, Splink on
Spark), which can predict with the model saved here.
"""

import json
import os
from pathlib import Path
from typing import Any


def model(dbt: Any, session: Any) -> Any:
    dbt.config(materialized="table")
    from repeat_offending.linkage.justice import PROFILE_COLUMNS, score_probabilistic
    from repeat_offending.linkage.model import ModelOptions

    identities = dbt.ref("linkage__person_identities")
    trusted = dbt.ref("linkage__trusted_pnc_ids").select("record_id, pnc_id_trusted")
    columns = ", ".join(["record_id", *PROFILE_COLUMNS])
    records = identities.join(trusted, "record_id").select(columns).fetch_record_batch()
    release_folder = os.environ.get("RELEASE_FOLDER", "")
    folder = Path(release_folder or os.environ.get("DATA_DIR", "data")) / "linkage"
    folder.mkdir(parents=True, exist_ok=True)
    scored = score_probabilistic(
        records,
        options=ModelOptions(min_match_probability=float(dbt.config.get("min_match_probability"))),
        threads=int(dbt.config.get("linkage_threads")),
        memory_limit=dbt.config.get("linkage_memory_limit"),
        temp_directory=str(folder / "tmp"),
    )
    (folder / "splink_model.json").write_text(json.dumps(scored.model_json, indent=2, default=str))
    return scored.edges
