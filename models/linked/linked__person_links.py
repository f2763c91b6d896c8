"""The person link table (as Data First publishes): the person id of every staged person record.

Deterministic links are joined first; probabilistic links at or above the match threshold are then
added strongest first under the two-PNC-ids rule (see repeat_offending.linkage.justice). Record ids and
the other strings stay in DuckDB; the clustering sees integer arrays only.

Person ids carry over from the previous release (docs/methodology.md section 10,
repeat_offending.linkage.person_ids): each person keeps the previous id it shares most records with, and a
new person gets a hash of its smallest record id unless that id was ever issued. Without a previous release
(its person links are then empty) every person gets that hash.
"""

from typing import Any


def model(dbt: Any, session: Any) -> Any:
    dbt.config(materialized="table")
    from repeat_offending.linkage.justice import PERSON_LINKS_TABLE, cluster_in_database
    from repeat_offending.linkage.person_ids import PERSON_IDS_TABLE, assign_person_ids

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
    session.register("_person_link_previous", dbt.ref("linkage__previous_person_links").select("record_id, person_id"))
    session.register("_person_link_issued", dbt.ref("linkage__issued_person_ids").select("person_id"))
    assign_person_ids(session, PERSON_LINKS_TABLE, "_person_link_previous", "_person_link_issued")
    return session.sql(f"""
        select
            r.source_system,
            r.source_table,
            r.source_record_id,
            a.person_id,
            l.link_method,
            l.match_probability,
            r.record_id
        from _person_link_records as r
        inner join {PERSON_LINKS_TABLE} as l using (record_id)
        inner join {PERSON_IDS_TABLE} as a using (cluster_record_id)
        order by r.record_id
    """)
