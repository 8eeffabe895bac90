"""Each organisation's data policy, and deletions the kiosks must carry out.

* `organisations.send_answer_audio` (off by default: answer audio stays on the kiosk) and
  `organisations.kiosk_days_after_sync` (7): with `retention_days`, the policy sent in every
  session pack and shown to the candidate in its own words.
* `consents.policy_sha256`: the digest of the policy words the candidate was shown.
* `kiosk_erasures`: one row per kiosk that held a session deleted on the hub, until that kiosk
  reports the session erased.

Revision ID: 0012_data_policy
Revises: 0011
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_data_policy"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("organisations") as batch:
        batch.add_column(
            sa.Column("send_answer_audio", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(
            sa.Column("kiosk_days_after_sync", sa.Integer(), nullable=False, server_default="7")
        )
    with op.batch_alter_table("consents") as batch:
        batch.add_column(
            sa.Column("policy_sha256", sa.String(length=64), nullable=False, server_default="")
        )
    op.create_table(
        "kiosk_erasures",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("org_id", sa.String(length=36), nullable=False),
        sa.Column("kiosk_id", sa.String(length=36), nullable=False),
        sa.Column("kiosk_session_id", sa.String(length=64), nullable=False),
        sa.Column("session_id", sa.String(length=36), nullable=False),
        sa.Column("session_key", sa.String(length=24), nullable=False),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.Column("done_detail", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["organisations.id"]),
        sa.ForeignKeyConstraint(["kiosk_id"], ["kiosks.id"]),
        sa.ForeignKeyConstraint(["session_id"], ["interview_sessions.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kiosk_id", "kiosk_session_id"),
    )
    op.create_index(op.f("ix_kiosk_erasures_org_id"), "kiosk_erasures", ["org_id"])
    op.create_index(op.f("ix_kiosk_erasures_kiosk_id"), "kiosk_erasures", ["kiosk_id"])
    op.create_index(op.f("ix_kiosk_erasures_session_id"), "kiosk_erasures", ["session_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_kiosk_erasures_session_id"), table_name="kiosk_erasures")
    op.drop_index(op.f("ix_kiosk_erasures_kiosk_id"), table_name="kiosk_erasures")
    op.drop_index(op.f("ix_kiosk_erasures_org_id"), table_name="kiosk_erasures")
    op.drop_table("kiosk_erasures")
    with op.batch_alter_table("consents") as batch:
        batch.drop_column("policy_sha256")
    with op.batch_alter_table("organisations") as batch:
        batch.drop_column("kiosk_days_after_sync")
        batch.drop_column("send_answer_audio")
