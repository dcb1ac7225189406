"""The administrator attacks its own vote through the database it runs: each attack is
refused at the step that should stop it, or caught by the verifier."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from ballot_boards import verify
from ballot_cli import service_vote
from sqlalchemy import create_engine, text

from guildhall.ballots import credentials, identity
from guildhall.core.clock import FixedClock
from guildhall.core.errors import InvalidInput
from guildhall.services import ballots as service
from guildhall.services.ballots import authority, identities

OPENS, CLOSES = datetime(2025, 3, 1, tzinfo=UTC), datetime(2025, 3, 20, tzinfo=UTC)
BEFORE, DURING = FixedClock(OPENS), FixedClock(datetime(2025, 3, 2, tzinfo=UTC))
AFTER = FixedClock(datetime(2025, 3, 21, tzinfo=UTC))


def _draft(url: str, tmp: Path, members: int) -> Path:
    """A ratification with its roll imported, not yet published; returns the roll."""
    ids = tmp / "ids"
    identities.new("authority", "a", key_path=ids / "a.key", public_path=ids / "a.json")
    identities.new("board", "b", key_path=ids / "b.key", public_path=ids / "b.json")
    service.create(url, election_id="rat", question="ratification", text="Ratify?",
                   opens_at=OPENS, closes_at=CLOSES, authority_path=ids / "a.json",
                   board_key_path=ids / "b.key", key_dir=tmp / "keys", clock=BEFORE)  # fmt: skip
    roll = tmp / "roll.csv"
    roll.write_text("member_id,standing,paid_through\n"
                    + "".join(f"m{i},good,2099-12-31\n" for i in range(members)))  # fmt: skip
    service.import_roll(url, "rat", roll, record_date=datetime(2025, 2, 1).date(), clock=BEFORE)
    return roll


def _sql(url: str, statement: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(statement))
    engine.dispose()


def _finish(url: str, tmp: Path, roll: Path, choices: list[str]) -> list[bytes]:
    service.publish(url, "rat", tmp / "election.json", clock=BEFORE)
    authority.make_credentials(tmp / "election.json", roll, key_path=tmp / "ids" / "a.key",
                               mailing=tmp / "mailing.csv", out=tmp / "list.json")  # fmt: skip
    service.import_credentials(url, "rat", tmp / "list.json", clock=BEFORE)
    service.open_election(url, "rat", clock=BEFORE)
    creds = [ln.split(",")[1] for ln in (tmp / "mailing.csv").read_text().splitlines()[1:]]
    for c, choice in zip(creds, choices, strict=False):
        service.cast(url, "rat", service.prepare_ballot(url, "rat", c, choice).as_json(),
                     clock=DURING)  # fmt: skip
    service.close(url, "rat", clock=AFTER)
    service.tally(url, "rat", [service.read_key(p) for p in sorted((tmp / "keys").iterdir())],
                  clock=AFTER)  # fmt: skip
    return [ln.encode() for ln in service.board_lines(url, "rat")]


def test_inverted_options_do_not_invert_the_outcome(sqlite_url: str, tmp_path: Path) -> None:
    """The administrator lists the options as no, yes in its database before publishing:
    yes is still named as the motion, so three yes and one no still pass."""
    roll = _draft(sqlite_url, tmp_path, 4)
    _sql(sqlite_url, """UPDATE ballot_elections SET options = '["no", "yes"]'""")
    lines = _finish(sqlite_url, tmp_path, roll, ["yes", "yes", "no", "yes"])
    result = service.result(sqlite_url, "rat")
    assert (result["yes"], result["no"], result["passed"]) == (3, 1, True)
    report = verify(lines)
    assert report.is_valid and report.result is not None
    assert report.result["counts"] == {"no": 1, "yes": 3} and report.result["passed"] is True


def test_a_manifest_that_makes_no_the_motion_is_not_published(
    sqlite_url: str, tmp_path: Path
) -> None:
    _draft(sqlite_url, tmp_path, 4)
    _sql(sqlite_url, "UPDATE ballot_elections SET motion = 'no'")
    with pytest.raises(InvalidInput, match="motion"):
        service.publish(sqlite_url, "rat", tmp_path / "election.json", clock=BEFORE)
    assert not (tmp_path / "election.json").exists()


def test_the_server_cannot_stuff_credentials(sqlite_url: str, tmp_path: Path) -> None:
    """The server swaps unused credentials in the authority's list for keys of its own:
    the import refuses the list, naming the signature."""
    roll = _draft(sqlite_url, tmp_path, 6)
    service.publish(sqlite_url, "rat", tmp_path / "election.json", clock=BEFORE)
    authority.make_credentials(tmp_path / "election.json", roll,
                               key_path=tmp_path / "ids" / "a.key",
                               mailing=tmp_path / "mailing.csv",
                               out=tmp_path / "list.json")  # fmt: skip
    signed = json.loads((tmp_path / "list.json").read_text())
    mine = [credentials.public_of(identity.new_seed()).hex() for _ in range(2)]
    signed["credentials"] = sorted([*signed["credentials"][2:], *mine])
    (tmp_path / "stuffed.json").write_text(json.dumps(signed))
    with pytest.raises(InvalidInput, match="signature") as refused:
        service.import_credentials(sqlite_url, "rat", tmp_path / "stuffed.json", clock=BEFORE)
    assert "not the credential authority's signature" in str(refused.value.problems[0])
    # Nor can it sign a list with a key of its own: the manifest names the authority's.
    server_seed = identity.new_seed()
    own = credentials.signed_list(signed["election"], [bytes.fromhex(c) for c in mine * 3],
                                  server_seed)  # fmt: skip
    (tmp_path / "own.json").write_text(json.dumps(own))
    with pytest.raises(InvalidInput, match="signature"):
        service.import_credentials(sqlite_url, "rat", tmp_path / "own.json", clock=BEFORE)
    assert service.status(sqlite_url, "rat", clock=BEFORE)["state"] == "frozen"


def test_the_authority_works_from_the_election_file_and_the_roll_alone(tmp_path: Path) -> None:
    """No database: a roll that is not the one published, or another key, is refused."""
    url = f"sqlite:///{tmp_path / 'server.db'}"
    roll = _draft(url, tmp_path, 3)
    service.publish(url, "rat", tmp_path / "election.json", clock=BEFORE)
    longer = tmp_path / "longer.csv"
    longer.write_text(roll.read_text() + "m9,good,2099-12-31\n")
    with pytest.raises(InvalidInput, match="not the roll the election was published from"):
        authority.make_credentials(tmp_path / "election.json", longer,
                                   key_path=tmp_path / "ids" / "a.key",
                                   mailing=tmp_path / "m.csv", out=tmp_path / "l.json")  # fmt: skip
    with pytest.raises(InvalidInput, match="not the credential authority's key"):
        authority.make_credentials(tmp_path / "election.json", roll,
                                   key_path=tmp_path / "ids" / "b.key",
                                   mailing=tmp_path / "m.csv", out=tmp_path / "l.json")  # fmt: skip
    assert not (tmp_path / "m.csv").exists() and not (tmp_path / "l.json").exists()


def test_checkpoints_while_open(sqlite_url: str, tmp_path: Path) -> None:
    creds = service_vote(sqlite_url, tmp_path, "cp", 3, BEFORE, OPENS, CLOSES)
    service.cast(sqlite_url, "cp", service.prepare_ballot(sqlite_url, "cp", creds[0], "yes")
                 .as_json(), clock=DURING)  # fmt: skip
    ids = tmp_path / "cp-ids"
    cp = service.checkpoint(sqlite_url, "cp", board_key=ids / "b.key",
                            out=tmp_path / "checkpoint-1.json",
                            clock=DURING)  # fmt: skip
    assert cp["seq"] == 3
    with pytest.raises(InvalidInput, match="not the board key"):
        service.checkpoint(sqlite_url, "cp", board_key=ids / "a.key", out=tmp_path / "x.json",
                           clock=DURING)  # fmt: skip
