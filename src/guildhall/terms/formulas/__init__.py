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
        )
    }
)

__all__ = [
    "FORMULAS",
    "Formula",
    "Params",
    "Row",
    "ad_supported_streaming_residual",
    "electronic_sell_through_residual",
    "force_majeure_suspension_pay",
    "library_cutoff",
    "made_for_new_media_reuse_residual",
    "new_media_jurisdiction",
    "rental_residual",
    "streaming_participation_bonus",
    "streaming_participation_fund",
    "television_library_streaming_residual",
    "theatrical_streaming_residual",
]
