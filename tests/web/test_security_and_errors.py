"""Security headers, cookies, sign-in pages, and one problem document for every error."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient

from guildhall.services import cases
from guildhall.services.mailer import FileMailer
from guildhall.settings import Settings
from guildhall.web.access import public
from guildhall.web.app import create_app

from .sign_in import PASSWORD, add, signed_in

CASE = Path(__file__).resolve().parents[2] / "cases" / "sag-2008" / "case.yaml"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    folder = tmp_path_factory.mktemp("security")
    url = f"sqlite:///{folder / 'g.db'}"
    cases.load_case_file(url, CASE, recorded_by="loader")
    settings = Settings.from_env({"GUILDHALL_MAIL_DIR": str(folder / "mail")})
    return create_app(url, data_dir=folder / "none", settings=settings)


@pytest.fixture(scope="module")
def client(app: FastAPI) -> TestClient:
    return TestClient(app)


def test_every_response_carries_the_security_headers(client: TestClient) -> None:
    for url in ("/cases/sag-2008", "/api/cases", "/nope", "/static/guildhall.css", "/api/docs"):
        headers = client.get(url).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
        assert "strict-transport-security" not in headers, "no HSTS over plain HTTP"


def test_over_tls_hsts_and_secure_cookies(app: FastAPI) -> None:
    email = add(str(app.state.database_url), "staff", "tls")
    tls = TestClient(app, base_url="https://testserver")
    answer = tls.post("/api/session", json={"email": email, "password": PASSWORD})
    assert answer.headers["strict-transport-security"].startswith("max-age=")
    cookies = answer.headers.get_list("set-cookie")
    session = next(c for c in cookies if c.startswith("guildhall_session="))
    lowered = session.lower()
    assert "httponly" in lowered and "samesite=lax" in lowered and "secure" in lowered


def test_pages_have_no_inline_script(client: TestClient) -> None:
    for url in ("/cases/sag-2008", "/sign-in", "/api/docs", "/elections", "/terms"):
        html = client.get(url).text
        for chunk in html.split("<script")[1:]:
            assert chunk.lstrip().startswith("src="), f"inline script on {url}"
        assert " style=" not in html and "onclick" not in html


def test_the_api_reference_loads_its_assets_from_the_app(client: TestClient) -> None:
    html = client.get("/api/docs").text
    assert '<script src="/static/swagger-ui/swagger-ui-bundle.js">' in html
    assert "http://" not in html and "https://" not in html
    bundle = client.get("/static/swagger-ui/swagger-ui-bundle.js")
    assert bundle.status_code == 200 and len(bundle.content) > 500_000
    assert client.get("/static/swagger-ui/swagger-ui.css").status_code == 200
    assert client.get("/api/openapi.json").json()["info"]["title"] == "Guildhall"


def test_every_operation_documents_its_problem_responses(client: TestClient) -> None:
    doc = client.get("/api/openapi.json").json()
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            for status in ("400", "401", "403", "404", "405", "409", "422", "500"):
                content = operation["responses"][status]["content"]
                assert "application/problem+json" in content, (method, path, status)
    assert "HTTPValidationError" not in str(doc)


@pytest.mark.parametrize(
    ("method", "url", "status", "kind"),
    [
        ("GET", "/nope", 404, "not-found"),
        ("GET", "/api/nope", 404, "not-found"),
        ("DELETE", "/api/cases", 405, "method-not-allowed"),
        ("PUT", "/cases/sag-2008", 405, "method-not-allowed"),
        ("GET", "/api/cases/nope", 404, "not-found"),
        ("GET", "/api/terms/sag-2005?on=yesterday", 422, "invalid-input"),
        ("POST", "/api/cases/sag-2008/events", 401, "not-signed-in"),
    ],
)
def test_errors_are_problem_documents(
    client: TestClient, method: str, url: str, status: int, kind: str
) -> None:
    answer = client.request(method, url)
    assert answer.status_code == status
    assert answer.headers["content-type"] == "application/problem+json"
    body = answer.json()
    assert body["type"] == f"/problems/{kind}" and body["status"] == status
    assert body["title"] and body["detail"]
    if status == 405:
        assert "GET" in answer.headers["allow"]


def test_a_browser_gets_errors_as_pages(client: TestClient) -> None:
    for url, status in (("/nope", 404), ("/me", 401)):
        page = client.get(url, headers={"accept": "text/html"})
        assert page.status_code == status
        assert page.headers["content-type"].startswith("text/html")
        assert "<h1>" in page.text


def test_a_body_that_is_not_json_is_a_400(app: FastAPI) -> None:
    staff = signed_in(app, str(app.state.database_url), "staff", "json")
    answer = staff.post("/api/cases/sag-2008/events", content=b"{not json",
                        headers={"content-type": "application/json"})  # fmt: skip
    assert answer.status_code == 400
    assert answer.json()["type"] == "/problems/malformed-json"


def test_an_unexpected_failure_is_a_500_problem_that_says_nothing_of_the_server(
    app: FastAPI,
) -> None:
    def broken() -> None:
        raise RuntimeError(f"disk full at {Path.cwd()}/var/guildhall.db")

    app.router.add_api_route("/api/broken", broken, dependencies=[Depends(public())])
    try:
        answer = TestClient(app, raise_server_exceptions=False).get("/api/broken")
    finally:
        app.router.routes.pop()
    assert answer.status_code == 500
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["type"] == "/problems/server-error"
    assert str(Path.cwd()) not in answer.text and "Traceback" not in answer.text
    assert "frame-ancestors" in answer.headers["content-security-policy"]


def test_signing_in_by_form_needs_the_forms_token_and_sets_an_http_only_cookie(
    app: FastAPI,
) -> None:
    email = add(str(app.state.database_url), "mediator", "form")
    browser = TestClient(app)
    page = browser.get("/sign-in")
    token = page.text.split('name="csrf" value="')[1].split('"')[0]
    forged = browser.post("/sign-in", data={"email": email, "password": PASSWORD})
    assert forged.status_code == 403
    wrong = browser.post("/sign-in", data={"email": email, "password": "x" * 12, "csrf": token})
    assert wrong.status_code == 422 and "is wrong" in wrong.text
    done = browser.post("/sign-in", data={"email": email, "password": PASSWORD, "csrf": token,
                                          "next": "https://evil.example/"},
                        follow_redirects=False)  # fmt: skip
    assert done.status_code == 303 and done.headers["location"] == "/me"
    cookie = next(c for c in done.headers.get_list("set-cookie") if "guildhall_session" in c)
    assert "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()
    me = browser.get("/me")
    assert me.status_code == 200 and "Mediator" in me.text
    assert me.headers["cache-control"] == "no-store"
    new_token = me.text.split('name="csrf" value="')[1].split('"')[0]
    assert new_token != token, "the token changes with the session"
    out = browser.post("/sign-out", data={"csrf": new_token}, follow_redirects=False)
    assert out.status_code == 303
    assert browser.get("/me").status_code == 401


def test_a_sign_in_link_by_form(app: FastAPI, tmp_path: Path) -> None:
    email = add(str(app.state.database_url), "member", "99")
    browser = TestClient(app)
    token = browser.get("/sign-in").text.split('name="csrf" value="')[1].split('"')[0]
    sent = browser.post("/sign-in/link", data={"email": email, "csrf": token})
    unknown = browser.post("/sign-in/link", data={"email": "no@guild.test", "csrf": token})
    assert sent.status_code == unknown.status_code == 200
    assert "If that address has an account" in sent.text and "If that address" in unknown.text
    mail = FileMailer(Path(app.state.mail_dir)).messages()[-1]
    link = mail.split("http://testserver")[1].split()[0]
    opened = browser.get(link)
    assert opened.status_code == 200 and browser.get("/me").status_code == 401, (
        "opening the link alone signs nobody in"
    )
    form_token = opened.text.split('name="csrf" value="')[1].split('"')[0]
    used = browser.post(link, data={"csrf": form_token}, follow_redirects=False)
    assert used.status_code == 303
    assert browser.get("/me").status_code == 200
    again = TestClient(app)
    t = again.get("/sign-in").text.split('name="csrf" value="')[1].split('"')[0]
    assert again.post(link, data={"csrf": t}).status_code == 404


def test_too_many_failed_sign_ins_are_a_429(app: FastAPI) -> None:
    email = add(str(app.state.database_url), "trustee", "limit")
    client = TestClient(app)
    answers = [
        client.post("/api/session", json={"email": email, "password": "x" * 12}).status_code
        for _ in range(6)
    ]
    assert answers == [422] * 5 + [429]
    last = client.post("/api/session", json={"email": email, "password": PASSWORD})
    assert last.status_code == 429 and int(last.headers["retry-after"]) > 0
