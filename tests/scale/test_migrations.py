"""The schema is managed by Alembic: the migrations build exactly the models' schema, several
processes starting on an empty database at once are safe, on SQLite and on PostgreSQL."""

import subprocess
import sys

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from moderator.db import Database, driver_url
from moderator.models import Base
from tests.fixtures.constants import ROOT

START = "from moderator.db import Database; Database({url!r})"


def schema_differences(url: str) -> list:
    engine = create_engine(driver_url(url))
    with engine.connect() as connection:
        return compare_metadata(MigrationContext.configure(connection), Base.metadata)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'fresh.db'}"
    return request.getfixturevalue("postgres_url")


def test_the_migrations_build_the_models_schema(database_url):
    database = Database(database_url)
    database.dispose()
    assert schema_differences(database_url) == []


def test_processes_starting_at_once_on_an_empty_database(database_url):
    starters = [
        subprocess.Popen(
            [sys.executable, "-c", START.format(url=database_url)],
            cwd=ROOT,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    for starter in starters:
        _out, err = starter.communicate(timeout=120)
        assert starter.returncode == 0, err
    engine = create_engine(driver_url(database_url))
    assert "alembic_version" in inspect(engine).get_table_names()
    assert schema_differences(database_url) == []
    # Starting again on an up-to-date database changes nothing.
    Database(database_url)


def test_a_database_made_without_migrations_is_refused(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    Base.metadata.create_all(create_engine(url))
    with pytest.raises(RuntimeError, match="before schema migrations"):
        Database(url)


def test_an_older_database_is_brought_up_to_date_with_its_data(database_url):
    from alembic import command
    from alembic.config import Config as AlembicConfig

    from moderator.db import MIGRATIONS

    engine = create_engine(driver_url(database_url))
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.connect() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")  # the first released schema
        connection.exec_driver_sql(
            "INSERT INTO events (code, title, definition, premoderation, word_filter, "
            "created_ms, updated_ms) VALUES ('old', 'Older event', '{}', true, '[]', 1, 1)"
        )
        connection.exec_driver_sql(
            "INSERT INTO agenda_clocks (event_id, segment_index, state, elapsed_ms, added_ms, "
            "auto_advance, actual_starts, updated_ms, version) "
            "SELECT id, 2, 'paused', 5000, 0, false, '[]', 1, 3 FROM events"
        )
        connection.commit()
    Database(database_url)
    assert schema_differences(database_url) == []
    with engine.connect() as connection:
        rows = connection.exec_driver_sql("SELECT code, title FROM events").all()
        indexes = {i["name"] for i in inspect(connection).get_indexes("questions")}
        timers = connection.exec_driver_sql(
            "SELECT segment_index, state, elapsed_ms, version FROM timers"
        ).all()
        tables = set(inspect(connection).get_table_names())
    assert [tuple(r) for r in rows] == [("old", "Older event")]
    assert "ix_questions_event_theme_newest" in indexes  # added by migration 0002
    assert [tuple(r) for r in timers] == [(2, "paused", 5000, 3)]  # renamed by migration 0003
    assert "agenda_clocks" not in tables


def test_the_timers_rename_can_be_undone(database_url):
    from alembic import command
    from alembic.config import Config as AlembicConfig

    from moderator.db import MIGRATIONS

    Database(database_url)
    engine = create_engine(driver_url(database_url))
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.connect() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0002")
        connection.commit()
        assert "agenda_clocks" in inspect(connection).get_table_names()
        command.upgrade(config, "head")
        connection.commit()
        assert "timers" in inspect(connection).get_table_names()
        names = [inspect(connection).get_pk_constraint("timers")["name"]] + [
            fk["name"] for fk in inspect(connection).get_foreign_keys("timers")
        ]
    # PostgreSQL names constraints after the table (SQLite leaves them unnamed): none says clock.
    assert not [name for name in names if name and "clock" in name]
