"""Decide whether `make data` uses DATA_DIR as it is (exit 0) or generates a synthetic world (exit 10).

A raw/ folder without the generator's marker is an extract and is never replaced. See
``repeat_offending.tools.world``.
"""

from __future__ import annotations

from repeat_offending.tools.world import main

if __name__ == "__main__":
    raise SystemExit(main())
