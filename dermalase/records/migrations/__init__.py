"""Alembic migrations of the records schema, run by :meth:`dermalase.records.Database.migrate`.

No ``alembic.ini`` is needed: :mod:`dermalase.records.database` builds the configuration and
hands this environment an open connection.
"""
