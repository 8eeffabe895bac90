"""CSRF tokens for every portal form, derived from the browser's own cookie, checked on POST.

The token is an HMAC, under a key derived from HUB_SECRET_KEY, of the random id in the browser's
session cookie (or, before sign-in, of a random pre-sign-in cookie): a cross-site form can make
the browser send the cookie but cannot read the token, so its POST is refused. Nothing is stored:
every hub process sharing the secret key derives the same token. A new session id at sign-in
means new tokens.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from fastapi import HTTPException, Request, status

SESSION_COOKIE = "hub_session"
#: The pre-sign-in cookie: a random value the login form's token is derived from.
ANON_COOKIE = "hub_anon"


def _key(request: Request) -> bytes:
    secret = request.app.state.signing_key.get_secret_value().encode()
    return hmac.new(secret, b"hub portal csrf", hashlib.sha256).digest()


def csrf_seed(request: Request) -> str:
    """The cookie value this browser's tokens derive from; a new pre-sign-in value (to be set
    as ANON_COOKIE by the response, see `new_anon_seed`) when it has none."""
    found = request.cookies.get(SESSION_COOKIE) or request.cookies.get(ANON_COOKIE)
    if found:
        return found
    seed = getattr(request.state, "anon_seed", None)
    if seed is None:
        seed = request.state.anon_seed = secrets.token_urlsafe(32)
    return str(seed)


def new_anon_seed(request: Request) -> str | None:
    """The pre-sign-in value `csrf_seed` made up for this request, if it did."""
    seed = getattr(request.state, "anon_seed", None)
    return str(seed) if seed else None


def csrf_token(request: Request) -> str:
    return hmac.new(_key(request), csrf_seed(request).encode(), hashlib.sha256).hexdigest()


def check_csrf(request: Request, submitted: str) -> None:
    seed = request.cookies.get(SESSION_COOKIE) or request.cookies.get(ANON_COOKIE)
    expected = hmac.new(_key(request), (seed or "").encode(), hashlib.sha256).hexdigest()
    if not seed or not secrets.compare_digest(expected, submitted or ""):
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            "the form has expired or did not come from this site; reload the page and try again",
        )
