"""The FastAPI application."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from guildhall import __version__
from guildhall.settings import Settings
from guildhall.web import problems
from guildhall.web.routes import (
    ballots_api,
    ballots_pages,
    cases_api,
    cases_pages,
    costing_api,
    costing_pages,
    terms_api,
    terms_pages,
)


def create_app(database_url: str, data_dir: Path | None = None) -> FastAPI:
    """The app on the store at ``database_url``; costing reads the data set in ``data_dir``
    (``GUILDHALL_DATA_DIR`` when not given)."""
    app = FastAPI(
        title="Guildhall",
        version=__version__,
        docs_url="/api/docs",
        openapi_url="/api/openapi.json",
    )
    app.state.database_url = database_url
    app.state.data_dir = data_dir if data_dir is not None else Settings.from_env().data_dir
    problems.install(app)
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    app.include_router(cases_pages.router)
    app.include_router(cases_api.router)
    for area in (terms_pages, terms_api, costing_pages, costing_api, ballots_pages, ballots_api):
        app.include_router(area.router)
    return app


def app_from_env() -> FastAPI:
    """The app on the store the environment names (``GUILDHALL_DATABASE_URL``)."""
    return create_app(Settings.from_env().database_url)
