"""Session keys and user e-mail addresses are unique per organisation, not across the hub.

A hub-wide uniqueness made each of them an oracle: adding a user whose address another
organisation used was refused ("already exists"), and a kiosk pushing a session with another
organisation's key was refused ("belongs to another organisation"). Now neither is about other
organisations at all.

* `users`: unique (org_id, email) instead of unique email; an index on email for signing in.
* `uq_interview_sessions_first_key`: unique (org_id, session_key) among first sessions.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# SQLite keeps 0001's UNIQUE (email) unnamed; batch mode names it by this convention
_NAMING = {"uq": "uq_%(table_name)s_%(column_0_name)s"}
_FIRST = sa.text("attempt_of IS NULL")


def _email_constraint() -> str:
    for found in sa.inspect(op.get_bind()).get_unique_constraints("users"):
        if found["column_names"] == ["email"]:
            return found["name"] or "uq_users_email"
    raise RuntimeError("users has no unique constraint on email to replace")


def _first_key(columns: list[str]) -> None:
    with op.batch_alter_table("interview_sessions") as batch:
        batch.drop_index("uq_interview_sessions_first_key")
        batch.create_index(
            "uq_interview_sessions_first_key",
            columns,
            unique=True,
            sqlite_where=_FIRST,
            postgresql_where=_FIRST,
        )


def upgrade() -> None:
    unique_email = _email_constraint()
    with op.batch_alter_table("users", naming_convention=_NAMING) as batch:
        batch.drop_constraint(unique_email, type_="unique")
        batch.create_unique_constraint("uq_users_org_email", ["org_id", "email"])
        batch.create_index("ix_users_email", ["email"])
    _first_key(["org_id", "session_key"])


def downgrade() -> None:
    _first_key(["session_key"])
    with op.batch_alter_table("users") as batch:
        batch.drop_index("ix_users_email")
        batch.drop_constraint("uq_users_org_email", type_="unique")
        batch.create_unique_constraint("uq_users_email", ["email"])
