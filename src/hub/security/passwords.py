"""Portal passwords, hashed with argon2id (argon2-cffi's defaults follow RFC 9106)."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from hub.security.password_policy import check_password


@cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()


@cache
def _dummy_hash() -> str:
    return _hasher().hash("not-a-real-password-only-used-to-spend-the-same-time")


def hash_password(password: str, email: str = "") -> str:
    """The argon2id hash of `password`, after `check_password` (raises `WeakPasswordError`)."""
    check_password(password, email)
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password; with no hash (unknown user) spend the same time and say no."""
    try:
        return _hasher().verify(password_hash or _dummy_hash(), password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False
