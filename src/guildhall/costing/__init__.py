"""Costing: what each agreement pays, per production, per performer and per period.

What lives here: the analytical data model and its generator and importer (``data/``),
the residual formulas as Ibis expressions (``formulas/``), the jurisdiction test, the
engine that turns revenue into an obligations table, allocation to performers, the
comparison of offers against a baseline, explanations, charts and provenance.

May import: ``guildhall.core``, ``guildhall.files``, ``guildhall.terms``, and Ibis, DuckDB,
PyArrow, NumPy and Matplotlib. Never the store, services, CLI or web packages.
"""
