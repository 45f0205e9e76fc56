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


def test_migrations_match_the_models_on_sqlite(tmp_path) -> None:  # noqa: ANN001
    engine = make_engine(f"sqlite:///{tmp_path / 'm.db'}")
    create_schema(engine)
    assert differences(engine) == []
    assert "alembic_version" in inspect(engine).get_table_names()


def test_running_migrations_twice_changes_nothing(tmp_path) -> None:  # noqa: ANN001
    engine = make_engine(f"sqlite:///{tmp_path / 'm.db'}")
    create_schema(engine)
    create_schema(engine)
    assert differences(engine) == []


def test_migrations_match_the_models_on_postgresql(pg_url: str) -> None:
    engine = make_engine(pg_url)
    create_schema(engine)
    assert differences(engine) == []
    engine.dispose()
