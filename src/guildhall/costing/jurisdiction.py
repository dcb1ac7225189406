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
    """The budget thresholds, combined by ``reading`` ("any": OR, "all": AND)."""
    per_minute = facts.budget_cents > facts.running_minutes * terms.cents(
        "new_media_budget_per_minute"
    )
    per_program = facts.budget_cents > terms.cents("new_media_budget_per_program")
    per_series = facts.series_budget_cents > terms.cents("new_media_budget_per_series")
    if reading == "all":
        return per_minute & per_program & per_series
    return per_minute | per_program | per_series


def is_covered(facts: ir.Table, terms: Terms, reading: str | None = None) -> ir.BooleanValue:
    """Whether the agreement covers each production, under ``reading`` or the terms' own."""
    if not terms.has("new_media_jurisdiction"):
        return facts.medium != "new_media"
    chosen = reading or terms.text("new_media_threshold_combinator")
    covered = budget_test(facts, terms, chosen)
    if terms.flag("new_media_covers_derivative"):
        covered = covered | facts.is_derivative
    if terms.flag("new_media_covers_covered_performer"):
        covered = covered | facts.has_covered_performer
    return (facts.medium != "new_media") | covered
