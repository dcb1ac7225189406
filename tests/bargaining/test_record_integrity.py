"""The case record cannot be forged or contradicted: what ``case add-event`` refuses, the
whole log judged in date order, who recorded what, corrections, and reloading a case."""

from __future__ import annotations

import getpass
import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import yaml
from tests.bargaining.helpers import ATTACKS, GOOD_STATEMENT, REAL_QUOTE

from guildhall.cli.app import run
from guildhall.core.clock import FixedClock
from guildhall.core.errors import InvalidInput
from guildhall.services import cases

REPO = Path(__file__).resolve().parents[2]
CASE = REPO / "cases" / "sag-2008" / "case.yaml"


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def rows(url: str, table: str) -> int:
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as conn:
        count = conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()
    engine.dispose()
    return int(count)


def written(url: str) -> tuple[int, int, int, int]:
    return tuple(  # type: ignore[return-value]
        rows(url, t)
        for t in ("case_events", "case_event_sources", "case_event_documents", "case_versions")
    )


@pytest.fixture
def loaded(database_url: str, capsys: pytest.CaptureFixture[str]) -> str:
    code, _, err = cli(capsys, "--db", database_url, "case", "load", str(CASE))
    assert code == 0, err
    return database_url


def add(
    capsys: pytest.CaptureFixture[str], url: str, tmp_path: Path, event: dict[str, Any], *extra: str
) -> tuple[int, str, str]:
    path = tmp_path / f"event-{len(list(tmp_path.glob('event-*.yaml')))}.yaml"
    path.write_text(yaml.safe_dump(event, sort_keys=False), encoding="utf-8")
    return cli(capsys, "--db", url, "case", "add-event", "sag-2008", str(path), *extra)


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_add_event_refuses_what_a_case_file_may_not_hold(
    attack: str, loaded: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    event, message = ATTACKS[attack]
    before = written(loaded)
    code, out, err = add(capsys, loaded, tmp_path, event)
    assert code == 2, out
    assert message in err
    assert "event-0.yaml:" in err  # the file, with its line
    assert "Traceback" not in err
    assert written(loaded) == before


def test_the_event_the_attacks_start_from_is_accepted(
    loaded: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = add(capsys, loaded, tmp_path, GOOD_STATEMENT, "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["seq"] == 42 and data["id"] == "sag-silence"
    assert data["sources"] == [{"document": "002_ac8fbb611370980d.txt", "quote": REAL_QUOTE}]


def test_a_case_file_is_held_to_the_same_checks(
    database_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "sag-2008"
    shutil.copytree(CASE.parent, folder)
    path = folder / "case.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("date: 2008-11-22\n", "date: 2031-11-22\n", 1)
    text = text.replace(
        "url: https://deadline.com/2008/10/sag-leaders-meet-with-federal-mediator-who-tried",
        "url: javascript:alert(1)//",
        1,
    )
    text = text.replace("    union: iatse\n", "    union: teamsters\n", 1)
    path.write_text(text, encoding="utf-8")
    code, _, err = cli(capsys, "--db", database_url, "case", "load", str(path))
    assert code == 2
    assert "2031-11-22 is after today" in err
    assert "'javascript:alert(1)//-failed-to-referee-wga-amptp-7384/' is not a web address" in err
    assert "'teamsters' is not a party of this case" in err
    assert f"{path}:" in err


# The whole log, in date order ------------------------------------------------------------

DETERMINATION: dict[str, Any] = {
    "id": "mediation-failed",
    "date": "2008-11-30",
    "kind": "mediation_failed_determination",
    "by": "negotiating_committee",
    "summary": "The committee determines that mediation has failed.",
    "certainty": "stated",
    "sources": [{"document": "committee-minutes", "quote": "Mediation has failed."}],
    "documents": [
        {
            "id": "committee-minutes",
            "title": "Negotiating committee minutes, Nov. 30",
            "publisher": "Screen Actors Guild",
            "published_on": "2008-11-30",
            "text": "The committee met. Mediation has failed. Ballots are mailed Dec. 1.",
        }
    ],
}
OPENED: dict[str, Any] = {
    "id": "sa-opened",
    "date": "2008-12-01",
    "kind": "vote_opened",
    "by": "negotiating_committee",
    "vote": "sa-2008",
    "question": "strike_authorization",
    "closes_on": "2009-01-10",
    "summary": "Strike authorization ballots go out.",
    "certainty": "stated",
    "sources": [{"document": "committee-minutes", "quote": "Ballots are mailed Dec. 1."}],
}
CLOSED: dict[str, Any] = {
    "id": "sa-closed",
    "date": "2009-01-10",
    "kind": "vote_closed",
    "vote": "sa-2008",
    "question": "strike_authorization",
    "yes": 7500,
    "no": 2500,
    "passed": True,
    "summary": "Members authorize a strike.",
    "certainty": "stated",
    "sources": [{"document": "election-log", "quote": "7500 yes, 2500 no."}],
    "documents": [{"id": "election-log", "title": "Election log", "text": "7500 yes, 2500 no."}],
}


@pytest.fixture
def voted(loaded: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> str:
    for event in (DETERMINATION, OPENED, CLOSED):
        code, _, err = add(capsys, loaded, tmp_path, event)
        assert code == 0, err
    return loaded


def test_a_close_dated_before_the_existing_close_of_the_same_vote_is_refused(
    voted: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    early = {
        **CLOSED,
        "id": "sa-closed-early",
        "date": "2008-12-20",
        "yes": 100,
        "no": 900,
        "passed": False,
        "sources": [{"document": "election-log", "quote": "7500 yes"}],
        "documents": [],
    }
    before = written(voted)
    code, _, err = add(capsys, voted, tmp_path, early)
    assert code == 2
    assert "with this event, #44 sa-closed of 2009-01-10 (vote_closed) would break a rule" in err
    assert "[rule vote-closes-an-open-vote]" in err
    assert "no vote_opened is open for vote 'sa-2008'" in err
    assert written(voted) == before


def test_a_retraction_that_would_leave_a_later_event_unfounded_is_refused(
    voted: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    retract = {
        "date": "2008-12-02",
        "kind": "retraction",
        "corrects": "mediation-failed",
        "summary": "The committee made no such determination.",
        "certainty": "stated",
        "sources": [{"document": "committee-minutes", "quote": "The committee met."}],
    }
    code, _, err = add(capsys, voted, tmp_path, retract)
    assert code == 2
    assert "#43 sa-opened of 2008-12-01 (vote_opened) would break a rule" in err
    assert "[rule strike-authorization-after-failed-mediation]" in err


# Who recorded it and when --------------------------------------------------------------


def test_each_event_records_who_logged_it_and_when(
    loaded: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = add(capsys, loaded, tmp_path, GOOD_STATEMENT, "--format", "json")
    assert code == 0
    event = json.loads(out)
    assert event["recorded_by"] == getpass.getuser()
    assert event["date"] == "2008-11-22"
    assert datetime.fromisoformat(event["recorded_at"]).year >= 2025
    later = {**GOOD_STATEMENT, "id": "sag-silence-2"}
    code, out, _ = add(
        capsys, loaded, tmp_path, later, "--recorded-by", "Pat Staff", "--format", "json"
    )
    assert json.loads(out)["recorded_by"] == "Pat Staff"
    code, out, _ = cli(capsys, "--db", loaded, "case", "show", "sag-2008", "--format", "json")
    by_seq = {e["seq"]: e for e in json.loads(out)["events"]}
    assert by_seq[43]["recorded_by"] == "Pat Staff"
    assert by_seq[1]["recorded_by"] == getpass.getuser()  # who loaded the file


def test_the_recording_time_and_the_plausible_dates_come_from_the_clock(database_url: str) -> None:
    cases.load_case_file(database_url, CASE, recorded_by="loader")
    clock = FixedClock(datetime(2008, 11, 25, 9, 30, tzinfo=UTC))
    event = cases.add_event(
        database_url, "sag-2008", GOOD_STATEMENT, recorded_by="ann", clock=clock
    )
    assert event.recorded_at == clock.at and event.recorded_by == "ann"
    stored = cases.get_case(database_url, "sag-2008").events[-1]
    assert stored.recorded_by == "ann" and stored.recorded_at is not None
    assert stored.recorded_at.replace(tzinfo=UTC) == clock.at
    tomorrow = {**GOOD_STATEMENT, "id": "x", "date": "2008-11-26"}
    with pytest.raises(InvalidInput, match="2008-11-26 is after today \\(2008-11-25\\)"):
        cases.add_event(database_url, "sag-2008", tomorrow, recorded_by="ann", clock=clock)


# Corrections ---------------------------------------------------------------------------


def test_a_correction_is_a_new_event_and_the_timeline_shows_both(
    loaded: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    correction = {
        "id": "mediator-meets-amptp-corrected",
        "corrects": "mediator-meets-amptp",
        "date": "2008-10-30",
        "kind": "mediator_met",
        "side": "amptp",
        "parties": ["fmcs", "amptp"],
        "summary": "The mediator meets the majors for hours at the AMPTP's Sherman Oaks HQ.",
        "certainty": "stated",
        "sources": [
            {
                "document": "000_333080c6fa4b27e7.txt",
                "quote": "Gonzalez met for several hours Thursday afternoon with the majors",
            }
        ],
    }
    code, out, err = add(capsys, loaded, tmp_path, correction)
    assert code == 0, err
    assert out.startswith("recorded #42: 2008-10-30 mediator_met (corrects #21)")
    code, out, _ = cli(capsys, "--db", loaded, "case", "show", "sag-2008", "--format", "json")
    events = {e["seq"]: e for e in json.loads(out)["events"]}
    assert len(events) == 42
    assert events[21]["in_force"] is False and events[21]["corrected_by"] == 42
    assert events[42]["in_force"] is True and events[42]["corrects"] == 21
    code, out, _ = cli(capsys, "--db", loaded, "case", "show", "sag-2008")
    assert "mediator_met (inferred)  #21  [CORRECTED by #42]" in out
    assert "mediator_met  #42  [corrects #21]" in out
    # The log is not edited: the corrected event is still there, word for word.
    assert rows(loaded, "case_events") == 42
    again = {**correction, "id": "third-version"}
    code, _, err = add(capsys, loaded, tmp_path, again)
    assert code == 2
    assert "#21 mediator-meets-amptp was already corrected by #42" in err


def test_the_rules_replay_the_log_with_corrections_applied(
    voted: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    def strike_call_allowed() -> bool:
        _, out, _ = cli(capsys, "--db", voted, "case", "next", "sag-2008", "--format", "json")
        steps = {(s["kind"], tuple(s["variant"].values())): s for s in json.loads(out)}
        return bool(steps[("board_strike_decision", ("strike",))]["allowed"])

    assert strike_call_allowed()
    recount = {
        **CLOSED,
        "id": "sa-recount",
        "corrects": "sa-closed",
        "yes": 7000,
        "no": 3000,
        "passed": False,
        "summary": "A recount: the authorization failed.",
        "sources": [{"document": "recount", "quote": "7000 yes, 3000 no."}],
        "documents": [{"id": "recount", "title": "Recount", "text": "7000 yes, 3000 no."}],
    }
    code, out, err = add(capsys, voted, tmp_path, recount)
    assert code == 0, err
    assert "corrects #44" in out
    assert not strike_call_allowed()  # the authorization in force is the recount, which failed
    call = {
        "date": "2009-01-12",
        "kind": "board_strike_decision",
        "by": "national_board",
        "decision": "strike",
        "summary": "The board calls a strike.",
        "certainty": "stated",
        "sources": [{"document": "recount", "quote": "7000 yes"}],
    }
    code, _, err = add(capsys, voted, tmp_path, call)
    assert code == 2
    assert "[rule strike-call-needs-passed-authorization]" in err


# Reloading a case ------------------------------------------------------------------------


def changed_copy(tmp_path: Path, *edits: tuple[str, str]) -> Path:
    folder = tmp_path / "changed"
    shutil.copytree(CASE.parent, folder)
    path = folder / "case.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return path


ADJOURNED = (
    "summary: The mediator adjourns the mediation shortly before 1 a.m. after about 27 hours",
    "summary: The mediator adjourns the talks shortly before 1 a.m. after about 27 hours",
)
NEW_PARTY = (
    "  - id: iatse\n",
    "  - id: teamsters\n    name: Teamsters Local 399\n    role: other_union\n  - id: iatse\n",
)


def test_loading_a_changed_file_says_what_differs_and_replaces_nothing(
    loaded: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = changed_copy(tmp_path, ADJOURNED, NEW_PARTY)
    before = written(loaded)
    code, out, err = cli(capsys, "--db", loaded, "case", "load", str(path))
    assert code == 2
    assert "sag-2008 in the store (version 1) differs from" in out
    assert "parties: + teamsters" in out
    assert "events: ~ mediation-adjourned (summary changed)" in out
    assert "nothing was replaced (--replace stores the file as version 2" in err
    assert written(loaded) == before
    code, out, _ = cli(capsys, "--db", loaded, "case", "load", str(path), "--format", "json")
    data = json.loads(out)
    assert data["status"] == "differs" and data["version"] == 1
    assert {"section": "parties", "change": "+", "name": "teamsters", "fields": []} in data[
        "differences"
    ]


def test_replace_stores_the_next_version_and_keeps_the_earlier_one(
    loaded: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = changed_copy(tmp_path, ADJOURNED)
    code, out, err = cli(capsys, "--db", loaded, "case", "load", str(path), "--replace",
                         "--recorded-by", "editor")  # fmt: skip
    assert code == 0, err
    assert "replaced sag-2008: version 2, 41 events; version 1 is kept" in out
    code, out, _ = cli(capsys, "--db", loaded, "case", "versions", "sag-2008", "--format", "json")
    versions = json.loads(out)
    assert [(v["version"], v["in_force"], v["events"]) for v in versions] == [
        (1, False, 41),
        (2, True, 41),
    ]
    assert versions[1]["loaded_by"] == "editor"
    now = json.loads(cli(capsys, "--db", loaded, "case", "show", "sag-2008", "--format", "json")[1])
    old = json.loads(
        cli(
            capsys,
            "--db",
            loaded,
            "case",
            "show",
            "sag-2008",
            "--at-version",
            "1",
            "--format",
            "json",
        )[1]
    )

    def summary(data: dict[str, Any]) -> str:
        return next(e["summary"] for e in data["events"] if e["id"] == "mediation-adjourned")

    assert summary(now).startswith("The mediator adjourns the talks")
    assert summary(old).startswith("The mediator adjourns the mediation")
    assert rows(loaded, "case_events") == 82  # nothing of version 1 was deleted


def test_a_file_that_drops_events_replaces_only_with_force(
    loaded: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    ok, _, _ = add(capsys, loaded, tmp_path, GOOD_STATEMENT)
    assert ok == 0
    path = changed_copy(tmp_path, ADJOURNED)
    code, out, err = cli(capsys, "--db", loaded, "case", "load", str(path), "--replace")
    assert code == 2
    assert "events: - sag-silence" in out
    assert "--force stores the file as version 2" in err
    assert rows(loaded, "case_versions") == 1
    code, _, err = cli(capsys, "--db", loaded, "case", "load", str(path), "--force")
    assert code == 0, err
    assert rows(loaded, "case_versions") == 2


@pytest.mark.parametrize("table", ["case_versions", "case_event_documents"])
def test_the_new_tables_are_append_only_in_the_database(voted: str, table: str) -> None:
    assert rows(voted, table) >= 1
    engine = sa.create_engine(voted.replace("postgresql://", "postgresql+psycopg://"))
    column = "version" if table == "case_versions" else "position"
    for statement in (f"UPDATE {table} SET {column} = 9", f"DELETE FROM {table}"):
        with pytest.raises(sa.exc.DBAPIError), engine.begin() as conn:
            conn.execute(sa.text(statement))
    engine.dispose()


# The documents cited -------------------------------------------------------------------


def test_every_source_names_its_document_title_publication_date_and_address(
    loaded: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = cli(capsys, "--db", loaded, "case", "show", "sag-2008", "--format", "json")
    data = json.loads(out)
    first = next(e for e in data["events"] if e["id"] == "mediator-meets-amptp")
    assert first["sources"][0]["cites"] == {
        "title": "SAG, AMPTP may return to the table under a federal mediator",
        "publisher": "Variety (inferred from style)",
        "published_on": "2008-10-31",
        "url": None,
    }
    docs = {d["id"]: d for d in data["documents"]}
    assert docs["002_ac8fbb611370980d.txt"]["has_text"] is True
    assert docs["domain-research"]["has_text"] is False
    _, text, _ = cli(capsys, "--db", loaded, "case", "show", "sag-2008")
    text = " ".join(text.split())
    assert (
        "from 000_333080c6fa4b27e7.txt: SAG, AMPTP may return to the table under a federal "
        "mediator — Variety (inferred from style), 2008-10-31"
    ) in text
    assert "Source documents (5)" in text


def test_a_retraction_withdraws_an_event_and_the_timeline_keeps_both(
    loaded: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert add(capsys, loaded, tmp_path, GOOD_STATEMENT)[0] == 0
    retraction = {
        "date": "2008-11-23",
        "kind": "retraction",
        "corrects": 42,
        "summary": "The article says nothing of SAG's silence on Nov. 22 itself.",
        "certainty": "stated",
        "sources": [{"document": "002_ac8fbb611370980d.txt", "quote": REAL_QUOTE}],
    }
    code, out, err = add(capsys, loaded, tmp_path, retraction)
    assert code == 0, err
    assert "recorded #43: 2008-11-23 retraction (retracts #42)" in out
    _, out, _ = cli(capsys, "--db", loaded, "case", "show", "sag-2008", "--format", "json")
    events = {e["seq"]: e for e in json.loads(out)["events"]}
    assert events[42]["retracted_by"] == 43 and events[42]["in_force"] is False
    assert events[43]["kind"] == "retraction" and events[43]["corrects"] == 42
    _, text, _ = cli(capsys, "--db", loaded, "case", "show", "sag-2008")
    assert "public_statement  #42  [RETRACTED by #43]" in text
    assert "retraction  #43  [retracts #42]" in text
    again = {**retraction, "summary": "Again."}
    code, _, err = add(capsys, loaded, tmp_path, again)
    assert code == 2 and "#42 sag-silence was already retracted by #43" in err


def test_a_changed_source_document_is_named_in_what_differs(
    loaded: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = changed_copy(tmp_path)
    article = path.parent / "documents" / "003_05ef28807d0a6d42.txt"
    article.write_text(article.read_text(encoding="utf-8") + "\nA paragraph added later.\n")
    code, out, _ = cli(capsys, "--db", loaded, "case", "load", str(path))
    assert code == 2
    assert "documents: ~ 003_05ef28807d0a6d42.txt (text changed)" in out
    assert rows(loaded, "case_versions") == 1
