"""The ledger of builds: ``DATA_DIR/releases/releases.jsonl``, one JSON object per line, append only.

Events (every one has ``event``, ``release_id`` and ``at``, an ISO time in UTC):

- ``started``: a build began; ``git_commit``, ``dbt_version``, ``duckdb_version``, ``target``, ``parameters``.
- ``finished``: it ended; ``outcome`` (``published``: every check passed and it is being published;
  ``failed``; ``abandoned``: it stopped without recording an end, found so by the next build), ``reason``,
  and what it measured: ``extract_dates`` (source table -> date), ``row_counts`` (public model -> rows),
  ``tests`` (status -> count), ``source_freshness`` (source table -> ``pass`` or ``warn``, measured against the
  extract's data_as_of), ``linkage`` (precision, recall, f1 against the ground truth, when there is one).
- ``published``: the release became the published one (``by``: ``build`` or ``rollback``).
- ``pruned``: its files were removed by the retention rule.

The model ``audit.release`` reads this file into the warehouse (one row per build); ``release list`` prints
it. Nothing in it identifies a person.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def append(ledger: Path, event: str, release_id: str, **fields: Any) -> None:
    """Append one event (one line, written with one call and flushed to disk)."""
    ledger.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps({"event": event, "release_id": release_id, "at": now(), **fields}, sort_keys=True) + "\n"
    if ledger.exists() and ledger.stat().st_size:
        with ledger.open("rb") as file:
            file.seek(-1, os.SEEK_END)
            if file.read(1) != b"\n":  # a line cut short by a kill: end it, so this event stays whole
                line = "\n" + line
    with ledger.open("a", encoding="utf-8") as file:
        file.write(line)
        file.flush()
        os.fsync(file.fileno())


def events(ledger: Path) -> list[dict[str, Any]]:
    """Every event, oldest first; a line that is not a JSON object (a write cut short) is skipped."""
    if not ledger.exists():
        return []
    found = []
    for line in ledger.read_text(encoding="utf-8").splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if isinstance(event, dict) and event.get("release_id"):
            found.append(event)
    return found


@dataclass
class Build:
    """What the ledger says about one build."""

    release_id: str
    started_at: str | None = None
    finished_at: str | None = None
    outcome: str | None = None
    reason: str | None = None
    published_at: str | None = None
    pruned: bool = False
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        """Every check passed and the release was published (by its build; later perhaps again by a
        rollback). A build killed between its last check and its publication has not passed."""
        return self.outcome == "published" and self.published_at is not None


def builds(ledger: Path) -> list[Build]:
    """One Build per release id, in the order the builds started."""
    found: dict[str, Build] = {}
    for event in events(ledger):
        build = found.setdefault(event["release_id"], Build(event["release_id"]))
        kind = event.get("event")
        if kind == "started":
            build.started_at = event.get("at")
            build.details.update({k: v for k, v in event.items() if k not in ("event", "release_id", "at")})
        elif kind == "finished":
            build.finished_at, build.outcome, build.reason = event.get("at"), event.get("outcome"), event.get("reason")
        elif kind == "published":
            build.published_at = event.get("at")
        elif kind == "pruned":
            build.pruned = True
    return list(found.values())
