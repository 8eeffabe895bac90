"""The ID check as a whole: which checks passed, which need an invigilator, and overrides.

A failed or uncertain check is never final: the result lists what needs a human decision, and
`override` records who decided, when and why, so the report shows the trail.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path

import numpy as np

from integrity.policy import IdSettings, Policy, load_policy
from proctor.idcheck.facematch import FaceMatch, FaceMatcher, MatchDecision
from proctor.idcheck.fields import FieldReading, IdFields, parse_id_fields
from proctor.idcheck.names import NameMatch, match_name
from proctor.idcheck.ocr import IdCardReader


class Check(StrEnum):
    FIELDS = "fields"  # all four fields read with enough confidence
    NAME = "name"  # the card's name is the registered candidate's
    EXPIRY = "expiry"  # the card has not expired
    FACE = "face"  # the live face is the card's face


@dataclass(frozen=True)
class CheckResult:
    check: Check
    passed: bool
    detail: str

    @property
    def needs_override(self) -> bool:
        return not self.passed


@dataclass(frozen=True)
class Override:
    """An invigilator accepted a failed check in person."""

    check: Check
    reason: str
    by: str
    at: datetime


@dataclass(frozen=True)
class IdVerification:
    registered_name: str
    fields: IdFields
    name_match: NameMatch | None
    expired: bool | None
    face: FaceMatch
    checks: tuple[CheckResult, ...]
    settings: IdSettings
    checked_on: date
    timings_ms: tuple[tuple[str, float], ...]
    overrides: tuple[Override, ...] = ()

    @property
    def needs_override(self) -> tuple[Check, ...]:
        """Checks that failed and have not been overridden yet."""
        done = {o.check for o in self.overrides}
        return tuple(c.check for c in self.checks if c.needs_override and c.check not in done)

    @property
    def accepted(self) -> bool:
        return not self.needs_override

    def result(self, check: Check) -> CheckResult:
        return next(c for c in self.checks if c.check is check)

    def to_dict(self) -> dict[str, object]:
        f = self.fields
        return {
            "registered_name": self.registered_name,
            "accepted": self.accepted,
            "needs_override": [c.value for c in self.needs_override],
            "checks": [
                {"check": c.check.value, "passed": c.passed, "detail": c.detail}
                for c in self.checks
            ],
            "fields": {
                "name": _reading(f.name),
                "date_of_birth": _reading(f.date_of_birth),
                "document_number": _reading(f.document_number),
                "expiry_date": _reading(f.expiry_date),
            },
            "name_match": None
            if self.name_match is None
            else {"matched": self.name_match.matched, "score": self.name_match.score},
            "expired": self.expired,
            "face": {
                "decision": self.face.decision.value,
                "distance": self.face.distance,
                "similarity": self.face.similarity,
                "threshold": self.face.threshold,
                "review_margin": self.face.review_margin,
            },
            "overrides": [
                {"check": o.check.value, "reason": o.reason, "by": o.by, "at": o.at.isoformat()}
                for o in self.overrides
            ],
            "timings_ms": {k: round(v, 1) for k, v in self.timings_ms},
        }


def _reading(reading: FieldReading | None) -> dict[str, object] | None:
    if reading is None:
        return None
    return {"value": reading.value, "confidence": round(reading.confidence, 3)}


class IdVerifier:
    """Holds the OCR engine and face models; build once, verify many cards."""

    def __init__(self, policy: Policy | None = None, *, models_dir: Path | None = None) -> None:
        self.settings = (policy or load_policy()).id
        self._reader = IdCardReader()
        self.face_matcher = FaceMatcher(
            self.settings.face_match_threshold, self.settings.face_review_margin, models_dir
        )

    def verify(
        self,
        card_image: np.ndarray,
        live_image: np.ndarray,
        registered_name: str,
        *,
        today: date | None = None,
    ) -> IdVerification:
        """Run every check on a BGR card image and a BGR live image."""
        today = today or date.today()
        s = self.settings
        started = time.perf_counter()
        fields = parse_id_fields(self._reader.read(card_image))
        ocr_ms = (time.perf_counter() - started) * 1000
        face = self.face_matcher.compare(card_image, live_image)

        weak = [
            name
            for name, r in (
                ("name", fields.name),
                ("date_of_birth", fields.date_of_birth),
                ("document_number", fields.document_number),
                ("expiry_date", fields.expiry_date),
            )
            if r is not None and r.confidence < s.min_field_confidence
        ]
        missing = fields.missing()
        fields_ok = not missing and not weak
        fields_detail = (
            "all fields read"
            if fields_ok
            else (f"missing: {', '.join(missing) or 'none'}; unsure: {', '.join(weak) or 'none'}")
        )

        name_match, name_detail = None, "no name read from the card"
        if fields.name is not None:
            name_match = match_name(registered_name, fields.name.value, s.name_token_similarity)
            outcome = "matches" if name_match.matched else f"no match for {name_match.unmatched}"
            name_detail = f"card says {fields.name.value!r}; {outcome}"

        expiry = fields.expiry_date.as_date if fields.expiry_date else None
        expired = None if expiry is None else expiry < today
        expiry_detail = (
            "no expiry date read from the card"
            if expiry is None
            else f"{'expired' if expired else 'valid until'} {expiry.isoformat()}"
        )

        checks = (
            CheckResult(Check.FIELDS, fields_ok, fields_detail),
            CheckResult(Check.NAME, bool(name_match and name_match.matched), name_detail),
            CheckResult(Check.EXPIRY, expired is False, expiry_detail),
            CheckResult(
                Check.FACE,
                face.decision is MatchDecision.MATCH,
                f"{face.detail} (distance {face.distance}, threshold {face.threshold})",
            ),
        )
        return IdVerification(
            registered_name=registered_name,
            fields=fields,
            name_match=name_match,
            expired=expired,
            face=face,
            checks=checks,
            settings=s,
            checked_on=today,
            timings_ms=(("ocr", ocr_ms), *face.timings_ms),
        )


def override(
    verification: IdVerification,
    check: Check | str,
    *,
    reason: str,
    by: str,
    at: datetime | None = None,
) -> IdVerification:
    """Record an invigilator's decision to accept a failed check; returns the updated result."""
    check = Check(check)
    if not reason.strip() or not by.strip():
        raise ValueError("an override needs a reason and the invigilator's name")
    if check not in verification.needs_override:
        raise ValueError(f"the {check.value} check does not need an override")
    record = Override(check, reason.strip(), by.strip(), at or datetime.now(UTC))
    return replace(verification, overrides=(*verification.overrides, record))
