"""The session list sorts by score and recommendation in SQL.

* `interview_sessions.overall_score` (the mean of the evaluation's criteria, out of 10) and
  `interview_sessions.recommendation` (its code), copied from the stored `evaluation` JSON; the
  models keep them equal to it from now on (`hub.db.models._copy_sort_keys`).
* Back-filled here from every evaluation already stored, so a hub sorts its existing sessions
  correctly right after the upgrade. The arithmetic is repeated below rather than imported: a
  migration stays what it was when it ran, whatever the application code becomes.

Revision ID: 0022_session_scores
Revises: 0021_password_reset
Create Date: 2026-12-04
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0022_session_scores"
down_revision = "0021_password_reset"
branch_labels = None
depends_on = None

BATCH = 500
_sessions = sa.table(
    "interview_sessions",
    sa.column("id", sa.String),
    sa.column("evaluation", sa.JSON),
    sa.column("overall_score", sa.Float),
    sa.column("recommendation", sa.String),
)


def _figures(evaluation: Any) -> dict[str, Any]:
    evaluation = evaluation if isinstance(evaluation, dict) else {}
    overall = evaluation.get("overall")
    marks = [
        float(v)
        for v in (overall.values() if isinstance(overall, dict) else ())
        if isinstance(v, int | float) and not isinstance(v, bool)
    ]
    code = evaluation.get("recommendation")
    return {
        "score": sum(marks) / len(marks) if marks else None,
        "code": str(code)[:20] if code else None,
    }


def upgrade() -> None:
    with op.batch_alter_table("interview_sessions") as batch:
        batch.add_column(sa.Column("overall_score", sa.Float(), nullable=True))
        batch.add_column(sa.Column("recommendation", sa.String(20), nullable=True))
    connection = op.get_bind()
    last = ""
    while True:  # a batch at a time, by id: memory stays flat however many sessions there are
        rows = connection.execute(
            sa.select(_sessions.c.id, _sessions.c.evaluation)
            .where(_sessions.c.id > last, _sessions.c.evaluation.is_not(None))
            .order_by(_sessions.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            break
        last = rows[-1].id
        figures = [{"row_id": r.id, **_figures(r.evaluation)} for r in rows]
        scored = [f for f in figures if f["score"] is not None or f["code"] is not None]
        if scored:
            connection.execute(
                _sessions.update()
                .where(_sessions.c.id == sa.bindparam("row_id"))
                .values(overall_score=sa.bindparam("score"), recommendation=sa.bindparam("code")),
                scored,
            )


def downgrade() -> None:
    with op.batch_alter_table("interview_sessions") as batch:
        batch.drop_column("recommendation")
        batch.drop_column("overall_score")
