"""HR's decisions on candidates, and the organisation's second-reviewer setting.

* `hiring_decisions`: every decision (advance / hold / reject), its notes and HR's optional
  scorecard, who and when; a second reviewer's confirmation or differing decision is a row too.
* `decision_settings`: per organisation, whether decisions need a second reviewer.

Revision ID: 0017_decisions
Revises: 0015_job_fit
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0017_decisions"
down_revision = "0015_job_fit"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hiring_decisions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("org_id", sa.String(36), sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column(
            "session_id", sa.String(36), sa.ForeignKey("interview_sessions.id"), nullable=False
        ),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("scorecard", sa.JSON(), nullable=False),
        sa.Column("decided_by", sa.String(320), nullable=False),
        sa.Column("decided_by_user", sa.String(36), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.Column("needs_second_review", sa.Boolean(), nullable=False),
        sa.Column("confirms", sa.Integer(), nullable=True),
        sa.Column("disagrees_with", sa.Integer(), nullable=True),
    )
    op.create_index("ix_hiring_decisions_org_id", "hiring_decisions", ["org_id"])
    op.create_index(
        "ix_hiring_decisions_session_id_id", "hiring_decisions", ["session_id", "id"]
    )
    op.create_table(
        "decision_settings",
        sa.Column(
            "org_id", sa.String(36), sa.ForeignKey("organisations.id"), primary_key=True
        ),
        sa.Column("second_reviewer", sa.Boolean(), nullable=False),
        sa.Column("changed_by", sa.String(320), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("decision_settings")
    op.drop_index("ix_hiring_decisions_session_id_id", table_name="hiring_decisions")
    op.drop_index("ix_hiring_decisions_org_id", table_name="hiring_decisions")
    op.drop_table("hiring_decisions")
