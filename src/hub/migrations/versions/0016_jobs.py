"""Jobs (requisitions) and their shortlists.

* `jobs`: an organisation's requisition (title, description, required skills, interview
  settings), open or closed.
* `interview_sessions.job_id`: the job a session was booked for (nullable: sessions typed
  free-hand, and every session before this revision, have none).
* `job_shortlist`: the candidates (sessions) HR shortlisted for a job.

Revision ID: 0016_jobs
Revises: 0018_mail
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0016_jobs"
down_revision = "0018_mail"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "jobs",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("org_id", sa.String(36), sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("required_skills", sa.JSON(), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
    )
    op.create_index("ix_jobs_org_id", "jobs", ["org_id"])
    with op.batch_alter_table("interview_sessions") as batch:
        batch.add_column(sa.Column("job_id", sa.String(36), nullable=True))
        batch.create_foreign_key("fk_interview_sessions_job_id", "jobs", ["job_id"], ["id"])
        batch.create_index("ix_interview_sessions_job_id", ["job_id"])
    op.create_table(
        "job_shortlist",
        sa.Column("job_id", sa.String(36), sa.ForeignKey("jobs.id"), primary_key=True),
        sa.Column(
            "session_id",
            sa.String(36),
            sa.ForeignKey("interview_sessions.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("added_by", sa.String(320), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("job_shortlist")
    with op.batch_alter_table("interview_sessions") as batch:
        batch.drop_index("ix_interview_sessions_job_id")
        batch.drop_constraint("fk_interview_sessions_job_id", type_="foreignkey")
        batch.drop_column("job_id")
    op.drop_index("ix_jobs_org_id", table_name="jobs")
    op.drop_table("jobs")
