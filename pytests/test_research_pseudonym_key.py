"""The research pseudonymisation key: required on `prod`, an insecure documented default elsewhere, and never
written into SQL, `target/` or the logs.

Each case compiles one research model in a copy of the project (no data needed: compiling reads no table).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from conftest import DBT, copy_project

SECRET = "test-secret-Zq8w1xY4-do-not-log-0123456789"  # 42 bytes: the prod target needs 32 or more
HOW_TO_MAKE_ONE = 'python -c "import secrets; print(secrets.token_urlsafe(32))"'
DEVELOPMENT_KEY = "insecure-development-key-do-not-use"
MODEL = "research__offender_histories"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_project(tmp_path_factory.mktemp("pseudonym_key") / "project")


def compile_model(project: Path, target: str, key: str | None) -> tuple[int, str, str]:
    """Compile MODEL on a target, with or without RESEARCH_PSEUDONYM_KEY; return code, output, compiled SQL."""
    env = {k: v for k, v in os.environ.items() if k != "RESEARCH_PSEUDONYM_KEY"}
    env.update({"DATA_DIR": str(project / "data"), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"})
    if key is not None:
        env["RESEARCH_PSEUDONYM_KEY"] = key
    (project / "data").mkdir(exist_ok=True)
    result = subprocess.run(
        [
            DBT,
            "compile",
            "--select",
            MODEL,
            "--target",
            target,
            "--profiles-dir",
            str(project),
            "--project-dir",
            str(project),
        ],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    compiled = project / "target" / "compiled" / "repeat_offending" / "models" / "research" / f"{MODEL}.sql"
    sql = compiled.read_text() if result.returncode == 0 and compiled.exists() else ""
    return result.returncode, result.stdout + result.stderr, sql


def test_prod_without_the_key_fails_with_a_clear_message(project: Path) -> None:
    code, output, _ = compile_model(project, "prod", None)
    assert code != 0, output
    assert "RESEARCH_PSEUDONYM_KEY must be set for the prod target" in output, output
    assert HOW_TO_MAKE_ONE in output, output


@pytest.mark.parametrize("key", ["Qz7-short", "é" * 14 + "Qz7"], ids=["9 bytes", "31 bytes in 17 characters"])
def test_prod_refuses_a_key_shorter_than_32_bytes(project: Path, key: str) -> None:
    code, output, _ = compile_model(project, "prod", key)
    assert code != 0, output
    assert "RESEARCH_PSEUDONYM_KEY is too short for the prod target" in output, output
    assert HOW_TO_MAKE_ONE in output, output
    assert key not in output


def test_prod_accepts_a_key_of_32_bytes(project: Path) -> None:
    code, output, sql = compile_model(project, "prod", "é" * 16)  # 16 characters, 32 bytes
    assert code == 0, output
    assert "getvariable('research_pseudonym_key')" in sql


def test_prod_with_the_key_never_writes_it(project: Path) -> None:
    code, output, sql = compile_model(project, "prod", SECRET)
    assert code == 0, output
    assert "getvariable('research_pseudonym_key')" in sql
    assert SECRET not in sql and DEVELOPMENT_KEY not in sql
    leaks = [
        path
        for folder in ("target", "logs")
        for path in (project / folder).rglob("*")
        if path.is_file() and SECRET.encode() in path.read_bytes()
    ]
    assert not leaks, f"the key is written in {leaks}"


def test_other_targets_use_the_documented_development_key(project: Path) -> None:
    code, output, sql = compile_model(project, "ci", None)
    assert code == 0, output
    assert f"'{DEVELOPMENT_KEY}'" in sql
