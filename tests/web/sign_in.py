"""Signed-in clients for the web tests: one account per role, signed in through the API."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from guildhall.services import accounts

PASSWORD = "a long enough test password"


def add(database_url: str, role: str, member_id: str | None = None) -> str:
    email = f"{role}{'-' + member_id if member_id else ''}@guild.test"
    accounts.add_user(
        database_url, email, role, name=f"Test {role}", member_id=member_id, password=PASSWORD
    )
    return email


def client_as(app: FastAPI, email: str, password: str = PASSWORD) -> TestClient:
    """A client signed in as ``email``, sending its CSRF token with every request."""
    client = TestClient(app)
    answer = client.post("/api/session", json={"email": email, "password": password})
    assert answer.status_code == 201, answer.text
    client.headers["X-CSRF-Token"] = answer.json()["csrf"]
    return client


def signed_in(
    app: FastAPI, database_url: str, role: str, member_id: str | None = None
) -> TestClient:
    return client_as(app, add(database_url, role, member_id))
