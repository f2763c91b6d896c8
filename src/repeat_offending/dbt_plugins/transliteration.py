"""dbt-duckdb plugin: gives DuckDB ``transliterate_to_latin(text)``, names in any script as Latin letters.

Person linkage compares standardised names (``standardise_name``, macros/cleaning/), which keep only the
letters ``A``-``Z``. A name written in another script (Cyrillic, Greek, Arabic, Chinese...) or in full-width
forms would standardise to nothing, so its person could not be linked on name. This function turns the text
into ASCII first: Unicode NFKC normalisation (full-width forms to their ASCII letters, U+FF33 to ``S``;
ligatures split), then transliteration by ``text-unidecode`` (``Иванов`` → ``Ivanov``, ``Παπαδόπουλος`` →
``Papadopoulos``).

The SQL calls it only for values with a character outside ASCII (``duckdb__transliterate_to_latin`` in
macros/cross_db/), so its Python cost scales with the few such names, not with the population.

Enabled in profiles.yml for every target::

    plugins:
      - module: repeat_offending.dbt_plugins.transliteration
"""

from __future__ import annotations

import contextlib
import unicodedata
from typing import Any

from dbt.adapters.duckdb.plugins import BasePlugin
from text_unidecode import unidecode

FUNCTION_NAME = "transliterate_to_latin"
"""The DuckDB function the plugin registers (text → text; null stays null)."""


def transliterate_to_latin(text: str) -> str:
    """``text`` in ASCII: NFKC normalised, then transliterated character by character."""
    return unidecode(unicodedata.normalize("NFKC", text))


def register(connection: Any) -> None:
    """Register the function on a DuckDB connection (a no-op when it is already there)."""
    import duckdb

    with contextlib.suppress(duckdb.NotImplementedException):  # already registered on this connection
        connection.create_function(
            FUNCTION_NAME,
            transliterate_to_latin,
            [duckdb.sqltype("VARCHAR")],
            duckdb.sqltype("VARCHAR"),
        )


class Plugin(BasePlugin):
    """Registers ``transliterate_to_latin`` on dbt's DuckDB connection; its cursors share it."""

    def configure_connection(self, conn: Any) -> None:
        register(conn)
