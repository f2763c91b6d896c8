"""The release tool's own rules, without dbt: ids, the lock, the ledger, publication, rollback, retention."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from repeat_offending.release import ledger
from repeat_offending.release.build import mark_abandoned
from repeat_offending.release.layout import RELEASE_ID_PATTERN, Layout, ReleaseError, raw_extract_date, release_id
from repeat_offending.release.lock import build_lock
from repeat_offending.release.publish import prune, publish, rollback

RELEASE = [str(Path(sys.executable).with_name("release"))]


def _fake_release(layout: Layout, name: str, outcome: str | None = "published") -> str:
    """A release as the ledger and the folder know it, without a build (the database is a stand-in file)."""
    ledger.append(layout.ledger, "started", name)
    if outcome is not None:
        ledger.append(layout.ledger, "finished", name, outcome=outcome, reason=f"{outcome} in a test")
    if outcome == "published":
        ledger.append(layout.ledger, "published", name, by="build")
    layout.database(name).write_bytes(b"stand-in for a DuckDB file")
    (layout.folder(name) / "target").mkdir(parents=True)
    return name


@pytest.fixture
def layout(tmp_path: Path) -> Layout:
    layout = Layout(tmp_path / "data")
    layout.releases.mkdir(parents=True)
    return layout


def test_release_ids_name_the_extract_and_the_build_time_and_are_unique() -> None:
    built = dt.datetime(2026, 12, 6, 11, 17, 35, tzinfo=dt.UTC)
    first = release_id(dt.date(2025, 6, 30), built, set())
    assert first == "2025-06-30_20261206T111735Z"
    assert release_id(dt.date(2025, 6, 30), built, {first}) == f"{first}-2"
    assert release_id(None, built, set()) == "undated_20261206T111735Z"
    for name in (first, f"{first}-2", "undated_20261206T111735Z"):
        assert RELEASE_ID_PATTERN.match(name)


def test_the_extract_date_is_the_latest_in_any_raw_file_and_broken_files_are_skipped(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    (raw / "a").mkdir(parents=True)
    (raw / "b").mkdir()
    pq.write_table(pa.table({"extracted_at": ["2025-06-30 23:59:59", "2025-06-29 10:00:00"]}), raw / "a" / "t.parquet")
    pq.write_table(pa.table({"extracted_at": ["2025-07-01 00:00:00", "not a date"]}), raw / "b" / "t.parquet")
    (raw / "b" / "broken.parquet").write_bytes(b"PAR1 truncated")
    pq.write_table(pa.table({"other": [1]}), raw / "a" / "no_column.parquet")
    assert raw_extract_date(raw) == dt.date(2025, 7, 1)
    assert raw_extract_date(tmp_path / "nothing") is None


def test_a_second_build_is_refused_at_once_and_the_message_names_the_holder(layout: Layout) -> None:
    refusal = r"another build is running on .*pid \d+, `release build`"
    with build_lock(layout, "release build"):
        started = time.monotonic()
        with pytest.raises(ReleaseError, match=refusal) as refused, build_lock(layout, "a second build"):
            pass
        assert time.monotonic() - started < 5
        assert "Published release: none." in str(refused.value)
    with build_lock(layout, "after"):  # released when the holder is done
        pass


def test_the_lock_is_held_by_a_child_holding_the_inherited_file_and_freed_when_the_build_is_killed(
    layout: Layout,
) -> None:
    """`release lock -- COMMAND` (what make build runs): COMMAND's own `release` calls use the inherited lock,
    other processes are refused, and a SIGKILL of the whole build frees it."""
    nested = subprocess.run(
        [
            *RELEASE,
            "lock",
            "--data-dir",
            str(layout.data_dir),
            "--",
            *RELEASE,
            "list",
            "--data-dir",
            str(layout.data_dir),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert nested.returncode == 0, nested.stderr
    holder = subprocess.Popen(
        [*RELEASE, "lock", "--data-dir", str(layout.data_dir), "--", "sleep", "60"], start_new_session=True
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with build_lock(layout, "probe"):
                    pass
            except ReleaseError:
                break
            assert time.monotonic() < deadline, "the lock was never taken"
            time.sleep(0.1)
        refused = subprocess.run(
            [*RELEASE, "lock", "--data-dir", str(layout.data_dir), "--", "true"], capture_output=True, text=True
        )
        assert refused.returncode == 75 and "another build is running" in refused.stderr
    finally:
        os.killpg(holder.pid, signal.SIGKILL)
        holder.wait()
    deadline = time.monotonic() + 10  # the kernel frees the lock when the last process holding it is gone
    while True:
        try:
            with build_lock(layout, "after the kill"):
                break
        except ReleaseError:
            assert time.monotonic() < deadline, "the lock outlived the killed build"
            time.sleep(0.1)


def test_publication_replaces_the_link_and_never_a_file(layout: Layout) -> None:
    one = _fake_release(layout, "2025-01-01_20260101T000000Z")
    two = _fake_release(layout, "2025-02-01_20260201T000000Z")
    publish(layout, one, by="build")
    assert layout.published() == one
    assert os.readlink(layout.published_link) == f"releases/{one}.duckdb"
    publish(layout, two, by="build")
    assert layout.published() == two
    assert [p.name for p in layout.data_dir.iterdir() if p.name.startswith(".")] == []
    with pytest.raises(ReleaseError, match="has no database"):
        publish(layout, "2025-03-01_20260301T000000Z", by="build")
    assert layout.published() == two
    layout.published_link.unlink()
    layout.published_link.write_bytes(b"an analyst's own file")
    with pytest.raises(ReleaseError, match="is a file, not the link"):
        publish(layout, one, by="build")
    assert layout.published_link.read_bytes() == b"an analyst's own file"


def test_rollback_only_to_a_kept_release_that_passed(layout: Layout) -> None:
    good = _fake_release(layout, "2025-01-01_20260101T000000Z")
    failed = _fake_release(layout, "2025-02-01_20260201T000000Z", outcome="failed")
    running = _fake_release(layout, "2025-03-01_20260301T000000Z", outcome=None)
    newer = _fake_release(layout, "2025-04-01_20260401T000000Z")
    unpublished = _fake_release(layout, "2025-05-01_20260501T000000Z", outcome=None)
    ledger.append(layout.ledger, "finished", unpublished, outcome="published", reason="checks passed")
    publish(layout, newer, by="build")
    rollback(layout, good)
    assert layout.published() == good
    refusals = (
        (failed, "did not pass"),
        (running, "did not pass"),
        (unpublished, "did not pass"),
        ("nope", "no release"),
    )
    for refused, reason in refusals:
        with pytest.raises(ReleaseError, match=reason):
            rollback(layout, refused)
    assert layout.published() == good
    ledger.append(layout.ledger, "pruned", newer)
    with pytest.raises(ReleaseError, match="no longer kept"):
        rollback(layout, newer)


def test_retention_keeps_the_newest_releases_the_published_one_and_files_it_does_not_know(layout: Layout) -> None:
    passed = [_fake_release(layout, f"2025-0{n}-01_2026010{n}T000000Z") for n in range(1, 6)]
    failed = _fake_release(layout, "2025-06-01_20260106T000000Z", outcome="failed")
    running = _fake_release(layout, "2025-07-01_20260107T000000Z", outcome=None)
    stranger = layout.releases / "my_notes.duckdb"
    stranger.write_text("not ours")
    publish(layout, passed[0], by="rollback")
    removed = prune(layout, keep=2)
    assert removed == [*passed[1:3], failed]
    for name in [*passed[1:3], failed]:
        assert not layout.database(name).exists() and not layout.folder(name).exists()
    for name in [passed[0], *passed[3:], running]:
        assert layout.database(name).exists()
    assert stranger.exists()
    assert prune(layout, keep=2) == []
    with pytest.raises(ReleaseError, match="at least 1"):
        prune(layout, keep=0)


def test_a_failed_build_is_kept_for_inspection_until_the_next_one(layout: Layout) -> None:
    kept = _fake_release(layout, "2025-01-01_20260101T000000Z")
    failed = _fake_release(layout, "2025-02-01_20260201T000000Z", outcome="failed")
    assert prune(layout, keep=1, keep_also=failed) == []
    later = _fake_release(layout, "2025-03-01_20260301T000000Z", outcome="failed")
    assert prune(layout, keep=1, keep_also=later) == [failed]
    assert layout.database(kept).exists()


def test_a_killed_build_loses_its_spill_at_once_and_keeps_the_rest_until_pruned(layout: Layout) -> None:
    killed = _fake_release(layout, "2025-02-01_20260201T000000Z", outcome=None)
    finished = _fake_release(layout, "2025-01-01_20260101T000000Z")
    for release in (killed, finished):
        for folder in layout.spill_folders(release):
            folder.mkdir(parents=True)
            (folder / "duckdb_temp_storage_DEFAULT-0.tmp").write_bytes(b"spilled pages")
    assert mark_abandoned(layout) == [killed]
    assert not any(folder.exists() for folder in layout.spill_folders(killed))
    assert layout.database(killed).exists() and (layout.folder(killed) / "target").is_dir()
    assert all(folder.exists() for folder in layout.spill_folders(finished)), "a finished build's are not touched"
    assert prune(layout, keep=1) == [killed] and not layout.database(killed).exists()


def test_the_ledger_skips_a_line_cut_short_and_the_last_outcome_wins(layout: Layout) -> None:
    ledger.append(layout.ledger, "started", "a")
    ledger.append(layout.ledger, "finished", "a", outcome="published", reason="ok")
    with layout.ledger.open("a") as file:
        file.write('{"event": "finished", "release_id": "a", "outc')
    ledger.append(layout.ledger, "finished", "a", outcome="failed", reason="docs failed")
    (build,) = ledger.builds(layout.ledger)
    assert (build.outcome, build.reason, build.passed) == ("failed", "docs failed", False)


def test_list_and_show_say_what_is_published(layout: Layout) -> None:
    one = _fake_release(layout, "2025-01-01_20260101T000000Z")
    shown = subprocess.run([*RELEASE, "show", "--data-dir", str(layout.data_dir)], capture_output=True, text=True)
    assert shown.returncode == 1 and "no release is published" in shown.stderr
    publish(layout, one, by="build")
    listed = subprocess.run([*RELEASE, "list", "--data-dir", str(layout.data_dir)], capture_output=True, text=True)
    assert f"* {one}" in listed.stdout and f"published: {one}" in listed.stdout
    target = subprocess.run(
        [*RELEASE, "show", "--data-dir", str(layout.data_dir), "--field", "target"], capture_output=True, text=True
    )
    assert target.stdout.strip() == str(layout.folder(one) / "target")
