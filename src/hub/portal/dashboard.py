"""The landing page: what needs HR now (counts linking to the list filtered to them), then the
session list with server-side search, filters in words, sort and pages with totals."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from hub.api.deps import HubDep
from hub.errors import InvalidInputError
from hub.portal.deps import UserDep, render, require
from hub.repositories.session_list import GROUP_WORDS, SORTS, ListQuery

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Query(max_length=200)]


def _day(typed: str, what: str) -> date | None:
    if not typed.strip():
        return None
    try:
        return date.fromisoformat(typed.strip())
    except ValueError:
        raise InvalidInputError(f"“{typed}” is not a date for {what}: use YYYY-MM-DD") from None


@router.get("/", response_class=HTMLResponse)
def dashboard(
    request: Request,
    hub: HubDep,
    user: UserDep,
    q: Text = "",
    status: Annotated[list[str], Query(max_length=len(GROUP_WORDS))] = [],  # noqa: B006
    job: Text = "",
    centre: Annotated[str, Query(max_length=36)] = "",
    created_from: Annotated[str, Query(alias="from", max_length=10)] = "",
    created_to: Annotated[str, Query(alias="to", max_length=10)] = "",
    flags: Annotated[str, Query(max_length=10)] = "",
    sort: Annotated[str, Query(max_length=20)] = "newest",
    page: Annotated[int, Query(ge=1, le=10**6)] = 1,
) -> HTMLResponse:
    require(user, "admin", "hr", "invigilator")
    form = {
        "q": q,
        "job": job,
        "centre": centre,
        "from": created_from,
        "to": created_to,
        "flags": flags,
        "sort": sort if sort in SORTS else "newest",
    }
    errors: dict[str, str] = {}
    try:
        start = _day(created_from, "“from”")
    except InvalidInputError as error:
        start, errors["from"] = None, str(error)
    try:
        end = _day(created_to, "“to”")
    except InvalidInputError as error:
        end, errors["to"] = None, str(error)
    wanted = ListQuery(
        search=q,
        groups=tuple(g for g in status if g in GROUP_WORDS),
        job_title=job,
        centre_id=centre,
        created_from=start,
        created_to=end,
        sort=form["sort"],
        open_flags=flags == "open",
    )
    kept = [(k, v) for k, v in form.items() if v and not (k == "sort" and v == "newest")]
    kept += [("status", g) for g in wanted.groups]
    return render(
        request,
        "sessions.html",
        user,
        422 if errors else 200,
        needs=hub.session_list.needs_you(user),
        sessions=hub.session_list.page(user, wanted, page),
        groups=GROUP_WORDS,
        group_counts=hub.session_list.group_counts(user),
        chosen=wanted.groups,
        sorts=SORTS,
        job_titles=hub.session_list.job_titles(user),
        centres=hub.centres.in_org(user.org_id),
        base="/?" + (urlencode(kept) + "&" if kept else ""),
        form=form,
        errors=errors,
    )
