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


def readme_layout() -> list[str]:
    """The paths the README's layout section lists (the first word of each line of its code block)."""
    text = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Layout\n", 1)[1]
    block = section.split("```", 2)[1]
    entries = []
    for line in block.splitlines()[1:]:
        if line.strip() and not line.startswith(" "):
            entries.extend(word.rstrip(",") for word in line.split("  ", 1)[0].split())
    return entries


def folders_to_list() -> set[str]:
    """Folders a newcomer must find in the layout: every tracked folder two levels deep (the layers, the
    macro and test folders, the Python distributions) and every Python package."""
    folders = set()
    for path in tracked_files():
        parts = path.split("/")[:-1]
        folders.update("/".join(parts[:depth]) for depth in range(1, min(len(parts), 2) + 1))
        if path.endswith("/__init__.py"):
            folders.add("/".join(parts))
    return folders


def listed(folder: str, entries: list[str]) -> bool:
    """A folder is listed by an entry naming it, a placeholder or glob matching it, an entry inside it, or
    an entry for a folder that holds it."""
    for entry in entries:
        entry = entry.rstrip("/")
        if PLACEHOLDER.search(entry) or "*" in entry:
            if folder in {str(p.relative_to(PROJECT_ROOT)) for p in PROJECT_ROOT.glob(PLACEHOLDER.sub("*", entry))}:
                return True
            entry = PLACEHOLDER.split(entry)[0].rstrip("/")
            if entry and folder.startswith(entry + "/"):
                return True
        if entry == folder or entry.startswith(folder + "/") or folder.startswith(entry + "/"):
            return True
    return False


def test_readme_layout_matches_the_tree() -> None:
    entries = readme_layout()
    assert len(entries) > 20
    unlisted = sorted(folder for folder in folders_to_list() if not listed(folder, entries))
    assert not unlisted, "folders missing from the README's layout section:\n" + "\n".join(unlisted)
    absent = [entry for entry in entries if not exists(entry)]
    assert not absent, "the README's layout section lists paths that do not exist:\n" + "\n".join(absent)
