"""Fetch one session pack by key, on demand: a key HR made minutes ago that the background pull
has not brought yet, or a pack another kiosk started before it failed (a restart).

Every way this can fail becomes one `PackPullError` whose `problem` says which, worded for the
invigilator who typed the key: the start screen shows it as it is, and offers a restart only for
`PullProblem.STARTED`. The kiosk's own copy always wins: a key already on the kiosk is never
asked of the hub, so a session started here is never replaced.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime
from enum import StrEnum

from contract.sessionkey import normalise_session_key
from contract.wire import GoneReason
from kiosk.domain.model import InterviewSession
from kiosk.sessions import SessionService, UnknownSessionKeyError
from kiosk.storage.unit_of_work import UnitOfWork
from kiosk.sync.client import HubClient
from kiosk.sync.errors import (
    HubAuthError,
    HubError,
    HubGoneError,
    HubNotEnrolledError,
    HubNotFoundError,
    HubRateLimitedError,
    HubRejectedError,
)
from kiosk.sync.hooks import WriteHook, write_here
from kiosk.sync.packs import ImportedPack, PackExpiredError, import_pack


class PullProblem(StrEnum):
    UNREACHABLE = "hub unreachable"  # down, timed out, answered nonsense, or no hub configured
    NOT_ENROLLED = "not enrolled"  # no device token, or the hub refused it
    UNKNOWN = "unknown key"  # 404: no such key for this organisation
    EXPIRED = "expired"  # 410 expired on the hub, or expired by the time it arrived
    STARTED = "started elsewhere"  # 410: another kiosk started it; a restart may be asked for
    RATE_LIMITED = "rate limited"  # 429: too many unknown keys from this kiosk or address
    OVER = "over"  # 410: the session was completed or aborted: no kiosk may take it again
    REFUSED = "refused"  # any other refusal


class PackPullError(RuntimeError):
    def __init__(self, problem: PullProblem, message: str, retry_after: float = 0.0) -> None:
        super().__init__(message)
        self.problem = problem
        #: Seconds the hub asked to wait (rate limited only).
        self.retry_after = retry_after

    @classmethod
    def because(cls, key: str, error: HubError | PackExpiredError) -> PackPullError:
        """The failure to fetch `key`, worded for the person who typed it."""
        missing = f"no session with key {key} on this kiosk"
        if isinstance(error, HubNotEnrolledError | HubAuthError):
            return cls(
                PullProblem.NOT_ENROLLED,
                f"{missing}, and this kiosk cannot ask the hub for it: {error}",
            )
        if isinstance(error, PackExpiredError):
            return cls(PullProblem.EXPIRED, f"{error}; ask HR to issue a new session")
        if isinstance(error, HubRateLimitedError):
            wait = max(1, math.ceil(error.retry_after))
            return cls(
                PullProblem.RATE_LIMITED,
                f"{missing}, and the hub is refusing key look-ups from here for now (too many "
                f"unknown keys were tried): try again in {wait} s",
                error.retry_after,
            )
        if isinstance(error, HubNotFoundError):
            return cls(
                PullProblem.UNKNOWN,
                f"{missing} or on the hub ({error}): check the key on the candidate's slip",
            )
        if isinstance(error, HubGoneError) and error.code == GoneReason.STARTED:
            return cls(
                PullProblem.STARTED,
                f"{error}. If the candidate's interview stopped there (that kiosk failed), you "
                f"may start another attempt on this kiosk; HR sees both attempts",
            )
        if isinstance(error, HubGoneError):
            expired = error.code == GoneReason.EXPIRED
            problem = PullProblem.EXPIRED if expired else PullProblem.OVER
            return cls(problem, f"{error}; ask HR to issue a new session")
        if isinstance(error, HubRejectedError):
            return cls(PullProblem.REFUSED, f"the hub did not send session {key}: {error}")
        # no hub configured, or down, timed out, or answering something that is not the hub
        return cls(PullProblem.UNREACHABLE, f"{missing}, and the hub cannot be reached: {error}")


def pull_pack(
    service: SessionService,
    hub: Callable[[], HubClient],
    key_text: str,
    *,
    restart: bool = False,
    write: WriteHook = write_here,
    now: datetime | None = None,
) -> ImportedPack:
    """The session for a typed key: the kiosk's own, or else the hub's pack, imported through
    `write` (the app's serial writer). `restart` asks for a pack another kiosk started.

    `hub` gives the client (or raises `HubNotConfiguredError`); it is called only when the key
    is not on the kiosk, so an offline kiosk still finds its own sessions.

    `SessionKeyError` for a malformed key (nothing is asked of the hub), `PackPullError` for
    anything else; a failure creates nothing on the kiosk.
    """
    key = normalise_session_key(key_text)
    with UnitOfWork(service.database) as uow:
        existing = uow.sessions.get_by_key(key)
    if existing is not None:
        return ImportedPack(existing, created=False)
    try:
        pack = hub().pack(key, restart=restart)
        imported: ImportedPack = write(import_pack, service, pack, now)
    except (HubError, PackExpiredError) as error:
        raise PackPullError.because(key, error) from error
    return imported


def open_or_pull(
    service: SessionService,
    hub: Callable[[], HubClient],
    key_text: str,
    *,
    restart: bool = False,
    write: WriteHook = write_here,
) -> InterviewSession:
    """Open the session for a typed key: the kiosk's own, or the hub's pack pulled on the spot.

    The one use case behind the start screen: every write goes through `write` (the serial
    writer), the network call does not, so it runs on a worker. A restart always asks the hub.
    """
    if not restart:
        try:
            opened: InterviewSession = write(service.open, key_text)
            return opened
        except UnknownSessionKeyError:
            pass
    imported = pull_pack(service, hub, key_text, restart=restart, write=write)
    session: InterviewSession = write(service.open, imported.session.session_key)
    return session
