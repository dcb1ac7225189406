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

from guildhall.costing.data.schema import MARKETS, MEDIUMS, RUN_MARKETS, DataSet
from guildhall.costing.engine import open_tables, production_amounts
from guildhall.costing.formulas import KINDS, RESIDUAL_KINDS
from guildhall.costing.formulas.per_event import after_cutoff
from guildhall.costing.formulas.traditional import (
    MEDIUMS_OF_GROSS_KIND,
    MINIMUM_FORMULAS,
    ON_GROSS,
    RUNS,
)
from guildhall.costing.jurisdiction import is_covered, production_facts
from guildhall.costing.params import (
    CATEGORIES,
    Terms,
    terms_from_agreement,
    terms_from_mapping,
)
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
                if rng.random() < 0.7
                else dt.date(2008, int(rng.integers(7, 13)), int(rng.integers(1, 29)))
                if rng.random() < 0.5
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
                    "category": str(rng.choice(CATEGORIES)),
                    "earnings_cents": int(rng.choice([0, 75_900, 1_234_567, 3_000_000])),
                }
            )
        downloads = 0
        for period in PERIODS:
            if rng.random() < 0.3:
                continue
            market = str(rng.choice(MARKETS))
            units = int(rng.integers(0, 60_000)) if rng.random() < 0.9 else 0
            if market in RUN_MARKETS:
                units = int(rng.integers(0, 16))
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
    straddles: dict[Key, int] = {}
    productions = {p["production_id"]: p for p in sample["productions"]}
    credits_of: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for credit in sample["credits"]:
        credits_of[credit["production_id"]].append(credit)
    supplemental_before: dict[int, int] = defaultdict(int)

    def year_of(day: dt.date) -> int:
        second, third = terms.year_starts()
        return 1 if day < second else 2 if day < third else 3

    def base_of(pid: int, period: dt.date) -> int:
        """The production's summed applicable minimums in the period's contract year (its
        residual base where the terms are not figured on performers' minimums)."""
        if not (has("applicable_minimum") and terms.has_any(MINIMUM_FORMULAS)):
            return int(productions[pid]["residual_base_cents"])
        return sum(
            int(
                FORMULAS["applicable_minimum"](
                    params, {"category": c["category"], "contract_year": year_of(period)}
                )
            )
            for c in credits_of[pid]
        )

    def streamed(market: str, medium: str, start: dt.date) -> bool:
        if not has("streaming_library_cutoff") or "library_cutoff_date_television" not in params:
            return True
        return bool(
            FORMULAS["streaming_library_cutoff"](
                params,
                {
                    "medium": "new_media" if medium == "new_media" else _catalogue_medium(medium),
                    "production_start": start,
                    "market": market,
                },
            )
        )

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
        gated_stream = gated and streamed(market, medium, production["production_start"])
        for kind, (name, _, run_market) in RUNS.items():
            tv = ("network_tv",) if kind == "network_rerun" else ("network_tv", "cable_tv")
            if has(name) and market == run_market and medium in tv and event["units"] >= 1:
                out[(pid, period, kind)] += FORMULAS[name](
                    params,
                    {
                        "run_number": event["units"],
                        "applicable_minimum_cents": base_of(pid, period),
                    },
                )
        for kind, (name, _, gross_market) in ON_GROSS.items():
            if has(name) and market == gross_market and medium in MEDIUMS_OF_GROSS_KIND[kind]:
                out[(pid, period, kind)] += FORMULAS[name](
                    params, {"distributors_gross_cents": gross}
                )
        if market == "supplemental_markets" and medium in traditional:
            before = supplemental_before[pid]
            supplemental_before[pid] += gross
            if has("supplemental_markets_residual"):
                out[(pid, period, "supplemental_markets")] += FORMULAS[
                    "supplemental_markets_residual"
                ](
                    params,
                    {"distributors_gross_cents": gross, "cumulative_gross_before_cents": before},
                )
        if (
            has("rental_residual")
            and gated_stream
            and market in ("rental", "subscription_streaming")
        ):
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
                    straddles[key] = 1
        if market == "ad_supported_streaming" and gated_stream:
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
                    "is_cable_program": medium == "cable_tv",
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
                            "residual_base_cents": base_of(pid, period),
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
    _session_pay(terms, sample, out, straddles)
    return {k: v for k, v in out.items() if v > 0}, straddles


def _session_pay(
    terms: Terms,
    sample: Mapping[str, list[dict[str, Any]]],
    out: dict[Key, int],
    allowed: dict[Key, int],
) -> None:
    """Minimum increases and pension and health, per performer through the catalogue.
    The engine rounds once per production where the catalogue rounds per performer (and
    takes the compounded increase to a millionth), so each may differ by a cent per
    credit."""
    params, has = terms.values, terms.has
    if has("pension_health_contribution"):
        rate = Decimal(str(params["pension_health_percent"])) / 100
        residuals: dict[tuple[int, dt.date], int] = defaultdict(int)
        for (pid, period, kind), cents in out.items():
            if kind in RESIDUAL_KINDS and cents > 0:
                residuals[(pid, period)] += cents
        for (pid, period), cents in residuals.items():
            key = (pid, period, "pension_health_residuals")
            out[key] += int((cents * rate).quantize(Decimal(1), ROUND_HALF_UP))
            allowed[key] = 1
    if not (has("minimum_increase") or has("pension_health_contribution")):
        return
    second, third = terms.year_starts()
    end = third.replace(year=third.year + 1)
    productions = {p["production_id"]: p for p in sample["productions"]}
    for credit in sample["credits"]:
        production = productions[credit["production_id"]]
        start = production["production_start"]
        if not terms.term_start <= start < end:
            continue
        year = 1 if start < second else 2 if start < third else 3
        period = dt.date(start.year, (start.month - 1) // 3 * 3 + 1, 1)
        row = {"earnings_cents": credit["earnings_cents"], "contract_year": year}
        added = int(FORMULAS["minimum_increase"](params, row)) if has("minimum_increase") else 0
        for kind, cents in (
            ("minimum_increase", added),
            (
                "pension_health",
                int(
                    FORMULAS["pension_health_contribution"](
                        params,
                        {
                            "earnings_cents": credit["earnings_cents"] + added,
                            "medium": "new_media"
                            if production["medium"] == "new_media"
                            else _catalogue_medium(production["medium"]),
                        },
                    )
                )
                if has("pension_health_contribution")
                else 0,
            ),
        ):
            key = (production["production_id"], period, kind)
            out[key] += cents
            allowed[key] = allowed.get(key, 0) + 1


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
    assert all(abs(a - b) <= straddles.get(k, 0) for k, (a, b) in differences.items()), {
        k: v for k, v in differences.items() if abs(v[0] - v[1]) > straddles.get(k, 0)
    }
    kinds = {k for _, _, k in expected}
    assert kinds, "the sample gives this agreement something to pay"
    if terms.id == "every-formula":
        assert kinds >= set(KINDS) - {"minimum_increase"}, set(KINDS) - kinds
    if terms.id == "amptp-2008-final-offer":
        assert "minimum_increase" in kinds


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
        "network_rerun_residual",
        "syndication_residual",
        "basic_cable_residual",
        "foreign_free_tv_residual",
        "pay_tv_residual",
        "theatrical_free_tv_residual",
        "supplemental_markets_residual",
        "applicable_minimum",
        "minimum_increase",
        "pension_health_contribution",
        "streaming_library_cutoff",
    }
    assert engine_formulas <= exercised
    assert set(FORMULAS) - engine_formulas == {"force_majeure_suspension_pay"}
