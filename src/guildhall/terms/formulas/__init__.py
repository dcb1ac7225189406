"""The formula catalogue: one small named function per payment or coverage test.

``FORMULAS`` maps each name to a ``Formula`` with ``reads_parameters``, ``reads_inputs``,
``returns`` (``"cents"`` or ``"covered"``) and ``compute(params, row)``. These are the
reference implementations, in ``Decimal`` and integer cents, for one production-period
row; vectorised versions elsewhere keep the same names and parameter names.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from guildhall.terms.formulas.base import Formula, Params, Row
from guildhall.terms.formulas.coverage import library_cutoff, new_media_jurisdiction
from guildhall.terms.formulas.payments import (
    force_majeure_suspension_pay,
    streaming_participation_bonus,
    streaming_participation_fund,
)
from guildhall.terms.formulas.residuals import (
    ad_supported_streaming_residual,
    electronic_sell_through_residual,
    made_for_new_media_reuse_residual,
    rental_residual,
    television_library_streaming_residual,
    theatrical_streaming_residual,
)
from guildhall.terms.formulas.traditional import (
    applicable_minimum,
    basic_cable_residual,
    foreign_free_tv_residual,
    minimum_increase,
    network_rerun_residual,
    pay_tv_residual,
    pension_health_contribution,
    streaming_library_cutoff,
    supplemental_markets_residual,
    syndication_residual,
    theatrical_free_tv_residual,
)

FORMULAS: Mapping[str, Formula] = MappingProxyType(
    {
        f.name: f
        for f in (
            rental_residual,
            electronic_sell_through_residual,
            ad_supported_streaming_residual,
            television_library_streaming_residual,
            theatrical_streaming_residual,
            made_for_new_media_reuse_residual,
            new_media_jurisdiction,
            library_cutoff,
            force_majeure_suspension_pay,
            streaming_participation_bonus,
            streaming_participation_fund,
            network_rerun_residual,
            syndication_residual,
            basic_cable_residual,
            foreign_free_tv_residual,
            pay_tv_residual,
            theatrical_free_tv_residual,
            supplemental_markets_residual,
            applicable_minimum,
            minimum_increase,
            pension_health_contribution,
            streaming_library_cutoff,
        )
    }
)

__all__ = [
    "FORMULAS",
    "Formula",
    "Params",
    "Row",
    "ad_supported_streaming_residual",
    "applicable_minimum",
    "basic_cable_residual",
    "electronic_sell_through_residual",
    "force_majeure_suspension_pay",
    "foreign_free_tv_residual",
    "library_cutoff",
    "made_for_new_media_reuse_residual",
    "minimum_increase",
    "network_rerun_residual",
    "new_media_jurisdiction",
    "pay_tv_residual",
    "pension_health_contribution",
    "rental_residual",
    "streaming_library_cutoff",
    "streaming_participation_bonus",
    "streaming_participation_fund",
    "supplemental_markets_residual",
    "syndication_residual",
    "television_library_streaming_residual",
    "theatrical_free_tv_residual",
    "theatrical_streaming_residual",
]
