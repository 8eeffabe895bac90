"""Portal sessions live on the hub, not in a signed cookie.

* `portal_sessions`: one row per signed-in browser, keyed by the sha256 of the random id its
  cookie holds; logout, a password change, disabling the user and the idle and absolute
  timeouts set `ended_at`. Sessions signed in before this migration (signed cookies) are not
  carried over: everyone signs in once more.
* `users.disabled_at`: an admin disables a user (ending their sessions); they cannot sign in.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "portal_sessions",
        sa.Column("id_digest", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("ended_because", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id_digest"),
    )
    op.create_index("ix_portal_sessions_user_id", "portal_sessions", ["user_id"])
    op.create_index("ix_portal_sessions_ended_at", "portal_sessions", ["ended_at"])
    op.add_column("users", sa.Column("disabled_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("disabled_at")
    op.drop_index("ix_portal_sessions_ended_at", "portal_sessions")
    op.drop_index("ix_portal_sessions_user_id", "portal_sessions")
    op.drop_table("portal_sessions")
