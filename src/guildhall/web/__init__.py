"""The web app: server-rendered pages and a JSON API over ``guildhall.services``.

May import ``guildhall.services``, ``guildhall.core``, ``guildhall.settings`` and domain
records for display; never ``guildhall.store`` or ``guildhall.cli``.
"""
