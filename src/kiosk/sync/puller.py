"""Pull today's session packs from the hub into the kiosk, so HR's sessions are ready to open.

The list of waiting packs is fetched on the caller's thread (the syncer's); only packs whose key
the kiosk does not hold yet are imported, each through the write hook (the app's single writer
thread), so an interview running meanwhile waits at most for one small insert. A pack the kiosk
already has is never touched, whatever state its session is in. A pack that expired before it
arrived is skipped and counted, not an error: the hub's clock and the kiosk's may differ.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.sessions import SessionService
from kiosk.storage.unit_of_work import UnitOfWork
from kiosk.sync.client import HubClient
from kiosk.sync.hooks import Clock, WriteHook, utc_now, write_here
from kiosk.sync.packs import PackExpiredError, import_pack


@dataclass(frozen=True, slots=True)
class PullReport:
    #: Packs the hub lists for this kiosk's organisation.
    waiting: int
    #: Keys of the sessions this pull created on the kiosk.
    imported: tuple[str, ...]
    #: Packs skipped because their key had expired when they arrived.
    expired: int


class PackPuller:
    def __init__(
        self,
        service: SessionService,
        client: HubClient,
        *,
        clock: Clock = utc_now,
        write: WriteHook = write_here,
    ) -> None:
        self.service = service
        self.client = client
        self._now = clock
        self._write = write

    def pull(self) -> PullReport:
        """Import the waiting packs the kiosk lacks; `HubError` when the hub cannot list them."""
        packs = self.client.waiting_packs().packs
        with UnitOfWork(self.service.database) as uow:
            known = {p.session_key for p in packs if uow.sessions.get_by_key(p.session_key)}
        imported: list[str] = []
        expired = 0
        for pack in packs:
            if pack.session_key in known:
                continue
            try:
                result = self._write(import_pack, self.service, pack, self._now())
            except PackExpiredError:
                expired += 1
                continue
            if result.created:  # False: imported meanwhile (`kiosk sync today`): left as it is
                imported.append(pack.session_key)
        return PullReport(len(packs), tuple(imported), expired)
