"""What a portal password must be: long enough, not a common password, not the account's name.

Length is what makes a password hard to guess (NIST SP 800-63B): at least MIN_LENGTH characters
and no composition rules. A password on the list of common ones shipped with the hub
(`common-passwords.txt.gz`, see its NOTICE), or that is one once case, spaces and separators are
dropped, is refused, since password-spraying tools try those first; so is one built from the
user's own e-mail address.
"""

from __future__ import annotations

import gzip
import re
from functools import cache
from importlib.resources import files

MIN_LENGTH = 12
MAX_LENGTH = 1000
_SEPARATORS = re.compile(r"[\s._\-]+")


class WeakPasswordError(ValueError):
    """The password breaks the policy; the message says how, for the person choosing it."""


@cache
def common_passwords() -> frozenset[str]:
    data = files("hub.security").joinpath("common-passwords.txt.gz").read_bytes()
    return frozenset(gzip.decompress(data).decode("utf-8").split())


def _forms(text: str) -> set[str]:
    lowered = text.lower()
    return {lowered, _SEPARATORS.sub("", lowered)}


def check_password(password: str, email: str = "") -> None:
    """Raise `WeakPasswordError` unless `password` may be used for the account `email`."""
    if len(password) < MIN_LENGTH:
        raise WeakPasswordError(
            f"a password needs at least {MIN_LENGTH} characters; a few words make a good one"
        )
    if len(password) > MAX_LENGTH:
        raise WeakPasswordError(f"a password has at most {MAX_LENGTH} characters")
    forms = _forms(password)
    if len(set(password)) < 4:
        raise WeakPasswordError("that password repeats too few characters to be hard to guess")
    if forms & common_passwords():
        raise WeakPasswordError(
            "that password is on a list of common passwords that attackers try first; "
            "choose another"
        )
    address = email.strip().lower()
    name = _SEPARATORS.sub("", address.split("@", 1)[0])
    in_password = address and any(address in form for form in forms)
    if in_password or (len(name) >= 4 and any(name in form for form in forms)):
        raise WeakPasswordError("a password may not contain your e-mail address or its name")
