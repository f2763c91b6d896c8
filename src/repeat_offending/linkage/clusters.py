"""Connected components of a record graph: the records one person's links connect."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components


def node_dtype(n_nodes: int) -> type[np.signedinteger]:
    """The narrowest integer type of node numbers 0..n_nodes-1 (and of component labels): int32 below 2**31
    nodes, which halves the arrays of a national graph (forty million records)."""
    return np.int32 if n_nodes < 2**31 else np.int64


def connected(n_nodes: int, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Component label (0..k-1) of each node 0..n_nodes-1 given undirected edges (left[i], right[i]), as
    ``node_dtype(n_nodes)``."""
    dtype = node_dtype(n_nodes)
    left = np.asarray(left, dtype=dtype)
    right = np.asarray(right, dtype=dtype)
    graph = coo_matrix((np.ones(len(left), dtype=np.int8), (left, right)), shape=(n_nodes, n_nodes))
    _, labels = connected_components(graph, directed=False)
    return labels.astype(dtype, copy=False)


def cluster_edges(
    node_ids: pa.Array,
    edges: pa.Table,
    threshold: float,
    left: str = "unique_id_l",
    right: str = "unique_id_r",
    probability: str = "match_probability",
) -> np.ndarray:
    """Cluster label of each node (in the order of ``node_ids``) keeping edges at or above ``threshold``."""
    ids = np.asarray(node_ids.to_numpy(zero_copy_only=False))
    order = np.argsort(ids, kind="stable")
    sorted_ids = ids[order]
    keep = np.asarray(edges.column(probability).to_numpy(zero_copy_only=False)) >= threshold
    position = np.empty(len(ids), dtype=np.int64)
    position[order] = np.arange(len(ids))

    def index_of(column: str) -> np.ndarray:
        values = np.asarray(edges.column(column).to_numpy(zero_copy_only=False))[keep]
        found = np.searchsorted(sorted_ids, values)
        if len(values) and (found.max() >= len(ids) or np.any(sorted_ids[np.minimum(found, len(ids) - 1)] != values)):
            raise ValueError(f"edges refer to ids that are not nodes ({column})")
        return order[found]

    return connected(len(ids), index_of(left), index_of(right))
