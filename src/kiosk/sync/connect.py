"""Connect the kiosk to its hub: build a client from settings, enrol, report the link's health."""

from __future__ import annotations

from dataclasses import dataclass, replace

import httpx
from keyring.errors import KeyringError
from pydantic import SecretStr

from kiosk.secrets import Secret, get_secret, secret_source, set_secret
from kiosk.settings import KioskSettings
from kiosk.storage.database import Database
from kiosk.sync.client import HubClient
from kiosk.sync.errors import HubError, HubNotConfiguredError, HubNotEnrolledError
from kiosk.sync.ledger import Ledger
from kiosk.sync.packs import ready_sessions


def hub_client(
    settings: KioskSettings, *, transport: httpx.BaseTransport | None = None
) -> HubClient:
    """A client for the configured hub, or `HubNotConfiguredError` saying what is missing
    (`HubNotEnrolledError` when only the device token is)."""
    if not settings.hub_url:
        raise HubNotConfiguredError(
            "no hub is configured (KIOSK_HUB_URL is empty): the kiosk works offline and keeps "
            "every result until a hub is set"
        )
    token = get_secret(Secret.HUB_TOKEN)
    if token is None:
        raise HubNotEnrolledError(
            "this kiosk is not enrolled (no hub token in the keyring or KIOSK_HUB_TOKEN): "
            "run `kiosk enrol CODE` with a code from the hub's admin page"
        )
    return HubClient(
        settings.hub_url,
        token.get_secret_value(),
        timeout=settings.hub_timeout_seconds,
        transport=transport,
    )


@dataclass(frozen=True, slots=True)
class Enrolled:
    kiosk_id: str
    organisation: str
    stored_in: str  # "keyring", or "nowhere" when the operator must set KIOSK_HUB_TOKEN
    token: SecretStr


def enrol(
    hub_url: str,
    code: str,
    kiosk_name: str,
    *,
    timeout: float = 10.0,
    transport: httpx.BaseTransport | None = None,
) -> Enrolled:
    """Exchange a one-time code for a device token and keep it in the OS keyring."""
    with HubClient(hub_url, timeout=timeout, transport=transport) as client:
        answer = client.enrol(code, kiosk_name)
    try:
        set_secret(Secret.HUB_TOKEN, answer.token)
        stored_in = "keyring"
    except (KeyringError, RuntimeError):
        stored_in = "nowhere"
    return Enrolled(answer.kiosk_id, answer.organisation, stored_in, SecretStr(answer.token))


@dataclass(frozen=True, slots=True)
class SyncStatus:
    hub_url: str
    token_source: str
    reachable: bool
    organisation: str
    kiosk_name: str
    error: str
    pending: int
    #: Rows held back in quarantine, and one line per refused row saying why.
    quarantined: int = 0
    refused: tuple[str, ...] = ()
    #: Sessions waiting for their candidate on this kiosk.
    ready_sessions: int = 0


def sync_status(
    settings: KioskSettings,
    database: Database,
    *,
    transport: httpx.BaseTransport | None = None,
) -> SyncStatus:
    """Connectivity, queue, quarantine; never raises for a missing or unreachable hub."""
    ledger = Ledger(database)
    quarantine = ledger.quarantine_report()
    local = SyncStatus(
        hub_url=settings.hub_url,
        token_source=secret_source(Secret.HUB_TOKEN),
        reachable=False,
        organisation="",
        kiosk_name="",
        error="",
        pending=ledger.count_pending(),
        quarantined=quarantine.total,
        refused=tuple(r.describe() for r in quarantine.refused),
        ready_sessions=ready_sessions(database),
    )
    try:
        with hub_client(settings, transport=transport) as client:
            who = client.whoami()
    except HubError as error:
        return replace(local, error=str(error))
    return replace(local, reachable=True, organisation=who.organisation, kiosk_name=who.kiosk_name)
