"""The linkage model saved with each release, and the choice between estimating it again and reusing the
previous release's (``LINKAGE_MODEL``; docs/methodology.md section 10).

A release build saves the model it scored with in its folder: ``<release folder>/linkage/splink_model.json``
(``MODEL_FILE``), the probability two random records match and each comparison level's m and u probabilities
as Splink saves them, with ``ESTIMATED_IN`` naming the release that estimated them; and beside it the
term-frequency lookups of the names (``TERM_FREQUENCIES``, one Parquet file per column: each value's share of
the identity profiles). With ``LINKAGE_MODEL=previous`` a build scores with the previous release's saved model
and lookups instead of estimating new ones, and saves them unchanged, so a lineage of releases keeps one model
(the precondition of a refresh that scores only new records and equals a full build). A name absent from the
lookups gets no term-frequency adjustment.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MODEL_FILE = Path("linkage") / "splink_model.json"  # in a release's folder (linkage__match_edges.py)
TERM_FREQUENCIES = Path("linkage") / "term_frequencies"  # <column>.parquet, beside the model
ESTIMATED_IN = "estimated_in_release"  # the key of a saved model naming the release that estimated it
CHOICES = ("estimate", "previous")


@dataclass(frozen=True)
class SavedModel:
    """A release's saved model: its parameters and its term-frequency lookups (column -> Parquet file)."""

    parameters: dict[str, Any]
    term_frequencies: dict[str, Path]


def term_frequency_file(folder: str | Path, column: str) -> Path:
    """Where a release's folder keeps the term-frequency lookup of ``column``."""
    return Path(folder) / TERM_FREQUENCIES / f"{column}.parquet"


def model_to_reuse(
    choice: str, previous_release_folder: str | Path | None, columns: Sequence[str]
) -> SavedModel | None:
    """The saved model a build scores with: None to estimate one (``choice`` ``estimate``, or ``previous``
    on the first release of a lineage, which has no previous release), else the previous release's, with
    the term-frequency lookups of ``columns``.

    Raises ValueError for another choice, and FileNotFoundError when the previous release saved no model or
    lookup (a release built before they were saved, or its folder removed by hand): the build stops rather
    than silently estimating a new model when the user asked to keep the old one."""
    if choice not in CHOICES:
        raise ValueError(f"LINKAGE_MODEL must be one of {', '.join(CHOICES)}, not {choice!r}")
    if choice == "estimate" or not previous_release_folder:
        return None
    paths = [Path(previous_release_folder) / MODEL_FILE]
    paths += [term_frequency_file(previous_release_folder, column) for column in columns]
    missing = [str(path) for path in paths if not path.is_file()]
    if missing:
        raise FileNotFoundError(
            f"LINKAGE_MODEL=previous, but the previous release saved no linkage model or term frequencies at "
            f"{', '.join(missing)}; build with LINKAGE_MODEL=estimate to estimate a model"
        )
    return SavedModel(
        parameters=json.loads(paths[0].read_text()),
        term_frequencies=dict(zip(columns, paths[1:], strict=True)),
    )


def model_to_save(scored_with: dict[str, Any], reused: SavedModel | None, release_id: str) -> dict[str, Any]:
    """The parameters a build saves: the reused model's unchanged (they still name the release that estimated
    them), or those it estimated, named as estimated by ``release_id`` (empty outside a release build)."""
    if reused is not None:
        return reused.parameters
    return {**scored_with, ESTIMATED_IN: release_id or None}
