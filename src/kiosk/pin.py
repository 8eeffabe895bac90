"""The invigilator PIN: an argon2 hash in the settings, checked in constant time.

Every screen that needs the invigilator (start, override, panel, closing) asks through one
checker, built once at start-up; a kiosk without a PIN does not start.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from kiosk.settings import KioskSettings


class PinNotConfiguredError(RuntimeError):
    pass


def pin_checker(settings: KioskSettings) -> Callable[[str], bool]:
    """A constant-time PIN check; raises when no PIN is configured (a kiosk must have one)."""
    if settings.invigilator_pin_hash is not None:
        hashed = settings.invigilator_pin_hash.get_secret_value()
        hasher = PasswordHasher()

        def check_hash(pin: str) -> bool:
            try:
                return hasher.verify(hashed, pin)
            except (VerificationError, InvalidHashError):
                return False

        return check_hash
    if settings.invigilator_pin is not None:
        expected = hashlib.sha256(settings.invigilator_pin.get_secret_value().encode()).digest()
        return lambda pin: hmac.compare_digest(hashlib.sha256(pin.encode()).digest(), expected)
    raise PinNotConfiguredError(
        "no invigilator PIN is configured: set KIOSK_INVIGILATOR_PIN_HASH to the output of "
        "`kiosk app --hash-pin`"
    )


def hash_pin(pin: str) -> str:
    return PasswordHasher().hash(pin)
