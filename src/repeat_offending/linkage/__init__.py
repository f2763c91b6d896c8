"""Person linkage: deterministic rules on system identifiers, then a probabilistic Splink model."""
