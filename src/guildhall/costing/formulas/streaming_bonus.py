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

from guildhall.costing.arith import MICRO, div_half_up, to_cents
from guildhall.costing.params import Terms


def streaming_bonus(rows: ir.Table, terms: Terms, covered: ir.BooleanValue) -> ir.Table:
    """(production_id, period_start, performers_micro, fund_micro) per program that earns it."""
    early = rows.filter(
        (rows.market == "subscription_streaming")
        & (rows.medium == "new_media")
        & covered
        & (rows.days_since_first_exhibition < terms.count("streaming_bonus_days"))
    )
    per_program = early.group_by("production_id").aggregate(
        period_start=early.period_start.min(),
        views=early.views.sum(),
        subscribers=early.subscribers.max(),
        residual_base_cents=early.residual_base_cents.max(),
    )
    threshold = terms.rate("streaming_bonus_view_share_percent")
    hits = per_program.filter(per_program.views * MICRO >= per_program.subscribers * threshold)
    fixed_cents = to_cents(
        hits.residual_base_cents * terms.rate("streaming_fixed_percent_of_residual_base")
    )
    bonus_cents = to_cents(fixed_cents * terms.rate("streaming_bonus_percent_of_fixed_residual"))
    performers_cents = div_half_up(
        bonus_cents * terms.rate("streaming_bonus_performer_share_percent"), MICRO
    )
    return hits.select(
        "production_id",
        "period_start",
        performers_micro=performers_cents * MICRO,
        fund_micro=(bonus_cents - performers_cents) * MICRO,
    )
