"""The device check's outcome: what the camera, the microphone and the speakers showed.

The check decides whether the interview may start, so it is a domain rule, not a screen's: the
camera must have shown a face, the microphone must have heard the candidate, and the candidate
must say they heard the test sentence. A check that falls short passes only with an invigilator
override that names who decided and why, and that decision is part of the record.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class SpeakerCheck(StrEnum):
    HEARD = "heard"  # the test sentence played and the candidate said they heard it
    NOT_HEARD = "not_heard"  # it played, and the candidate said they did not hear it
    NOT_PLAYED = "not_played"  # no sound could be played (no output device, or it failed)


@dataclass(frozen=True, slots=True)
class DeviceCheck:
    face_seen: bool
    microphone_heard: bool
    speakers: SpeakerCheck
    override_reason: str = ""
    overridden_by: str = ""

    def __post_init__(self) -> None:
        if bool(self.override_reason.strip()) != bool(self.overridden_by.strip()):
            raise ValueError("an invigilator override needs both a reason and a name")

    @property
    def problems(self) -> tuple[str, ...]:
        """What fell short, in words for the record."""
        found = []
        if not self.face_seen:
            found.append("the camera did not show the candidate's face")
        if not self.microphone_heard:
            found.append("the microphone did not hear the candidate")
        if self.speakers is SpeakerCheck.NOT_HEARD:
            found.append("the candidate did not hear the test sentence")
        elif self.speakers is SpeakerCheck.NOT_PLAYED:
            found.append("the test sentence could not be played")
        return tuple(found)

    @property
    def overridden(self) -> bool:
        return bool(self.override_reason.strip())

    @property
    def passed(self) -> bool:
        return not self.problems or self.overridden

    def describe(self) -> str:
        """One sentence for the session's history."""
        if not self.problems:
            return (
                "Devices checked: the camera showed a face, the microphone heard the candidate "
                "and the candidate heard the test sentence"
            )
        shortfalls = "; ".join(self.problems)
        if self.overridden:
            return (
                f"Devices accepted by the invigilator {self.overridden_by} although {shortfalls} "
                f"(reason: {self.override_reason})"
            )
        return f"Device check not passed: {shortfalls}"


__all__ = ["DeviceCheck", "SpeakerCheck"]
