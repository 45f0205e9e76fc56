"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

from storage.db import create_schema, make_engine


def differences(engine) -> list:  # noqa: ANN001
    with engine.connect() as conn:
        return compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), SQLModel.metadata
        )


def test_migrations_build_exactly_the_models_schema(blank_database_url: str) -> None:
    engine = make_engine(blank_database_url)
    try:
        create_schema(engine)
        assert differences(engine) == []
        assert "alembic_version" in inspect(engine).get_table_names()
    finally:
        engine.dispose()


def test_running_migrations_twice_changes_nothing(blank_database_url: str) -> None:
    engine = make_engine(blank_database_url)
    try:
        create_schema(engine)
        create_schema(engine)
        assert differences(engine) == []
    finally:
        engine.dispose()
