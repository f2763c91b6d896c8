"""The methodology page every release carries beside its dbt docs (repeat_offending.release.methodology)."""

from __future__ import annotations

from pathlib import Path

from repeat_offending.project import PROJECT_ROOT
from repeat_offending.release import methodology


def test_page_holds_every_section_and_links_back(tmp_path: Path) -> None:
    page = methodology.write(tmp_path, release_id="20250630_20261206T120000Z").read_text(encoding="utf-8")
    source = (PROJECT_ROOT / "docs" / "methodology.md").read_text(encoding="utf-8")
    sections = [line[3:] for line in source.splitlines() if line.startswith("## ")]
    assert len(sections) >= 10
    for section in sections:
        assert section.split(" ", 1)[1] in page, section
    assert 'href="static_index.html"' in page
    assert 'href="data_quality_report.html"' in page
    assert "20250630_20261206T120000Z" in page
    assert "<script" not in page


def test_markup_in_the_source_is_rendered_not_copied() -> None:
    page = methodology.render("# Title\n\nA <b>tag</b> and **bold**, `a < b`.\n\n| a | b |\n| - | - |\n| 1 | 2 |\n")
    assert "<strong>bold</strong>" in page
    assert "<code>a &lt; b</code>" in page
    assert "<table>" in page
