"""The database engine and sessions: SQLite in WAL mode by default, PostgreSQL by DATABASE_URL."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Any constant: the PostgreSQL advisory lock that lets one process migrate at a time.
MIGRATION_LOCK = 741_852_963


def _tune_sqlite(dbapi_connection: Any, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers carry on during a write; synchronous=NORMAL in WAL mode still survives a
    # killed process (only a power cut can lose the last commits).
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


class Database:
    """Owns the engine and hands out sessions; one per application."""

    def __init__(self, url: str) -> None:
        """Create the engine for ``url`` and bring the database to the current schema."""
        url = driver_url(url)
        if url.startswith("sqlite"):
            self.engine = create_engine(url, connect_args={"check_same_thread": False})
            event.listen(self.engine, "connect", _tune_sqlite)
        else:
            self.engine = create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)
        upgrade(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that is closed on exit; whatever was not committed inside is rolled back.

        Closing (not rolling back) keeps loaded objects readable after the block.
        """
        session = self._sessions()
        try:
            yield session
        finally:
            session.close()

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def driver_url(url: str) -> str:
    """``postgresql://`` means psycopg2: the driver eventlet can make cooperative (SQLAlchemy 2.1
    would otherwise pick psycopg 3, which blocks the whole process under eventlet)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg2://" + url[len(prefix) :]
    return url


def upgrade(engine: Engine) -> None:
    """Apply the Alembic migrations the database lacks: an empty database gets the whole
    schema, an older one the newer steps. Safe when several processes start at once: one
    migrates while the others wait, then find nothing left to do."""
    with _migration_lock(engine), engine.connect() as connection:
        _refuse_unmanaged(connection)
        config = AlembicConfig()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        connection.commit()


@contextmanager
def _migration_lock(engine: Engine) -> Iterator[None]:
    if engine.dialect.name == "postgresql":
        with engine.connect() as lock:
            lock.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
            try:
                yield
            finally:
                lock.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})
                lock.commit()
    elif engine.url.database and engine.url.database != ":memory:":
        with open(f"{engine.url.database}.migrate-lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
    else:
        yield


def _refuse_unmanaged(connection: Connection) -> None:
    tables = set(inspect(connection).get_table_names())
    if "events" in tables and "alembic_version" not in tables:
        raise RuntimeError(
            f"{connection.engine.url.render_as_string(hide_password=True)} holds tables made "
            "before schema migrations existed; move it aside and start again."
        )
