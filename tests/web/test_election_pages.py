"""Running a vote from the browser's forms, the whole lifecycle: import the roll, publish,
hand the credential authority its files and import the signed list it returns, open,
spoil an audited ballot, checkpoint the board, close, tally from the trustees' shares,
certify; each step by the role that takes it, each refusal on the form with nothing written,
and the case record naming the signed-in account as who recorded the vote's events."""

from __future__ import annotations

import csv
import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from guildhall.ballots import identity
from guildhall.core.errors import InvalidInput
from guildhall.services import ballots, cases
from guildhall.services.ballots import authority, identities, trustee
from guildhall.settings import Settings
from guildhall.web.app import create_app

from .sign_in import signed_in

ROLL = "member_id,standing,paid_through\n" + "".join(f"m{i},good,2030-01-01\n" for i in range(4))
ROLL += "m9,lapsed,2020-01-01\n"


TENTATIVE = {
    "date": datetime(2009, 4, 17).date(), "kind": "tentative_agreement", "union": "sag",
    "parties": ["sag", "amptp"], "summary": "SAG and the AMPTP reach a tentative agreement.",
    "certainty": "stated", "sources": [{"document": "guildhall-test", "quote": "agreed"}],
    "documents": [{"id": "guildhall-test", "title": "Joint statement", "text": "agreed"}],
}  # fmt: skip
"""What a ratification vote on the case needs first (the rules say so)."""


def _form_token(client: TestClient, url: str) -> str:
    return client.get(url).text.split('name="csrf" value="')[1].split('"')[0]


class Vote:
    """A ratification vote on the sag-2008 case, its officers' keys, and a client per role."""

    def __init__(self, database_url: str, tmp_path: Path, closes_in: timedelta) -> None:
        self.url, self.tmp = database_url, tmp_path
        ids = tmp_path / "ids"
        identities.new("authority", "a", key_path=ids / "a.key", public_path=ids / "a.json")
        identities.new("board", "b", key_path=ids / "b.key", public_path=ids / "b.json")
        self.authority_key, self.board_key = ids / "a.key", ids / "b.key"
        cases.load_demo_case(database_url)
        cases.add_event(database_url, "sag-2008", TENTATIVE, recorded_by="test")
        self.app: FastAPI = create_app(database_url, settings=Settings(board_key=ids / "b.key"))
        self.staff = signed_in(self.app, database_url, "staff")
        self.committee = signed_in(self.app, database_url, "negotiating_committee")
        self.member = signed_in(self.app, database_url, "member", "m0")
        self.trustee = signed_in(self.app, database_url, "trustee")
        self.anonymous = TestClient(self.app)
        for c in (self.staff, self.committee):
            c.headers.pop("X-CSRF-Token")  # the forms carry their own token
        now = datetime.now(UTC)
        self.closes = now + closes_in
        self.keys = tmp_path / "keys"
        ballots.create(database_url, election_id="rat", question="ratification",
                       text="Do you ratify?", opens_at=now - timedelta(minutes=1),
                       closes_at=self.closes, trustees=3, quorum=2, key_dir=self.keys,
                       authority_path=ids / "a.json", board_key_path=ids / "b.key",
                       case_id="sag-2008")  # fmt: skip

    manage = "/elections/rat/manage"

    def post(self, client: TestClient, step: str, **kwargs: Any) -> Any:
        data = {**kwargs.pop("data", {}), "csrf": _form_token(client, self.manage)}
        return client.post(f"/elections/rat/{step}", data=data, follow_redirects=False, **kwargs)

    def status(self) -> dict[str, Any]:
        return self.member.get("/api/elections/rat").json()

    def board(self) -> list[str]:
        return ballots.board_lines(self.url, "rat")

    def recorded(self, kind: str) -> list[dict[str, Any]]:
        events = self.anonymous.get("/api/cases/sag-2008").json()["events"]
        return [e for e in events if e["kind"] == kind and e["details"].get("vote") == "rat"]

    def roll_and_publish(self) -> None:
        day = datetime.now(UTC).date().isoformat()
        done = self.post(self.staff, "roll", data={"record_date": day},
                         files={"roll": ("roll.csv", ROLL.encode())})  # fmt: skip
        assert done.status_code == 303, done.text
        assert self.post(self.staff, "publish").status_code == 303

    def authority_files(self) -> tuple[Path, Path]:
        """What the staff download and hand the authority: the election file and the roll."""
        election = self.staff.get("/elections/rat/election.json")
        roll = self.staff.get("/elections/rat/authority/roll.csv")
        assert election.status_code == 200 and roll.status_code == 200
        assert "attachment" in roll.headers["content-disposition"]
        away = self.tmp / "authority-machine"
        away.mkdir()
        (away / "rat.json").write_bytes(election.content)
        (away / "rat-roll.csv").write_bytes(roll.content)
        return away / "rat.json", away / "rat-roll.csv"

    def make_credentials(self) -> tuple[Path, list[str]]:
        """The authority, on its own machine, from the downloaded files alone."""
        election, roll = self.authority_files()
        mailing, signed = election.parent / "mailing.csv", election.parent / "credentials.json"
        made = authority.make_credentials(election, roll, key_path=self.authority_key,
                                          mailing=mailing, out=signed)  # fmt: skip
        assert made == 4
        with mailing.open() as f:
            return signed, [row["credential"] for row in csv.DictReader(f)]

    def upload_credentials(self, client: TestClient, name: str, content: bytes) -> Any:
        return self.post(client, "credentials", files={"credentials": (name, content)})


def test_a_vote_runs_whole_through_the_pages_and_the_record_names_who_did_each_step(
    database_url: str, tmp_path: Path
) -> None:
    vote = Vote(database_url, tmp_path, closes_in=timedelta(seconds=10))
    bad = vote.post(vote.staff, "roll", data={"record_date": "2025-01-01"},
                    files={"roll": ("members.csv", b"member_id,standing\nm1,good\n")})  # fmt: skip
    assert bad.status_code == 422
    assert "members.csv" in bad.text and "lacks paid_through" in bad.text
    assert str(tmp_path) not in bad.text and "/tmp" not in bad.text
    vote.roll_and_publish()
    assert vote.status()["state"] == "frozen"
    assert "roll's 4 eligible members" in vote.staff.get(vote.manage).text

    signed, credentials = vote.make_credentials()
    done = vote.upload_credentials(vote.staff, "credentials.json", signed.read_bytes())
    assert done.status_code == 303, done.text
    assert vote.status()["credentials_issued"] == 4
    assert "4 credentials for 4 members are on the board" in vote.staff.get(vote.manage).text

    opened = vote.post(vote.committee, "open")
    assert opened.status_code == 303, opened.text.split("refusal")[-1][:1500]
    [event] = vote.recorded("vote_opened")
    assert event["recorded_by"] == "negotiating_committee@guild.test (negotiating_committee)"

    for credential, choice in zip(credentials, ("yes", "yes", "no"), strict=False):
        ballots.cast(database_url, "rat", ballots.prepare_ballot(database_url, "rat", credential,
                                                                  choice).as_json())  # fmt: skip
    early = vote.post(vote.staff, "close")
    assert early.status_code == 409 and "the vote runs until" in early.text
    time.sleep(max(0.0, (vote.closes - datetime.now(UTC)).total_seconds()) + 0.2)
    assert vote.post(vote.staff, "close").status_code == 303

    board = tmp_path / "board.jsonl"
    board.write_bytes(vote.anonymous.get("/elections/rat/board.jsonl").content)
    shares = []
    for index in (1, 3):
        share = tmp_path / f"share-{index}.json"
        trustee.decrypt(board, key_path=vote.keys / f"rat-trustee-{index}.json",
                        identity_key=None, share_path=share)  # fmt: skip
        shares.append(("shares", (share.name, share.read_bytes(), "application/json")))
    assert "0 of the 2 trustees" in vote.staff.get(vote.manage).text
    assert vote.post(vote.staff, "tally", files=shares).status_code == 303
    rows = vote.trustee.get("/elections/rat/trustees").text.split('id="trustee-')
    assert "<td>yes</td></tr>" in rows[1] and "<td>yes</td></tr>" in rows[3]
    assert "<td>no</td></tr>" in rows[2]
    assert vote.post(vote.committee, "certify").status_code == 303
    result = vote.status()["result"]
    assert result["certified"] is True and result["yes"] == 2 and result["no"] == 1
    [closed] = vote.recorded("vote_closed")
    assert closed["recorded_by"] == "negotiating_committee@guild.test (negotiating_committee)"
    assert closed["details"]["yes"] == 2 and closed["details"]["passed"] is True


def test_the_authoritys_files_are_the_election_file_and_the_roll_it_was_published_from(
    database_url: str, tmp_path: Path
) -> None:
    vote = Vote(database_url, tmp_path, closes_in=timedelta(days=1))
    vote.roll_and_publish()
    election, roll = vote.authority_files()
    first = json.loads(vote.board()[0])["body"]
    assert json.loads(election.read_text()) == first, "the board's first entry"
    assert vote.anonymous.get("/elections/rat/election.json").content == election.read_bytes()
    lines = roll.read_text().splitlines()
    assert lines[0] == "member_id,standing,paid_through"
    assert sorted(line.split(",")[0] for line in lines[1:]) == ["m0", "m1", "m2", "m3"]
    assert "m9" not in roll.read_text(), "only the eligible members are handed out"
    for who in (vote.member, vote.trustee, vote.committee):
        assert who.get("/elections/rat/authority/roll.csv").status_code == 403
    assert vote.anonymous.get("/elections/rat/authority/roll.csv").status_code == 401


def _swapped(signed: bytes) -> bytes:
    data = json.loads(signed)
    data["credentials"][0] = data["credentials"][1][:-1] + (
        "0" if data["credentials"][1][-1] != "0" else "1"
    )
    data["credentials"].sort()
    return json.dumps(data).encode()


def _short(signed: bytes) -> bytes:
    data = json.loads(signed)
    data["credentials"].pop()
    return json.dumps(data).encode()


@pytest.mark.parametrize(
    ("change", "name", "status", "says"),
    [
        (lambda b: b[:40], "list.json", 422, "list.json:2:14</code>: not valid JSON"),
        (lambda b: b"\xff" + b, "list.json", 422, "not UTF-8"),
        (_swapped, "swapped.json", 422, "not the credential authority's signature"),
        (_short, "short.json", 422, "3 credentials published for 4 eligible members"),
    ],
    ids=["cut-short", "not-utf8", "credential-swapped", "one-missing"],
)
def test_a_bad_credential_list_is_refused_on_the_form_saying_where_and_why_and_nothing_is_written(
    database_url: str, tmp_path: Path, change: Any, name: str, status: int, says: str
) -> None:
    vote = Vote(database_url, tmp_path, closes_in=timedelta(days=1))
    vote.roll_and_publish()
    signed, _ = vote.make_credentials()
    before = vote.board()
    refused = vote.upload_credentials(vote.staff, name, change(signed.read_bytes()))
    assert refused.status_code == status, refused.text[-2000:]
    page = refused.text.replace("&#39;", "'")
    assert 'id="refusal"' in page, page[:3000]
    assert says in page and name in page, page.split('id="refusal"')[1][:1000]
    assert "Nothing was changed" in page and str(tmp_path) not in page
    assert vote.board() == before
    assert vote.status()["credentials_issued"] == 0
    again = vote.upload_credentials(vote.staff, "credentials.json", signed.read_bytes())
    assert again.status_code == 303, "the right list still goes in afterwards"
    twice = vote.upload_credentials(vote.staff, "credentials.json", signed.read_bytes())
    assert twice.status_code == 409 and "imported already" in twice.text


def test_only_the_office_takes_the_authoritys_steps_spoils_and_checkpoints(
    database_url: str, tmp_path: Path
) -> None:
    vote = Vote(database_url, tmp_path, closes_in=timedelta(days=1))
    for who in (vote.member, vote.trustee, vote.committee):
        token = _form_token(vote.staff, vote.manage)  # a valid form, sent by the wrong role
        for step in ("publish", "credentials", "spoil", "checkpoint"):
            answer = who.post(f"/elections/rat/{step}", data={"csrf": token})
            assert answer.status_code == 403, (step, answer.text)
    for step in ("publish", "credentials", "spoil", "checkpoint"):
        assert vote.anonymous.post(f"/elections/rat/{step}").status_code == 401
    assert vote.status()["state"] == "draft"
    refused = vote.post(vote.staff, "publish")
    assert refused.status_code == 409 and "no roll has been imported" in refused.text


def test_staff_spoil_an_audited_ballot_and_sign_a_checkpoint_from_the_page(
    database_url: str, tmp_path: Path
) -> None:
    vote = Vote(database_url, tmp_path, closes_in=timedelta(days=1))
    vote.roll_and_publish()
    signed, credentials = vote.make_credentials()
    assert vote.upload_credentials(vote.staff, "c.json", signed.read_bytes()).status_code == 303
    assert vote.post(vote.committee, "open").status_code == 303
    # a member's device, from the published election file, encrypts and keeps the audit record
    election_file = tmp_path / "authority-machine" / "rat.json"
    ballot_path, record_path = tmp_path / "ballot.json", tmp_path / "record.json"
    ballot = ballots.encrypt_from_file(election_file, credentials[0], "no", record_path)
    ballot_path.write_text(json.dumps(ballot.as_json()))
    record = json.loads(record_path.read_text())
    lying = json.dumps({**record, "choice": "yes"}).encode()
    before = vote.board()
    files = {"ballot": ("ballot.json", ballot_path.read_bytes()), "record": ("record.json", lying)}
    refused = vote.post(vote.staff, "spoil", files=files)
    assert refused.status_code == 422 and "Nothing was changed" in refused.text
    assert vote.board() == before
    not_json = vote.post(vote.staff, "spoil", files={**files, "record": ("r.json", b"{")})
    assert not_json.status_code == 422 and "r.json:1:" in not_json.text
    files["record"] = ("record.json", record_path.read_bytes())
    assert vote.member.post("/elections/rat/spoil", files=files).status_code == 403
    assert vote.post(vote.staff, "spoil", files=files).status_code == 303
    after = vote.board()
    spoiled = json.loads(after[-1])
    assert len(after) == len(before) + 1
    assert spoiled["kind"] == "spoiled" and spoiled["body"]["choice"] == "no"
    with pytest.raises(InvalidInput, match="spoiled"):
        ballots.cast(database_url, "rat", ballot.as_json())

    answer = vote.post(vote.staff, "checkpoint")
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-disposition"].startswith("attachment;")
    checkpoint = answer.json()
    last = json.loads(vote.board()[-1])
    assert checkpoint["seq"] == last["seq"] and checkpoint["head"] == last["hash"]
    board_public = identity.public_of(identities.read_private(vote.board_key))
    assert identity.verify(identity.TAG_CHECKPOINT, board_public, checkpoint)
    assert not identity.verify(identity.TAG_CHECKPOINT, board_public, {**checkpoint, "seq": 1})
    assert vote.board() == after, "a checkpoint writes nothing to the board"


def test_an_upload_over_the_limit_is_refused_whole_never_read_cut_short(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A roll one byte over the limit would, cut at the limit, end on a whole row and pass
    as a shorter roll: it is refused, naming the file, and no member is added."""
    from guildhall.web.routes import election_pages

    vote = Vote(database_url, tmp_path, closes_in=timedelta(days=1))
    monkeypatch.setattr(election_pages, "UPLOAD_LIMIT", len(ROLL.encode()) - 1)
    day = datetime.now(UTC).date().isoformat()
    refused = vote.post(vote.staff, "roll", data={"record_date": day},
                        files={"roll": ("roll.csv", ROLL.encode())})  # fmt: skip
    assert refused.status_code == 422, refused.text[-2000:]
    assert "roll.csv" in refused.text and "larger than an upload may be" in refused.text
    assert vote.status()["eligible"] == 0
    monkeypatch.setattr(election_pages, "UPLOAD_LIMIT", len(ROLL.encode()))
    vote.roll_and_publish()
    assert vote.status()["eligible"] == 4
