"""The test world's build, the main job on a small world: `make test-world` (the ``built_world`` fixture)
published a release in which every check passed.

It runs second in `make test` (conftest.FIRST_UNITS): one pytest worker builds the world while the others run
the tests that do not need it, and the tests that read it wait for it.
"""

from __future__ import annotations

import json
from pathlib import Path

from repeat_offending.release import ledger
from repeat_offending.release.layout import Layout


def test_the_test_world_is_built_and_published(built_world: Path) -> None:
    layout = Layout(built_world)
    published = layout.published()
    assert published is not None, f"no release is published in {built_world}"
    finished = [build for build in ledger.builds(layout.ledger) if build.release_id == published]
    assert [build.outcome for build in finished] == ["published"]
    results = json.loads((layout.folder(published) / "target" / "run_results.json").read_text())["results"]
    statuses = {str(result["status"]) for result in results}
    assert statuses <= {"success", "pass", "warn", "no-op"}, statuses  # no-op: the exposures
    unit_tests = [result for result in results if result["unique_id"].startswith("unit_test.")]
    assert unit_tests, "the test world's build runs the dbt unit tests (the builds of changed copies leave them out)"
