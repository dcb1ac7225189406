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
