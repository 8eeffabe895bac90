"""Every value the portal shows HR, in words for people: one glossary, used by every page.

The kiosk, the wire and the database speak in codes (`strong_no`, `no_face`, `offline-minilm`,
`in_progress`); HR reads sentences. Each code has its words here, and `register` hands them to
the templates as filters, so a page writes `{{ s.state | state }}` and never the code itself.
The vocabularies come from `contract` (proctoring, rubric, evaluation, the wire's session
states): a unit test asserts every member of each has an entry, so a new code cannot reach a
page raw. A value this version does not know (a newer kiosk) is still shown readably, never as
a code: underscores become spaces.

Words the PDF already prints (`contract.words`, `contract.evaluation.RECOMMENDATION_WORDS`,
`contract.rubric`) are reused, so paper and screen say the same thing.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from contract.evaluation import RECOMMENDATION_WORDS
from contract.proctoring import EventKind, EventSource
from contract.rubric import Criterion
from contract.words import EVENT_KINDS, INTEGRITY_LEVELS
from contract.words import SEVERITIES as SEVERITY_WORDS

#: Every criterion is scored on this scale (`contract.rubric`); a score is never shown without it.
SCORE_SCALE = 10

RECOMMENDATIONS: dict[str, str] = {r.value: words for r, words in RECOMMENDATION_WORDS.items()}

SEVERITIES: dict[str, str] = {s.value: words.capitalize() for s, words in SEVERITY_WORDS.items()}

INTEGRITY: dict[str, str] = {level.value: words for level, words in INTEGRITY_LEVELS.items()}

CRITERIA: dict[str, str] = {
    Criterion.RELEVANCE: "Relevance",
    Criterion.DEPTH: "Depth",
    Criterion.STRUCTURE: "Structure",
    Criterion.COMMUNICATION: "Communication",
}

#: Who noticed an event: the detector's own name (a model file, a library version) is for
#: engineers, so HR reads where the evidence comes from instead.
SOURCES: dict[str, str] = {
    EventSource.CAMERA: "Seen by the kiosk's camera check",
    EventSource.KIOSK: "Reported by the kiosk itself",
    EventSource.AUDIO: "Heard by the kiosk's microphone check",
}

#: The session states of `contract.wire.SessionStateName`, as a status HR reads in a list.
STATES: dict[str, str] = {
    "created": "Waiting for the candidate",
    "opened": "Key entered at a kiosk",
    "id_verified": "Identity checked",
    "devices_checked": "Devices checked",
    "in_progress": "Interview under way",
    "completed": "Interview finished",
    "reported": "Report written",
    "synced": "Ready to review",
    "aborted": "Stopped before the end",
    "expired": "Key expired",
    "cancelled": "Cancelled",
}

#: What happened when a session reached each state, for the history's sentences.
STATE_EVENTS: dict[str, str] = {
    "created": "The session was created",
    "opened": "The key was entered at a kiosk",
    "id_verified": "The candidate's identity was checked",
    "devices_checked": "The camera and microphone were checked",
    "in_progress": "The interview began",
    "completed": "The interview ended",
    "reported": "The kiosk wrote the report",
    "synced": "The hub received everything",
    "aborted": "The session was stopped",
    "expired": "The key expired",
    "cancelled": "HR cancelled the session",
}

#: Kinds of question (the kiosk's `QuestionKind`; the wire carries them as text).
QUESTION_KINDS: dict[str, str] = {
    "intro": "Introduction",
    "technical": "Technical",
    "behavioural": "Behavioural",
    "situational": "Situational",
    "follow_up": "Follow-up",
    "closing": "Closing",
}

#: A flag's review state (`hub.db.models.ProctoringEvent.review`).
REVIEWS: dict[str, str] = {
    "open": "Not reviewed yet",
    "confirmed": "Confirmed by a reviewer",
    "dismissed": "Dismissed by a reviewer",
}

ROLES: dict[str, str] = {
    "admin": "Administrator",
    "hr": "HR",
    "invigilator": "Invigilator",
}

#: Audit log actions given words so far (`hub.repositories.audit`); any other action is shown as
#: it always was until it gets its line here.
AUDIT_ACTIONS: dict[str, str] = {
    "user.password_reset": "Password reset by an administrator (temporary password issued)",
    "user.password_set_after_reset": "New password chosen after a reset",
    "centre.updated": "Test centre's address or arrival instructions changed",
}

#: Proctoring policy values a flag was judged with, by their names in the policy file.
_THRESHOLD_UNITS = (
    ("_seconds", " (seconds)"), ("_s", " (seconds)"), ("_ratio", " (share)"),
    ("_degrees", " (degrees)"), ("_deg", " (degrees)"),
)

_HASH = re.compile(r"\s*\b(?:sha256:)?[0-9a-f]{32,}\b")
_CODE = re.compile(r"^[a-z0-9]+(?:[_-][a-z0-9]+)+$")


def humane(code: object) -> str:
    """A code nobody gave words to yet, readable: `camera_glare` → "Camera glare"."""
    text = str(code).replace("_", " ").replace("-", " ").strip()
    return text[:1].upper() + text[1:]


def _lookup(table: dict[str, str], code: object) -> str:
    return table.get(str(code), humane(code)) if code is not None else ""


def recommendation(code: object) -> str:
    return _lookup(RECOMMENDATIONS, code)


def state(code: object) -> str:
    return _lookup(STATES, code)


def severity(code: object) -> str:
    return _lookup(SEVERITIES, code)


def integrity_level(code: object) -> str:
    return _lookup(INTEGRITY, code)


def criterion(code: object) -> str:
    return _lookup(CRITERIA, code)


def question_kind(code: object) -> str:
    return _lookup(QUESTION_KINDS, code)


def review(code: object) -> str:
    return _lookup(REVIEWS, code)


def audit_action(code: object) -> str:
    return AUDIT_ACTIONS.get(str(code), str(code))


def role(code: object) -> str:
    return _lookup(ROLES, code)


def event_kind(code: object) -> str:
    try:
        return EVENT_KINDS[EventKind(str(code))]
    except ValueError:
        return humane(code)


def event_source(kind: object) -> str:
    """Where an event of `kind` was noticed (never the detector's model or library name)."""
    try:
        return SOURCES[EventKind(str(kind)).source]
    except ValueError:
        return "Reported by the kiosk"


def engine(name: object) -> str:
    """Who scored, for HR: "offline-minilm" → "the on-device scorer (closeness of wording)",
    "gemini:gemini-2.5-flash" → "Gemini (gemini-2.5-flash)", as the PDF names it."""
    text = str(name or "")
    if text.startswith("gemini:"):
        return f"Gemini ({text.removeprefix('gemini:')})"
    if text == "offline-judge":
        return "the on-device judge"
    if text == "offline-minilm":
        return "the on-device scorer (closeness of wording)"
    if text.startswith("offline") or not text:
        return "the on-device scorer"
    return "another scorer"


def score(value: object, scale: int = SCORE_SCALE) -> str:
    """A score with its scale, always: 6.5 → "6.5 / 10"; none → "not scored"."""
    if value is None:
        return "not scored"
    number = float(value)  # type: ignore[arg-type]
    shown = f"{number:.1f}".rstrip("0").rstrip(".")
    return f"{shown} / {scale}"


def threshold(name: object) -> str:
    """A policy value's name in words: `min_face_seconds` → "Min face (seconds)"."""
    text = str(name)
    for suffix, unit in _THRESHOLD_UNITS:
        if text.endswith(suffix):
            return humane(text[: -len(suffix)]) + unit
    return humane(text)


def without_hashes(text: object) -> str:
    """`text` with every digest (`sha256:…`, long hex runs) taken out: HR checks nothing by one."""
    return _HASH.sub("", str(text or "")).strip()


def reason(text: object) -> str:
    """A kiosk's reason for a step, as the end of a sentence: no hashes, no bare codes."""
    cleaned = without_hashes(text).rstrip(" ;:.")
    if not cleaned:
        return ""
    return humane(cleaned) if _CODE.match(cleaned) else cleaned


def history(line: tuple[str, str, datetime, str]) -> str:
    """One line of a session's history as a sentence.

    A step to another state says what happened ("The interview began: interview started." reads
    badly, so a reason that only repeats the step is dropped); a note that kept the state (older
    kiosks wrote consent that way, with the notice's digest) becomes "Note: …".
    """
    before, after, _at, why = line
    words = reason(why)
    if before == after:
        return f"Note: {words}." if words else f"{STATE_EVENTS.get(after, humane(after))}."
    happened = STATE_EVENTS.get(after, f"The session moved on to “{state(after)}”")
    if not words or words.lower() in happened.lower():
        return happened + "."
    return f"{happened} ({words})."


_FACTS = {
    "name_matches": ("The name on the ID matches the booking", "The name on the ID does not match"),
    "face_matches": ("The face matches the ID photo", "The face does not match the ID photo"),
    "expired": ("The ID document has expired", "The ID document is in date"),
}


def id_fact(field: str, value: object) -> str:
    """A yes/no result of the identity check as a sentence, never "name matches: True"."""
    yes, no = _FACTS[field]
    return yes if bool(value) else no


def seconds(value: object) -> str:
    """A time in the interview: 75 → "1:15"."""
    total = max(0, round(float(value)))  # type: ignore[arg-type]
    return f"{total // 60}:{total % 60:02d}"


def counted(count: int, noun: str, plural: str = "") -> str:
    """"1 session", "3 sessions": a count with its noun, never "session(s)"."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


FILTERS = {
    "recommendation": recommendation,
    "state": state,
    "severity": severity,
    "integrity_level": integrity_level,
    "criterion": criterion,
    "question_kind": question_kind,
    "review": review,
    "audit_action": audit_action,
    "role": role,
    "event_kind": event_kind,
    "event_source": event_source,
    "engine": engine,
    "score": score,
    "threshold": threshold,
    "without_hashes": without_hashes,
    "history": history,
    "clock": seconds,
    "humane": humane,
    "counted": counted,
}


def register(env: Any) -> None:
    """Give a Jinja environment the glossary's filters (and `id_fact` as a global)."""
    env.filters.update(FILTERS)
    env.globals["id_fact"] = id_fact
    env.globals["SCORE_SCALE"] = SCORE_SCALE


__all__ = ["FILTERS", "SCORE_SCALE", "counted", "humane", "id_fact", "register"]
