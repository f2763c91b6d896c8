"""Which folders the generator owns, and may therefore delete and rewrite.

A DATA_DIR holds the raw extracts in ``raw/`` and, for a synthetic world, the ground truth in ``truth/``. A
real extract is a user's input: nothing may delete, move or rewrite it. So the generator writes a marker file,
``_generated_by.json``, into each folder it creates, *before* anything else, and deletes a folder only when
that marker is there and reads back as its own. A folder without the marker (every real extract), or with a
marker that is unreadable or names another writer, is never touched: the generator refuses to run, and
``make build`` builds the extract as it is.

The marker is a file of its own, not a field of ``raw/_manifest.json``, so that a malformed or hand-edited
manifest can never make a folder look generated. It holds no timestamp, so that the same world is byte for
byte the same files. Deleting the marker protects a generated folder from the generator.
"""

from __future__ import annotations

import json
from pathlib import Path

from . import GENERATOR_VERSION

MARKER_NAME = "_generated_by.json"
"""The marker file in each folder the generator writes (``raw/`` and ``truth/``)."""

GENERATOR_NAME = "repeat_offending.synthetic"
"""The writer the marker (and ``raw/_manifest.json``) names: a fixed identity, not an import path. It is the
name the generator had inside the ``repeat-offending`` distribution, kept when it became the ``justice-world``
distribution so that worlds written before stay the generator's own (and the same world the same bytes)."""

OWNED_FOLDERS = ("raw", "truth")
"""The folders of a DATA_DIR the generator writes, and clears before writing a new world."""


class FolderNotOwnedError(Exception):
    """A folder the generator would clear exists but was not written by the generator."""


def marker_content() -> dict[str, object]:
    """What the marker says: who wrote the folder, and what the marker means."""
    return {
        "generator": GENERATOR_NAME,
        "generator_version": GENERATOR_VERSION,
        "meaning": (
            "This folder was written by the synthetic-world generator (`generate`, `make generate`), which may "
            "delete and rewrite it. Delete this file to protect the folder: the generator then refuses to touch it."
        ),
    }


def write_marker(folder: Path) -> Path:
    """Create ``folder`` if needed and write the marker into it."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / MARKER_NAME
    path.write_text(json.dumps(marker_content(), indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


def marker_problem(folder: Path) -> str | None:
    """Why ``folder`` is not a generator folder (None when it is: its marker is there and names the generator)."""
    path = folder / MARKER_NAME
    if not path.is_file():
        return f"{path} is missing"
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        return f"{path} is unreadable ({error})"
    if not isinstance(content, dict) or content.get("generator") != GENERATOR_NAME:
        return f"{path} does not name the generator {GENERATOR_NAME!r}"
    return None


def is_generated(folder: Path) -> bool:
    """True when ``folder`` carries the generator's marker."""
    return marker_problem(folder) is None


def check_owned(data_dir: Path) -> None:
    """Raise FolderNotOwnedError unless every folder the generator would clear in ``data_dir`` is absent or its
    own."""
    problems = []
    for name in OWNED_FOLDERS:
        folder = data_dir / name
        if folder.exists() or folder.is_symlink():
            problem = "not a folder" if not folder.is_dir() else marker_problem(folder)
            if problem is not None:
                problems.append(f"{folder} exists and was not written by the generator ({problem})")
    if problems:
        raise FolderNotOwnedError(
            "refusing to write a synthetic world into "
            f"{data_dir}: "
            + "; ".join(problems)
            + ". It may be a real extract, which is never deleted or rewritten. Choose another DATA_DIR, or move "
            "the folder away yourself if it really is a world you want to replace."
        )
