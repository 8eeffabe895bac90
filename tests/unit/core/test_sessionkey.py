import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contract.sessionkey import (
    ALPHABET,
    ENTROPY_BITS,
    SessionKeyError,
    is_valid_session_key,
    new_session_key,
    normalise_session_key,
)

KEY_FORMAT = re.compile(r"^([0-9A-HJKMNP-TV-Z]{4}-){4}[0-9A-HJKMNP-TV-Z]$")


def test_new_keys_are_typeable_and_carry_at_least_80_bits() -> None:
    keys = {new_session_key() for _ in range(2000)}
    assert len(keys) == 2000
    assert ENTROPY_BITS >= 80
    assert all(KEY_FORMAT.match(k) for k in keys)
    assert all(is_valid_session_key(k) for k in keys)


def test_reading_accepts_lower_case_spaces_and_lookalikes() -> None:
    key = new_session_key()
    sloppy = key.lower().replace("-", " ").replace("1", "l").replace("0", "o")
    assert normalise_session_key(sloppy) == key


@given(st.integers(min_value=0, max_value=16), st.sampled_from(ALPHABET))
def test_every_single_symbol_typo_is_caught(position: int, replacement: str) -> None:
    key = new_session_key().replace("-", "")
    if key[position] == replacement:
        return
    typo = key[:position] + replacement + key[position + 1 :]
    with pytest.raises(SessionKeyError, match="typo"):
        normalise_session_key(typo)


def test_adjacent_swaps_are_mostly_caught() -> None:
    caught = total = 0
    for _ in range(300):
        raw = new_session_key().replace("-", "")
        for i in range(len(raw) - 1):
            if raw[i] == raw[i + 1]:
                continue
            swapped = raw[:i] + raw[i + 1] + raw[i] + raw[i + 2 :]
            total += 1
            caught += not is_valid_session_key(swapped)
    assert caught / total > 0.95


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("ABCD-EFGH", "17 characters"),
        ("ABCD-EFGH-JKMN-PQRS-TU", "never used"),
        ("ABCD-EFGH-JKMN-PQRS-T!", "never used"),
    ],
)
def test_malformed_keys_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(SessionKeyError, match=message):
        normalise_session_key(text)
