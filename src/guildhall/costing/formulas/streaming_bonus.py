"""The streaming participation bonus for a made-for-streaming program that is a hit.

A covered program made for new media whose subscription-streaming views in its first
days (``streaming_bonus_days``) reach a share of the service's domestic subscribers
earns a bonus: a percentage of its fixed residual (the residual base times the fixed
streaming rate, in whole cents). Part goes to the performers on the program
(``streaming_bonus``), the rest to a fund shared by streaming performers
(``streaming_bonus_fund``).
"""

from __future__ import annotations

import ibis.expr.types as ir

from guildhall.costing.arith import MICRO, int64, to_cents
from guildhall.costing.params import Terms

BONUS_WINDOW_DAYS = 90
"""Views count in a program's first 90 days when the terms do not state
``participation_bonus_window_days`` (the 2023 terms' window)."""


def bonus_window_days(terms: Terms) -> int:
    """The days from first exhibition in which views count toward the bonus."""
    if "participation_bonus_window_days" in terms.values:
        return terms.count("participation_bonus_window_days")
    return BONUS_WINDOW_DAYS


def streaming_bonus(rows: ir.Table, terms: Terms, covered: ir.BooleanValue) -> ir.Table:
    """``streaming_participation_bonus`` and ``streaming_participation_fund``: (production_id,
    period_start, performers_micro, fund_micro) per program that earns the bonus."""
    window_days = bonus_window_days(terms)
    early = rows.filter(
        (rows.market == "subscription_streaming")
        & (rows.medium == "new_media")
        & covered
        & (rows.days_since_first_exhibition < window_days)
    )
    per_program = early.group_by("production_id").aggregate(
        period_start=early.period_start.min(),
        views=int64(early.views.sum()),
        subscribers=early.subscribers.max(),
        residual_base_cents=early.residual_base_cents.max(),
    )
    threshold = terms.rate("participation_bonus_viewer_share")
    hits = per_program.filter(
        (per_program.subscribers > 0)
        & (per_program.views * MICRO >= per_program.subscribers * threshold)
    )
    fixed_cents = to_cents(hits.residual_base_cents * terms.rate("fixed_residual_percent"))
    bonus_cents = to_cents(
        fixed_cents * terms.rate("participation_bonus_percent_of_fixed_residual")
    )
    return hits.select(
        "production_id",
        "period_start",
        performers_micro=bonus_cents * terms.rate("participation_bonus_performer_share"),
        fund_micro=bonus_cents * terms.rate("participation_bonus_fund_share"),
    )
