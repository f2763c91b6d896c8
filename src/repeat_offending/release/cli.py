"""The ``release`` command: build a release, list releases, publish an earlier one, hold the build lock.

release build   --data-dir D [--target local|ci|prod] [--keep N] [--require-precision P] [--require-recall R]
release list    --data-dir D
release publish --data-dir D RELEASE_ID      (rollback: publish an earlier release that passed)
release show    --data-dir D [--field id|database|folder|target]
release compare --data-dir D RELEASE_A RELEASE_B [--schemas S ...]  (rows only in one, per table; exit 1 if any)
release lock    --data-dir D -- COMMAND ...  (run COMMAND holding the build lock; what `make build` does)
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

from repeat_offending.linkage.saved_model import CHOICES
from repeat_offending.project import PROJECT_ROOT, dbt_var
from repeat_offending.release import ledger
from repeat_offending.release.build import Options, build
from repeat_offending.release.compare import DEFAULT_SCHEMAS, compare_releases, report
from repeat_offending.release.layout import Layout, ReleaseError
from repeat_offending.release.lock import INHERITED_FD, build_lock
from repeat_offending.release.publish import rollback

KEEP_VAR = "releases_to_keep"
"""The dbt var (dbt_project.yml) that says how many releases that passed are kept."""


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="release", description="Releases of the warehouse in DATA_DIR/releases.")
    commands = ap.add_subparsers(dest="command", required=True)

    def command(name: str, text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=text, description=text)
        sub.add_argument("--data-dir", type=Path, default=Path(os.environ.get("DATA_DIR", "data")))
        return sub

    b = command("build", "build a new release, test it and publish it if every check passes")
    b.add_argument("--project-dir", type=Path, default=PROJECT_ROOT)
    b.add_argument("--target", default="local", choices=("local", "ci", "prod"))
    b.add_argument("--keep", type=int, default=None, help=f"releases kept (default: var {KEEP_VAR})")
    b.add_argument("--require-precision", type=float, default=None)
    b.add_argument("--require-recall", type=float, default=None)
    b.add_argument(
        "--linkage-thresholds",
        choices=("all", "chosen"),
        default="all",
        help="linkage quality at every threshold of the curve (default) or at the build's own only: the curve "
        "clusters the world again at each threshold, half an hour at 10 million people",
    )
    b.add_argument(
        "--linkage-model",
        choices=CHOICES,
        default="estimate",
        help="estimate the linkage model on this extract (default) or score with the previous release's saved "
        "model, so that a lineage of releases keeps one model (the first release estimates it)",
    )
    b.add_argument(
        "--refresh",
        action="store_true",
        help="build the new release from the published one, rebuilding only what changed where a model can (a "
        "monthly extract); needs --linkage-model previous",
    )
    command("list", "list the builds and releases, the published one marked *")
    p = command("publish", "publish an earlier release that passed its checks (rollback)")
    p.add_argument("release_id")
    s = command("show", "print the published release's id or one of its paths")
    s.add_argument("--field", choices=("id", "database", "folder", "target"), default="id")
    c = command("compare", "compare two releases table by table (a refresh against a full build): row counts only")
    c.add_argument("release_a")
    c.add_argument("release_b")
    c.add_argument("--schemas", nargs="+", default=list(DEFAULT_SCHEMAS))
    lk = command("lock", "run a command holding the build lock of DATA_DIR")
    lk.add_argument("child", nargs=argparse.REMAINDER, help="-- COMMAND ...")
    return ap


def list_releases(layout: Layout) -> None:
    published = layout.published()
    builds = ledger.builds(layout.ledger)
    if not builds:
        print(f"no builds recorded in {layout.ledger}")
        return
    print(f"{'':2}{'release':<34}{'outcome':<11}{'started':<27}{'kept':<6}reason")
    for entry in builds:
        mark = "*" if entry.release_id == published else ""
        kept = "yes" if layout.database(entry.release_id).is_file() else "no"
        print(
            f"{mark:<2}{entry.release_id:<34}{entry.outcome or 'building':<11}{entry.started_at or '':<27}"
            f"{kept:<6}{entry.reason or ''}"
        )
    print(f"published: {published or 'none'} ({layout.published_link})")


def show(layout: Layout, field: str) -> int:
    published = layout.published()
    if published is None:
        print(f"no release is published in {layout.data_dir}: run `make build`", file=sys.stderr)
        return 1
    paths = {
        "id": published,
        "database": layout.database(published),
        "folder": layout.folder(published),
        "target": layout.folder(published) / "target",
    }
    print(paths[field])
    return 0


def hold_lock(layout: Layout, child: list[str]) -> int:
    if child[:1] == ["--"]:
        child = child[1:]
    if not child:
        print("release lock: give the command to run after --", file=sys.stderr)
        return 2
    with build_lock(layout, " ".join(child)) as fd:
        env = {**os.environ, INHERITED_FD: str(fd)}
        return subprocess.run(child, env=env, pass_fds=(fd,), check=False).returncode


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    layout = Layout(args.data_dir.resolve())
    try:
        if args.command == "build":
            if args.refresh and args.linkage_model != "previous":
                print(
                    "release build: a refresh scores with the previous release's model: --linkage-model previous",
                    file=sys.stderr,
                )
                return 2
            keep = args.keep if args.keep is not None else int(dbt_var(KEEP_VAR, args.project_dir))
            return build(
                Options(
                    data_dir=layout.data_dir,
                    project_dir=args.project_dir.resolve(),
                    target=args.target,
                    keep=keep,
                    require_precision=args.require_precision,
                    require_recall=args.require_recall,
                    linkage_thresholds=args.linkage_thresholds,
                    linkage_model=args.linkage_model,
                    refresh=args.refresh,
                )
            )
        if args.command == "compare":
            databases = [layout.database(args.release_a), layout.database(args.release_b)]
            for database in databases:
                if not database.is_file():
                    raise ReleaseError(f"no release file {database} (`release list` shows the releases kept)")
            spill = layout.releases / "compare.tmp"
            try:
                differences = compare_releases(*databases, (args.release_a, args.release_b), args.schemas, spill)
            finally:
                shutil.rmtree(spill, ignore_errors=True)
            print(report(differences))
            return 0 if all(d.equal for d in differences) else 1
        if args.command == "list":
            list_releases(layout)
            return 0
        if args.command == "publish":
            with build_lock(layout, f"release publish {args.release_id}"):
                before = layout.published()
                rollback(layout, args.release_id)
            print(f"published release {args.release_id} (was {before or 'none'})")
            return 0
        if args.command == "show":
            return show(layout, args.field)
        return hold_lock(layout, args.child)
    except ReleaseError as problem:
        print(f"release {args.command}: {problem}", file=sys.stderr)
        return 75 if "another build is running" in str(problem) else 1
    except KeyboardInterrupt:
        return 130
