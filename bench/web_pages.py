"""Every page of the web app, served for real, warm: median and p90 against the static CSS.

    .venv/bin/python bench/web_pages.py [--demo bench/out/web-demo] [--requests 30]

The demo's own data (``guildhall demo --no-serve``: the sag-2008 case in SQLite, the
generated data set read by DuckDB) is made in ``--demo`` the first time and reused after.
Each run copies the demo's store, adds a signed-in account for each role and a member vote
with ballots on its board, then starts ``uvicorn`` on a free loopback port in a process of
its own, as ``guildhall serve`` does. The pages are every ``GET`` route of the app's route
table (a route whose address needs a value this script does not know stops it, so no page
is missed), each asked as a role its policy lets in, plus the chart's narrow form and its
``If-None-Match`` revalidation. Each page is warmed (``--warm`` requests), then asked
``--requests`` times, each time followed by the peer, the same server answering its
static CSS file (the floor of the stack: routing, middleware, a file from disk), so both
sample the same load. Prints each page's median and p90 in milliseconds, the first
(cold) request, and the ratio of its median to the peer's.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PASSWORD = "a bench password, long enough"
ELECTION = "bench-vote"
PEER = "/static/guildhall.css"
LIMIT_MS = 200.0


def _demo(folder: Path) -> Path:
    """The demo's folder, made by ``guildhall demo --no-serve`` if it is not there yet."""
    if not (folder / "guildhall.db").exists() or not (folder / "data" / "events").exists():
        print(f"making the demo in {folder} (once) ...", file=sys.stderr)
        subprocess.run([str(BIN / "guildhall"), "demo", "--no-serve", "--folder", str(folder)],
                       check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    return folder


def _accounts(url: str, member_id: str) -> dict[str, str]:
    from guildhall.services import accounts

    emails = {}
    for role in accounts.ROLES:
        email = f"bench-{role.replace('_', '-')}@bench.guildhall.test"
        accounts.add_user(url, email, role, name=f"Bench {role}", password=PASSWORD,
                          member_id=member_id if role == "member" else None)  # fmt: skip
        emails[role] = email
    return emails


def _performer(data: Path) -> str:
    """A performer with credits in the data set whose member number has no account yet
    (the demo's own member account has the first)."""
    import pyarrow.parquet as pq

    from guildhall.costing.data.schema import DataSet

    column = pq.read_table(DataSet(data).path("credits"), columns=["performer_id"])
    ids = sorted({int(v) for v in column.column("performer_id").to_pylist() if v})
    return str(ids[1])


def _election(url: str, folder: Path) -> str:
    """An open ratification of 50 members, 20 of whom have voted; returns a tracker."""
    from guildhall.services import ballots
    from guildhall.services.ballots import authority, identities

    ids = folder / "ids"
    identities.new("authority", "a", key_path=ids / "a.key", public_path=ids / "a.json")
    identities.new("board", "b", key_path=ids / "b.key", public_path=ids / "b.json")
    now = datetime.now(UTC)
    ballots.create(url, election_id=ELECTION, question="ratification", text="Do you ratify?",
                   opens_at=now - timedelta(minutes=1), closes_at=now + timedelta(days=7),
                   trustees=3, quorum=2, key_dir=folder / "keys", authority_path=ids / "a.json",
                   board_key_path=ids / "b.key")  # fmt: skip
    roll = folder / "roll.csv"
    roll.write_text("member_id,standing,paid_through\n"
                    + "".join(f"m{i},good,2099-01-01\n" for i in range(50)))  # fmt: skip
    ballots.import_roll(url, ELECTION, roll, record_date=date.today())
    ballots.publish(url, ELECTION, folder / "election.json")
    mailing, signed = folder / "mailing.csv", folder / "credentials.json"
    authority.make_credentials(folder / "election.json", roll, key_path=ids / "a.key",
                               mailing=mailing, out=signed)  # fmt: skip
    ballots.import_credentials(url, ELECTION, signed)
    ballots.open_election(url, ELECTION)
    credentials = [line.split(",")[1] for line in mailing.read_text().splitlines()[1:21]]
    trackers = [
        ballots.cast(url, ELECTION, ballots.prepare_ballot(url, ELECTION, c, "yes").as_json())
        for c in credentials
    ]
    return trackers[0]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    argv = [str(BIN / "uvicorn"), "guildhall.web.app:app_from_env", "--factory", "--host",
            "127.0.0.1", "--port", str(port), "--log-level", "warning"]  # fmt: skip
    server = subprocess.Popen(argv, env=env, cwd=ROOT)
    for _ in range(300):
        try:
            httpx.get(f"http://127.0.0.1:{port}{PEER}", timeout=1.0)
            return server
        except httpx.TransportError:
            if server.poll() is not None:
                raise RuntimeError("the server stopped while starting") from None
            time.sleep(0.1)
    server.terminate()
    raise RuntimeError("the server did not start within 30 s")


def _pages(app: Any, values: dict[str, str]) -> list[tuple[str, str, str | None]]:
    """(label, address, role) for every GET route of the app, each with its path values
    filled in, asked as the first role its policy names (a public route anonymously)."""
    from guildhall.web import access

    found = []
    for route in access.routes_of(app.routes):
        if isinstance(route.original_route, access.Mount) or "GET" not in (route.methods or ()):
            continue
        policy = access.policy_of(route)
        assert policy is not None, f"{route.path} declares no roles"
        path = str(route.path)
        names = re.findall(r"\{([^}:]+)[^}]*\}", path)
        unknown = [n for n in names if n not in values]
        if unknown:
            raise SystemExit(f"no value for {', '.join(unknown)} in {path}: add it to the bench")
        address = re.sub(r"\{([^}:]+)[^}]*\}", lambda m: values[m.group(1)], path)
        address += QUERIES.get(path, "")
        role = None if policy.roles is None else sorted(policy.roles, key=_role_order)[0]
        found.append((path, address, role))
    return found


def _role_order(role: str) -> int:
    """Members first (the projection pages are theirs), then staff, then the rest."""
    return {"member": 0, "staff": 1}.get(role, 2)


QUERIES = {
    "/elections/{election_id}/track": "?tracker={tracker}",
    "/api/elections/{election_id}/track": "?tracker={tracker}",
    "/costing/performer": "?id={performer_id}",
}
"""Query values a route needs to show its page rather than refuse."""


def _timed(client: httpx.Client, address: str, headers: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    answer = client.get(address, headers=headers)
    elapsed = (time.perf_counter() - start) * 1000
    if answer.status_code >= 400:
        raise RuntimeError(f"GET {address}: {answer.status_code} {answer.text[:300]}")
    return elapsed


def _p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10)[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demo", type=Path, default=ROOT / "bench" / "out" / "web-demo")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--warm", type=int, default=3)
    args = parser.parse_args()

    demo = _demo(args.demo.resolve())
    run = demo / "bench-run"
    shutil.rmtree(run, ignore_errors=True)
    run.mkdir()
    shutil.copy(demo / "guildhall.db", run / "guildhall.db")
    url = f"sqlite:///{run / 'guildhall.db'}"
    data = demo / "data"

    from guildhall.web.app import create_app

    performer = _performer(data)
    emails = _accounts(url, performer)
    tracker = _election(url, run)
    env = {**os.environ, "GUILDHALL_DATABASE_URL": url, "GUILDHALL_DATA_DIR": str(data),
           "GUILDHALL_BOARD_KEY": str(run / "ids" / "b.key"),
           "GUILDHALL_MAIL_DIR": str(run / "mail")}  # fmt: skip
    values = {"case_id": "sag-2008", "agreement_id": "amptp-2008-final-offer",
              "election_id": ELECTION, "performer_id": performer, "token": "0" * 43,
              "document_id": "002_ac8fbb611370980d.txt"}  # fmt: skip
    routes = _pages(create_app(url, data_dir=data), values)
    pages = [(label, address.format(tracker=tracker, performer_id=performer), role)
             for label, address, role in routes]  # fmt: skip
    pages.append(("/costing/chart.png (narrow)", "/costing/chart.png?layout=narrow", None))

    port = _free_port()
    server = _serve(env, port)
    base = f"http://127.0.0.1:{port}"
    try:
        clients: dict[str | None, httpx.Client] = {None: httpx.Client(base_url=base, timeout=120)}
        for role, email in emails.items():
            client = httpx.Client(base_url=base, timeout=120)
            signed = client.post("/api/session", json={"email": email, "password": PASSWORD})
            signed.raise_for_status()
            clients[role] = client
        chart = clients[None].get("/costing/chart.png")
        pages.append(("/costing/chart.png (If-None-Match: 304)", "/costing/chart.png",
                      None))  # fmt: skip
        revalidate = {"If-None-Match": chart.headers["etag"]}
        peer = clients[None]
        rows, peer_times = [], []
        for label, address, role in pages:
            client = clients[role]
            headers = revalidate if "304" in label else None
            first = _timed(client, address, headers)
            for _ in range(args.warm):
                _timed(client, address, headers)
            times = []
            for _ in range(args.requests):
                times.append(_timed(client, address, headers))
                peer_times.append(_timed(peer, PEER))
            rows.append((label, role or "anyone", first, times))
    finally:
        server.terminate()
        server.wait(timeout=30)

    peer_median = statistics.median(peer_times)
    print(f"{len(rows)} pages, {args.requests} requests each after {args.warm} to warm; "
          f"peer: GET {PEER} on the same server, median {peer_median:.2f} ms, "
          f"p90 {_p90(peer_times):.2f} ms\n")  # fmt: skip
    print(f"{'page':<52} {'as':<22} {'first':>8} {'median':>8} {'p90':>8} {'x peer':>8}")
    over = []
    for label, role, first, times in rows:
        median = statistics.median(times)
        flag = "  OVER" if median > LIMIT_MS else ""
        if flag:
            over.append(label)
        print(f"{label:<52} {role:<22} {first:8.1f} {median:8.1f} {_p90(times):8.1f} "
              f"{median / peer_median:8.1f}{flag}")  # fmt: skip
    slowest = max(rows, key=lambda r: statistics.median(r[3]))
    print(f"\nslowest median: {slowest[0]} {statistics.median(slowest[3]):.1f} ms; "
          f"pages over {LIMIT_MS:.0f} ms: {', '.join(over) or 'none'}")  # fmt: skip


if __name__ == "__main__":
    main()
