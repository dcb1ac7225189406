"""Terms: agreements and offers as dated, sourced data, and the formulas that read them.

What lives here: the file format's parser (``parse``), ``based_on`` resolution and the
public loader (``resolve``), the records (``records``), units (``units``), term-by-term
comparison (``diff``) and the formula catalogue (``formulas``). This package imports only
``guildhall.core`` and ``guildhall.files``.

>>> from datetime import date
>>> agreement = load("wga-2008")
>>> agreement.value("rental_percent", on=date(2009, 1, 1))
Decimal('1.2')
"""

from __future__ import annotations

from guildhall.terms.diff import AgreementDiff, ParameterChange, diff
from guildhall.terms.formulas import FORMULAS, Formula
from guildhall.terms.records import (
    Agreement,
    AgreementFile,
    DatedValue,
    NoValue,
    Parameter,
    Reading,
    Source,
)
from guildhall.terms.resolve import check, default_directory, list_agreements, load
from guildhall.terms.units import UNITS, ParameterValue, Unit

__all__ = [
    "FORMULAS",
    "UNITS",
    "Agreement",
    "AgreementDiff",
    "AgreementFile",
    "DatedValue",
    "Formula",
    "NoValue",
    "Parameter",
    "ParameterChange",
    "ParameterValue",
    "Reading",
    "Source",
    "Unit",
    "check",
    "default_directory",
    "diff",
    "list_agreements",
    "load",
]
