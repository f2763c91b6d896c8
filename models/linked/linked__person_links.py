"""The person link table (as Data First publishes): the person id of every staged person record.

Deterministic links are joined first; probabilistic links at or above the match threshold are then
added strongest first under the two-PNC-ids rule (see repeat_offending.linkage.justice).
"""

from typing import Any


def model(dbt: Any, session: Any) -> Any:
    dbt.config(materialized="table")
    import pyarrow as pa

    from repeat_offending.linkage.justice import cluster

    identities = dbt.ref("linkage__person_identities")
    trusted = dbt.ref("linkage__trusted_pnc_ids").select("record_id, pnc_id_trusted")
    records = (
        identities.join(trusted, "record_id")
        .select("record_id, source_system, source_table, source_record_id, pnc_id_trusted, postcode_district")
        .order("record_id")
        .to_arrow_table()
    )
    deterministic = dbt.ref("linkage__deterministic_edges").select(
        "record_id_l, record_id_r, 1.0::double as match_probability, link_method"
    )
    scored = dbt.ref("linkage__match_edges").select("record_id_l, record_id_r, match_probability, link_method")
    edges = deterministic.union(scored).to_arrow_table()
    links = cluster(records, edges, float(dbt.config.get("match_threshold")))
    return pa.table(
        {
            "source_system": records.column("source_system"),
            "source_table": records.column("source_table"),
            "source_record_id": records.column("source_record_id"),
            "person_id": links.column("person_id"),
            "link_method": links.column("link_method"),
            "match_probability": links.column("match_probability"),
            "record_id": links.column("record_id"),
        }
    )
