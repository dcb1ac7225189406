"""The OpenAPI document, checked by schemathesis against the running app: generated
requests (a bounded number per operation) never get a 5xx, nor a status, media type or
body the document does not describe. Requests are made signed in as staff, so the writes
reach the rules as well as the role check."""

from __future__ import annotations

import tempfile
from pathlib import Path

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from guildhall.services import cases
from guildhall.web.app import create_app

from .sign_in import add, client_as

CASE = Path(__file__).resolve().parents[2] / "cases" / "sag-2008" / "case.yaml"

_folder = Path(tempfile.mkdtemp(prefix="guildhall-schema-"))
_url = f"sqlite:///{_folder / 'g.db'}"
cases.load_case_file(_url, CASE, recorded_by="loader")
APP = create_app(_url, data_dir=_folder / "no-data")
_staff: TestClient = client_as(APP, add(_url, "staff"))
HEADERS = {
    "X-CSRF-Token": str(_staff.headers["X-CSRF-Token"]),
    "Cookie": f"guildhall_session={_staff.cookies['guildhall_session']}",
}

schema = schemathesis.openapi.from_asgi("/api/openapi.json", APP)
CHECKS = [status_code_conformance, content_type_conformance, response_schema_conformance]


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_answers_as_its_document_says(case: schemathesis.Case) -> None:
    response = case.call(headers=HEADERS)
    assert response.status_code < 500, (case.method, case.formatted_path, response.text[:500])
    case.validate_response(response, checks=CHECKS)
