"""An organisation's data policy: the settings that decide where a candidate's data goes and how
long it lives, and the words the candidate is told, generated from those same settings.

The hub keeps one policy per organisation and sends it in every session pack; the kiosk stores
it with the session, enforces it (what it uploads, when it erases) and shows `policy_text` on
the consent screen and in the PDF. Because the words are computed from the fields that are
enforced, changing a setting changes the sentence: they cannot drift apart. `policy_digest` (the
sha256 of the words) is stored with the candidate's consent, so which promise they agreed to can
be proven later.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Final

#: How answer audio travels to the hub when a policy sends it: FLAC, lossless, 0.42 of the 16-bit
#: WAV the kiosk records on the bundled demo answers (0.81 MB instead of 1.92 MB a minute).
AUDIO_UPLOAD_FORMAT: Final = "FLAC"
MAX_KIOSK_DAYS: Final = 365
MAX_HUB_DAYS: Final = 3650


class DataPolicyError(ValueError):
    """A data policy setting out of its range; the message names the setting and the range."""


@dataclass(frozen=True, slots=True)
class DataPolicy:
    #: Who receives the data on the hub (the organisation's name), for the candidate's words.
    organisation: str = ""
    #: Answer recordings go to the hub (compressed, FLAC) only when this is on.
    send_answer_audio: bool = False
    #: Days the kiosk keeps a session's personal data after the hub confirmed receipt of all of
    #: it (0: erased at the first retention pass after the confirmation).
    kiosk_days_after_sync: int = 7
    #: Days the hub keeps personal data before purging it (None: until HR deletes it).
    hub_retention_days: int | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.kiosk_days_after_sync <= MAX_KIOSK_DAYS:
            raise DataPolicyError(
                f"the kiosk keeps data 0 to {MAX_KIOSK_DAYS} days after the hub has it, not "
                f"{self.kiosk_days_after_sync}"
            )
        if self.hub_retention_days is not None and not 1 <= self.hub_retention_days <= MAX_HUB_DAYS:
            raise DataPolicyError(
                f"the hub keeps data 1 to {MAX_HUB_DAYS} days (or until deleted), not "
                f"{self.hub_retention_days}"
            )


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


def policy_text(policy: DataPolicy) -> str:
    """The candidate's words for `policy`: what stays on the kiosk, what goes to the hub, and
    for how long each lives. Every clause comes from a field that the kiosk or the hub enforces."""
    employer = policy.organisation.strip() or "the employer"
    kept = (
        "at once" if policy.kiosk_days_after_sync == 0 else
        f"{_days(policy.kiosk_days_after_sync)} later"
    )
    on_kiosk = (
        "On this kiosk: your voice recordings, their transcripts, the pictures of your ID card "
        "and face, the camera stills, your resume and the report are kept until they have "
        f"safely reached {employer}'s hiring system, then erased {kept}. Only an anonymous "
        "record that a session took place is left."
    )
    if policy.send_answer_audio:
        audio = (
            f"Your voice recordings are sent too, compressed ({AUDIO_UPLOAD_FORMAT}, no loss of "
            "quality), and the hiring team can listen to them."
        )
    else:
        audio = (
            "Your voice recordings are not sent: they stay on this kiosk only, and are erased "
            "with the rest."
        )
    sent = (
        f"Sent to {employer}'s hiring system: your name, resume, the transcripts of your "
        "answers and their scores, the ID check result with its two pictures, the camera "
        f"observations with their stills, and the report. {audio}"
    )
    if policy.hub_retention_days is None:
        lasts = (
            f"{employer} keeps them until it deletes them; you may ask for them to be deleted at "
            "any time."
        )
    else:
        lasts = (
            f"{employer} keeps them for {_days(policy.hub_retention_days)}, then erases them; you "
            "may ask for them to be deleted sooner."
        )
    return f"{on_kiosk}\n\n{sent} {lasts} A deletion there also erases this kiosk's copy."


def policy_digest(policy: DataPolicy) -> str:
    """sha256 of the policy's words: what a consent record refers to."""
    return hashlib.sha256(policy_text(policy).encode()).hexdigest()


__all__ = [
    "AUDIO_UPLOAD_FORMAT",
    "DataPolicy",
    "DataPolicyError",
    "policy_digest",
    "policy_text",
]
