"""Which session is being re-scored, in the database every hub process shares.

* `interview_sessions.rescore_started_at`: set when a re-scoring run claims the session, cleared
  when it ends. A process that dies mid-run leaves it set; a claim older than the run could take
  is treated as abandoned (`hub.rescoring.jobs.STALE_AFTER`).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "interview_sessions", sa.Column("rescore_started_at", sa.DateTime(), nullable=True)
    )


def downgrade() -> None:
    with op.batch_alter_table("interview_sessions") as batch:
        batch.drop_column("rescore_started_at")
