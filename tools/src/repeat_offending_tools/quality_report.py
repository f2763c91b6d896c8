"""Render the data-quality summary of a built warehouse as one offline HTML file with inline SVG charts.

Reads the audit schema of a DuckDB warehouse (read-only): row counts per layer (`audit.row_counts`), quarantine
by source table and reason (`audit.quarantine_summary`), staging reconciliation, linked-layer exclusions,
linkage quality (`evaluation.linkage_quality`), the disclosure audit of the publication tables
(`disclosure_audit.protection_intervals`), the last run's test results (`audit.test_results`) and the column
profiles of the public models (`audit.column_profiles`). The row counts, test results and column profiles are
written by the project's on-run-end hooks, linkage quality by `evaluate-linkage`, the disclosure audit by
`audit-disclosure`. A missing table gives a
note in its section, not an error.

The page is rendered from the Jinja2 templates of this package (``templates/``) and its charts are drawn by
leather as inline SVG: no network, no scripts, styles or fonts fetched. The quarantine thresholds are the vars
the SQL tests use (``quarantine_warn_share``, ``quarantine_limit_share``), the layer order is the project's
(``repeat_offending.project.layers()``).

`make build` writes target/data_quality_report.html (next to the dbt docs, whose overview links to it) and a
copy in the release's reports/ folder.

Usage: quality-report --database DATA_DIR/warehouse.duckdb
       [--output target/data_quality_report.html] [--copy-to FOLDER] [--release-id ID]
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import shutil
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import jinja2
import leather
from markupsafe import Markup

from repeat_offending.project import PROJECT_ROOT, dbt_var, layers

REPORT_NAME = "data_quality_report.html"

Row = dict[str, Any]

PALETTE = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)
STATUS_COLOURS = {
    "pass": "#2e7d32",
    "warn": "#f9a825",
    "fail": "#c62828",
    "error": "#6a1b1a",
    "skipped": "#9e9e9e",
}
REFERENCE_COLOUR = "#c62828"
HOOK_HINT = "it is written by the on-run-end hooks of dbt build"
CHART_WIDTH = 820
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


def layer_order() -> list[str]:
    """The layers of ``audit.row_counts`` in the order data flows: every schema of ``project.layers()``, a
    pattern of schemas (``stg_*``) under its layer's name as macro ``audit_layer`` gives it (``staging``)."""
    names = [layer.name if "*" in schema else schema for layer in layers() for schema in layer.schemas]
    return [*dict.fromkeys(names), "other"]


# --- formatting ----------------------------------------------------------------------------------------


def fmt_int(value: object) -> str:
    return "-" if value is None else f"{int(value):,}"


def fmt_share(value: object, digits: int = 2) -> str:
    return "-" if value is None else f"{float(value) * 100:.{digits}f}%"


def fmt_measure(value: object) -> str:
    return "-" if value is None else f"{float(value):.5f}"


def fmt_text(value: object) -> str:
    return "" if value is None else str(value)


# --- charts (leather) ----------------------------------------------------------------------------------


def _theme() -> None:
    """leather's theme is module state: the report's fonts, sizes and colours."""
    for part in ("title", "legend", "axis_title", "tick"):
        setattr(leather.theme, f"{part}_font_family", FONT)
    leather.theme.title_font_size = leather.theme.title_font_char_height = 15
    leather.theme.title_font_char_width = 8
    leather.theme.legend_font_size = leather.theme.legend_font_char_height = 12
    leather.theme.legend_font_char_width = 7
    leather.theme.tick_font_size = leather.theme.tick_font_char_height = 12
    leather.theme.tick_font_char_width = 7
    leather.theme.axis_title_font_size = leather.theme.axis_title_font_char_height = 12
    leather.theme.axis_title_font_char_width = 7
    leather.theme.background_color = "#ffffff"
    leather.theme.margin = 0.02
    leather.theme.label_color = "#444"
    leather.theme.default_series_colors = list(PALETTE)


def _svg(chart: leather.Chart, height: float) -> Markup:
    _theme()
    return Markup(str(chart.to_svg(width=CHART_WIDTH, height=round(height))))  # leather escapes the text it writes


NOTHING = Markup('<p class="note">Nothing to chart.</p>')


def _bar_height(rows: int, header_lines: int = 1) -> float:
    return 24 * header_lines + 22 * rows + 44


@dataclass(frozen=True)
class Bar:
    """One bar of a horizontal bar chart; its value is shown in its label."""

    label: str
    value: float
    colour: str = PALETTE[0]
    note: str = ""


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    value_format: Callable[[float], str] = fmt_int,
    max_value: float | None = None,
    reference_lines: Sequence[tuple[float, str]] = (),
) -> Markup:
    """Horizontal bars, one per item, labelled with the item and its value; a reference value (a threshold)
    is drawn as a last, red bar of its own."""
    if not bars:
        return NOTHING
    shown = [*bars, *(Bar(name, value, REFERENCE_COLOUR) for value, name in reference_lines)]
    labels = [f"{b.label}: {value_format(b.value)}" + (f" {b.note}" if b.note else "") for b in shown]
    colours = dict(zip(labels, (b.colour for b in shown), strict=True))
    chart = leather.Chart(title)
    chart.add_x_scale(0, max(max_value or 0.0, *(b.value for b in shown), 1e-12))
    chart.add_x_axis(tick_formatter=lambda value, _index, _count: value_format(float(value)))
    chart.add_bars(
        [(b.value, label) for b, label in zip(shown, labels, strict=True)], fill_color=lambda datum: colours[datum.y]
    )
    return _svg(chart, _bar_height(len(shown)))


class _UnlistedBars(leather.Bars):
    """Bars leather leaves out of its legend: the stacked chart lists its series in HTML, in their order."""

    def legend_to_svg(self, series: leather.Series, palette: Any) -> list[Any]:
        return []


def legend(items: Sequence[tuple[str, str]]) -> Markup:
    """An HTML legend: a swatch and a name per (name, colour)."""
    return Markup('<p class="legend">{}</p>').format(
        Markup("").join(
            Markup('<span><i style="background:{}"></i>{}</span>').format(colour, name) for name, colour in items
        )
    )


def stacked_bar_chart(
    categories: Sequence[str],
    series: Sequence[str],
    values: dict[tuple[str, str], float],
    *,
    title: str,
    value_format: Callable[[float], str] = fmt_int,
) -> Markup:
    """Horizontal bars, one per category (labelled with its total), stacked by series, with a legend in the
    series' order: each series is drawn as the running total up to it, widest first, so that the visible part
    of each is its own."""
    if not categories:
        return NOTHING
    totals = {c: sum(values.get((c, s), 0.0) for s in series) for c in categories}
    labels = {c: f"{c}: {value_format(totals[c])}" for c in categories}
    chart = leather.Chart(title)
    chart.add_x_scale(0, max(max(totals.values()), 1e-12))
    chart.add_x_axis(tick_formatter=lambda value, _index, _count: value_format(float(value)))
    running = {c: list(itertools.accumulate(values.get((c, s), 0.0) for s in series)) for c in categories}
    colours = {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(series)}
    for index in reversed(range(len(series))):
        chart.add_series(
            # reversed, as add_bars does, so that the first category is the top bar
            leather.Series([(running[c][index], labels[c]) for c in reversed(categories)], name=series[index]),
            _UnlistedBars(fill_color=colours[series[index]]),
        )
    svg = _svg(chart, _bar_height(len(categories), 1 + (len(series) > 1)))
    return legend([(name, colours[name]) for name in series]) + svg


def _index_axis(labels: Sequence[str]) -> dict[str, Any]:
    """An axis of categories drawn at 0, 1, 2, ... (leather's lines and dots take numbers only)."""
    return {
        "ticks": list(range(len(labels))),
        "tick_formatter": lambda value, _index, _count: labels[int(value)] if 0 <= int(value) < len(labels) else "",
    }


def line_chart(
    x_labels: Sequence[str],
    series: dict[str, Sequence[float | None]],
    *,
    title: str,
    x_title: str,
    highlight: str | None = None,
    height: int = 320,
) -> Markup:
    """Lines over categorical x values (evenly spaced), the y axis zoomed onto the data, and a
    dashed line at the highlighted x value."""
    present = [v for values in series.values() for v in values if v is not None]
    if not x_labels or not present:
        return NOTHING
    low, high = min(present), max(present)
    span = max(high - low, 0.001)
    y_min, y_max = max(0.0, low - span * 0.1), min(1.0, high + span * 0.1) if high <= 1 else high
    chart = leather.Chart(title)
    chart.add_x_scale(-0.3, len(x_labels) - 0.7)
    chart.add_x_axis(name=x_title, **_index_axis(x_labels))
    chart.add_y_scale(y_min, y_max)
    chart.add_y_axis(tick_formatter=lambda value, _index, _count: f"{float(value):.4f}")
    for index, (name, values) in enumerate(series.items()):
        points = [(x, v) for x, v in enumerate(values) if v is not None]
        colour = PALETTE[index % len(PALETTE)]
        chart.add_line(points, name=name, stroke_color=colour)
    if highlight in x_labels:
        x = x_labels.index(highlight)
        chart.add_line([(x, y_min), (x, y_max)], name="the build's", stroke_color="#555", stroke_dasharray="4 3")
    return _svg(chart, height)


def dot_plot(rows: Sequence[tuple[str, dict[str, float | None]]], *, title: str) -> Markup:
    """One row per group (top to bottom) with a dot per measure on a shared axis zoomed onto the data."""
    measures = list(dict.fromkeys(m for _, values in rows for m in values))
    present = [v for _, values in rows for v in values.values() if v is not None]
    if not rows or not present:
        return NOTHING
    low = min(min(present), 0.999)
    labels = [label for label, _ in reversed(rows)]
    chart = leather.Chart(title)
    chart.add_x_scale(max(0.0, low - (1 - low) * 0.05), 1.0)
    chart.add_x_axis(tick_formatter=lambda value, _index, _count: f"{float(value):.4f}")
    chart.add_y_scale(-0.5, len(rows) - 0.5)
    chart.add_y_axis(**_index_axis(labels))
    for index, name in enumerate(measures):
        chart.add_dots(
            [(values[name], labels.index(label)) for label, values in rows if values.get(name) is not None],
            name=name,
            fill_color=PALETTE[index % len(PALETTE)],
            radius=4.5,
        )
    return _svg(chart, _bar_height(len(rows), 2))


# --- tables --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A column of an HTML table: header, key in the row, formatter, and whether it is numeric."""

    header: str
    key: str
    formatter: Callable[[Any], str] = fmt_text
    numeric: bool = False
    nowrap: bool = False

    @property
    def css(self) -> str:
        return " ".join(name for name, on in (("num", self.numeric), ("nowrap", self.nowrap)) if on)


@dataclass(frozen=True)
class Pivot:
    """Counts with one row per ``rows`` item and one column per ``columns`` item, and their totals."""

    rows: Sequence[str]
    columns: Sequence[str]
    values: dict[tuple[str, str], float]
    corner: str

    def row_total(self, row: str) -> float:
        return sum(self.values.get((row, c), 0.0) for c in self.columns)

    def column_total(self, column: str) -> float:
        return sum(self.values.get((r, column), 0.0) for r in self.rows)

    def total(self) -> float:
        return sum(self.values.values())


# --- the warehouse -------------------------------------------------------------------------------------


class Warehouse:
    """Read-only access to the audit and evaluation tables of a DuckDB warehouse."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables where table_catalog = current_database()"
        ).fetchall()
        self.tables = {f"{schema}.{name}" for schema, name in tables}

    def has(self, table: str) -> bool:
        return table in self.tables

    def rows(self, sql: str) -> list[Row]:
        result = self.con.execute(sql)
        names = [d[0] for d in result.description]
        return [dict(zip(names, values, strict=True)) for values in result.fetchall()]


@dataclass
class Section:
    """One section of the report: rendered by the template ``section_<anchor>.html.j2`` from ``data``, or a
    note when its table (``missing``: the table and how it is made) is not in the warehouse."""

    anchor: str
    title: str
    data: dict[str, Any] = field(default_factory=dict)
    missing: tuple[str, str] | None = None


def section_row_counts(wh: Warehouse) -> Section:
    section = Section("row-counts", "Row counts per layer")
    if not wh.has("audit.row_counts"):
        section.missing = ("audit.row_counts", HOOK_HINT)
        return section
    rows = wh.rows("select * from audit.row_counts order by layer, relation_name")
    by_layer: dict[str, list[Row]] = {}
    for row in rows:
        by_layer.setdefault(str(row["layer"]), []).append(row)
    order = layer_order()
    ordered = sorted(by_layer, key=lambda name: order.index(name) if name in order else len(order))
    bars = [
        Bar(
            label=layer,
            value=float(sum(int(r["row_count"]) for r in by_layer[layer])),
            colour=PALETTE[i % len(PALETTE)],
            note=f"({len(by_layer[layer])} relations)",
        )
        for i, layer in enumerate(ordered)
    ]
    section.data = {
        "chart": bar_chart(bars, title="Rows per layer"),
        "rows": rows,
        "columns": [
            Column("layer", "layer"),
            Column("relation", "relation_name"),
            Column("type", "materialization"),
            Column("rows", "row_count", fmt_int, numeric=True),
        ],
    }
    return section


def section_quarantine(wh: Warehouse) -> Section:
    section = Section("quarantine", "Quarantine by source table and reason")
    if not wh.has("audit.quarantine_summary"):
        section.missing = ("audit.quarantine_summary", "a dbt model: run dbt build")
        return section
    rows = wh.rows("select * from audit.quarantine_summary order by source_table, reason_priority, reason")
    tables = sorted({str(r["source_table"]) for r in rows})
    reasons = [
        str(r["reason"])
        for r in sorted(
            {(r["reason_priority"] or 99, r["reason"]): r for r in rows}.values(),
            key=lambda r: (r["reason_priority"] or 99, r["reason"]),
        )
    ]
    values = {(str(r["source_table"]), str(r["reason"])): float(r["quarantined_rows"]) for r in rows}
    section.data = {
        "chart": stacked_bar_chart(tables, reasons, values, title="Quarantined rows by source table and reason"),
        "pivot": Pivot(tables, reasons, values, corner="source table"),
        "rows": rows,
        "columns": [
            Column("source table", "source_table"),
            Column("reason", "reason"),
            Column("quarantined rows", "quarantined_rows", fmt_int, numeric=True),
            Column("raw rows", "raw_rows", fmt_int, numeric=True),
            Column("share of raw rows", "share_of_raw_rows", lambda v: fmt_share(v, 3), numeric=True),
            Column("share of the table's quarantine", "share_of_quarantined_rows", fmt_share, numeric=True),
        ],
    }
    return section


def section_reconciliation(wh: Warehouse) -> Section:
    section = Section("reconciliation", "Staging reconciliation")
    if not wh.has("audit.staging_reconciliation"):
        section.missing = ("audit.staging_reconciliation", "a dbt model")
        return section
    warn_share = float(dbt_var("quarantine_warn_share"))
    limit_share = float(dbt_var("quarantine_limit_share"))
    rows = wh.rows("select * from audit.staging_reconciliation order by source_table")
    for row in rows:
        share = float(row["quarantined_share"] or 0)
        balanced = row["raw_rows"] == row["staged_rows"] + row["quarantined_rows"]
        row["check"] = (
            "does not reconcile"
            if not balanced
            else "above the limit"
            if share > limit_share
            else "above the warning threshold"
            if share > warn_share
            else "ok"
        )
    bars = [
        Bar(
            str(r["source_table"]),
            float(r["quarantined_share"] or 0),
            STATUS_COLOURS["pass"] if r["check"] == "ok" else STATUS_COLOURS["warn"],
        )
        for r in rows
    ]
    largest = max((b.value for b in bars), default=0.0)
    section.data = {
        "warn_share": warn_share,
        "limit_share": limit_share,
        "limit_severity": dbt_var("quarantine_limit_severity"),
        "chart": bar_chart(
            bars,
            title="Quarantined share of raw rows",
            value_format=lambda v: fmt_share(v, 2),
            max_value=max(largest, warn_share) * 1.1,
            reference_lines=[(warn_share, "warning threshold")],
        ),
        "rows": rows,
        "columns": [
            Column("source table", "source_table"),
            Column("raw rows", "raw_rows", fmt_int, numeric=True),
            Column("staged rows", "staged_rows", fmt_int, numeric=True),
            Column("quarantined rows", "quarantined_rows", fmt_int, numeric=True),
            Column("quarantined share", "quarantined_share", lambda v: fmt_share(v, 3), numeric=True),
            Column("check", "check"),
        ],
        "row_class": lambda r: "" if r["check"] == "ok" else "warn",
    }
    return section


def section_exclusions(wh: Warehouse) -> Section:
    section = Section("exclusions", "Linked-layer exclusions by reason")
    if not wh.has("audit.linked_exclusions"):
        section.missing = ("audit.linked_exclusions", "a dbt model")
        return section
    rows = wh.rows("""
        select linked_table, reason, count(*) as records
        from audit.linked_exclusions
        group by linked_table, reason
        order by linked_table, reason
    """)
    tables = sorted({str(r["linked_table"]) for r in rows})
    reasons = sorted({str(r["reason"]) for r in rows})
    values = {(str(r["linked_table"]), str(r["reason"])): float(r["records"]) for r in rows}
    section.data = {
        "chart": stacked_bar_chart(tables, reasons, values, title="Excluded records by linked table and reason"),
        "rows": rows,
        "columns": [
            Column("linked table", "linked_table"),
            Column("reason", "reason"),
            Column("records", "records", fmt_int, numeric=True),
        ],
    }
    return section


def section_disclosure(wh: Warehouse) -> Section:
    section = Section("disclosure", "Disclosure audit of the publication tables")
    if not wh.has("disclosure_audit.protection_intervals"):
        section.missing = ("disclosure_audit.protection_intervals", "written by `audit-disclosure` after dbt build")
        return section
    rows = wh.rows("""
        select
            model_name,
            count(*) filter (where suppression_reason = 'primary') as small_counts,
            count(*) filter (where suppression_reason = 'complement') as small_complements,
            min(width) as narrowest_interval,
            count(*) filter (where not can_be_zero) as cannot_be_zero,
            count(*) filter (where not is_protected) as narrowed
        from disclosure_audit.protection_intervals
        group by model_name
        order by model_name
    """)
    section.data = {
        "rows": rows,
        "narrowed": sum(int(r["narrowed"]) for r in rows),
        "columns": [
            Column("publication model", "model_name"),
            Column("counts suppressed as small", "small_counts", fmt_int, numeric=True),
            Column("for a small complement", "small_complements", fmt_int, numeric=True),
            Column("narrowest interval", "narrowest_interval", fmt_measure, numeric=True),
            Column("cannot be 0", "cannot_be_zero", fmt_int, numeric=True),
            Column("narrowed below the threshold", "narrowed", fmt_int, numeric=True),
        ],
    }
    return section


def _threshold(value: object) -> str:
    return f"{value:g}"


def section_linkage(wh: Warehouse) -> Section:
    section = Section("linkage", "Linkage quality")
    if not wh.has("evaluation.linkage_quality"):
        section.missing = ("evaluation.linkage_quality", "written by `evaluate-linkage` after dbt build")
        return section
    rows = wh.rows("select * from evaluation.linkage_quality order by scope, scope_value, match_threshold")
    measures = [
        Column("precision", "pairwise_precision", fmt_measure, numeric=True),
        Column("recall", "pairwise_recall", fmt_measure, numeric=True),
        Column("F1", "pairwise_f1", fmt_measure, numeric=True),
    ]
    merges = [
        Column("over-merged clusters", "over_merged_clusters", fmt_int, numeric=True),
        Column("under-merged people", "under_merged_persons", fmt_int, numeric=True),
    ]
    chosen = [r for r in rows if r["is_chosen_threshold"]]
    overall = [r for r in chosen if r["scope"] == "overall"]
    thresholds = [r for r in rows if r["scope"] == "overall"]
    scopes = []
    for scope, heading in (
        ("system_pair", "Per pair of systems"),
        ("sex", "Per sex"),
        ("ethnicity_group", "Per ethnic group"),
    ):
        scoped = [r for r in chosen if r["scope"] == scope]
        if not scoped:
            continue
        has_records = any(r["records"] is not None for r in scoped)
        scopes.append(
            {
                "heading": heading,
                "chart": dot_plot(
                    [
                        (
                            str(r["scope_value"]),
                            {
                                "precision": r["pairwise_precision"],
                                "recall": r["pairwise_recall"],
                                "F1": r["pairwise_f1"],
                            },
                        )
                        for r in scoped
                    ],
                    title=f"Linkage quality {heading.lower()}",
                ),
                "rows": scoped,
                "columns": [
                    Column(scope.replace("_", " "), "scope_value"),
                    *([Column("records", "records", fmt_int, numeric=True)] if has_records else []),
                    Column("true pairs", "true_pairs", fmt_int, numeric=True),
                    Column("predicted pairs", "predicted_pairs", fmt_int, numeric=True),
                    *measures,
                ],
            }
        )
    section.data = {
        "overall": overall,
        "overall_columns": [
            Column("threshold", "match_threshold", _threshold, numeric=True),
            Column("records", "records", fmt_int, numeric=True),
            Column("people found", "clusters", fmt_int, numeric=True),
            Column("real people", "persons", fmt_int, numeric=True),
            *measures,
            *merges,
        ],
        "threshold_chart": line_chart(
            [_threshold(r["match_threshold"]) for r in thresholds],
            {
                "precision": [r["pairwise_precision"] for r in thresholds],
                "recall": [r["pairwise_recall"] for r in thresholds],
                "F1": [r["pairwise_f1"] for r in thresholds],
            },
            title="Pairwise precision, recall and F1 over match thresholds",
            x_title="match threshold (dashed: the build's)",
            highlight=_threshold(overall[0]["match_threshold"]) if overall else None,
        ),
        "thresholds": thresholds,
        "threshold_columns": [Column("threshold", "match_threshold", _threshold, numeric=True), *measures, *merges],
        "threshold_class": lambda r: "chosen" if r["is_chosen_threshold"] else "",
        "scopes": scopes,
    }
    return section


def short_message(message: object) -> str:
    """dbt's message on one line, at most 300 characters."""
    text = " ".join(str(message or "").split())
    return text if len(text) <= 300 else text[:299] + "…"


def section_tests(wh: Warehouse) -> Section:
    section = Section("tests", "Test results of the last run")
    if not wh.has("audit.test_results"):
        section.missing = ("audit.test_results", HOOK_HINT)
        return section
    rows = wh.rows("select * from audit.test_results order by test_unique_id")
    counts: dict[str, int] = {}
    by_type: dict[str, int] = {}
    for row in rows:
        counts[str(row["status"])] = counts.get(str(row["status"]), 0) + 1
        by_type[str(row["test_type"])] = by_type.get(str(row["test_type"]), 0) + 1
    statuses = [s for s in STATUS_COLOURS if s in counts] + sorted(set(counts) - set(STATUS_COLOURS))
    order = {"error": 0, "fail": 1, "warn": 2, "skipped": 3}
    problems = sorted(
        (r for r in rows if r["status"] != "pass"),
        key=lambda r: (order.get(str(r["status"]), 9), str(r["attached_name"] or ""), str(r["test_name"])),
    )
    section.data = {
        "total": len(rows),
        "by_type": sorted(by_type.items()),
        "run": rows[0] if rows else {},
        "chart": bar_chart(
            [Bar(s, float(counts[s]), STATUS_COLOURS.get(s, PALETTE[7])) for s in statuses], title="Tests by status"
        ),
        "shown": [r for r in problems if r["status"] != "skipped"],
        "skipped": [r for r in problems if r["status"] == "skipped"],
        "columns": [
            Column("status", "status", nowrap=True),
            Column("test", "test_name"),
            Column("type", "test_type", nowrap=True),
            Column("on", "attached_name"),
            Column("column", "column_name"),
            Column("failing rows", "failures", fmt_int, numeric=True),
            Column("message", "message", short_message),
        ],
        "row_class": lambda r: str(r["status"]),
    }
    return section


def section_profiles(wh: Warehouse) -> Section:
    section = Section("profiles", "Column profiles of the public models")
    if not wh.has("audit.column_profiles"):
        section.missing = ("audit.column_profiles", HOOK_HINT)
        return section
    rows = wh.rows("select * from audit.column_profiles order by model_name, column_position")
    models: dict[str, list[Row]] = {}
    for row in rows:
        models.setdefault(str(row["model_name"]), []).append(row)

    def withheld(value: object) -> str:
        return "withheld" if value is None else str(value)

    section.data = {
        "models": [
            {
                "name": model,
                "relation": columns[0]["relation_name"],
                "row_count": columns[0]["row_count"],
                "rows": columns,
                "chart": bar_chart(
                    [
                        Bar(
                            str(c["column_name"]),
                            float(c["null_share"] or 0),
                            STATUS_COLOURS["warn"] if (c["null_share"] or 0) >= 0.5 else PALETTE[0],
                        )
                        for c in columns
                    ],
                    title=f"Null share of {columns[0]['relation_name']}",
                    value_format=fmt_share,
                    max_value=1.0,
                ),
            }
            for model, columns in models.items()
        ],
        "columns": [
            Column("column", "column_name"),
            Column("type", "data_type"),
            Column("nulls", "null_count", fmt_int, numeric=True),
            Column("null share", "null_share", fmt_share, numeric=True),
            Column("distinct", "distinct_count", fmt_int, numeric=True),
            Column("min", "min_value", withheld),
            Column("max", "max_value", withheld),
        ],
    }
    return section


def summary_cards(wh: Warehouse) -> list[tuple[str, str]]:
    cards: list[tuple[str, str]] = []
    if wh.has("audit.row_counts"):
        relations, rows = wh.rows("select count(*) as n, sum(row_count) as r from audit.row_counts")[0].values()
        cards.append((fmt_int(relations), "relations"))
        cards.append((fmt_int(rows or 0), "rows in the warehouse"))
    if wh.has("audit.staging_reconciliation"):
        raw, quarantined = wh.rows(
            "select sum(raw_rows) as raw, sum(quarantined_rows) as q from audit.staging_reconciliation"
        )[0].values()
        cards.append((fmt_share((quarantined or 0) / raw if raw else None, 2), "of raw rows quarantined"))
    if wh.has("evaluation.linkage_quality"):
        overall = wh.rows(
            "select pairwise_precision as p, pairwise_recall as r from evaluation.linkage_quality "
            "where scope = 'overall' and is_chosen_threshold"
        )
        if overall:
            cards.append((f"{overall[0]['p']:.4f}", "linkage precision"))
            cards.append((f"{overall[0]['r']:.4f}", "linkage recall"))
    if wh.has("audit.test_results"):
        statuses = {
            r["status"]: r["n"] for r in wh.rows("select status, count(*) as n from audit.test_results group by status")
        }
        cards.append((f"{fmt_int(statuses.get('pass', 0))} / {fmt_int(sum(statuses.values()))}", "tests passed"))
        not_passing = sum(n for s, n in statuses.items() if s in ("fail", "error"))
        cards.append((fmt_int(not_passing), "tests failed or errored"))
    return cards


SECTIONS = (
    section_row_counts,
    section_quarantine,
    section_reconciliation,
    section_exclusions,
    section_linkage,
    section_disclosure,
    section_tests,
    section_profiles,
)


def environment() -> jinja2.Environment:
    """The report's templates (package data), HTML-escaped, with the formatting filters."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("repeat_offending_tools", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        fmt_int=fmt_int,
        fmt_share=fmt_share,
        wrap_underscores=lambda text: Markup("_<wbr>").join(str(text).split("_")),
    )
    return env


def render(
    database: Path,
    generated_at: dt.datetime,
    wh: Warehouse | None,
    release_id: str | None = None,
) -> str:
    """The report of the warehouse ``wh`` (None: no warehouse at ``database``, a placeholder page)."""
    return (
        environment()
        .get_template("report.html.j2")
        .render(
            database=database,
            generated_at=generated_at,
            release_id=release_id,
            warehouse_found=wh is not None,
            cards=summary_cards(wh) if wh is not None else [],
            sections=[build(wh) for build in SECTIONS] if wh is not None else [],
        )
    )


def write_report(database: Path, output: Path, copy_to: Path | None = None, release_id: str | None = None) -> Path:
    """Render the report of `database` into `output` (and a copy in `copy_to`); returns `output`."""
    generated_at = dt.datetime.now(dt.UTC)
    if database.exists():
        con = duckdb.connect(str(database), read_only=True)
        try:
            document = render(database, generated_at, Warehouse(con), release_id)
        finally:
            con.close()
    else:
        document = render(database, generated_at, None, release_id)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(document, encoding="utf-8")
    if copy_to is not None:
        copy_to.mkdir(parents=True, exist_ok=True)
        shutil.copy2(output, copy_to / REPORT_NAME)
    return output


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="quality-report", description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database", type=Path, required=True, help="the DuckDB warehouse, e.g. data/warehouse.duckdb")
    parser.add_argument("--output", type=Path, default=PROJECT_ROOT / "target" / REPORT_NAME)
    parser.add_argument("--copy-to", type=Path, default=None, help="also copy the report into this folder")
    parser.add_argument("--release-id", default=None, help="the release the warehouse is (named in the header)")
    args = parser.parse_args(argv)
    if not args.database.exists():
        print(f"quality-report: no warehouse at {args.database}; writing a placeholder report", file=sys.stderr)
    output = write_report(args.database, args.output, args.copy_to, args.release_id)
    print(f"quality-report: wrote {output}" + (f" and a copy in {args.copy_to}" if args.copy_to else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
