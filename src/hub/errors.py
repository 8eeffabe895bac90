"""Failures the services raise; the API and the portal turn each into one HTTP status."""

from __future__ import annotations


class HubError(Exception):
    """An expected refusal whose message is safe to show to the caller."""

    status = 400
    #: Told apart from other refusals of the same status by machine (`ErrorBody.code`).
    code = ""


class NotAuthenticatedError(HubError):
    status = 401


class RedirectError(HubError):
    """The portal sends the browser elsewhere first (to the second factor, or to set one up)."""

    status = 303

    def __init__(self, message: str, location: str) -> None:
        super().__init__(message)
        self.location = location


class ForbiddenError(HubError):
    status = 403


class NotFoundError(HubError):
    status = 404


class ConflictError(HubError):
    status = 409


class GoneError(HubError):
    status = 410

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


class InvalidInputError(HubError):
    status = 422


class MissingBlobsError(ConflictError):
    """A batch refers to blobs the hub does not hold: the kiosk uploads them and retries."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__(f"{len(missing)} blob(s) must be uploaded before this batch")
        self.missing = missing


class RateLimitedError(HubError):
    status = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class PayloadTooLargeError(HubError):
    status = 413


class UnavailableError(HubError):
    """Something this hub is not set up to do (e.g. re-scoring without a Gemini key)."""

    status = 503
