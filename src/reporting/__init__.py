"""The PDF interview report, rendered alike on the kiosk and on the hub.

A layer of its own above `contract`: it imports only `contract` and reportlab. The kiosk and the
hub each build a `ReportRecord` from their own storage and call `render_report`, so the two
PDFs of one session show the same content. A report is a list of sections (`sections.Section`);
a new one (HR's reviews, say) is one more function appended to `STANDARD_SECTIONS`.
"""

from reporting.record import (
    ConsentLine,
    CriterionLine,
    DecisionLine,
    DecisionsLine,
    EvaluationLine,
    EventLine,
    FlagReviewLine,
    IdentityLine,
    PointLine,
    QuestionLine,
    ReportRecord,
    ScorecardLine,
    ScoreLine,
)
from reporting.render import Pictures, render_report
from reporting.sections import STANDARD_SECTIONS, Section

__all__ = [
    "STANDARD_SECTIONS",
    "ConsentLine",
    "CriterionLine",
    "DecisionLine",
    "DecisionsLine",
    "EvaluationLine",
    "EventLine",
    "FlagReviewLine",
    "IdentityLine",
    "Pictures",
    "PointLine",
    "QuestionLine",
    "ReportRecord",
    "ScoreLine",
    "ScorecardLine",
    "Section",
    "render_report",
]
