"""Coverage tests: is a production under the agreement, is a library title covered.

These return ``True`` or ``False`` for one production row.
"""

from __future__ import annotations

from guildhall.terms.formulas.base import (
    MEDIA,
    Params,
    Row,
    cents_in,
    choice,
    date_in,
    day,
    flag,
    flag_in,
    formula,
    number,
    quantity_in,
    text_in,
)


@formula(
    reads_parameters=(
        "new_media_jurisdiction_scope",
        "budget_per_minute_threshold",
        "budget_per_program_threshold",
        "budget_per_series_threshold",
        "budget_test",
        "covers_derivative_programs",
        "covers_covered_performer_below_thresholds",
    ),
    reads_inputs=(
        "budget_cents",
        "running_minutes",
        "series_budget_cents",
        "is_derivative",
        "employs_covered_performer",
    ),
    returns="covered",
)
def new_media_jurisdiction(params: Params, row: Row) -> bool:
    """Whether a program made for new media falls under the agreement.

    ``new_media_jurisdiction_scope`` decides first: ``none`` covers nothing,
    ``all_productions`` covers everything. Under ``budget_thresholds``, a derivative
    program is covered when ``covers_derivative_programs``; an original one is covered
    when its budget is above the per-minute, per-program and (for a series, when
    ``series_budget_cents`` is not ``None``) per-series thresholds, combined by
    ``budget_test`` (``any``: above one suffices; ``all``: above every one). Below the
    thresholds it is still covered when it employs a covered performer and
    ``covers_covered_performer_below_thresholds``. "Above" is strictly greater.
    """
    scope = choice(params, "new_media_jurisdiction_scope")
    if scope == "none":
        return False
    if scope == "all_productions":
        return True
    if flag_in(row, "is_derivative") and flag(params, "covers_derivative_programs"):
        return True
    budget = cents_in(row, "budget_cents")
    minutes = quantity_in(row, "running_minutes")
    per_minute = number(params, "budget_per_minute_threshold") * 100
    tests = [
        budget > per_minute * minutes,
        budget > number(params, "budget_per_program_threshold") * 100,
    ]
    series_budget = row["series_budget_cents"]
    if series_budget is not None:
        tests.append(
            cents_in(row, "series_budget_cents")
            > number(params, "budget_per_series_threshold") * 100
        )
    above = any(tests) if choice(params, "budget_test") == "any" else all(tests)
    if above:
        return True
    return flag_in(row, "employs_covered_performer") and flag(
        params, "covers_covered_performer_below_thresholds"
    )


@formula(
    reads_parameters=("library_cutoff_date_television", "library_cutoff_date_theatrical"),
    reads_inputs=("medium", "production_start"),
    returns="covered",
)
def library_cutoff(params: Params, row: Row) -> bool:
    """Whether a library title is new enough to earn new-media residuals at all.

    Covered when ``production_start`` is on or after ``library_cutoff_date_<medium>``.
    """
    medium = text_in(row, "medium", MEDIA)
    return date_in(row, "production_start") >= day(params, f"library_cutoff_date_{medium}")
