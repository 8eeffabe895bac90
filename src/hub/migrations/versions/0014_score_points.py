"""Each answer's latest score keeps its expected points' verdicts and the path that decided them.

* `latest_scores.points`: what a kiosk's offline score says of each expected point (verdict,
  the answer's words, who decided: the on-device judge or the embeddings); empty for a Gemini
  score, a kiosk from before the judge, and rows written before this revision.
* `latest_scores.path`: how the points were decided ("judge", "judge+embeddings",
  "embeddings", "none"); "" when unknown or not offline.

Revision ID: 0014_score_points
Revises: 0013_branding
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_score_points"
down_revision = "0013_branding"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("latest_scores") as batch:
        batch.add_column(sa.Column("points", sa.JSON(), nullable=False, server_default="[]"))
        batch.add_column(
            sa.Column("path", sa.String(length=20), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("latest_scores") as batch:
        batch.drop_column("path")
        batch.drop_column("points")
