"""The fixed residual for ad-supported streaming of a new TV program after its free window.

After the free window (longer for a new series), each 26-week period in which the
program is streamed, up to the agreement's number of such periods, pays each performer a
fixed percentage of the performer's own applicable minimum, once, in the first revenue
period of that 26-week period: the program's amount is that percentage of the sum of its
performers' minimums in the contract year of that period, shared in proportion to them.
An agreement not figured on performers' minimums (writers', directors') pays the
percentage of the production's residual base.
"""

from __future__ import annotations

import ibis.expr.types as ir

from guildhall.costing.arith import int64
from guildhall.costing.formulas.per_event import (
    after_cutoff,
    fixed_period_days,
    free_window_days,
    is_new_program,
    streaming_cut,
)
from guildhall.costing.formulas.traditional import (
    minimum_column,
    period_minimum,
    uses_minimums,
)
from guildhall.costing.params import CONTRACT_YEARS, Terms


def streaming_fixed(rows: ir.Table, terms: Terms) -> ir.Table:
    """The fixed part of ``ad_supported_streaming_residual``: (production_id,
    period_start, micro), the fixed periods earned summed per revenue period (two can
    begin in the same quarter)."""
    window = free_window_days(rows, terms)
    period_days = fixed_period_days(terms)
    periods = terms.count("fixed_residual_periods")
    since_window = rows.days_since_first_exhibition - window
    streamed = rows.filter(
        (rows.market == "ad_supported_streaming")
        & rows.medium.isin(("network_tv", "cable_tv"))
        & is_new_program(rows, terms)
        & after_cutoff(rows, terms)
        & streaming_cut(rows, terms)
        & (since_window >= 0)
        & (since_window < periods * period_days)
    )
    block = (streamed.days_since_first_exhibition - window) // period_days
    blocks = streamed.mutate(block=block)
    minimums = (
        [minimum_column(terms, y) for y in range(CONTRACT_YEARS)]
        if uses_minimums(terms)
        else ["residual_base_cents"]
    )
    earned = blocks.group_by(["production_id", "block"]).aggregate(
        period_start=blocks.period_start.min(),
        **{name: blocks[name].max() for name in minimums},
    )
    paid = earned.mutate(micro=period_minimum(earned, terms) * terms.rate("fixed_residual_percent"))
    per_period = paid.group_by(["production_id", "period_start"]).aggregate(
        micro=int64(paid.micro.sum())
    )
    return per_period.select("production_id", "period_start", "micro")
