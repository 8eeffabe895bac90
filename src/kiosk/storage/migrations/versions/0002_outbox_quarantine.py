"""Outbox quarantine: a row the hub refuses for good is held back with the hub's reason.

Without it one refused row stalls every row behind it, since the outbox is pushed in order.
A quarantined row is never deleted: `kiosk sync retry-quarantined` clears the three columns and
the row is pushed again. `held_by` names the refused row that a held-back row waits on (rows of
the same session written after it), NULL on the refused row itself.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("quarantined_at", sa.DateTime(), nullable=True))
        batch_op.add_column(
            sa.Column("quarantine_reason", sa.Text(), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("held_by", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_outbox_quarantined_at"), ["quarantined_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_quarantined_at"))
        batch_op.drop_column("held_by")
        batch_op.drop_column("quarantine_reason")
        batch_op.drop_column("quarantined_at")
