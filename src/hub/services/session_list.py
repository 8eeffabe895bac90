"""The landing page: what needs HR now, and the session list with search, filters, sort and
pages counted on the server."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from hub.clock import Clock, utc_now
from hub.db.database import HubDatabase
from hub.repositories.session_list import GROUP_WORDS, ListQuery
from hub.services.lifecycle import is_expired
from hub.uow import UnitOfWork
from hub.views import Page, PortalUser, page_window

ROWS_PER_PAGE = 50


@dataclass(frozen=True, slots=True)
class ListRow:
    session_id: str
    session_key: str
    candidate_name: str
    job_title: str
    #: the state code ("expired" for a waiting session whose key ran out); the template's
    #: `state` filter (`hub.glossary`) gives the words
    state: str
    created_at: datetime
    expires_at: datetime
    #: mean of the criteria, out of 10; None before the evaluation arrives
    score: float | None
    #: the evaluation's code ("" before it arrives); the `recommendation` filter gives words
    recommendation: str
    flags: int
    open_flags: int
    walk_in: bool
    purged: bool
    attempt: bool


@dataclass(frozen=True, slots=True)
class NeedsYou:
    """The dashboard's counts; each links to the list filtered to exactly those sessions."""

    flags_to_review: int
    #: Completed interviews nobody has decided on (`hub.services.decision_state`: no
    #: `HiringDecision` row yet)
    undecided: int
    keys_expiring: int


class SessionList:
    def __init__(self, database: HubDatabase, clock: Clock = utc_now) -> None:
        self._database = database
        self._now = clock

    def page(self, user: PortalUser, wanted: ListQuery, number: int = 1) -> Page[ListRow]:
        now = self._now()
        with UnitOfWork(self._database) as uow:
            centres = _centres_seen(uow, user)
            total = uow.session_list.count(user.org_id, wanted, now, centres)
            shown, offset = page_window(number, ROWS_PER_PAGE, total)
            rows = uow.session_list.page(user.org_id, wanted, now, centres, ROWS_PER_PAGE, offset)
            flags = uow.session_list.flags([r.id for r in rows])
            items = []
            for r in rows:
                expired = is_expired(r.state, r.expires_at, now)
                items.append(
                    ListRow(
                        session_id=r.id,
                        session_key=r.session_key,
                        candidate_name=r.candidate_name,
                        job_title=r.job_title,
                        state="expired" if expired else r.state,
                        created_at=r.created_at,
                        expires_at=r.expires_at,
                        score=None if r.overall_score is None else round(r.overall_score, 1),
                        recommendation=r.recommendation or "",
                        flags=flags.get(r.id, (0, 0))[0],
                        open_flags=flags.get(r.id, (0, 0))[1],
                        walk_in=r.origin == "kiosk",
                        purged=r.purged_at is not None,
                        attempt=r.attempt_of is not None,
                    )
                )
            return Page(items, shown, ROWS_PER_PAGE, total)

    def needs_you(self, user: PortalUser) -> NeedsYou:
        now = self._now()
        with UnitOfWork(self._database) as uow:
            centres = _centres_seen(uow, user)
            count = uow.session_list.count
            return NeedsYou(
                flags_to_review=count(user.org_id, ListQuery(open_flags=True), now, centres),
                undecided=count(user.org_id, ListQuery(groups=("undecided",)), now, centres),
                keys_expiring=count(user.org_id, ListQuery(groups=("expiring",)), now, centres),
            )

    def group_counts(self, user: PortalUser) -> dict[str, int]:
        """How many of the organisation's sessions (that the user sees) each status group has:
        the filter's labels say it, so no group hides what it holds."""
        now = self._now()
        with UnitOfWork(self._database) as uow:
            centres = _centres_seen(uow, user)
            count = uow.session_list.count
            return {
                g: count(user.org_id, ListQuery(groups=(g,)), now, centres) for g in GROUP_WORDS
            }

    def job_titles(self, user: PortalUser) -> list[str]:
        with UnitOfWork(self._database) as uow:
            return uow.session_list.job_titles(user.org_id)


def _centres_seen(uow: UnitOfWork, user: PortalUser) -> list[str] | None:
    """An invigilator assigned to centres sees those and the any-centre sessions (as in
    `hub.services.records`); everyone else the whole organisation."""
    if user.role != "invigilator":
        return None
    return uow.centres.of_user(user.user_id) or None
