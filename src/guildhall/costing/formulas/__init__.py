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
