"""The residual formulas as Ibis expressions, one module per kind of payment.

Each formula reads an agreement's ``Terms`` and returns an expression in micro-cents;
the engine sums them per production and period and rounds once to cents.
"""

KINDS = (
    "rental",
    "sell_through",
    "ad_supported_streaming",
    "streaming_fixed",
    "new_media_reuse",
    "streaming_bonus",
    "streaming_bonus_fund",
)

_CUTOFF = ("library_cutoff_date_theatrical", "library_cutoff_date_television")
_WINDOW = ("free_window_days_continuing_series", "free_window_days_new_series")
_FIXED = ("fixed_residual_percent", "fixed_residual_period_weeks", "fixed_residual_periods")
_JURISDICTION = (
    "new_media_jurisdiction_scope",
    "budget_per_minute_threshold",
    "budget_per_program_threshold",
    "budget_per_series_threshold",
    "budget_test",
    "covers_derivative_programs",
    "covers_covered_performer_below_thresholds",
)
_BONUS = (
    *_JURISDICTION,
    "fixed_residual_percent",
    "participation_bonus_viewer_share",
    "participation_bonus_percent_of_fixed_residual",
)

PARAMETERS_OF_KIND: dict[str, tuple[str, ...]] = {
    "rental": ("rental_percent", *_CUTOFF),
    "sell_through": (
        "sell_through_royalty_base",
        "sell_through_rate",
        "sell_through_tier_downloads_television",
        "sell_through_rate_above_tier_television",
        "sell_through_tier_downloads_theatrical",
        "sell_through_rate_above_tier_theatrical",
        *_CUTOFF,
    ),
    "ad_supported_streaming": (
        "theatrical_streaming_percent",
        "library_streaming_percent",
        "streaming_gross_percent",
        *_WINDOW,
        *_FIXED,
        *_CUTOFF,
    ),
    "streaming_fixed": (*_WINDOW, *_FIXED, *_CUTOFF),
    "new_media_reuse": (
        "reuse_residual_platforms",
        "reuse_percent_consumer_pay",
        "reuse_percent_ad_supported",
        *_JURISDICTION,
    ),
    "streaming_bonus": (*_BONUS, "participation_bonus_performer_share"),
    "streaming_bonus_fund": (*_BONUS, "participation_bonus_fund_share"),
}
"""The parameters each kind of payment reads (names as in the terms catalogue)."""

FORMULAS_OF_KIND: dict[str, tuple[str, ...]] = {
    "rental": ("rental_residual", "library_cutoff"),
    "sell_through": ("electronic_sell_through_residual", "library_cutoff"),
    "ad_supported_streaming": (
        "ad_supported_streaming_residual",
        "television_library_streaming_residual",
        "theatrical_streaming_residual",
        "library_cutoff",
    ),
    "streaming_fixed": ("ad_supported_streaming_residual", "library_cutoff"),
    "new_media_reuse": ("made_for_new_media_reuse_residual", "new_media_jurisdiction"),
    "streaming_bonus": ("streaming_participation_bonus", "new_media_jurisdiction"),
    "streaming_bonus_fund": ("streaming_participation_fund", "new_media_jurisdiction"),
}
"""The catalogue formulas behind each kind of payment."""

MARKETS_OF_KIND: dict[str, tuple[str, ...]] = {
    "rental": ("rental", "subscription_streaming"),
    "sell_through": ("electronic_sell_through",),
    "ad_supported_streaming": ("ad_supported_streaming",),
    "streaming_fixed": ("ad_supported_streaming",),
    "new_media_reuse": (
        "rental",
        "electronic_sell_through",
        "subscription_streaming",
        "ad_supported_streaming",
    ),
    "streaming_bonus": ("subscription_streaming",),
    "streaming_bonus_fund": ("subscription_streaming",),
}
"""The revenue markets each kind of payment is figured on."""
