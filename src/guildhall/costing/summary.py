"""Revenue events summed before the formulas: what a formula cannot tell apart, added up.

Every formula is a rate times a sum of events' gross (or downloads, or views), or a rate
times a minimum per run, chosen by the event's production, period and market, its run's
number and, for streaming, which windows and fixed periods its day falls in. So the paid
events are summed per (production, period, market, run, day) first, where

- the run is the event's ``units`` in a market paid per run, up to the longest schedule
  of the agreements costed (from its last run on, every schedule pays its last rate), and
  0 elsewhere, where ``units`` (downloads) is summed instead;
- the day is ``days_since_first_exhibition`` in the streaming markets, up to the last day
  on which a free window, a fixed period or a bonus window of these agreements ends (every
  later day compares alike with each of them), and 0 elsewhere;

and ``lines`` counts the events in each, so a run formula pays its rate once per run. The
formulas then read about a fifth as many rows, and the amounts are the same integers: a
sum of rate × gross over events is rate × the sum, and the rounding is still once per
agreement, production, period and kind.
"""

from __future__ import annotations

from collections.abc import Sequence

import ibis
import ibis.expr.types as ir

from guildhall.costing.arith import int64
from guildhall.costing.formulas.streaming_bonus import bonus_window_days
from guildhall.costing.formulas.traditional import RUNS
from guildhall.costing.params import Terms

STREAMING_DAYS = ("ad_supported_streaming", "subscription_streaming")
"""The markets whose formulas read ``days_since_first_exhibition``."""


def run_caps(agreements: Sequence[Terms]) -> dict[str, int]:
    """Market paid per run → the longest schedule of that market among ``agreements``."""
    return {
        market: max([len(t.schedule(schedule)) for t in agreements if t.has(formula)], default=1)
        for formula, schedule, market in RUNS.values()
    }


def last_day(agreements: Sequence[Terms]) -> int:
    """The day from which every window, fixed period and bonus window has ended: a free
    window (the longer one) plus the fixed periods, per agreement paying the fixed
    streaming residual, and the bonus window, per agreement paying the bonus."""
    days = [
        max(t.count("free_window_days_new_series"), t.count("free_window_days_continuing_series"))
        + t.count("fixed_residual_period_weeks") * 7 * t.count("fixed_residual_periods")
        for t in agreements
        if t.has("ad_supported_streaming_residual")
    ]
    days += [bonus_window_days(t) for t in agreements if t.has("streaming_participation_bonus")]
    return max(days, default=0)


def summarised(events: ir.Table, agreements: Sequence[Terms]) -> ir.Table:
    """``events`` (already only the paid markets) summed as the module says: the events'
    columns the formulas read, and ``lines``, the number of events summed in each row."""
    caps = run_caps(agreements)
    run = ibis.cases(
        *[(events.market == m, ibis.least(events.units, cap)) for m, cap in caps.items()],
        else_=0,
    ).cast("int64")
    day = ibis.ifelse(
        events.market.isin(STREAMING_DAYS),
        ibis.least(events.days_since_first_exhibition, last_day(agreements)),
        0,
    ).cast("int32")
    keyed = events.mutate(run=run, day=day)
    sums = keyed.group_by(["production_id", "period_start", "market", "run", "day"]).aggregate(
        downloads=int64(keyed.units.sum()),
        lines=int64(keyed.count()),
        distributors_gross_cents=int64(keyed.distributors_gross_cents.sum()),
        views=int64(keyed.views.sum()),
        subscribers=keyed.subscribers.max(),
    )
    return sums.select(
        "production_id",
        "period_start",
        "market",
        days_since_first_exhibition=sums.day,
        units=ibis.ifelse(sums.market.isin(list(caps)), sums.run, sums.downloads),
        lines=sums.lines,
        distributors_gross_cents=sums.distributors_gross_cents,
        views=sums.views,
        subscribers=sums.subscribers,
    )


def one_line_each(events: ir.Table) -> ir.Table:
    """``events`` as rows of one event each (``lines`` = 1), for a formula read per event."""
    return events.mutate(lines=ibis.literal(1, "int64"))
