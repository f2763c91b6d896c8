"""The project's dbt-bouncer checks that bouncer has no built-in for (dbt-bouncer.yml names them).

- Names match their layer (CaDeT ``<schema>__<table>``): the schema, the part of a model's, seed's or
  snapshot's name before ``__``, belongs to a layer of var ``layers`` in ``dbt_project.yml`` (read through
  ``repeat_offending.project.layers()``, the one list of layers), and the file is in that layer's folder.
  Staging is per source system: ``models/staging/<system>/`` holds ``stg_<system>__*`` and
  ``staging_checks__<system>_*``.
- Columns of seeds, snapshots and source tables are described (bouncer checks models' columns only).
- Snapshots read no source (bouncer's lineage check covers models only).
- Exposures depend on models only (bouncer's check covers non-public models, not sources or seeds).

Bouncer loads this file from ``custom_checks_dir`` (``bouncer/``); the ``manifest`` folder makes these
manifest checks. Each ``@check`` function iterates over the resource its first argument names.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any

from dbt_bouncer.check_framework.decorator import check, fail

from repeat_offending.project import Layer, layers

STAGING_SCHEMA_PREFIX = "stg_"
STAGING_CHECKS_SCHEMA = "staging_checks"


@cache
def _layers(project_dir: str) -> tuple[Layer, ...]:
    return tuple(layers(Path(project_dir).resolve()))


def layer_problem(name: str, path: str, project_layers: tuple[Layer, ...]) -> str | None:
    """Why a node named ``name`` in file ``path`` does not match its layer, or None when it does."""
    parts = name.split("__")
    if len(parts) != 2 or not all(parts):
        return f"`{name}` is not `<schema>__<table>` with `__` exactly once"
    schema, table = parts
    layer = next((layer for layer in project_layers if layer.holds(schema)), None)
    if layer is None:
        return f"`{name}`: schema `{schema}` is in no layer of var `layers` (dbt_project.yml)"
    folder = PurePosixPath(layer.folder)
    file = PurePosixPath(path)
    if folder not in file.parents:
        return f"`{name}` builds schema `{schema}` of layer {layer.name}, so belongs in {folder}/, not {file.parent}/"
    if schema.startswith(STAGING_SCHEMA_PREFIX) or schema == STAGING_CHECKS_SCHEMA:
        inside = file.relative_to(folder).parts
        system = inside[0] if len(inside) > 1 else None
        if system is None:
            return f"`{name}` is staging, so belongs in a system folder {folder}/<system>/"
        if schema != f"{STAGING_SCHEMA_PREFIX}{system}" and not (
            schema == STAGING_CHECKS_SCHEMA and table.startswith(f"{system}_")
        ):
            return (
                f"`{name}` is in {file.parent}/, which holds `{STAGING_SCHEMA_PREFIX}{system}__*` and "
                f"`{STAGING_CHECKS_SCHEMA}__{system}_*`"
            )
    return None


def _check_layer(node: Any, project_dir: str) -> None:
    problem = layer_problem(str(node.name), str(node.original_file_path), _layers(project_dir))
    if problem:
        fail(problem)


@check
def check_model_name_matches_layer(model: Any, *, project_dir: str = ".") -> None:
    """A model's name puts it in a layer of var ``layers``, and its file is in that layer's folder."""
    _check_layer(model, project_dir)


@check
def check_seed_name_matches_layer(seed: Any, *, project_dir: str = ".") -> None:
    """A seed's name puts it in a layer of var ``layers``, and its file is in that layer's folder."""
    _check_layer(seed, project_dir)


@check
def check_snapshot_name_matches_layer(snapshot: Any, *, project_dir: str = ".") -> None:
    """A snapshot's name puts it in a layer of var ``layers``, and its file is in that layer's folder."""
    _check_layer(snapshot, project_dir)


def _undescribed_columns(node: Any) -> list[str]:
    columns = node.columns or {}
    return sorted(name for name, column in columns.items() if not str(column.description or "").strip())


def _check_columns(node: Any, kind: str) -> None:
    missing = _undescribed_columns(node)
    if missing:
        fail(f"{kind} `{node.unique_id}` has columns without a description: {', '.join(missing)}")


@check
def check_seed_column_description_populated(seed: Any) -> None:
    """Every column a seed's properties list is described."""
    _check_columns(seed, "Seed")


@check
def check_snapshot_column_description_populated(snapshot: Any) -> None:
    """Every column a snapshot's properties list is described."""
    _check_columns(snapshot, "Snapshot")


@check
def check_source_column_description_populated(source: Any) -> None:
    """Every column a source table's properties list is described."""
    _check_columns(source, "Source table")


@check
def check_snapshot_reads_no_source(snapshot: Any) -> None:
    """Only staging reads sources: a snapshot reads models."""
    sources = sorted(parent for parent in (snapshot.depends_on.nodes or []) if str(parent).startswith("source."))
    if sources:
        fail(f"Snapshot `{snapshot.unique_id}` reads sources outside staging: {', '.join(sources)}")


@check
def check_exposure_based_on_models_only(exposure: Any) -> None:
    """An exposure depends on (public) models only, never directly on a source, seed or snapshot."""
    others = sorted(parent for parent in (exposure.depends_on.nodes or []) if not str(parent).startswith("model."))
    if others:
        fail(f"Exposure `{exposure.unique_id}` depends on nodes that are not models: {', '.join(others)}")


@check
def check_macro_arguments_described(macro: Any, ctx: Any) -> None:
    """Every argument of a macro is described, except on an adapter implementation ``<adapter>__<macro>`` of a
    project macro, whose arguments are documented on the macro it implements (dbt's validate_macro_args flag
    lists an undocumented argument with an empty description, which bouncer's own check reports)."""
    name = str(macro.name)
    adapter, separator, implemented = name.partition("__")
    if separator and adapter and implemented in {str(m.name) for m in ctx.macros}:
        return
    missing = [str(a.name) for a in (macro.arguments or []) if not str(a.description or "").strip()]
    if missing:
        fail(f"Macro `{name}` has arguments without a description: {', '.join(missing)}")
