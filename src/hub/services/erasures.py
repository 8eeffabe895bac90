"""Deletions on the hub reach every kiosk that held the session, and come back as audit entries.

When HR deletes a session (`Records.delete`), `order_for_kiosks` records one order per kiosk
that held it: every kiosk session linked to it or to one of its attempts. A kiosk that links
to an already deleted session later (it pulled the pack before the deletion and pushes after)
gets its order when it links (`order_late_link`). At each sync a kiosk asks for its open orders,
erases those sessions, and reports each one done; the hub marks the order done and writes the
kiosk's report into the organisation's audit log.
"""

from __future__ import annotations

from datetime import datetime

from contract.wire import MAX_BATCH, ErasureDone, ErasureOrder, ErasureOrders, ErasureRecorded
from hub.clock import Clock, utc_now
from hub.db.database import HubDatabase
from hub.db.models import InterviewSession, KioskErasure
from hub.uow import UnitOfWork
from hub.views import KioskIdentity


def _order(
    uow: UnitOfWork, session: InterviewSession, kiosk_id: str, kiosk_session_id: str, at: datetime
) -> bool:
    if uow.erasures.find(kiosk_id, kiosk_session_id) is not None:
        return False
    uow.erasures.add(
        KioskErasure(
            org_id=session.org_id,
            kiosk_id=kiosk_id,
            kiosk_session_id=kiosk_session_id,
            session_id=session.id,
            session_key=session.session_key,
            requested_at=at,
            done_detail="",
        )
    )
    return True


def order_for_kiosks(uow: UnitOfWork, session: InterviewSession, at: datetime) -> int:
    """Record an erasure for every kiosk that held `session`; returns how many were new."""
    held = uow.erasures.holders(session.id)
    if session.kiosk_id and session.kiosk_session_id:
        held.add((session.kiosk_id, session.kiosk_session_id))
    return sum(_order(uow, session, kiosk, local, at) for kiosk, local in sorted(held))


def order_late_link(
    uow: UnitOfWork, session: InterviewSession, kiosk_id: str, kiosk_session_id: str, at: datetime
) -> None:
    """A kiosk linked to a session already deleted on the hub: it must erase its copy too
    (a session the hub's own retention purged is not a deletion: kiosks keep their policy)."""
    if session.purged_at is not None and uow.erasures.ordered_for(session.id):
        _order(uow, session, kiosk_id, kiosk_session_id, at)


class Erasures:
    def __init__(self, database: HubDatabase, clock: Clock = utc_now) -> None:
        self._database = database
        self._now = clock

    def open_for(self, kiosk: KioskIdentity) -> ErasureOrders:
        """The kiosk's orders not yet reported done, oldest first."""
        with UnitOfWork(self._database) as uow:
            return ErasureOrders(
                erasures=[
                    ErasureOrder(
                        session_id=row.kiosk_session_id,
                        session_key=row.session_key,
                        requested_at=row.requested_at,
                    )
                    for row in uow.erasures.open_for(kiosk.kiosk_id, MAX_BATCH)
                ]
            )

    def done(self, kiosk: KioskIdentity, report: ErasureDone) -> ErasureRecorded:
        """Record the kiosk's report in the audit log, once: a retry changes nothing."""
        with UnitOfWork(self._database) as uow:
            row = uow.erasures.find(kiosk.kiosk_id, report.session_id)
            if row is None or row.done_at is not None:
                return ErasureRecorded(session_id=report.session_id, recorded=False)
            detail = (
                f"kiosk {kiosk.name} erased its copy at {report.erased_at:%Y-%m-%d %H:%M:%S} "
                f"UTC: {report.files_removed} file(s) removed"
                + (f"; {report.note}" if report.note else "")
            )
            row.done_at = self._now()
            row.done_detail = detail
            uow.audit.record(
                row.org_id,
                f"kiosk:{kiosk.name}",
                "session.erased_on_kiosk",
                row.session_key,
                detail,
                row.done_at,
            )
            uow.commit()
        return ErasureRecorded(session_id=report.session_id, recorded=True)


__all__ = ["Erasures", "order_for_kiosks", "order_late_link"]
