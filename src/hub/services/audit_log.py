"""The audit log as an admin searches it: a page at a time with the total, or every matching
entry as CSV (read in batches, never all at once)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from hub.db.database import HubDatabase
from hub.db.models import AuditEntry
from hub.repositories.audit_search import AuditQuery
from hub.uow import UnitOfWork
from hub.views import AuditView, Page, PortalUser, page_window

ENTRIES_PER_PAGE = 100
CSV_BATCH = 1000
CSV_HEADER = ("time (UTC)", "who", "action", "on", "detail")
#: a spreadsheet runs a cell starting with these as a formula: such cells get a leading '
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _view(row: AuditEntry) -> AuditView:
    return AuditView(row.at, row.actor, row.action, row.target, row.detail)


def _cell(text: str) -> str:
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


class AuditLog:
    def __init__(self, database: HubDatabase) -> None:
        self._database = database

    def page(self, admin: PortalUser, wanted: AuditQuery, number: int = 1) -> Page[AuditView]:
        """A page of the matching entries, newest first, with their total."""
        with UnitOfWork(self._database) as uow:
            total = uow.audit_search.count(admin.org_id, wanted)
            shown, offset = page_window(number, ENTRIES_PER_PAGE, total)
            rows = uow.audit_search.page(admin.org_id, wanted, ENTRIES_PER_PAGE, offset)
            return Page([_view(r) for r in rows], shown, ENTRIES_PER_PAGE, total)

    def csv(self, admin: PortalUser, wanted: AuditQuery) -> Iterator[str]:
        """Every matching entry, newest first, as CSV text; batches go by id, so entries added
        during the export neither repeat nor shift one."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(CSV_HEADER)
        yield out.getvalue()
        below: int | None = None
        while True:
            with UnitOfWork(self._database) as uow:
                rows = uow.audit_search.page(admin.org_id, wanted, CSV_BATCH, below=below)
                lines = [
                    [r.at.strftime("%Y-%m-%d %H:%M:%S")]
                    + [_cell(t) for t in (r.actor, r.action, r.target, r.detail)]
                    for r in rows
                ]
                below = rows[-1].id if rows else None
            if not lines:
                return
            out.seek(0)
            out.truncate()
            writer.writerows(lines)
            yield out.getvalue()
