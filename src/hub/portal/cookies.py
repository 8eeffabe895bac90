"""The portal's two cookies, always HttpOnly, SameSite=Strict and (outside tests) Secure.

`hub_session` holds a signed-in session's random id and nothing else (`hub.services.
portal_sessions`); `hub_anon` holds a random value the login form's CSRF token is derived from.
"""

from __future__ import annotations

from fastapi import Request, Response

from hub.security.csrf import ANON_COOKIE, SESSION_COOKIE, new_anon_seed


def _set(request: Request, response: Response, name: str, value: str) -> None:
    response.set_cookie(
        name,
        value,
        httponly=True,
        secure=request.app.state.hub.settings.cookie_secure,
        samesite="strict",
        path="/",
    )


def set_session_cookie(request: Request, response: Response, raw_id: str) -> None:
    _set(request, response, SESSION_COOKIE, raw_id)


def clear_session_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(
        SESSION_COOKIE,
        path="/",
        secure=request.app.state.hub.settings.cookie_secure,
        httponly=True,
        samesite="strict",
    )


def keep_anon_seed(request: Request, response: Response) -> None:
    """Send the pre-sign-in cookie when this request's page derived its tokens from a new one."""
    seed = new_anon_seed(request)
    if seed is not None:
        _set(request, response, ANON_COOKIE, seed)
