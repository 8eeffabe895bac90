"""Failed sign-ins slow an account down instead of locking it.

* `users.failed_logins` and `users.locked_until` go: failures are counted per account, per
  address and per both in `rate_limit_misses` (`hub.security.login_throttle`), with delays that
  grow, so a stranger who knows an e-mail address can no longer lock its owner out.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("locked_until")
        batch.drop_column("failed_logins")


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(sa.Column("locked_until", sa.DateTime(), nullable=True))
