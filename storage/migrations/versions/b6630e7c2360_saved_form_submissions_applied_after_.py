"""saved form submissions applied after their ack

Revision ID: b6630e7c2360
Revises: b81eca7e34ae
Create Date: 2026-12-02 21:55:04.886720
"""

import sqlalchemy as sa
from alembic import op

import storage.models

revision = "b6630e7c2360"
down_revision = "b81eca7e34ae"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("openedview", schema=None) as batch_op:
        batch_op.add_column(sa.Column("submitted_values", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("applied_at", storage.models.UTCDateTime(), nullable=True))
    # every form submitted so far was written before its ack: applied when it was submitted
    op.execute("UPDATE openedview SET applied_at = submitted_at WHERE submitted_at IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table("openedview", schema=None) as batch_op:
        batch_op.drop_column("applied_at")
        batch_op.drop_column("submitted_values")
