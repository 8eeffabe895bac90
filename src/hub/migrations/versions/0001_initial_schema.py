"""Initial hub schema: organisations, users, kiosks, sessions and records, blobs, receipts, audit.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "blobs",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("sha256"),
    )
    op.create_table(
        "organisations",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("retention_days", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("org_id", sa.String(length=36), nullable=False),
        sa.Column("actor", sa.String(length=320), nullable=False),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("target", sa.String(length=200), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organisations.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_org_id"), ["org_id"], unique=False)

    op.create_table(
        "kiosks",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("org_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("last_seen_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organisations.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    with op.batch_alter_table("kiosks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kiosks_org_id"), ["org_id"], unique=False)

    op.create_table(
        "users",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("org_id", sa.String(length=36), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organisations.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("email"),
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_users_org_id"), ["org_id"], unique=False)

    op.create_table(
        "enrolment_codes",
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("org_id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.Column("kiosk_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["kiosk_id"],
            ["kiosks.id"],
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organisations.id"],
        ),
        sa.PrimaryKeyConstraint("code_hash"),
    )
    with op.batch_alter_table("enrolment_codes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_enrolment_codes_org_id"), ["org_id"], unique=False)

    op.create_table(
        "interview_sessions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("org_id", sa.String(length=36), nullable=False),
        sa.Column("session_key", sa.String(length=24), nullable=False),
        sa.Column("kiosk_session_id", sa.String(length=64), nullable=True),
        sa.Column("kiosk_id", sa.String(length=36), nullable=True),
        sa.Column("origin", sa.String(length=10), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("candidate_name", sa.Text(), nullable=False),
        sa.Column("candidate_email", sa.Text(), nullable=False),
        sa.Column("resume_text", sa.Text(), nullable=False),
        sa.Column("job_title", sa.Text(), nullable=False),
        sa.Column("job_text", sa.Text(), nullable=False),
        sa.Column("required_skills", sa.JSON(), nullable=False),
        sa.Column("nice_to_have_skills", sa.JSON(), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("evaluation", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("purged_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["kiosk_id"],
            ["kiosks.id"],
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organisations.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kiosk_session_id"),
        sa.UniqueConstraint("session_key"),
    )
    with op.batch_alter_table("interview_sessions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_interview_sessions_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_interview_sessions_org_id"), ["org_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_interview_sessions_state"), ["state"], unique=False)

    op.create_table(
        "receipts",
        sa.Column("kiosk_id", sa.String(length=36), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=40), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["kiosk_id"],
            ["kiosks.id"],
        ),
        sa.PrimaryKeyConstraint("kiosk_id", "outbox_id"),
    )
    op.create_table(
        "answers",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("session_id", sa.String(length=36), nullable=False),
        sa.Column("question_id", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("segments", sa.JSON(), nullable=False),
        sa.Column("audio_sha256", sa.String(length=64), nullable=True),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("end_reason", sa.String(length=500), nullable=False),
        sa.Column("metrics", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["interview_sessions.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("answers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_answers_question_id"), ["question_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_answers_session_id"), ["session_id"], unique=False)

    op.create_table(
        "id_checks",
        sa.Column("session_id", sa.String(length=36), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["interview_sessions.id"],
        ),
        sa.PrimaryKeyConstraint("session_id"),
    )
    op.create_table(
        "latest_scores",
        sa.Column("answer_id", sa.String(length=64), nullable=False),
        sa.Column("session_id", sa.String(length=36), nullable=False),
        sa.Column("criteria", sa.JSON(), nullable=False),
        sa.Column("feedback", sa.Text(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("engine", sa.String(length=500), nullable=False),
        sa.Column("provisional", sa.Boolean(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["interview_sessions.id"],
        ),
        sa.PrimaryKeyConstraint("answer_id"),
    )
    with op.batch_alter_table("latest_scores", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_latest_scores_session_id"), ["session_id"], unique=False
        )

    op.create_table(
        "proctoring_events",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("session_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("start", sa.Float(), nullable=False),
        sa.Column("end", sa.Float(), nullable=False),
        sa.Column("detector", sa.String(length=500), nullable=False),
        sa.Column("thresholds", sa.JSON(), nullable=False),
        sa.Column("snapshot_sha256", sa.String(length=64), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("review", sa.String(length=10), nullable=False),
        sa.Column("review_comment", sa.Text(), nullable=False),
        sa.Column("reviewed_by", sa.String(length=320), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["interview_sessions.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("proctoring_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_proctoring_events_session_id"), ["session_id"], unique=False
        )

    op.create_table(
        "questions",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("session_id", sa.String(length=36), nullable=False),
        sa.Column("idx", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("skill", sa.Text(), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("expected_points", sa.JSON(), nullable=False),
        sa.Column("engine", sa.String(length=500), nullable=False),
        sa.Column("follow_up_of", sa.String(length=64), nullable=True),
        sa.Column("spoken", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["interview_sessions.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_questions_session_id"), ["session_id"], unique=False)

    op.create_table(
        "reports",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("session_id", sa.String(length=36), nullable=False),
        sa.Column("pdf_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["interview_sessions.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("session_id", "pdf_sha256"),
    )
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reports_session_id"), ["session_id"], unique=False)

    op.create_table(
        "session_blobs",
        sa.Column("session_id", sa.String(length=36), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["interview_sessions.id"],
        ),
        sa.PrimaryKeyConstraint("session_id", "sha256"),
    )
    with op.batch_alter_table("session_blobs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_session_blobs_sha256"), ["sha256"], unique=False)

    op.create_table(
        "state_changes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("session_id", sa.String(length=36), nullable=False),
        sa.Column("from_state", sa.String(length=20), nullable=False),
        sa.Column("to_state", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["interview_sessions.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("state_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_state_changes_session_id"), ["session_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("state_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_state_changes_session_id"))

    op.drop_table("state_changes")
    with op.batch_alter_table("session_blobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_session_blobs_sha256"))

    op.drop_table("session_blobs")
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reports_session_id"))

    op.drop_table("reports")
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_questions_session_id"))

    op.drop_table("questions")
    with op.batch_alter_table("proctoring_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_proctoring_events_session_id"))

    op.drop_table("proctoring_events")
    with op.batch_alter_table("latest_scores", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_latest_scores_session_id"))

    op.drop_table("latest_scores")
    op.drop_table("id_checks")
    with op.batch_alter_table("answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_answers_session_id"))
        batch_op.drop_index(batch_op.f("ix_answers_question_id"))

    op.drop_table("answers")
    op.drop_table("receipts")
    with op.batch_alter_table("interview_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interview_sessions_state"))
        batch_op.drop_index(batch_op.f("ix_interview_sessions_org_id"))
        batch_op.drop_index(batch_op.f("ix_interview_sessions_created_at"))

    op.drop_table("interview_sessions")
    with op.batch_alter_table("enrolment_codes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_enrolment_codes_org_id"))

    op.drop_table("enrolment_codes")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_users_org_id"))

    op.drop_table("users")
    with op.batch_alter_table("kiosks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kiosks_org_id"))

    op.drop_table("kiosks")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_org_id"))
        batch_op.drop_index(batch_op.f("ix_audit_log_at"))

    op.drop_table("audit_log")
    op.drop_table("organisations")
    op.drop_table("blobs")
