"""The audit log page for admins: filtered by who, what and when, paged with the total, and the
same selection downloaded as CSV."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, StreamingResponse

from hub.api.deps import HubDep
from hub.errors import InvalidInputError
from hub.portal.deps import UserDep, render, require
from hub.repositories.audit_search import AuditQuery

router = APIRouter(prefix="/admin", include_in_schema=False)
Text = Annotated[str, Query(max_length=320)]
Day = Annotated[str, Query(max_length=10)]


def _query(actor: str, action: str, start: str, end: str) -> AuditQuery:
    return AuditQuery(actor, action, _day(start, "“from”"), _day(end, "“to”"))


def _day(typed: str, what: str) -> date | None:
    if not typed.strip():
        return None
    try:
        return date.fromisoformat(typed.strip())
    except ValueError:
        raise InvalidInputError(f"“{typed}” is not a date for {what}: use YYYY-MM-DD") from None


@router.get("/audit", response_class=HTMLResponse)
def audit_page(
    request: Request,
    hub: HubDep,
    user: UserDep,
    actor: Text = "",
    action: Text = "",
    start: Annotated[str, Query(alias="from", max_length=10)] = "",
    end: Annotated[str, Query(alias="to", max_length=10)] = "",
    page: Annotated[int, Query(ge=1, le=10**6)] = 1,
) -> HTMLResponse:
    require(user, "admin")
    form = {"actor": actor, "action": action, "from": start, "to": end}
    kept = urlencode([(k, v) for k, v in form.items() if v])
    try:
        wanted = _query(actor, action, start, end)
    except InvalidInputError as error:
        return render(
            request,
            "audit.html",
            user,
            error.status,
            form=form,
            errors={"audit": str(error)},
            entries=None,
            base="/admin/audit?",
            csv_link="/admin/audit.csv",
        )
    return render(
        request,
        "audit.html",
        user,
        form=form,
        entries=hub.audit_log.page(user, wanted, page),
        base=f"/admin/audit?{kept}&" if kept else "/admin/audit?",
        csv_link=f"/admin/audit.csv?{kept}" if kept else "/admin/audit.csv",
    )


@router.get("/audit.csv")
def audit_csv(
    hub: HubDep,
    user: UserDep,
    actor: Text = "",
    action: Text = "",
    start: Annotated[str, Query(alias="from", max_length=10)] = "",
    end: Annotated[str, Query(alias="to", max_length=10)] = "",
) -> StreamingResponse:
    """Every matching entry, newest first; streamed, so a long log is never held in memory."""
    require(user, "admin")
    wanted = _query(actor, action, start, end)
    return StreamingResponse(
        hub.audit_log.csv(user, wanted),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="audit-log.csv"'},
    )
