"""The case pages as a person sees them: served for real, rendered by headless Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from guildhall.services import cases
from guildhall.web.app import create_app

from .browser import chromium, served

CASE = Path(__file__).resolve().parents[2] / "cases" / "sag-2008" / "case.yaml"
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'g.db'}"
    cases.load_case_file(url, CASE, recorded_by="loader")
    with served(create_app(url)) as base:
        yield base


def test_the_timeline_renders_in_a_real_browser(site: str, tmp_path: Path) -> None:
    done = chromium("--dump-dom", f"{site}/cases/sag-2008", cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    assert dom.count('class="event ') == 41
    assert "Where the sources disagree (8)" in dom
    assert "Gonzalez met Friday with SAG prexy Alan Rosenberg" in dom


def test_the_page_draws_a_screenshot(site: str, tmp_path: Path) -> None:
    shot = tmp_path / "case.png"
    done = chromium(
        f"--screenshot={shot}", "--window-size=1200,2000", f"{site}/cases/sag-2008", cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 20_000, "a blank page compresses to almost nothing"
