"""Repeat-offending dataset: synthetic justice world, person linkage and project checks."""
