"""The resume's fit with the job, kept with the session.

* `job_fits`: per session, the resume read against the job description and HR's skills, each
  requirement with the resume's evidence and the plan's question on it (or why none), as
  `contract.fit.JobFit` JSON; made when the interview's plan is made. Sessions from before this
  revision have none (their report says nothing of the fit, as before).

Revision ID: 0008_job_fits
Revises: 0007_score_points
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_job_fits"
down_revision = "0007_score_points"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "job_fits",
        sa.Column("session_id", sa.String(length=36), nullable=False),
        sa.Column("fit", sa.JSON(), nullable=False),
        sa.Column("computed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["sessions.id"]),
        sa.PrimaryKeyConstraint("session_id"),
    )


def downgrade() -> None:
    op.drop_table("job_fits")
