"""The read API for an applicant-tracking system (ATS): sessions, results and PDF reports of one
organisation, behind a bearer token an admin created on the admin page.

The token travels in the `Authorization` header only: a token in a URL ends up in proxy logs and
browser histories, so a query string is never read. Portal cookies do not authenticate here, and
this token does not open the portal. Unknown, revoked and expired tokens get the same 401; a
session of another organisation is a 404 like one that does not exist. Each refused token counts
as a miss against the caller's address (`MissLimiter`), so a flood of guesses is slowed to 429.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import AwareDatetime

from contract.wire import API_PREFIX, IDENTIFIER_PATTERN, ErrorBody
from hub.api.deps import HubDep, client_address
from hub.ats_models import SessionPage, SessionResult, Status
from hub.errors import NotAuthenticatedError
from hub.portal.files import file_response
from hub.services.api_tokens import REFUSED, ApiClient
from hub.services.ats import PAGE_MAX

PREFIX = f"{API_PREFIX}/ats"
router = APIRouter(
    prefix=PREFIX,
    tags=["ats"],
    responses={
        401: {"model": ErrorBody, "description": "no token, or one the hub does not accept"},
        429: {"model": ErrorBody, "description": "too many refused tokens from this address"},
    },
)
_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="AtsToken",
    description="an API token an organisation admin created on the admin page (`hkats_…`)",
)
SessionId = Annotated[str, Path(pattern=IDENTIFIER_PATTERN)]
_NOT_FOUND = {404: {"model": ErrorBody, "description": "no such session in your organisation"}}


def current_client(
    request: Request,
    hub: HubDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> ApiClient:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise NotAuthenticatedError(f"{REFUSED}: send it as `Authorization: Bearer <token>`")
    address = f"ip:{client_address(request)}"
    with hub.token_misses.attempt([address], miss=NotAuthenticatedError):
        return hub.api_tokens.authenticate(credentials.credentials)


ClientDep = Annotated[ApiClient, Depends(current_client)]


@router.get("/sessions", response_model=SessionPage)
def list_sessions(
    client: ClientDep,
    hub: HubDep,
    status: Annotated[
        list[Status], Query(description="only sessions in these states (none: every state)")
    ] = [],  # noqa: B006
    updated_since: Annotated[
        AwareDatetime | None,
        Query(
            description="only sessions changed at or after this instant (ISO 8601 with a zone): "
            "pass the largest `updated_at` you already hold to sync incrementally"
        ),
    ] = None,
    job_title: Annotated[
        str | None, Query(max_length=200, description="only this job title (any letter case)")
    ] = None,
    cursor: Annotated[
        str | None, Query(max_length=500, description="`next_cursor` of the previous page")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=PAGE_MAX, description="sessions per page")] = 50,
) -> SessionPage:
    """The organisation's sessions, oldest change first, one page at a time."""
    return hub.ats.sessions(
        client,
        states=tuple(status),
        updated_since=updated_since,
        job_title=job_title,
        cursor=cursor,
        limit=limit,
    )


@router.get("/sessions/{session_id}", response_model=SessionResult, responses=_NOT_FOUND)
def session_result(
    session_id: SessionId, request: Request, client: ClientDep, hub: HubDep
) -> SessionResult:
    """One session's result: scores on the rubric's 0–10 scale with the scorer's reasons, the
    recommendation, the integrity level and flag counts, and HR's decision."""
    report_url = str(request.url_for("ats_session_report", session_id=session_id).path)
    return hub.ats.result(client, session_id, report_url)


@router.get(
    "/sessions/{session_id}/report.pdf",
    name="ats_session_report",
    response_class=Response,
    responses={
        200: {"content": {"application/pdf": {}}, "description": "the PDF report"},
        **_NOT_FOUND,
    },
)
def session_report(
    session_id: SessionId, request: Request, client: ClientDep, hub: HubDep
) -> Response:
    """The session's latest PDF report (404 before the kiosk has sent one)."""
    media = hub.ats.report_pdf(client, session_id)
    return file_response(media, f"report-{session_id}", request.headers.get("range"))
