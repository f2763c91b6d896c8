"""The synthetic justice world: a seeded, vectorised simulation of offending careers and five source systems."""

GENERATOR_VERSION = "1.2.0"
