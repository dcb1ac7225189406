"""Formulas that are a rate on each revenue event's distributor's gross.

``rows`` is the events joined with their production (medium, start date, new series,
residual base) and a boolean column ``covered`` from the jurisdiction test.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from guildhall.costing.params import Terms

TRADITIONAL = ("theatrical", "network_tv", "cable_tv")
CONSUMER_PAY = ("rental", "electronic_sell_through", "subscription_streaming")


def _zero() -> ir.IntegerValue:
    return ibis.literal(0, "int64")


def after_cutoff(rows: ir.Table, terms: Terms, name: str) -> ir.BooleanValue:
    """Produced on or after the library cut-off date ``name`` (true when there is none)."""
    if name not in terms.values:
        return ibis.literal(True)
    return rows.production_start >= terms.date(name)


def free_window_days(rows: ir.Table, terms: Terms) -> ir.IntegerValue:
    """The free promotional window: longer for a new series than a continuing one."""
    return ibis.ifelse(
        rows.is_new_series,
        terms.count("free_window_days_new_series"),
        terms.count("free_window_days_continuing_series"),
    )


def is_new_program(rows: ir.Table, terms: Terms) -> ir.BooleanValue:
    return rows.production_start >= terms.date("new_program_start_date")


def rental(rows: ir.Table, terms: Terms, covered: ir.BooleanValue) -> ir.IntegerValue:
    """Rental and fixed-period licences (incl. subscription): a rate on distributor's gross."""
    if not terms.has("rental"):
        return _zero()
    applies = (
        rows.market.isin(("rental", "subscription_streaming"))
        & rows.medium.isin(TRADITIONAL)
        & after_cutoff(rows, terms, "library_cutoff_date")
    )
    return ibis.ifelse(applies, rows.distributors_gross_cents * terms.rate("rental_percent"), 0)


def ad_supported_streaming(
    rows: ir.Table, terms: Terms, covered: ir.BooleanValue
) -> ir.IntegerValue:
    """Ad-supported streaming paid on gross: features, library TV, and new TV after the
    free window and the fixed-residual year (cable programs get the fixed residual only)."""
    if not terms.has("ad_supported_streaming"):
        return _zero()
    gross = rows.distributors_gross_cents
    fixed_days = terms.count("streaming_fixed_periods") * terms.count("streaming_fixed_period_days")
    window = free_window_days(rows, terms)
    is_tv = rows.medium.isin(("network_tv", "cable_tv"))
    rate = ibis.cases(
        (rows.medium == "theatrical", terms.rate("streaming_feature_percent")),
        (is_tv & ~is_new_program(rows, terms), terms.rate("streaming_library_percent")),
        (
            (rows.medium == "network_tv")
            & (rows.days_since_first_exhibition > window + fixed_days),
            terms.rate("streaming_gross_percent"),
        ),
        else_=0,
    )
    applies = (
        (rows.market == "ad_supported_streaming")
        & rows.medium.isin(TRADITIONAL)
        & after_cutoff(rows, terms, "streaming_library_cutoff_date")
    )
    return ibis.ifelse(applies, gross * rate, 0)


def new_media_reuse(rows: ir.Table, terms: Terms, covered: ir.BooleanValue) -> ir.IntegerValue:
    """Reuse of a covered made-for-new-media production: consumer-pay or ad-supported rate."""
    if not terms.has("new_media_reuse"):
        return _zero()
    rate = ibis.cases(
        (rows.market.isin(CONSUMER_PAY), terms.rate("new_media_consumer_pay_percent")),
        (rows.market == "ad_supported_streaming", terms.rate("new_media_ad_supported_percent")),
        else_=0,
    )
    applies = (rows.medium == "new_media") & covered
    return ibis.ifelse(applies, rows.distributors_gross_cents * rate, 0)


PER_EVENT = {
    "rental": rental,
    "ad_supported_streaming": ad_supported_streaming,
    "new_media_reuse": new_media_reuse,
}
