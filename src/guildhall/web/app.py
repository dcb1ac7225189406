"""The FastAPI application."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from guildhall import __version__
from guildhall.settings import Settings
from guildhall.web import access, problems, security
from guildhall.web.routes import (
    account_api,
    account_pages,
    ballots_api,
    ballots_pages,
    case_forms,
    cases_api,
    cases_pages,
    costing_api,
    costing_pages,
    docs_pages,
    election_authority_pages,
    election_pages,
    home_pages,
    member_pages,
    terms_api,
    terms_pages,
)

AREAS = (
    home_pages,
    account_pages,
    account_api,
    case_forms,
    cases_pages,
    cases_api,
    terms_pages,
    terms_api,
    costing_pages,
    costing_api,
    member_pages,
    election_pages,
    election_authority_pages,
    ballots_pages,
    ballots_api,
    docs_pages,
)


class UndeclaredRoute(RuntimeError):
    """A route that does not say who may use it."""


def create_app(
    database_url: str, data_dir: Path | None = None, *, settings: Settings | None = None
) -> FastAPI:
    """The app on the store at ``database_url``; costing reads the data set in ``data_dir``
    (``GUILDHALL_DATA_DIR`` when not given). Outside development it refuses to start without
    a proper secret key (``SettingsError``)."""
    config = settings if settings is not None else Settings.from_env()
    app = FastAPI(
        title="Guildhall",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.database_url = database_url
    app.state.data_dir = data_dir if data_dir is not None else config.data_dir
    app.state.secret = config.web_secret()
    app.state.development = config.development
    app.state.mail_dir = config.mail_dir
    app.state.board_key = config.board_key
    problems.install(app)
    security.install(app)
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    for area in AREAS:
        app.include_router(area.router)
    app.openapi = lambda: problems.openapi_document(app)  # type: ignore[method-assign]
    missing = access.undeclared(app.routes)
    if missing:
        raise UndeclaredRoute(f"routes that declare no roles: {', '.join(missing)}")
    return app


def app_from_env() -> FastAPI:
    """The app on the store the environment names (``GUILDHALL_DATABASE_URL``)."""
    return create_app(Settings.from_env().database_url)
