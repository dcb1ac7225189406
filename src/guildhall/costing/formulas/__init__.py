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
    "network_rerun",
    "syndication",
    "basic_cable",
    "foreign_free_tv",
    "pay_tv",
    "theatrical_on_free_tv",
    "supplemental_markets",
    "minimum_increase",
    "pension_health",
    "pension_health_residuals",
)

UNALLOCATED_KINDS = ("streaming_bonus_fund", "pension_health", "pension_health_residuals")
"""Money that goes to a fund or to the plans, not to the performers on the production."""

MINIMUM_KINDS = ("network_rerun", "syndication", "basic_cable", "streaming_fixed")
"""Amounts figured on each performer's applicable minimum, shared in proportion to it."""

EARNINGS_KINDS = ("minimum_increase",)
"""Amounts figured on each performer's session pay, shared in proportion to it."""

RESIDUAL_KINDS = tuple(
    k for k in KINDS if k not in ("minimum_increase", "pension_health", "pension_health_residuals")
)
"""The residuals (pension and health is due on them)."""

MARKET_OF_KIND: dict[str, str] = {
    "network_rerun": "Network prime-time reruns",
    "syndication": "Syndication",
    "foreign_free_tv": "Foreign free TV",
    "basic_cable": "Basic cable",
    "pay_tv": "Pay TV",
    "supplemental_markets": "Supplemental markets (home video)",
    "theatrical_on_free_tv": "Theatrical films on free TV",
    "rental": "New media: rental and subscription",
    "sell_through": "New media: sell-through",
    "ad_supported_streaming": "New media: ad-supported streaming",
    "streaming_fixed": "New media: ad-supported streaming",
    "new_media_reuse": "Made-for-new-media reuse",
    "streaming_bonus": "New media: streaming bonus",
    "streaming_bonus_fund": "New media: streaming bonus",
    "minimum_increase": "Session pay (minimum increases)",
    "pension_health": "Pension and health",
    "pension_health_residuals": "Pension and health",
}
"""The market (or part of the package) each kind of payment comes from."""

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
_RAISES = ("minimum_increase_year_1", "minimum_increase_year_2", "minimum_increase_year_3")
_MINIMUMS = (
    "applicable_minimum_series_regular",
    "applicable_minimum_guest_star",
    "applicable_minimum_day_player",
    "applicable_minimum_stunt",
    "applicable_minimum_background",
    *_RAISES,
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
    "streaming_fixed": (*_WINDOW, *_FIXED, *_CUTOFF, *_MINIMUMS),
    "new_media_reuse": (
        "reuse_residual_platforms",
        "reuse_percent_consumer_pay",
        "reuse_percent_ad_supported",
        *_JURISDICTION,
    ),
    "streaming_bonus": (*_BONUS, "participation_bonus_performer_share"),
    "streaming_bonus_fund": (*_BONUS, "participation_bonus_fund_share"),
    "network_rerun": ("network_rerun_schedule", *_MINIMUMS),
    "syndication": ("syndication_schedule", *_MINIMUMS),
    "basic_cable": ("basic_cable_schedule", *_MINIMUMS),
    "foreign_free_tv": ("foreign_free_tv_percent",),
    "pay_tv": ("pay_tv_percent",),
    "theatrical_on_free_tv": ("theatrical_free_tv_percent",),
    "supplemental_markets": (
        "supplemental_markets_royalty_base",
        "supplemental_markets_rate",
        "supplemental_markets_tier_dollars",
        "supplemental_markets_rate_above_tier",
    ),
    "minimum_increase": _RAISES,
    "pension_health": (
        "pension_health_percent",
        "pension_health_ceiling_theatrical",
        "pension_health_ceiling_television",
        *_RAISES,
    ),
    "pension_health_residuals": ("pension_health_percent",),
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
        "streaming_library_cutoff",
    ),
    "streaming_fixed": ("ad_supported_streaming_residual", "library_cutoff", "applicable_minimum"),
    "new_media_reuse": ("made_for_new_media_reuse_residual", "new_media_jurisdiction"),
    "streaming_bonus": ("streaming_participation_bonus", "new_media_jurisdiction"),
    "streaming_bonus_fund": ("streaming_participation_fund", "new_media_jurisdiction"),
    "network_rerun": ("network_rerun_residual", "applicable_minimum"),
    "syndication": ("syndication_residual", "applicable_minimum"),
    "basic_cable": ("basic_cable_residual", "applicable_minimum"),
    "foreign_free_tv": ("foreign_free_tv_residual",),
    "pay_tv": ("pay_tv_residual",),
    "theatrical_on_free_tv": ("theatrical_free_tv_residual",),
    "supplemental_markets": ("supplemental_markets_residual",),
    "minimum_increase": ("minimum_increase",),
    "pension_health": ("pension_health_contribution", "minimum_increase"),
    "pension_health_residuals": ("pension_health_contribution",),
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
    "network_rerun": ("free_tv_rerun",),
    "syndication": ("syndication",),
    "basic_cable": ("basic_cable",),
    "foreign_free_tv": ("foreign_free_tv",),
    "pay_tv": ("pay_tv",),
    "theatrical_on_free_tv": ("theatrical_on_free_tv",),
    "supplemental_markets": ("supplemental_markets",),
    "minimum_increase": (),
    "pension_health": (),
    "pension_health_residuals": (),
}
"""The revenue markets each kind of payment is figured on."""
