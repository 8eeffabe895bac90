"""The kiosk's sync status on screen: offline mode with a growing queue, records the hub
refused (held back), sessions ready, and a real hub on loopback that the app's own background
syncer drains the queue to."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot
from tests.integration.hub.support import (
    free_port,
    memory_keyring,
    run_interview,
    walk_in,
)
from tests.ui import flow
from tests.ui.loopback import LoopbackHub

from hub.views import PortalUser
from kiosk.bus import EventBus
from kiosk.domain.lifecycle import SessionState
from kiosk.live.announcements import InterviewFinished
from kiosk.live.writer import SerialWriter
from kiosk.sessions import SessionService
from kiosk.settings import KioskSettings
from kiosk.sync import Connectivity, Ledger, enrol
from kiosk.sync.background import build_sync
from ui.context import KioskContext
from ui.sync_status import SyncStatusWidget
from ui.window import MainWindow

MakeContext = Callable[..., KioskContext]
MakeWindow = Callable[[KioskContext], MainWindow]


def _queue(widget: SyncStatusWidget) -> int:
    return -1 if widget.state is None else widget.state.queue


def _shown_text(root: QWidget) -> str:
    return " ".join(w.text() for w in root.findChildren(QLabel) if w.isVisibleTo(root))


def test_no_hub_means_offline_mode_and_the_queue_grows_as_a_session_is_written(
    qtbot: QtBot, make_context: MakeContext, make_window: MakeWindow
) -> None:
    context = make_context(flow.recorded_media())
    assert not context.core.sync.running  # no syncer thread at all
    window = make_window(context)
    status = window.start.sync_status
    qtbot.waitUntil(lambda: status.state is not None, timeout=10_000)
    assert status.state is not None and status.state.connectivity is Connectivity.OFFLINE
    assert "Offline mode: no hub configured" in status.connectivity.text()
    # the start screen keeps to what matters there; the setting's name is for the panel
    assert not status.detail.isVisible() and "KIOSK_HUB_URL" not in _shown_text(window.start)
    before = _queue(status)

    session_id = context.core.writer.call(walk_in, context.core.service, "Ada Lovelace")
    context.core.writer.call(run_interview, context.core.service, session_id, rng=random.Random(7))
    pending = context.core.service.pending_outbox()
    assert pending > before + 20
    # the widget's own timer (every 3 s) picks the new rows up, read on a worker
    qtbot.waitUntil(lambda: _queue(status) == pending, timeout=10_000)
    assert f"Queue: {pending} records waiting to sync" in status.queue.text()
    assert "never" in status.last_sync.text()
    assert context.core.service.get(session_id).state is SessionState.REPORTED  # nothing was lost

    window.open_panel()
    window.panel.pages.setCurrentIndex(1)  # as if unlocked with the PIN
    panel_status = window.panel.sync_status
    qtbot.waitUntil(lambda: _queue(panel_status) == pending, timeout=10_000)
    assert "Offline mode" in panel_status.connectivity.text()
    assert "KIOSK_HUB_URL" in panel_status.detail.text() and panel_status.detail.isVisible()


def test_not_enrolled_and_unreachable_hubs_are_said_in_plain_words(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = KioskSettings(data_dir=tmp_path / "k", hub_url=f"http://127.0.0.1:{free_port()}")
    service = SessionService.from_settings(settings)
    writer, bus = SerialWriter(), EventBus()
    try:
        with memory_keyring():
            unenrolled = build_sync(settings, service, writer, bus)
            widget = SyncStatusWidget(unenrolled)
            qtbot.addWidget(widget)
            widget.refresh()
            qtbot.waitUntil(lambda: widget.state is not None, timeout=5_000)
            assert "Not enrolled" in widget.connectivity.text()
            assert "kiosk enrol" in widget.detail.text()

            monkeypatch.setenv("KIOSK_HUB_TOKEN", "hk_not-a-real-token")
            down = build_sync(
                settings.model_copy(update={"sync_interval_seconds": 60}), service, writer, bus
            )
            down.start()
            try:
                widget = SyncStatusWidget(down)
                qtbot.addWidget(widget)

                def unreachable() -> bool:
                    widget.refresh()
                    state = widget.state
                    return state is not None and state.connectivity is Connectivity.UNREACHABLE

                qtbot.waitUntil(unreachable, timeout=15_000)
                assert "Hub unreachable" in widget.connectivity.text()
                assert "cannot reach the hub at http://127.0.0.1" in widget.detail.text()
                assert "Error" not in widget.detail.text().split(":")[0]  # no class names
            finally:
                down.close()
    finally:
        writer.close()
        service.close()


def test_with_a_hub_the_app_syncs_a_finished_session_and_shows_online_with_an_empty_queue(
    qtbot: QtBot,
    loopback_hub: LoopbackHub,
    monkeypatch: pytest.MonkeyPatch,
    make_context: MakeContext,
    make_window: MakeWindow,
) -> None:
    code = loopback_hub.code()
    assert enrol(loopback_hub.url, code, "front-desk").stored_in == "keyring"
    monkeypatch.setenv("KIOSK_HUB_URL", loopback_hub.url)
    context = make_context(flow.recorded_media())
    assert context.core.sync.running
    window = make_window(context)
    status = window.start.sync_status
    qtbot.waitUntil(
        lambda: status.state is not None and status.state.connectivity is Connectivity.ONLINE,
        timeout=15_000,
    )
    assert f"Online: {loopback_hub.url}" in status.connectivity.text()

    session_id = context.core.writer.call(walk_in, context.core.service, "Grace Hopper")
    context.core.writer.call(run_interview, context.core.service, session_id, rng=random.Random(8))
    assert context.core.service.pending_outbox() > 20
    # what the conductor emits at the end of an interview: it wakes the syncer at once (the
    # timer alone would wait 30 s)
    context.core.bus.emit(InterviewFinished(session_id, None, None))
    qtbot.waitUntil(
        lambda: context.core.service.get(session_id).state is SessionState.SYNCED
        and context.core.service.pending_outbox() == 0,
        timeout=20_000,
    )
    qtbot.waitUntil(lambda: _queue(status) == 0, timeout=10_000)
    assert status.state is not None and status.state.connectivity is Connectivity.ONLINE
    assert "Queue: empty" in status.queue.text()
    assert "just now" in status.last_sync.text()

    hr = PortalUser("hr-1", "hr@example.org", "hr", loopback_hub.org_id, "Acme")
    sessions = loopback_hub.hub.records.list(hr)
    assert [(s.candidate_name, s.origin, s.state) for s in sessions] == [
        ("Grace Hopper", "kiosk", "synced")
    ]
    assert sessions[0].session_key == context.core.service.get(session_id).session_key


def test_records_the_hub_refused_and_sessions_ready_are_shown_with_what_to_do(
    qtbot: QtBot, tmp_path: Path
) -> None:
    settings = KioskSettings(data_dir=tmp_path / "k")
    service = SessionService.from_settings(settings)
    writer, bus = SerialWriter(), EventBus()
    try:
        monitor = build_sync(settings, service, writer, bus)  # offline: no syncer runs
        widget = SyncStatusWidget(monitor)
        qtbot.addWidget(widget)
        widget.refresh()
        qtbot.waitUntil(lambda: widget.state is not None, timeout=5_000)
        assert widget.held.isHidden()
        assert "Ready on this kiosk: 0 sessions" in widget.ready.text()

        refused = walk_in(service, "Ada Lovelace")
        walk_in(service, "Grace Hopper")
        ledger = Ledger(service.database)
        (first,) = [e.outbox_id for e in ledger.pending(1).entries]
        reason = "the hub refused the request (HTTP 403): that session belongs to another org"
        ledger.quarantine(first, reason, datetime.now(UTC))
        widget.refresh()
        qtbot.waitUntil(lambda: _held(widget) == 1, timeout=5_000)
        assert not widget.held.isHidden()
        assert "Held back: 1 record the hub refused" in widget.held.text()
        assert "another org" in widget.held.text()
        assert "kiosk sync retry-quarantined" in widget.held.text()
        assert "Ready on this kiosk: 2 sessions" in widget.ready.text()
        assert service.pending_outbox() == 1  # Grace's row still waits; Ada's is held back
        assert service.get(refused).state is SessionState.CREATED
    finally:
        writer.close()
        service.close()


def _held(widget: SyncStatusWidget) -> int:
    return -1 if widget.state is None else widget.state.quarantined
