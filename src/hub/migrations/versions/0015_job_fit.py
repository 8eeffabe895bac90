"""The resume's fit with the job, as the kiosk now sends it.

* `interview_sessions.job_fit`: the resume read against the job description and HR's skills,
  each requirement with the resume's evidence and the interview plan's question on it (or why
  none), as the kiosk made it when the interview began (`contract.fit.JobFit` form); shown on
  the session page and printed in the hub's PDF; erased with the session.

Revision ID: 0015_job_fit
Revises: 0014_score_points
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0015_job_fit"
down_revision = "0014_score_points"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("interview_sessions") as batch:
        batch.add_column(sa.Column("job_fit", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("interview_sessions") as batch:
        batch.drop_column("job_fit")
