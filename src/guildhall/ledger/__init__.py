"""The ledger: what employers owe against what they paid, shortfalls, interest and claims.

May import ``core``, ``files``, ``terms`` and ``costing``; never the store, services or fronts.
"""
