"""Residuals in the traditional markets, and the payments on session earnings.

Reruns, syndication and basic-cable runs pay each performer a percentage of the
performer's own applicable minimum, by run number. The other traditional markets pay a
percentage of distributor's gross, shared among the cast. Each formula works on one row
(a performer's run, or a production's period) and returns whole cents.

>>> from decimal import Decimal
>>> syndication_residual(
...     {"syndication_schedule": (Decimal(40), Decimal(30), Decimal(25))},
...     {"run_number": 5, "applicable_minimum_cents": 75_900},
... )
18975
"""

from __future__ import annotations

from decimal import Decimal

from guildhall.terms.formulas.base import (
    Params,
    Row,
    cents_in,
    count_in,
    date_in,
    day,
    formula,
    number,
    percent,
    round_cents,
    text_in,
)

CATEGORIES = ("series_regular", "guest_star", "day_player", "stunt", "background")
MEDIUMS = ("theatrical", "television", "new_media")


def schedule_percent(params: Params, name: str, run: int) -> Decimal:
    """The percentage a schedule gives run ``run`` (1 = the first rerun); the last entry
    applies to every later run."""
    if run < 1:
        raise ValueError(f"run_number must be 1 or more, not {run}")
    schedule = params[name]
    if not isinstance(schedule, tuple) or not schedule:
        raise TypeError(f"parameter {name} must be a schedule of percentages")
    value = schedule[min(run, len(schedule)) - 1]
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"parameter {name} must be a schedule of percentages")
    return Decimal(value) / 100


def _per_run(params: Params, row: Row, name: str) -> int:
    run = count_in(row, "run_number")
    minimum = cents_in(row, "applicable_minimum_cents")
    return round_cents(minimum * schedule_percent(params, name, run))


@formula(
    reads_parameters=("network_rerun_schedule",),
    reads_inputs=("run_number", "applicable_minimum_cents"),
    returns="cents",
)
def network_rerun_residual(params: Params, row: Row) -> int:
    """Network prime-time rerun: the schedule's percentage of the performer's applicable minimum."""
    return _per_run(params, row, "network_rerun_schedule")


@formula(
    reads_parameters=("syndication_schedule",),
    reads_inputs=("run_number", "applicable_minimum_cents"),
    returns="cents",
)
def syndication_residual(params: Params, row: Row) -> int:
    """Syndication run: the schedule's percentage of the performer's applicable minimum."""
    return _per_run(params, row, "syndication_schedule")


@formula(
    reads_parameters=("basic_cable_schedule",),
    reads_inputs=("run_number", "applicable_minimum_cents"),
    returns="cents",
)
def basic_cable_residual(params: Params, row: Row) -> int:
    """Basic-cable run: the schedule's percentage of the performer's applicable minimum."""
    return _per_run(params, row, "basic_cable_schedule")


def _on_gross(params: Params, row: Row, name: str) -> int:
    return round_cents(cents_in(row, "distributors_gross_cents") * percent(params, name))


@formula(
    reads_parameters=("foreign_free_tv_percent",),
    reads_inputs=("distributors_gross_cents",),
    returns="cents",
)
def foreign_free_tv_residual(params: Params, row: Row) -> int:
    """Foreign free television: a percentage of the distributor's foreign gross."""
    return _on_gross(params, row, "foreign_free_tv_percent")


@formula(
    reads_parameters=("pay_tv_percent",),
    reads_inputs=("distributors_gross_cents",),
    returns="cents",
)
def pay_tv_residual(params: Params, row: Row) -> int:
    """Pay television: a percentage of distributor's gross."""
    return _on_gross(params, row, "pay_tv_percent")


@formula(
    reads_parameters=("theatrical_free_tv_percent",),
    reads_inputs=("distributors_gross_cents",),
    returns="cents",
)
def theatrical_free_tv_residual(params: Params, row: Row) -> int:
    """A feature film on free television: a percentage of distributor's gross."""
    return _on_gross(params, row, "theatrical_free_tv_percent")


@formula(
    reads_parameters=(
        "supplemental_markets_royalty_base",
        "supplemental_markets_rate",
        "supplemental_markets_tier_dollars",
        "supplemental_markets_rate_above_tier",
    ),
    reads_inputs=("distributors_gross_cents", "cumulative_gross_before_cents"),
    returns="cents",
)
def supplemental_markets_residual(params: Params, row: Row) -> int:
    """Supplemental markets (home video): a tiered rate on the producer's gross.

    The producer's gross is ``supplemental_markets_royalty_base`` percent of distributor's
    gross (the 20% royalty). ``supplemental_markets_rate`` applies to a title's first
    ``supplemental_markets_tier_dollars`` of producer's gross and
    ``supplemental_markets_rate_above_tier`` after; ``cumulative_gross_before_cents`` is
    the title's distributor's gross in earlier periods.
    """
    base_share = percent(params, "supplemental_markets_royalty_base")
    gross = cents_in(row, "distributors_gross_cents") * base_share
    before = cents_in(row, "cumulative_gross_before_cents") * base_share
    tier = number(params, "supplemental_markets_tier_dollars") * 100
    first = max(Decimal(0), min(gross, tier - before))
    return round_cents(
        first * percent(params, "supplemental_markets_rate")
        + (gross - first) * percent(params, "supplemental_markets_rate_above_tier")
    )


@formula(
    reads_parameters=(
        *(f"applicable_minimum_{c}" for c in CATEGORIES),
        "minimum_increase_year_1",
        "minimum_increase_year_2",
        "minimum_increase_year_3",
    ),
    reads_inputs=("category", "contract_year"),
    returns="cents",
)
def applicable_minimum(params: Params, row: Row) -> int:
    """The applicable minimum of a performer's category in a contract year.

    ``applicable_minimum_<category>`` is the minimum when the agreement's term begins
    (the old contract's last rate); each year's ``minimum_increase_year_<n>`` compounds
    on it from that year on, rounded once to cents.
    """
    category = text_in(row, "category", CATEGORIES)
    exact = number(params, f"applicable_minimum_{category}") * 100
    return round_cents(exact * raise_factor(params, count_in(row, "contract_year")))


def raise_factor(params: Params, year: int) -> Decimal:
    """The compounded minimum increases through contract year ``year`` (1 to 3)."""
    if not 1 <= year <= 3:
        raise ValueError(f"contract_year must be 1, 2 or 3, not {year}")
    factor = Decimal(1)
    for n in range(1, year + 1):
        factor *= 1 + percent(params, f"minimum_increase_year_{n}")
    return factor


@formula(
    reads_parameters=(
        "minimum_increase_year_1",
        "minimum_increase_year_2",
        "minimum_increase_year_3",
    ),
    reads_inputs=("earnings_cents", "contract_year"),
    returns="cents",
)
def minimum_increase(params: Params, row: Row) -> int:
    """What the minimum increases add to a performer's session earnings.

    ``earnings_cents`` are at the old contract's rates; a job in contract year *n* is paid
    ``(1 + r_1) × … × (1 + r_n)`` times as much, and the formula returns the difference.
    """
    earnings = cents_in(row, "earnings_cents")
    return round_cents(earnings * (raise_factor(params, count_in(row, "contract_year")) - 1))


@formula(
    reads_parameters=(
        "pension_health_percent",
        "pension_health_ceiling_theatrical",
        "pension_health_ceiling_television",
    ),
    reads_inputs=("earnings_cents", "medium"),
    returns="cents",
)
def pension_health_contribution(params: Params, row: Row) -> int:
    """The employer's pension and health contribution on a performer's earnings from one
    production: ``pension_health_percent`` of them, up to the plan's ceiling per
    production (``pension_health_ceiling_theatrical`` for a feature, ``_television``
    otherwise, a new-media production included)."""
    medium = text_in(row, "medium", MEDIUMS)
    ceiling_name = "theatrical" if medium == "theatrical" else "television"
    ceiling = number(params, f"pension_health_ceiling_{ceiling_name}") * 100
    earnings = min(Decimal(cents_in(row, "earnings_cents")), ceiling)
    return round_cents(earnings * percent(params, "pension_health_percent"))


@formula(
    reads_parameters=("library_cutoff_date_television",),
    reads_inputs=("medium", "production_start", "market"),
    returns="covered",
)
def streaming_library_cutoff(params: Params, row: Row) -> bool:
    """Streaming of a TV program produced before the cut-off pays nothing; every other
    market, and every feature, is unaffected."""
    market = row["market"]
    if market not in ("ad_supported_streaming", "subscription_streaming"):
        return True
    if text_in(row, "medium", MEDIUMS) != "television":
        return True
    return date_in(row, "production_start") >= day(params, "library_cutoff_date_television")
