"""Consent answers and the integrity summary, as the kiosk now sends them.

* `consents`: each answer a candidate gave to the consent notice (agreed or declined), with the
  notice's version and the sha256 of the words shown.
* `interview_sessions.integrity`: the summary the kiosk computed when the interview ended, with
  the digest of the policy that made it; the portal shows it as it was, never recomputes it.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "consents",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("session_id", sa.String(length=36), nullable=False),
        sa.Column("agreed", sa.Boolean(), nullable=False),
        sa.Column("notice_version", sa.String(length=40), nullable=False),
        sa.Column("notice_sha256", sa.String(length=64), nullable=False),
        sa.Column("biometric", sa.Boolean(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["interview_sessions.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_consents_session_id"), "consents", ["session_id"], unique=False)
    op.add_column("interview_sessions", sa.Column("integrity", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("interview_sessions") as batch:
        batch.drop_column("integrity")
    op.drop_index(op.f("ix_consents_session_id"), table_name="consents")
    op.drop_table("consents")
