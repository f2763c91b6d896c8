"""The list of assessment needs is its seed: SQL (macro assessment_need_columns) and Python read the same one."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import copy_project, run_dbt
from repeat_offending.project import assessment_need_columns


def test_sql_and_python_read_the_needs_from_the_seed(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    seed = project / "seeds" / "reference" / "reference__assessment_needs.csv"
    # a need added to the seed (out of file order) reaches both readers, in OASys section order
    seed.write_text(seed.read_text() + 'gambling_need,2,"Gambling: a need added to the seed."\n')
    expected = assessment_need_columns(project)
    assert expected[:2] == ["gambling_need", "accommodation_need"], expected
    assert len(expected) == 11

    result = run_dbt(project, "compile", "--target", "lint", "--inline", "{{ tojson(assessment_need_columns()) }}")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    printed = [line for line in output.splitlines() if line.lstrip().startswith("[")]
    assert printed and json.loads(printed[-1].strip()) == expected, output
