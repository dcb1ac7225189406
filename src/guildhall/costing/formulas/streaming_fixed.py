"""The fixed residual for ad-supported streaming of a new TV program after its free window.

After the free window (longer for a new series), each 26-week period in which the
program is streamed, up to the agreement's number of such periods, pays a fixed
percentage of the program's residual base, once, in the first revenue period of that
26-week period.
"""

from __future__ import annotations

import ibis.expr.types as ir

from guildhall.costing.arith import int64
from guildhall.costing.formulas.per_event import (
    after_cutoff,
    fixed_period_days,
    free_window_days,
    is_new_program,
)
from guildhall.costing.params import Terms


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
        & (since_window >= 0)
        & (since_window < periods * period_days)
    )
    block = (streamed.days_since_first_exhibition - window) // period_days
    blocks = streamed.mutate(block=block)
    earned = blocks.group_by(["production_id", "block"]).aggregate(
        period_start=blocks.period_start.min(),
        residual_base_cents=blocks.residual_base_cents.max(),
    )
    paid = earned.mutate(micro=earned.residual_base_cents * terms.rate("fixed_residual_percent"))
    per_period = paid.group_by(["production_id", "period_start"]).aggregate(
        micro=int64(paid.micro.sum())
    )
    return per_period.select("production_id", "period_start", "micro")
