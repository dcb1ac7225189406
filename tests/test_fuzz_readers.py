"""Every reader, fed what Hypothesis makes up: a result or problems, never another exception.

Three kinds of input: any bytes; text made of each format's own punctuation (so that the
parsers get past their first character); and the real files with one value replaced by
an arbitrary one (so that the shape checks behind the parsers are reached).
"""

from __future__ import annotations

import copy
import json
import shutil
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.web.sign_in import signed_in

from guildhall.ballots.crypto.trustees import ceremony
from guildhall.ballots.roll import read_roll
from guildhall.ballots.verify import Report, Unreadable, verify_board
from guildhall.bargaining.casefile import read_case, read_case_file
from guildhall.bargaining.eventfile import read_event
from guildhall.bargaining.rulebook import parse_rulebook
from guildhall.core.errors import InvalidInput
from guildhall.core.problems import Problem
from guildhall.costing.data.schema import TABLES
from guildhall.costing.data.synth import SynthSpec, synthesize
from guildhall.files.csv_table import parse_csv
from guildhall.files.located_json import parse_json_or_lines
from guildhall.files.located_yaml import parse_yaml, read_yaml
from guildhall.files.reading import decode, read_text
from guildhall.files.shape import Shape
from guildhall.ledger.remittances import read_remittances
from guildhall.services.ballots.files import read_ballots, read_json, read_votes
from guildhall.services.ballots.trustee import decrypt, write_key
from guildhall.services.cases import load_case_file
from guildhall.services.costing import import_data_set
from guildhall.terms.parse import parse_file
from guildhall.web.app import create_app

REPO = Path(__file__).resolve().parents[1]
CASE_DIR = REPO / "cases" / "sag-2008"
CASE_DATA = yaml.safe_load((CASE_DIR / "case.yaml").read_text(encoding="utf-8"))
AGREEMENT = REPO / "agreements" / "amptp-2008-final-offer.yaml"
AGREEMENT_DATA = yaml.safe_load(AGREEMENT.read_text(encoding="utf-8"))
RULES = (REPO / "rules" / "sag.yaml").read_text(encoding="utf-8")

FUZZ = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Whole real files are parsed per example: fewer examples keep these to seconds.
WHOLE_FILES = settings(FUZZ, max_examples=20)

YAML_TEXT = st.text(alphabet=st.sampled_from(list("ab1 :-[]{},&*!|>'\"#%@`\n\t.\\\x00é")),
                    max_size=200)  # fmt: skip
CSV_TEXT = st.text(alphabet=st.sampled_from(list('ab1,"\n\r \ufeff-\x00é;')), max_size=200)
JSON_TEXT = st.text(alphabet=st.sampled_from(list('{}[]":,1.e- \nab\\tnul\x00')), max_size=200)
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20) | st.dates()
    | st.floats(allow_nan=True) | st.decimals(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=3),
    max_leaves=6,
)  # fmt: skip


def _is_problems(problems: object) -> None:
    assert isinstance(problems, list | tuple)
    assert all(isinstance(p, Problem) for p in problems)


def _in_file(data: bytes, name: str, read: Callable[[Path], Any]) -> Any:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        return read(path)


def _mutated(data: Any, choices: st.DataObject) -> Any:
    """``data`` with the value at one path (drawn) replaced by an arbitrary value."""
    out = copy.deepcopy(data)
    parent: Any = None
    key: Any = None
    node = out
    while isinstance(node, dict | list) and node and choices.draw(st.booleans(), label="deeper"):
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        key = choices.draw(st.sampled_from(keys), label="key")
        parent, node = node, node[key]
    value = choices.draw(VALUES, label="value")
    if parent is None:
        return value
    parent[key] = value
    return out


def _dump(data: Any) -> str:
    def represent_decimal(dumper: yaml.SafeDumper, value: Any) -> yaml.Node:
        return dumper.represent_scalar("tag:yaml.org,2002:float", str(value))

    dumper = type("Dumper", (yaml.SafeDumper,), {})
    from decimal import Decimal

    dumper.add_representer(Decimal, represent_decimal)
    return yaml.dump(data, Dumper=dumper, allow_unicode=True)


# -- YAML: case files, event files, agreements, rules --------------------------------------


@FUZZ
@given(st.binary(max_size=300) | YAML_TEXT.map(str.encode))
def test_yaml_readers_take_any_bytes(data: bytes) -> None:
    _, problems = _in_file(data, "x.yaml", read_yaml)
    _is_problems(problems)
    case, problems = _in_file(data, "case.yaml", read_case_file)
    _is_problems(problems)
    assert case is not None or problems
    parsed, problems = _in_file(data, "x.yaml", parse_file)
    _is_problems(problems)
    assert parsed is not None or problems
    text, _ = decode(data, "rules.yaml")
    if text is not None:
        rulebook, problems = parse_rulebook(text, "rules.yaml")
        _is_problems(problems)
        assert rulebook is not None or problems


@WHOLE_FILES
@given(st.data())
def test_a_case_file_with_any_value_anywhere(choices: st.DataObject) -> None:
    text = _dump(_mutated(CASE_DATA, choices))
    doc, problems = parse_yaml(text, "case.yaml")
    _is_problems(problems)
    if not problems:
        case, problems = read_case(doc, CASE_DIR)
        _is_problems(problems)
        assert case is not None or problems


@FUZZ
@given(st.data())
def test_an_event_with_any_value_anywhere(choices: st.DataObject) -> None:
    event = _mutated(CASE_DATA["events"][choices.draw(st.integers(0, 30), label="event")],
                     choices)  # fmt: skip
    doc, problems = parse_yaml(_dump(event), "event.yaml")
    if problems:
        return
    shape = Shape(doc)
    result = read_event(shape, doc.data, (), guild="sag", actors={"sag", "amptp"},
                        documents={}, event_ids={})  # fmt: skip
    _is_problems(shape.problems)
    assert result is not None or shape.problems


@WHOLE_FILES
@given(st.data())
def test_an_agreement_with_any_value_anywhere(choices: st.DataObject) -> None:
    text = _dump(_mutated(AGREEMENT_DATA, choices))
    parsed, problems = _in_file(text.encode(), AGREEMENT.name, parse_file)
    _is_problems(problems)
    assert parsed is not None or problems


@FUZZ
@given(st.data())
def test_the_rules_with_any_value_anywhere(choices: st.DataObject) -> None:
    text = _dump(_mutated(yaml.safe_load(RULES), choices))
    rulebook, problems = parse_rulebook(text, "rules.yaml")
    _is_problems(problems)
    assert rulebook is not None or problems


# -- CSV: the roll, the votes --------------------------------------------------------------


@FUZZ
@given(st.binary(max_size=300) | CSV_TEXT.map(str.encode) |
       CSV_TEXT.map(lambda t: ("member_id,standing,paid_through\n" + t).encode()))  # fmt: skip
def test_csv_readers_take_any_bytes(data: bytes) -> None:
    text, problems = _in_file(data, "roll.csv", lambda p: read_text(p, limit=10_000))
    _is_problems(problems)
    if text is None:
        assert problems
        return
    table, problems = parse_csv(text, "x.csv", required=("member_id",), optional=("x",))
    _is_problems(problems)
    assert table is not None or problems
    _, problems = read_roll(text, record_date=date(2009, 1, 1))
    _is_problems(problems)
    try:
        _in_file(data, "votes.csv", read_votes)
    except InvalidInput as exc:
        _is_problems(list(exc.problems))
    for name in ("paid.csv", "paid.parquet"):
        remittances = _in_file(data, name, lambda p: read_remittances(p, date(2009, 1, 1)))
        _is_problems(list(remittances.problems))
        assert remittances.good or remittances.problems


# -- JSON: ballots, trustees' files, the board ---------------------------------------------


KEY = ceremony("fuzz", n=3, k=2)[1][0]


def _decrypt(board: Path) -> None:
    key, share = board.parent / "key.json", board.parent / "share.json"
    write_key(key, KEY)
    decrypt(board, key_path=key, identity_key=None, share_path=share)


@FUZZ
@given(st.binary(max_size=300) | JSON_TEXT.map(str.encode))
def test_json_readers_take_any_bytes(data: bytes) -> None:
    text, _ = decode(data, "x.json")
    if text is not None:
        values, problems = parse_json_or_lines(text, "x.json")
        _is_problems(problems)
        assert values or problems
    for name, read in (("ballot.json", read_ballots), ("key.json", read_json)):
        try:
            _in_file(data, name, read)
        except InvalidInput as exc:
            _is_problems(list(exc.problems))
    try:  # a board is either read and found false, or named unreadable (exit 2)
        report = _in_file(data, "board.jsonl", lambda p: verify_board(p, workers=1))
        assert isinstance(report, Report) and not report.is_valid
    except Unreadable as exc:
        assert str(exc)
    try:
        _in_file(data, "board.jsonl", _decrypt)
    except InvalidInput as exc:  # made-up bytes are never a closed board
        _is_problems(list(exc.problems))
    else:
        raise AssertionError("a made-up board gave a decryption share")


# -- data sets: CSV and Parquet ------------------------------------------------------------


@pytest.fixture(scope="module")
def data_set(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("fuzz-data")
    synthesize(SynthSpec(members=20, titles=3, events=30, seed=2), out / "gen", lambda t, n: None)
    src = out / "src"
    src.mkdir()
    for table in TABLES:
        found = out / "gen" / table
        pattern = f"{found}/*.parquet" if found.is_dir() else f"{found}.parquet"
        duckdb.sql(f"COPY (SELECT * FROM '{pattern}') TO '{src / table}.csv' (HEADER)")
    return src


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=st.sampled_from(TABLES), kind=st.sampled_from(["csv", "parquet"]),
       data=st.binary(max_size=300) | CSV_TEXT.map(str.encode),
       keep_header=st.booleans())  # fmt: skip
def test_data_import_takes_any_bytes(
    data_set: Path, table: str, kind: str, data: bytes, keep_header: bool
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        src = Path(folder) / "src"
        shutil.copytree(data_set, src)
        (src / f"{table}.csv").unlink()
        if kind == "csv" and keep_header:
            header = (data_set / f"{table}.csv").read_bytes().split(b"\n", 1)[0]
            data = header + b"\n" + data
        (src / f"{table}.{kind}").write_bytes(data)
        out = Path(folder) / "out"
        try:
            report = import_data_set(src, out, None)
        except InvalidInput as exc:
            _is_problems(list(exc.problems))
            assert not out.exists()
        else:
            assert report.problems == () and out.is_dir()


# -- the web API's request bodies ----------------------------------------------------------


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    url = f"sqlite:///{tmp_path_factory.mktemp('fuzz-api') / 'guildhall.db'}"
    load_case_file(url, CASE_DIR / "case.yaml", recorded_by="fuzz")
    # the national board may record its own decision, so bodies reach the event checks
    client = signed_in(create_app(url), url, "national_board")
    client.headers["accept"] = "application/json"
    return client


EVENT = {
    "date": "2008-12-01", "kind": "board_strike_decision", "by": "national_board",
    "decision": "strike", "summary": "The national board calls a strike.",
    "certainty": "stated",
    "sources": [{"document": "board-minutes", "quote": "The board voted to strike."}],
}  # fmt: skip
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20)
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=3),
    max_leaves=6,
)  # fmt: skip


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=st.binary(max_size=300) | JSON_TEXT.map(str.encode),
       content_type=st.sampled_from(["application/json", "text/plain", ""]),
       choices=st.data())  # fmt: skip
def test_the_api_answers_any_body_with_a_problem(
    api: TestClient, body: bytes, content_type: str, choices: st.DataObject
) -> None:
    if choices.draw(st.booleans(), label="structured"):
        event = copy.deepcopy(EVENT)
        event[choices.draw(st.sampled_from(sorted(EVENT)), label="key")] = choices.draw(
            JSON_VALUES, label="value"
        )
        body = json.dumps(event).encode()
    headers = {"content-type": content_type} if content_type else {}
    response = api.post("/api/cases/sag-2008/events", content=body, headers=headers)
    assert response.status_code in (201, 400, 404, 409, 413, 415, 422), response.text
    if response.status_code != 201:
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["status"] == response.status_code
