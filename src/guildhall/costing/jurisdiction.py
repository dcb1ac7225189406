"""Which made-for-new-media productions an agreement covers.

A production made for new media is covered when its budget passes the thresholds (per
minute, per program, per series order; "above any" or "above all", the AND/OR reading
being a switch), when it is derivative of a covered program and the terms cover
derivatives, or when it employs a covered performer and the terms say so. Productions
made for other media are always within the agreement.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from guildhall.costing.params import Terms

READINGS = ("any", "all")


def production_facts(productions: ir.Table, credits: ir.Table) -> ir.Table:
    """Per production: budget, the series' total budget, and whether a covered performer works."""
    series_key = ibis.coalesce(productions.series_id, -1 - productions.production_id)
    series = productions.group_by(series_key.name("series_key")).aggregate(
        series_budget_cents=productions.budget_cents.sum()
    )
    covered = credits.group_by("production_id").aggregate(
        has_covered_performer=credits.is_covered_performer.any()
    )
    facts = productions.mutate(series_key=series_key)
    facts = facts.join(series, "series_key").drop("series_key")
    facts = facts.left_join(covered, "production_id").drop("production_id_right")
    return facts.mutate(has_covered_performer=facts.has_covered_performer.fill_null(False))


def budget_test(facts: ir.Table, terms: Terms, reading: str) -> ir.BooleanValue:
    """The budget thresholds ("above" is strictly greater), combined by ``reading``
    ("any": OR, "all": AND); the per-series test applies to series only."""
    per_minute = facts.budget_cents > facts.running_minutes * terms.cents(
        "budget_per_minute_threshold"
    )
    per_program = facts.budget_cents > terms.cents("budget_per_program_threshold")
    per_series = facts.series_budget_cents > terms.cents("budget_per_series_threshold")
    if reading == "all":
        return per_minute & per_program & (facts.series_id.isnull() | per_series)
    return per_minute | per_program | (facts.series_id.notnull() & per_series)


def is_covered(facts: ir.Table, terms: Terms, reading: str | None = None) -> ir.BooleanValue:
    """``new_media_jurisdiction``: whether the agreement covers each production, under
    ``reading`` ("any"/"all") or the terms' own ``budget_test``."""
    traditional = facts.medium != "new_media"
    if not terms.has("new_media_jurisdiction"):
        return traditional
    scope = terms.text("new_media_jurisdiction_scope")
    if scope in ("none", "all_productions"):
        return traditional | ibis.literal(scope == "all_productions")
    covered = budget_test(facts, terms, reading or terms.text("budget_test"))
    if terms.flag("covers_derivative_programs"):
        covered = covered | facts.is_derivative
    if terms.flag("covers_covered_performer_below_thresholds"):
        covered = covered | facts.has_covered_performer
    return traditional | covered
