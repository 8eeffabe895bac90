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
from hub.repositories.session_list import GROUP_WORDS, ListQuery
from hub.repositories.session_sort import FIRST_DIRECTION, ListSort

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
    sort: Text = "date",
    direction: Annotated[str, Query(alias="dir", max_length=200)] = "",
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
    }
    order = ListSort.asked(sort, direction)
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
        sort=order,
        open_flags=flags == "open",
    )
    kept = [(k, v) for k, v in form.items() if v]
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
        order=order,
        sort_links={c: _query(kept + _sorted_by(order.link_to(c))) for c in FIRST_DIRECTION},
        sorted_by=_sorted_by(order),
        job_titles=hub.session_list.job_titles(user),
        centres=hub.centres.in_org(user.org_id),
        base=_page_base(_query(kept + _sorted_by(order))),
        form=form,
        errors=errors,
    )


def _sorted_by(order: ListSort) -> list[tuple[str, str]]:
    """The sort's query parameters; none for the default (newest first)."""
    return [] if order.is_default else [("sort", order.column), ("dir", order.direction)]


def _query(params: list[tuple[str, str]]) -> str:
    """The list's URL with `params` and no page: a new sort or filter starts at page 1."""
    return "/?" + urlencode(params)


def _page_base(url: str) -> str:
    """`url` ready for the pager to add its page parameter."""
    return url if url.endswith("?") else url + "&"
