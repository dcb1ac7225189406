"""The ``guildhall`` command: a thin Typer front over ``guildhall.services``.

May import ``guildhall.services``, ``guildhall.core`` and the domain packages' record
types for display; never ``guildhall.store`` or ``guildhall.web``.
"""
