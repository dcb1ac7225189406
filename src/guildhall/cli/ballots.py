"""``guildhall ballots``: run a verifiable member vote, step by step.

Every party has a signing identity (``identity new``). The administrator: create → roll
import → publish → credentials import (the authority's signed list) → open → cast / spoil /
checkpoint → close → tally → certify. The credential authority: ``credentials make`` on
its own machine, from the election file and the roll. Each trustee: ``trustee`` deal →
seal → receive before ``create``, ``decrypt`` before ``tally``. Members: ``encrypt`` and
``audit`` from the election file alone. Anyone: ``verify`` the exported board. Only the
administrator's commands open the database.

Heavy libraries (the group and signature code) are imported inside the commands, so
``guildhall --help`` stays light.
"""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import typer

from guildhall.cli.context import database_url
from guildhall.cli.output import print_json
from guildhall.core.clock import Clock, SystemClock
from guildhall.core.errors import Conflict, GuildhallError, InvalidInput
from guildhall.core.problems import Location, Problem

ELECTION = typer.Argument(..., metavar="ELECTION", help="The election's id.")

CLOCK: Clock = SystemClock()
"""The clock every command reads; tests replace it."""

app = typer.Typer(help="Verifiable strike-authorization and ratification votes.",
                  no_args_is_help=True)  # fmt: skip
roll_app = typer.Typer(help="The roll of eligible members.", no_args_is_help=True)
credentials_app = typer.Typer(help="Voting credentials: made by the credential authority, "
                              "imported by the server.", no_args_is_help=True)  # fmt: skip
trustee_app = typer.Typer(
    help="A trustee's steps, on the trustee's own machine: no database, only files.",
    no_args_is_help=True,
)
identity_app = typer.Typer(help="Signing identities of trustees, the credential authority "
                           "and the board's server.", no_args_is_help=True)  # fmt: skip
app.add_typer(roll_app, name="roll")
app.add_typer(credentials_app, name="credentials")
app.add_typer(trustee_app, name="trustee")
app.add_typer(identity_app, name="identity")

FORMAT = typer.Option("text", "--format", help="text or json")


def _say(format: str, data: dict[str, Any], text: str) -> None:
    """Print a step's outcome: ``text`` for people, or ``data`` as JSON."""
    if format == "json":
        print_json(data)
    else:
        typer.echo(text)


def _check_format(format: str) -> None:
    if format not in ("text", "json"):
        raise InvalidInput([Problem(Location(field="format"), f"{format!r} is not text or json")])


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


def _read_json_file(path: Path) -> Any:
    from guildhall.services.ballots.files import read_json

    return read_json(path)


@identity_app.command("new")
def identity_new(
    role: str = typer.Option(..., help="trustee, authority or board."),
    name: str = typer.Option(..., help="Who holds it, as the others know them."),
    key: Path = typer.Option(..., help="Where to write the private key (kept, mode 0600)."),
    out: Path = typer.Option(..., help="Where to write the public identity to hand out."),
    format: str = FORMAT,
) -> None:
    """Make a signing identity; prints its fingerprint, to read out to the others in person."""
    _check_format(format)
    from guildhall.services.ballots import identities

    fingerprint = identities.new(role, name, key_path=key, public_path=out)
    _say(format, {"role": role, "name": name, "key": str(key), "public": str(out),
                  "fingerprint": fingerprint},
         f"{role} {name}: fingerprint {fingerprint}\n  private key {key} (keep it); "
         f"hand out {out}")  # fmt: skip


@identity_app.command("show")
def identity_show(
    public: list[Path] = typer.Argument(..., help="Public identity files."),
    format: str = FORMAT,
) -> None:
    """The fingerprint of each public identity file, to compare with what its holder reads out."""
    _check_format(format)
    from guildhall.services.ballots.trustee import fingerprints

    rows = fingerprints(public)
    _say(format, {"identities": [{"file": str(p), "fingerprint": f} for p, f in rows]},
         "\n".join(f"{f}  {p}" for p, f in rows))  # fmt: skip


@app.command()
def create(
    election: str = typer.Argument(..., help="A short id for the election."),
    question: str = typer.Option(..., help="strike_authorization, ratification, ..."),
    text: str = typer.Option(..., help="The question as put to members."),
    opens: str = typer.Option(..., help="Opening time, ISO 8601 with offset."),
    closes: str = typer.Option(..., help="Closing time, ISO 8601 with offset."),
    authority: Path = typer.Option(..., help="The credential authority's public identity."),
    board_key: Path = typer.Option(..., help="The server's private board key (from `identity "
                                   "new --role board`), which signs checkpoints."),
    case: str | None = typer.Option(None, help="The bargaining case the vote belongs to."),
    dealing: list[Path] = typer.Option([], help="Each trustee's signed public dealing, from "
                                       "`trustee deal` (the trustees hold their own keys)."),
    trustees: int = typer.Option(3, help="Without --dealing: number of trustees."),
    quorum: int = typer.Option(2, help="Without --dealing: trustees needed to decrypt."),
    key_dir: Path | None = typer.Option(None, help="Without --dealing: run the whole key "
                                        "ceremony here and write every trustee's key file "
                                        "to this folder (this machine sees every share)."),
    allow_blank: bool = typer.Option(False, help="Allow blank ballots."),
    format: str = FORMAT,
) -> None:  # fmt: skip
    """Create a draft election with the trustees' public keys."""
    _check_format(format)
    from guildhall.services import ballots as service

    paths = service.create(
        database_url(), election_id=election, question=question, text=text,
        opens_at=_when(opens, "opens"), closes_at=_when(closes, "closes"),
        authority_path=authority, board_key_path=board_key, trustees=trustees, quorum=quorum,
        key_dir=key_dir, dealing_paths=dealing, case_id=case, allow_blank=allow_blank,
        clock=CLOCK,
    )  # fmt: skip
    text_out = (f"created {election} with the keys of {len(dealing)} trustees" if not paths else
                f"created {election}; trustee keys (give one to each trustee):\n"
                + "\n".join(f"  {p}" for p in paths))  # fmt: skip
    _say(format, {"election": election, "keys": [str(p) for p in paths]}, text_out)


@trustee_app.command("deal")
def trustee_deal(
    election: str = ELECTION,
    trustee: int = typer.Option(..., help="This trustee's number, 1..n."),
    trustees: int = typer.Option(..., help="Number of trustees, n."),
    quorum: int = typer.Option(..., help="Trustees needed to decrypt, k."),
    identity_key: Path = typer.Option(..., help="This trustee's private identity key."),
    state: Path = typer.Option(..., help="Where to keep this trustee's private state."),
    out: Path = typer.Option(..., help="The signed public dealing to hand in."),
    format: str = FORMAT,
) -> None:
    """Step 1: draw this trustee's share of the key; hand in the signed public dealing."""
    _check_format(format)
    from guildhall.services.ballots import trustee as trustee_service

    trustee_service.deal(election, trustee, n=trustees, k=quorum, identity_key=identity_key,
                         state_path=state, dealing_path=out)  # fmt: skip
    _say(
        format,
        {"trustee": trustee, "state": str(state), "dealing": str(out)},
        f"trustee {trustee}: state kept in {state} (private); hand in {out}",
    )


def _fingerprint_lines(identity: list[Path]) -> tuple[list[dict[str, str]], str]:
    from guildhall.services.ballots.trustee import fingerprints

    rows = fingerprints(identity)
    return ([{"file": str(p), "fingerprint": f} for p, f in rows],
            "\n".join(f"  checked against {f} ({p})" for p, f in rows))  # fmt: skip


@trustee_app.command("seal")
def trustee_seal(
    election: str = ELECTION,
    state: Path = typer.Option(..., help="This trustee's state, from `trustee deal`."),
    identity_key: Path = typer.Option(..., help="This trustee's private identity key."),
    identity: list[Path] = typer.Option(..., help="Every trustee's public identity, as "
                                        "compared by fingerprint in person."),
    dealing: list[Path] = typer.Option(..., help="Every trustee's public dealing."),
    out: Path = typer.Option(..., help="The sealed shares to hand in."),
    format: str = FORMAT,
) -> None:  # fmt: skip
    """Step 2: check every dealing's signature; seal a share for each other trustee, readable
    only by that trustee, and sign the whole."""
    _check_format(format)
    from guildhall.services.ballots import trustee as trustee_service

    count = trustee_service.seal(election, state_path=state, identity_key=identity_key,
                                 identity_paths=identity, dealing_paths=dealing,
                                 sealed_path=out)  # fmt: skip
    rows, lines = _fingerprint_lines(identity)
    _say(
        format,
        {"sealed": count, "out": str(out), "identities": rows},
        f"{count} shares sealed; hand in {out}\n{lines}",
    )


@trustee_app.command("receive")
def trustee_receive(
    election: str = ELECTION,
    state: Path = typer.Option(..., help="This trustee's state, from `trustee deal`."),
    identity: list[Path] = typer.Option(..., help="Every trustee's public identity, as "
                                        "compared by fingerprint in person."),
    dealing: list[Path] = typer.Option(..., help="Every trustee's public dealing."),
    sealed: list[Path] = typer.Option(..., help="Every other trustee's sealed shares."),
    key: Path = typer.Option(..., help="Where to write this trustee's key (private)."),
    format: str = FORMAT,
) -> None:  # fmt: skip
    """Step 3: check every signature; open and check the shares sent to this trustee; write
    its key."""
    _check_format(format)
    from guildhall.services.ballots import trustee as trustee_service

    made = trustee_service.receive(election, state_path=state, identity_paths=identity,
                                   dealing_paths=dealing, sealed_paths=sealed,
                                   key_path=key)  # fmt: skip
    rows, lines = _fingerprint_lines(identity)
    _say(
        format,
        {"trustee": made.index, "key": str(key), "identities": rows},
        f"trustee {made.index}: key written to {key}; the state file can be destroyed\n{lines}",
    )


@trustee_app.command("decrypt")
def trustee_decrypt(
    board: Path = typer.Argument(..., help="The exported board of the closed vote."),
    key: Path = typer.Option(..., help="This trustee's key file."),
    identity_key: Path | None = typer.Option(None, help="This trustee's private identity key "
                                             "(not needed if the key file carries it)."),
    out: Path = typer.Option(..., help="The signed decryption share to hand in."),
    format: str = FORMAT,
) -> None:  # fmt: skip
    """After the vote closes: this trustee's decryption share of the board's total, signed
    with the hash of the closed board."""
    _check_format(format)
    from guildhall.services.ballots import trustee as trustee_service

    share = trustee_service.decrypt(board, key_path=key, identity_key=identity_key,
                                    share_path=out)  # fmt: skip
    _say(
        format,
        {"trustee": share["trustee"], "head": share["head"], "out": str(out)},
        f"trustee {share['trustee']}: decryption share of the board closed at "
        f"{share['head']} written to {out}",
    )


@roll_app.command("import")
def roll_import(
    election: str = ELECTION,
    file: Path = typer.Argument(..., help="The roll: a CSV of member_id, standing, paid_through."),
    record_date: str = typer.Option(..., help="Members in good standing on this date vote."),
    format: str = FORMAT,
) -> None:  # fmt: skip
    """Import the roll from CSV (member_id; standing good, suspended, lapsed or
    honorary_withdrawal; paid_through YYYY-MM-DD). Eligible: good and paid through the
    record date."""
    _check_format(format)
    from guildhall.services import ballots as service

    try:
        day = date.fromisoformat(record_date)
    except ValueError:
        what = f"{record_date!r} is not a YYYY-MM-DD date"
        raise InvalidInput([Problem(Location(field="record-date"), what)]) from None
    eligible, others = service.import_roll(database_url(), election, file, record_date=day,
                                           clock=CLOCK)  # fmt: skip
    _say(
        format,
        {"eligible": eligible, "not_eligible": others, "record_date": day},
        f"{eligible} members eligible; {others} not eligible on {day}",
    )


@app.command()
def publish(
    election: str = ELECTION,
    out: Path = typer.Option(..., help="Where to write the election file (the manifest) for "
                             "the credential authority and members' devices."),
    format: str = FORMAT,
) -> None:  # fmt: skip
    """Freeze the roll and publish the manifest (the board's first entry)."""
    _check_format(format)
    from guildhall.services import ballots as service

    h = service.publish(database_url(), election, out, clock=CLOCK)
    _say(
        format,
        {"election": election, "election_hash": h, "file": str(out)},
        f"{election} published: election hash {h}; election file {out}",
    )


@credentials_app.command("make")
def credentials_make(
    election_file: Path = typer.Argument(..., help="The published election file."),
    roll: Path = typer.Argument(..., help="The roll CSV the administrator imported."),
    key: Path = typer.Option(..., help="The credential authority's private identity key."),
    mailing: Path = typer.Option(..., help="Where to write member ids and private credentials "
                                 "for delivery (mode 0600); destroy it after delivery."),
    out: Path = typer.Option(..., help="The signed public credential list to hand the server."),
    format: str = FORMAT,
) -> None:  # fmt: skip
    """The credential authority, on its own machine (no database): one credential per
    eligible member; the public list signed."""
    _check_format(format)
    from guildhall.services.ballots import authority

    count = authority.make_credentials(election_file, roll, key_path=key, mailing=mailing,
                                       out=out)  # fmt: skip
    _say(
        format,
        {"credentials": count, "mailing": str(mailing), "list": str(out)},
        f"{count} credentials made; mailing {mailing} (private); hand {out} to the server",
    )


@credentials_app.command("import")
def credentials_import(
    election: str = ELECTION,
    file: Path = typer.Argument(..., help="The authority's signed credential list."),
    format: str = FORMAT,
) -> None:
    """Check the authority's signature on the credential list and publish it."""
    _check_format(format)
    from guildhall.services import ballots as service

    count = service.import_credentials(database_url(), election, file, clock=CLOCK)
    _say(
        format,
        {"election": election, "credentials": count},
        f"{count} credentials imported onto the board",
    )


@app.command()
def show(election: str = ELECTION, format: str = FORMAT) -> None:
    """Lifecycle, live turnout, and what blocks opening (the case's rules too). Never a
    partial result."""
    _check_format(format)
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
def open_(election: str = ELECTION, format: str = FORMAT) -> None:
    """Open the vote (for a case: a vote_opened event the case's rules must allow)."""
    _check_format(format)
    from guildhall.services import ballots as service

    service.open_election(database_url(), election, clock=CLOCK)
    _say(format, {"election": election, "state": "open"}, f"{election} is open")


@app.command()
def encrypt(
    election_file: Path = typer.Argument(..., help="The published election file (or board)."),
    credential: str = typer.Option(..., help="The member's private credential."),
    choice: str = typer.Option(..., help="yes, no (or blank, if the election allows it)."),
    audit_record: Path | None = typer.Option(
        None, "--audit-record", help="Also write what reveals this ballot's choice, to check "
        "the encryption with `ballots audit`; a ballot audited is spoiled, never cast.",
    ),
) -> None:  # fmt: skip
    """Prepare a ballot on the member's own machine from the election file alone; prints
    the ballot JSON."""
    from guildhall.services import ballots as service

    ballot = service.encrypt_from_file(election_file, credential, choice, audit_record)
    print_json(ballot.as_json())


@app.command()
def audit(
    election_file: Path = typer.Argument(..., help="The published election file (or board)."),
    ballot: Path = typer.Argument(..., help="The ballot JSON that `encrypt` printed."),
    record: Path = typer.Option(..., help="Its audit record (`encrypt --audit-record`)."),
    format: str = FORMAT,
) -> None:
    """Check, on another machine, that a ballot holds the choice its device said (cast or
    audit: an audited ballot is spoiled; hand it to `ballots spoil`, encrypt again to vote)."""
    _check_format(format)
    from guildhall.services import ballots as service

    choice, problem = service.audit_from_file(election_file, ballot, record)
    if format == "json":
        print_json({"choice": choice, "valid": problem is None, "problem": problem})
    elif problem:
        typer.echo(f"FAIL {problem}", err=True)
    else:
        typer.echo(f"the ballot holds {choice!r}; it is spoiled: encrypt again to vote")
    if problem:
        raise typer.Exit(1)


@app.command()
def spoil(
    election: str = ELECTION,
    ballot: Path = typer.Argument(..., help="The audited ballot's JSON."),
    record: Path = typer.Option(..., help="Its audit record."),
    format: str = FORMAT,
) -> None:
    """Publish an audited ballot as spoiled, with its revealed randomness: it can never be
    cast."""
    _check_format(format)
    from guildhall.services import ballots as service

    seq = service.spoil(database_url(), election, _read_json_file(ballot),
                        _read_json_file(record), clock=CLOCK)  # fmt: skip
    _say(format, {"election": election, "seq": seq}, f"published as spoiled at seq {seq}")


def _at_row(votes: Path, row: int, exc: GuildhallError) -> InvalidInput:
    what = "; ".join(p.what for p in getattr(exc, "problems", [])) or str(exc)
    return InvalidInput([Problem(Location(file=str(votes), row=row), what,
                                 "the rows before it were cast")])  # fmt: skip


@app.command()
def cast(
    election: str = ELECTION,
    ballot: list[Path] = typer.Option([], help="Ballot JSON files (or JSON Lines) to cast."),
    credential: str | None = typer.Option(None, help="Encrypt and cast in one step."),
    choice: str | None = typer.Option(None, help="yes, no (or blank) with --credential."),
    votes: Path | None = typer.Option(None, help="CSV of credential,choice: each is "
                                      "encrypted on this machine and cast."),
    format: str = FORMAT,
) -> None:  # fmt: skip
    """Cast ballots; prints each tracker once the ballot is stored."""
    _check_format(format)
    from guildhall.services import ballots as service
    from guildhall.services.ballots.files import read_ballots, read_votes

    url = database_url()
    trackers: list[str] = []
    # Every file is read (and every row of --votes encrypted) before the first is cast, so
    # a bad file or row casts nothing.
    items = [(str(path), item) for path in ballot for item in read_ballots(path)]
    if credential is not None:
        if choice is None:
            raise InvalidInput([Problem(Location(field="choice"), "--choice is needed")])
        items.append(("--credential", service.prepare_ballot(url, election, credential,
                                                             choice).as_json()))  # fmt: skip
    prepared = []
    for row, (given, chosen) in enumerate(read_votes(votes) if votes else [], start=2):
        try:
            prepared.append((row, service.prepare_ballot(url, election, given, chosen)))
        except InvalidInput as exc:
            raise InvalidInput([Problem(Location(file=str(votes), row=row), p.what)
                                for p in exc.problems]) from None  # fmt: skip
    for _name, item in items:
        trackers.append(service.cast(url, election, item, clock=CLOCK))
        if format == "text":
            typer.echo(trackers[-1])
    if votes is not None:
        for row, b in prepared:
            try:
                trackers.append(service.cast(url, election, b.as_json(), clock=CLOCK))
            except (InvalidInput, Conflict) as exc:
                raise _at_row(votes, row, exc) from None
            if format == "text":
                typer.echo(trackers[-1])
    if format == "json":
        print_json({"election": election, "trackers": trackers})


@app.command()
def checkpoint(
    election: str = ELECTION,
    board_key: Path = typer.Option(..., help="The server's private board key."),
    out: Path = typer.Option(..., help="Where to write the signed checkpoint."),
    format: str = FORMAT,
) -> None:
    """Sign the board's current head; publish the file so members can keep it."""
    _check_format(format)
    from guildhall.services import ballots as service

    data = service.checkpoint(database_url(), election, board_key=board_key, out=out,
                              clock=CLOCK)  # fmt: skip
    _say(format, data, f"checkpoint at seq {data['seq']} ({data['head']}) written to {out}")


@app.command()
def track(
    election: str = ELECTION,
    tracker: str = typer.Argument(..., help="The tracker `cast` printed for the ballot."),
    format: str = FORMAT,
) -> None:
    """Find a ballot on the board by its tracker."""
    _check_format(format)
    from guildhall.services import ballots as service

    seq = service.find_tracker(database_url(), election, tracker)
    if format == "json":
        print_json({"tracker": tracker, "seq": seq, "on_board": seq is not None})
    elif seq is None:
        typer.echo(f"tracker {tracker} is not on the board", err=True)
    else:
        typer.echo(f"on the board at seq {seq}")
    if seq is None:
        raise typer.Exit(1)


@app.command()
def close(election: str = ELECTION, format: str = FORMAT) -> None:
    """Close the vote once its closing time has come."""
    _check_format(format)
    from guildhall.services import ballots as service

    count = service.close(database_url(), election, clock=CLOCK)
    _say(
        format, {"election": election, "ballots": count}, f"{election} closed with {count} ballots"
    )


@app.command()
def tally(
    election: str = ELECTION,
    share: list[Path] = typer.Option([], help="Trustees' signed decryption shares, from "
                                     "`trustee decrypt` (at least k)."),
    key: list[Path] = typer.Option([], help="Or the trustees' key files themselves "
                                   "(one-process mode)."),
    format: str = FORMAT,
) -> None:  # fmt: skip
    """Sum the ballots and decrypt the total with at least k trustees."""
    _check_format(format)
    from guildhall.services import ballots as service
    from guildhall.services.ballots import trustee as trustee_service

    keys = [service.read_key(p) for p in key]
    shares = trustee_service.read_shares(share)
    outcome = service.tally(database_url(), election, keys, shares=shares, clock=CLOCK)
    _say(
        format,
        {
            "election": election,
            "cast": outcome.cast,
            "counts": outcome.counts,
            "blank": outcome.blank,
            "passed": outcome.passed,
        },
        f"tallied {outcome.cast} ballots; {'passed' if outcome.passed else 'failed'}",
    )


@app.command()
def certify(
    election: str = ELECTION,
    board_key: Path = typer.Option(..., help="The server's private board key: it signs the "
                                   "certified entry."),
    format: str = FORMAT,
) -> None:  # fmt: skip
    """Certify the result, signed with the board key, and record it on the case
    (vote_closed)."""
    _check_format(format)
    from guildhall.services import ballots as service

    result = service.certify(database_url(), election, board_key=board_key, clock=CLOCK)
    _say(format, result, f"certified: {'passed' if result['passed'] else 'failed'}")


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
    rules: Path | None = typer.Option(None, help="The guild's rules file: a strike "
                                      "authorization's rule and its hash are checked "
                                      "against it (needed for one)."),
    checkpoint: list[Path] = typer.Option([], help="Signed checkpoints kept while the vote "
                                          "was open; each must match the board."),
    election: Path | None = typer.Option(None, help="The election file you hold: a changed "
                                         "manifest is named by field."),
    workers: int | None = typer.Option(None, help="Processes (default: every core)."),
    quiet: bool = typer.Option(False, help="No progress on standard error."),
    format: str = FORMAT,
) -> None:  # fmt: skip
    """Check a published board: signatures, proofs, chain, anchors, tally, decryption,
    outcome. Exit 0 verified, 1 does not verify, 2 cannot be read."""
    _check_format(format)
    from guildhall.cli.progress import progress_bar
    from guildhall.services.ballots.verifying import verify as verify_file

    # The bar starts with the first entry checked, so a board that cannot be read prints
    # only its error.
    bar = progress_bar() if not quiet else None
    task: list[Any] = []

    def progress(done: int, total: int) -> None:
        if bar is None:
            return
        if not task:
            bar.start()
            task.append(bar.add_task("entries checked", total=total))
        bar.update(task[0], completed=done, total=total)

    try:
        report = verify_file(board, rules=rules, checkpoints=checkpoint, election=election,
                             workers=workers, progress=progress)  # fmt: skip
    finally:
        if bar is not None and task:
            bar.stop()
    if format == "json":
        print_json(report.as_json())
    else:
        for failure in report.failures:
            typer.echo(f"FAIL {failure}", err=True)
        if report.is_valid:
            r = report.result or {}
            counts = ", ".join(f"{n} {o}" for o, n in r.get("counts", {}).items())
            typer.echo(f"verified: {report.entries} entries, {report.ballots} ballots, "
                       f"{report.spoiled} spoiled, {report.checkpoints} checkpoints; {counts}; "
                       f"{'passed' if r.get('passed') else 'failed'}"
                       f"{'' if report.certified else ' (not certified yet)'}")  # fmt: skip
    if not report.is_valid:
        raise typer.Exit(1)


@app.command()
def result(election: str = ELECTION, format: str = FORMAT) -> None:
    """The tallied result: yes, no, blank, cast, eligible, threshold, passed."""
    _check_format(format)
    from guildhall.services import ballots as service

    data = service.result(database_url(), election)
    if format == "json":
        print_json(data)
        return
    t = data["threshold"]
    typer.echo(f"{data['election']}: {data['yes']} yes, {data['no']} no, {data['blank']} blank; "
               f"{data['cast']} cast of {data['eligible']} eligible; threshold {t['ratio']} "
               f"{t['comparison']}: {'PASSED' if data['passed'] else 'FAILED'}")  # fmt: skip
