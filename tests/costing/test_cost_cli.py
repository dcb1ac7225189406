"""``guildhall cost`` over a generated set: text, JSON with provenance, a chart, explain."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from guildhall.cli.app import run

AGREEMENTS = ["wga-2008", "dga-2008", "aftra-2008"]


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cost") / "data"
    assert (
        run(
            [
                "data",
                "synth",
                str(out),
                "--members",
                "400",
                "--titles",
                "120",
                "--events",
                "20000",
                "--seed",
                "5",
            ]
        )
        == 0
    )
    return out


def test_cost_json_and_chart(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    chart = tmp_path / "chart.png"
    assert (
        run(["cost", *AGREEMENTS, "--data", str(data), "--format", "json", "--chart", str(chart)])
        == 0
    )
    result = json.loads(capsys.readouterr().out)
    assert [a["id"] for a in result["agreements"]] == AGREEMENTS
    assert all(isinstance(a["total_cents"], int) for a in result["agreements"])
    assert sum(result["by_kind"]["wga-2008"].values()) == result["agreements"][0]["total_cents"]
    assert result["provenance"]["data"]["sha256"]
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_cost_is_reproducible(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outputs = []
    for _ in range(2):
        capsys.readouterr()
        assert run(["cost", *AGREEMENTS[:2], "--data", str(data), "--format", "json"]) == 0
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1]


def test_explain(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert run(["cost", "wga-2008", "--data", str(data), "--format", "json"]) == 0
    capsys.readouterr()
    import ibis

    from guildhall.services.costing import explain_amount

    amounts = ibis.read_parquet(str(data / "events" / "*.parquet"))
    row = amounts.filter(amounts.market == "rental").limit(1).to_pyarrow().to_pylist()[0]
    code = run(
        [
            "cost",
            "explain",
            "wga-2008",
            "--data",
            str(data),
            "--production",
            str(row["production_id"]),
            "--period",
            row["period_start"].isoformat(),
            "--kind",
            "rental",
            "--format",
            "json",
        ]
    )
    assert code == 0
    found = json.loads(capsys.readouterr().out)
    assert found["parameters"][0]["name"] == "rental_percent"
    assert found["parameters"][0]["source"]
    assert found["inputs"]
    assert explain_amount


def test_unknown_kind_is_refused(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = run(
        [
            "cost",
            "explain",
            "wga-2008",
            "--data",
            str(data),
            "--production",
            "1",
            "--period",
            "2008-07-01",
            "--kind",
            "tips",
        ]
    )
    assert code == 2
    assert "'tips' is not one of" in capsys.readouterr().err


SAG_2008 = ["sag-2005", "amptp-2008-final-offer", "sag-2008-threshold-proposals"]


def test_the_2008_sag_offers(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The expired contract (costed on its last day), the final offer and SAG's threshold
    proposals: jurisdiction over all productions and reuse on every platform cost more."""
    capsys.readouterr()
    page = tmp_path / "chart.html"
    code = run(["cost", *SAG_2008, "--data", str(data), "--format", "json", "--chart", str(page)])
    assert code == 0
    result = json.loads(capsys.readouterr().out)
    totals = {a["id"]: a["total_cents"] for a in result["agreements"]}
    assert totals["sag-2008-threshold-proposals"] > totals["amptp-2008-final-offer"] > 0
    reuse = {a: result["by_kind"].get(a, {}).get("new_media_reuse", 0) for a in SAG_2008}
    assert reuse["sag-2008-threshold-proposals"] > reuse["amptp-2008-final-offer"]
    covered = {c["agreement"]: c for c in result["coverage"]}
    everything = covered["sag-2008-threshold-proposals"]
    assert set(everything["covered"].values()) == {everything["new_media_productions"]}
    offer = covered["amptp-2008-final-offer"]["covered"]
    assert offer["all"] <= offer["any"] <= everything["new_media_productions"]
    assert [d["agreement"] for d in result["distribution"]] == SAG_2008[1:]
    text = page.read_text(encoding="utf-8")
    assert "data:image/png;base64," in text and "amptp-2008-final-offer" in text
