"""Residuals for reuse in new media, one formula per market, named as the contracts name them.

Each works on one production-period row and returns whole cents.

>>> from decimal import Decimal
>>> rental_residual({"rental_percent": Decimal("1.2")}, {"distributors_gross_cents": 100_000})
1200
"""

from __future__ import annotations

from guildhall.terms.formulas.base import (
    MEDIA,
    PLATFORMS,
    Params,
    Row,
    cents_in,
    choices,
    count_in,
    flag_in,
    formula,
    percent,
    round_cents,
    text_in,
    whole,
)


@formula(
    reads_parameters=("rental_percent",),
    reads_inputs=("distributors_gross_cents",),
    returns="cents",
)
def rental_residual(params: Params, row: Row) -> int:
    """Rental (fixed-period download or license): a percentage of distributor's gross."""
    gross = cents_in(row, "distributors_gross_cents")
    return round_cents(gross * percent(params, "rental_percent"))


@formula(
    reads_parameters=(
        "sell_through_royalty_base",
        "sell_through_rate",
        "sell_through_tier_downloads_television",
        "sell_through_rate_above_tier_television",
        "sell_through_tier_downloads_theatrical",
        "sell_through_rate_above_tier_theatrical",
    ),
    reads_inputs=("medium", "distributors_gross_cents", "units", "cumulative_units_before"),
    returns="cents",
)
def electronic_sell_through_residual(params: Params, row: Row) -> int:
    """Electronic sell-through (permanent download): a tiered rate by cumulative downloads.

    The rate is ``sell_through_rate`` on the first ``sell_through_tier_downloads_<medium>``
    downloads of a title and ``sell_through_rate_above_tier_<medium>`` after them, both as
    a percentage of the royalty base (``sell_through_royalty_base`` percent of distributor's
    gross: 20 for SAG's "5.4% of 20%", 100 where the rate is stated on the gross itself).
    When the tier boundary falls inside the period, the period's gross is split in
    proportion to the downloads on either side of it.
    """
    medium = text_in(row, "medium", MEDIA)
    gross = cents_in(row, "distributors_gross_cents")
    units = count_in(row, "units")
    before = count_in(row, "cumulative_units_before")
    tier = whole(params, f"sell_through_tier_downloads_{medium}")
    first_rate = percent(params, "sell_through_rate")
    above_rate = percent(params, f"sell_through_rate_above_tier_{medium}")
    base = gross * percent(params, "sell_through_royalty_base")
    if units == 0:
        return round_cents(base * (above_rate if before >= tier else first_rate))
    first_units = max(0, min(units, tier - before))
    above_units = units - first_units
    return round_cents(base * (first_units * first_rate + above_units * above_rate) / units)


@formula(
    reads_parameters=(
        "free_window_days_continuing_series",
        "free_window_days_new_series",
        "fixed_residual_percent",
        "fixed_residual_period_weeks",
        "fixed_residual_periods",
        "streaming_gross_percent",
    ),
    reads_inputs=(
        "is_new_series",
        "is_cable_program",
        "exhibition_days_from",
        "exhibition_days_to",
        "residual_base_cents",
        "distributors_gross_cents",
    ),
    returns="cents",
)
def ad_supported_streaming_residual(params: Params, row: Row) -> int:
    """Ad-supported streaming of a new TV program: free window, then fixed, then gross.

    The row covers exhibition days ``[exhibition_days_from, exhibition_days_to)`` counted
    from first exhibition. Nothing is owed in the free window (``free_window_days_new_series``
    or ``_continuing_series``). Then ``fixed_residual_periods`` periods of
    ``fixed_residual_period_weeks`` weeks each owe ``fixed_residual_percent`` of the
    residual base, once for every such period that begins inside the row. After them,
    ``streaming_gross_percent`` of distributor's gross is owed, pro rata by day when the
    change falls inside the row. A program made for cable is outside the gross formula:
    its streaming earns the fixed residual only.
    """
    start = count_in(row, "exhibition_days_from")
    end = count_in(row, "exhibition_days_to")
    if end <= start:
        raise ValueError(f"exhibition_days_to ({end}) must be after exhibition_days_from ({start})")
    is_new = flag_in(row, "is_new_series")
    window = whole(
        params, "free_window_days_new_series" if is_new else "free_window_days_continuing_series"
    )
    period_days = whole(params, "fixed_residual_period_weeks") * 7
    periods = whole(params, "fixed_residual_periods")
    fixed_end = window + periods * period_days
    begun = sum(1 for k in range(periods) if start <= window + k * period_days < end)
    fixed = begun * cents_in(row, "residual_base_cents") * percent(params, "fixed_residual_percent")
    gross_days = 0 if flag_in(row, "is_cable_program") else max(0, end - max(start, fixed_end))
    gross = cents_in(row, "distributors_gross_cents")
    on_gross = gross * gross_days * percent(params, "streaming_gross_percent") / (end - start)
    return round_cents(fixed + on_gross)


@formula(
    reads_parameters=("library_streaming_percent",),
    reads_inputs=("distributors_gross_cents",),
    returns="cents",
)
def television_library_streaming_residual(params: Params, row: Row) -> int:
    """Ad-supported streaming of a library TV program: a percentage of distributor's gross."""
    gross = cents_in(row, "distributors_gross_cents")
    return round_cents(gross * percent(params, "library_streaming_percent"))


@formula(
    reads_parameters=("theatrical_streaming_percent",),
    reads_inputs=("distributors_gross_cents",),
    returns="cents",
)
def theatrical_streaming_residual(params: Params, row: Row) -> int:
    """Ad-supported streaming of a feature film: a percentage of distributor's gross."""
    gross = cents_in(row, "distributors_gross_cents")
    return round_cents(gross * percent(params, "theatrical_streaming_percent"))


@formula(
    reads_parameters=(
        "reuse_residual_platforms",
        "reuse_percent_consumer_pay",
        "reuse_percent_ad_supported",
    ),
    reads_inputs=("platform", "distributors_gross_cents"),
    returns="cents",
)
def made_for_new_media_reuse_residual(params: Params, row: Row) -> int:
    """Reuse of a program made for new media, on a new-media platform the terms pay on.

    Pays ``reuse_percent_<platform>`` of distributor's gross when the row's ``platform``
    (``consumer_pay`` or ``ad_supported``) is one of ``reuse_residual_platforms``; else 0.
    """
    platform = text_in(row, "platform", PLATFORMS)
    if platform not in choices(params, "reuse_residual_platforms"):
        return 0
    gross = cents_in(row, "distributors_gross_cents")
    return round_cents(gross * percent(params, f"reuse_percent_{platform}"))
