"""Rate-limit misses in the database; several kiosk sessions per pack; attempt sessions.

* `rate_limit_misses`: every hub process counts key and code misses here, so N processes behind
  a load balancer allow the limit once, not N times.
* `kiosk_session_links`: which hub session each kiosk session pushes into (filled from the
  existing `interview_sessions.kiosk_session_id` links).
* `interview_sessions.attempt_of`: a second kiosk that starts an already-started pack gets an
  attempt session with the same key, so `session_key` is unique only among first sessions.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# SQLite keeps 0001's UNIQUE (session_key) unnamed; batch mode names it by this convention
_NAMING = {"uq": "uq_%(table_name)s_%(column_0_name)s"}
_FIRST_KEY = sa.text("attempt_of IS NULL")


def _session_key_constraint() -> str:
    """The name of 0001's unique constraint on session_key, whatever the backend called it."""
    for found in sa.inspect(op.get_bind()).get_unique_constraints("interview_sessions"):
        if found["column_names"] == ["session_key"]:
            return found["name"] or "uq_interview_sessions_session_key"
    raise RuntimeError("interview_sessions has no unique constraint on session_key to replace")


def upgrade() -> None:
    op.create_table(
        "rate_limit_misses",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("scope", sa.String(length=20), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("rate_limit_misses", schema=None) as batch_op:
        batch_op.create_index("ix_rate_limit_misses_at", ["at"], unique=False)
        batch_op.create_index(
            "ix_rate_limit_misses_scope_key_at", ["scope", "key", "at"], unique=False
        )

    unique_key = _session_key_constraint()
    with op.batch_alter_table(
        "interview_sessions", schema=None, naming_convention=_NAMING
    ) as batch_op:
        batch_op.add_column(sa.Column("attempt_of", sa.String(length=36), nullable=True))
        batch_op.create_foreign_key(
            "fk_interview_sessions_attempt_of", "interview_sessions", ["attempt_of"], ["id"]
        )
        batch_op.drop_constraint(unique_key, type_="unique")
    with op.batch_alter_table("interview_sessions", schema=None) as batch_op:
        batch_op.create_index("ix_interview_sessions_attempt_of", ["attempt_of"], unique=False)
        batch_op.create_index(
            "uq_interview_sessions_first_key",
            ["session_key"],
            unique=True,
            sqlite_where=_FIRST_KEY,
            postgresql_where=_FIRST_KEY,
        )

    op.create_table(
        "kiosk_session_links",
        sa.Column("kiosk_session_id", sa.String(length=64), nullable=False),
        sa.Column("session_id", sa.String(length=36), nullable=False),
        sa.Column("kiosk_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["kiosk_id"], ["kiosks.id"]),
        sa.ForeignKeyConstraint(["session_id"], ["interview_sessions.id"]),
        sa.PrimaryKeyConstraint("kiosk_session_id"),
    )
    with op.batch_alter_table("kiosk_session_links", schema=None) as batch_op:
        batch_op.create_index("ix_kiosk_session_links_session_id", ["session_id"], unique=False)
    op.execute(
        "INSERT INTO kiosk_session_links (kiosk_session_id, session_id, kiosk_id, created_at) "
        "SELECT kiosk_session_id, id, kiosk_id, updated_at FROM interview_sessions "
        "WHERE kiosk_session_id IS NOT NULL"
    )


def downgrade() -> None:
    """Refused once attempts exist: folding them back into one row per key would lose one."""
    attempts = op.get_bind().scalar(
        sa.text("SELECT count(*) FROM interview_sessions WHERE attempt_of IS NOT NULL")
    )
    if attempts:
        raise RuntimeError(
            f"{attempts} attempt session(s) share a key with a first session; revision 0001 "
            f"allows one session per key, so downgrading would lose them"
        )
    with op.batch_alter_table("kiosk_session_links", schema=None) as batch_op:
        batch_op.drop_index("ix_kiosk_session_links_session_id")
    op.drop_table("kiosk_session_links")
    with op.batch_alter_table("interview_sessions", schema=None) as batch_op:
        batch_op.drop_index("uq_interview_sessions_first_key")
        batch_op.drop_index("ix_interview_sessions_attempt_of")
    with op.batch_alter_table("interview_sessions", schema=None) as batch_op:
        batch_op.drop_constraint("fk_interview_sessions_attempt_of", type_="foreignkey")
        batch_op.drop_column("attempt_of")
        batch_op.create_unique_constraint("uq_interview_sessions_session_key", ["session_key"])
    with op.batch_alter_table("rate_limit_misses", schema=None) as batch_op:
        batch_op.drop_index("ix_rate_limit_misses_scope_key_at")
        batch_op.drop_index("ix_rate_limit_misses_at")
    op.drop_table("rate_limit_misses")
