"""Steps the ballot tests share: identities, the credential authority's step from the
election file and the roll, from the command line or through the services."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

from guildhall.cli.app import run


def identity(tmp: Path, role: str, name: str) -> tuple[Path, Path]:
    """(private key, public identity) made with ``ballots identity new``."""
    key, public = tmp / "ids" / f"{name}.key.json", tmp / "ids" / f"{name}.json"
    assert run(["ballots", "identity", "new", "--role", role, "--name", name,
                "--key", str(key), "--out", str(public)]) == 0  # fmt: skip
    return key, public


def officers(tmp: Path) -> list[str]:
    """The authority's and the board's identities, as ``create`` options."""
    _, authority = identity(tmp, "authority", "authority")
    board_key, _ = identity(tmp, "board", "board")
    return ["--authority", str(authority), "--board-key", str(board_key)]


def write_roll(path: Path, members: int, paid_through: str) -> Path:
    with path.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["member_id", "standing", "paid_through"])
        w.writerows([f"M{i:05d}", "good", paid_through] for i in range(members))
        w.writerow(["M99999", "lapsed", "2007-01-01"])
    return path


def publish_and_credentials(db: Sequence[str], election: str, tmp: Path, roll: Path) -> list[str]:
    """Publish, have the authority make the credentials on its own machine (no ``--db``),
    import its signed list; returns the private credentials in mailing order."""
    election_file = tmp / "election.json"
    assert run([*db, "publish", election, "--out", str(election_file)]) == 0
    mailing, signed = tmp / "mailing.csv", tmp / "credentials.json"
    assert run(["ballots", "credentials", "make", str(election_file), str(roll), "--key",
                str(tmp / "ids" / "authority.key.json"), "--mailing", str(mailing),
                "--out", str(signed)]) == 0  # fmt: skip
    assert run([*db, "credentials", "import", election, str(signed)]) == 0
    with mailing.open() as f:
        return [row["credential"] for row in csv.DictReader(f)]


def service_vote(url: str, tmp: Path, election: str, members: int, clock: object,
                 opens: datetime, closes: datetime) -> list[str]:  # fmt: skip
    """The same steps through the services: a ratification of ``members`` members, open;
    returns the private credentials."""
    from guildhall.services import ballots as service
    from guildhall.services.ballots import authority, identities

    ids = tmp / f"{election}-ids"
    identities.new("authority", "a", key_path=ids / "a.key", public_path=ids / "a.json")
    identities.new("board", "b", key_path=ids / "b.key", public_path=ids / "b.json")
    service.create(
        url,
        election_id=election,
        question="ratification",
        text="Ratify?",
        opens_at=opens,
        closes_at=closes,
        trustees=3,
        quorum=2,
        authority_path=ids / "a.json",
        board_key_path=ids / "b.key",
        key_dir=tmp / f"{election}-keys",
        clock=clock,
    )  # type: ignore[arg-type]
    roll = tmp / f"{election}-roll.csv"
    roll.write_text("member_id,standing,paid_through\n"
                    + "".join(f"m{i},good,2099-12-31\n" for i in range(members)))  # fmt: skip
    record_date = (opens - timedelta(days=1)).date()
    service.import_roll(url, election, roll, record_date=record_date, clock=clock)  # type: ignore[arg-type]
    service.publish(url, election, tmp / f"{election}.json", clock=clock)  # type: ignore[arg-type]
    authority.make_credentials(tmp / f"{election}.json", roll, key_path=ids / "a.key",
                               mailing=tmp / f"{election}-mailing.csv",
                               out=tmp / f"{election}-credentials.json")  # fmt: skip
    service.import_credentials(url, election, tmp / f"{election}-credentials.json", clock=clock)  # type: ignore[arg-type]
    service.open_election(url, election, clock=clock)  # type: ignore[arg-type]
    with (tmp / f"{election}-mailing.csv").open() as f:
        return [row["credential"] for row in csv.DictReader(f)]
