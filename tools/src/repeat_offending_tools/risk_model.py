"""Fit and validate a reconviction model on derived.risk_model_inputs (docs/methodology.md section 5).

Shows that the derived dataset is fit for risk assessment modelling: a logistic regression of `is_reoffender`
(proven reoffence within the follow-up year) on what was known on the index date, trained on earlier cohort
quarters and tested on later ones, with its discrimination (AUC) and calibration (deciles of predicted
probability).

Design:
- Rows: complete cohorts only (`has_complete_follow_up`), so that every outcome is final.
- Split by time, as a model would be used: the test set is the latest ``--test-quarters`` complete cohort
  quarters (default 8, the same basis as the calibration measures); the training set is the
  ``--train-quarters`` quarters before them (default 20, five years; 0 = every earlier quarter). Keeping the
  training window recent leaves out the first years of the data, whose criminal histories are cut short by
  the start of the extract.
- Features (all known on the index date, see the model's doc block `risk_model_inputs_no_leakage`):
  numeric, standardised: age at index, log(1 + previous offences), previous sanction occasions, previous
  custodial sentences, age at first sanction, years since first sanction, Copas rate, number of significant
  needs and the ten need scores of the latest prior assessment (missing values: the training median, with
  `has_prior_assessment` as a feature); categorical, one-hot: sex (unknown imputed with the most frequent),
  index event type, index offence group, index disposal group, risk of serious harm level (`none` without an
  assessment).
- Not features: ethnicity group, which a risk assessment tool must not use (as the OGRS scales do not); it is
  kept for the fairness table. Nor is the *missingness* of sex or ethnicity used: the linked layer chooses
  them from all of a person's records, including records made after the index date, so a person with few
  records (who rarely reoffends) is more often unknown, a leak of the outcome.
- Model: scikit-learn LogisticRegression (L2, C=1.0, lbfgs).
- Also reported: discrimination and calibration-in-the-large by sex, ethnicity group and age group on the test
  set.

Writes the report as Markdown to stdout and to REPORT_DIR/risk_model.md, and as JSON to
REPORT_DIR/risk_model.json. Exits with 1 when the test AUC is below ``--min-auc`` (default 0.70).

Usage: risk-model --database DATA_DIR/dev.duckdb [--report-dir DATA_DIR/reports]
       [--test-quarters 8] [--train-quarters 20] [--min-auc 0.70]
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, roc_auc_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from repeat_offending.project import assessment_need_columns

# The ten criminogenic needs of the assessment, from their seed (the one list SQL reads too).
NEEDS = tuple(assessment_need_columns())
NUMERIC_FEATURES = (
    "age_at_index",
    "log_previous_offences",
    "previous_sanction_occasions",
    "previous_custodial_sentences",
    "age_at_first_proven_offence",
    "years_since_first_proven_offence",
    "copas_rate",
    "has_prior_assessment",
    "number_of_needs",
    *NEEDS,
)
CATEGORICAL_FEATURES = (
    "sex",
    "index_event_type",
    "index_offence_group",
    "index_disposal_group",
    "rosh_level",
)
OUTCOME = "is_reoffender"


@dataclass
class CalibrationRow:
    decile: int
    n: int
    mean_predicted: float
    observed_rate: float


@dataclass
class SubgroupRow:
    breakdown: str
    group: str
    n: int
    observed_rate: float
    mean_predicted: float
    auc: float | None


@dataclass
class RiskModelReport:
    database: str
    train_quarters: list[str]
    test_quarters: list[str]
    train_rows: int
    test_rows: int
    train_rate: float
    test_rate: float
    auc_train: float
    auc_test: float
    brier_test: float
    mean_predicted_test: float
    min_auc: float
    passed: bool
    features_numeric: list[str] = field(default_factory=list)
    features_categorical: list[str] = field(default_factory=list)
    calibration: list[CalibrationRow] = field(default_factory=list)
    subgroups: list[SubgroupRow] = field(default_factory=list)
    coefficients: list[tuple[str, float]] = field(default_factory=list)


def load_inputs(database: Path) -> pd.DataFrame:
    """The complete rows of derived.risk_model_inputs, with the model's derived features."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        frame = con.sql("select * from derived.risk_model_inputs where has_complete_follow_up").df()
    finally:
        con.close()
    frame["log_previous_offences"] = np.log1p(frame["previous_offences"].astype(float))
    frame["has_prior_assessment"] = frame["has_prior_assessment"].astype(float)
    frame["rosh_level"] = frame["rosh_level"].fillna("none")
    frame["ethnicity_group"] = frame["ethnicity_group"].fillna("Not stated").astype(str)
    juvenile = frame["is_juvenile"].astype("boolean")
    frame["age_group"] = np.select(
        [juvenile.isna().to_numpy(dtype=bool), juvenile.fillna(False).to_numpy(dtype=bool)],
        ["age unknown", "juvenile (10-17)"],
        "adult (18+)",
    )
    for column in CATEGORICAL_FEATURES:
        if column != "sex":  # sex: unknown is imputed (see the module docstring)
            frame[column] = frame[column].fillna("unknown").astype(str)
    frame["sex"] = frame["sex"].astype(object).where(frame["sex"].notna(), np.nan)
    for column in NUMERIC_FEATURES:
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
    frame[OUTCOME] = frame[OUTCOME].astype(int)
    return frame


def split_quarters(quarters: list[str], test_quarters: int, train_quarters: int) -> tuple[list[str], list[str]]:
    """The latest ``test_quarters`` quarters for testing, the ``train_quarters`` before them for training."""
    ordered = sorted(set(quarters))
    if len(ordered) <= test_quarters:
        raise ValueError(f"need more than {test_quarters} complete cohort quarters, found {len(ordered)}")
    test = ordered[-test_quarters:]
    earlier = ordered[:-test_quarters]
    train = earlier[-train_quarters:] if train_quarters > 0 else earlier
    return train, test


def build_model() -> Pipeline:
    numeric = Pipeline([("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())])
    categorical = Pipeline(
        [("impute", SimpleImputer(strategy="most_frequent")), ("encode", OneHotEncoder(handle_unknown="ignore"))]
    )
    features = ColumnTransformer(
        [("numeric", numeric, list(NUMERIC_FEATURES)), ("categorical", categorical, list(CATEGORICAL_FEATURES))]
    )
    return Pipeline([("features", features), ("model", LogisticRegression(C=1.0, max_iter=2000))])


def calibration_table(outcome: np.ndarray, predicted: np.ndarray, groups: int = 10) -> list[CalibrationRow]:
    """Deciles of predicted probability: n, mean predicted probability and observed rate of each."""
    order = np.argsort(predicted, kind="stable")
    rows = []
    for decile, part in enumerate(np.array_split(order, groups), start=1):
        rows.append(
            CalibrationRow(
                decile=decile,
                n=len(part),
                mean_predicted=float(predicted[part].mean()),
                observed_rate=float(outcome[part].mean()),
            )
        )
    return rows


def subgroup_table(test: pd.DataFrame, predicted: np.ndarray) -> list[SubgroupRow]:
    """Observed rate, mean predicted probability and AUC of the test set by sex, ethnicity and age group."""
    scored = test.assign(predicted=predicted)
    scored["sex_group"] = scored["sex"].fillna("unknown")
    rows = []
    for breakdown, column in (("Sex", "sex_group"), ("Ethnicity group", "ethnicity_group"), ("Age", "age_group")):
        for group, part in scored.groupby(column, sort=True):
            outcome = part[OUTCOME].to_numpy()
            both = 0 < outcome.sum() < len(outcome)
            rows.append(
                SubgroupRow(
                    breakdown=breakdown,
                    group=str(group),
                    n=len(part),
                    observed_rate=float(outcome.mean()),
                    mean_predicted=float(part["predicted"].mean()),
                    auc=float(roc_auc_score(outcome, part["predicted"])) if both else None,
                )
            )
    return rows


def fit_and_validate(
    frame: pd.DataFrame, database: Path, test_quarters: int, train_quarters: int, min_auc: float
) -> RiskModelReport:
    train_q, test_q = split_quarters(frame["cohort_quarter"].tolist(), test_quarters, train_quarters)
    train = frame[frame["cohort_quarter"].isin(train_q)]
    test = frame[frame["cohort_quarter"].isin(test_q)]
    columns = list(NUMERIC_FEATURES) + list(CATEGORICAL_FEATURES)
    model = build_model()
    model.fit(train[columns], train[OUTCOME])
    predicted_train = model.predict_proba(train[columns])[:, 1]
    predicted_test = model.predict_proba(test[columns])[:, 1]
    outcome_test = test[OUTCOME].to_numpy()
    auc_test = float(roc_auc_score(outcome_test, predicted_test))
    names = model.named_steps["features"].get_feature_names_out()
    weights = model.named_steps["model"].coef_[0]
    coefficients = sorted(
        ((str(name).split("__", 1)[1], float(weight)) for name, weight in zip(names, weights, strict=True)),
        key=lambda item: -abs(item[1]),
    )
    return RiskModelReport(
        database=str(database),
        train_quarters=train_q,
        test_quarters=test_q,
        train_rows=len(train),
        test_rows=len(test),
        train_rate=float(train[OUTCOME].mean()),
        test_rate=float(outcome_test.mean()),
        auc_train=float(roc_auc_score(train[OUTCOME], predicted_train)),
        auc_test=auc_test,
        brier_test=float(brier_score_loss(outcome_test, predicted_test)),
        mean_predicted_test=float(predicted_test.mean()),
        min_auc=min_auc,
        passed=auc_test >= min_auc,
        features_numeric=list(NUMERIC_FEATURES),
        features_categorical=list(CATEGORICAL_FEATURES),
        calibration=calibration_table(outcome_test, predicted_test),
        subgroups=subgroup_table(test, predicted_test),
        coefficients=coefficients,
    )


def markdown(report: RiskModelReport) -> str:
    def span(quarters: list[str]) -> str:
        return f"{quarters[0]} to {quarters[-1]} ({len(quarters)} quarters)"

    lines = [
        "# Risk model: proven reoffending within the follow-up year",
        "",
        f"Logistic regression of `is_reoffender` on `derived.risk_model_inputs` ({report.database}), complete "
        "cohorts only, split by cohort quarter.",
        "",
        "| | Train | Test |",
        "|---|---:|---:|",
        f"| Cohort quarters | {span(report.train_quarters)} | {span(report.test_quarters)} |",
        f"| Rows | {report.train_rows:,} | {report.test_rows:,} |",
        f"| Observed proven reoffending rate | {report.train_rate:.3f} | {report.test_rate:.3f} |",
        f"| AUC | {report.auc_train:.3f} | **{report.auc_test:.3f}** |",
        "",
        f"Test Brier score {report.brier_test:.4f}; mean predicted probability {report.mean_predicted_test:.3f} "
        f"against an observed rate of {report.test_rate:.3f}.",
        "",
        f"**{'PASS' if report.passed else 'FAIL'}**: test AUC {report.auc_test:.3f} "
        f"{'>=' if report.passed else '<'} {report.min_auc:.2f}.",
        "",
        "## Calibration on the test set (deciles of predicted probability)",
        "",
        "| Decile | n | Mean predicted | Observed rate | Difference |",
        "|---:|---:|---:|---:|---:|",
    ]
    for row in report.calibration:
        lines.append(
            f"| {row.decile} | {row.n:,} | {row.mean_predicted:.3f} | {row.observed_rate:.3f} | "
            f"{row.observed_rate - row.mean_predicted:+.3f} |"
        )
    lines += [
        "",
        "## By group on the test set (ethnicity is not a feature)",
        "",
        "| Breakdown | Group | n | Observed rate | Mean predicted | AUC |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for sub in report.subgroups:
        auc = "n/a" if sub.auc is None else f"{sub.auc:.3f}"
        lines.append(
            f"| {sub.breakdown} | {sub.group} | {sub.n:,} | {sub.observed_rate:.3f} | "
            f"{sub.mean_predicted:.3f} | {auc} |"
        )
    lines += [
        "",
        "## Features",
        "",
        "Numeric (median-imputed, standardised): " + ", ".join(f"`{name}`" for name in report.features_numeric) + ".",
        "",
        "Categorical (one-hot; unknown sex imputed with the most frequent): "
        + ", ".join(f"`{name}`" for name in report.features_categorical)
        + ".",
        "",
        "Largest standardised coefficients (log-odds per standard deviation or per category):",
        "",
        "| Feature | Coefficient |",
        "|---|---:|",
    ]
    lines += [f"| `{name}` | {weight:+.3f} |" for name, weight in report.coefficients[:15]]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", type=Path, required=True, help="the DuckDB warehouse (DATA_DIR/<target>.duckdb)")
    parser.add_argument("--report-dir", type=Path, default=None, help="default: a reports folder beside the database")
    parser.add_argument("--test-quarters", type=int, default=8)
    parser.add_argument("--train-quarters", type=int, default=20, help="0 = every quarter before the test set")
    parser.add_argument("--min-auc", type=float, default=0.70)
    args = parser.parse_args(argv)
    if not args.database.exists():
        print(f"risk_model: no warehouse at {args.database}", file=sys.stderr)
        return 2
    frame = load_inputs(args.database)
    report = fit_and_validate(frame, args.database, args.test_quarters, args.train_quarters, args.min_auc)
    text = markdown(report)
    report_dir = args.report_dir or args.database.parent / "reports"
    report_dir.mkdir(parents=True, exist_ok=True)
    (report_dir / "risk_model.md").write_text(text)
    payload = asdict(report)
    payload["coefficients"] = [
        {"feature": name, "coefficient": weight} for name, weight in report.coefficients if math.isfinite(weight)
    ]
    (report_dir / "risk_model.json").write_text(json.dumps(payload, indent=2) + "\n")
    print(text)
    print(f"(written to {report_dir / 'risk_model.md'} and {report_dir / 'risk_model.json'})")
    return 0 if report.passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
