"""Running a vote from the browser's forms: import the roll, open, close, tally from the
trustees' shares, certify, and the trustees' page; each step by the role that takes it."""

from __future__ import annotations

import csv
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from guildhall.services import ballots
from guildhall.services.ballots import authority, identities, trustee
from guildhall.settings import Settings
from guildhall.web.app import create_app

from .sign_in import signed_in


def _form_token(client: TestClient, url: str) -> str:
    return client.get(url).text.split('name="csrf" value="')[1].split('"')[0]


def test_a_vote_runs_from_roll_to_certified_result_through_the_pages(
    database_url: str, tmp_path: Path
) -> None:
    ids = tmp_path / "ids"
    identities.new("authority", "a", key_path=ids / "a.key", public_path=ids / "a.json")
    identities.new("board", "b", key_path=ids / "b.key", public_path=ids / "b.json")
    app: FastAPI = create_app(database_url, settings=Settings(board_key=ids / "b.key"))
    staff = signed_in(app, database_url, "staff")
    committee = signed_in(app, database_url, "negotiating_committee")
    member = signed_in(app, database_url, "member", "m0")
    watcher = signed_in(app, database_url, "trustee")
    now = datetime.now(UTC)
    closes = now + timedelta(seconds=8)
    keys = tmp_path / "keys"
    ballots.create(database_url, election_id="rat", question="ratification",
                   text="Do you ratify?", opens_at=now - timedelta(minutes=1), closes_at=closes,
                   trustees=3, quorum=2, key_dir=keys, authority_path=ids / "a.json",
                   board_key_path=ids / "b.key")  # fmt: skip
    manage = "/elections/rat/manage"
    for c in (staff, committee):
        c.headers.pop("X-CSRF-Token")  # the forms carry their own token

    bad = staff.post("/elections/rat/roll", data={"record_date": "2025-01-01",
                     "csrf": _form_token(staff, manage)},
                     files={"roll": ("members.csv", b"member_id,standing\nm1,good\n")})  # fmt: skip
    assert bad.status_code == 409
    assert "members.csv" in bad.text and "lacks paid_through" in bad.text
    assert str(tmp_path) not in bad.text and "/tmp" not in bad.text
    roll = "member_id,standing,paid_through\n" + "".join(
        f"m{i},good,2030-01-01\n" for i in range(4)
    )
    done = staff.post("/elections/rat/roll",
                      data={"record_date": now.date().isoformat(),
                            "csrf": _form_token(staff, manage)},
                      files={"roll": ("roll.csv", roll.encode())},
                      follow_redirects=False)  # fmt: skip
    assert done.status_code == 303, done.text
    assert "4 members are on the roll" in staff.get(manage).text

    mailing, roll_file = tmp_path / "mailing.csv", tmp_path / "roll.csv"
    roll_file.write_text(roll)
    ballots.publish(database_url, "rat", tmp_path / "rat.json")
    # the credential authority, on its own machine, from the published election and the roll
    authority.make_credentials(tmp_path / "rat.json", roll_file, key_path=ids / "a.key",
                               mailing=mailing, out=tmp_path / "credentials.json")  # fmt: skip
    ballots.import_credentials(database_url, "rat", tmp_path / "credentials.json")
    refused = staff.post("/elections/rat/open", data={"csrf": _form_token(staff, manage)})
    assert refused.status_code == 403, "staff do not open the committee's vote"
    opened = committee.post("/elections/rat/open", data={"csrf": _form_token(committee, manage)},
                            follow_redirects=False)  # fmt: skip
    assert opened.status_code == 303, opened.text[-1500:]
    with mailing.open() as f:
        credentials = [row["credential"] for row in csv.DictReader(f)]
    for credential, choice in zip(credentials, ("yes", "yes", "no"), strict=False):
        ballots.cast(database_url, "rat", ballots.prepare_ballot(database_url, "rat", credential,
                                                                  choice).as_json())  # fmt: skip
    early = staff.post("/elections/rat/close", data={"csrf": _form_token(staff, manage)})
    assert early.status_code == 409 and "the vote runs until" in early.text
    time.sleep(max(0.0, (closes - datetime.now(UTC)).total_seconds()) + 0.2)
    closed = staff.post("/elections/rat/close", data={"csrf": _form_token(staff, manage)},
                        follow_redirects=False)  # fmt: skip
    assert closed.status_code == 303

    board = tmp_path / "board.jsonl"
    board.write_text("".join(line + "\n" for line in ballots.board_lines(database_url, "rat")))
    shares = []
    for index in (1, 3):
        share = tmp_path / f"share-{index}.json"
        trustee.decrypt(
            board, key_path=keys / f"rat-trustee-{index}.json", identity_key=None, share_path=share
        )
        shares.append(("shares", (share.name, share.read_bytes(), "application/json")))
    assert "0 of the 2 trustees" in staff.get(manage).text
    tallied = staff.post("/elections/rat/tally", data={"csrf": _form_token(staff, manage)},
                         files=shares, follow_redirects=False)  # fmt: skip
    assert tallied.status_code == 303, tallied.text
    page = watcher.get("/elections/rat/trustees")
    assert page.status_code == 200
    rows = page.text.split('id="trustee-')
    assert "<td>yes</td></tr>" in rows[1] and "<td>yes</td></tr>" in rows[3]
    assert "<td>no</td></tr>" in rows[2]
    certified = committee.post("/elections/rat/certify",
                               data={"csrf": _form_token(committee, manage)},
                               follow_redirects=False)  # fmt: skip
    assert certified.status_code == 303
    result = member.get("/api/elections/rat").json()["result"]
    assert result["certified"] is True and result["yes"] == 2 and result["no"] == 1
    assert member.get(manage).status_code == 403
    assert member.get("/elections/rat/trustees").status_code == 403
