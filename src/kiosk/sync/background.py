"""The app's background sync for the configured hub: built once at start-up, offline without one.

The syncer's database writes (marking rows sent or quarantined, moving sessions to `synced`,
importing today's session packs) go through the serial writer, so the writer thread stays the
only one that writes; reading the outbox and the media blobs, and talking to the hub, happen on
the syncer's own thread, which WAL mode allows alongside writes. It wakes as soon as a session
reaches a state with rows worth pushing at once: the core announces every state change after its
commit, whoever made it (the interview, or the invigilator aborting before it began), and every
revised report (a session whose scores became final after it was reported).
"""

from __future__ import annotations

import logging

from kiosk.bus import EventBus
from kiosk.domain.events import ReportRevised, StateChanged
from kiosk.domain.lifecycle import SessionState
from kiosk.live.announcements import InterviewFinished
from kiosk.live.writer import SerialWriter
from kiosk.retention import Retention
from kiosk.sessions import SessionService
from kiosk.settings import KioskSettings
from kiosk.sync.connect import hub_client
from kiosk.sync.erasures import HubErasures
from kiosk.sync.errors import HubNotConfiguredError
from kiosk.sync.puller import PackPuller
from kiosk.sync.pusher import Pusher
from kiosk.sync.status import Connectivity, SyncMonitor
from kiosk.sync.syncer import BackgroundSyncer

_log = logging.getLogger(__name__)

#: Sessions that reach one of these states have rows worth pushing at once.
WAKE_ON = (SessionState.REPORTED, SessionState.ABORTED)


def build_sync(
    settings: KioskSettings,
    service: SessionService,
    writer: SerialWriter,
    bus: EventBus,
) -> SyncMonitor:
    """The background syncer for the configured hub, not yet started; offline mode without one."""
    try:
        client = hub_client(settings)
    except HubNotConfiguredError as error:
        idle = Connectivity.NOT_ENROLLED if settings.hub_url else Connectivity.OFFLINE
        _log.info("sync is off: %s", error)
        return SyncMonitor(service.database, hub_url=settings.hub_url, idle=idle, reason=str(error))
    retention = Retention(service.database, service.media, reports_dir=settings.reports_dir)
    erasures = HubErasures(retention, client, write=writer.call)
    syncer = BackgroundSyncer(
        Pusher(service, client, write=writer.call),
        interval_seconds=settings.sync_interval_seconds,
        heartbeat=True,
        puller=PackPuller(service, client, write=writer.call),
        pull_interval_seconds=settings.pack_pull_interval_seconds,
        chores=(erasures.apply, lambda: writer.call(retention.apply)),
    )

    def on_state(event: StateChanged) -> None:
        if event.state in WAKE_ON:
            syncer.wake()

    unsubscribe = (
        bus.subscribe(StateChanged, on_state),
        bus.subscribe(InterviewFinished, lambda _event: syncer.wake()),
        bus.subscribe(ReportRevised, lambda _event: syncer.wake()),
    )
    return SyncMonitor(
        service.database,
        syncer=syncer,
        hub_url=settings.hub_url,
        on_close=(*unsubscribe, client.close),
    )
