"""Device tokens and enrolment codes: random, shown once, stored only as sha256 digests.

Both carry at least 128 bits (tokens) or 60 bits with a short life and a rate limit (codes), so
a fast digest is enough to store them: unlike passwords they cannot be guessed from a list.
"""

from __future__ import annotations

import hashlib
import secrets

_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"  # no 0/O, 1/I/L: read aloud over the phone
CODE_SYMBOLS = 12
TOKEN_PREFIX = "hk_"


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_device_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def new_enrolment_code() -> str:
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(CODE_SYMBOLS))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_SYMBOLS, 4))


def normalise_enrolment_code(text: str) -> str:
    """The canonical form of a typed code (case, spaces and dashes do not matter)."""
    raw = "".join(text.split()).replace("-", "").upper()
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))
