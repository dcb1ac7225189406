"""Typed request dependencies: the database URL and the page templates.

Every template has the ``label``, ``labelled`` and ``plain`` filters (``web/labels.py``):
an identifier in plain words, the words with the identifier beside them, and a sentence
that carries identifiers in words.

Every page is given ``account`` (the signed-in person, or ``None``) and ``csrf`` (the token
its forms carry) by the templates' context processor.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates

from guildhall.core.errors import NotSignedIn
from guildhall.web.labels import label, labelled, plain


def _page_context(request: Request) -> dict[str, Any]:
    from guildhall.web.access import csrf_token, current_account

    if not hasattr(request.app.state, "secret"):
        return {"account": None, "csrf": ""}
    return {"account": current_account(request), "csrf": csrf_token(request)}


TEMPLATES = Jinja2Templates(
    directory=Path(__file__).parent / "templates", context_processors=[_page_context]
)
TEMPLATES.env.filters["label"] = label
TEMPLATES.env.filters["labelled"] = labelled
TEMPLATES.env.filters["plain"] = plain


def _database_url(request: Request) -> str:
    return str(request.app.state.database_url)


DatabaseUrl = Annotated[str, Depends(_database_url)]


def recording_user(request: Request) -> str:
    """Who is recording what a request writes to the record: the signed-in account, as
    ``email (role)``. Routes that write declare their roles, so there is always one."""
    from guildhall.web.access import current_account

    account = current_account(request)
    if account is None:
        raise NotSignedIn("sign in to record anything")
    return f"{account.email} ({account.role})"


RecordedBy = Annotated[str, Depends(recording_user)]
