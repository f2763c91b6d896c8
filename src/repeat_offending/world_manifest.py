"""The manifest of a DATA_DIR folder (``raw/_manifest.json``, ``truth/_manifest.json``): the one reader of it.

The generator writes a manifest into each folder of a synthetic world: its parameters (people, seed, years,
``data_as_of``, noise rates), its version and row counts, either at the top level or under ``parameters``.
A real extract may have no manifest at all: nothing in the build depends on one, and whether ``raw/`` is a
generated world is told by the generator's marker file, never by the manifest.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

MANIFEST_NAME = "_manifest.json"
"""The manifest file in ``raw/`` and ``truth/``."""

GENERATOR_MARKER = "_generated_by.json"
"""The file the generator writes first into every folder it owns (the synthetic package's ownership module
documents it); a ``raw/`` without it is a real extract."""


class ManifestError(ValueError):
    """A manifest that is missing, unreadable or not a JSON object; the message names the file."""


def read_manifest(folder: Path) -> dict[str, Any]:
    """The manifest of ``folder`` (e.g. ``DATA_DIR/raw``) as a dict; ManifestError says what is wrong."""
    path = folder / MANIFEST_NAME
    if not path.is_file():
        raise ManifestError(f"{path} is missing")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ManifestError(f"{path} is unreadable ({error})") from error
    if not isinstance(manifest, dict):
        raise ManifestError(f"{path} is not a JSON object")
    return manifest


def parameters(manifest: dict[str, Any]) -> dict[str, Any]:
    """The world parameters a manifest records (at its top level or under ``parameters``)."""
    recorded = manifest.get("parameters", manifest)
    if not isinstance(recorded, dict):
        raise ManifestError("the manifest has no parameters")
    return recorded


def world_parameters(data_dir: Path) -> dict[str, Any] | None:
    """The parameters the generator recorded for DATA_DIR's world, or None when ``raw/`` is not a generated
    world (no marker: an extract) or its manifest cannot be read."""
    raw = data_dir / "raw"
    if not (raw / GENERATOR_MARKER).is_file():
        return None
    try:
        return parameters(read_manifest(raw))
    except ManifestError:
        return None
