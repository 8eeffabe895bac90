"""The candidate's consent: what they agreed to (which notice, biometric processing) and when.

Consent is not a lifecycle step (ID verification follows from it), so it is kept as a note in the
session's state history: a change from `opened` to `opened` whose reason is `to_note(...)`. The
history and its outbox entries already reach the hub (a `session.state` entry, shown in the hub's
session history), so consent needs no table, migration or wire change. The note is the record:
`from_note` reads it back, and refuses nothing it did not write (it returns None instead).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_VERSION = re.compile(r"^[0-9A-Za-z._-]{1,40}$")
_NOTE = re.compile(
    r"^consent given: notice (?P<version>\S+) sha256:(?P<sha256>[0-9a-f]{64}); "
    r"biometric processing (?P<biometric>agreed|not agreed)$"
)


@dataclass(frozen=True, slots=True)
class Consent:
    #: Which wording of the notice was shown (bumped whenever the wording changes).
    notice_version: str
    #: sha256 of the exact text shown, numbers and all, so the words can be proven later.
    notice_sha256: str
    #: The separate, explicit consent to face and voice (biometric) processing.
    biometric: bool
    given_at: datetime

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
        if self.given_at.tzinfo is None:
            raise ValueError("the time consent was given must be timezone-aware (UTC)")

    def to_note(self) -> str:
        """The state-history reason that records this consent (its time is the row's time)."""
        agreed = "agreed" if self.biometric else "not agreed"
        return (
            f"consent given: notice {self.notice_version} sha256:{self.notice_sha256}; "
            f"biometric processing {agreed}"
        )


def from_note(reason: str, at: datetime) -> Consent | None:
    """The consent a state-history note records, or None for any other note."""
    match = _NOTE.match(reason)
    if match is None:
        return None
    return Consent(
        notice_version=match["version"],
        notice_sha256=match["sha256"],
        biometric=match["biometric"] == "agreed",
        given_at=at,
    )


__all__ = ["Consent", "from_note"]
