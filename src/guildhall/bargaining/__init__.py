"""Bargaining: the case record (parties, bodies, people, agreements, an append-only log
of dated, sourced events, conflicts between sources) and the rules engine that says which
event may follow which.

May import ``guildhall.core`` and ``guildhall.files``; nothing else of Guildhall.
"""
