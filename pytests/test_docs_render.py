"""The generated docs as analysts see them: `dbt docs generate --static` gives one offline HTML file; headless
Chromium (Debian's package; `make test` installs it) opens it, the overview page and the lineage graph must
render, and a screenshot of the lineage is saved beside the world's reports. The page is the one the test world's
published release was built with."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from repeat_offending.release.layout import Layout

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise AssertionError("headless Chromium is needed for the docs test (apt-get install chromium)")


def render(page: str, profile: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=30000", *extra, page],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


@pytest.fixture(scope="module")
def static_docs(built_world: Path) -> Path:
    """The one-file docs site the test world's published release was built with (`release build` writes it)."""
    layout = Layout(built_world)
    published = layout.published()
    assert published is not None, f"no release is published in {built_world}"
    page = layout.folder(published) / "target" / "static_index.html"
    assert page.exists() and page.stat().st_size > 100_000
    return page


def test_the_overview_page_renders(static_docs: Path, tmp_path: Path) -> None:
    result = render(f"{static_docs.as_uri()}#!/overview", tmp_path / "profile", "--dump-dom")
    dom = result.stdout
    assert "All data in this warehouse is synthetic" in dom, result.stderr[-2000:]
    assert "Person linkage" in dom
    assert "derived.proven_reoffending" in dom


def test_the_lineage_graph_renders_and_is_saved(static_docs: Path, built_world: Path, tmp_path: Path) -> None:
    lineage = f"{static_docs.as_uri()}#!/overview?g_v=1"
    dom = render(lineage, tmp_path / "profile", "--dump-dom").stdout
    assert "cytoscape_container" in dom, "the lineage graph did not render"
    assert "<canvas" in dom
    screenshot = Path(os.environ.get("DOCS_SCREENSHOT", built_world / "reports" / "docs_lineage.png"))
    screenshot.parent.mkdir(parents=True, exist_ok=True)
    render(lineage, tmp_path / "profile2", f"--screenshot={screenshot}", "--window-size=1600,1000")
    assert screenshot.exists() and screenshot.stat().st_size > 20_000


def test_the_docs_the_quality_report_and_the_methodology_link_each_other(static_docs: Path, tmp_path: Path) -> None:
    """From the docs overview to the data-quality report and the methodology page, and back: every link a
    reader follows resolves to a file of the release's target folder, and that page renders."""
    dom = render(f"{static_docs.as_uri()}#!/overview", tmp_path / "profile", "--dump-dom").stdout
    target = static_docs.parent
    pages = {"data_quality_report.html": "Data-quality report", "methodology.html": "Methodology"}
    for name, heading in pages.items():
        assert f'href="{name}"' in dom, f"the overview does not link {name}"
        page = target / name
        assert page.exists(), f"{name} is not beside the docs in {target}"
        rendered = render(page.as_uri(), tmp_path / f"profile-{name}", "--dump-dom").stdout
        assert heading in rendered
        assert 'href="static_index.html"' in rendered, f"{name} has no link back to the docs"
    methodology = render((target / "methodology.html").as_uri(), tmp_path / "profile-m", "--dump-dom").stdout
    assert "Proven reoffending" in methodology and "Disclosure" in methodology
