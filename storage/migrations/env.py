"""Alembic environment: runs on the connection storage.db hands it (no alembic.ini needed)."""

from alembic import context
from sqlmodel import SQLModel

from storage import models, review_models, stock_models  # noqa: F401  (the tables the migrations describe)

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=True,  # SQLite can only ALTER TABLE by copying it; batch mode does that
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
