"""Sessions carry their data policy and can be erased to a tombstone; consents name the policy.

`sessions.data_policy` is the organisation's policy the pack brought (NULL for sessions stored
before: they read as the default policy, answer audio kept on the kiosk). `erased_at` and
`erased_because` mark a session whose personal data the kiosk erased (retention after the hub
confirmed receipt, or a deletion ordered by the hub). `consents.policy_sha256` is the digest of
the policy words the notice showed.

Revision ID: 0005_data_policy
Revises: 0004
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_data_policy"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sessions") as batch:
        batch.add_column(sa.Column("data_policy", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("erased_at", sa.DateTime(), nullable=True))
        batch.add_column(
            sa.Column("erased_because", sa.String(length=40), nullable=False, server_default="")
        )
    with op.batch_alter_table("consents") as batch:
        batch.add_column(
            sa.Column("policy_sha256", sa.String(length=64), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("consents") as batch:
        batch.drop_column("policy_sha256")
    with op.batch_alter_table("sessions") as batch:
        batch.drop_column("erased_because")
        batch.drop_column("erased_at")
        batch.drop_column("data_policy")
