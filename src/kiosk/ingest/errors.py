"""The one error ingestion raises: a message fit to show the invigilator as is."""

from __future__ import annotations

from enum import StrEnum


class ResumeProblem(StrEnum):
    """Why a document could not be read; the UI and tests branch on this, not on wording."""

    MISSING = "missing"
    EMPTY = "empty"
    TOO_LARGE = "too_large"
    TOO_LONG = "too_long"  # the file is small enough but its text is not a resume's length
    ENCRYPTED = "encrypted"
    NOT_A_PDF = "not_a_pdf"
    DAMAGED = "damaged"
    UNSUPPORTED = "unsupported"
    BINARY = "binary"
    NO_TEXT = "no_text"


class ResumeError(ValueError):
    """A resume or job description that cannot be used, with a specific, human message."""

    def __init__(self, problem: ResumeProblem, message: str) -> None:
        super().__init__(message)
        self.problem = problem


__all__ = ["ResumeError", "ResumeProblem"]
