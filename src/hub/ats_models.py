"""What the ATS read API answers (`hub.api.ats`): JSON bodies, each field documented in the
OpenAPI, every coded value also given in words for people.

Data minimisation: no face images, snapshots, identity-check results, answer audio or
transcripts leave through this API; an ATS gets the result of the interview, and the PDF report
for a human to read.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from hub import glossary

#: The rubric's scale (`contract.rubric`): every criterion, and their mean, is scored on it.
SCORE_MIN = 0.0
SCORE_MAX = float(glossary.SCORE_SCALE)


class _Body(BaseModel):
    model_config = ConfigDict(frozen=True)


class Coded(_Body):
    """A value as a stable machine code (for the ATS to map) and in words (to show a person)."""

    code: str = Field(description="stable machine code; new codes may be added, none renamed")
    words: str = Field(description="the same value in words for people")


class SessionItem(_Body):
    session_id: str
    session_key: str = Field(description="the key the candidate typed at the kiosk")
    candidate_name: str
    job_title: str
    status: Coded
    created_at: datetime
    updated_at: datetime = Field(description="last change the hub received; use for sync")
    has_report: bool = Field(description="a PDF report can be fetched")
    personal_data_erased: bool = Field(
        description="the candidate's data was deleted on request or by retention: erase it too"
    )


class SessionPage(_Body):
    """One page of sessions, oldest change first; fetch `next_cursor` until it is null."""

    items: list[SessionItem]
    total: int = Field(description="how many sessions match the filters, over all pages")
    next_cursor: str | None = Field(description="pass as `cursor` for the next page; null: done")


class Score(_Body):
    value: float
    scale_min: float = SCORE_MIN
    scale_max: float = SCORE_MAX


class Reason(_Body):
    question_number: int = Field(description="1 for the first question asked")
    reason: str


class CriterionResult(_Body):
    criterion: Coded
    score: Score = Field(description="the interview's overall mark on this criterion")
    reasons: list[Reason] = Field(description="the scorer's reasons, answer by answer")


class Candidate(_Body):
    name: str
    email: str


class Job(_Body):
    title: str


class FlagCounts(_Body):
    """Proctoring flags (observations for a human reviewer, not findings of misconduct)."""

    total: int
    to_review: int
    confirmed: int
    dismissed: int


class Integrity(_Body):
    level: Coded | None = Field(description="null until the interview has ended")
    flags: FlagCounts


class Decision(_Body):
    """Where HR's decision on the candidate stands (`hub.services.decision_state`)."""

    state: Coded = Field(description="undecided, awaiting_second_review, advance, hold or reject")
    outcome: Coded | None = Field(
        description="the latest decision's outcome (also while a second reviewer is awaited); "
        "null when undecided"
    )
    decided_at: datetime | None
    disagreement: bool = Field(description="a second reviewer disagreed; a reviewer must settle it")


class SessionResult(_Body):
    session: SessionItem
    candidate: Candidate
    job: Job
    overall: Score | None = Field(description="mean of the criteria; null before scoring")
    provisional: bool = Field(description="the kiosk scored offline; a re-score may change it")
    criteria: list[CriterionResult]
    recommendation: Coded | None = Field(description="null before the interview is evaluated")
    integrity: Integrity
    decision: Decision
    report_url: str | None = Field(description="where the PDF report is, null when none")


class ApiProblem(_Body):
    detail: str


Status = Literal[
    "created",
    "opened",
    "id_verified",
    "devices_checked",
    "in_progress",
    "completed",
    "reported",
    "synced",
    "aborted",
    "expired",
]
