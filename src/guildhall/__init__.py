"""Guildhall: a performers' guild's contract cycle as code.

Parts: ``terms`` (agreements and offers), ``costing``, ``ledger``, ``ballots`` and
``bargaining`` (the case record and its rules), with ``cli`` and ``web`` as thin fronts
over ``services``. ``docs/architecture.md`` says which part may import which.
"""

__version__ = "0.1.0"
