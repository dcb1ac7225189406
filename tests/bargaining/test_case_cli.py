"""The case commands end to end, on SQLite and (when configured) PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from guildhall.cli.app import run

REPO = Path(__file__).resolve().parents[2]
CASE = REPO / "cases" / "sag-2008" / "case.yaml"


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def loaded(database_url: str, capsys: pytest.CaptureFixture[str]) -> str:
    code, out, err = cli(capsys, "--db", database_url, "case", "load", str(CASE))
    assert code == 0, err
    assert "loaded sag-2008: 41 events" in out
    return database_url


def event_count(url: str) -> int:
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as conn:
        count = conn.execute(sa.text("SELECT count(*) FROM case_events")).scalar_one()
    engine.dispose()
    return int(count)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_list_shows_the_loaded_case(loaded: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "--db", loaded, "case", "list", "--format", "json")
    assert code == 0
    assert json.loads(out) == [
        {"id": "sag-2008", "title": "SAG–AMPTP TV/Theatrical negotiations, 2008", "events": 41}
    ]


def test_show_json_has_every_event_with_sources_and_the_75_percent_conflict(
    loaded: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(capsys, "--db", loaded, "case", "show", "sag-2008", "--format", "json")
    assert code == 0
    data = json.loads(out)
    events = data["events"]
    assert len(events) == 41
    for e in events:
        assert {"date", "kind", "summary", "certainty", "sources"} <= set(e)
        assert e["sources"] and all({"document", "quote"} <= set(s) for s in e["sources"])
        assert e["certainty"] == "stated" or e["assumption"]
    by_id = {e["id"]: e for e in events}
    assert by_id["final-offer"]["date"] == "2008-06-30"
    assert by_id["final-offer"]["details"] == {"agreement": "amptp-2008-final-offer"}
    assert by_id["last-formal-meeting"]["date"] == "2008-07-16"
    assert by_id["threshold-issues"]["date"] == "2008-09-30"
    assert by_id["board-chooses-mediation"]["by"] == "national_board"
    assert by_id["mediator-meets-amptp"]["date"] == "2008-10-30"
    assert by_id["wga-arbitration"]["kind"] == "arbitration_filed"
    assert by_id["force-majeure-owed"]["details"] == {"amount": "60000000"}
    kinds = {e["kind"] for e in events}
    assert {
        "contract_expired",
        "offer_made",
        "counter_proposal",
        "mediation_requested",
        "mediation_accepted",
        "mediator_met",
        "joint_session",
        "public_statement",
        "board_resolution",
        "tentative_agreement",
        "arbitration_filed",
        "payment_default",
        "member_meeting",
    } <= kinds
    dates = [e["date"] for e in events]
    assert dates == sorted(dates)
    conflicts = {c["id"]: c for c in data["conflicts"]}
    threshold = conflicts["strike-authorization-threshold"]
    assert threshold["in_force"] == "at_least"
    assert [r["value"] for r in threshold["readings"]] == [
        "more than 75% of members voting (more_than)",
        "at least 75% of those voting (at_least)",
    ]
    docs = [s["document"] for r in threshold["readings"] for s in r["sources"]]
    assert "000_333080c6fa4b27e7.txt" in docs and "002_ac8fbb611370980d.txt" in docs
    assert {"last-formal-meeting", "iatse-contract-size", "force-majeure-owed"} <= set(conflicts)
    assert data["rules"]["votes"]["strike_authorization"]["threshold"] == "3/4"


def test_show_text_prints_the_timeline(loaded: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "--db", loaded, "case", "show", "sag-2008")
    assert code == 0
    assert "2008-10-19  mediation_requested" in out
    assert "! Share of votes a strike authorization needs" in out


STRIKE_CALL = """\
date: 2008-12-01
kind: board_strike_decision
by: national_board
decision: strike
summary: The national board calls a strike.
certainty: stated
sources:
  - {document: board-minutes, quote: The board voted to strike.}
documents:
  - {id: board-minutes, title: Minutes of the national board, text: The board voted to strike.}
"""

VOTE_OPENED = """\
date: 2008-12-01
kind: vote_opened
by: negotiating_committee
vote: sa-2008
question: strike_authorization
closes_on: 2009-01-10
summary: Strike authorization ballots go out.
certainty: stated
sources:
  - {document: committee-ballots, quote: Ballots are mailed.}
documents:
  - {id: committee-ballots, title: The committee's notice of a vote, text: Ballots are mailed.}
"""


def test_a_strike_call_with_no_passed_authorization_exits_2_naming_the_rule(
    loaded: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write(tmp_path, "call.yaml", STRIKE_CALL)
    code, _, err = cli(capsys, "--db", loaded, "case", "add-event", "sag-2008", str(path))
    assert code == 2
    assert "strike-call-needs-passed-authorization" in err
    assert str(path) in err
    assert event_count(loaded) == 41


def test_a_strike_authorization_before_the_determination_is_refused(
    loaded: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write(tmp_path, "vote.yaml", VOTE_OPENED)
    code, _, err = cli(capsys, "--db", loaded, "case", "add-event", "sag-2008", str(path))
    assert code == 2
    assert "strike-authorization-after-failed-mediation" in err
    assert event_count(loaded) == 41


def test_the_path_to_a_strike_call_is_allowed_step_by_step(
    loaded: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    determination = """\
date: 2008-11-30
kind: mediation_failed_determination
by: negotiating_committee
summary: The committee determines that mediation has failed.
certainty: stated
sources: [{document: committee-minutes, quote: Mediation has failed.}]
documents: [{id: committee-minutes, title: Committee minutes, text: Mediation has failed.}]
"""
    closed = """\
date: 2009-01-10
kind: vote_closed
vote: sa-2008
question: strike_authorization
yes: 7500
no: 2500
blank: 12
eligible: 110000
summary: Members authorize a strike.
certainty: stated
sources: [{document: election-log, quote: "7500 yes, 2500 no."}]
documents: [{id: election-log, title: Election log, text: "7500 yes, 2500 no."}]
"""
    call = STRIKE_CALL.replace("2008-12-01", "2009-01-12")
    for name, text, seq in [
        ("d.yaml", determination, 42),
        ("o.yaml", VOTE_OPENED, 43),
        ("c.yaml", closed, 44),
        ("s.yaml", call, 45),
    ]:
        code, out, err = cli(
            capsys,
            "--db",
            loaded,
            "case",
            "add-event",
            "sag-2008",
            str(write(tmp_path, name, text)),
        )
        assert code == 0, err
        assert out.startswith(f"recorded #{seq}:")
    code, out, _ = cli(capsys, "--db", loaded, "case", "next", "sag-2008", "--format", "json")
    steps = {(s["kind"], tuple(s["variant"].values())): s for s in json.loads(out)}
    assert steps[("strike_started", ())]["allowed"] is True
    assert steps[("strike_ended", ())]["refusals"][0]["rule"] == "strike-ends-a-strike"


def test_next_says_what_is_refused_and_why(loaded: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "--db", loaded, "case", "next", "sag-2008")
    assert code == 0
    refused = out.split("Refused now:")[1]
    assert "vote_opened (question=strike_authorization)" in refused
    assert "rule strike-authorization-after-failed-mediation" in refused
    assert "mediation_failed_determination" in out.split("Refused now:")[0]


def test_loading_the_same_file_again_changes_nothing(
    loaded: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(capsys, "--db", loaded, "case", "load", str(CASE))
    assert code == 0
    assert "is in the store already" in out and "unchanged (version 1)" in out
    assert event_count(loaded) == 41


def test_the_event_log_is_append_only_in_the_database(loaded: str) -> None:
    engine = sa.create_engine(loaded.replace("postgresql://", "postgresql+psycopg://"))
    for statement in ("UPDATE case_events SET summary = 'x'", "DELETE FROM case_events"):
        with pytest.raises(sa.exc.DBAPIError), engine.begin() as conn:
            conn.execute(sa.text(statement))
    engine.dispose()
    assert event_count(loaded) == 41


def test_an_unknown_case_exits_2(database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(capsys, "--db", database_url, "case", "show", "nope")
    assert code == 2
    assert "no case 'nope'" in err


def test_a_bad_event_file_names_line_and_column(
    loaded: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = VOTE_OPENED.replace("question: strike_authorization", "question: strike")
    path = write(tmp_path, "bad.yaml", text)
    code, _, err = cli(capsys, "--db", loaded, "case", "add-event", "sag-2008", str(path))
    assert code == 2
    assert f"{path}:5:11: 'strike' is not one of" in err
    assert event_count(loaded) == 41
