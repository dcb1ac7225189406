"""Formulas that are a rate on each revenue event's distributor's gross.

``rows`` is the events joined with their production (medium, start date, new series,
residual base) and a boolean column ``covered`` from the jurisdiction test.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from guildhall.costing.formulas.traditional import ON_GROSS, RUNS, on_gross, per_run
from guildhall.costing.params import Terms

TRADITIONAL = ("theatrical", "network_tv", "cable_tv")
CONSUMER_PAY = ("rental", "electronic_sell_through", "subscription_streaming")


def _zero() -> ir.IntegerValue:
    return ibis.literal(0, "int64")


def after_cutoff(rows: ir.Table, terms: Terms) -> ir.BooleanValue:
    """``library_cutoff``: produced on or after the cut-off date for its medium (features:
    ``library_cutoff_date_theatrical``; TV: ``library_cutoff_date_television``)."""
    if not terms.has("library_cutoff"):
        return ibis.literal(True)
    return ibis.ifelse(
        rows.medium == "theatrical",
        rows.production_start >= terms.date("library_cutoff_date_theatrical"),
        rows.production_start >= terms.date("library_cutoff_date_television"),
    )


STREAMING = ("ad_supported_streaming", "subscription_streaming")


def streaming_cut(rows: ir.Table, terms: Terms) -> ir.BooleanValue:
    """``streaming_library_cutoff``: false for streaming of a TV program produced before
    ``library_cutoff_date_television``, when the terms state that date (an agreement may
    list the formula with the date left to a reading); true for every other row."""
    if not terms.has("streaming_library_cutoff") or (
        "library_cutoff_date_television" not in terms.values
    ):
        return ibis.literal(True)
    cut = (
        rows.market.isin(STREAMING)
        & rows.medium.isin(("network_tv", "cable_tv"))
        & (rows.production_start < terms.date("library_cutoff_date_television"))
    )
    return ~cut


def free_window_days(rows: ir.Table, terms: Terms) -> ir.IntegerValue:
    """The free promotional window: longer for a new series than a continuing one.

    Days are counted from 0 on the day of first exhibition, as the catalogue counts them:
    a 17-day window is days 0 to 16, and day 17 begins the first fixed period."""
    return ibis.ifelse(
        rows.is_new_series,
        terms.count("free_window_days_new_series"),
        terms.count("free_window_days_continuing_series"),
    )


def is_new_program(rows: ir.Table, terms: Terms) -> ir.BooleanValue:
    """Produced on or after the agreement's term began (before it: the library)."""
    return rows.production_start >= terms.term_start


def rental(rows: ir.Table, terms: Terms, covered: ir.BooleanValue) -> ir.IntegerValue:
    """Rental and fixed-period licences (incl. subscription): a rate on distributor's gross."""
    if not terms.has("rental_residual"):
        return _zero()
    applies = (
        rows.market.isin(("rental", "subscription_streaming"))
        & rows.medium.isin(TRADITIONAL)
        & after_cutoff(rows, terms)
        & streaming_cut(rows, terms)
    )
    return ibis.ifelse(applies, rows.distributors_gross_cents * terms.rate("rental_percent"), 0)


def ad_supported_streaming(
    rows: ir.Table, terms: Terms, covered: ir.BooleanValue
) -> ir.IntegerValue:
    """Ad-supported streaming paid on gross: features (``theatrical_streaming_residual``),
    library TV (``television_library_streaming_residual``), and new network programs after
    the free window and the fixed periods (the gross part of
    ``ad_supported_streaming_residual``; a cable program earns the fixed residual only)."""
    is_tv = rows.medium.isin(("network_tv", "cable_tv"))
    fixed_days = (
        rows.days_since_first_exhibition
        >= free_window_days(rows, terms)
        + fixed_period_days(terms) * terms.count("fixed_residual_periods")
        if terms.has("ad_supported_streaming_residual")
        else ibis.literal(False)
    )
    cases = []
    if terms.has("theatrical_streaming_residual"):
        cases.append((rows.medium == "theatrical", terms.rate("theatrical_streaming_percent")))
    if terms.has("television_library_streaming_residual"):
        cases.append(
            (is_tv & ~is_new_program(rows, terms), terms.rate("library_streaming_percent"))
        )
    if terms.has("ad_supported_streaming_residual"):
        # Cable programs are outside the gross formula: their streaming earns the fixed
        # residual only.
        cases.append(
            (
                (rows.medium == "network_tv") & is_new_program(rows, terms) & fixed_days,
                terms.rate("streaming_gross_percent"),
            )
        )
    if not cases:
        return _zero()
    rate = ibis.cases(*cases, else_=0)
    applies = (
        (rows.market == "ad_supported_streaming")
        & rows.medium.isin(TRADITIONAL)
        & after_cutoff(rows, terms)
        & streaming_cut(rows, terms)
    )
    return ibis.ifelse(applies, rows.distributors_gross_cents * rate, 0)


def fixed_period_days(terms: Terms) -> int:
    return terms.count("fixed_residual_period_weeks") * 7


def new_media_reuse(rows: ir.Table, terms: Terms, covered: ir.BooleanValue) -> ir.IntegerValue:
    """``made_for_new_media_reuse_residual``: reuse of a covered made-for-new-media
    production on a platform the terms pay on (consumer pay or ad-supported)."""
    if not terms.has("made_for_new_media_reuse_residual"):
        return _zero()
    platforms = terms.choices("reuse_residual_platforms")
    cases = []
    if "consumer_pay" in platforms:
        cases.append((rows.market.isin(CONSUMER_PAY), terms.rate("reuse_percent_consumer_pay")))
    if "ad_supported" in platforms:
        cases.append(
            (rows.market == "ad_supported_streaming", terms.rate("reuse_percent_ad_supported"))
        )
    if not cases:
        return _zero()
    applies = (rows.medium == "new_media") & covered
    return ibis.ifelse(applies, rows.distributors_gross_cents * ibis.cases(*cases, else_=0), 0)


PER_EVENT = {
    "rental": rental,
    "ad_supported_streaming": ad_supported_streaming,
    "new_media_reuse": new_media_reuse,
    **{kind: per_run(kind) for kind in RUNS},
    **{kind: on_gross(kind) for kind in ON_GROSS},
}
"""Kind of payment → formula; every formula returns 0 where its catalogue formulas are absent."""
