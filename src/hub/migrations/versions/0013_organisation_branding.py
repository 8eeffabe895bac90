"""Organisations get what the kiosk shows candidates: a display name and a small logo.

* `organisations.display_name`: the name in the kiosk's header (the organisation's own name when
  empty).
* `organisations.logo`: a PNG or JPEG of at most 128 KiB, checked by decoding it
  (`contract.branding`); session packs carry both to the kiosk.

Revision ID: 0013_branding
Revises: 0012_data_policy
Create Date: 2026-12-08
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_branding"
down_revision = "0012_data_policy"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("organisations", sa.Column("display_name", sa.String(200), nullable=True))
    op.add_column("organisations", sa.Column("logo", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("organisations") as batch:
        batch.drop_column("logo")
        batch.drop_column("display_name")
