"""The FastAPI application."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from guildhall import __version__
from guildhall.settings import Settings
from guildhall.web import problems
from guildhall.web.routes import cases_api, cases_pages


def create_app(database_url: str) -> FastAPI:
    app = FastAPI(
        title="Guildhall",
        version=__version__,
        docs_url="/api/docs",
        openapi_url="/api/openapi.json",
    )
    app.state.database_url = database_url
    problems.install(app)
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    app.include_router(cases_pages.router)
    app.include_router(cases_api.router)
    return app


def app_from_env() -> FastAPI:
    """The app on the store the environment names (``GUILDHALL_DATABASE_URL``)."""
    return create_app(Settings.from_env().database_url)
