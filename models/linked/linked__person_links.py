"""The person link table (as Data First publishes): the person id of every staged person record.

Deterministic links are joined first; probabilistic links at or above the match threshold are then
added strongest first under the two-PNC-ids rule (see repeat_offending.linkage.justice). Record ids and
the other strings stay in DuckDB; the clustering sees integer arrays only.

Person ids carry over from the previous release (docs/methodology.md section 10,
repeat_offending.linkage.person_ids): each person keeps the previous id it shares most records with, and a
new person gets a hash of its smallest record id unless that id was ever issued. Without a previous release
(its person links are then empty) every person gets that hash. The work is
repeat_offending.linkage.justice.person_links, which the Spark linkage step
(repeat_offending.linkage.spark_linkage) runs too, so both engines give the same person ids.
"""

from typing import Any


def model(dbt: Any, session: Any) -> Any:
    dbt.config(materialized="table")
    from repeat_offending.linkage.justice import person_links

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
    session.register("_person_link_previous", dbt.ref("linkage__previous_person_links").select("record_id, person_id"))
    session.register("_person_link_issued", dbt.ref("linkage__issued_person_ids").select("person_id"))
    return person_links(
        session,
        "_person_link_records",
        "_person_link_all_edges",
        "_person_link_previous",
        "_person_link_issued",
        float(dbt.config.get("match_threshold")),
    )
