"""Time-based one-time codes (RFC 6238) for the portal's second factor, through pyotp, and the
QR code an authenticator app scans, drawn by segno as SVG (no script, served as a file).

A code is accepted for the current 30-second step and one step either side (clocks drift), and
never twice: the step of the last accepted code is kept and a code of that step or an earlier
one is refused, so a code seen over a shoulder or in a proxy log cannot be replayed.
"""

from __future__ import annotations

import io
from datetime import datetime

import pyotp
import segno

ISSUER = "Interview Kiosk hub"
DIGITS = 6


def new_secret() -> str:
    """160 random bits, base32, as authenticator apps expect (RFC 4226's recommended length)."""
    return pyotp.random_base32(32)


def provisioning_uri(secret: str, account: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=ISSUER)


def accepted_step(secret: str, code: str, now: datetime, last_step: int | None) -> int | None:
    """The time step `code` belongs to when it is right and not used before, else None."""
    code = "".join(code.split())
    if len(code) != DIGITS or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in (current, current - 1, current + 1):
        if last_step is not None and step <= last_step:
            continue
        if totp.verify(code, for_time=step * totp.interval):
            return step
    return None


def qr_svg(uri: str) -> bytes:
    out = io.BytesIO()
    segno.make(uri, error="m").save(out, kind="svg", scale=4, border=2, xmldecl=False)
    return out.getvalue()
