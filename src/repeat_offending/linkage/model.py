"""The probabilistic person-linkage model: a Fellegi-Sunter model in Splink 5, on DuckDB or Spark.

The model is described by the meaning of the input columns (``PersonColumns``), so the same code links the
justice systems' person records and the FEBRL benchmark. Parameters are estimated from the data: the
probability that two random records match from deterministic rules, u-probabilities by random sampling and
m-probabilities by expectation maximisation; nothing is set by hand apart from the structure of the
comparisons and the blocking rules.

The engine is Splink's database API (``DuckDBAPI`` by default, ``SparkAPI`` on Spark). Every SQL string the
model hands to Splink is written in DuckDB's dialect and tagged as such (``SQL_DIALECT``), so Splink leaves
it as it is on DuckDB and translates it with sqlglot elsewhere (on Spark a double-quoted ``"col"`` would
otherwise be a string literal). A model trained on one engine predicts on another with
``load_trained``: the structure comes from this code, in the engine's dialect, and the parameters from the
saved model.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pyarrow as pa
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on
from splink.blocking_rule_library import CustomRule
from splink.internals.blocking_rule_creator import BlockingRuleCreator
from splink.internals.comparison_creator import ComparisonCreator
from splink.internals.database_api import DatabaseAPISubClass

LOGGER = logging.getLogger(__name__)

SQL_DIALECT = "duckdb"  # the dialect of the SQL strings below; Splink translates them for other engines
# What a saved model contributes when it predicts elsewhere (load_trained): the estimated parameters.
LEVEL_PARAMETERS = ("m_probability", "u_probability", "tf_adjustment_weight", "tf_minimum_u_value")


@dataclass(frozen=True)
class PersonColumns:
    """Which input column holds what. Optional columns can be None."""

    unique_id: str = "unique_id"
    forename: str = "forename"
    surname: str = "surname"
    date_of_birth: str = "date_of_birth"  # DATE
    forename_canonical: str | None = None  # forename with nicknames mapped to the formal name
    middle_name: str | None = None
    sex: str | None = None
    postcode: str | None = None  # full postcode `AA9A 9AA`
    identifier: str | None = None  # a strong but fallible person identifier (PNC id, social security id)
    extra_exact: tuple[str, ...] = ()  # further columns compared for exact equality (address parts)


@dataclass(frozen=True)
class ModelOptions:
    """Sizes for training and prediction; not model parameters (those are estimated)."""

    u_max_pairs: float = 2e6
    deterministic_recall: float = 0.7
    min_match_probability: float = 0.5  # pairs below this are not kept as edges
    em_max_pairs: float | None = 5e6
    em_max_iterations: int | None = None  # None: Splink's default (25); fewer only to test training cheaply
    u_chunks: int | None = None  # None: Splink's default (10 chunks of u sampling); fewer only to test cheaply
    extra_blocking: tuple[str, ...] = field(default_factory=tuple)  # further blocking rules (SQL_DIALECT SQL)


def _forename_comparison(cols: PersonColumns) -> ComparisonCreator:
    name = cols.forename
    levels: list = [cll.NullLevel(name), cll.ExactMatchLevel(name).configure(tf_adjustment_column=name)]
    if cols.forename_canonical:
        levels.append(
            cll.ExactMatchLevel(cols.forename_canonical).configure(label_for_charts="Same formal name (nickname)")
        )
    if cols.middle_name:
        # A forename recorded as the middle name elsewhere (people known by their second name).
        levels.append(
            cll.CustomLevel(
                f'"{name}_l" = "{cols.middle_name}_r" or "{cols.middle_name}_l" = "{name}_r"',
                label_for_charts="Forename matches the other's middle name",
                base_dialect_str=SQL_DIALECT,
            )
        )
    levels += [
        cll.JaroWinklerLevel(name, 0.92),
        cll.JaroWinklerLevel(name, 0.8),
        cll.ElseLevel(),
    ]
    return cl.CustomComparison(output_column_name=name, comparison_levels=levels, comparison_description="Forename")


def term_frequency_columns(cols: PersonColumns) -> tuple[str, ...]:
    """The columns whose exact-match levels are adjusted by term frequency (a common forename or surname is
    weaker evidence than a rare one), as the name comparisons configure them (pytest
    test_linkage_frozen_model checks that the two agree)."""
    return (cols.forename, cols.surname)


def term_frequency_sql(column: str, table: str) -> str:
    """The term-frequency lookup of ``column`` over ``table`` as Splink computes it (each value's share of
    the non-null values), with Splink's column names: ``<column>``, ``tf_<column>``."""
    return f"""
        select "{column}", cast(count(*) as double) / (select count("{column}") from {table}) as "tf_{column}"
        from {table}
        where "{column}" is not null
        group by "{column}"
    """


def _surname_comparison(cols: PersonColumns) -> ComparisonCreator:
    name = cols.surname
    return cl.CustomComparison(
        output_column_name=name,
        comparison_description="Surname",
        comparison_levels=[
            cll.NullLevel(name),
            cll.ExactMatchLevel(name).configure(tf_adjustment_column=name),
            cll.ColumnsReversedLevel(cols.forename, name, symmetrical=True).configure(
                label_for_charts="Forename and surname swapped"
            ),
            cll.JaroWinklerLevel(name, 0.92),
            # A hyphenated or changed surname that still contains the other (Smith / Smith-Jones).
            cll.CustomLevel(
                f'contains("{name}_l", "{name}_r") or contains("{name}_r", "{name}_l")',
                label_for_charts="One surname contains the other",
                base_dialect_str=SQL_DIALECT,
            ),
            cll.JaroWinklerLevel(name, 0.8),
            cll.ElseLevel(),
        ],
    )


def comparisons(cols: PersonColumns) -> list[ComparisonCreator]:
    result: list[ComparisonCreator] = [
        _forename_comparison(cols),
        _surname_comparison(cols),
        cl.DateOfBirthComparison(
            cols.date_of_birth,
            input_is_string=False,
            datetime_thresholds=[1, 1, 10],
            datetime_metrics=["month", "year", "year"],
        ),
    ]
    if cols.sex:
        result.append(cl.ExactMatch(cols.sex))
    if cols.postcode:
        result.append(cl.PostcodeComparison(cols.postcode))
    if cols.identifier:
        result.append(cl.ExactMatch(cols.identifier))
    result.extend(cl.ExactMatch(c) for c in cols.extra_exact)
    return result


def blocking_rules(cols: PersonColumns, options: ModelOptions) -> list[BlockingRuleCreator | str]:
    """Rules that generate the pairs scored; each catches matches the others miss.

    Every rule keeps its blocks small at national scale: no rule joins on a date of birth or on a name
    alone, since a day of birth is shared by some 300 people among ten million and common names by
    thousands, so such rules grow with the square of the population. Names and dates of birth are paired
    instead, with the date of birth's known errors (day and month swapped, a mistyped day, the wrong year,
    missing) spelled out."""
    f, s, d = cols.forename, cols.surname, cols.date_of_birth
    same_names = f'l."{f}" = r."{f}" and l."{s}" = r."{s}"'
    rules: list[str] = [
        # Forename variants (typos, nicknames, aliases): same date of birth, surnames alike at the start.
        f'l."{d}" = r."{d}" and substr(l."{s}", 1, 3) = substr(r."{s}", 1, 3)',
        # Surname changes and typos: same date of birth, forenames alike at the start.
        f'l."{d}" = r."{d}" and substr(l."{f}", 1, 3) = substr(r."{f}", 1, 3)',
        # Same names, date of birth recorded differently: the same year (day and month swapped, day
        # mistyped), the same day of the year (the wrong year), or missing on one side.
        f'{same_names} and year(l."{d}") = year(r."{d}")',
        f'{same_names} and month(l."{d}") = month(r."{d}") and day(l."{d}") = day(r."{d}")',
        f'{same_names} and l."{d}" is null',
        f'{same_names} and r."{d}" is null',
        # Forename and surname swapped.
        f'l."{d}" = r."{d}" and l."{f}" = r."{s}" and l."{s}" = r."{f}"',
    ]
    if cols.postcode:
        rules.append(f'l."{cols.postcode}" = r."{cols.postcode}" and substr(l."{f}", 1, 1) = substr(r."{f}", 1, 1)')
    result: list[BlockingRuleCreator | str] = [CustomRule(rule, sql_dialect=SQL_DIALECT) for rule in rules]
    if cols.identifier:
        result.append(block_on(cols.identifier))
    result.extend(CustomRule(rule, sql_dialect=SQL_DIALECT) for rule in options.extra_blocking)
    return result


def settings(cols: PersonColumns, options: ModelOptions) -> SettingsCreator:
    iterations = {} if options.em_max_iterations is None else {"max_iterations": options.em_max_iterations}
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name=cols.unique_id,
        comparisons=comparisons(cols),
        blocking_rules_to_generate_predictions=blocking_rules(cols, options),
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
        **iterations,
    )


@dataclass
class TrainedModel:
    linker: Linker
    con: duckdb.DuckDBPyConnection | None  # the DuckDB database Splink works in (None on another engine)
    unique_id: str
    db_api: DatabaseAPISubClass

    def parameters(self) -> dict:
        return self.linker.misc.save_model_to_json(out_path=None, overwrite=True)

    def use_term_frequencies(self, tables: dict[str, str]) -> None:
        """Score with these term-frequency lookups (column -> a table of the model's database with the
        columns of ``term_frequency_sql``) instead of lookups Splink computes from the records."""
        for column, table in tables.items():
            frame = self.db_api.register(table, table_name=f"term_frequencies_{column}")
            self.linker.table_management.register_term_frequency_lookup(frame, column)


def _engine(
    db_api: DatabaseAPISubClass | None, con: duckdb.DuckDBPyConnection | None, threads: int
) -> tuple[DatabaseAPISubClass, duckdb.DuckDBPyConnection | None]:
    """The Splink database API to work in, and its DuckDB connection when it is DuckDB: ``db_api`` if
    given, else a DuckDBAPI on ``con`` or on a new in-memory database."""
    if db_api is not None:
        return db_api, (db_api.duckdb_con if isinstance(db_api, DuckDBAPI) else None)
    con = con or duckdb.connect(config={"threads": threads})
    return DuckDBAPI(connection=con), con


def train(
    records: Any,
    cols: PersonColumns,
    options: ModelOptions | None = None,
    threads: int = 2,
    con: duckdb.DuckDBPyConnection | None = None,
    db_api: DatabaseAPISubClass | None = None,
) -> TrainedModel:
    """Estimate the model's parameters on ``records``: an Arrow table with the columns named in ``cols``,
    or the name of a table or view in ``con``; on another engine (``db_api``, e.g. Splink's SparkAPI)
    whatever that API registers (a Spark DataFrame).

    By default Splink works in its own DuckDB database (an in-memory one unless ``con`` is given), so its
    many intermediate tables never reach the warehouse and nothing depends on the caller's transaction."""
    options = options or ModelOptions()
    db_api, con = _engine(db_api, con, threads)
    frame = db_api.register(records, dataset_display_name="records")
    linker = Linker(frame, settings(cols, options), log_level=logging.WARNING)
    f, s, d = cols.forename, cols.surname, cols.date_of_birth
    deterministic = [block_on(f, s, d)]
    if cols.identifier:
        deterministic.append(block_on(cols.identifier, d))
    linker.training.estimate_probability_two_random_records_match(deterministic, recall=options.deterministic_recall)
    chunks = {} if options.u_chunks is None else {"num_chunks": options.u_chunks}
    linker.training.estimate_u_using_random_sampling(max_pairs=options.u_max_pairs, seed=1, **chunks)
    # Two EM sessions, each blocking on what the other estimates.
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on(d), estimate_without_term_frequencies=True, max_pairs=options.em_max_pairs
    )
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on(f, s), estimate_without_term_frequencies=True, max_pairs=options.em_max_pairs
    )
    return TrainedModel(linker=linker, con=con, unique_id=cols.unique_id, db_api=db_api)


def with_trained_parameters(settings_dict: dict[str, Any], trained: dict[str, Any]) -> dict[str, Any]:
    """``settings_dict`` (the model's structure in some engine's dialect) with the parameters of ``trained``
    (a model saved by ``TrainedModel.parameters``, possibly on another engine): the probability two random
    records match, and each comparison level's m and u probabilities and term-frequency settings. Raises
    ValueError when the two are not the same model (comparisons, levels or their labels differ)."""
    result = {**settings_dict, "comparisons": []}
    result["probability_two_random_records_match"] = trained["probability_two_random_records_match"]
    ours, theirs = settings_dict["comparisons"], trained["comparisons"]
    if [c["output_column_name"] for c in ours] != [c["output_column_name"] for c in theirs]:
        raise ValueError("the saved model compares other columns than this model")
    for comparison, saved in zip(ours, theirs, strict=True):
        labels = [level.get("label_for_charts") for level in comparison["comparison_levels"]]
        saved_labels = [level.get("label_for_charts") for level in saved["comparison_levels"]]
        if labels != saved_labels:
            raise ValueError(f"the saved model's levels of {comparison['output_column_name']} differ from this model's")
        levels = [
            {**level, **{key: old[key] for key in LEVEL_PARAMETERS if key in old}}
            for level, old in zip(comparison["comparison_levels"], saved["comparison_levels"], strict=True)
        ]
        result["comparisons"].append({**comparison, "comparison_levels": levels})
    return result


def load_trained(
    records: Any,
    cols: PersonColumns,
    trained: dict[str, Any],
    options: ModelOptions | None = None,
    threads: int = 2,
    con: duckdb.DuckDBPyConnection | None = None,
    db_api: DatabaseAPISubClass | None = None,
) -> TrainedModel:
    """The model on ``records`` (as for ``train``) with the parameters of ``trained``, a model saved by
    ``TrainedModel.parameters`` on any engine, without estimating anything: predictions then depend on the
    data and the parameters only, not on the random sampling of training. The comparisons and blocking rules
    are this code's, in the engine's dialect (a saved model's SQL is in the dialect it was trained in)."""
    options = options or ModelOptions()
    db_api, con = _engine(db_api, con, threads)
    frame = db_api.register(records, dataset_display_name="records")
    structure = settings(cols, options).create_settings_dict(db_api.sql_dialect.sql_dialect_str)
    linker = Linker(frame, with_trained_parameters(structure, trained), log_level=logging.WARNING)
    return TrainedModel(linker=linker, con=con, unique_id=cols.unique_id, db_api=db_api)


def predict_table(model: TrainedModel, options: ModelOptions | None = None) -> str:
    """Score the pairs the blocking rules generate, keeping those at or above the minimum probability, into
    a table of the model's database (on Spark a temporary view); returns its name. Columns:
    ``<unique_id>_l``, ``<unique_id>_r``, match_probability, match_weight (and others)."""
    options = options or ModelOptions()
    predictions = model.linker.inference.predict(
        threshold_match_probability=options.min_match_probability, warning_mode="never"
    )
    return predictions.physical_name


def predict_touching_tables(
    model: TrainedModel, changed: str, unchanged: str, options: ModelOptions | None = None
) -> tuple[str, str]:
    """Score only the pairs that ``predict_table`` would score and that have at least one record of
    ``changed``: the pairs within ``changed`` and those between it and ``unchanged`` (two tables or views of
    the model's database with the model's input columns, together the records ``predict_table`` would
    pair). Needs registered term-frequency lookups (``TrainedModel.use_term_frequencies``), so that a pair
    scores as it would among all the records. Returns the two tables' names, with the columns of
    ``predict_table``; a pair's two sides are in either order.

    The blocking rules pair the same records whichever side a record is on: every rule that is not
    symmetric has its mirror among the rules (``blocking_rules``)."""
    options = options or ModelOptions()
    inference = model.linker.inference
    within = inference.predict_within(
        model.db_api.register(changed),
        threshold_match_probability=options.min_match_probability,
        warning_mode="never",
    )
    between = inference.predict_between(
        model.db_api.register(changed),
        model.db_api.register(unchanged),
        threshold_match_probability=options.min_match_probability,
        warning_mode="never",
    )
    return within.physical_name, between.physical_name


def predict_edges(model: TrainedModel, options: ModelOptions | None = None) -> pa.Table:
    """Scored pairs at or above the minimum probability as an Arrow table: unique_id_l, unique_id_r,
    match_probability, match_weight."""
    uid = model.unique_id
    table = predict_table(model, options)
    if model.con is None:
        raise ValueError("predict_edges needs a model on DuckDB; use predict_table on other engines")
    return model.con.sql(
        f'select "{uid}_l" as unique_id_l, "{uid}_r" as unique_id_r, match_probability, match_weight from {table}'
    ).to_arrow_table()
