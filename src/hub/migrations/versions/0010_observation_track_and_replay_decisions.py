"""Observation tracks and replay decisions: re-judging an interview without video.

* `observation_chunks`: the chunks of each proctoring run's observation track the kiosk syncs
  (the records are a blob; this row says whose session, which run, where in it).
* `replay_decisions`: a reviewer re-ran the rules under another policy (kept here as text and
  digest) and decided whether the original judgement or the re-judged one stands, and why.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "observation_chunks",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("session_id", sa.String(length=36), nullable=False),
        sa.Column("run_id", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("start", sa.Float(), nullable=False),
        sa.Column("end", sa.Float(), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("track_sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["interview_sessions.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("session_id", "run_id", "seq"),
    )
    op.create_index(
        op.f("ix_observation_chunks_session_id"), "observation_chunks", ["session_id"]
    )
    op.create_table(
        "replay_decisions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("session_id", sa.String(length=36), nullable=False),
        sa.Column("policy_digest", sa.String(length=64), nullable=False),
        sa.Column("policy_text", sa.Text(), nullable=False),
        sa.Column("original_policy_digest", sa.String(length=64), nullable=False),
        sa.Column("differences", sa.JSON(), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.String(length=320), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["interview_sessions.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_replay_decisions_session_id"), "replay_decisions", ["session_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_replay_decisions_session_id"), table_name="replay_decisions")
    op.drop_table("replay_decisions")
    op.drop_index(op.f("ix_observation_chunks_session_id"), table_name="observation_chunks")
    op.drop_table("observation_chunks")
