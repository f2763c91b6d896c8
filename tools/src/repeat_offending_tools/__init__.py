"""The tools around the dbt project (distribution `repeat-offending-tools`): linkage evaluation against the
ground truth, research export, data-quality report, derived-layer validation, risk model, world sweep, what
`make data` does with a DATA_DIR, the sources YAML writer and benchmarks. Commands in tools/pyproject.toml."""
