"""An admin resets a user's password to a temporary one.

* `users.password_temporary_until`: set while the user's password is a temporary one an admin
  gave them (it signs in until then, and the user must choose a new password first); None when
  the password is the user's own.

Revision ID: 0021_password_reset
Revises: 0020_api_tokens
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0021_password_reset"
down_revision = "0020_api_tokens"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("users", sa.Column("password_temporary_until", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("password_temporary_until")
