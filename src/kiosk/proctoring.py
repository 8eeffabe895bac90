"""The edge between the proctor library and the kiosk's records.

Proctor events become domain `ProctoringEvent`s (with a stable id, so an event recorded twice,
once when it starts and once when it ends, is one row), and stored events go back through the
proctor's own `summarize` so the report, the brain and the hub read one integrity summary.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from kiosk.domain.model import IdCheck, ProctoringEvent, Severity
from proctor import EventKind, IntegritySummary, Policy, ProctorEvent, load_policy, summarize
from proctor import Severity as ProctorSeverity
from proctor.idcheck import FieldReading, IdVerification, MatchDecision

_NAMESPACE = uuid.UUID("6f1d8c1e-5b8a-4c57-9a55-2d3f0c3b7a10")


def event_id(session_id: str, proctor_id: int) -> str:
    """The same proctor event in the same session always maps to the same row id."""
    return str(uuid.uuid5(_NAMESPACE, f"{session_id}/{proctor_id}"))


def to_domain(session_id: str, event: ProctorEvent, *, now: float | None = None) -> ProctoringEvent:
    """A domain event; an ongoing event ends at `now` (or its start) until it is recorded again."""
    end = event.end if event.end is not None else max(event.start, now or event.start)
    return ProctoringEvent(
        event_id=event_id(session_id, event.id),
        kind=event.kind.value,
        severity=Severity(event.severity.value),
        confidence=round(event.peak_confidence, 4),
        start=event.start,
        end=end,
        detector=event.detector,
        thresholds=dict(event.thresholds),
        detail=event.detail,
    )


def _to_proctor(index: int, event: ProctoringEvent) -> ProctorEvent | None:
    try:
        kind = EventKind(event.kind)
    except ValueError:
        return None  # a kind this kiosk's proctor does not know (newer hub data): not summarised
    return ProctorEvent(
        id=index,
        kind=kind,
        severity=ProctorSeverity(event.severity.value),
        start=event.start,
        end=event.end,
        peak_confidence=event.confidence,
        thresholds=tuple(event.thresholds.items()),
        detector=event.detector,
        source=kind.source,
        detail=event.detail,
    )


def integrity_summary(
    events: Sequence[ProctoringEvent], session_seconds: float, policy: Policy | None = None
) -> IntegritySummary:
    converted = [_to_proctor(i, e) for i, e in enumerate(events)]
    known = [e for e in converted if e is not None]
    duration = max(session_seconds, *(e.end for e in events), 0.0) if events else session_seconds
    return summarize(known, duration, policy or load_policy())


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
