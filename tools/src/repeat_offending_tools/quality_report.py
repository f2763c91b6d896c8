"""Render the data-quality summary of a built warehouse as one offline HTML file with inline SVG charts.

Reads the audit schema of a DuckDB warehouse (read-only): row counts per layer (`audit.row_counts`), quarantine
by source table and reason (`audit.quarantine_summary`), staging reconciliation, linked-layer exclusions,
linkage quality (`evaluation.linkage_quality`), the last run's test results (`audit.test_results`) and the column
profiles of the public models (`audit.column_profiles`). The row counts, test results and column profiles are
written by the project's on-run-end hooks, linkage quality by `evaluate-linkage`. A missing table
gives a note in its section, not an error. The page needs no network: no scripts, styles or fonts are fetched;
the charts are SVG written here.

`make build` writes target/data_quality_report.html (next to the dbt docs, whose overview links to it) and a
copy in the release's reports/ folder.

Usage: quality-report --database DATA_DIR/warehouse.duckdb
       [--output target/data_quality_report.html] [--copy-to FOLDER] [--release-id ID]
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import math
import shutil
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from repeat_offending.project import PROJECT_ROOT

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
LAYER_ORDER = (
    "reference",
    "staging_checks",
    "staging",
    "linkage",
    "linked_checks",
    "linked",
    "snapshots",
    "derived_int",
    "derived",
    "publication_int",
    "publication",
    "research",
    "audit",
    "other",
)
# audit.staging_reconciliation's thresholds (models/audit/_audit__models.yml).
QUARANTINE_WARN_SHARE = 0.005
QUARANTINE_ERROR_SHARE = 0.05

FONT = "font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif"


# --- formatting ----------------------------------------------------------------------------------------


def esc(value: object) -> str:
    return html.escape("" if value is None else str(value))


def fmt_int(value: object) -> str:
    return "-" if value is None else f"{int(value):,}"


def fmt_share(value: object, digits: int = 2) -> str:
    return "-" if value is None else f"{float(value) * 100:.{digits}f}%"


def fmt_measure(value: object) -> str:
    return "-" if value is None else f"{float(value):.5f}"


def text_width(text: str, size: float = 12) -> float:
    """A rough width of `text` in pixels (no font metrics offline): enough to lay labels out."""
    return len(text) * size * 0.58


# --- SVG charts ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    """One bar of a horizontal bar chart."""

    label: str
    value: float
    colour: str = PALETTE[0]
    note: str = ""


def svg_open(width: float, height: float, title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" role="img" style="{FONT};font-size:12px">'
        f"<title>{esc(title)}</title>"
    )


def nice_max(value: float) -> float:
    """The smallest 1, 2, 4, 5, 6 or 8 times a power of ten at or above `value` (quarter ticks stay round)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 4, 5, 6, 8, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def axis_ticks(low: float, high: float, *, count: int = 5) -> tuple[list[float], int]:
    """Round ticks spanning [low, high] (about `count` intervals) and the decimals their labels need."""
    span = max(high - low, 1e-9)
    raw = span / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if raw <= m * power * (1 + 1e-9))
    first = math.floor(low / step + 1e-9) * step
    last = math.ceil(high / step - 1e-9) * step
    ticks = [first + i * step for i in range(round((last - first) / step) + 1)]
    decimals = max(0, -math.floor(math.log10(step) + 1e-9)) + (1 if round(step / power, 1) == 2.5 else 0)
    return ticks, decimals


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    value_format: Callable[[float], str] = fmt_int,
    max_value: float | None = None,
    reference_lines: Sequence[tuple[float, str]] = (),
    width: int = 820,
) -> str:
    """A horizontal bar chart: one labelled bar per item, its value at the end of the bar."""
    if not bars:
        return '<p class="note">Nothing to chart.</p>'
    row_height, top, bottom = 22, 8, 26
    label_width = min(300.0, max(text_width(b.label) for b in bars) + 12)
    value_width = max(text_width(value_format(b.value) + ("  " + b.note if b.note else "")) for b in bars) + 16
    plot_width = max(120.0, width - label_width - value_width)
    scale_max = max_value or nice_max(max(max(b.value for b in bars), *(line for line, _ in reference_lines), 0.0))
    height = top + row_height * len(bars) + bottom
    parts = [svg_open(width, height, title)]
    for tick in range(5):
        x = label_width + plot_width * tick / 4
        parts.append(
            f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{height - bottom}" stroke="#e0e0e0"/>'
            f'<text x="{x:.1f}" y="{height - bottom + 15}" text-anchor="middle" fill="#666">'
            f"{esc(value_format(scale_max * tick / 4))}</text>"
        )
    for index, bar in enumerate(bars):
        y = top + index * row_height
        bar_width = plot_width * max(bar.value, 0.0) / scale_max if scale_max else 0.0
        label = f"{value_format(bar.value)}  {bar.note}".rstrip()
        parts.append(
            f'<text x="{label_width - 8:.1f}" y="{y + 15}" text-anchor="end">{esc(bar.label)}</text>'
            f'<rect x="{label_width:.1f}" y="{y + 4}" width="{max(bar_width, 1.0):.1f}" height="{row_height - 8}" '
            f'fill="{bar.colour}"><title>{esc(bar.label)}: {esc(label)}</title></rect>'
            f'<text x="{label_width + bar_width + 6:.1f}" y="{y + 15}" fill="#333">{esc(label)}</text>'
        )
    for value, name in reference_lines:
        x = label_width + plot_width * value / scale_max
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - bottom}" stroke="#c62828" '
            f'stroke-dasharray="4 3"/><text x="{x + 3:.1f}" y="{height - 2}" fill="#c62828">{esc(name)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def legend(items: Sequence[tuple[str, str]], width: int, top: float = 4) -> tuple[str, float]:
    """Legend swatches laid out in rows; returns the SVG and the height it takes."""
    parts: list[str] = []
    x, y = 0.0, top
    for name, colour in items:
        item_width = 22 + text_width(name) + 14
        if x + item_width > width and x > 0:
            x, y = 0.0, y + 18
        parts.append(
            f'<rect x="{x:.1f}" y="{y}" width="12" height="12" fill="{colour}"/>'
            f'<text x="{x + 17:.1f}" y="{y + 10}">{esc(name)}</text>'
        )
        x += item_width
    return "".join(parts), y + 18 - top + 6


def stacked_bar_chart(
    categories: Sequence[str],
    series: Sequence[str],
    values: dict[tuple[str, str], float],
    *,
    title: str,
    value_format: Callable[[float], str] = fmt_int,
    width: int = 820,
) -> str:
    """Horizontal bars, one per category, stacked by series, with the total at the end and a legend above."""
    if not categories:
        return '<p class="note">Nothing to chart.</p>'
    colours = {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(series)}
    legend_svg, legend_height = legend([(name, colours[name]) for name in series], width)
    row_height, bottom = 24, 26
    top = legend_height + 8
    totals = {c: sum(values.get((c, s), 0.0) for s in series) for c in categories}
    label_width = min(300.0, max(text_width(c) for c in categories) + 12)
    value_width = max(text_width(value_format(t)) for t in totals.values()) + 16
    plot_width = width - label_width - value_width
    scale_max = nice_max(max(totals.values()))
    height = top + row_height * len(categories) + bottom
    parts = [svg_open(width, height, title), legend_svg]
    for tick in range(5):
        x = label_width + plot_width * tick / 4
        parts.append(
            f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{height - bottom}" stroke="#e0e0e0"/>'
            f'<text x="{x:.1f}" y="{height - bottom + 15}" text-anchor="middle" fill="#666">'
            f"{esc(value_format(scale_max * tick / 4))}</text>"
        )
    for index, category in enumerate(categories):
        y = top + index * row_height
        x = label_width
        parts.append(f'<text x="{label_width - 8:.1f}" y="{y + 16}" text-anchor="end">{esc(category)}</text>')
        for name in series:
            value = values.get((category, name), 0.0)
            if value <= 0:
                continue
            segment = plot_width * value / scale_max
            parts.append(
                f'<rect x="{x:.1f}" y="{y + 4}" width="{segment:.1f}" height="{row_height - 8}" '
                f'fill="{colours[name]}"><title>{esc(category)} / {esc(name)}: {esc(value_format(value))}</title>'
                "</rect>"
            )
            x += segment
        parts.append(f'<text x="{x + 6:.1f}" y="{y + 16}" fill="#333">{esc(value_format(totals[category]))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def line_chart(
    x_labels: Sequence[str],
    series: dict[str, Sequence[float | None]],
    *,
    title: str,
    x_title: str,
    highlight: str | None = None,
    width: int = 820,
    height: int = 300,
) -> str:
    """Lines over categorical x values (evenly spaced), with a y axis zoomed onto the data."""
    present = [v for values in series.values() for v in values if v is not None]
    if not x_labels or not present:
        return '<p class="note">Nothing to chart.</p>'
    colours = {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(series)}
    legend_svg, legend_height = legend([(name, colours[name]) for name in series], width)
    left, right, top, bottom = 70.0, 20.0, legend_height + 10, 44.0
    low, high = min(present), max(present)
    span = max(high - low, 0.001)
    ticks, decimals = axis_ticks(max(0.0, low - span * 0.1), min(1.0, high + span * 0.1) if high <= 1 else high)
    y_min, y_max = ticks[0], ticks[-1]
    plot_w, plot_h = width - left - right, height - top - bottom

    def px(index: int) -> float:
        return left + (plot_w * index / (len(x_labels) - 1) if len(x_labels) > 1 else plot_w / 2)

    def py(value: float) -> float:
        return top + plot_h * (1 - (value - y_min) / (y_max - y_min))

    parts = [svg_open(width, height, title), legend_svg]
    for value in ticks:
        y = py(value)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#e0e0e0"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#666">{value:.{decimals}f}</text>'
        )
    for index, label in enumerate(x_labels):
        x = px(index)
        if label == highlight:
            parts.append(
                f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + plot_h}" stroke="#555" stroke-dasharray="4 3"/>'
            )
        weight = "bold" if label == highlight else "normal"
        parts.append(
            f'<text x="{x:.1f}" y="{top + plot_h + 16}" text-anchor="middle" font-weight="{weight}">{esc(label)}</text>'
        )
    parts.append(
        f'<text x="{left + plot_w / 2:.1f}" y="{height - 6}" text-anchor="middle" fill="#666">{esc(x_title)}</text>'
    )
    for name, values in series.items():
        points = [(px(i), py(v), v) for i, v in enumerate(values) if v is not None]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{colours[name]}" stroke-width="2"/>')
        for (x, y, v), label in zip(points, x_labels, strict=False):
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colours[name]}">'
                f"<title>{esc(name)} at {esc(label)}: {v:.5f}</title></circle>"
            )
    parts.append("</svg>")
    return "".join(parts)


def dot_plot(
    rows: Sequence[tuple[str, dict[str, float | None]]],
    *,
    title: str,
    width: int = 820,
) -> str:
    """One row per group with a dot per measure on a shared axis zoomed onto the data (precision, recall...)."""
    measures = list(dict.fromkeys(m for _, values in rows for m in values))
    present = [v for _, values in rows for v in values.values() if v is not None]
    if not rows or not present:
        return '<p class="note">Nothing to chart.</p>'
    colours = {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(measures)}
    legend_svg, legend_height = legend([(name, colours[name]) for name in measures], width)
    row_height, bottom = 20, 26
    top = legend_height + 8
    label_width = min(260.0, max(text_width(label) for label, _ in rows) + 12)
    plot_w = width - label_width - 40
    low = min(present)
    ticks, decimals = axis_ticks(max(0.0, min(low, 0.999) - (1 - min(low, 0.999)) * 0.05), 1.0)
    x_min, x_max = ticks[0], ticks[-1]
    height = top + row_height * len(rows) + bottom

    def px(value: float) -> float:
        return label_width + plot_w * (value - x_min) / (x_max - x_min)

    parts = [svg_open(width, height, title), legend_svg]
    for value in ticks:
        x = px(value)
        parts.append(
            f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{height - bottom}" stroke="#e0e0e0"/>'
            f'<text x="{x:.1f}" y="{height - bottom + 15}" text-anchor="middle" fill="#666">'
            f"{value:.{decimals}f}</text>"
        )
    for index, (label, values) in enumerate(rows):
        y = top + index * row_height + row_height / 2
        parts.append(
            f'<text x="{label_width - 8:.1f}" y="{y + 4:.1f}" text-anchor="end">{esc(label)}</text>'
            f'<line x1="{label_width:.1f}" y1="{y:.1f}" x2="{label_width + plot_w:.1f}" y2="{y:.1f}" stroke="#f3f3f3"/>'
        )
        for name in measures:
            value = values.get(name)
            if value is None:
                continue
            parts.append(
                f'<circle cx="{px(max(value, x_min)):.1f}" cy="{y:.1f}" r="4.5" fill="{colours[name]}" '
                f'fill-opacity="0.85"><title>{esc(label)} {esc(name)}: {value:.5f}</title></circle>'
            )
    parts.append("</svg>")
    return "".join(parts)


# --- tables --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A column of an HTML table: header, key in the row, formatter, and whether it is numeric."""

    header: str
    key: str
    formatter: Callable[[Any], str] = esc
    numeric: bool = False
    nowrap: bool = False

    @property
    def css(self) -> str:
        return " ".join(name for name, on in (("num", self.numeric), ("nowrap", self.nowrap)) if on)


def html_table(rows: Sequence[Row], columns: Sequence[Column], row_class: Callable[[Row], str] | None = None) -> str:
    if not rows:
        return '<p class="note">No rows.</p>'
    head = "".join(f'<th class="{c.css}">{esc(c.header)}</th>' for c in columns)
    body = []
    for row in rows:
        cls = row_class(row) if row_class else ""
        cells = "".join(f'<td class="{c.css}">{esc(c.formatter(row.get(c.key)))}</td>' for c in columns)
        body.append(f'<tr class="{cls}">{cells}</tr>')
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def pivot_table(
    rows: Sequence[str], columns: Sequence[str], values: dict[tuple[str, str], float], *, corner: str
) -> str:
    """Counts with one row per `rows` item and one column per `columns` item, and totals."""
    if not rows:
        return ""
    head = f'<th class="nowrap">{esc(corner)}</th>' + "".join(
        f'<th class="num wrap">{esc(c).replace("_", "_<wbr>")}</th>' for c in columns
    )
    body = []
    for row in rows:
        cells = "".join(
            f'<td class="num">{esc(fmt_int(values[(row, c)]) if (row, c) in values else "")}</td>' for c in columns
        )
        total = sum(values.get((row, c), 0.0) for c in columns)
        body.append(
            f'<tr><td class="nowrap">{esc(row)}</td>{cells}<td class="num"><b>{esc(fmt_int(total))}</b></td></tr>'
        )
    totals = "".join(
        f'<td class="num"><b>{esc(fmt_int(sum(values.get((r, c), 0.0) for r in rows)))}</b></td>' for c in columns
    )
    grand = fmt_int(sum(values.values()))
    return (
        f'<div class="scroll"><table><thead><tr>{head}<th class="num">total</th></tr></thead><tbody>{"".join(body)}'
        f'<tr><td><b>total</b></td>{totals}<td class="num"><b>{esc(grand)}</b></td></tr></tbody></table></div>'
    )


# --- the warehouse -------------------------------------------------------------------------------------


class Warehouse:
    """Read-only access to the audit tables of a DuckDB warehouse."""

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
    """One section of the report."""

    anchor: str
    title: str
    body: str


def missing(table: str, how: str) -> str:
    return f'<p class="note">Not available: <code>{esc(table)}</code> is not in the warehouse ({esc(how)}).</p>'


HOOK_HINT = "it is written by the on-run-end hooks of dbt build"


def section_row_counts(wh: Warehouse) -> Section:
    title = "Row counts per layer"
    if not wh.has("audit.row_counts"):
        return Section("row-counts", title, missing("audit.row_counts", HOOK_HINT))
    rows = wh.rows("select * from audit.row_counts order by layer, relation_name")
    layers: dict[str, list[Row]] = {}
    for row in rows:
        layers.setdefault(str(row["layer"]), []).append(row)
    ordered = sorted(layers, key=lambda name: LAYER_ORDER.index(name) if name in LAYER_ORDER else len(LAYER_ORDER))
    bars = [
        Bar(
            label=layer,
            value=float(sum(int(r["row_count"]) for r in layers[layer])),
            colour=PALETTE[i % len(PALETTE)],
            note=f"({len(layers[layer])} relations)",
        )
        for i, layer in enumerate(ordered)
    ]
    body = [
        "<p>Rows in every model, seed and snapshot relation of the warehouse at the end of the last build, by "
        "layer (schema family). Views (<code>staging_checks</code>, <code>linked_checks</code>) are counted by "
        "running them.</p>",
        bar_chart(bars, title="Rows per layer"),
        "<details><summary>Every relation</summary>",
        html_table(
            rows,
            [
                Column("layer", "layer"),
                Column("relation", "relation_name"),
                Column("type", "materialization"),
                Column("rows", "row_count", fmt_int, numeric=True),
            ],
        ),
        "</details>",
    ]
    return Section("row-counts", title, "".join(body))


def section_quarantine(wh: Warehouse) -> Section:
    title = "Quarantine by source table and reason"
    if not wh.has("audit.quarantine_summary"):
        return Section("quarantine", title, missing("audit.quarantine_summary", "a dbt model: run dbt build"))
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
    body = [
        "<p>Raw rows staging could not use safely, by source table and the first reason that applies "
        "(<code>audit.quarantine</code>; the raw rows are kept there as JSON).</p>",
        stacked_bar_chart(tables, reasons, values, title="Quarantined rows by source table and reason"),
        pivot_table(tables, reasons, values, corner="source table"),
        "<details><summary>By source table and reason, with shares</summary>",
        html_table(
            rows,
            [
                Column("source table", "source_table"),
                Column("reason", "reason"),
                Column("quarantined rows", "quarantined_rows", fmt_int, numeric=True),
                Column("raw rows", "raw_rows", fmt_int, numeric=True),
                Column("share of raw rows", "share_of_raw_rows", lambda v: fmt_share(v, 3), numeric=True),
                Column("share of the table's quarantine", "share_of_quarantined_rows", fmt_share, numeric=True),
            ],
        ),
        "</details>",
    ]
    return Section("quarantine", title, "".join(body))


def section_reconciliation(wh: Warehouse) -> Section:
    title = "Staging reconciliation"
    if not wh.has("audit.staging_reconciliation"):
        return Section("reconciliation", title, missing("audit.staging_reconciliation", "a dbt model"))
    rows = wh.rows("select * from audit.staging_reconciliation order by source_table")
    for row in rows:
        share = float(row["quarantined_share"] or 0)
        balanced = row["raw_rows"] == row["staged_rows"] + row["quarantined_rows"]
        row["check"] = (
            "does not reconcile"
            if not balanced
            else "above the error threshold"
            if share > QUARANTINE_ERROR_SHARE
            else "above the warning threshold"
            if share > QUARANTINE_WARN_SHARE
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
    body = [
        "<p>For every raw table, raw rows = staged rows + quarantined rows (a test on each source). A table warns "
        f"above {fmt_share(QUARANTINE_WARN_SHARE, 1)} quarantined and fails above "
        f"{fmt_share(QUARANTINE_ERROR_SHARE, 0)}.</p>",
        bar_chart(
            bars,
            title="Quarantined share of raw rows",
            value_format=lambda v: fmt_share(v, 2),
            max_value=nice_max(max(largest, QUARANTINE_WARN_SHARE) * 1.1),
            reference_lines=[(QUARANTINE_WARN_SHARE, "warning threshold")],
        ),
        html_table(
            rows,
            [
                Column("source table", "source_table"),
                Column("raw rows", "raw_rows", fmt_int, numeric=True),
                Column("staged rows", "staged_rows", fmt_int, numeric=True),
                Column("quarantined rows", "quarantined_rows", fmt_int, numeric=True),
                Column("quarantined share", "quarantined_share", lambda v: fmt_share(v, 3), numeric=True),
                Column("check", "check"),
            ],
            row_class=lambda r: "" if r["check"] == "ok" else "warn",
        ),
    ]
    return Section("reconciliation", title, "".join(body))


def section_exclusions(wh: Warehouse) -> Section:
    title = "Linked-layer exclusions by reason"
    if not wh.has("audit.linked_exclusions"):
        return Section("exclusions", title, missing("audit.linked_exclusions", "a dbt model"))
    rows = wh.rows("""
        select linked_table, reason, count(*) as records
        from audit.linked_exclusions
        group by linked_table, reason
        order by linked_table, reason
    """)
    tables = sorted({str(r["linked_table"]) for r in rows})
    reasons = sorted({str(r["reason"]) for r in rows})
    values = {(str(r["linked_table"]), str(r["reason"])): float(r["records"]) for r in rows}
    body = [
        "<p>Staged records left out of a linked event table (<code>audit.linked_exclusions</code>): events whose "
        "person record was quarantined, and proven offences that break the methodology's data rules.</p>",
        stacked_bar_chart(tables, reasons, values, title="Excluded records by linked table and reason")
        if rows
        else '<p class="note">No record was excluded.</p>',
        html_table(
            rows,
            [
                Column("linked table", "linked_table"),
                Column("reason", "reason"),
                Column("records", "records", fmt_int, numeric=True),
            ],
        ),
    ]
    return Section("exclusions", title, "".join(body))


def section_linkage(wh: Warehouse) -> Section:
    title = "Linkage quality"
    if not wh.has("evaluation.linkage_quality"):
        return Section(
            "linkage", title, missing("evaluation.linkage_quality", "written by `evaluate-linkage` after dbt build")
        )
    rows = wh.rows("select * from evaluation.linkage_quality order by scope, scope_value, match_threshold")
    measures = [
        Column("precision", "pairwise_precision", fmt_measure, numeric=True),
        Column("recall", "pairwise_recall", fmt_measure, numeric=True),
        Column("F1", "pairwise_f1", fmt_measure, numeric=True),
    ]
    chosen = [r for r in rows if r["is_chosen_threshold"]]
    overall = [r for r in chosen if r["scope"] == "overall"]
    thresholds = [r for r in rows if r["scope"] == "overall"]
    chosen_label = f"{overall[0]['match_threshold']:g}" if overall else None
    body = [
        "<p>Pairwise precision, recall and F1 of person linkage against the synthetic world's ground truth "
        "(<code>evaluation.linkage_quality</code>): a true pair is two records of the same real person, a predicted "
        "pair two records given the same person id.</p>",
        "<h3>Overall, at the build's match threshold</h3>",
        html_table(
            overall,
            [
                Column("threshold", "match_threshold", lambda v: f"{v:g}", numeric=True),
                Column("records", "records", fmt_int, numeric=True),
                Column("people found", "clusters", fmt_int, numeric=True),
                Column("real people", "persons", fmt_int, numeric=True),
                *measures,
                Column("over-merged clusters", "over_merged_clusters", fmt_int, numeric=True),
                Column("under-merged people", "under_merged_persons", fmt_int, numeric=True),
            ],
        ),
        "<h3>Over match thresholds</h3>",
        line_chart(
            [f"{r['match_threshold']:g}" for r in thresholds],
            {
                "precision": [r["pairwise_precision"] for r in thresholds],
                "recall": [r["pairwise_recall"] for r in thresholds],
                "F1": [r["pairwise_f1"] for r in thresholds],
            },
            title="Pairwise precision, recall and F1 over match thresholds",
            x_title="match threshold (dashed: the build's)",
            highlight=chosen_label,
        ),
        html_table(
            thresholds,
            [
                Column("threshold", "match_threshold", lambda v: f"{v:g}", numeric=True),
                *measures,
                Column("over-merged clusters", "over_merged_clusters", fmt_int, numeric=True),
                Column("under-merged people", "under_merged_persons", fmt_int, numeric=True),
            ],
            row_class=lambda r: "chosen" if r["is_chosen_threshold"] else "",
        ),
    ]
    scopes = (("system_pair", "Per pair of systems"), ("sex", "Per sex"), ("ethnicity_group", "Per ethnic group"))
    for scope, heading in scopes:
        scoped = [r for r in chosen if r["scope"] == scope]
        if not scoped:
            continue
        body.append(f"<h3>{esc(heading)}</h3>")
        body.append(
            dot_plot(
                [
                    (
                        str(r["scope_value"]),
                        {"precision": r["pairwise_precision"], "recall": r["pairwise_recall"], "F1": r["pairwise_f1"]},
                    )
                    for r in scoped
                ],
                title=f"Linkage quality {heading.lower()}",
            )
        )
        has_records = any(r["records"] is not None for r in scoped)
        body.append(
            html_table(
                scoped,
                [
                    Column(scope.replace("_", " "), "scope_value"),
                    *([Column("records", "records", fmt_int, numeric=True)] if has_records else []),
                    Column("true pairs", "true_pairs", fmt_int, numeric=True),
                    Column("predicted pairs", "predicted_pairs", fmt_int, numeric=True),
                    *measures,
                ],
            )
        )
    return Section("linkage", title, "".join(body))


def short_message(message: object) -> str:
    """dbt's message on one line, at most 300 characters."""
    text = " ".join(str(message or "").split())
    return text if len(text) <= 300 else text[:299] + "…"


def section_tests(wh: Warehouse) -> Section:
    title = "Test results of the last run"
    if not wh.has("audit.test_results"):
        return Section("tests", title, missing("audit.test_results", HOOK_HINT))
    rows = wh.rows("select * from audit.test_results order by test_unique_id")
    counts: dict[str, int] = {}
    for row in rows:
        counts[str(row["status"])] = counts.get(str(row["status"]), 0) + 1
    statuses = [s for s in STATUS_COLOURS if s in counts] + sorted(set(counts) - set(STATUS_COLOURS))
    bars = [Bar(s, float(counts[s]), STATUS_COLOURS.get(s, PALETTE[7])) for s in statuses]
    by_type: dict[str, int] = {}
    for row in rows:
        by_type[str(row["test_type"])] = by_type.get(str(row["test_type"]), 0) + 1
    run = rows[0] if rows else {}
    order = {"error": 0, "fail": 1, "warn": 2, "skipped": 3}
    problems = sorted(
        (r for r in rows if r["status"] != "pass"),
        key=lambda r: (order.get(str(r["status"]), 9), str(r["attached_name"] or ""), str(r["test_name"])),
    )
    shown = [r for r in problems if r["status"] != "skipped"]
    skipped = [r for r in problems if r["status"] == "skipped"]
    test_columns = [
        Column("status", "status", nowrap=True),
        Column("test", "test_name"),
        Column("type", "test_type", nowrap=True),
        Column("on", "attached_name"),
        Column("column", "column_name"),
        Column("failing rows", "failures", fmt_int, numeric=True),
        Column("message", "message", short_message),
    ]
    body = [
        f"<p>{fmt_int(len(rows))} tests ("
        + ", ".join(f"{fmt_int(n)} {esc(t)}" for t, n in sorted(by_type.items()))
        + f") ran in the last <code>dbt {esc(run.get('command', ''))}</code>, invocation "
        f"<code>{esc(run.get('invocation_id', ''))}</code> started {esc(run.get('run_started_at', ''))} UTC "
        "(<code>audit.test_results</code>).</p>",
        bar_chart(bars, title="Tests by status"),
        "<h3>Failing, warning and erroring tests</h3>",
        html_table(shown, test_columns, row_class=lambda r: str(r["status"]))
        if shown
        else '<p class="note">Every test that ran passed.</p>',
    ]
    if skipped:
        body.append(f"<details><summary>{fmt_int(len(skipped))} skipped tests (an upstream node failed)</summary>")
        body.append(html_table(skipped, test_columns[:5]))
        body.append("</details>")
    return Section("tests", title, "".join(body))


def section_profiles(wh: Warehouse) -> Section:
    title = "Column profiles of the public models"
    if not wh.has("audit.column_profiles"):
        return Section("profiles", title, missing("audit.column_profiles", HOOK_HINT))
    rows = wh.rows("select * from audit.column_profiles order by model_name, column_position")
    if not rows:
        return Section("profiles", title, '<p class="note">No public model has been built yet.</p>')
    models: dict[str, list[Row]] = {}
    for row in rows:
        models.setdefault(str(row["model_name"]), []).append(row)
    body = [
        "<p>Every column of every public model (<code>access: public</code>): nulls, distinct values and the "
        "range (<code>audit.column_profiles</code>). Minimum and maximum are withheld for columns marked "
        "<code>contains_pii</code>.</p>"
    ]
    for model, columns in models.items():
        relation = columns[0]["relation_name"]
        body.append(
            f'<h3 id="profile-{esc(model)}">{esc(relation)} <span class="muted">({fmt_int(columns[0]["row_count"])} '
            f"rows, {len(columns)} columns)</span></h3>"
        )
        bars = [
            Bar(
                str(c["column_name"]),
                float(c["null_share"] or 0),
                STATUS_COLOURS["warn"] if (c["null_share"] or 0) >= 0.5 else PALETTE[0],
            )
            for c in columns
        ]
        body.append(bar_chart(bars, title=f"Null share of {relation}", value_format=fmt_share, max_value=1.0))
        body.append("<details><summary>Profile table</summary>")
        body.append(
            html_table(
                columns,
                [
                    Column("column", "column_name"),
                    Column("type", "data_type"),
                    Column("nulls", "null_count", fmt_int, numeric=True),
                    Column("null share", "null_share", fmt_share, numeric=True),
                    Column("distinct", "distinct_count", fmt_int, numeric=True),
                    Column("min", "min_value", lambda v: esc("withheld" if v is None else v)),
                    Column("max", "max_value", lambda v: esc("withheld" if v is None else v)),
                ],
            )
        )
        body.append("</details>")
    return Section("profiles", title, "".join(body))


# --- the page ------------------------------------------------------------------------------------------

CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;color:#212121;background:#fafafa}
header{background:#b71c1c;color:#fff;padding:18px 32px}
header h1{margin:0 0 4px;font-size:24px}
header p{margin:2px 0;opacity:.9}
nav{background:#fff;border-bottom:1px solid #ddd;padding:8px 32px;position:sticky;top:0}
nav a{margin-right:16px;color:#b71c1c;text-decoration:none;font-size:14px}
main{padding:8px 32px 40px;max-width:1200px}
section{background:#fff;border:1px solid #e0e0e0;border-radius:6px;padding:8px 20px 16px;margin:16px 0}
h2{color:#b71c1c;font-size:20px}h3{font-size:16px;margin:18px 0 6px}
table{border-collapse:collapse;margin:8px 0;font-size:13px}
th,td{border-bottom:1px solid #eee;padding:4px 10px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
td.nowrap,th.nowrap,td.num,th.num{overflow-wrap:normal;white-space:nowrap}
th.wrap{white-space:normal}
table{max-width:100%}
.scroll{overflow-x:auto;max-width:100%}.scroll table{max-width:none}
th{background:#f5f5f5}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
tr.fail td,tr.error td{background:#ffebee}tr.warn td{background:#fff8e1}tr.chosen td{font-weight:bold}
.note{color:#616161;font-style:italic}.muted{color:#757575;font-weight:normal}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}
.card{background:#fff;border:1px solid #e0e0e0;border-radius:6px;padding:10px 16px;min-width:150px}
.card b{display:block;font-size:22px}.card span{color:#616161;font-size:13px}
details{margin:8px 0}summary{cursor:pointer;color:#b71c1c}
code{background:#f5f5f5;padding:0 3px;border-radius:3px}
svg{display:block;margin:8px 0;max-width:100%;height:auto}
"""


def summary_cards(wh: Warehouse) -> str:
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
    if not cards:
        return ""
    return (
        '<div class="cards">'
        + "".join(f"<div class='card'><b>{esc(v)}</b><span>{esc(t)}</span></div>" for v, t in cards)
        + "</div>"
    )


def render_report(wh: Warehouse, database: Path, generated_at: dt.datetime, release_id: str | None = None) -> str:
    sections = [
        section_row_counts(wh),
        section_quarantine(wh),
        section_reconciliation(wh),
        section_exclusions(wh),
        section_linkage(wh),
        section_tests(wh),
        section_profiles(wh),
    ]
    return page(
        database,
        generated_at,
        summary_cards(wh)
        + "".join(f'<section id="{s.anchor}"><h2>{esc(s.title)}</h2>{s.body}</section>' for s in sections),
        [(s.anchor, s.title) for s in sections],
        release_id,
    )


def page(
    database: Path,
    generated_at: dt.datetime,
    content: str,
    nav: Sequence[tuple[str, str]],
    release_id: str | None = None,
) -> str:
    release = f"release <b>{esc(release_id)}</b>, " if release_id else ""
    links = "".join(f'<a href="#{a}">{esc(t)}</a>' for a, t in nav)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Data-quality report: repeat offending</title>
<style>{CSS}</style>
</head>
<body>
<header>
<h1>Data-quality report</h1>
<p>Repeat-offending warehouse {release}<code style="background:none;color:#fff">{esc(database)}</code>, report written
{esc(generated_at.strftime("%Y-%m-%d %H:%M"))} UTC. <b>All data is synthetic.</b></p>
<p><a href="index.html" style="color:#fff">Back to the dbt docs</a></p>
</header>
<nav>{links}</nav>
<main>
{content}
<p class="note">Written by <code>quality-report</code> from the audit schema; rebuilt by every
<code>make build</code>.</p>
</main>
</body>
</html>
"""


def write_report(database: Path, output: Path, copy_to: Path | None = None, release_id: str | None = None) -> Path:
    """Render the report of `database` into `output` (and a copy in `copy_to`); returns `output`."""
    generated_at = dt.datetime.now(dt.UTC)
    if database.exists():
        con = duckdb.connect(str(database), read_only=True)
        try:
            document = render_report(Warehouse(con), database, generated_at, release_id)
        finally:
            con.close()
    else:
        document = page(
            database,
            generated_at,
            f'<section><p class="note">No warehouse at <code>{esc(database)}</code>: run <code>make build</code>.'
            "</p></section>",
            [],
        )
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(document, encoding="utf-8")
    if copy_to is not None:
        copy_to.mkdir(parents=True, exist_ok=True)
        shutil.copy2(output, copy_to / REPORT_NAME)
    return output


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database", type=Path, required=True, help="the DuckDB warehouse, e.g. data/warehouse.duckdb")
    parser.add_argument("--output", type=Path, default=PROJECT_ROOT / "target" / REPORT_NAME)
    parser.add_argument("--copy-to", type=Path, default=None, help="also copy the report into this folder")
    parser.add_argument("--release-id", default=None, help="the release the warehouse is (named in the header)")
    args = parser.parse_args(argv)
    if not args.database.exists():
        print(f"quality_report: no warehouse at {args.database}; writing a placeholder report", file=sys.stderr)
    output = write_report(args.database, args.output, args.copy_to, args.release_id)
    print(f"quality_report: wrote {output}" + (f" and a copy in {args.copy_to}" if args.copy_to else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
