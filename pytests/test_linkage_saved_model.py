"""Which linkage model a build scores with (repeat_offending.linkage.saved_model): estimated on the extract,
or the previous release's saved model and term-frequency lookups, reused unchanged. The release scenario
checks it in a real build (test_releases)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from repeat_offending.linkage.saved_model import (
    ESTIMATED_IN,
    MODEL_FILE,
    SavedModel,
    model_to_reuse,
    model_to_save,
    term_frequency_file,
)

SAVED = {"probability_two_random_records_match": 0.001, "comparisons": [], ESTIMATED_IN: "2024-12-31_20260101T000000Z"}
NAMES = ("forename", "surname")


def _previous_release(tmp_path: Path, model: dict | None, names: tuple[str, ...] = NAMES) -> Path:
    folder = tmp_path / "releases" / "2024-12-31_20260101T000000Z"
    (folder / "linkage").mkdir(parents=True)
    if model is not None:
        (folder / MODEL_FILE).write_text(json.dumps(model))
    for name in names:
        term_frequency_file(folder, name).parent.mkdir(parents=True, exist_ok=True)
        term_frequency_file(folder, name).write_bytes(b"PAR1")
    return folder


def test_estimate_ignores_the_previous_release(tmp_path: Path) -> None:
    assert model_to_reuse("estimate", _previous_release(tmp_path, SAVED), NAMES) is None


def test_previous_reuses_the_previous_releases_model_and_lookups_as_saved(tmp_path: Path) -> None:
    folder = _previous_release(tmp_path, SAVED)
    expected = SavedModel(SAVED, {name: folder / "linkage" / "term_frequencies" / f"{name}.parquet" for name in NAMES})
    assert model_to_reuse("previous", folder, NAMES) == expected
    assert model_to_reuse("previous", str(folder), NAMES) == expected


@pytest.mark.parametrize("folder", ["", None])
def test_the_first_release_of_a_lineage_estimates_its_model(folder: str | None) -> None:
    assert model_to_reuse("previous", folder, NAMES) is None


@pytest.mark.parametrize(("model", "names"), [(None, NAMES), (SAVED, ("forename",))])
def test_a_previous_release_without_a_saved_model_or_lookup_stops_the_build(
    tmp_path: Path, model: dict | None, names: tuple[str, ...]
) -> None:
    folder = _previous_release(tmp_path, model, names)
    with pytest.raises(FileNotFoundError, match="LINKAGE_MODEL=estimate") as raised:
        model_to_reuse("previous", folder, NAMES)
    missing = folder / MODEL_FILE if model is None else term_frequency_file(folder, "surname")
    assert str(missing) in str(raised.value)


@pytest.mark.parametrize("choice", ["", "Previous", "latest"])
def test_an_unknown_choice_is_refused(tmp_path: Path, choice: str) -> None:
    with pytest.raises(ValueError, match="LINKAGE_MODEL must be one of estimate, previous"):
        model_to_reuse(choice, _previous_release(tmp_path, SAVED), NAMES)


def test_an_estimated_model_names_its_release_and_a_reused_one_is_saved_unchanged() -> None:
    estimated = {"probability_two_random_records_match": 0.002, "comparisons": []}
    assert model_to_save(estimated, None, "2025-06-30_20260201T000000Z") == {
        **estimated,
        ESTIMATED_IN: "2025-06-30_20260201T000000Z",
    }
    assert model_to_save(estimated, None, "")[ESTIMATED_IN] is None
    reused = SavedModel(SAVED, {})
    assert model_to_save(estimated, reused, "2025-06-30_20260201T000000Z") == SAVED
