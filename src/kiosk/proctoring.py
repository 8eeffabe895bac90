"""The edge between the proctor library and the kiosk's records.

A proctor event becomes a domain `ProctoringEvent` under the id the proctor gave it when it
started (a UUID), so the event recorded when it starts and again when it ends is one row, and no
two runs can collide. The integrity summary is computed once, from the stored events, when the
interview ends; the report and the hub read that stored copy.
"""

from __future__ import annotations

from collections.abc import Sequence

from contract.proctoring import IntegritySummary
from integrity.replay import JudgedEvent
from kiosk.domain.model import IdCheck, ProctoringEvent
from proctor import Policy, ProctorEvent, summarize
from proctor.idcheck import FieldReading, IdVerification, MatchDecision


def to_domain(event: ProctorEvent, *, now: float | None = None) -> ProctoringEvent:
    """A domain event; an ongoing event ends at `now` (or its start) until it is recorded again."""
    end = event.end if event.end is not None else max(event.start, now or event.start)
    return ProctoringEvent(
        event_id=event.id,
        kind=event.kind,
        severity=event.severity,
        confidence=round(event.peak_confidence, 4),
        start=event.start,
        end=end,
        detector=event.detector,
        thresholds=dict(event.thresholds),
        detail=event.detail,
    )


def judged(event: ProctoringEvent) -> JudgedEvent:
    """A stored event as a replay comparison reads it (times to the millisecond, as replayed)."""
    return JudgedEvent(
        event.kind,
        event.severity,
        round(event.start, 3),
        round(event.end, 3),
        round(event.confidence, 4),
        event.detail,
        tuple(sorted(event.thresholds.items())),
    )


def integrity_summary(
    events: Sequence[ProctoringEvent],
    session_seconds: float,
    policy: Policy,
    *,
    analysed_seconds: float,
    note: str = "",
) -> IntegritySummary:
    """The summary of a finished interview's stored events, under `policy`."""
    duration = max(session_seconds, *(e.end for e in events)) if events else session_seconds
    return summarize(
        events, duration, policy, analysed_seconds=analysed_seconds, note=note
    )


def id_check_from(result: IdVerification) -> IdCheck:
    """The domain's record of an ID verification, overrides included (who, and why)."""
    fields = result.fields

    def value(reading: FieldReading | None) -> str:
        return reading.value if reading is not None else ""

    confidences = [
        r.confidence
        for r in (fields.name, fields.date_of_birth, fields.document_number, fields.expiry_date)
        if r
    ]
    overrides = "; ".join(f"{o.check.value}: {o.reason}" for o in result.overrides)
    return IdCheck(
        name_on_document=value(fields.name),
        name_matches=bool(result.name_match and result.name_match.matched),
        document_number=value(fields.document_number),
        date_of_birth=value(fields.date_of_birth),
        expiry_date=value(fields.expiry_date),
        expired=bool(result.expired),
        face_distance=result.face.distance,
        face_threshold=result.face.threshold,
        face_matches=result.face.decision is MatchDecision.MATCH,
        ocr_confidence=round(min(confidences), 3) if confidences else None,
        override_reason=overrides,
        overridden_by=", ".join(sorted({o.by for o in result.overrides})),
    )
