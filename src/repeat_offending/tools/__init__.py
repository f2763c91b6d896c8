"""Command-line tools around the build: what `make data` does with a DATA_DIR, and the world sweep."""
