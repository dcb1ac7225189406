"""Typed request dependencies: the database URL and the page templates."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")


def _database_url(request: Request) -> str:
    return str(request.app.state.database_url)


DatabaseUrl = Annotated[str, Depends(_database_url)]


def recording_user(request: Request) -> str:
    """Who is recording what a request writes to the record. Until the web app signs people
    in, this is the name the app was started with (``app.state.recording_user``), else
    ``web``; sign-in replaces this dependency with the signed-in user's name."""
    return str(getattr(request.app.state, "recording_user", None) or "web")


RecordedBy = Annotated[str, Depends(recording_user)]
