"""A release build: write a new warehouse, check everything there, and only then publish it.

Steps, each a process of its own (dbt's lines and the tools' lines are printed as they come):

1. ``dbt seed`` and ``dbt build`` into ``releases/<id>.duckdb`` (target ``local``, ``ci`` or ``prod``), with
   the published release attached read-only as ``previous``; ``dbt source freshness`` against the extract's
   ``data_as_of`` (a stale source fails the build, a lagging one warns; ``target/sources.json``); the
   disclosure audit of the publication tables (``audit-disclosure``: a suppressed count that an attacker can
   narrow fails the build);
2. linkage quality against the ground truth (skipped without ``truth/``), the research export, the
   data-quality report, all into ``releases/<id>/``;
3. the build's record in the ledger and ``dbt run --select audit__release``; ``dbt docs generate`` from the
   build's manifest (the SQL the build ran, not compiled again) and the methodology page beside it;
4. the file is checkpointed and made read-only, then published (``publish.publish``); old releases beyond
   ``releases_to_keep`` are removed.

The run results of the seed, build and ``audit.release`` steps are kept as ``target/run_results_<step>.json``
(docs generate without compiling writes none); once every step has run, ``target/run_results.json`` is the one
of ``dbt build`` again (the ``audit.release`` run overwrites it), the file tools reading a release's artefacts
expect. After a failed step it is that step's.

Any step that fails ends the build: nothing is published, the ledger says why, and the last line printed
names the release still published. A build killed outright records no publication (at most its ``started``
and ``finished`` events); the next build records it as abandoned and removes its files.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from repeat_offending.project import memory_limit
from repeat_offending.release import ledger, methodology
from repeat_offending.release.layout import Layout, ReleaseError, raw_extract_date, release_id
from repeat_offending.release.lock import INHERITED_FD, build_lock
from repeat_offending.release.publish import prune, publish
from repeat_offending.world_manifest import world_parameters

RUN_RESULTS = "run_results.json"
MANIFEST = "manifest.json"
BUILD_MANIFEST = "manifest_build.json"
SOURCE_FRESHNESS_RESULTS = "sources.json"


class StepFailedError(Exception):
    """A step of the build failed; the message is the reason recorded and printed."""


@dataclass(frozen=True)
class Options:
    data_dir: Path
    project_dir: Path
    target: str
    keep: int
    require_precision: float | None = None
    require_recall: float | None = None
    linkage_thresholds: str = "all"
    """``all``: linkage quality over the thresholds' curve; ``chosen``: at the build's own threshold only."""
    linkage_model: str = "estimate"
    """``estimate``: the linkage model is estimated on the extract; ``previous``: the previous release's is used
    (``repeat_offending.linkage.saved_model``)."""
    refresh: bool = False
    """Build the release from the published one: the models that can rebuild only what changed (incremental in a
    refresh, when REFRESH_OF names the previous release) start from its tables and do so."""
    dbt: Path = field(default_factory=lambda: Path(sys.executable).with_name("dbt"))
    tools: Path = field(default_factory=lambda: Path(sys.executable).parent)
    """Where the commands of the tools distribution (``repeat-offending-tools``) are installed: the venv's bin."""


def _die_with_parent() -> None:
    """In a child: be killed when the build process dies (Linux), so that a killed build leaves no dbt running
    on its own and its lock is released with it."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def _git_commit(project_dir: Path) -> str | None:
    try:
        result = subprocess.run(
            ["git", "-C", str(project_dir), "rev-parse", "HEAD"], capture_output=True, text=True, check=False
        )
    except OSError:
        return None
    if result.returncode != 0:
        return None
    dirty = subprocess.run(
        ["git", "-C", str(project_dir), "status", "--porcelain", "--untracked-files=no"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return result.stdout.strip() + ("+changes" if dirty else "")


def _versions() -> dict[str, str]:
    from importlib.metadata import version

    return {"dbt_version": version("dbt-core"), "duckdb_version": duckdb.__version__}


class Build:
    """One release build of ``options.data_dir``."""

    def __init__(self, options: Options, lock_fd: int) -> None:
        self.options = options
        self.layout = Layout(options.data_dir)
        self.lock_fd = lock_fd
        self.previous = self.layout.published()
        taken = {build.release_id for build in ledger.builds(self.layout.ledger)}
        taken |= {path.name.removesuffix(".duckdb") for path in self.layout.releases.glob("*.duckdb")}
        built_at = dt.datetime.now(dt.UTC)
        self.release_id = release_id(raw_extract_date(options.data_dir / "raw"), built_at, taken)
        self.database = self.layout.database(self.release_id)
        self.folder = self.layout.folder(self.release_id)
        self.target_path = self.folder / "target"

    # --- running steps --------------------------------------------------------------------------------
    def environment(self) -> dict[str, str]:
        previous = self.layout.database(self.previous) if self.previous else None
        has_previous = previous is not None and previous.is_file()
        return {
            **os.environ,
            "DATA_DIR": str(self.options.data_dir),
            "RELEASE_ID": self.release_id,
            "RELEASE_DATABASE": str(self.database),
            "RELEASE_FOLDER": str(self.folder),
            "PREVIOUS_RELEASE_DATABASE": str(previous) if has_previous else "",
            "PREVIOUS_RELEASE_FOLDER": str(self.layout.folder(self.previous)) if has_previous and self.previous else "",
            "LINKAGE_MODEL": self.options.linkage_model,
            "REFRESH_OF": (self.previous or "") if self.options.refresh else "",
            "DBT_TARGET_PATH": str(self.target_path),
            "DBT_LOG_PATH": str(self.folder / "logs"),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            INHERITED_FD: str(self.lock_fd),
        }

    def run(self, title: str, command: Sequence[str | Path]) -> None:
        print(f"== release {self.release_id}: {title}", flush=True)
        result = subprocess.run(
            [str(part) for part in command],
            cwd=self.options.project_dir,
            env=self.environment(),
            pass_fds=(self.lock_fd,),
            preexec_fn=_die_with_parent,
            check=False,
        )
        if result.returncode != 0:
            raise StepFailedError(f"{title} failed (exit status {result.returncode}){self.dbt_failures(title)}")

    def dbt(self, title: str, *arguments: str, step: str | None = None) -> None:
        """Run a dbt command; with ``step``, keep the run results it writes as ``run_results_<step>.json``
        (also when it fails), since the next dbt command overwrites ``run_results.json``."""
        project = str(self.options.project_dir)
        results = self.target_path / RUN_RESULTS
        if step is not None:  # a step that fails before writing results must not be judged by the previous one's
            results.unlink(missing_ok=True)
        try:
            self.run(
                title,
                [
                    self.options.dbt,
                    *arguments,
                    "--profiles-dir",
                    project,
                    "--project-dir",
                    project,
                    "--target",
                    self.options.target,
                ],
            )
        finally:
            if step is not None and results.exists():
                shutil.copy2(results, self.step_results(step))

    def step_results(self, step: str) -> Path:
        """Where the run results of one dbt step are kept."""
        return self.target_path / f"run_results_{step}.json"

    def tool(self, title: str, command: str, *arguments: str | Path) -> None:
        """Run a command of the tools distribution (evaluation, research export, data-quality report)."""
        self.run(title, [self.options.tools / command, *arguments])

    def dbt_failures(self, title: str) -> str:
        """For a dbt step: which nodes failed, from run_results.json, or sources.json for source freshness
        (node names only, never data)."""
        if not title.startswith("dbt"):
            return ""
        name = SOURCE_FRESHNESS_RESULTS if "freshness" in title else RUN_RESULTS
        try:
            results = json.loads((self.target_path / name).read_text())["results"]
        except (OSError, ValueError, KeyError):
            return ""
        failed = sorted(r["unique_id"] for r in results if r.get("status") in ("error", "fail", "runtime error"))
        if not failed:
            return ""
        shown = ", ".join(name.split(".", 2)[-1] for name in failed[:5])
        return f": {len(failed)} node(s) failed: {shown}" + (" ..." if len(failed) > 5 else "")

    # --- what the build measured ----------------------------------------------------------------------
    def measures(self) -> dict[str, Any]:
        """Extract dates, public row counts, test summary and linkage quality, for the ledger."""
        manifest = json.loads((self.target_path / MANIFEST).read_text())
        public = {
            f"{node['schema']}.{node['alias']}"
            for node in manifest["nodes"].values()
            if node["resource_type"] == "model" and node.get("access") == "public"
        }
        results = json.loads(self.step_results("build").read_text())["results"]
        tests = Counter(str(r["status"]) for r in results if r["unique_id"].split(".")[0] in ("test", "unit_test"))
        freshness = {
            r["unique_id"].split(".", 2)[-1]: str(r["status"])
            for r in json.loads((self.target_path / SOURCE_FRESHNESS_RESULTS).read_text())["results"]
        }
        con = duckdb.connect(str(self.database), read_only=True)
        try:
            extract_dates = dict(
                con.execute("select source_table, cast(data_as_of as varchar) from linked.extract_dates").fetchall()
            )
            row_counts = {
                name: rows
                for name, rows in con.execute("select relation_name, row_count from audit.row_counts").fetchall()
                if name in public
            }
            has_quality = con.execute(
                "select count(*) from information_schema.tables "
                "where table_schema = 'evaluation' and table_name = 'linkage_quality'"
            ).fetchall()[0][0]
            linkage = None
            if has_quality:
                row = con.execute(
                    "select pairwise_precision, pairwise_recall, pairwise_f1 from evaluation.linkage_quality "
                    "where scope = 'overall' and is_chosen_threshold"
                ).fetchall()
                if row:
                    linkage = dict(zip(("precision", "recall", "f1"), row[0], strict=True))
        finally:
            con.close()
        return {
            "data_as_of": max(extract_dates.values(), default=None),
            "extract_dates": json.dumps(extract_dates, sort_keys=True),
            "row_counts": json.dumps(dict(sorted(row_counts.items()))),
            "tests_passed": tests.get("pass", 0) + tests.get("success", 0),
            "tests_warned": tests.get("warn", 0),
            "tests_failed": tests.get("fail", 0) + tests.get("error", 0),
            "tests_skipped": tests.get("skipped", 0),
            "source_freshness": json.dumps(dict(sorted(freshness.items()))),
            "linkage_precision": linkage and linkage["precision"],
            "linkage_recall": linkage and linkage["recall"],
            "linkage_f1": linkage and linkage["f1"],
        }

    def parameters(self) -> str:
        return json.dumps(
            {
                "target": self.options.target,
                "releases_to_keep": self.options.keep,
                "previous_release": self.previous,
                "world": world_parameters(self.options.data_dir),
                "duckdb_memory_limit": memory_limit(),
                "linkage_memory_limit": memory_limit("LINKAGE_MEMORY_LIMIT"),
                "linkage_thresholds": self.options.linkage_thresholds,
                "linkage_model": self.options.linkage_model,
                "refresh_of": self.previous if self.options.refresh else None,
                "linkage_required": {
                    "precision": self.options.require_precision,
                    "recall": self.options.require_recall,
                },
            },
            sort_keys=True,
        )

    # --- the build ------------------------------------------------------------------------------------
    def start_from_previous(self) -> None:
        """A refresh starts from the published release (which stays as it is: a release is never modified once
        published): the new release's file starts empty, like any build's, and dbt's on-run-start hook
        (`carry_forward_release_tables`) copies the incremental models' tables from it, attached read-only as
        `previous`."""
        if self.previous is None:
            raise StepFailedError("a refresh starts from the published release, and none is published: build in full")
        print(f"== release {self.release_id}: refresh of {self.previous}", flush=True)

    def steps(self) -> None:
        o, folder = self.options, self.folder
        if o.refresh:
            self.start_from_previous()
        self.dbt("dbt seed", "seed", step="seed")
        self.dbt("dbt build", "build", step="build")
        # The build's manifest holds the SQL each node ran (compiled_code); the later dbt steps write manifests
        # without it. The docs are made from it, without compiling the project again (`--no-compile`: 24 s of
        # a 5,000-person build's 213 s), so that they show the SQL this build ran.
        shutil.copy2(self.target_path / MANIFEST, self.target_path / BUILD_MANIFEST)
        # After the build, not before it: audit.raw_contract (right after the seeds) must be the one to judge a
        # missing or unreadable file, and a stale source is judged like a failing test (nothing published).
        self.dbt("dbt source freshness", "source", "freshness")
        # Every suppressed count of the publication tables, as an attacker would bound it from all of them.
        self.tool(
            "disclosure audit",
            "audit-disclosure",
            "--database",
            self.database,
            "--manifest",
            self.target_path / MANIFEST,
        )
        linkage_requirements: list[str] = []
        if o.require_precision is not None:
            linkage_requirements += ["--require-precision", str(o.require_precision)]
        if o.require_recall is not None:
            linkage_requirements += ["--require-recall", str(o.require_recall)]
        self.tool(
            "linkage quality",
            "evaluate-linkage",
            "--database",
            self.database,
            "--truth",
            o.data_dir / "truth",
            *linkage_requirements,
            *(["--chosen-threshold-only"] if o.linkage_thresholds == "chosen" else []),
        )
        self.tool(
            "research export",
            "export-research",
            "--database",
            self.database,
            "--output",
            folder / "research",
            "--manifest",
            self.target_path / MANIFEST,
            "--release-id",
            self.release_id,
            *(["--require-production-key"] if o.target == "prod" else []),
        )
        self.tool(
            "data-quality report",
            "quality-report",
            "--database",
            self.database,
            "--output",
            self.target_path / "data_quality_report.html",
            "--copy-to",
            folder / "reports",
            "--release-id",
            self.release_id,
        )
        measures = self.measures()
        ledger.append(
            self.layout.ledger,
            "finished",
            self.release_id,
            outcome="published",
            reason=(
                f"every check passed ({measures['tests_passed']} tests passed, {measures['tests_warned']} warned"
                f"{self.freshness_warnings(measures['source_freshness'])})"
            ),
            **measures,
        )
        self.dbt("dbt run audit.release", "run", "--select", "audit__release_events", "audit__release", step="release")
        os.replace(self.target_path / BUILD_MANIFEST, self.target_path / MANIFEST)
        self.dbt("dbt docs generate", "docs", "generate", "--static", "--no-compile")
        # The definitions the docs cite, beside them (the overview links methodology.html).
        methodology.write(self.target_path, release_id=self.release_id)
        # The release's run results are those of its build, as they would be after a plain `dbt build`.
        shutil.copy2(self.step_results("build"), self.target_path / RUN_RESULTS)
        self.seal()

    @staticmethod
    def freshness_warnings(source_freshness: str) -> str:
        warned = sorted(name for name, status in json.loads(source_freshness).items() if status == "warn")
        return f"; source freshness warned on {', '.join(warned)}" if warned else ""

    def seal(self) -> None:
        """Checkpoint the file (no write-ahead log may be left beside it) and make it read-only."""
        con = duckdb.connect(str(self.database))
        try:
            con.execute("checkpoint")
        finally:
            con.close()
        wal = self.database.with_name(self.database.name + ".wal")
        if wal.exists():
            raise StepFailedError(f"the release file kept a write-ahead log ({wal.name}) after its checkpoint")
        mode = self.database.stat().st_mode
        self.database.chmod(mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))

    def execute(self) -> int:
        layout, o = self.layout, self.options
        ledger.append(
            layout.ledger,
            "started",
            self.release_id,
            git_commit=_git_commit(o.project_dir),
            target=o.target,
            parameters=self.parameters(),
            pid=os.getpid(),
            **_versions(),
        )
        print(
            f"== release {self.release_id}: building into {self.database} (published now: {self.previous or 'none'})",
            flush=True,
        )
        try:
            self.steps()
            publish(layout, self.release_id, by="build")
        except (StepFailedError, ReleaseError, OSError, duckdb.Error, KeyboardInterrupt) as failure:
            reason = "interrupted" if isinstance(failure, KeyboardInterrupt) else str(failure)
            ledger.append(layout.ledger, "finished", self.release_id, outcome="failed", reason=reason)
            removed = prune(layout, o.keep, keep_also=self.release_id)
            self.report_pruned(removed)
            print(
                f"release {self.release_id} NOT published: {reason}. "
                f"Published release: {layout.published() or 'none'} (unchanged).",
                flush=True,
            )
            return 130 if isinstance(failure, KeyboardInterrupt) else 1
        removed = prune(layout, o.keep)
        self.report_pruned(removed)
        print(
            f"release {self.release_id} published as {layout.published_link} "
            f"(previous: {self.previous or 'none'}); its files: {self.folder}",
            flush=True,
        )
        return 0

    def report_pruned(self, removed: list[str]) -> None:
        if removed:
            print(f"== releases removed by the retention rule: {', '.join(removed)}", flush=True)


def mark_abandoned(layout: Layout) -> list[str]:
    """Builds that started and never finished (killed, crashed): recorded as abandoned, and their spill folders
    removed at once (a killed build at 10 million people left 12 GB there). The rest of their files stays for
    inspection until the retention rule removes it. Only called with the build lock held, so none of them is
    still running."""
    abandoned = []
    for build in ledger.builds(layout.ledger):
        if build.outcome is None:
            reason = "the build stopped before it finished (killed or crashed); it was never published"
        elif build.outcome == "published" and build.published_at is None:
            reason = "the build stopped after its checks passed, before it was published (killed or crashed)"
        else:
            continue
        ledger.append(layout.ledger, "finished", build.release_id, outcome="abandoned", reason=reason)
        for folder in layout.spill_folders(build.release_id):
            shutil.rmtree(folder, ignore_errors=True)
        abandoned.append(build.release_id)
    return abandoned


def build(options: Options) -> int:
    """Run one release build under the build lock; returns the exit status."""
    layout = Layout(options.data_dir)
    try:
        with build_lock(layout, "release build") as fd:
            abandoned = mark_abandoned(layout)
            if abandoned:
                print(f"== builds that stopped without finishing, recorded as abandoned: {', '.join(abandoned)}")
            return Build(options, fd).execute()
    except ReleaseError as problem:
        print(f"release build stopped: {problem}", flush=True)
        return 75
