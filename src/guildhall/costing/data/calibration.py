"""What a data set looks like under one agreement, beside the published figures.

``calibrate`` costs a data set under the baseline agreement with the engine and measures,
projected to SAG's 120,000 members: the year's residuals and their shares by market, the
year's TV and theatrical earnings (session fees on the productions started in the term
plus residuals), and the share of members earning under $1,000 a year. ``PUBLISHED``
holds the figures they are compared with, each with its source and tolerance, and
``problems`` lists every figure outside its tolerance. ``docs/data.md`` prints the table
``table`` makes; ``python -m guildhall.costing.data.calibration DATA`` prints it for a set.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
from ibis.backends import BaseBackend

from guildhall.costing.compare import performer_totals
from guildhall.costing.data.schema import DataSet
from guildhall.costing.data.synth import CALIBRATION, _term
from guildhall.costing.engine import Tables, encoded, materialize, open_tables, production_amounts
from guildhall.costing.formulas import KINDS, MARKETS_OF_KIND
from guildhall.costing.params import Terms, terms_from_agreement

FULL_SCALE = int(CALIBRATION["members_per_guild"])
NEW_MEDIA = "new_media"
_NEW_MEDIA_MARKETS = (
    "rental",
    "electronic_sell_through",
    "ad_supported_streaming",
    "subscription_streaming",
)
_REST = "free_tv_rerun+syndication+theatrical_on_free_tv"
GROUP_OF_MARKET = {
    "pay_tv": "pay_tv",
    "supplemental_markets": "supplemental_markets",
    "foreign_free_tv": "foreign_free_tv",
    "basic_cable": "basic_cable",
    "free_tv_rerun": _REST,
    "syndication": _REST,
    "theatrical_on_free_tv": _REST,
    **{m: NEW_MEDIA for m in _NEW_MEDIA_MARKETS},
}
"""The published categories residuals are compared in: WGA West reports pay TV, home video,
foreign TV, basic cable and new media, and leaves the rest (network and syndicated reruns,
theatrical films on free TV) as one remainder."""


@dataclass(frozen=True)
class Published:
    """A published figure, the band a generated set must fall in, and where it is from."""

    name: str
    low: float
    high: float
    published: str
    source: str
    unit: str = "share"
    central: float | None = None
    """The published value the gap is measured from (the band's middle if not given)."""

    @property
    def centre(self) -> float:
        return self.central if self.central is not None else (self.low + self.high) / 2


_WGA = "WGA West residuals 2010 (deadline.com/print-article/144917), of the $302.2M attributed"
PUBLISHED = (
    Published("share:pay_tv", 0.14, 0.22, "18.0% ($54.29M)", _WGA),
    Published("share:supplemental_markets", 0.094, 0.174, "13.4% ($40.57M)", _WGA),
    Published("share:foreign_free_tv", 0.068, 0.128, "9.8% ($29.49M)", _WGA),
    Published("share:basic_cable", 0.039, 0.099, "6.9% ($20.94M)", _WGA),
    Published(f"share:{_REST}", 0.446, 0.566, "50.6% (the remainder, $152.97M)", _WGA),
    Published(
        f"share:{NEW_MEDIA}",
        0.01,
        0.03,
        "1–2% (2010); 1.3% ($3.85M)",
        "THR on WGA West 2010 ('only about 1% to 2%'); WGA West 2010",
        central=0.013,
    ),
    Published(
        "residuals_per_year",
        495e6,
        690e6,
        "$800M with commercials; $495M–$690M TV/theatrical",
        "Variety Dec 2010 ($800M incl. commercials); less commercials' share of 2008"
        " earnings ($801M of $2.1B) gives $495M; 53% of 2008 TV/theatrical earnings $690M",
        unit="dollars",
    ),
    Published(
        "earnings_per_year:television",
        530e6,
        717e6,
        "$682M (2008), $565M (2010)",
        "Variety 2009 'SAG's 2008 pay dips 2.5%'; LA Times Aug 2011; within 15% of the mean",
        unit="dollars",
    ),
    Published(
        "earnings_per_year:theatrical",
        514e6,
        695e6,
        "$620M (2008), $589M (2010)",
        "same; within 15% of the mean $604.5M",
        unit="dollars",
    ),
    Published(
        "members_under_1000",
        0.617,
        0.717,
        "80,000 of 120,000 (66.7%)",
        "laobserved.com 2008/11 ('80,000 of [120,000] earn less than $1,000'); ±5 points",
        central=80_000 / 120_000,
    ),
)


@dataclass(frozen=True)
class Calibration:
    """A set's figures, projected to full scale (dollars a year, shares of 1)."""

    figures: dict[str, float]
    members: int
    projection: float


def _market_of_kind() -> dict[int, str]:
    """Each residual kind's published category: its market's, or new media. Kinds figured
    on no market (session pay, pension and health) are not residuals and are left out."""
    out = {}
    for i, kind in enumerate(KINDS):
        markets = MARKETS_OF_KIND.get(kind, ())
        if not markets:
            continue
        groups = {GROUP_OF_MARKET.get(m, m) for m in markets}
        out[i] = groups.pop() if len(groups) == 1 else NEW_MEDIA
    return out


def _dollars(cents: Any) -> float:
    return float(cents or 0) / 100


def _medium_group(medium: ir.StringValue) -> ir.StringValue:
    return ibis.ifelse(medium == "theatrical", "theatrical", "television")


def calibrate(con: BaseBackend, data: DataSet, agreement: str | Terms) -> Calibration:
    """Cost ``data`` under ``agreement`` and measure it against ``PUBLISHED``."""
    from guildhall.terms import load

    terms = agreement if isinstance(agreement, Terms) else terms_from_agreement(load(agreement))
    tables = open_tables(con, data)
    kept = materialize(encoded(production_amounts(tables, [terms]), [terms]), "gh_calibration")
    members = int(tables.members.count().to_pyarrow().as_py())
    projection = FULL_SCALE / members
    years = int(CALIBRATION["contract_quarters"]) / 4
    per_year = projection / years
    figures: dict[str, float] = {}

    by_kind = kept.group_by("kind").aggregate(cents=kept.amount_cents.sum()).to_pyarrow()
    groups = _market_of_kind()
    total = 0.0
    shares: dict[str, float] = {g: 0.0 for g in GROUP_OF_MARKET.values()}
    for row in by_kind.to_pylist():
        group = groups.get(int(row["kind"]))
        if group is None:
            continue
        dollars = _dollars(row["cents"])
        shares[group] += dollars
        figures[f"kind:{KINDS[int(row['kind'])]}"] = dollars * per_year
        total += dollars
    figures["residuals_per_year"] = total * per_year
    for group, dollars in shares.items():
        figures[f"share:{group}"] = dollars / total if total else 0.0

    earnings = _earnings_by_medium(tables, kept)
    for medium, cents in earnings.items():
        figures[f"earnings_per_year:{medium}"] = _dollars(cents) * per_year
    figures["members_under_1000"] = _under(tables, kept, terms, members, years, 1000)
    return Calibration(figures, members, projection)


def _in_term(productions: ir.Table) -> ir.BooleanValue:
    first, last = _term()
    epoch = ibis.date(1970, 1, 1)
    days = productions.production_start.delta(epoch, unit="day")
    return (days >= first) & (days <= last)


def _earnings_by_medium(tables: Tables, kept: ir.Table) -> dict[str, int]:
    """Session fees on productions started in the term, plus residuals, by medium group."""
    productions = tables.productions.select(
        "production_id",
        group=_medium_group(tables.productions.medium),
        in_term=_in_term(tables.productions),
    )
    session = tables.credits.join(productions, "production_id")
    session = (
        session.filter(session.in_term)
        .group_by("group")
        .aggregate(cents=session.earnings_cents.sum())
    )
    paid = kept.filter(kept.kind.isin(list(_market_of_kind())))
    residual = paid.join(productions, "production_id")
    residual = residual.group_by("group").aggregate(cents=residual.amount_cents.sum())
    out: dict[str, int] = {"television": 0, "theatrical": 0}
    for table in (session, residual):
        for row in table.to_pyarrow().to_pylist():
            out[str(row["group"])] += int(row["cents"] or 0)
    return out


def _under(
    tables: Tables, kept: ir.Table, terms: Terms, members: int, years: float, dollars: int
) -> float:
    """The share of members whose session fees in the term and residuals, a year, are
    under ``dollars``; members with no credits earn nothing."""
    performers = performer_totals(tables, kept, [terms])
    productions = tables.productions.filter(_in_term(tables.productions)).select("production_id")
    session = tables.credits.semi_join(productions, "production_id")
    session = session.group_by("performer_id").aggregate(session=session.earnings_cents.sum())
    both = performers.select("performer_id", residual=performers.total_0).outer_join(
        session, "performer_id"
    )
    yearly = (both.residual.fill_null(0) + both.session.fill_null(0)) / years
    at_least = int(both.filter(yearly >= dollars * 100).count().to_pyarrow().as_py())
    return (members - at_least) / members


def problems(calibration: Calibration) -> list[str]:
    """Every published figure the set is outside the band of, in words."""
    out = []
    for target in PUBLISHED:
        value = calibration.figures.get(target.name, 0.0)
        if not target.low <= value <= target.high:
            out.append(
                f"{target.name}: {_show(value, target.unit)} is outside"
                f" {_show(target.low, target.unit)}–{_show(target.high, target.unit)}"
                f" (published: {target.published})"
            )
    return out


def _show(value: float, unit: str) -> str:
    return f"${value / 1e6:,.1f}M" if unit == "dollars" else f"{value * 100:.1f}%"


def gap(target: Published, value: float) -> str:
    """How far ``value`` is from the published figure: points for shares, percent else."""
    if target.unit == "dollars":
        return f"{(value / target.centre - 1) * 100:+.1f}%"
    return f"{(value - target.centre) * 100:+.1f} points"


def table(calibration: Calibration) -> str:
    """A Markdown table: each figure generated, the published value, the gap, the band."""
    lines = [
        "| figure | generated (full scale) | published | apart | band tested | source |",
        "|---|---|---|---|---|---|",
    ]
    for target in PUBLISHED:
        value = calibration.figures.get(target.name, 0.0)
        band = f"{_show(target.low, target.unit)}–{_show(target.high, target.unit)}"
        lines.append(
            f"| {target.name} | {_show(value, target.unit)} | {target.published}"
            f" | {gap(target, value)} | {band} | {target.source} |"
        )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    from guildhall.costing.backends import connect

    data = DataSet(Path(argv[0]))
    agreement = argv[1] if len(argv) > 1 else "sag-2005"
    found = calibrate(connect("duckdb"), data, agreement)
    print(f"{found.members:,} members, projected x{found.projection:g} to {FULL_SCALE:,}\n")
    print(table(found))
    for problem in problems(found):
        print(problem)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
