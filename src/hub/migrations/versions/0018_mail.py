"""The e-mail outbox.

* `mail_messages`: every e-mail the hub sends (a candidate's invitation and expiry reminder, HR's
  notice that an interview arrived), queued with its words in the transaction of what caused it
  and sent by the background sender or `kiosk-hub mail send`; a message kept queued after a
  failure says why and when it is tried again. `once_key` (unique) keeps a reminder to one.

Revision ID: 0018_mail
Revises: 0017_decisions
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_mail"
down_revision = "0017_decisions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mail_messages",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("org_id", sa.String(length=36), nullable=False),
        sa.Column("session_id", sa.String(length=36), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("once_key", sa.String(length=100), nullable=True),
        sa.Column("to_address", sa.String(length=320), nullable=False),
        sa.Column("to_name", sa.Text(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("text_body", sa.Text(), nullable=False),
        sa.Column("html_body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("claimed_until", sa.DateTime(), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["org_id"], ["organisations.id"]),
        sa.ForeignKeyConstraint(["session_id"], ["interview_sessions.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("once_key"),
    )
    for column in ("org_id", "session_id", "status", "due_at"):
        op.create_index(op.f(f"ix_mail_messages_{column}"), "mail_messages", [column])


def downgrade() -> None:
    for column in ("due_at", "status", "session_id", "org_id"):
        op.drop_index(op.f(f"ix_mail_messages_{column}"), table_name="mail_messages")
    op.drop_table("mail_messages")
