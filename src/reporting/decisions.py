"""The report's "Decisions" section: HR's flag reviews and hiring decisions, printed from the
words the hub put in the record. The kiosk never fills `ReportRecord.decisions`, so its reports
have no such section and do not change."""

from __future__ import annotations

from datetime import UTC, datetime

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from reporting.record import DecisionLine, ReportRecord
from reporting.styles import S, para, table


def _when(at: datetime | None) -> str:
    return at.astimezone(UTC).strftime("%d %B %Y, %H:%M UTC") if at else "—"


def _decision(line: DecisionLine) -> list[Flowable]:
    heading = f"{line.outcome} — {line.decided_by}, {_when(line.decided_at)}"
    flow: list[Flowable] = [para(heading, S.h2)]
    if line.role:
        flow.append(para(line.role, S.small))
    if line.notes:
        flow.append(para(line.notes, S.quote))
    if line.scorecard:
        rows: list[list[object]] = [["Criterion", "Score (0-10)", "Comment"]]
        rows += [[c.criterion, str(c.score), para(c.comment, S.small)] for c in line.scorecard]
        flow.append(table(rows, [40 * mm, 26 * mm, 104 * mm]))
    return flow


def decisions(record: ReportRecord, pictures: object) -> list[Flowable]:
    """Where the decision stands, each decision (oldest first) with its scorecard, then HR's
    reviews of the proctoring flags."""
    del pictures
    shown = record.decisions
    if shown is None:
        return []
    flow: list[Flowable] = [Spacer(1, 4 * mm), para("Decisions", S.h1), para(shown.state, S.warn)]
    for line in shown.decisions:
        flow += _decision(line)
    if not shown.decisions:
        flow.append(para("No decision has been recorded on this candidate yet."))
    if shown.reviews:
        flow.append(para("Reviews of the proctoring flags", S.h2))
        rows: list[list[object]] = [["Flag", "Review", "By", "Comment"]]
        rows += [
            [para(r.flag, S.small), r.review, para(f"{r.reviewed_by}, {_when(r.reviewed_at)}",
                                                    S.small), para(r.comment, S.small)]
            for r in shown.reviews
        ]
        flow.append(table(rows, [50 * mm, 22 * mm, 44 * mm, 54 * mm]))
    return flow


__all__ = ["decisions"]
