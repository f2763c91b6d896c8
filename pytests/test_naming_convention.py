"""CaDeT naming: `<schema>__<table>` file names map to DuckDB `schema.table`, and bad names stop the parse.

Each case copies the project (without data) to a temporary folder, adds a file and runs the venv's dbt.
Error cases copy only the configuration and macros (where the convention lives) to stay fast.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import copy_project, run_dbt

GOOD_MODEL = "select 1 as person_id"

BAD_MODELS = {
    # file stem: the part of the error message that must appear
    "stgdemo_persons": "has 0 '__' separators, expected exactly one",
    "stg__demo__persons": "has 2 '__' separators, expected exactly one",
    "__persons": "has an empty or '_'-padded part ''",
    "stg_demo__": "has an empty or '_'-padded part ''",
    "stg_demo___persons": "has an empty or '_'-padded part '_persons'",
}


def _parse_with_model(tmp: Path, stem: str, sql: str, *, subfolder: str = "staging/demo") -> tuple[int, str]:
    project = copy_project(tmp / stem.strip("_") / "project", dirs=("macros",))
    folder = project / "models" / subfolder
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{stem}.sql").write_text(sql)
    result = run_dbt(project, "parse", "--no-partial-parse")
    return result.returncode, result.stdout + result.stderr


def test_bad_names_fail_the_parse_naming_the_model(tmp_path: Path) -> None:
    with ThreadPoolExecutor(max_workers=3) as pool:
        outcomes = dict(
            zip(
                BAD_MODELS,
                pool.map(lambda stem: _parse_with_model(tmp_path, stem, GOOD_MODEL), BAD_MODELS),
                strict=True,
            )
        )
    for stem, expected in BAD_MODELS.items():
        code, output = outcomes[stem]
        assert code != 0, f"{stem}: dbt parse should fail\n{output}"
        assert f"model '{stem}'" in output, f"{stem}: the error should name the model\n{output}"
        assert f"models/staging/demo/{stem}.sql" in output, f"{stem}: the error should name the file\n{output}"
        assert expected in output, f"{stem}: expected {expected!r} in\n{output}"
        assert "CaDeT naming" in output


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        (
            "{{ config(schema='stg_other') }}",
            "configured with schema 'stg_other' but its name puts it in schema",
        ),
        (
            "{{ config(alias='people') }}",
            "configured with alias 'people' but its name makes it table 'persons'",
        ),
    ],
)
def test_schema_or_alias_config_must_agree_with_the_name(tmp_path: Path, config: str, expected: str) -> None:
    code, output = _parse_with_model(tmp_path, "stg_demo__persons", f"{config}\n{GOOD_MODEL}\n")
    assert code != 0, output
    assert expected in output, output
    assert "stg_demo__persons" in output


def test_matching_schema_config_is_allowed(tmp_path: Path) -> None:
    code, output = _parse_with_model(
        tmp_path, "stg_demo__persons", f"{{{{ config(schema='stg_demo') }}}}\n{GOOD_MODEL}\n"
    )
    assert code == 0, output


def test_bad_seed_name_fails(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", dirs=("macros",))
    (project / "seeds").mkdir(exist_ok=True)
    (project / "seeds" / "offence_codes.csv").write_text("code\nTH68010\n")
    result = run_dbt(project, "parse", "--no-partial-parse")
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "seed 'offence_codes'" in output, output


def test_good_name_builds_schema_dot_table(project_copy: Path) -> None:
    """In a full copy of the project, stg_demo__persons is stg_demo.persons and refs compile to it."""
    folder = project_copy / "models" / "staging" / "demo"
    folder.mkdir(parents=True)
    (folder / "stg_demo__persons.sql").write_text(GOOD_MODEL + "\n")
    (project_copy / "seeds" / "reference__demo_codes.csv").write_text("code\nA\n")

    parsed = run_dbt(project_copy, "parse", "--no-partial-parse", "--target", "ci")
    assert parsed.returncode == 0, parsed.stdout + parsed.stderr
    manifest = json.loads((project_copy / "target" / "manifest.json").read_text())
    model = manifest["nodes"]["model.repeat_offending.stg_demo__persons"]
    assert (model["schema"], model["alias"]) == ("stg_demo", "persons")
    assert model["relation_name"] == '"warehouse"."stg_demo"."persons"'
    seed = manifest["nodes"]["seed.repeat_offending.reference__demo_codes"]
    assert (seed["schema"], seed["alias"]) == ("reference", "demo_codes")

    compiled = run_dbt(
        project_copy,
        "compile",
        "--target",
        "ci",
        "--inline",
        "select * from {{ ref('stg_demo__persons') }}",
    )
    output = compiled.stdout + compiled.stderr
    assert compiled.returncode == 0, output
    assert '"stg_demo"."persons"' in output, output


def _add_local_package(project: Path) -> None:
    """A tiny dbt package with ordinary model names (no `__`), installed as a `local:` package."""
    package = project / "local_packages" / "tiny_package"
    (package / "models").mkdir(parents=True)
    (package / "dbt_project.yml").write_text(
        'name: tiny_package\nversion: "1.0.0"\nconfig-version: 2\nmodel-paths: ["models"]\n'
    )
    (package / "models" / "my_model.sql").write_text("select 1 as id\n")
    (package / "models" / "my_other_model.sql").write_text(
        "{{ config(schema='evaluator', alias='other') }}\nselect 1 as id\n"
    )
    (project / "packages.yml").write_text("packages:\n  - local: local_packages/tiny_package\n")


def test_a_package_keeps_its_own_names_while_the_project_still_follows_the_rule(tmp_path: Path) -> None:
    """The naming rule is this project's: an installed package's models (no `__`) parse with dbt's default
    schema and alias, and a bad name in the project itself still stops the parse."""
    project = copy_project(tmp_path / "project", dirs=("macros",))
    _add_local_package(project)
    deps = run_dbt(project, "deps")
    assert deps.returncode == 0, deps.stdout + deps.stderr

    parsed = run_dbt(project, "parse", "--no-partial-parse", "--target", "ci")
    assert parsed.returncode == 0, parsed.stdout + parsed.stderr
    nodes = json.loads((project / "target" / "manifest.json").read_text())["nodes"]
    plain = nodes["model.tiny_package.my_model"]
    assert (plain["schema"], plain["alias"]) == ("main", "my_model")  # the target schema, the model's name
    configured = nodes["model.tiny_package.my_other_model"]
    assert (configured["schema"], configured["alias"]) == ("main_evaluator", "other")  # dbt's default rules

    folder = project / "models" / "staging" / "demo"
    folder.mkdir(parents=True)
    (folder / "stgdemo_persons.sql").write_text(GOOD_MODEL + "\n")
    failed = run_dbt(project, "parse", "--no-partial-parse", "--target", "ci")
    output = failed.stdout + failed.stderr
    assert failed.returncode != 0, output
    assert "model 'stgdemo_persons'" in output and "CaDeT naming" in output, output
