"""The person link table (as Data First publishes): the person id of every staged person record.

Deterministic links are joined first; probabilistic links at or above the match threshold are then
added strongest first under the two-PNC-ids rule (see repeat_offending.linkage.justice). Record ids and
the other strings stay in DuckDB; the clustering sees integer arrays only.
"""

from typing import Any


def model(dbt: Any, session: Any) -> Any:
    dbt.config(materialized="table")
    from repeat_offending.linkage.justice import PERSON_LINKS_TABLE, cluster_in_database

    identities = dbt.ref("linkage__person_identities").select(
        "record_id, source_system, source_table, source_record_id, postcode_district"
    )
    trusted = dbt.ref("linkage__trusted_pnc_ids").select("record_id, pnc_id_trusted")
    deterministic = dbt.ref("linkage__deterministic_edges").select(
        "record_id_l, record_id_r, 1.0::double as match_probability, link_method"
    )
    scored = dbt.ref("linkage__match_edges").select("record_id_l, record_id_r, match_probability, link_method")
    session.register("_person_link_records", identities.join(trusted, "record_id"))
    session.register("_person_link_all_edges", deterministic.union(scored))
    cluster_in_database(
        session, "_person_link_records", "_person_link_all_edges", float(dbt.config.get("match_threshold"))
    )
    return session.sql(f"""
        select
            r.source_system,
            r.source_table,
            r.source_record_id,
            l.person_id,
            l.link_method,
            l.match_probability,
            r.record_id
        from _person_link_records as r
        inner join {PERSON_LINKS_TABLE} as l using (record_id)
        order by r.record_id
    """)
