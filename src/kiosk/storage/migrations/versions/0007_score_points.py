"""Each score keeps its expected points' verdicts and the path that decided them.

* `answer_scores.points`: for an offline score, every expected point with its verdict (covered,
  contradicted, absent), the answer's words that show it and who decided (the on-device judge
  or the embeddings); empty for a Gemini score and for rows written before this revision.
* `answer_scores.path`: "judge", "judge+embeddings", "embeddings" or "none"; "" when unknown.

Revision ID: 0007_score_points
Revises: 0006_branding
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_score_points"
down_revision = "0006_branding"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("answer_scores", schema=None) as batch_op:
        batch_op.add_column(sa.Column("points", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("path", sa.String(length=20), nullable=False,
                                      server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("answer_scores", schema=None) as batch_op:
        batch_op.drop_column("path")
        batch_op.drop_column("points")
