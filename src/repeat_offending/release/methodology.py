"""The methodology beside the dbt docs: ``docs/methodology.md`` as one offline HTML page.

The docs overview links the definitions the models cite (``docs/methodology.md section N``); a static dbt docs
site opened from a release folder cannot reach the repository, so every release carries the page it was built
with, ``releases/<id>/target/methodology.html``, linking back to the docs and the data-quality report.
"""

from __future__ import annotations

import html
from pathlib import Path

from markdown_it import MarkdownIt

from repeat_offending.project import PROJECT_ROOT

SOURCE = Path("docs") / "methodology.md"
PAGE_NAME = "methodology.html"

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
       line-height: 1.5; color: #1b1b1b; }
nav { background: #0b0c0c; color: #fff; padding: 0.6rem 1rem; margin: -2rem -1rem 1.5rem; }
nav a { color: #fff; margin-right: 1.5rem; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #b1b4b6; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
code { background: #f3f2f1; padding: 0 0.2rem; }
pre { background: #f3f2f1; padding: 0.75rem; overflow-x: auto; }
"""


def render(markdown: str, release_id: str | None = None) -> str:
    """The HTML page of the methodology's Markdown, with links to the docs and the quality report."""
    body = MarkdownIt("commonmark", {"html": False}).enable("table").render(markdown)
    release = f" · release {html.escape(release_id)}" if release_id else ""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>Methodology{release}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        '<nav><a href="static_index.html">dbt docs</a><a href="data_quality_report.html">Data-quality report</a>'
        f"<span>Methodology{release}</span></nav>\n{body}</body>\n</html>\n"
    )


def write(target_path: Path, release_id: str | None = None, project_dir: Path = PROJECT_ROOT) -> Path:
    """Write ``methodology.html`` into a dbt target folder (beside the static docs); return its path."""
    page = target_path / PAGE_NAME
    page.write_text(render((project_dir / SOURCE).read_text(encoding="utf-8"), release_id), encoding="utf-8")
    return page
