"""CSRF tokens for every portal form: one random token per browser session, checked on POST.

The token lives in the signed session cookie and in a hidden form field; a cross-site form can
send the cookie but cannot read the token, so its POST is refused.
"""

from __future__ import annotations

import secrets

from fastapi import HTTPException, Request, status

SESSION_FIELD = "csrf"


def csrf_token(request: Request) -> str:
    token = request.session.get(SESSION_FIELD)
    if not token:
        token = secrets.token_urlsafe(32)
        request.session[SESSION_FIELD] = token
    return str(token)


def check_csrf(request: Request, submitted: str) -> None:
    expected = request.session.get(SESSION_FIELD)
    if not expected or not secrets.compare_digest(str(expected), submitted or ""):
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            "the form has expired or did not come from this site; reload the page and try again",
        )
