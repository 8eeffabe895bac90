"""Lockdown: blocked shortcuts are swallowed and reported, focus loss and a second display are
reported, closing needs the PIN; the environment helper reads VM and remote-desktop signs."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from tests.ui import flow

from contract.proctoring import EventKind
from kiosk.domain.lifecycle import SessionState
from kiosk.environment import remote_desktop_signs, virtual_machine_signs
from ui.context import KioskContext
from ui.pin import PinDialog
from ui.window import MainWindow

MakeContext = Callable[..., KioskContext]
MakeWindow = Callable[[KioskContext], MainWindow]


def _logged(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "kiosk.live.shell_events"]


def test_lockdown_blocks_and_reports_shortcuts_focus_and_displays(
    qtbot: QtBot,
    make_context: MakeContext,
    make_window: MakeWindow,
    caplog: pytest.LogCaptureFixture,
) -> None:
    context = make_context(flow.recorded_media(), lockdown=True)
    window = make_window(context)
    caplog.set_level(logging.WARNING, logger="kiosk.live.shell_events")
    window.engage_lockdown()
    caplog.clear()  # signs of this machine (a VM, a remote session) are not under test here
    flags = window.windowFlags()
    assert flags & Qt.WindowType.FramelessWindowHint
    assert flags & Qt.WindowType.WindowStaysOnTopHint
    assert window.isFullScreen()

    field = window.start.key
    field.setFocus()
    QTest.keyClick(field, Qt.Key.Key_Escape)
    QTest.keyClick(field, Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier)
    QTest.keyClick(field, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(field, Qt.Key.Key_Tab, Qt.KeyboardModifier.AltModifier)
    QTest.keyClick(field, Qt.Key.Key_Super_L)
    QTest.keyClicks(field, "ab")  # ordinary typing is untouched
    assert field.text() == "ab"
    assert window.lockdown is not None
    assert window.lockdown.attempts == ["Esc", "Alt+F4", "Ctrl+W", "Alt+Tab", "Super"]

    QApplication.sendEvent(window, QEvent(QEvent.Type.WindowActivate))
    QApplication.sendEvent(window, QEvent(QEvent.Type.WindowDeactivate))
    window.lockdown._screen_added(QGuiApplication.primaryScreen())

    # no session is open: each is logged and shown to the invigilator, and nothing waits in the
    # proctor's stream to be blamed on the next candidate's interview
    logged = _logged(caplog)
    assert [m.split(" ")[0] for m in logged] == [EventKind.BLOCKED_SHORTCUT.value] * 5 + [
        EventKind.FOCUS_LOST.value,
        EventKind.SECOND_DISPLAY.value,
    ]
    assert all("no session open (start screen" in m for m in logged)
    notes = [window.panel.flags.item(i).text() for i in range(window.panel.flags.count())]
    assert "blocked_shortcut: Alt+F4 was pressed and blocked" in notes
    assert any(n.startswith("focus_lost:") for n in notes)
    assert any(n.startswith("second_display:") for n in notes)
    assert context.core.running_proctor.current is None  # no stream exists to keep them in


def test_shell_events_before_the_interview_are_stored_for_the_open_session(
    qtbot: QtBot, make_context: MakeContext, make_window: MakeWindow
) -> None:
    context = make_context(flow.recorded_media(), lockdown=True)
    session = flow.demo_session(context.core.service)
    window = make_window(context)
    window.engage_lockdown()
    flow.sign_in(window, session.session_key)
    flow.hand_over(window)
    qtbot.waitUntil(lambda: window.current_screen() is window.consent)
    before = datetime.now(UTC).replace(microsecond=0)
    QTest.keyClick(window.consent.consent, Qt.Key.Key_Tab, Qt.KeyboardModifier.AltModifier)
    context.core.writer.call(lambda: None)  # the writer runs in order: the event is stored by now
    after = datetime.now(UTC)

    stored = [
        e
        for e in context.core.service.load(session.session_id).events
        if e.kind == EventKind.BLOCKED_SHORTCUT.value
    ]
    assert len(stored) == 1
    event = stored[0]
    assert (event.start, event.end) == (0.0, 0.0)  # the interview clock has not started
    assert event.detail.startswith("Alt+Tab was pressed and blocked (on the consent screen")
    stamp = re.search(r"at (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) UTC\)$", event.detail)
    assert stamp is not None
    assert before <= datetime.fromisoformat(stamp[1]).replace(tzinfo=UTC) <= after
    assert context.core.running_proctor.current is None  # stored directly, not left for a feed

    # once the session is over, nothing at the kiosk belongs to its record any more; the core
    # announces the abort itself, and the window follows it
    context.core.service.abort(session.session_id, "candidate left")
    qtbot.waitUntil(
        lambda: window.session is not None and window.session.state is SessionState.ABORTED
    )
    QTest.keyClick(window.consent.consent, Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier)
    context.core.writer.call(lambda: None)
    assert window.lockdown is not None and window.lockdown.attempts[-1] == "Alt+F4"  # reported
    shortcuts = [
        e
        for e in context.core.service.load(session.session_id).events
        if e.kind == EventKind.BLOCKED_SHORTCUT.value
    ]
    assert shortcuts == stored


def test_closing_the_locked_kiosk_needs_the_pin(
    qtbot: QtBot, make_context: MakeContext, make_window: MakeWindow
) -> None:
    context = make_context(flow.recorded_media(), lockdown=True)
    window = make_window(context)
    window.close()
    assert window.isVisible()  # refused
    dialog = window.findChild(PinDialog)
    assert dialog is not None
    stopped: list[bool] = []
    window.shut_down.connect(lambda: stopped.append(True))
    dialog.prompt.pin.setText("1111")
    dialog.prompt.confirm.click()
    qtbot.waitUntil(lambda: "not right" in dialog.prompt.message.text())
    assert window.isVisible()
    dialog.prompt.pin.setText(flow.PIN)
    dialog.prompt.confirm.click()
    qtbot.waitUntil(lambda: bool(stopped))
    assert not window.isVisible()


def test_invigilator_panel_needs_the_pin_and_aborts_with_a_reason(
    qtbot: QtBot, make_context: MakeContext, make_window: MakeWindow
) -> None:
    from kiosk.domain.lifecycle import SessionState

    context = make_context(flow.recorded_media())
    session = flow.demo_session(context.core.service)
    window = make_window(context)
    flow.sign_in(window, session.session_key)
    flow.hand_over(window)
    qtbot.waitUntil(lambda: window.current_screen() is window.consent)
    window.activateWindow()
    window.open_panel()
    panel = window.panel
    assert panel.isVisible() and not panel.unlocked
    panel.prompt.pin.setText(flow.PIN)
    panel.prompt.confirm.click()
    qtbot.waitUntil(lambda: panel.unlocked)
    # no interview runs yet: nothing to pause or resume, but the session can be ended
    assert not panel.pause.isEnabled() and not panel.resume.isEnabled()
    assert session.candidate.full_name in panel.who.text() and "Consent" in panel.where.text()
    panel.abort.click()
    assert "reason" in panel.status.text() and not panel.confirm_abort.asking
    panel.reason.setText("candidate felt unwell")
    panel.abort.click()
    assert panel.confirm_abort.asking  # asked first: it cannot be undone
    panel.confirm_abort.back.click()
    assert not panel.confirm_abort.asking
    assert context.core.service.get(session.session_id).state is SessionState.OPENED
    panel.abort.click()
    panel.confirm_abort.confirm.click()
    qtbot.waitUntil(lambda: window.current_screen() is window.completion)
    assert context.core.service.get(session.session_id).state is SessionState.ABORTED
    panel.hide()
    window.open_panel()
    assert not panel.unlocked  # locked again each time it opens


def test_virtual_machine_signs_from_dmi_and_systemd() -> None:
    files = {"product_name": "VirtualBox", "sys_vendor": "innotek GmbH"}
    signs = virtual_machine_signs(lambda path: files.get(Path(path).name, ""), lambda: "kvm")
    assert [s.kind for s in signs] == [EventKind.VIRTUAL_MACHINE] * 3
    assert "VirtualBox" in signs[0].detail and "innotek" in signs[1].detail
    assert "kvm" in signs[2].detail
    assert virtual_machine_signs(lambda path: "ThinkPad T14", lambda: "") == []


def test_remote_desktop_signs_from_the_environment() -> None:
    assert remote_desktop_signs({"DISPLAY": ":0"}) == []
    kinds = remote_desktop_signs(
        {"SSH_CONNECTION": "10.0.0.2 5 10.0.0.1 22", "DISPLAY": "host:10.0", "XRDP_SESSION": "1"}
    )
    assert len(kinds) == 3 and {s.kind for s in kinds} == {EventKind.REMOTE_DESKTOP}
    assert "RDP-Tcp#0" in remote_desktop_signs({"SESSIONNAME": "RDP-Tcp#0"})[0].detail
