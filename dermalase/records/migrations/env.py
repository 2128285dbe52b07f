"""Alembic environment: migrate the connection that dermalase hands over.

Run by :meth:`dermalase.records.database.Database.migrate` (``dermalase records migrate``);
developers generate a new revision with ``alembic -x url=sqlite:///scratch.sqlite3 revision
--autogenerate`` from a configuration pointing ``script_location`` here.
"""

from __future__ import annotations

from alembic import context
from alembic.config import Config
from sqlalchemy import create_engine

from dermalase.records.schema import Base

configuration: Config | None
try:
    configuration = context.config
except AttributeError:  # imported outside a migration run (a test that imports every module)
    configuration = None


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if configuration is not None:
    connection = configuration.attributes.get("connection")
    if connection is not None:
        _run(connection)
    else:  # pragma: no cover - the developer's command line (alembic revision)
        url = context.get_x_argument(as_dictionary=True)["url"]
        with create_engine(url).begin() as own:
            _run(own)
