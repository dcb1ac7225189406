"""Payments that are not residuals: force majeure pay, the streaming participation bonus."""

from __future__ import annotations

from decimal import Decimal

from guildhall.terms.formulas.base import (
    Params,
    Row,
    cents_in,
    count_in,
    flag,
    flag_in,
    formula,
    number,
    percent,
    quantity_in,
    round_cents,
    whole,
)


@formula(
    reads_parameters=(
        "force_majeure_in_agreement",
        "force_majeure_suspension_weeks",
        "force_majeure_suspension_salary_percent",
    ),
    reads_inputs=("weekly_salary_cents", "weeks_suspended", "weeks_suspended_before"),
    returns="cents",
)
def force_majeure_suspension_pay(params: Params, row: Row) -> int:
    """Pay to a series regular suspended under force majeure: part salary for a capped time.

    For the weeks of suspension in this row that fall within the first
    ``force_majeure_suspension_weeks`` weeks (counting ``weeks_suspended_before``), the
    producer pays ``force_majeure_suspension_salary_percent`` of the weekly salary. Nothing
    is owed when the agreement has no force majeure clause.
    """
    if not flag(params, "force_majeure_in_agreement"):
        return 0
    cap = whole(params, "force_majeure_suspension_weeks")
    before = quantity_in(row, "weeks_suspended_before")
    weeks = quantity_in(row, "weeks_suspended")
    paid_weeks = max(min(weeks, Decimal(cap) - before), Decimal(0))
    salary = cents_in(row, "weekly_salary_cents")
    return round_cents(
        salary * paid_weeks * percent(params, "force_majeure_suspension_salary_percent")
    )


_BONUS_PARAMETERS = (
    "participation_bonus_viewer_share",
    "participation_bonus_percent_of_fixed_residual",
)
_BONUS_INPUTS = (
    "is_high_budget_svod",
    "views_in_window",
    "domestic_subscribers",
    "fixed_residual_cents",
)


def _qualifying_fixed_residual(params: Params, row: Row) -> int | None:
    if not flag_in(row, "is_high_budget_svod"):
        return None
    views = count_in(row, "views_in_window")
    subscribers = count_in(row, "domestic_subscribers")
    if (
        subscribers == 0
        or views * 100 < number(params, "participation_bonus_viewer_share") * subscribers
    ):
        return None
    return cents_in(row, "fixed_residual_cents")


@formula(
    reads_parameters=(*_BONUS_PARAMETERS, "participation_bonus_performer_share"),
    reads_inputs=_BONUS_INPUTS,
    returns="cents",
)
def streaming_participation_bonus(params: Params, row: Row) -> int:
    """The streaming participation bonus paid to a program's performers.

    A high-budget SVOD program whose views in the window reach
    ``participation_bonus_viewer_share`` percent of the service's domestic subscribers earns
    a bonus of ``participation_bonus_percent_of_fixed_residual`` percent of its fixed
    residual; ``participation_bonus_performer_share`` percent of it goes to the performers.
    """
    fixed = _qualifying_fixed_residual(params, row)
    if fixed is None:
        return 0
    bonus = fixed * percent(params, "participation_bonus_percent_of_fixed_residual")
    return round_cents(bonus * percent(params, "participation_bonus_performer_share"))


@formula(
    reads_parameters=(*_BONUS_PARAMETERS, "participation_bonus_fund_share"),
    reads_inputs=_BONUS_INPUTS,
    returns="cents",
)
def streaming_participation_fund(params: Params, row: Row) -> int:
    """The share of a streaming participation bonus paid into the fund for other performers."""
    fixed = _qualifying_fixed_residual(params, row)
    if fixed is None:
        return 0
    bonus = fixed * percent(params, "participation_bonus_percent_of_fixed_residual")
    return round_cents(bonus * percent(params, "participation_bonus_fund_share"))
