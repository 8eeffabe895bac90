"""Session keys an invigilator can type: 80 random bits, Crockford base32, one check symbol.

The format is part of the wire contract (the hub prints keys, kiosks read them), so it lives in
`kiosk.wire`, the one module the hub may import; the domain re-exports it under its old name.
"""

from __future__ import annotations

from kiosk.wire import (
    ALPHABET,
    ENTROPY_BITS,
    PAYLOAD_SYMBOLS,
    SessionKeyError,
    is_valid_session_key,
    new_session_key,
    normalise_session_key,
)

__all__ = [
    "ALPHABET",
    "ENTROPY_BITS",
    "PAYLOAD_SYMBOLS",
    "SessionKeyError",
    "is_valid_session_key",
    "new_session_key",
    "normalise_session_key",
]
