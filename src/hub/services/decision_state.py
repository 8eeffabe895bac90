"""Where a session's decision stands, read cheaply for lists: the vocabulary of decision states,
`DecisionSummary`, and `decision_summary(uow, org_id, session_ids)`.

The state comes from a session's latest `HiringDecision` row alone (`state_of`): none is
undecided; one recorded while the organisation wanted a second reviewer, and not itself a
confirmation, awaits a second reviewer; any other is final with its outcome. So a list of any
length learns its sessions' states in one query per 500 ids (`DecisionRepository.latest`).
The rules that write those rows are `hub.services.decisions`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from hub.db.models import HiringDecision
from hub.uow import UnitOfWork

UNDECIDED = "undecided"
AWAITING = "awaiting_second_review"
ADVANCE, HOLD, REJECT = "advance", "hold", "reject"
#: Every state `DecisionSummary.state` takes.
STATES = (UNDECIDED, AWAITING, ADVANCE, HOLD, REJECT)
OUTCOMES: dict[str, str] = {
    ADVANCE: "Advance to next round",
    HOLD: "On hold",
    REJECT: "Rejected",
}
STATE_WORDS: dict[str, str] = {
    UNDECIDED: "No decision yet",
    AWAITING: "Awaiting a second reviewer",
    **OUTCOMES,
}


@dataclass(frozen=True, slots=True)
class DecisionSummary:
    """Where one session's decision stands: what lists (dashboard, job ranking) show.

    `state` is one of `STATES`; `words` is it for people; `outcome` is the latest decision's
    (also while it awaits a second reviewer; None when undecided); `disagreement` is true while
    a second reviewer's different decision awaits a reviewer."""

    state: str
    words: str
    outcome: str | None = None
    decided_by: str | None = None
    decided_at: datetime | None = None
    disagreement: bool = False

    @property
    def final(self) -> bool:
        return self.state in OUTCOMES


UNDECIDED_SUMMARY = DecisionSummary(UNDECIDED, STATE_WORDS[UNDECIDED])


def state_of(latest: HiringDecision | None) -> str:
    """A session's state from its latest decision row alone (see the module's docstring)."""
    if latest is None:
        return UNDECIDED
    if latest.needs_second_review and latest.confirms is None:
        return AWAITING
    return latest.outcome


def summary_of(latest: HiringDecision | None) -> DecisionSummary:
    """The summary of a session whose latest decision row is `latest` (None: no decision)."""
    if latest is None:
        return UNDECIDED_SUMMARY
    state = state_of(latest)
    return DecisionSummary(
        state=state,
        words=STATE_WORDS[state],
        outcome=latest.outcome,
        decided_by=latest.decided_by,
        decided_at=latest.decided_at,
        disagreement=state == AWAITING and latest.disagrees_with is not None,
    )


def decision_summary(
    uow: UnitOfWork, org_id: str, session_ids: Iterable[str]
) -> dict[str, DecisionSummary]:
    """Every asked session's `DecisionSummary` (undecided ones too), inside the caller's unit of
    work; sessions of other organisations read as undecided, never as theirs."""
    ids = list(session_ids)
    latest = uow.decisions.latest(org_id, ids)
    return {session_id: summary_of(latest.get(session_id)) for session_id in ids}


__all__ = [
    "ADVANCE",
    "AWAITING",
    "HOLD",
    "OUTCOMES",
    "REJECT",
    "STATES",
    "STATE_WORDS",
    "UNDECIDED",
    "UNDECIDED_SUMMARY",
    "DecisionSummary",
    "decision_summary",
    "state_of",
    "summary_of",
]
