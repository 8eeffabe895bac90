"""The interview session's state machine: the only place that says which step may follow which."""

from __future__ import annotations

from enum import StrEnum


class SessionState(StrEnum):
    CREATED = "created"
    OPENED = "opened"
    ID_VERIFIED = "id_verified"
    DEVICES_CHECKED = "devices_checked"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    REPORTED = "reported"
    SYNCED = "synced"
    ABORTED = "aborted"
    EXPIRED = "expired"


_S = SessionState

TRANSITIONS: dict[SessionState, frozenset[SessionState]] = {
    _S.CREATED: frozenset({_S.OPENED, _S.ABORTED, _S.EXPIRED}),
    _S.OPENED: frozenset({_S.ID_VERIFIED, _S.ABORTED, _S.EXPIRED}),
    _S.ID_VERIFIED: frozenset({_S.DEVICES_CHECKED, _S.ABORTED, _S.EXPIRED}),
    _S.DEVICES_CHECKED: frozenset({_S.IN_PROGRESS, _S.ABORTED, _S.EXPIRED}),
    # once the interview has begun, a key's expiry no longer ends it: only an abort does
    _S.IN_PROGRESS: frozenset({_S.COMPLETED, _S.ABORTED}),
    _S.COMPLETED: frozenset({_S.REPORTED}),
    _S.REPORTED: frozenset({_S.SYNCED}),
    _S.SYNCED: frozenset(),
    _S.ABORTED: frozenset(),
    _S.EXPIRED: frozenset(),
}

TERMINAL = frozenset(state for state, targets in TRANSITIONS.items() if not targets)


class IllegalTransitionError(RuntimeError):
    """A step was asked for that the lifecycle does not allow from the current state."""

    def __init__(self, current: SessionState, target: SessionState) -> None:
        allowed = ", ".join(sorted(TRANSITIONS[current])) or "none: the session is finished"
        super().__init__(
            f"a session that is {current.value} cannot become {target.value} "
            f"(allowed next states: {allowed})"
        )
        self.current = current
        self.target = target


def next_state(current: SessionState, target: SessionState) -> SessionState:
    """Return `target` if the lifecycle allows it from `current`, else raise."""
    if target not in TRANSITIONS[current]:
        raise IllegalTransitionError(current, target)
    return target
