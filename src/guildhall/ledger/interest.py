"""Interest on late payment, in exact integers.

An agreement states a monthly rate (the WGA's 1.5% a month, "18% a year"); interest runs
by the day at twelve times that rate over a 365-day year, on each amount for the days it
was paid after the due date and any grace period, and on an amount still unpaid for the
days from then to the reconciliation date. It is summed in cent-days per (employer,
production, period, kind) and rounded once, half up, to cents.

    interest = round(cent_days × rate_ppm_per_month × 12 / (365 × 10**6))

For example $10,000.00 paid 61 days late at 1.5% a month:
1,000,000 × 61 × 15,000 × 12 / 365,000,000 = 30,082.19… → $300.82.
"""

from __future__ import annotations

from datetime import date

DAYS_A_YEAR = 365
MONTHS_A_YEAR = 12
PPM = 1_000_000
DENOMINATOR = DAYS_A_YEAR * PPM


def days_late(due_on: date, grace_days: int, paid_on: date) -> int:
    """Days of interest: those after the due date and its grace period, none if on time."""
    return max(0, (paid_on - due_on).days - grace_days)


def interest_cents(cent_days: int, rate_ppm_per_month: int) -> int:
    """Interest on ``cent_days`` (amount × days late) at a monthly rate, rounded half up."""
    if cent_days < 0 or rate_ppm_per_month < 0:
        raise ValueError("interest is figured on amounts and days of zero or more")
    numerator = cent_days * rate_ppm_per_month * MONTHS_A_YEAR
    return (2 * numerator + DENOMINATOR) // (2 * DENOMINATOR)
