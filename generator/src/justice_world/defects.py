"""Bad rows: broken values and duplicates injected into the raw tables at the configured rate.

Each row is picked (or not) by a stable per-record draw, and given one defect among those that can apply to
it, so successive extracts break the same records the same way. Every injected defect is listed in the
ground truth with the action staging is expected to take.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .calendar import days_from_ymd, ymd_from_days
from .randomness import stable_uniform
from .raw_schema import DATE_FORMATS, DEFECT_ACTIONS, TABLES, Table

DATE_ORDER: dict[str, tuple[str, str]] = {
    "pnc.offence_outcomes": ("offence_date", "outcome_date"),
    "courts.cases": ("first_hearing_date", "case_completed_date"),
    "courts.case_offences": ("offence_date", "verdict_date"),
    "prisons.custodial_spells": ("reception_date", "release_date"),
    "probation.events": ("start_date", "termination_date"),
    "oasys.assessments": ("date_of_birth", "assessment_date"),
}
UNKNOWN_CODE_COLUMNS: dict[str, tuple[str, ...]] = {
    "pnc.offence_outcomes": ("offence_code", "disposal_code", "outcome_code"),
    "courts.cases": ("court_code",),
    "courts.case_offences": ("offence_code", "disposal_code"),
    "prisons.custodial_spells": ("establishment_code", "reception_reason"),
    "probation.events": ("event_type", "main_offence_code"),
}
NUMBER_COLUMNS: dict[str, tuple[str, ...]] = {
    "pnc.offence_outcomes": ("sentence_length",),
    "courts.case_offences": ("sentence_length_days",),
    "prisons.custodial_spells": ("sentence_length_days",),
    "oasys.assessments": ("drugs_need", "alcohol_need", "accommodation_need"),
}
ALTERNATIVE_DATE_SYSTEMS = ("pnc", "probation")  # systems whose own format is not ISO
PERSON_KEY_TABLES = ("pnc.persons", "prisons.prisoners", "probation.people")


def _strings(table: pa.Table, column: str) -> np.ndarray:
    return table.column(column).to_numpy(zero_copy_only=False).astype(object)


UNPARSEABLE = -(10**8)  # day number standing for a date that cannot be read (dates before 1970 are negative)


def _parse(values: np.ndarray, system: str) -> np.ndarray:
    """Day numbers of formatted dates (UNPARSEABLE where the text is not a date)."""
    parsed = pc.strptime(pa.array(values, type=pa.string()), format=DATE_FORMATS[system], unit="s", error_is_null=True)
    seconds = pc.fill_null(pc.cast(parsed, pa.int64()), UNPARSEABLE * 86400).to_numpy(zero_copy_only=False)
    return np.floor_divide(seconds, 86400).astype(np.int64)


def _format(days: np.ndarray, system: str) -> np.ndarray:
    dates = pa.array(np.asarray(days, dtype=np.int32), type=pa.date32())
    text = pc.strftime(dates, format=DATE_FORMATS[system])
    if system == "probation":
        text = pc.utf8_upper(text)
    return text.to_numpy(zero_copy_only=False).astype(object)


class DefectInjector:
    """Applies defects to one chunk's table and reports them (positions are local to the chunk)."""

    def __init__(self, seed: int, rate: float, as_of_year: int) -> None:
        self.seed, self.rate, self.as_of_year = seed, rate, as_of_year

    def _candidates(self, spec: Table, table: pa.Table) -> dict[str, np.ndarray]:
        """For each defect type, which rows it can apply to."""
        n = table.num_rows
        present = {c: pc.is_valid(table.column(c)).to_numpy(zero_copy_only=False) for c in spec.column_names}
        nothing = np.zeros(n, dtype=bool)

        def any_present(names: list[str] | tuple[str, ...]) -> np.ndarray:
            return np.any([present[c] for c in names], axis=0) if names else nothing

        candidates = {"duplicate_row": ~nothing, "duplicate_key": ~nothing}
        candidates["missing_required"] = any_present([c.name for c in spec.columns if c.required])
        required_dates = [c.name for c in spec.columns if c.kind == "date" and c.required]
        candidates["unparseable_date"] = any_present(required_dates)
        candidates["impossible_date"] = any_present(required_dates)
        if spec.source_table in DATE_ORDER:
            first, second = DATE_ORDER[spec.source_table]
            candidates["date_order"] = present[first] & present[second]
        if spec.source_table in UNKNOWN_CODE_COLUMNS:
            candidates["unknown_code"] = any_present(UNKNOWN_CODE_COLUMNS[spec.source_table])
        if spec.source_table in NUMBER_COLUMNS:
            candidates["invalid_number"] = any_present(NUMBER_COLUMNS[spec.source_table])
            candidates["implausible_value"] = candidates["invalid_number"]
        candidates["code_whitespace_case"] = any_present([c.name for c in spec.columns if c.kind == "code"])
        if spec.system in ALTERNATIVE_DATE_SYSTEMS:
            candidates["date_alternative_format"] = any_present([c.name for c in spec.columns if c.kind == "date"])
        return candidates

    def _target_columns(self, kind: str, spec: Table) -> list[str]:
        source_table = spec.source_table
        if kind == "missing_required":
            return [c.name for c in spec.columns if c.required]
        if kind in ("unparseable_date", "impossible_date"):
            return [c.name for c in spec.columns if c.kind == "date" and c.required]
        if kind == "date_order":
            return [DATE_ORDER[source_table][1]]
        if kind == "unknown_code":
            return list(UNKNOWN_CODE_COLUMNS[source_table])
        if kind in ("invalid_number", "implausible_value"):
            return list(NUMBER_COLUMNS[source_table])
        if kind == "code_whitespace_case":
            return [c.name for c in spec.columns if c.kind == "code"]
        return [c.name for c in spec.columns if c.kind == "date"]  # date_alternative_format

    def apply(self, source_table: str, table: pa.Table) -> pa.Table:
        """The table with defects applied and rows inserted; `_defect` and `_defect_column` name each row's
        defect (null for sound rows)."""
        spec = next(t for t in TABLES if t.source_table == source_table)
        n = table.num_rows
        if n == 0 or self.rate == 0:
            return table.append_column("_defect", pa.nulls(n, pa.string())).append_column(
                "_defect_column", pa.nulls(n, pa.string())
            )
        enum = table.column("_enum").to_numpy()
        picked = np.flatnonzero(stable_uniform(self.seed, f"defect:{source_table}", enum, 0) < self.rate)
        u = [stable_uniform(self.seed, f"defect:{source_table}", enum[picked], k) for k in range(1, 5)]
        candidates = self._candidates(spec, table.take(pa.array(picked, pa.int64())))
        types = list(candidates)
        applicable = np.stack([candidates[t] for t in types], axis=1)
        # Each type gets an equal share of the defective rows it can apply to.
        ranks = np.cumsum(applicable, axis=1)
        counts = ranks[:, -1]
        wanted = np.minimum((u[0] * counts).astype(np.int64), np.maximum(counts - 1, 0))
        chosen = np.array(types, dtype=object)[np.minimum((ranks <= wanted[:, None]).sum(axis=1), len(types) - 1)]
        defect = np.full(n, None, dtype=object)
        defect_column = np.full(n, None, dtype=object)
        patches: dict[str, dict[int, object]] = {}
        for kind in types:
            sel = np.flatnonzero(chosen == kind)
            if not len(sel) or kind in ("duplicate_row", "duplicate_key"):
                continue
            rows = picked[sel]
            names = self._target_columns(kind, spec)
            present = np.stack(
                [pc.is_valid(table.column(c).take(pa.array(rows))).to_numpy(zero_copy_only=False) for c in names],
                axis=1,
            )
            column_ranks = np.cumsum(present, axis=1)
            k = np.minimum((u[1][sel] * column_ranks[:, -1]).astype(int), np.maximum(column_ranks[:, -1] - 1, 0))
            target = np.array(names, dtype=object)[(column_ranks <= k[:, None]).sum(axis=1)]
            for name in np.unique(target):
                these = rows[target == name]
                values = self._break(kind, name, table, these, u[2][sel][target == name], spec.system)
                patch = patches.setdefault(name, {})
                patch.update(zip(these.tolist(), values, strict=True))
                defect[these] = kind
                defect_column[these] = name
        for name, patch in patches.items():
            rows = np.array(sorted(patch))
            mask = np.zeros(n, dtype=bool)
            mask[rows] = True
            values = pa.array([patch[r] for r in rows.tolist()], pa.string())
            index = table.schema.get_field_index(name)
            table = table.set_column(
                index, name, pc.replace_with_mask(table.column(name).combine_chunks(), pa.array(mask), values)
            )
        # Duplicates: an exact copy after the row, or an older version of the row before it.
        dup_rows = picked[chosen == "duplicate_row"]
        key_rows = picked[chosen == "duplicate_key"]
        base = table.append_column("_defect", pa.array(defect, type=pa.string()))
        copies = base.take(pa.array(dup_rows, type=pa.int64()))
        copies = copies.set_column(
            copies.num_columns - 1, "_defect", pa.array(["duplicate_row"] * len(dup_rows), pa.string())
        )
        older = self._older_versions(base, key_rows, u[3][chosen == "duplicate_key"], spec)
        position = np.concatenate([np.arange(n) * 3 + 1, dup_rows * 3 + 2, key_rows * 3]).astype(np.int64)
        order = np.argsort(position, kind="stable")
        combined = pa.concat_tables([base, copies, older]).take(pa.array(order))
        column_of = np.concatenate([defect_column, np.full(len(dup_rows) + len(key_rows), None)])[order]
        return combined.append_column("_defect_column", pa.array(column_of, pa.string()))

    def _older_versions(self, base: pa.Table, rows: np.ndarray, draw: np.ndarray, spec: Table) -> pa.Table:
        """Earlier versions of rows: same key, a changed value and an older update time."""
        older = base.take(pa.array(rows, type=pa.int64()))
        stamps = older.column("last_updated_at").to_numpy(zero_copy_only=False)
        parsed = pc.strptime(pa.array(stamps, pa.string()), format="%Y-%m-%d %H:%M:%S", unit="s")
        shifted = pc.subtract(pc.cast(parsed, pa.int64()), pa.array((1 + (draw * 400).astype(np.int64)) * 86400))
        new_stamps = pc.strftime(pc.cast(shifted, pa.timestamp("s")), format="%Y-%m-%d %H:%M:%S")
        older = older.set_column(older.schema.get_field_index("last_updated_at"), "last_updated_at", new_stamps)
        # Change one descriptive value so the two versions differ in content, not only in time.
        changeable = [c.name for c in spec.columns if c.kind in ("text", "date") and not c.required]
        name = changeable[0] if changeable else None
        if name is not None:
            values = older.column(name).to_numpy(zero_copy_only=False).astype(object)
            values = np.array(
                [None if v is None else (v[:-1] if len(v) > 3 else v + "X") for v in values], dtype=object
            )
            values = np.where(values == None, "UNKNOWN", values)  # noqa: E711
            older = older.set_column(older.schema.get_field_index(name), name, pa.array(values, pa.string()))
        return older.set_column(
            older.schema.get_field_index("_defect"),
            "_defect",
            pa.array(["duplicate_key"] * len(rows), pa.string()),
        )

    def _break(
        self, kind: str, name: str, table: pa.Table, rows: np.ndarray, draw: np.ndarray, system: str
    ) -> np.ndarray:
        value = _strings(table.take(pa.array(rows)), name)
        if kind == "missing_required":
            return np.where(draw < 0.7, None, np.where(draw < 0.85, "", "  ")).astype(object)
        if kind == "unparseable_date":
            days = _parse(value, system)
            y = ymd_from_days(np.maximum(days, 0))[0]
            impossible_day = {
                "pnc": "31/02/{y}",
                "courts": "{y}-02-31",
                "prisons": "{y}-02-30",
                "probation": "31-FEB-{y}",
                "oasys": "{y}-13-01",
            }[system]
            garbage = np.array(["UNKNOWN", "N/K", "00/00/0000", "??"], dtype=object)
            return np.where(
                draw < 0.6,
                np.array([impossible_day.format(y=int(v)) for v in y], dtype=object),
                garbage[(draw * 10 % 4).astype(int)],
            )
        if kind == "impossible_date":
            days = _parse(value, system)
            y, m, d = ymd_from_days(np.maximum(days, 0))
            future = np.maximum(self.as_of_year + 60, 2101) + (draw * 40).astype(int)
            past = 1800 + (draw * 99).astype(int)
            new_year = np.where(draw < 0.5, future, past)
            return _format(days_from_ymd(new_year, m, np.minimum(d, 28)), system)
        if kind == "date_order":
            table_first = {v[1]: v[0] for v in DATE_ORDER.values()}[name]
            first = _parse(_strings(table.take(pa.array(rows)), table_first), system)
            return _format(first - 1 - (draw * 400).astype(np.int64), system)
        if kind == "unknown_code":
            letters = np.array(list("QXZ"))
            return np.array(
                [f"{letters[int(x * 3)]}{letters[int(x * 9) % 3]}{int(x * 90000) + 10000}" for x in draw],
                dtype=object,
            )
        if kind == "invalid_number":
            garbage = np.array(["TBC", "UNKNOWN", "see notes", "N/A"], dtype=object)
            return garbage[(draw * 4).astype(int)]
        if kind == "implausible_value":
            if name == "sentence_length":
                return np.where(draw < 0.5, "-" + value.astype(str), "999Y").astype(object)
            if name.endswith("_need"):
                return np.where(draw < 0.5, "7", "-1").astype(object)
            return np.where(draw < 0.5, "-" + value.astype(str), "987654").astype(object)
        if kind == "code_whitespace_case":
            lower = np.array([v.lower() for v in value], dtype=object)
            padded = np.array(["  " + v + " " for v in value], dtype=object)
            broken = np.where(
                draw < 0.4,
                lower,
                np.where(draw < 0.7, padded, np.array([" " + v.lower() for v in value], dtype=object)),
            )
            return np.where(broken == value, padded, broken)  # a value already in lower case gets spaces
        if kind == "date_alternative_format":
            days = _parse(value, system)
            ok = days != UNPARSEABLE
            iso = (
                pc.strftime(pa.array(np.where(ok, days, 0).astype(np.int32), type=pa.date32()), format="%Y-%m-%d")
                .to_numpy(zero_copy_only=False)
                .astype(object)
            )
            return np.where(ok, iso, value)
        raise ValueError(kind)


def expected_action(defect_type: str) -> str:
    return DEFECT_ACTIONS[defect_type]
