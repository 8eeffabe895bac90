"""Consent and the integrity summary become records of their own.

Consent used to be a note in the state history that had to be parsed back; it is now a row that
says whether the candidate agreed or declined, to which notice (version and sha256 of the words
shown), and when. Notes already written are copied into it, so no consent given before the
upgrade is lost. The integrity summary is computed once when an interview ends and stored with
the digest of the policy that made it, so a report rendered later shows the same judgement.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04
"""

import re

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_NOTE = re.compile(
    r"^consent given: notice (?P<version>\S+) sha256:(?P<sha256>[0-9a-f]{64}); "
    r"biometric processing (?P<biometric>agreed|not agreed)$"
)


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
        sa.ForeignKeyConstraint(["session_id"], ["sessions.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_consents_session_id"), "consents", ["session_id"], unique=False)
    op.create_table(
        "integrity_summaries",
        sa.Column("session_id", sa.String(length=36), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("policy_digest", sa.String(length=64), nullable=False),
        sa.Column("computed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["sessions.id"]),
        sa.PrimaryKeyConstraint("session_id"),
    )
    bind = op.get_bind()
    history = bind.execute(
        sa.text(
            "SELECT session_id, reason, at FROM state_changes "
            "WHERE from_state = to_state ORDER BY id"
        )
    )
    rows = []
    for session_id, reason, at in history:
        match = _NOTE.match(reason or "")
        if match is not None:
            rows.append(
                {
                    "session_id": session_id,
                    "agreed": True,
                    "notice_version": match["version"],
                    "notice_sha256": match["sha256"],
                    "biometric": match["biometric"] == "agreed",
                    "at": at,
                }
            )
    if rows:  # `at` is copied as SQLite stored it: the same UTC text the column reads back
        bind.execute(
            sa.text(
                "INSERT INTO consents (session_id, agreed, notice_version, notice_sha256, "
                "biometric, at) VALUES (:session_id, :agreed, :notice_version, :notice_sha256, "
                ":biometric, :at)"
            ),
            rows,
        )


def downgrade() -> None:
    op.drop_table("integrity_summaries")
    op.drop_index(op.f("ix_consents_session_id"), table_name="consents")
    op.drop_table("consents")
