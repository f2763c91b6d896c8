"""A refresh equals a full build (docs/methodology.md section 10): `make refresh` builds the next release
from the published one, rebuilding only what changed where a model can, and the result is the release a full
build of the same extract makes with the same previous release and linkage model.

The release scenario (pytests/releases.py) built release 1 on the first extract and release 2 on the second,
in full with release 1's linkage model (LINKAGE_MODEL=previous). Here, in a copy of its DATA_DIR, release 1 is
published again (a rollback, so that it is the previous release once more) and the second extract is
refreshed from it: every table of the linkage, linked, derived, publication and research schemas must equal
release 2's, row for row (EXCEPT ALL both ways, `release compare`), while release 1 is left byte for byte as
it was.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from releases import Scenario, digest, run_make
from repeat_offending.release import ledger
from repeat_offending.release.compare import DEFAULT_SCHEMAS, TableDifference, compare_releases
from repeat_offending.release.layout import Layout


@dataclass(frozen=True)
class Refreshed:
    data_dir: Path
    full: str  # release 2 of the scenario: a full build of the second extract
    refreshed: str  # the refresh of the second extract from release 1
    first: str
    first_digest_before: str
    first_digest_after: str
    differences: list[TableDifference]
    output: str


@pytest.fixture(scope="module")
def refreshed(release_scenario: Scenario, tmp_path_factory: pytest.TempPathFactory) -> Refreshed:
    root = tmp_path_factory.mktemp("refresh")
    data_dir = root / "data"
    shutil.copytree(release_scenario.data_dir, data_dir, symlinks=True)
    layout = Layout(data_dir)
    first, full = release_scenario.first, release_scenario.second
    run_make("publish", data_dir, root / "publish.log", f"RELEASE={first}")
    before = digest(layout.database(first))
    output = root / "refresh.log"
    run_make("refresh", data_dir, output, "LINKAGE_THRESHOLDS=chosen", data_tests=True)
    refreshed = layout.published()
    assert refreshed is not None and refreshed not in (first, full)
    differences = compare_releases(
        layout.database(full), layout.database(refreshed), (full, refreshed), DEFAULT_SCHEMAS, root / "compare.tmp"
    )
    return Refreshed(
        data_dir=data_dir,
        full=full,
        refreshed=refreshed,
        first=first,
        first_digest_before=before,
        first_digest_after=digest(layout.database(first)),
        differences=differences,
        output=output.read_text(errors="replace"),
    )


def test_the_refresh_equals_the_full_build_table_by_table(refreshed: Refreshed) -> None:
    compared = {d.relation for d in refreshed.differences}
    assert {"linkage.match_edges", "linked.person_links", "derived.proven_reoffending"} <= compared
    assert {f"research.{t}" for t in ("offender_histories", "proven_reoffending", "young_people")} <= compared
    assert len(compared) >= 30  # 34 on 2026-12-07
    unequal = [d for d in refreshed.differences if not d.equal]
    assert unequal == []
    assert all(d.rows_a > 0 for d in refreshed.differences if d.relation.startswith(("linked.", "derived.")))


def test_the_refresh_leaves_the_previous_release_as_it_was(refreshed: Refreshed) -> None:
    assert refreshed.first_digest_after == refreshed.first_digest_before


def test_the_refresh_scores_only_the_profiles_that_changed(refreshed: Refreshed) -> None:
    """The links were carried forward from the previous release and appended to (an incremental model), and
    only the records of changed profiles were scored again."""
    layout = Layout(refreshed.data_dir)
    log = (layout.folder(refreshed.refreshed) / "logs" / "dbt.log").read_text(errors="replace")
    assert "Release: carried linkage.match_edges forward from the previous release" in log
    assert "python incremental model linkage.match_edges" in log
    with duckdb.connect(str(layout.database(refreshed.refreshed)), read_only=True) as con:
        changed, records = con.execute(
            "select (select count(*) from linkage.profile_changes where side = 'current'), "
            "(select count(*) from linkage.person_identities)"
        ).fetchall()[0]
    assert 0 < changed < records / 2


def test_the_ledger_records_the_refresh(refreshed: Refreshed) -> None:
    layout = Layout(refreshed.data_dir)
    with duckdb.connect(str(layout.database(refreshed.refreshed)), read_only=True) as con:
        rows = con.execute("select parameters from audit.release where release_id = ?", [refreshed.refreshed])
        parameters = json.loads(rows.fetchall()[0][0])
    assert parameters["refresh_of"] == refreshed.first == parameters["previous_release"]
    assert parameters["linkage_model"] == "previous"
    outcomes = {build.release_id: build.outcome for build in ledger.builds(layout.ledger)}
    assert outcomes[refreshed.refreshed] == "published"
