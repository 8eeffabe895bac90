"""The portal's error page, and the form errors that show a form again instead of it.

A form a person filled in is never answered with an error page alone: the route catches
`FORM_ERRORS`, renders the same page with the message next to what was wrong and the input kept
(never a file or a password). Everything else (no such session, a role that may not, a body far
too large, no such page) gets `error_page`, an HTML page with the status.
"""

from __future__ import annotations

from http import HTTPStatus

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse

from hub.errors import (
    ConflictError,
    ForbiddenError,
    HubError,
    InvalidInputError,
    PayloadTooLargeError,
    UnavailableError,
)
from hub.portal.cookies import keep_anon_seed
from hub.portal.deps import templates
from hub.security.csrf import SESSION_COOKIE, check_csrf, csrf_token
from hub.services.portal_sessions import SIGNED_IN
from hub.views import PortalUser


class CsrfError(ForbiddenError):
    """A form without this browser session's token: shown again, with a fresh token."""


class FieldErrors(InvalidInputError):
    """Several problems with one form, each by the name of its field."""

    def __init__(self, fields: dict[str, str], status: int = 422) -> None:
        super().__init__("Nothing was saved: please correct the marked fields.")
        self.fields = fields
        self.status = status


#: Refusals about what was typed or the state it met: the form comes back with them.
FORM_ERRORS = (InvalidInputError, ConflictError, PayloadTooLargeError, UnavailableError, CsrfError)
CSRF_MESSAGE = (
    "This form had expired or did not come from this site, so nothing was saved: "
    "check it and submit it again."
)


def check_form(request: Request, token: str) -> None:
    """`check_csrf` as a form error, so the page is shown again rather than a bare 403."""
    try:
        check_csrf(request, token)
    except HTTPException:
        raise CsrfError(CSRF_MESSAGE) from None


def fields_of(error: HubError) -> dict[str, str]:
    """The messages of a form error by field (none when it is about the form as a whole)."""
    return error.fields if isinstance(error, FieldErrors) else {}


def _user(request: Request) -> PortalUser | None:
    """Who is signed in, for the page's menu (read only: an error page extends no session)."""
    known: PortalUser | None = getattr(request.state, "user", None)
    if known is not None:
        return known
    signed_in = request.app.state.hub.portal_sessions.resolve(
        request.cookies.get(SESSION_COOKIE), touch=False
    )
    return signed_in.user if signed_in is not None and signed_in.stage == SIGNED_IN else None


def sentence(message: object) -> str:
    """Services speak in fragments ("no such session..."); a page shows a sentence."""
    text = str(message)
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else f"{text}."


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    """An HTML page with the status and one sentence; the menu when someone is logged in."""
    user = _user(request) if status < 500 else None  # a failing hub should not be asked again
    context = {
        "status": status,
        "title": HTTPStatus(status).phrase,
        "message": sentence(message),
        "user": user,
        "csrf_token": csrf_token(request) if user else "",
    }
    response = templates.TemplateResponse(request, "error.html", context, status_code=status)
    keep_anon_seed(request, response)
    return response
