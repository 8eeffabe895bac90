"""The start screen asks the hub for a key the kiosk does not hold, and offers to restart a pack
another kiosk started (that kiosk died mid-interview): the app's own context, a real hub on
loopback, and a second simulated kiosk that started the pack first."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from tests.integration.hub.support import (
    SimulatedKiosk,
)
from tests.ui import flow
from tests.ui.loopback import LoopbackHub

from contract.wire import CandidateWire, JobWire, SettingsWire
from hub.db import models as m
from hub.services.records import NewSession
from hub.views import PortalUser
from kiosk.domain.lifecycle import SessionState
from kiosk.sync import HubClient, Pusher, enrol, pull_pack
from ui.context import KioskContext
from ui.window import MainWindow

MakeContext = Callable[..., KioskContext]
MakeWindow = Callable[[KioskContext], MainWindow]


def _started_on_another_kiosk(live: LoopbackHub, root: Path) -> str:
    """HR's pack, fetched and opened on desk-1, which synced once and then died: its key."""
    hr = PortalUser("hr-1", "hr@example.org", "hr", live.org_id, "Acme")
    new = NewSession(
        CandidateWire(full_name="Ada Lovelace", email="ada@example.org", resume_text="Analyst"),
        JobWire(title="Engineer", text="Engines", required_skills=["python"]),
        SettingsWire(question_count=2),
    )
    key = live.hub.records.create(hr, new).session_key
    token = live.hub.enrolment.enrol(live.code(), "desk-1").token
    desk = SimulatedKiosk.create(root, kiosk_id="desk-1")
    try:
        with HubClient(live.url, token) as client:
            pull_pack(desk.service, lambda: client, key)
            desk.service.open(key)
            Pusher(desk.service, client).drain()
    finally:
        desk.close()
    return key


def test_a_pack_started_elsewhere_offers_a_restart_which_opens_the_session_here(
    qtbot: QtBot,
    loopback_hub: LoopbackHub,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    make_context: MakeContext,
    make_window: MakeWindow,
) -> None:
    key = _started_on_another_kiosk(loopback_hub, tmp_path / "desk-1")
    assert enrol(loopback_hub.url, loopback_hub.code(), "desk-2").stored_in == "keyring"
    monkeypatch.setenv("KIOSK_HUB_URL", loopback_hub.url)
    context = make_context(flow.recorded_media())
    window = make_window(context)
    start = window.start
    assert start.restart.isHidden()

    flow.sign_in(window, key)
    qtbot.waitUntil(lambda: start.restart.isVisible(), timeout=15_000)
    assert "has already been started (opened) on kiosk desk-1" in start.message.text()
    assert "another attempt" in start.message.text()
    assert window.current_screen() is start and context.core.service.list_sessions() == []

    start.key.setText(key[:-1] + ("0" if key[-1] != "0" else "1"))  # the offer is for that key
    assert start.restart.isHidden()
    start.key.setText(key)
    flow.sign_in(window, key)
    qtbot.waitUntil(lambda: start.restart.isVisible(), timeout=15_000)

    start.restart.click()  # the invigilator gave the PIN for this key just now
    qtbot.waitUntil(lambda: window.current_screen() is window.handover, timeout=15_000)
    assert window.session is not None and window.session.session_key == key
    assert window.session.state is SessionState.OPENED
    assert start.restart.isHidden() and start.message.text() == ""
    with loopback_hub.hub.database.sessions() as db:
        actors = db.scalars(
            select(m.AuditEntry.actor).where(m.AuditEntry.action == "pack.restarted")
        ).all()
    assert actors == ["kiosk:desk-2"]
