"""The operational store: the only package that talks SQL.

SQLAlchemy 2 models and Alembic migrations; SQLite by default, PostgreSQL by URL. It maps
the domain packages' records to tables and back. May import ``guildhall.core`` and the
domain packages; never ``guildhall.services``, ``guildhall.cli`` or ``guildhall.web``.
"""
