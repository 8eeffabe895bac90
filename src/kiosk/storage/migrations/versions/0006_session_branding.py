"""Sessions remember the organisation their pack named: its display name and its logo.

The kiosk's header shows who the interview is for. The logo is a blob in the media store
(named by its sha256, so one file serves every session of the organisation); the session row
refers to it. Sessions stored before the upgrade have neither and show the kiosk's own name.
The candidate's accessibility (text size, contrast, captions) joins the session's settings,
a JSON column, so it needs no column of its own: settings without it read as the defaults.

Revision ID: 0006_branding
Revises: 0005_data_policy
Create Date: 2026-12-08
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_branding"
down_revision = "0005_data_policy"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ADD COLUMN: a batch copy of `sessions` would drop the table every record refers to
    # (SQLite cannot add a foreign key without that copy, so the logo's sha256 is a plain column)
    op.add_column(
        "sessions", sa.Column("organisation_name", sa.Text(), nullable=False, server_default="")
    )
    op.add_column("sessions", sa.Column("organisation_logo", sa.String(length=64), nullable=True))


def downgrade() -> None:
    op.drop_column("sessions", "organisation_logo")
    op.drop_column("sessions", "organisation_name")
