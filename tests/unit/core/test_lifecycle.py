import itertools

import pytest

from kiosk.domain.lifecycle import (
    TERMINAL,
    TRANSITIONS,
    IllegalTransitionError,
    SessionState,
    next_state,
)

S = SessionState
LEGAL = {
    (S.CREATED, S.OPENED),
    (S.OPENED, S.ID_VERIFIED),
    (S.ID_VERIFIED, S.DEVICES_CHECKED),
    (S.DEVICES_CHECKED, S.IN_PROGRESS),
    (S.IN_PROGRESS, S.COMPLETED),
    (S.COMPLETED, S.REPORTED),
    (S.REPORTED, S.SYNCED),
    (S.CREATED, S.ABORTED),
    (S.OPENED, S.ABORTED),
    (S.ID_VERIFIED, S.ABORTED),
    (S.DEVICES_CHECKED, S.ABORTED),
    (S.IN_PROGRESS, S.ABORTED),
    (S.CREATED, S.EXPIRED),
    (S.OPENED, S.EXPIRED),
    (S.ID_VERIFIED, S.EXPIRED),
    (S.DEVICES_CHECKED, S.EXPIRED),
}


def test_the_table_is_exactly_the_documented_lifecycle() -> None:
    table = {(a, b) for a, targets in TRANSITIONS.items() for b in targets}
    assert table == LEGAL
    assert set(TRANSITIONS) == set(SessionState)
    assert {S.SYNCED, S.ABORTED, S.EXPIRED} == TERMINAL


@pytest.mark.parametrize(("current", "target"), sorted(LEGAL))
def test_every_legal_transition_is_allowed(current: S, target: S) -> None:
    assert next_state(current, target) is target


ILLEGAL = sorted(set(itertools.product(SessionState, SessionState)) - LEGAL)


@pytest.mark.parametrize(("current", "target"), ILLEGAL)
def test_every_illegal_transition_raises_a_clear_error(current: S, target: S) -> None:
    with pytest.raises(IllegalTransitionError) as raised:
        next_state(current, target)
    message = str(raised.value)
    assert f"is {current.value} cannot become {target.value}" in message
    assert "allowed next states" in message
