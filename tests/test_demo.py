"""The main job on embedded defaults: the case, a generated data set, the offers costed."""

from __future__ import annotations

from pathlib import Path

import pytest

from guildhall.cli.app import run


def test_the_demo_loads_the_case_and_costs_the_2008_positions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "demo"
    assert run(["demo", "--folder", str(folder), "--no-serve"]) == 0
    out = capsys.readouterr().out
    assert "Timeline (41 events)" in out
    assert "2008-06-30  offer_made" in out
    totals = out.split("Total cost")[1].split("By kind")[0]
    lines = {line.split()[0]: line for line in totals.strip().splitlines()}
    assert set(lines) == {"sag-2005", "amptp-2008-final-offer", "sag-2008-threshold-proposals"}
    assert "baseline" in lines["sag-2005"]
    assert (folder / "cost.png").read_bytes()[:4] == b"\x89PNG"
    assert (folder / "guildhall.db").exists()
    signs_in = out.split("Sign in at http://127.0.0.1:8000/sign-in")[1]
    rows = [line.split() for line in signs_in.splitlines()[1:] if line.strip()][:7]
    assert [r[0] for r in rows] == ["member", "staff", "negotiating_committee", "national_board",
                                    "mediator", "trustee", "admin"]  # fmt: skip
    from guildhall.services import accounts

    member = accounts.sign_in(f"sqlite:///{folder / 'guildhall.db'}", rows[0][1], rows[0][2],
                              client="test")  # fmt: skip
    assert member.account.member_id is not None, "the member has a projection to see"
    assert run(["demo", "--folder", str(folder), "--no-serve"]) == 0, "a second run starts afresh"
    assert "Generating a data set" not in capsys.readouterr().out, "the data set is kept"
