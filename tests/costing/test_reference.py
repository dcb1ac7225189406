"""The vectorised Ibis formulas agree with the catalogue's reference functions, row by row.

A sample data set with one revenue event per production and period (so every amount the
engine gives for a production, period and kind comes from one event) is costed by the
engine; each event is then worked through the catalogue's ``compute`` functions in
``guildhall.terms.formulas`` and the two must give the same cents. The deliberate
differences, written down in ``docs/costing.md``, are checked as such:

- ad-supported streaming: the catalogue takes a range of days, an event carries one day;
  the gross part is compared on the one-day row ``[d, d + 1)`` and each fixed period on the
  row of its first day, paid in the first quarter the program is streamed in it;
- sell-through: where the tier boundary falls inside a period, the engine splits the gross
  between the tiers in whole cents first, so the two may differ by one cent there.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Mapping
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import ibis
import numpy as np
import pytest
from tests.costing.tables import write_data_set

from guildhall.costing.data.schema import MARKETS, MEDIUMS, DataSet
from guildhall.costing.engine import open_tables, production_amounts
from guildhall.costing.formulas.per_event import after_cutoff
from guildhall.costing.jurisdiction import is_covered, production_facts
from guildhall.costing.params import Terms, terms_from_agreement, terms_from_mapping
from guildhall.files.located_yaml import parse_yaml
from guildhall.terms import FORMULAS, load

Key = tuple[int, dt.date, str]
PERIODS = [dt.date(2008 + (6 + 3 * q) // 12, (6 + 3 * q) % 12 + 1, 1) for q in range(12)]
EDGE_DAYS = (0, 16, 17, 18, 23, 24, 25, 198, 199, 380, 381, 387, 388, 89, 90)
"""Window edges for 17- and 24-day windows, 26-week periods and the 90-day bonus window."""


def _base_terms() -> Terms:
    path = Path(__file__).parent / "cases" / "_agreement.yaml"
    doc, problems = parse_yaml(path.read_text(encoding="utf-8"), str(path))
    assert not problems
    parameters = {
        k: tuple(v) if isinstance(v, list) else v for k, v in doc.data["parameters"].items()
    }
    return terms_from_mapping(
        {
            "id": "every-formula",
            "term_start": doc.data["term_start"],
            "formulas": [n for n in FORMULAS if n != "force_majeure_suspension_pay"],
            "parameters": parameters,
        }
    )


def _agreements() -> Iterator[Terms]:
    yield _base_terms()
    for agreement_id in (
        "wga-2008",
        "dga-2008",
        "amptp-2008-final-offer",
        "sag-2008-threshold-proposals",
    ):
        yield terms_from_agreement(load(agreement_id))


def _sample(seed: int = 20081) -> dict[str, list[dict[str, Any]]]:
    rng = np.random.default_rng(seed)
    productions, credits, events = [], [], []
    for pid in range(240):
        medium = MEDIUMS[pid % 4]
        minutes = int(rng.integers(2, 16)) if medium == "new_media" else 44
        per_minute = int(rng.choice([10_000, 15_000, 15_001, 25_000])) * 100
        series = int(rng.integers(0, 30)) if rng.random() < 0.5 else None
        productions.append(
            {
                "production_id": pid,
                "medium": medium,
                "series_id": series,
                "is_new_series": bool(rng.random() < 0.4),
                "is_derivative": bool(medium == "new_media" and rng.random() < 0.3),
                "production_start": dt.date(int(rng.integers(1960, 2012)), 7, 1)
                if rng.random() < 0.8
                else rng.choice([dt.date(1971, 6, 30), dt.date(1971, 7, 1), dt.date(1974, 7, 1)]),
                "budget_cents": per_minute * minutes,
                "running_minutes": minutes,
                "residual_base_cents": int(rng.integers(100_000, 5_000_000)),
            }
        )
        for performer in range(int(rng.integers(0, 4))):
            credits.append(
                {
                    "production_id": pid,
                    "performer_id": pid * 10 + performer,
                    "is_covered_performer": bool(rng.random() < 0.2),
                }
            )
        downloads = 0
        for period in PERIODS:
            if rng.random() < 0.3:
                continue
            market = str(rng.choice(MARKETS))
            units = int(rng.integers(0, 60_000)) if rng.random() < 0.9 else 0
            downloads += units
            day = int(rng.choice(EDGE_DAYS)) if rng.random() < 0.5 else int(rng.integers(0, 900))
            events.append(
                {
                    "production_id": pid,
                    "market": market,
                    "period_start": period,
                    "days_since_first_exhibition": day,
                    "distributors_gross_cents": int(rng.integers(0, 10_000_000)) // 50 * 50
                    + int(rng.choice([0, 1, 17, 25, 49])),
                    "units": units,
                    "views": int(rng.choice([9_999_999, 10_000_000, 30_000_000, 0])),
                    "subscribers": int(rng.choice([50_000_000, 50_000_000, 0])),
                }
            )
    members = [{"performer_id": c["performer_id"]} for c in credits]
    return {"productions": productions, "credits": credits, "members": members, "events": events}


def _catalogue_medium(medium: str) -> str:
    return "theatrical" if medium == "theatrical" else "television"


def _reference(
    terms: Terms,
    sample: Mapping[str, list[dict[str, Any]]],
    covered: Mapping[int, bool],
    after: Mapping[int, bool],
) -> tuple[dict[Key, int], set[Key]]:
    """Amounts the catalogue gives, and the keys where a one-cent difference is allowed."""
    params = terms.values
    has = terms.has
    out: dict[Key, int] = defaultdict(int)
    straddles: set[Key] = set()
    productions = {p["production_id"]: p for p in sample["productions"]}
    downloads_before: dict[int, int] = defaultdict(int)
    fixed_paid: set[tuple[int, int]] = set()
    early: dict[int, dict[str, Any]] = {}
    traditional = ("theatrical", "network_tv", "cable_tv")
    for event in sorted(sample["events"], key=lambda e: (e["production_id"], e["period_start"])):
        pid, period, market = event["production_id"], event["period_start"], event["market"]
        production = productions[pid]
        medium, gross, day = production["medium"], event["distributors_gross_cents"], None
        day = event["days_since_first_exhibition"]
        gated = medium in traditional and after[pid]
        if has("rental_residual") and gated and market in ("rental", "subscription_streaming"):
            out[(pid, period, "rental")] += FORMULAS["rental_residual"](
                params, {"distributors_gross_cents": gross}
            )
        if market == "electronic_sell_through" and medium in traditional:
            before = downloads_before[pid]
            downloads_before[pid] += event["units"]
            if has("electronic_sell_through_residual") and after[pid]:
                catalogue_medium = _catalogue_medium(medium)
                key = (pid, period, "sell_through")
                out[key] += FORMULAS["electronic_sell_through_residual"](
                    params,
                    {
                        "medium": catalogue_medium,
                        "distributors_gross_cents": gross,
                        "units": event["units"],
                        "cumulative_units_before": before,
                    },
                )
                tier = params[f"sell_through_tier_downloads_{catalogue_medium}"]
                if before < tier < before + event["units"]:
                    straddles.add(key)
        if market == "ad_supported_streaming" and gated:
            is_new_tv = medium != "theatrical" and production["production_start"] >= (
                terms.term_start
            )
            if medium == "theatrical" and has("theatrical_streaming_residual"):
                out[(pid, period, "ad_supported_streaming")] += FORMULAS[
                    "theatrical_streaming_residual"
                ](params, {"distributors_gross_cents": gross})
            elif not is_new_tv and medium != "theatrical":
                if has("television_library_streaming_residual"):
                    out[(pid, period, "ad_supported_streaming")] += FORMULAS[
                        "television_library_streaming_residual"
                    ](params, {"distributors_gross_cents": gross})
            elif is_new_tv and has("ad_supported_streaming_residual"):
                row = {
                    "is_new_series": production["is_new_series"],
                    "residual_base_cents": 0,
                    "distributors_gross_cents": gross,
                    "exhibition_days_from": day,
                    "exhibition_days_to": day + 1,
                }
                streaming = FORMULAS["ad_supported_streaming_residual"]
                out[(pid, period, "ad_supported_streaming")] += streaming(params, row)
                window = params[
                    "free_window_days_new_series"
                    if production["is_new_series"]
                    else "free_window_days_continuing_series"
                ]
                period_days = params["fixed_residual_period_weeks"] * 7
                block = (day - window) // period_days
                if 0 <= block < params["fixed_residual_periods"] and (pid, block) not in (
                    fixed_paid
                ):
                    fixed_paid.add((pid, block))
                    first_day = window + block * period_days
                    out[(pid, period, "streaming_fixed")] += streaming(
                        params,
                        {
                            **row,
                            "residual_base_cents": production["residual_base_cents"],
                            "distributors_gross_cents": 0,
                            "exhibition_days_from": first_day,
                            "exhibition_days_to": first_day + 1,
                        },
                    )
        if medium == "new_media" and covered[pid]:
            if has("made_for_new_media_reuse_residual") and market in (
                "rental",
                "electronic_sell_through",
                "subscription_streaming",
                "ad_supported_streaming",
            ):
                platform = "ad_supported" if market == "ad_supported_streaming" else "consumer_pay"
                out[(pid, period, "new_media_reuse")] += FORMULAS[
                    "made_for_new_media_reuse_residual"
                ](params, {"platform": platform, "distributors_gross_cents": gross})
            if market == "subscription_streaming" and day < 90:
                seen = early.setdefault(pid, {"period": period, "views": 0, "subscribers": 0})
                seen["period"] = min(seen["period"], period)
                seen["views"] += event["views"]
                seen["subscribers"] = max(seen["subscribers"], event["subscribers"])
    if has("streaming_participation_bonus"):
        for pid, seen in early.items():
            fixed = Decimal(productions[pid]["residual_base_cents"]) * Decimal(
                str(params["fixed_residual_percent"])
            )
            row = {
                "is_high_budget_svod": True,
                "views_in_window": seen["views"],
                "domestic_subscribers": seen["subscribers"],
                "fixed_residual_cents": int((fixed / 100).quantize(Decimal(1), ROUND_HALF_UP)),
            }
            for name, kind in (
                ("streaming_participation_bonus", "streaming_bonus"),
                ("streaming_participation_fund", "streaming_bonus_fund"),
            ):
                out[(pid, seen["period"], kind)] += FORMULAS[name](params, row)
    return {k: v for k, v in out.items() if v > 0}, straddles


def _coverage_reference(
    terms: Terms, sample: Mapping[str, list[dict[str, Any]]]
) -> tuple[dict[int, bool], dict[int, bool]]:
    """Per production: the catalogue's jurisdiction test and library cut-off."""
    series_budget: dict[int, int] = defaultdict(int)
    for p in sample["productions"]:
        if p["series_id"] is not None:
            series_budget[p["series_id"]] += p["budget_cents"]
    employs = {c["production_id"] for c in sample["credits"] if c["is_covered_performer"]}
    covered, after = {}, {}
    for p in sample["productions"]:
        pid = p["production_id"]
        if p["medium"] != "new_media":
            covered[pid] = True
        elif not terms.has("new_media_jurisdiction"):
            covered[pid] = False
        else:
            covered[pid] = bool(
                FORMULAS["new_media_jurisdiction"](
                    terms.values,
                    {
                        "budget_cents": p["budget_cents"],
                        "running_minutes": p["running_minutes"],
                        "series_budget_cents": None
                        if p["series_id"] is None
                        else series_budget[p["series_id"]],
                        "is_derivative": p["is_derivative"],
                        "employs_covered_performer": pid in employs,
                    },
                )
            )
        if terms.has("library_cutoff") and p["medium"] != "new_media":
            after[pid] = bool(
                FORMULAS["library_cutoff"](
                    terms.values,
                    {
                        "medium": _catalogue_medium(p["medium"]),
                        "production_start": p["production_start"],
                    },
                )
            )
        else:
            after[pid] = True
    return covered, after


@pytest.fixture(scope="module")
def sample_set(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    sample = _sample()
    root = write_data_set(tmp_path_factory.mktemp("reference") / "data", sample)
    return root, sample


@pytest.mark.parametrize("terms", list(_agreements()), ids=lambda t: t.id)
def test_engine_agrees_with_the_catalogue(
    terms: Terms, sample_set: tuple[Path, dict[str, Any]]
) -> None:
    root, sample = sample_set
    tables = open_tables(ibis.duckdb.connect(), DataSet(root))
    covered, after = _coverage_reference(terms, sample)
    facts = production_facts(tables.productions, tables.credits)
    engine_tests = facts.select(
        "production_id", covered=is_covered(facts, terms), after=after_cutoff(facts, terms)
    ).to_pyarrow()
    got_covered = dict(
        zip(*engine_tests.select(["production_id", "covered"]).to_pydict().values(), strict=True)
    )
    assert got_covered == covered
    traditional = {p["production_id"] for p in sample["productions"] if p["medium"] != "new_media"}
    got_after = {
        pid: a
        for pid, a in zip(
            engine_tests["production_id"].to_pylist(),
            engine_tests["after"].to_pylist(),
            strict=True,
        )
        if pid in traditional
    }
    assert got_after == {pid: after[pid] for pid in traditional}

    expected, straddles = _reference(terms, sample, covered, after)
    rows = production_amounts(tables, [terms]).to_pyarrow().to_pylist()
    got = {(r["production_id"], r["period_start"], r["kind"]): r["amount_cents"] for r in rows}
    assert set(got) == set(expected)
    differences = {k: (got[k], expected[k]) for k in got if got[k] != expected[k]}
    assert all(k in straddles and abs(a - b) <= 1 for k, (a, b) in differences.items())
    kinds = {k for _, _, k in expected}
    assert kinds, "the sample gives this agreement something to pay"


def test_every_shared_formula_is_compared() -> None:
    """Each catalogue formula the engine implements is exercised by some agreement above."""
    exercised = {f for t in _agreements() for f in t.formulas}
    engine_formulas = {
        "rental_residual",
        "electronic_sell_through_residual",
        "ad_supported_streaming_residual",
        "television_library_streaming_residual",
        "theatrical_streaming_residual",
        "made_for_new_media_reuse_residual",
        "new_media_jurisdiction",
        "library_cutoff",
        "streaming_participation_bonus",
        "streaming_participation_fund",
    }
    assert engine_formulas <= exercised
    assert set(FORMULAS) - engine_formulas == {"force_majeure_suspension_pay"}
