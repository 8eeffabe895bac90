"""Session keys an invigilator can type: the format the hub prints and every kiosk reads.

80 random bits as sixteen Crockford base32 symbols plus a Luhn mod-32 check symbol, which catches
every single mistyped symbol and most swapped neighbours before any lookup is made. Crockford's
alphabet has no I, L, O or U; reading accepts the look-alikes (I/L -> 1, O -> 0), lower case,
spaces and hyphens. Printed as `XXXX-XXXX-XXXX-XXXX-C`.
"""

from __future__ import annotations

import secrets
from typing import Final

ALPHABET: Final = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PAYLOAD_SYMBOLS: Final = 16
ENTROPY_BITS: Final = PAYLOAD_SYMBOLS * 5
SESSION_KEY_PATTERN: Final = r"^([0-9A-HJKMNP-TV-Z]{4}-){4}[0-9A-HJKMNP-TV-Z]$"
_VALUE = {symbol: index for index, symbol in enumerate(ALPHABET)}
_LOOKALIKES = str.maketrans({"I": "1", "L": "1", "O": "0"})


class SessionKeyError(ValueError):
    """The text is not a well-formed session key; the message says what is wrong."""


def _check_symbol(payload: str) -> str:
    """Luhn mod N over the base32 values, N = 32."""
    total = 0
    factor = 2
    for symbol in reversed(payload):
        addend = factor * _VALUE[symbol]
        total += addend // 32 + addend % 32
        factor = 1 if factor == 2 else 2
    return ALPHABET[(32 - total % 32) % 32]


def _group(raw: str) -> str:
    return (
        "-".join(raw[i : i + 4] for i in range(0, PAYLOAD_SYMBOLS, 4)) + "-" + raw[PAYLOAD_SYMBOLS:]
    )


def new_session_key() -> str:
    """A fresh key, formatted for printing on a slip."""
    payload = "".join(secrets.choice(ALPHABET) for _ in range(PAYLOAD_SYMBOLS))
    return _group(payload + _check_symbol(payload))


def normalise_session_key(text: str) -> str:
    """Return the canonical printed form of `text`, or raise `SessionKeyError` saying why."""
    raw = "".join(text.split()).replace("-", "").upper().translate(_LOOKALIKES)
    if not raw:
        raise SessionKeyError("the session key is empty")
    invalid = sorted({c for c in raw if c not in _VALUE})
    if invalid:
        raise SessionKeyError(
            f"the session key contains characters that are never used: {''.join(invalid)}"
        )
    if len(raw) != PAYLOAD_SYMBOLS + 1:
        raise SessionKeyError(
            f"a session key has {PAYLOAD_SYMBOLS + 1} characters (not counting dashes); "
            f"this one has {len(raw)}"
        )
    payload, check = raw[:PAYLOAD_SYMBOLS], raw[PAYLOAD_SYMBOLS]
    if _check_symbol(payload) != check:
        raise SessionKeyError("the session key has a typo: its check character does not match")
    return _group(raw)


def is_valid_session_key(text: str) -> bool:
    try:
        normalise_session_key(text)
    except SessionKeyError:
        return False
    return True


__all__ = [
    "ALPHABET",
    "ENTROPY_BITS",
    "PAYLOAD_SYMBOLS",
    "SESSION_KEY_PATTERN",
    "SessionKeyError",
    "is_valid_session_key",
    "new_session_key",
    "normalise_session_key",
]
