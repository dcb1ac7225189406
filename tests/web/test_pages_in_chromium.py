"""The case pages as a person sees them: served for real, rendered by headless Chromium."""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from guildhall.services import cases
from guildhall.web.app import create_app

CASE = Path(__file__).resolve().parents[2] / "cases" / "sag-2008" / "case.yaml"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'g.db'}"
    cases.load_case_file(url, CASE)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(url), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the web app did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def _chromium(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("chromium")
    assert binary, "headless Chromium is needed (scripts/system-deps.sh installs it)"
    profile = cwd / "profile"
    return subprocess.run(
        [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        check=False,
    )


def test_the_timeline_renders_in_a_real_browser(site: str, tmp_path: Path) -> None:
    done = _chromium("--dump-dom", f"{site}/cases/sag-2008", cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    assert dom.count('class="event ') == 36
    assert "Where the sources disagree (8)" in dom
    assert "Gonzalez met Friday with SAG prexy Alan Rosenberg" in dom


def test_the_page_draws_a_screenshot(site: str, tmp_path: Path) -> None:
    shot = tmp_path / "case.png"
    done = _chromium(
        f"--screenshot={shot}", "--window-size=1200,2000", f"{site}/cases/sag-2008", cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 20_000, "a blank page compresses to almost nothing"
