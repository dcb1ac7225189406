"""Serving the web app for real and pointing headless Chromium at it, for page tests.

``chromium_browser()`` drives Debian's Chromium (``/usr/bin/chromium``, installed by
``scripts/system-deps.sh``) through Playwright from PyPI, with its executable path set:
no browser is ever downloaded. ``chromium()`` runs the same binary on the command line
(screenshots, ``--dump-dom``).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn
from fastapi import FastAPI
from playwright.sync_api import Browser, sync_playwright

CHROMIUM = "/usr/bin/chromium"

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars",
]  # fmt: skip


@contextmanager
def served(app: FastAPI) -> Iterator[str]:
    """The app on a free loopback port, for as long as the block runs; yields its base URL."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the web app did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def chromium(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run headless Chromium with a fresh profile in ``cwd``."""
    binary = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    assert binary, "headless Chromium is needed (scripts/system-deps.sh installs it)"
    return subprocess.run(
        [binary, *CHROMIUM_FLAGS, f"--user-data-dir={cwd / 'profile'}", *args],
        capture_output=True, text=True, timeout=120, cwd=cwd, check=False,
    )  # fmt: skip


@contextmanager
def chromium_browser() -> Iterator[Browser]:
    """Headless Chromium under Playwright, from the system's binary."""
    assert Path(CHROMIUM).exists(), "headless Chromium is needed (scripts/system-deps.sh)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"],
        )
        try:
            yield browser
        finally:
            browser.close()
