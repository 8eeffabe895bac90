"""The observation track: per proctoring run, chunks of the numbers the rules read.

Each chunk's records are a blob (gzip JSON lines, `integrity.track`); this table says whose
session and run it belongs to and where it sits, so `kiosk proctor --replay` and the hub can
re-judge an interview under another policy without video.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "observation_chunks",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("session_id", sa.String(length=36), nullable=False),
        sa.Column("run_id", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("start", sa.Float(), nullable=False),
        sa.Column("end", sa.Float(), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("track_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["sessions.id"]),
        sa.ForeignKeyConstraint(["track_sha256"], ["media.sha256"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("run_id", "seq"),
    )
    op.create_index(
        op.f("ix_observation_chunks_session_id"), "observation_chunks", ["session_id"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_observation_chunks_session_id"), table_name="observation_chunks")
    op.drop_table("observation_chunks")
