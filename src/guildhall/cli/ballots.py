"""``guildhall ballots``: run a verifiable member vote, step by step.

create → roll import → credentials issue → open → cast → close → tally → certify,
then anyone can ``verify`` the exported board. ``show`` gives live turnout and what
blocks opening; ``result`` exists only after the tally. ``trustee`` holds the steps each
trustee runs on their own machine (deal → seal → receive before ``create``; ``decrypt``
before ``tally``); they need no database.
"""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path

import typer

from guildhall.cli.context import database_url
from guildhall.cli.output import print_json
from guildhall.core.clock import Clock, SystemClock
from guildhall.core.errors import InvalidInput
from guildhall.core.problems import Location, Problem

ELECTION = typer.Argument(..., metavar="ELECTION", help="The election's id.")

CLOCK: Clock = SystemClock()
"""The clock every command reads; tests replace it."""

app = typer.Typer(help="Verifiable strike-authorization and ratification votes.",
                  no_args_is_help=True)  # fmt: skip
roll_app = typer.Typer(help="The roll of eligible members.", no_args_is_help=True)
credentials_app = typer.Typer(help="Voting credentials.", no_args_is_help=True)
trustee_app = typer.Typer(
    help="A trustee's steps, on the trustee's own machine: no database, only files.",
    no_args_is_help=True,
)
app.add_typer(roll_app, name="roll")
app.add_typer(credentials_app, name="credentials")
app.add_typer(trustee_app, name="trustee")


def _when(text: str, field: str) -> datetime:
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            [Problem(Location(field=field), f"{text!r} is not an ISO time")]
        ) from None
    if at.tzinfo is None:
        raise InvalidInput([Problem(Location(field=field), f"{text!r} needs a UTC offset")])
    return at


@app.command()
def create(
    election: str = typer.Argument(..., help="A short id for the election."),
    question: str = typer.Option(..., help="strike_authorization, ratification, ..."),
    text: str = typer.Option(..., help="The question as put to members."),
    opens: str = typer.Option(..., help="Opening time, ISO 8601 with offset."),
    closes: str = typer.Option(..., help="Closing time, ISO 8601 with offset."),
    case: str | None = typer.Option(None, help="The bargaining case the vote belongs to."),
    dealing: list[Path] = typer.Option([], help="Each trustee's public dealing, from "
                                       "`trustee deal` (the trustees hold their own keys)."),
    trustees: int = typer.Option(3, help="Without --dealing: number of trustees."),
    quorum: int = typer.Option(2, help="Without --dealing: trustees needed to decrypt."),
    key_dir: Path | None = typer.Option(None, help="Without --dealing: run the whole key "
                                        "ceremony here and write every trustee's key file "
                                        "to this folder (this machine sees every share)."),
    allow_blank: bool = typer.Option(False, help="Allow blank ballots."),
) -> None:  # fmt: skip
    """Create a draft election with the trustees' public keys."""
    from guildhall.services import ballots as service

    paths = service.create(
        database_url(), election_id=election, question=question, text=text,
        opens_at=_when(opens, "opens"), closes_at=_when(closes, "closes"), trustees=trustees,
        quorum=quorum, key_dir=key_dir, dealing_paths=dealing, case_id=case,
        allow_blank=allow_blank, clock=CLOCK,
    )  # fmt: skip
    if not paths:
        typer.echo(f"created {election} with the keys of {len(dealing)} trustees")
        return
    typer.echo(f"created {election}; trustee keys (give one to each trustee):")
    for p in paths:
        typer.echo(f"  {p}")


@trustee_app.command("deal")
def trustee_deal(
    election: str = ELECTION,
    trustee: int = typer.Option(..., help="This trustee's number, 1..n."),
    trustees: int = typer.Option(..., help="Number of trustees, n."),
    quorum: int = typer.Option(..., help="Trustees needed to decrypt, k."),
    state: Path = typer.Option(..., help="Where to keep this trustee's private state."),
    out: Path = typer.Option(..., help="The public dealing to hand in."),
) -> None:
    """Step 1: draw this trustee's share of the key; hand in the public dealing."""
    from guildhall.services.ballots import trustee as trustee_service

    trustee_service.deal(election, trustee, n=trustees, k=quorum, state_path=state,
                         dealing_path=out)  # fmt: skip
    typer.echo(f"trustee {trustee}: state kept in {state} (private); hand in {out}")


@trustee_app.command("seal")
def trustee_seal(
    election: str = ELECTION,
    state: Path = typer.Option(..., help="This trustee's state, from `trustee deal`."),
    dealing: list[Path] = typer.Option(..., help="Every trustee's public dealing."),
    out: Path = typer.Option(..., help="The sealed shares to hand in."),
) -> None:
    """Step 2: seal a share for each other trustee, readable only by that trustee."""
    from guildhall.services.ballots import trustee as trustee_service

    count = trustee_service.seal(election, state_path=state, dealing_paths=dealing,
                                 sealed_path=out)  # fmt: skip
    typer.echo(f"{count} shares sealed; hand in {out}")


@trustee_app.command("receive")
def trustee_receive(
    election: str = ELECTION,
    state: Path = typer.Option(..., help="This trustee's state, from `trustee deal`."),
    dealing: list[Path] = typer.Option(..., help="Every trustee's public dealing."),
    sealed: list[Path] = typer.Option(..., help="Every other trustee's sealed shares."),
    key: Path = typer.Option(..., help="Where to write this trustee's key (private)."),
) -> None:
    """Step 3: open and check the shares sent to this trustee; write its key."""
    from guildhall.services.ballots import trustee as trustee_service

    made = trustee_service.receive(election, state_path=state, dealing_paths=dealing,
                                   sealed_paths=sealed, key_path=key)  # fmt: skip
    typer.echo(f"trustee {made.index}: key written to {key}; the state file can be destroyed")


@trustee_app.command("decrypt")
def trustee_decrypt(
    board: Path = typer.Argument(..., help="The exported board of the closed vote."),
    key: Path = typer.Option(..., help="This trustee's key file."),
    out: Path = typer.Option(..., help="The decryption share to hand in."),
) -> None:
    """After the vote closes: this trustee's decryption share of the board's total."""
    from guildhall.services.ballots import trustee as trustee_service

    share = trustee_service.decrypt(board, key_path=key, share_path=out)
    typer.echo(f"trustee {share['trustee']}: decryption share written to {out}")


@roll_app.command("import")
def roll_import(
    election: str = ELECTION,
    file: Path = typer.Argument(..., help="The roll: a CSV of member_id, standing, paid_through."),
    record_date: str = typer.Option(..., help="Members in good standing on this date vote."),
) -> None:  # fmt: skip
    """Import the roll from CSV (member_id, standing, paid_through)."""
    from guildhall.services import ballots as service

    try:
        day = date.fromisoformat(record_date)
    except ValueError:
        what = f"{record_date!r} is not a YYYY-MM-DD date"
        raise InvalidInput([Problem(Location(field="record-date"), what)]) from None
    eligible, others = service.import_roll(database_url(), election, file, record_date=day,
                                           clock=CLOCK)  # fmt: skip
    typer.echo(f"{eligible} members eligible; {others} not eligible on {day}")


@credentials_app.command("issue")
def credentials_issue(
    election: str = ELECTION,
    mailing: Path = typer.Option(..., help="Where to write member ids and private credentials "
                                 "for delivery; destroy it after delivery."),
) -> None:  # fmt: skip
    """Freeze the roll, issue credentials and publish the manifest and credential list."""
    from guildhall.services import ballots as service

    count = service.issue_credentials(database_url(), election, mailing, clock=CLOCK)
    typer.echo(f"{count} credentials issued; mailing file {mailing}")


@app.command()
def show(election: str = ELECTION, format: str = typer.Option("text", help="text or json")) -> None:
    """Lifecycle, live turnout, and what blocks opening. Never a partial result."""
    from guildhall.services import ballots as service

    data = service.status(database_url(), election, clock=CLOCK)
    if format == "json":
        print_json(data)
        return
    typer.echo(f"{data['id']} ({data['question']}): {data['state']}")
    typer.echo(f"turnout: {data['cast']} of {data['eligible']} eligible")
    for b in data["blocks_opening"]:
        typer.echo(f"blocks opening: {b}")


@app.command("open")
def open_(election: str = ELECTION) -> None:
    """Open the vote (for a case: a vote_opened event the case's rules must allow)."""
    from guildhall.services import ballots as service

    service.open_election(database_url(), election, clock=CLOCK)
    typer.echo(f"{election} is open")


@app.command()
def encrypt(
    election: str = ELECTION,
    credential: str = typer.Option(..., help="The member's private credential."),
    choice: str = typer.Option(..., help="yes, no (or blank, if the election allows it)."),
    audit_record: Path | None = typer.Option(
        None, "--audit-record", help="Also write what reveals this ballot's choice, to check "
        "the encryption with `ballots audit`; a ballot audited is never cast.",
    ),
) -> None:  # fmt: skip
    """Prepare a ballot on the member's own machine; prints the ballot JSON."""
    from guildhall.services import ballots as service

    url = database_url()
    if audit_record is None:
        ballot = service.prepare_ballot(url, election, credential, choice)
    else:
        ballot = service.prepare_audited_ballot(url, election, credential, choice, audit_record)
    print_json(ballot.as_json())


@app.command()
def audit(
    election: str = ELECTION,
    ballot: Path = typer.Argument(..., help="The ballot JSON that `encrypt` printed."),
    record: Path = typer.Option(..., help="Its audit record (`encrypt --audit-record`)."),
) -> None:
    """Check, on another machine, that a ballot holds the choice its device said (cast or
    audit: an audited ballot is spoiled; encrypt again to vote)."""
    from guildhall.services import ballots as service

    choice, problem = service.audit(database_url(), election, ballot, record)
    if problem:
        typer.echo(f"FAIL {problem}", err=True)
        raise typer.Exit(1)
    typer.echo(f"the ballot holds {choice!r}; it is spoiled: encrypt again to vote")


@app.command()
def cast(
    election: str = ELECTION,
    ballot: list[Path] = typer.Option([], help="Ballot JSON files (or JSON Lines) to cast."),
    credential: str | None = typer.Option(None, help="Encrypt and cast in one step."),
    choice: str | None = typer.Option(None, help="yes, no (or blank) with --credential."),
    votes: Path | None = typer.Option(None, help="CSV of credential,choice: each is "
                                      "encrypted on this machine and cast."),
) -> None:  # fmt: skip
    """Cast ballots; prints each tracker once the ballot is stored."""
    from guildhall.services import ballots as service
    from guildhall.services.ballots.files import read_ballots, read_votes

    url = database_url()
    # Every file is read and every ballot prepared before the first is cast, so a bad file
    # or row casts nothing.
    items: list[object] = [item for path in ballot for item in read_ballots(path)]
    if credential is not None:
        if choice is None:
            raise InvalidInput([Problem(Location(field="choice"), "--choice is needed")])
        items.append(service.prepare_ballot(url, election, credential, choice).as_json())
    if votes is not None:
        items += [service.prepare_ballot(url, election, c, v).as_json()
                  for c, v in read_votes(votes)]  # fmt: skip
    for item in items:
        typer.echo(service.cast(url, election, item, clock=CLOCK))


@app.command()
def track(
    election: str = ELECTION,
    tracker: str = typer.Argument(..., help="The tracker `cast` printed for the ballot."),
) -> None:
    """Find a ballot on the board by its tracker."""
    from guildhall.services import ballots as service

    seq = service.find_tracker(database_url(), election, tracker)
    if seq is None:
        typer.echo(f"tracker {tracker} is not on the board", err=True)
        raise typer.Exit(1)
    typer.echo(f"on the board at seq {seq}")


@app.command()
def close(election: str = ELECTION) -> None:
    """Close the vote once its closing time has come."""
    from guildhall.services import ballots as service

    count = service.close(database_url(), election, clock=CLOCK)
    typer.echo(f"{election} closed with {count} ballots")


@app.command()
def tally(
    election: str = ELECTION,
    share: list[Path] = typer.Option([], help="Trustees' decryption shares, from "
                                     "`trustee decrypt` (at least k)."),
    key: list[Path] = typer.Option([], help="Or the trustees' key files themselves."),
) -> None:  # fmt: skip
    """Sum the ballots and decrypt the total with at least k trustees."""
    from guildhall.services import ballots as service
    from guildhall.services.ballots import trustee as trustee_service

    keys = [service.read_key(p) for p in key]
    shares = trustee_service.read_shares(share)
    outcome = service.tally(database_url(), election, keys, shares=shares, clock=CLOCK)
    typer.echo(f"tallied {outcome.cast} ballots; {'passed' if outcome.passed else 'failed'}")


@app.command()
def certify(election: str = ELECTION) -> None:
    """Certify the result and record it on the case (vote_closed)."""
    from guildhall.services import ballots as service

    result = service.certify(database_url(), election, clock=CLOCK)
    typer.echo(f"certified: {'passed' if result['passed'] else 'failed'}")


@app.command()
def board(
    election: str = ELECTION,
    output: Path | None = typer.Option(
        None, "-o", "--output", help="Write to this file instead of standard output."
    ),
    force: bool = typer.Option(False, "--force", help="Replace an --output file that exists."),
) -> None:
    """Export the public board as JSON Lines."""
    from guildhall.files.output import refuse_existing, write_text
    from guildhall.services import ballots as service

    if output is not None:
        refuse_existing(output, force=force)
    lines = service.board_lines(database_url(), election)
    text = "".join(line + "\n" for line in lines)
    if output is None:
        sys.stdout.write(text)
    else:
        write_text(output, text, force=force)
        typer.echo(f"{len(lines)} entries written to {output}")


@app.command()
def verify(
    board: Path = typer.Argument(..., help="The exported board (JSON Lines)."),
    workers: int | None = typer.Option(None, help="Processes (default: every core)."),
    format: str = typer.Option("text", help="text or json"),
) -> None:
    """Check a published board: signatures, proofs, chain, tally, decryption, outcome."""
    from guildhall.ballots.verify import verify_board

    report = verify_board(board, workers=workers)
    if format == "json":
        print_json({"valid": report.is_valid, "entries": report.entries,
                    "ballots": report.ballots, "failures": [str(f) for f in report.failures],
                    "result": report.result})  # fmt: skip
    else:
        for failure in report.failures:
            typer.echo(f"FAIL {failure}", err=True)
        if report.is_valid:
            typer.echo(f"verified: {report.entries} entries, {report.ballots} ballots")
    if not report.is_valid:
        raise typer.Exit(1)


@app.command()
def result(
    election: str = ELECTION, format: str = typer.Option("text", help="text or json")
) -> None:
    """The tallied result: yes, no, blank, cast, eligible, threshold, passed."""
    from guildhall.services import ballots as service

    data = service.result(database_url(), election)
    if format == "json":
        print_json(data)
        return
    t = data["threshold"]
    typer.echo(f"{data['election']}: {data['yes']} yes, {data['no']} no, {data['blank']} blank; "
               f"{data['cast']} cast of {data['eligible']} eligible; threshold {t['ratio']} "
               f"{t['comparison']}: {'PASSED' if data['passed'] else 'FAILED'}")  # fmt: skip
