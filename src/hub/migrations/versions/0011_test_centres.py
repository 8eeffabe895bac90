"""Test centres: kiosks, sessions and invigilators belong to centres; sessions to a day.

* `test_centres`: a centre of an organisation, with the IANA time zone its day is counted in.
* `user_centres`: the centres an invigilator works at (none: the whole organisation).
* `kiosks.centre_id`, `enrolment_codes.centre_id`: the centre a kiosk is enrolled into.
* `interview_sessions.centre_id` (none: any centre) and `interview_on` (none: any day while
  the key is valid): what a kiosk's pull selects by. Existing rows keep none for both, so they
  behave as before.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "test_centres",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("org_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["organisations.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("org_id", "name", name="uq_test_centres_org_name"),
    )
    op.create_index(op.f("ix_test_centres_org_id"), "test_centres", ["org_id"], unique=False)
    op.create_table(
        "user_centres",
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("centre_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(["centre_id"], ["test_centres.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("user_id", "centre_id"),
    )
    with op.batch_alter_table("kiosks") as batch:
        batch.add_column(sa.Column("centre_id", sa.String(length=36), nullable=True))
        batch.create_foreign_key("fk_kiosks_centre_id", "test_centres", ["centre_id"], ["id"])
        batch.create_index(op.f("ix_kiosks_centre_id"), ["centre_id"], unique=False)
    with op.batch_alter_table("enrolment_codes") as batch:
        batch.add_column(sa.Column("centre_id", sa.String(length=36), nullable=True))
        batch.create_foreign_key(
            "fk_enrolment_codes_centre_id", "test_centres", ["centre_id"], ["id"]
        )
    with op.batch_alter_table("interview_sessions") as batch:
        batch.add_column(sa.Column("centre_id", sa.String(length=36), nullable=True))
        batch.add_column(sa.Column("interview_on", sa.Date(), nullable=True))
        batch.create_foreign_key(
            "fk_interview_sessions_centre_id", "test_centres", ["centre_id"], ["id"]
        )
        batch.create_index(op.f("ix_interview_sessions_centre_id"), ["centre_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("interview_sessions") as batch:
        batch.drop_index(op.f("ix_interview_sessions_centre_id"))
        batch.drop_constraint("fk_interview_sessions_centre_id", type_="foreignkey")
        batch.drop_column("interview_on")
        batch.drop_column("centre_id")
    with op.batch_alter_table("enrolment_codes") as batch:
        batch.drop_constraint("fk_enrolment_codes_centre_id", type_="foreignkey")
        batch.drop_column("centre_id")
    with op.batch_alter_table("kiosks") as batch:
        batch.drop_index(op.f("ix_kiosks_centre_id"))
        batch.drop_constraint("fk_kiosks_centre_id", type_="foreignkey")
        batch.drop_column("centre_id")
    op.drop_table("user_centres")
    op.drop_index(op.f("ix_test_centres_org_id"), table_name="test_centres")
    op.drop_table("test_centres")
