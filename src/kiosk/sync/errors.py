"""What can go wrong talking to the hub, each with a message an operator can act on.

`retryable` tells whether waiting can help (the hub is down, or answered nonsense) or a person
must act (the token was revoked); either way nothing is lost: an outbox row is marked sent only
after the hub acknowledged it. Which refusals quarantine an entry instead of stalling the queue
is decided in `kiosk.sync.refusals`.
"""

from __future__ import annotations


class HubError(RuntimeError):
    retryable = True


class HubNotConfiguredError(HubError):
    """No hub URL or no device token: the kiosk works offline and its queue grows."""

    retryable = False


class HubNotEnrolledError(HubNotConfiguredError):
    """A hub is configured but this kiosk holds no device token: `kiosk enrol CODE` first."""


class HubUnavailableError(HubError):
    """The hub could not be reached, timed out, or failed (5xx)."""


class HubProtocolError(HubError):
    """The hub answered something that is not the sync API (HTML, wrong JSON)."""


class HubAuthError(HubError):
    """The hub refused the device token (revoked, or never issued)."""

    retryable = False


class EnrolmentCodeRefusedError(HubError):
    """The hub did not accept an enrolment code (mistyped, already used or expired). At
    enrolment the kiosk has no token yet, so the hub's 401 is about the code, not a token."""

    retryable = False


class HubRejectedError(HubError):
    """The hub refused the request itself (4xx); the message is the hub's reason."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class HubNotFoundError(HubRejectedError):
    pass


class HubGoneError(HubRejectedError):
    """410: what was asked for is no longer available; `code` says why (a `GoneReason`)."""

    def __init__(self, message: str, status: int, *, code: str = "") -> None:
        super().__init__(message, status)
        self.code = code


class HubRateLimitedError(HubRejectedError):
    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message, 429)
        self.retry_after = retry_after


class MissingBlobsError(HubRejectedError):
    def __init__(self, message: str, missing: list[str]) -> None:
        super().__init__(message, 409)
        self.missing = missing
