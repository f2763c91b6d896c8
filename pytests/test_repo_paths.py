"""Every repository path that the docs, the README, comments and descriptions name exists.

Prose rots when files move: a comment citing a test that was renamed, a description pointing at a folder that
was removed. This test reads every tracked text file, finds the repository-relative paths it names (tokens
starting with one of the repository's top-level folders, such as ``models/linked/linked__persons.sql`` or
``docs/methodology.md``) and checks each exists. A placeholder segment (``<system>``, ``{name}``) or a glob
(``*``) must match at least one path.
"""

from __future__ import annotations

import io
import re
import subprocess
import tokenize

import pytest

from repeat_offending.project import PROJECT_ROOT

# Tracked files that are not prose or code of this project: third-party code and data.
SKIPPED_PREFIXES = ("vendor/", "seeds/", "generator/src/justice_world/data/")
SKIPPED_SUFFIXES = (".csv", ".json", ".png", ".svg", ".parquet", ".duckdb", ".lock")
PLACEHOLDER = re.compile(r"<[^<>/]*>|\{[^{}/]*\}")


def top_level_folders() -> list[str]:
    """The repository's tracked top-level folders (what a repository-relative path starts with)."""
    return sorted({path.split("/", 1)[0] for path in tracked_files() if "/" in path})


def tracked_files() -> list[str]:
    """The files git tracks in this checkout (the working tree's versions are read)."""
    listing = subprocess.run(
        ["git", "ls-files", "-z"], cwd=PROJECT_ROOT, check=True, capture_output=True, text=True
    ).stdout
    return [path for path in listing.split("\0") if path and (PROJECT_ROOT / path).is_file()]


def path_pattern() -> re.Pattern[str]:
    folders = "|".join(re.escape(folder) for folder in top_level_folders())
    # Not after a character that makes it part of a longer path, a URL or a variable (`DATA_DIR/target/`).
    return re.compile(rf"(?<![\w./$@-])(?:{folders})/[A-Za-z0-9_./*<>{{}}-]*")


def exists(path: str) -> bool:
    """Whether a named path exists; placeholders and globs must match at least one path."""
    path = path.rstrip(".,;:)-`'\"")
    if PLACEHOLDER.search(path) or "*" in path:
        pattern = PLACEHOLDER.sub("*", path).rstrip("/")
        return any(PROJECT_ROOT.glob(pattern))
    return (PROJECT_ROOT / path).exists()


def prose(relative: str, text: str) -> list[tuple[int, str]]:
    """(line number, text) of what a file says to a reader: all of it, except in Python only comments and
    docstrings (string literals in code, such as a test's made-up model paths, are data, not references)."""
    if not relative.endswith(".py"):
        return list(enumerate(text.splitlines(), start=1))
    said = []
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        is_docstring = token.type == tokenize.STRING and token.string.lstrip("rbfuRBFU").startswith(('"""', "'''"))
        if token.type == tokenize.COMMENT or is_docstring:
            said.extend(enumerate(token.string.splitlines(), start=token.start[0]))
    return said


def named_paths() -> list[tuple[str, int, str]]:
    """(file, line number, path) of every repository path named in a tracked text file."""
    pattern = path_pattern()
    found = []
    for relative in tracked_files():
        if relative.startswith(SKIPPED_PREFIXES) or relative.endswith(SKIPPED_SUFFIXES):
            continue
        try:
            text = (PROJECT_ROOT / relative).read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        for number, line in prose(relative, text):
            found.extend((relative, number, match.group(0)) for match in pattern.finditer(line))
    return found


def test_the_check_finds_paths() -> None:
    """The scan sees the paths it should (a scan that finds nothing proves nothing)."""
    paths = {path for _, _, path in named_paths()}
    assert any(path.startswith("docs/methodology.md") for path in paths)
    assert len(paths) > 50


@pytest.mark.parametrize(
    ("path", "expected"),
    [("docs/methodology.md", True), ("models/staging/<system>/", True), ("pytests/test_staging_layout.py", False)],
)
def test_exists(path: str, expected: bool) -> None:
    assert exists(path) is expected


def test_every_named_path_exists() -> None:
    missing = [f"{file}:{line}: {path}" for file, line, path in named_paths() if not exists(path)]
    assert not missing, "paths named but absent from the repository:\n" + "\n".join(missing)
