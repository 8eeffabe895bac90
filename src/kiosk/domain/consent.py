"""The candidate's answer to the consent notice: agreed or declined, to which words, and when.

Consent is a record of its own (stored, synced to the hub, printed in the report), not a
lifecycle step: agreeing leads to the ID check, declining ends the session.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime

from contract.privacy import DataPolicy, policy_text
from kiosk.domain.model import SessionSettings

#: Which wording the candidate agreed to: bump it whenever the notice or the statement changes.
#: (Version 2: the "How long" paragraph is the session's data policy, in its own words.)
NOTICE_VERSION = "2"
_NOTICE = (
    "What is recorded: your voice answers and their transcripts, pictures of your ID card and "
    "your face for the identity check, and camera observations during the interview (for "
    "example, when no face or a second person is visible), with a still picture as evidence.\n\n"
    "Why: to assess your answers fairly and to confirm that the interview was taken by you, "
    "alone, under the test centre's rules.\n\n"
    "Who sees it: the hiring team for this role and, if a flag is raised, a reviewer. An "
    "automatic score is only a first view: people make every decision.\n\n"
    "Where it goes and how long it is kept:\n{policy}\n\n"
    "How it works: {count} questions are read aloud and shown on screen. You answer by speaking "
    "and have {minutes} per answer{extra}. Press Done when you have finished an answer. Captions "
    "of what you say are shown as you speak. You may ask the help panel to repeat or rephrase a "
    "question; it cannot give hints."
)


#: The separate, explicit biometric consent the candidate ticks under the notice.
BIOMETRIC_STATEMENT = (
    "I agree to the use of my face and voice (biometric data) for identity checks and "
    "proctoring, as described above."
)


def consent_notice(settings: SessionSettings, policy: DataPolicy) -> str:
    """The notice for a session: what is recorded, where it goes and how long it lives (the
    session's data policy in its own generated words), and how its interview works."""
    seconds = settings.answer_seconds()
    extra = (
        f" (this includes your agreed extra time of {settings.extra_time_percent}%)"
        if settings.extra_time_percent
        else ""
    )
    return _NOTICE.format(
        policy=policy_text(policy),
        count=settings.question_count,
        minutes=f"{seconds // 60} min {seconds % 60:02d} s",
        extra=extra,
    )


def notice_sha256(shown: str) -> str:
    """The digest stored with a consent: of the exact words shown, notice and statement."""
    return hashlib.sha256(shown.encode()).hexdigest()


def shown_text(settings: SessionSettings, policy: DataPolicy) -> str:
    """Notice and statement as the consent screen shows them (for a consent given elsewhere)."""
    return f"{consent_notice(settings, policy)}\n\n{BIOMETRIC_STATEMENT}"


_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_VERSION = re.compile(r"^[0-9A-Za-z._-]{1,40}$")


@dataclass(frozen=True, slots=True)
class Consent:
    #: Which wording of the notice was shown (bumped whenever the wording changes).
    notice_version: str
    #: sha256 of the exact text shown, numbers and all, so the words can be proven later.
    notice_sha256: str
    #: The separate, explicit consent to face and voice (biometric) processing.
    biometric: bool
    at: datetime
    #: False when the candidate declined: the session ends, and the refusal is the record.
    agreed: bool = True
    #: sha256 of the data policy's words in the notice (`contract.privacy.policy_digest`): which
    #: promise about where the data goes and how long it lives the candidate was given.
    policy_sha256: str = ""

    def __post_init__(self) -> None:
        if not _VERSION.match(self.notice_version):
            raise ValueError(
                f"a consent notice version is 1-40 letters, digits, dots, dashes or underscores, "
                f"not {self.notice_version!r}"
            )
        if not _SHA256.match(self.notice_sha256):
            raise ValueError(
                f"a consent notice hash is a lower-case hex sha256 (64 characters), not "
                f"{self.notice_sha256!r}"
            )
        if self.policy_sha256 and not _SHA256.match(self.policy_sha256):
            raise ValueError(
                f"a data policy digest is a lower-case hex sha256, not {self.policy_sha256!r}"
            )
        if self.at.tzinfo is None:
            raise ValueError("the time of the consent answer must be timezone-aware (UTC)")
        if self.biometric and not self.agreed:
            raise ValueError("a declined consent cannot include biometric processing")


__all__ = [
    "BIOMETRIC_STATEMENT",
    "NOTICE_VERSION",
    "Consent",
    "consent_notice",
    "notice_sha256",
    "shown_text",
]
