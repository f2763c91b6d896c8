"""Scored links between person records from the probabilistic model, and links between records with
identical identity details.

A dbt Python model, so person linkage runs inside `dbt build` between staging and the linked layer, with
lineage, tests and docs like any other model. The work is done by `repeat_offending.linkage` in its own
DuckDB database (bounded by `linkage_memory_limit`, spilling to <folder>/tmp); records are streamed in and
links streamed out, so nothing of national size is held in Python. The model is estimated on the extract,
or with `linkage_model: previous` (LINKAGE_MODEL=previous) the previous release's saved model is used as it
is (`repeat_offending.linkage.saved_model`; docs/methodology.md section 10). The model scored with (m and u
probabilities of every comparison level) is saved with the release, in <folder>/splink_model.json, and the
names' term-frequency lookups in <folder>/term_frequencies/. <folder> is the
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
    from repeat_offending.linkage.justice import JUSTICE_COLUMNS, PROFILE_COLUMNS, score_probabilistic
    from repeat_offending.linkage.model import ModelOptions, term_frequency_columns
    from repeat_offending.linkage.saved_model import MODEL_FILE, model_to_reuse, model_to_save, term_frequency_file

    changed = None
    if dbt.is_incremental:  # a refresh: only the links of the profiles that changed (the pre-hook removed theirs)
        changes = dbt.ref("linkage__profile_changes")
        changed = changes.filter("side = 'current'").select("record_id").to_arrow_table()  # before the stream below
    identities = dbt.ref("linkage__person_identities")
    trusted = dbt.ref("linkage__trusted_pnc_ids").select("record_id, pnc_id_trusted")
    columns = ", ".join(["record_id", *PROFILE_COLUMNS])
    records = identities.join(trusted, "record_id").select(columns).to_arrow_reader()
    release_folder = os.environ.get("RELEASE_FOLDER", "")
    folder = Path(release_folder or os.environ.get("DATA_DIR", "data")) / "linkage"
    folder.mkdir(parents=True, exist_ok=True)
    names = term_frequency_columns(JUSTICE_COLUMNS)
    previous_folder = os.environ.get("PREVIOUS_RELEASE_FOLDER", "")
    reused = model_to_reuse(dbt.config.get("linkage_model"), previous_folder, names)
    if changed is not None and reused is None:
        raise ValueError("a refresh scores with the previous release's linkage model: LINKAGE_MODEL=previous")
    scored = score_probabilistic(
        records,
        options=ModelOptions(min_match_probability=float(dbt.config.get("min_match_probability"))),
        threads=int(dbt.config.get("linkage_threads")),
        memory_limit=dbt.config.get("linkage_memory_limit"),
        temp_directory=str(folder / "tmp"),
        trained=reused.parameters if reused else None,
        term_frequencies=reused.term_frequencies if reused else None,
        save_term_frequencies={name: term_frequency_file(folder.parent, name) for name in names},
        changed_records=changed,
    )
    saved = model_to_save(scored.model_json, reused, os.environ.get("RELEASE_ID", ""))
    (folder.parent / MODEL_FILE).write_text(json.dumps(saved, indent=2, default=str))
    return scored.edges
