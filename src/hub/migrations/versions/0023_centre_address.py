"""A test centre's postal address and arrival instructions, for the candidate's invitation.

* `test_centres.address` (several lines) and `test_centres.instructions` ("ask at reception
  for the assessment room"), both optional (NULL: not given), at most 500 characters each.

Revision ID: 0023_centre_address
Revises: 0022_session_scores
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0023_centre_address"
down_revision = "0022_session_scores"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("test_centres") as batch:
        batch.add_column(sa.Column("address", sa.String(500), nullable=True))
        batch.add_column(sa.Column("instructions", sa.String(500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("test_centres") as batch:
        batch.drop_column("instructions")
        batch.drop_column("address")
