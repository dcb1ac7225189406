"""``guildhall serve``: the web app.

The app is named to uvicorn by its import path, so the CLI never imports the web package.
"""

from __future__ import annotations

import os

import typer

from guildhall.cli.context import database_url


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
) -> None:
    """Serve the web app and its JSON API over the store."""
    import uvicorn

    os.environ["GUILDHALL_DATABASE_URL"] = database_url()
    uvicorn.run("guildhall.web.app:app_from_env", factory=True, host=host, port=port)
