"""The kiosk's side of sync: pull session packs, push the outbox, work on when the hub is away."""

from kiosk.sync.backoff import Backoff
from kiosk.sync.client import HubClient
from kiosk.sync.connect import Enrolled, SyncStatus, enrol, hub_client, sync_status
from kiosk.sync.errors import (
    EnrolmentCodeRefusedError,
    HubAuthError,
    HubError,
    HubNotConfiguredError,
    HubNotEnrolledError,
    HubProtocolError,
    HubRejectedError,
    HubUnavailableError,
)
from kiosk.sync.fetch import PackPullError, PullProblem, open_or_pull, pull_pack
from kiosk.sync.ledger import Ledger, Quarantine
from kiosk.sync.packs import ImportedPack, PackExpiredError, import_pack, ready_sessions
from kiosk.sync.puller import PackPuller, PullReport
from kiosk.sync.pusher import DrainReport, Pusher
from kiosk.sync.status import Connectivity, SyncMonitor, SyncState
from kiosk.sync.syncer import BackgroundSyncer, SyncerStatus

__all__ = [
    "BackgroundSyncer",
    "Backoff",
    "Connectivity",
    "DrainReport",
    "Enrolled",
    "EnrolmentCodeRefusedError",
    "HubAuthError",
    "HubClient",
    "HubError",
    "HubNotConfiguredError",
    "HubNotEnrolledError",
    "HubProtocolError",
    "HubRejectedError",
    "HubUnavailableError",
    "ImportedPack",
    "Ledger",
    "PackExpiredError",
    "PackPullError",
    "PackPuller",
    "PullProblem",
    "PullReport",
    "Pusher",
    "Quarantine",
    "SyncMonitor",
    "SyncState",
    "SyncStatus",
    "SyncerStatus",
    "enrol",
    "hub_client",
    "import_pack",
    "open_or_pull",
    "pull_pack",
    "ready_sessions",
    "sync_status",
]
