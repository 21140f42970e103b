"""Alembic environment: the schema is ``moderator.models``. The connection comes from the caller
(``moderator.db.upgrade``, at every start) or, on the ``alembic`` command line, from
DATABASE_URL, falling back to alembic.ini's ``sqlalchemy.url`` (the default instance database)."""

import os

from alembic import context
from sqlalchemy import create_engine
from sqlalchemy.engine import Connection

from moderator.db import driver_url
from moderator.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        url = os.environ.get("DATABASE_URL") or config.get_main_option("sqlalchemy.url")
        if not url:
            raise SystemExit("Set DATABASE_URL (or sqlalchemy.url in alembic.ini).")
        with create_engine(driver_url(url)).connect() as connection:
            _run(connection)
    else:
        _run(connection)


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot alter columns in place: batch mode rebuilds the table.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
